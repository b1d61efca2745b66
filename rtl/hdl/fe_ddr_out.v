// SPDX-License-Identifier: GPL-2.0
// fe_ddr_out: a double data rate output register (an ODDR): d_rise and
// d_fall are sampled together on a rising edge of clk; q then carries
// d_rise while clk is high and d_fall while it is low (Xilinx's
// "SAME_EDGE").  A forwarded clock is d_rise 1, d_fall 0.
//
// The default is a behavioural model for simulation (and for a tool that
// maps it); for synthesis one define selects the vendor's primitive, as in
// fe_ddr_in:
//   FE_DDR_XILINX7   ODDR   (SAME_EDGE)      FE_DDR_XILINXUS  ODDRE1
//   FE_DDR_INTEL     altddio_out             FE_DDR_LATTICE   ODDRX1F
// UNVERIFIED like fe_ddr_in's vendor branches (rtl/BOARDS.md).
`default_nettype none
module fe_ddr_out #(
	parameter W = 1
) (
	input  wire         clk,
	input  wire [W-1:0] d_rise,
	input  wire [W-1:0] d_fall,
	output wire [W-1:0] q
);
`ifdef FE_DDR_XILINX7
	genvar i;
	generate for (i = 0; i < W; i = i + 1) begin : g_b
		ODDR #(.DDR_CLK_EDGE("SAME_EDGE")) u (
			.C(clk), .CE(1'b1), .D1(d_rise[i]), .D2(d_fall[i]),
			.R(1'b0), .S(1'b0), .Q(q[i]));
	end endgenerate
`elsif FE_DDR_XILINXUS
	genvar i;
	generate for (i = 0; i < W; i = i + 1) begin : g_b
		ODDRE1 u (.C(clk), .D1(d_rise[i]), .D2(d_fall[i]), .SR(1'b0),
			  .Q(q[i]));
	end endgenerate
`elsif FE_DDR_INTEL
	altddio_out #(.width(W), .intended_device_family("Cyclone V")) u (
		.outclock(clk), .datain_h(d_rise), .datain_l(d_fall),
		.dataout(q));
`elsif FE_DDR_LATTICE
	genvar i;
	generate for (i = 0; i < W; i = i + 1) begin : g_b
		ODDRX1F u (.SCLK(clk), .RST(1'b0), .D0(d_rise[i]),
			   .D1(d_fall[i]), .Q(q[i]));
	end endgenerate
`else
	reg [W-1:0] r, f;
	always @(posedge clk) begin
		r <= d_rise;
		f <= d_fall;
	end
	// (the clock selects the half: a DDR output cell does this)
	assign q = clk ? r : f;
`endif
endmodule
`default_nettype wire
