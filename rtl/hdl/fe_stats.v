// SPDX-License-Identifier: GPL-2.0
// fe_stats: the statistics block's 64-bit counters (programming model,
// statistics counters; index n is the counter at 0x0400 + 8 n, see
// fe_defs.vh).  inc[n] adds 1 to counter n for one cycle, or the octet count
// for TX_OCTETS_OK / RX_OCTETS_OK; the sources (MAC TX, MAC RX, the DMA
// engines) drive disjoint bits.  clear (soft reset, STATS_CTRL.CLEAR) sets
// every counter to 0.  rd_val is registered: the counter rd_idx selected
// on the clock before (0 past the last), so that the 44-way multiplexer
// and its select's fanout have a clock to themselves.
`default_nettype none
`include "fe_defs.vh"
module fe_stats (
	input  wire                 clk,
	input  wire                 rst,
	input  wire                 clear,
	input  wire [`ST_NUM - 1:0] inc,
	input  wire [15:0]          tx_octets,
	input  wire [15:0]          rx_octets,
	input  wire [5:0]           rd_idx,
	output reg  [63:0]          rd_val
);
	reg [63:0] cnt [0:`ST_NUM - 1] /*verilator public_flat_rw*/;   // benches preset it
	integer i;

	always @(posedge clk) begin
		for (i = 0; i < `ST_NUM; i = i + 1) begin
			if (rst || clear)
				cnt[i] <= 64'h0;
			else if (inc[i])
				cnt[i] <= cnt[i] + (i == `ST_TX_OCTETS_OK ? {48'h0, tx_octets} :
						    i == `ST_RX_OCTETS_OK ? {48'h0, rx_octets} :
						    64'h1);
		end
	end
	always @(posedge clk)
		rd_val <= rd_idx < `ST_NUM ? cnt[rd_idx] : 64'h0;
endmodule
`default_nettype wire
