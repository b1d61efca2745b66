// SPDX-License-Identifier: GPL-2.0
// fe_core_synth: the whole IP (fe_core, its default parameters: GMII,
// NUM_QP 4, 16 KiB FIFOs) with a register on every input and output, in
// the port's own clock domain, for a timing figure per clock
// (rtl/synth/run fe_core_synth ecp5-pnr): the paths measured start and
// end at flip-flops, not at pins nextpnr placed anywhere.  clk: the
// AXI4-Lite slave, the AXI4 master, the interrupts, GMII TX, MDIO;
// gmii_rx_clk: GMII RX.  The AXI4 master's address channels (89 bits
// each) leave folded to 16 pins each after their registers, so that the
// ports fit the LFE5UM-85F's I/O; every bit still has a register and a
// pin it reaches.  time_en is tied high (a board's), the RGMII/MII
// inputs low (unused with GMII).  Not part of the IP.
`default_nettype none
module fe_core_synth (
	input  wire        clk,
	input  wire        rst,
	input  wire        gmii_rx_clk,
	// AXI4-Lite slave
	input  wire [15:0] s_awaddr,
	input  wire        s_awvalid,
	output reg         s_awready,
	input  wire [31:0] s_wdata,
	input  wire [3:0]  s_wstrb,
	input  wire        s_wvalid,
	output reg         s_wready,
	output reg  [1:0]  s_bresp,
	output reg         s_bvalid,
	input  wire        s_bready,
	input  wire [15:0] s_araddr,
	input  wire        s_arvalid,
	output reg         s_arready,
	output reg  [31:0] s_rdata,
	output reg  [1:0]  s_rresp,
	output reg         s_rvalid,
	input  wire        s_rready,
	output reg         irq_misc,
	output reg  [3:0]  irq_q,
	// AXI4 master; m_aw_fold, m_ar_fold: the address channels folded
	output wire [15:0] m_aw_fold,
	output reg         m_awvalid,
	input  wire        m_awready,
	output reg  [31:0] m_wdata,
	output reg  [3:0]  m_wstrb,
	output reg         m_wlast,
	output reg         m_wvalid,
	input  wire        m_wready,
	input  wire [1:0]  m_bresp,
	input  wire        m_bvalid,
	output reg         m_bready,
	output wire [15:0] m_ar_fold,
	output reg         m_arvalid,
	input  wire        m_arready,
	input  wire [31:0] m_rdata,
	input  wire [1:0]  m_rresp,
	input  wire        m_rlast,
	input  wire        m_rvalid,
	output reg         m_rready,
	// GMII
	output reg  [7:0]  gmii_txd,
	output reg         gmii_tx_en,
	output reg         gmii_tx_er,
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	// MDIO, link, the co-simulation's outputs
	output reg         mdc,
	output reg         mdio_o,
	output reg         mdio_oe,
	input  wire        mdio_i,
	input  wire        phy_link,
	output reg         timer_busy,
	output reg         active
);
	// inputs on clk
	/* verilator lint_off SYNCASYNCNET */
	reg         rst_q;
	/* verilator lint_on SYNCASYNCNET */
	reg  [15:0] awaddr_q, araddr_q;
	reg  [31:0] wdata_q, rdata_q;
	reg  [3:0]  wstrb_q;
	reg  [1:0]  bresp_q, rresp_q;
	reg         awvalid_q, wvalid_q, bready_q, arvalid_q, rready_q;
	reg         m_awready_q, m_wready_q, m_bvalid_q, m_arready_q, m_rlast_q, m_rvalid_q;
	reg         mdio_i_q, phy_link_q;
	always @(posedge clk) begin
		rst_q <= rst;
		awaddr_q <= s_awaddr;
		awvalid_q <= s_awvalid;
		wdata_q <= s_wdata;
		wstrb_q <= s_wstrb;
		wvalid_q <= s_wvalid;
		bready_q <= s_bready;
		araddr_q <= s_araddr;
		arvalid_q <= s_arvalid;
		rready_q <= s_rready;
		m_awready_q <= m_awready;
		m_wready_q <= m_wready;
		bresp_q <= m_bresp;
		m_bvalid_q <= m_bvalid;
		m_arready_q <= m_arready;
		rdata_q <= m_rdata;
		rresp_q <= m_rresp;
		m_rlast_q <= m_rlast;
		m_rvalid_q <= m_rvalid;
		mdio_i_q <= mdio_i;
		phy_link_q <= phy_link;
	end
	// inputs on gmii_rx_clk
	reg  [7:0]  rxd_q;
	reg         rx_dv_q, rx_er_q;
	always @(posedge gmii_rx_clk) begin
		rxd_q <= gmii_rxd;
		rx_dv_q <= gmii_rx_dv;
		rx_er_q <= gmii_rx_er;
	end

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
		.clk(clk), .rst(rst_q),
		.s_awaddr(awaddr_q), .s_awvalid(awvalid_q), .s_awready(w_awready),
		.s_wdata(wdata_q), .s_wstrb(wstrb_q), .s_wvalid(wvalid_q), .s_wready(w_wready),
		.s_bresp(w_bresp), .s_bvalid(w_bvalid), .s_bready(bready_q),
		.s_araddr(araddr_q), .s_arvalid(arvalid_q), .s_arready(w_arready),
		.s_rdata(w_rdata), .s_rresp(w_rresp), .s_rvalid(w_rvalid), .s_rready(rready_q),
		.irq_misc(w_irq_misc), .irq_q(w_irq_q),
		.m_awaddr(w_awaddr), .m_awlen(w_awlen), .m_awsize(w_awsize),
		.m_awburst(w_awburst), .m_awlock(w_awlock), .m_awcache(w_awcache),
		.m_awprot(w_awprot), .m_awqos(w_awqos), .m_awvalid(w_awvalid),
		.m_awready(m_awready_q),
		.m_wdata(w_wdata), .m_wstrb(w_wstrb), .m_wlast(w_wlast), .m_wvalid(w_wvalid),
		.m_wready(m_wready_q),
		.m_bresp(bresp_q), .m_bvalid(m_bvalid_q), .m_bready(w_bready),
		.m_araddr(w_araddr), .m_arlen(w_arlen), .m_arsize(w_arsize),
		.m_arburst(w_arburst), .m_arlock(w_arlock), .m_arcache(w_arcache),
		.m_arprot(w_arprot), .m_arqos(w_arqos), .m_arvalid(w_arvalid),
		.m_arready(m_arready_q),
		.m_rdata(rdata_q), .m_rresp(rresp_q), .m_rlast(m_rlast_q), .m_rvalid(m_rvalid_q),
		.m_rready(w_rready),
		.gmii_txd(w_txd), .gmii_tx_en(w_tx_en), .gmii_tx_er(w_tx_er),
		.gmii_rx_clk(gmii_rx_clk), .gmii_rxd(rxd_q), .gmii_rx_dv(rx_dv_q),
		.gmii_rx_er(rx_er_q), .mii_tx_clk(1'b0),
		.clk90(1'b0), .rgmii_txc(w_rgmii_txc), .rgmii_txd(w_rgmii_txd),
		.rgmii_tx_ctl(w_rgmii_tx_ctl), .rgmii_rxc(1'b0), .rgmii_rxd(4'h0),
		.rgmii_rx_ctl(1'b0),
		.mdc(w_mdc), .mdio_o(w_mdio_o), .mdio_oe(w_mdio_oe), .mdio_i(mdio_i_q),
		.phy_link(phy_link_q),
		.time_en(1'b1), .timer_busy(w_timer_busy), .active(w_active),
		.timer_due(w_timer_due));

	// outputs, all on clk
	reg  [88:0] aw_q, ar_q;
	always @(posedge clk) begin
		s_awready <= w_awready;
		s_wready <= w_wready;
		s_bresp <= w_bresp;
		s_bvalid <= w_bvalid;
		s_arready <= w_arready;
		s_rdata <= w_rdata;
		s_rresp <= w_rresp;
		s_rvalid <= w_rvalid;
		irq_misc <= w_irq_misc;
		irq_q <= w_irq_q;
		aw_q <= {w_awaddr, w_awlen, w_awsize, w_awburst, w_awlock, w_awcache,
			 w_awprot, w_awqos};
		m_awvalid <= w_awvalid;
		m_wdata <= w_wdata;
		m_wstrb <= w_wstrb;
		m_wlast <= w_wlast;
		m_wvalid <= w_wvalid;
		m_bready <= w_bready;
		ar_q <= {w_araddr, w_arlen, w_arsize, w_arburst, w_arlock, w_arcache,
			 w_arprot, w_arqos};
		m_arvalid <= w_arvalid;
		m_rready <= w_rready;
		gmii_txd <= w_txd;
		gmii_tx_en <= w_tx_en;
		gmii_tx_er <= w_tx_er;
		mdc <= w_mdc;
		mdio_o <= w_mdio_o;
		mdio_oe <= w_mdio_oe;
		timer_busy <= w_timer_busy;
		active <= w_active;
	end
	// after the registers: the pins' paths are not analysed
	function [15:0] fold89(input [88:0] v);
		fold89 = v[15:0] ^ v[31:16] ^ v[47:32] ^ v[63:48] ^ v[79:64] ^
			 {7'h0, v[88:80]};
	endfunction
	assign m_aw_fold = fold89(aw_q);
	assign m_ar_fold = fold89(ar_q);
endmodule
`default_nettype wire
