// SPDX-License-Identifier: GPL-2.0
// tb_cdc_bus: fe_cdc_bus 72 bits wide (three copies of its copy enable, the
// last for 8 bits) for bench/tb_cdc_bus.cpp, with the source's hold
// register and the first copy enable brought out to check the handshake:
// hold must not change in the destination clock before a copy.  A second
// instance with DRST 0 (the destination not reset: the RSS key's) on the
// same inputs gives d_data0.
`default_nettype none
module tb_cdc_bus (
	input  wire        s_clk,
	input  wire        s_rst,
	input  wire [71:0] s_data,
	input  wire        d_clk,
	input  wire        d_rst,
	output wire [71:0] d_data,
	output wire [71:0] d_data0,
	output wire [71:0] hold,
	output wire        ld
);
	fe_cdc_bus #(.W(72), .INIT(72'h5a)) u_bus (
		.s_clk(s_clk), .s_rst(s_rst), .s_data(s_data),
		.d_clk(d_clk), .d_rst(d_rst), .d_data(d_data));
	fe_cdc_bus #(.W(72), .INIT(72'h5a), .DRST(0)) u_bus0 (
		.s_clk(s_clk), .s_rst(s_rst), .s_data(s_data),
		.d_clk(d_clk), .d_rst(d_rst), .d_data(d_data0));
	assign hold = u_bus.hold;
	assign ld = u_bus.g_ld[0].ld;
endmodule
`default_nettype wire
