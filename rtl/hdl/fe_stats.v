// SPDX-License-Identifier: GPL-2.0
// fe_stats: the statistics block's 64-bit counters (programming model,
// statistics counters; index n is the counter at 0x0400 + 8 n, see
// fe_defs.vh).  inc[n] adds 1 to counter n for one cycle, or the octet count
// for TX_OCTETS_OK / RX_OCTETS_OK; the sources (MAC TX, MAC RX, the DMA
// engines) drive disjoint bits.  clear (soft reset, STATS_CTRL.CLEAR) sets
// every counter to 0.  rd_val is the counter rd_idx selected three clocks
// before (0 past the last), through registers only: rd_idx is registered
// (a copy of its low three bits per group of 8 counters and 32-bit half,
// so that no select net fans out across the die), then each group's
// 8-way multiplexer, then the 6-way choice of the group (its select
// registered a clock later).  A counter's two halves are taken in the
// same clock, so rd_val is one instant's value.
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
	// the read tree: groups of 8 counters (the last one padded with 0),
	// each half-word of a group with its own select register
	localparam NG = (`ST_NUM + 7) / 8;
	reg [63:0] grp [0:NG - 1];
	reg [2:0]  hi_q;      // rd_idx[5:3], then the group's select
	reg [2:0]  gsel_q;
	reg        past_q;    // rd_idx past the last counter, then delayed
	reg        past_q2;
	always @(posedge clk) begin
		hi_q <= rd_idx[5:3];
		gsel_q <= hi_q;
		past_q <= rd_idx >= `ST_NUM;
		past_q2 <= past_q;
		rd_val <= past_q2 ? 64'h0 : grp[gsel_q];   // gsel_q < NG here
	end
	genvar g, h, k;
	generate
		for (g = 0; g < NG; g = g + 1) begin : g_grp
			for (h = 0; h < 2; h = h + 1) begin : g_half
				wire [8 * 32 - 1:0] in;
				for (k = 0; k < 8; k = k + 1) begin : g_in
					if (8 * g + k < `ST_NUM) begin : g_cnt
						assign in[32 * k +: 32] = cnt[8 * g + k][32 * h +: 32];
					end else begin : g_pad
						assign in[32 * k +: 32] = 32'h0;
					end
				end
				// a copy of the select per half group
				wire [2:0] sel_q;
				fe_keep_reg #(.W(3)) u_sel (
					.clk(clk), .rst(1'b0), .d(rd_idx[2:0]), .q(sel_q));
				always @(posedge clk)
					grp[g][32 * h +: 32] <= in[32 * sel_q +: 32];
			end
		end
	endgenerate
endmodule
`default_nettype wire
