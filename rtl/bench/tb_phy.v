// SPDX-License-Identifier: GPL-2.0
// tb_phy: the PHY adapters for tb_phy.cpp: one fe_mac behind fe_rgmii
// (r_*) and one behind fe_mii (m_*), both on clk (125 MHz; the MACs'
// tx_clk too, the clock the adapters' TX sides run on) with the line's
// receive clock rx_clk (RGMII RXC and MII RX_CLK alike: the bench drives
// one adapter at a time) and the MII TX_CLK mii_tx_clk from the bench.
// The frames to send come as the MAC's rows (the bench: a byte a row).
// The MACs: receive enabled, promiscuous, MAX_FRAME_LEN 1518.
`default_nettype none
module tb_phy (
	input  wire       clk,
	input  wire       rst,
	input  wire       rx_clk,
	input  wire [1:0] speed,
	// RGMII side's MAC
	input  wire        r_tx_tvalid,
	input  wire [31:0] r_tx_tdata,
	input  wire [1:0]  r_tx_tlo,
	input  wire [1:0]  r_tx_thi,
	input  wire        r_tx_tlast,
	output wire       r_tx_tready,
	output wire       r_rx_tvalid,
	output wire [7:0] r_rx_tdata,
	output wire       r_rx_tlast,
	output wire       r_rx_tuser,
	output wire       rgmii_txc,
	output wire [3:0] rgmii_txd,
	output wire       rgmii_tx_ctl,
	input  wire [3:0] rgmii_rxd,
	input  wire       rgmii_rx_ctl,
	output wire [7:0] r_gmii_rxd,     // fe_rgmii's GMII into the MAC
	output wire       r_gmii_rx_dv,
	output wire       r_gmii_rx_er,
	output wire       r_gmii_rx_ce,
	output wire       ib_link,
	output wire [1:0] ib_speed,
	output wire       ib_duplex,
	// MII side's MAC
	input  wire        m_tx_tvalid,
	input  wire [31:0] m_tx_tdata,
	input  wire [1:0]  m_tx_tlo,
	input  wire [1:0]  m_tx_thi,
	input  wire        m_tx_tlast,
	output wire       m_tx_tready,
	output wire       m_rx_tvalid,
	output wire [7:0] m_rx_tdata,
	output wire       m_rx_tlast,
	output wire       m_rx_tuser,
	input  wire       mii_tx_clk,
	output wire [3:0] mii_txd,
	output wire       mii_tx_en,
	output wire       mii_tx_er,
	input  wire [3:0] mii_rxd,
	input  wire       mii_rx_dv,
	input  wire       mii_rx_er
);
	wire [7:0] r_txd, r_rxd, m_txd, m_rxd;
	wire       r_ten, r_ter, r_tce, r_rclk, r_rrst, r_rdv, r_rer, r_rce;
	wire       m_ten, m_ter, m_tce, m_rclk, m_rrst, m_rdv, m_rer, m_rce;
	assign r_gmii_rxd = r_rxd;
	assign r_gmii_rx_dv = r_rdv;
	assign r_gmii_rx_er = r_rer;
	assign r_gmii_rx_ce = r_rce;

	fe_rgmii u_rgmii (
		.clk(clk), .clk90(clk), .rst(rst), .speed(speed),
		.gmii_txd(r_txd), .gmii_tx_en(r_ten), .gmii_tx_er(r_ter),
		.tx_ce(r_tce), .rx_clk(r_rclk), .rx_rst(r_rrst),
		.gmii_rxd(r_rxd), .gmii_rx_dv(r_rdv), .gmii_rx_er(r_rer),
		.rx_ce(r_rce), .ib_link(ib_link), .ib_speed(ib_speed),
		.ib_duplex(ib_duplex),
		.rgmii_txc(rgmii_txc), .rgmii_txd(rgmii_txd),
		.rgmii_tx_ctl(rgmii_tx_ctl), .rgmii_rxc(rx_clk),
		.rgmii_rxd(rgmii_rxd), .rgmii_rx_ctl(rgmii_rx_ctl));

	fe_mii u_mii (
		.clk(clk), .rst(rst),
		.gmii_txd(m_txd), .gmii_tx_en(m_ten), .gmii_tx_er(m_ter),
		.tx_ce(m_tce), .rx_clk(m_rclk), .rx_rst(m_rrst),
		.gmii_rxd(m_rxd), .gmii_rx_dv(m_rdv), .gmii_rx_er(m_rer),
		.rx_ce(m_rce),
		.mii_tx_clk(mii_tx_clk), .mii_txd(mii_txd), .mii_tx_en(mii_tx_en),
		.mii_tx_er(mii_tx_er), .mii_rx_clk(rx_clk), .mii_rxd(mii_rxd),
		.mii_rx_dv(mii_rx_dv), .mii_rx_er(mii_rx_er));

	/* verilator lint_off PINCONNECTEMPTY */
	fe_mac u_rmac (
		.clk(clk), .rst(rst), .tx_clk(clk), .tx_rst(), .tx_speed(),
		.rx_clk(r_rclk), .rx_rst(r_rrst),
		.rx_en(1'b1), .link_up(1'b1), .loopback(1'b0), .promisc(1'b1),
		.allmulti(1'b0), .rx_pause_en(1'b0), .speed(speed),
		.station_addr(48'h554433221102), .mc_hash(64'h0),
		.max_frame_len(16'd1518), .pause_quanta(16'h0),
		.xoff_req(1'b0), .xon_req(1'b0), .time_en(1'b1),
		.tx_ce(r_tce), .rx_ce(r_rce),
		.tx_tvalid(r_tx_tvalid), .tx_tdata(r_tx_tdata),
		.tx_tlo(r_tx_tlo), .tx_thi(r_tx_thi),
		.tx_tlast(r_tx_tlast), .tx_tready(r_tx_tready), .tx_done(),
		.rx_tvalid(r_rx_tvalid), .rx_tdata(r_rx_tdata),
		.rx_tlast(r_rx_tlast), .rx_tuser(r_rx_tuser),
		.gmii_txd(r_txd), .gmii_tx_en(r_ten), .gmii_tx_er(r_ter),
		.gmii_rxd(r_rxd), .gmii_rx_dv(r_rdv), .gmii_rx_er(r_rer),
		.tx_paused(), .pause_due(),
		.stat_inc(), .stat_tx_octets(), .stat_rx_octets());

	fe_mac u_mmac (
		.clk(clk), .rst(rst), .tx_clk(clk), .tx_rst(), .tx_speed(),
		.rx_clk(m_rclk), .rx_rst(m_rrst),
		.rx_en(1'b1), .link_up(1'b1), .loopback(1'b0), .promisc(1'b1),
		.allmulti(1'b0), .rx_pause_en(1'b0), .speed(speed),
		.station_addr(48'h554433221102), .mc_hash(64'h0),
		.max_frame_len(16'd1518), .pause_quanta(16'h0),
		.xoff_req(1'b0), .xon_req(1'b0), .time_en(1'b1),
		.tx_ce(m_tce), .rx_ce(m_rce),
		.tx_tvalid(m_tx_tvalid), .tx_tdata(m_tx_tdata),
		.tx_tlo(m_tx_tlo), .tx_thi(m_tx_thi),
		.tx_tlast(m_tx_tlast), .tx_tready(m_tx_tready), .tx_done(),
		.rx_tvalid(m_rx_tvalid), .rx_tdata(m_rx_tdata),
		.rx_tlast(m_rx_tlast), .rx_tuser(m_rx_tuser),
		.gmii_txd(m_txd), .gmii_tx_en(m_ten), .gmii_tx_er(m_ter),
		.gmii_rxd(m_rxd), .gmii_rx_dv(m_rdv), .gmii_rx_er(m_rer),
		.tx_paused(), .pause_due(),
		.stat_inc(), .stat_tx_octets(), .stat_rx_octets());
	/* verilator lint_on PINCONNECTEMPTY */
endmodule
`default_nettype wire
