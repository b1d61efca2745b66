// SPDX-License-Identifier: GPL-2.0
// fe_crc32: byte-serial Ethernet CRC-32 / FCS.
//
//   init     1: restart (register = 0xffffffff); takes precedence over en
//   en       1: d is the next byte of the frame (on the wire order)
//   crc      the register (reflected form, see fe_crc32_d8)
//   fcs      ~crc: the 4 FCS bytes to append, byte 0 in [7:0]
//   good     after the frame and its FCS went through: the residue matches
`default_nettype none
module fe_crc32 (
	input  wire        clk,
	input  wire        rst,
	input  wire        init,
	input  wire        en,
	input  wire [7:0]  d,
	output reg  [31:0] crc,
	output wire [31:0] fcs,
	output wire        good
);
	wire [31:0] next;

	fe_crc32_d8 u_step (.crc_i(crc), .d(d), .crc_o(next));

	always @(posedge clk) begin
		if (rst || init)
			crc <= 32'hffffffff;
		else if (en)
			crc <= next;
	end
	assign fcs = ~crc;
	assign good = crc == 32'hdebb20e3;
endmodule
`default_nettype wire
