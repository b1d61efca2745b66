// SPDX-License-Identifier: GPL-2.0
// fe_ddr_in: a double data rate input register (an IDDR): on each rising
// edge of clk, q_rise and q_fall present the pair the pin carried at the
// previous rising edge and the falling edge after it (Xilinx's
// "SAME_EDGE_PIPELINED": both outputs change together, on the rising edge).
//
// The default is a behavioural model (two flip-flops on the pin, one per
// edge, and a pair of rising-edge flip-flops behind them), for simulation
// and for any tool that maps flip-flops on both edges.  For synthesis one
// define selects the vendor's primitive (instantiated per bit):
//   FE_DDR_XILINX7   IDDR   (7-series, Zynq-7000), SAME_EDGE_PIPELINED
//   FE_DDR_XILINXUS  IDDRE1 (UltraScale, UltraScale+, ZynqMP), same mode
//   FE_DDR_INTEL     altddio_in (Cyclone V, Arria; on Agilex the GPIO IP
//                    in DDR mode, a different interface: see rtl/BOARDS.md)
//   FE_DDR_LATTICE   IDDRX1F (ECP5)
// UNVERIFIED in simulation: no vendor simulation model is part of this
// repository (Yosys elaborates the Lattice and Xilinx branches against its
// cell libraries: the ports are right; rtl/BOARDS.md); check which of the two outputs holds the rising edge's
// sample and whether they are aligned as above (rtl/BOARDS.md).
`default_nettype none
module fe_ddr_in #(
	parameter W = 1
) (
	input  wire         clk,
	input  wire [W-1:0] d,
	output wire [W-1:0] q_rise,
	output wire [W-1:0] q_fall
);
`ifdef FE_DDR_XILINX7
	genvar i;
	generate for (i = 0; i < W; i = i + 1) begin : g_b
		IDDR #(.DDR_CLK_EDGE("SAME_EDGE_PIPELINED")) u (
			.C(clk), .CE(1'b1), .D(d[i]), .R(1'b0), .S(1'b0),
			.Q1(q_rise[i]), .Q2(q_fall[i]));
	end endgenerate
`elsif FE_DDR_XILINXUS
	genvar i;
	generate for (i = 0; i < W; i = i + 1) begin : g_b
		IDDRE1 #(.DDR_CLK_EDGE("SAME_EDGE_PIPELINED")) u (
			.C(clk), .CB(!clk), .D(d[i]), .R(1'b0),
			.Q1(q_rise[i]), .Q2(q_fall[i]));
	end endgenerate
`elsif FE_DDR_INTEL
	altddio_in #(.width(W), .intended_device_family("Cyclone V")) u (
		.inclock(clk), .datain(d),
		.dataout_h(q_rise), .dataout_l(q_fall));
`elsif FE_DDR_LATTICE
	genvar i;
	generate for (i = 0; i < W; i = i + 1) begin : g_b
		IDDRX1F u (.SCLK(clk), .RST(1'b0), .D(d[i]),
			   .Q0(q_rise[i]), .Q1(q_fall[i]));
	end endgenerate
`else
	reg [W-1:0] r, f, qr, qf;
	always @(posedge clk)
		r <= d;
	always @(negedge clk)
		f <= d;
	always @(posedge clk) begin
		qr <= r;
		qf <= f;
	end
	assign q_rise = qr;
	assign q_fall = qf;
`endif
endmodule
`default_nettype wire
