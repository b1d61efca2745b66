// SPDX-License-Identifier: GPL-2.0
// fe_cdc_pulse: one-cycle pulses from one clock domain into another: each
// s_pulse toggles a flip-flop, which crosses through two flip-flops; each
// change gives one d_pulse.  Pulses closer together than about three
// d_clk periods merge, so the source must space them (fe_dma_rx's
// overflow: at most one per received frame, 9 rx clocks at the least).
// Resets asynchronous, like fe_cdc_bus.
`default_nettype none
module fe_cdc_pulse (
	input  wire s_clk,
	input  wire s_rst,
	input  wire s_pulse,
	input  wire d_clk,
	input  wire d_rst,
	output wire d_pulse
);
	reg       t;
	reg [2:0] t_d;

	always @(posedge s_clk or posedge s_rst)
		if (s_rst)
			t <= 1'b0;
		else if (s_pulse)
			t <= ~t;

	always @(posedge d_clk or posedge d_rst)
		if (d_rst)
			t_d <= 3'b000;
		else
			t_d <= {t_d[1:0], t};
	assign d_pulse = t_d[2] != t_d[1];
endmodule
`default_nettype wire
