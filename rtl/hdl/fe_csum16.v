// SPDX-License-Identifier: GPL-2.0
// fe_csum16: byte-serial 16-bit one's complement sum (RFC 1071), bytes
// taken as big-endian 16-bit words, an odd last byte padded with a zero.
//
//   clear   1: sum = 0, next byte is a high byte (en of that cycle ignored)
//   en      1: d is the next byte
//   sum     the one's complement sum, not complemented (the RX CSUM field,
//           Linux CHECKSUM_COMPLETE)
//   csum    what the TX offload stores: ~sum, 0xffff instead of 0
`default_nettype none
module fe_csum16 (
	input  wire        clk,
	input  wire        rst,
	input  wire        clear,
	input  wire        en,
	input  wire [7:0]  d,
	output reg  [15:0] sum,
	output wire [15:0] csum
);
	reg         odd;   // the next byte is the low byte of a word
	wire [16:0] add = {1'b0, sum} + (odd ? {9'h0, d} : {1'b0, d, 8'h00});

	always @(posedge clk) begin
		if (rst || clear) begin
			sum <= 16'h0;
			odd <= 1'b0;
		end else if (en) begin
			sum <= add[15:0] + {15'h0, add[16]};   // end-around carry
			odd <= !odd;
		end
	end
	assign csum = (sum == 16'hffff) ? 16'hffff : ~sum;
endmodule
`default_nettype wire
