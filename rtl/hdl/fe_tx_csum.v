// SPDX-License-Identifier: GPL-2.0
// fe_tx_csum: the TX checksum offload of fe_dma_tx (CAP1.TX_CSUM), beside
// its store-and-forward TX FIFO.
//
// The sum is taken as the frame is written into the FIFO: fe_csum16 over
// the bytes at FIFO index CSUM_START and after (the frame starts at index
// 0), whatever descriptor they come from, so the sum's 16-bit words are
// aligned on CSUM_START, as the spec defines them.  The bytes in the
// checksum field are summed as they are (the driver seeds the field with
// the pseudo-header sum, Linux's CHECKSUM_PARTIAL).  When the frame is read
// out to the MAC, the two bytes at index pos = CSUM_START + CSUM_OFFSET
// are replaced by the result, big-endian: ~sum, 0xffff instead of 0
// (fe_csum16's csum).  The FIFO keeps the frame as read from memory.
//
//   clear   1 (a clock before the frame's first byte is written): the sum
//           starts again
//   en      the frame asks for a checksum (CSUM and CAP1.TX_CSUM); the
//           engine has checked that pos + 2 <= the frame's length
//   wvalid  wdata is written into the FIFO at index widx this clock
//   raddr   the FIFO index read this clock: rq holds that byte from the
//           next clock on, and so does tdata's choice
//   tdata   the byte to the MAC: rq, or a byte of the checksum
`default_nettype none
module fe_tx_csum #(
	parameter AW = 14   // FIFO index bits, at most 16
) (
	input  wire          clk,
	input  wire          rst,
	input  wire          clear,
	input  wire          en,
	input  wire [15:0]   start,
	input  wire [16:0]   pos,
	input  wire          wvalid,
	input  wire [AW-1:0] widx,
	input  wire [7:0]    wdata,
	input  wire [AW-1:0] raddr,
	input  wire [7:0]    rq,
	output wire [7:0]    tdata
);
	wire [16:0] wi = {{(17 - AW){1'b0}}, widx};
	wire [16:0] ri = {{(17 - AW){1'b0}}, raddr};
	wire [15:0] csum;

	fe_csum16 u_sum (
		.clk(clk), .rst(rst), .clear(clear),
		.en(wvalid && wi >= {1'b0, start}), .d(wdata),
		/* verilator lint_off PINCONNECTEMPTY */
		.sum(),
		/* verilator lint_on PINCONNECTEMPTY */
		.csum(csum));

	// the byte read next is the field's first or second byte
	reg hi, lo;
	always @(posedge clk)
		if (rst) begin
			hi <= 1'b0;
			lo <= 1'b0;
		end else begin
			hi <= en && ri == pos;
			lo <= en && ri == pos + 17'd1;
		end
	assign tdata = hi ? csum[15:8] : lo ? csum[7:0] : rq;
endmodule
`default_nettype wire
