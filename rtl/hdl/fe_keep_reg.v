// SPDX-License-Identifier: GPL-2.0
// fe_keep_reg: a register of d that synthesis keeps as its own.  Where one
// signal drives logic spread over the die (a registered read tree's word
// selects, a clock crossing's copy enables), a copy for each part, placed
// by what it drives, shortens the routes (timing: rtl/README.md,
// "Synthesis"); yosys merges identical registers into one, and the keep
// attribute stops it.  ARST 1: reset to INIT asynchronously by rst; 0: no
// reset (rst unused).  A copy of a reset (fe_regs' srst_q, core_rst) is
// a W 1, ARST 0 instance per copy.
`default_nettype none
module fe_keep_reg #(
	parameter W = 1,
	parameter ARST = 0,
	parameter [W - 1:0] INIT = {W{1'b0}}
) (
	input  wire           clk,
	/* verilator lint_off UNUSEDSIGNAL */   // (ARST 0)
	input  wire           rst,
	/* verilator lint_on UNUSEDSIGNAL */
	input  wire [W - 1:0] d,
	// (a copy of a reset may drive synchronous and asynchronous reset
	// inputs: fe_regs' core_rst)
	/* verilator lint_off SYNCASYNCNET */
	output reg  [W - 1:0] q
	/* verilator lint_on SYNCASYNCNET */
);
	generate
		if (ARST) begin : g_arst
			(* keep *) always @(posedge clk or posedge rst)
				if (rst)
					q <= INIT;
				else
					q <= d;
		end else begin : g_plain
			(* keep *) always @(posedge clk)
				q <= d;
		end
	endgenerate
endmodule
`default_nettype wire
