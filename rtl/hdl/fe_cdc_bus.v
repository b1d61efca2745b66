// SPDX-License-Identifier: GPL-2.0
// fe_cdc_bus: a multi-bit value from one clock domain into another through
// a toggle handshake, sampled again and again: the source copies s_data
// into hold and toggles req; req crosses through two flip-flops, and at
// its change the destination copies hold (stable since the toggle, and
// until the source sees the acknowledge) into d_data and answers with
// ack (its copy of req), which crosses back through two flip-flops; then
// the source samples s_data again.  The copy's enable is a register (ld,
// the clock after req's change: ack follows with the copy), one per 32
// bits of d_data, so that no net fans out to a wide value's every
// flip-flop (timing: the RSS key's 320 bits, rtl/README.md "Synthesis").
// d_data is always one value s_data had, never a mix of two, some seven
// clocks of either side old.  Only req
// and ack cross through synchronisers; hold to d_data is the data path
// that wants a max-delay constraint (rtl/synth/fe_cdc.xdc).  Each side's
// reset is asynchronous (a stopped clock's side still holds its reset
// value); both sides reset to INIT.  DRST 0 leaves d_data and its load
// enables out of d_rst: d_data is not reset, and a copy in flight as
// d_rst rises still loads (it may catch hold while s_rst resets it: a
// mix of two values); the first copy after the reset, some seven clocks
// later, is one value again.  For a wide value that nothing reads in
// those clocks, so that d_rst does not fan out to every bit of it (the
// RSS key's 330 flip-flops: timing, rtl/README.md "Synthesis").
`default_nettype none
module fe_cdc_bus #(
	parameter         W    = 8,
	parameter [W-1:0] INIT = {W{1'b0}},
	parameter         DRST = 1
) (
	input  wire         s_clk,
	input  wire         s_rst,
	input  wire [W-1:0] s_data,
	input  wire         d_clk,
	input  wire         d_rst,
	output reg  [W-1:0] d_data
);
	localparam NL = (W + 31) / 32;   // copies of ld
	reg  [W-1:0] hold;
	reg          req;
	reg  [1:0]   ack_s;   // ack in s_clk's domain
	reg  [3:0]   req_d;   // req in d_clk's domain: two synchronisers, then
			      // the copy's clock (ld), then ack

	always @(posedge s_clk or posedge s_rst)
		if (s_rst) begin
			hold <= INIT;
			req <= 1'b0;
			ack_s <= 2'b00;
		end else begin
			ack_s <= {ack_s[0], req_d[3]};
			if (ack_s[1] == req) begin
				hold <= s_data;
				req <= ~req;
			end
		end

	always @(posedge d_clk or posedge d_rst)
		if (d_rst)
			req_d <= 4'b0000;
		else
			req_d <= {req_d[2:0], req};

	genvar k;
	generate
		for (k = 0; k < NL; k = k + 1) begin : g_ld
			localparam LO = 32 * k;
			localparam N = W - LO > 32 ? 32 : W - LO;
			wire ld;
			if (DRST) begin : g_rst
				fe_keep_reg #(.ARST(1)) u_ld (
					.clk(d_clk), .rst(d_rst), .d(req_d[2] != req_d[1]),
					.q(ld));
				always @(posedge d_clk or posedge d_rst)
					if (d_rst)
						d_data[LO +: N] <= INIT[LO +: N];
					else if (ld)
						d_data[LO +: N] <= hold[LO +: N];
			end else begin : g_norst
				fe_keep_reg u_ld (
					.clk(d_clk), .rst(1'b0), .d(req_d[2] != req_d[1]),
					.q(ld));
				always @(posedge d_clk)
					if (ld)
						d_data[LO +: N] <= hold[LO +: N];
			end
		end
	endgenerate
endmodule
`default_nettype wire
