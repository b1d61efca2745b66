// SPDX-License-Identifier: GPL-2.0
// fe_tx_csum: the TX checksum offload of fe_dma_tx (CAP1.TX_CSUM), beside
// its store-and-forward TX FIFO.
//
// The sum is taken as the frame is written into the FIFO: fe_csum16 over
// the frame's bytes from CSUM_START on (wrel counts the frame's bytes
// written before this one), whatever descriptor they come from, so the
// sum's 16-bit words are aligned on CSUM_START, as the spec defines them.
// The bytes in the checksum field are summed as they are (the driver seeds
// the field with the pseudo-header sum, Linux's CHECKSUM_PARTIAL).  csum is
// the result once the frame's last byte is in: ~sum, 0xffff instead of 0
// (fe_csum16's csum); the engine keeps it with the frame.  When a frame is
// read out to the MAC (the FIFO may hold the next frame's bytes by then,
// summed meanwhile), the two bytes at its FIFO index rpos and rpos + 1 are
// replaced by its rcsum, big-endian.  The FIFO keeps the frame as read
// from memory.
//
//   clear   1 (a clock before the frame's first byte is written): the sum
//           starts again
//   start   the frame's CSUM_START
//   wvalid  wdata, the frame's byte wrel, is written into the FIFO this clock
//   ren     the frame read out asks for a checksum (CSUM and CAP1.TX_CSUM);
//           the engine has checked that its field lies inside the frame
//   rpos    its field's FIFO index, rcsum its checksum (both held through
//           the frame)
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
	input  wire [15:0]   start,
	input  wire          wvalid,
	input  wire [16:0]   wrel,
	input  wire [7:0]    wdata,
	output wire [15:0]   csum,
	input  wire          ren,
	input  wire [AW-1:0] rpos,
	input  wire [15:0]   rcsum,
	input  wire [AW-1:0] raddr,
	input  wire [7:0]    rq,
	output wire [7:0]    tdata
);
	fe_csum16 u_sum (
		.clk(clk), .rst(rst), .clear(clear),
		.en(wvalid && wrel >= {1'b0, start}), .d(wdata),
		/* verilator lint_off PINCONNECTEMPTY */
		.sum(),
		/* verilator lint_on PINCONNECTEMPTY */
		.csum(csum));

	// the byte read next is the field's first or second byte
	wire [AW-1:0] rpos1 = rpos + 1'b1;
	reg hi, lo;
	always @(posedge clk)
		if (rst) begin
			hi <= 1'b0;
			lo <= 1'b0;
		end else begin
			hi <= ren && raddr == rpos;
			lo <= ren && raddr == rpos1;
		end
	assign tdata = hi ? rcsum[15:8] : lo ? rcsum[7:0] : rq;
endmodule
`default_nettype wire
