// SPDX-License-Identifier: GPL-2.0
// fe_core_synth: the whole IP (fe_core, its default parameters: GMII,
// NUM_QP 4, 16 KiB FIFOs) for a timing figure per clock
// (rtl/synth/run fe_core_synth ecp5-pnr), on six pins.  Every input of
// fe_core comes from a flip-flop of a shift register in the input's clock
// domain (clk: the AXI4-Lite slave, the AXI4 master's inputs, MDIO, link;
// gmii_rx_clk: GMII RX), fed by one pin each; every output goes to a
// flip-flop on clk, and those to one pin through an XOR tree registered at
// each level (GMII TX: to flip-flops on tx_clk and their XOR's pin so_tx), so that nothing of the IP is constant or unobserved (Yosys
// keeps it all) and every path measured starts and ends at a flip-flop.
// Session 17's wrapper had a pin for each port (265): nextpnr spread them
// round the die and the IP with them, and the critical nets ran across it;
// here the IP is placed for itself (eight pins since session 23's tx_clk).  time_en is tied high (a board's), the
// RGMII/MII inputs low (unused with GMII).  Not part of the IP.
`default_nettype none
module fe_core_synth (
	input  wire clk,
	input  wire rst,
	input  wire tx_clk,
	input  wire gmii_rx_clk,
	input  wire si,		// the clk inputs' shift register
	input  wire si_rx,	// the gmii_rx_clk inputs' shift register
	output reg  so,		// the XOR of every output on clk
	output reg  so_tx	// the XOR of GMII TX (tx_clk)
);
	localparam NI = 117;	// fe_core's inputs on clk, bits
	localparam NO = 271;	// its outputs on clk, bits
	localparam N1 = (NO + 3) / 4, N2 = (N1 + 3) / 4, N3 = (N2 + 3) / 4;

	/* verilator lint_off SYNCASYNCNET */
	reg          rst_q;
	/* verilator lint_on SYNCASYNCNET */
	reg [NI-1:0] in_q;
	reg [9:0]    rx_q;
	always @(posedge clk) begin
		rst_q <= rst;
		in_q <= {in_q[NI-2:0], si};
	end
	always @(posedge gmii_rx_clk)
		rx_q <= {rx_q[8:0], si_rx};

	wire [15:0] s_awaddr, s_araddr;
	wire [31:0] s_wdata, m_rdata;
	wire [3:0]  s_wstrb;
	wire [1:0]  m_bresp, m_rresp;
	wire        s_awvalid, s_wvalid, s_bready, s_arvalid, s_rready;
	wire        m_awready, m_wready, m_bvalid, m_arready, m_rlast, m_rvalid;
	wire        mdio_i, phy_link;
	assign {s_awaddr, s_awvalid, s_wdata, s_wstrb, s_wvalid, s_bready,
		s_araddr, s_arvalid, s_rready, m_awready, m_wready, m_bresp,
		m_bvalid, m_arready, m_rdata, m_rresp, m_rlast, m_rvalid, mdio_i,
		phy_link} = in_q;

	wire        w_awready, w_wready, w_bvalid, w_arready, w_rvalid, w_irq_misc;
	wire [1:0]  w_bresp, w_rresp;
	wire [31:0] w_rdata, w_wdata;
	wire [3:0]  w_irq_q, w_wstrb;
	wire [63:0] w_awaddr, w_araddr;
	wire [7:0]  w_awlen, w_arlen, w_txd;
	wire [2:0]  w_awsize, w_arsize, w_awprot, w_arprot;
	wire [1:0]  w_awburst, w_arburst;
	wire [3:0]  w_awcache, w_arcache, w_awqos, w_arqos;
	wire        w_awlock, w_arlock, w_awvalid, w_wlast, w_wvalid, w_bready;
	wire        w_arvalid, w_rready, w_tx_en, w_tx_er, w_mdc, w_mdio_o, w_mdio_oe;
	wire        w_timer_busy, w_active;
	/* verilator lint_off UNUSEDSIGNAL */
	wire        w_rgmii_txc, w_rgmii_tx_ctl;
	wire [3:0]  w_rgmii_txd;
	wire [31:0] w_timer_due;
	/* verilator lint_on UNUSEDSIGNAL */

	fe_core u_core (
		.clk(clk), .rst(rst_q), .tx_clk(tx_clk),
		.s_awaddr(s_awaddr), .s_awvalid(s_awvalid), .s_awready(w_awready),
		.s_wdata(s_wdata), .s_wstrb(s_wstrb), .s_wvalid(s_wvalid), .s_wready(w_wready),
		.s_bresp(w_bresp), .s_bvalid(w_bvalid), .s_bready(s_bready),
		.s_araddr(s_araddr), .s_arvalid(s_arvalid), .s_arready(w_arready),
		.s_rdata(w_rdata), .s_rresp(w_rresp), .s_rvalid(w_rvalid), .s_rready(s_rready),
		.irq_misc(w_irq_misc), .irq_q(w_irq_q),
		.m_awaddr(w_awaddr), .m_awlen(w_awlen), .m_awsize(w_awsize),
		.m_awburst(w_awburst), .m_awlock(w_awlock), .m_awcache(w_awcache),
		.m_awprot(w_awprot), .m_awqos(w_awqos), .m_awvalid(w_awvalid),
		.m_awready(m_awready),
		.m_wdata(w_wdata), .m_wstrb(w_wstrb), .m_wlast(w_wlast), .m_wvalid(w_wvalid),
		.m_wready(m_wready),
		.m_bresp(m_bresp), .m_bvalid(m_bvalid), .m_bready(w_bready),
		.m_araddr(w_araddr), .m_arlen(w_arlen), .m_arsize(w_arsize),
		.m_arburst(w_arburst), .m_arlock(w_arlock), .m_arcache(w_arcache),
		.m_arprot(w_arprot), .m_arqos(w_arqos), .m_arvalid(w_arvalid),
		.m_arready(m_arready),
		.m_rdata(m_rdata), .m_rresp(m_rresp), .m_rlast(m_rlast), .m_rvalid(m_rvalid),
		.m_rready(w_rready),
		.gmii_txd(w_txd), .gmii_tx_en(w_tx_en), .gmii_tx_er(w_tx_er),
		.gmii_rx_clk(gmii_rx_clk), .gmii_rxd(rx_q[7:0]), .gmii_rx_dv(rx_q[8]),
		.gmii_rx_er(rx_q[9]), .mii_tx_clk(1'b0),
		.clk90(1'b0), .rgmii_txc(w_rgmii_txc), .rgmii_txd(w_rgmii_txd),
		.rgmii_tx_ctl(w_rgmii_tx_ctl), .rgmii_rxc(1'b0), .rgmii_rxd(4'h0),
		.rgmii_rx_ctl(1'b0),
		.mdc(w_mdc), .mdio_o(w_mdio_o), .mdio_oe(w_mdio_oe), .mdio_i(mdio_i),
		.phy_link(phy_link),
		.time_en(1'b1), .timer_busy(w_timer_busy), .active(w_active),
		.timer_due(w_timer_due));

	// the outputs registered, then XORed four to one a level
	reg [4*N1-1:0] o0;
	reg [4*N2-1:0] o1;
	reg [4*N3-1:0] o2;
	reg [N3-1:0]   o3;
	integer i;
	always @(posedge clk) begin
		o0 <= {{(4 * N1 - NO){1'b0}},
		       w_awready, w_wready, w_bresp, w_bvalid, w_arready, w_rdata,
		       w_rresp, w_rvalid, w_irq_misc, w_irq_q,
		       w_awaddr, w_awlen, w_awsize, w_awburst, w_awlock, w_awcache,
		       w_awprot, w_awqos, w_awvalid, w_wdata, w_wstrb, w_wlast,
		       w_wvalid, w_bready,
		       w_araddr, w_arlen, w_arsize, w_arburst, w_arlock, w_arcache,
		       w_arprot, w_arqos, w_arvalid, w_rready,
		       w_mdc, w_mdio_o, w_mdio_oe,
		       w_timer_busy, w_active};
		o1 <= 0;
		for (i = 0; i < N1; i = i + 1)
			o1[i] <= ^o0[4*i +: 4];
		o2 <= 0;
		for (i = 0; i < N2; i = i + 1)
			o2[i] <= ^o1[4*i +: 4];
		for (i = 0; i < N3; i = i + 1)
			o3[i] <= ^o2[4*i +: 4];
		so <= ^o3;
	end
	reg [9:0] tx_q;
	always @(posedge tx_clk) begin
		tx_q <= {w_txd, w_tx_en, w_tx_er};
		so_tx <= ^tx_q;
	end
endmodule
`default_nettype wire
