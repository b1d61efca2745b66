// SPDX-License-Identifier: GPL-2.0
// fe_tx_csum: the TX checksum offload of fe_dma_tx (CAP1.TX_CSUM), beside
// its store-and-forward TX FIFO.
//
// The sum is taken as the frame is written into the FIFO, a beat (1 to 4
// bytes) a clock: the 16-bit one's complement sum (RFC 1071) of the frame's
// bytes from CSUM_START on (wrel counts the frame's bytes written before
// the beat), whatever descriptor they come from, its 16-bit words aligned
// on CSUM_START as the spec defines them: a byte an even number of bytes
// past CSUM_START is a word's high byte, the next its low byte.  The bytes
// in the checksum field are summed as they are (the driver seeds the field
// with the pseudo-header sum, Linux's CHECKSUM_PARTIAL).  A pipeline of
// registers: each byte's word part (stage a), two pair sums (b), the sum
// as a 32-bit integer (c: at most 65535 bytes of 0xff00), folded to 16
// bits (d).  csum is the result once idle is 1 after the frame's last byte:
// ~sum, 0xffff instead of 0; the engine keeps it with the frame.  When a
// frame is read out for the MAC (the FIFO may hold the next frame's bytes
// by then, summed meanwhile), the two bytes at its FIFO index rpos and
// rpos + 1 are replaced by its rcsum, big-endian, on their way (tdata: the
// engine's read pipeline, a row of four bytes a clock; the two bytes may
// lie in one row or in two).  The FIFO keeps the frame as read from
// memory.
//
//   clear   1 (a clock or more before the frame's first beat): the sum
//           starts again
//   start   the frame's CSUM_START
//   wvalid  wdata's first wn bytes (byte i at [8i +: 8]) are the frame's
//           bytes wrel to wrel + wn - 1, written into the FIFO this clock
//   idle    no beat in the pipeline: csum is of the bytes given so far
//   ren     the frame read out asks for a checksum (CSUM and CAP1.TX_CSUM);
//           the engine has checked that its field lies inside the frame
//   rpos    its field's FIFO index, rcsum its checksum (both held through
//           the frame)
//   raddr   the FIFO row (index / 4) in the read pipeline's stage this
//           clock: rq holds that row (byte lane i: index 4 raddr + i) in
//           the next clock, and tdata then has its choice
//   tdata   the row on its way to the MAC: rq's bytes, the field's
//           replaced by the checksum's
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
	input  wire [31:0]   wdata,
	input  wire [2:0]    wn,
	output wire [15:0]   csum,
	output wire          idle,
	input  wire          ren,
	input  wire [AW-1:0] rpos,
	input  wire [15:0]   rcsum,
	input  wire [AW-3:0] raddr,
	input  wire [31:0]   rq,
	output wire [31:0]   tdata
);
	// byte i's part of its word: 0 before start or beyond the beat
	wire [63:0] part_n;
	genvar gi;
	generate
		for (gi = 0; gi < 4; gi = gi + 1) begin : g_part
			wire [17:0] pos = {1'b0, wrel} + gi;
			wire        in = wvalid && gi < wn && pos >= {2'b0, start};
			wire        low = pos[0] ^ start[0];
			wire [7:0]  b = wdata[8 * gi +: 8];
			assign part_n[16 * gi +: 16] = !in ? 16'h0 : low ? {8'h0, b} : {b, 8'h00};
		end
	endgenerate

	reg  [63:0] part;         // (a)
	reg  [16:0] s01, s23;     // (b)
	reg  [31:0] acc;          // (c)
	reg  [16:0] fold;         // (d) acc's halves added
	reg         va, vb, vc;   // a beat in a, b, c
	always @(posedge clk) begin
		part <= part_n;
		s01 <= {1'b0, part[15:0]} + {1'b0, part[31:16]};
		s23 <= {1'b0, part[47:32]} + {1'b0, part[63:48]};
		acc <= acc + {15'h0, s01} + {15'h0, s23};
		fold <= {1'b0, acc[15:0]} + {1'b0, acc[31:16]};
		va <= wvalid;
		vb <= va;
		vc <= vb;
		if (rst || clear) begin
			part <= 64'h0;
			s01 <= 17'h0;
			s23 <= 17'h0;
			acc <= 32'h0;
			fold <= 17'h0;
			va <= 1'b0;
			vb <= 1'b0;
			vc <= 1'b0;
		end
	end
	// (end-around: fold's carry once more, which cannot carry again)
	wire [15:0] sum = fold[15:0] + {15'h0, fold[16]};
	assign csum = sum == 16'hffff ? 16'hffff : ~sum;
	assign idle = !(wvalid || va || vb || vc);

	// the row read next holds the field's first byte (lane rpos[1:0]) or
	// its second (lane rpos1[1:0]): a lane mask each, registered
	wire [AW-1:0] rpos1 = rpos + 1'b1;
	reg  [3:0] hi, lo;
	always @(posedge clk)
		if (rst) begin
			hi <= 4'h0;
			lo <= 4'h0;
		end else begin
			hi <= {3'b0, ren && raddr == rpos[AW-1:2]} << rpos[1:0];
			lo <= {3'b0, ren && raddr == rpos1[AW-1:2]} << rpos1[1:0];
		end
	genvar ln;
	generate
		for (ln = 0; ln < 4; ln = ln + 1) begin : g_lane
			assign tdata[8 * ln +: 8] = hi[ln] ? rcsum[15:8] :
						    lo[ln] ? rcsum[7:0] : rq[8 * ln +: 8];
		end
	endgenerate
endmodule
`default_nettype wire
