// SPDX-License-Identifier: GPL-2.0
// fe_phy_if: the PHY interface in front of fe_mac's GMII, chosen at build
// time by PHY_IF:
//   0  GMII, 1000 Mb/s only: the pins are the MAC's (tx_ce, rx_ce high);
//      GTX_CLK is clk, forwarded by the board (an ODDR of 1/0, fe_ddr_out)
//   1  RGMII, 10/100/1000 Mb/s (fe_rgmii; clk must be 125 MHz)
// clk, rst and speed are the transmit side's: fe_core's tx_clk, its reset
// and MAC_CFG.SPEED in that domain (fe_mac's tx_speed).
//   2  MII, 10/100 Mb/s (fe_mii: TX_CLK and RX_CLK from the PHY) on the
//      GMII pins' low nibble (gmii_txd[3:0], gmii_rxd[3:0], the GMII
//      enables and errors, RX_CLK on gmii_rx_clk) and mii_tx_clk
// rx_clk is the receive clock of the chosen interface (GMII RX_CLK, RGMII
// RXC, MII RX_CLK): fe_mac's receiver and the RX FIFO's write side.
// A PHY interface's unused pins read 0 / are left open.
`default_nettype none
module fe_phy_if #(
	parameter PHY_IF    = 0,
	parameter TXC_CLK90 = 0
) (
	/* verilator lint_off UNUSEDSIGNAL */   // each interface uses some
	input  wire       clk,
	input  wire       clk90,
	/* verilator lint_off SYNCASYNCNET */
	input  wire       rst,
	input  wire       rx_rst,
	/* verilator lint_on SYNCASYNCNET */
	input  wire [1:0] speed,
	// the MAC's GMII
	input  wire [7:0] mac_txd,
	input  wire       mac_tx_en,
	input  wire       mac_tx_er,
	output wire       tx_ce,
	output wire       rx_clk,
	output wire [7:0] mac_rxd,
	output wire       mac_rx_dv,
	output wire       mac_rx_er,
	output wire       rx_ce,
	// GMII pins (MII on their low nibble)
	output wire [7:0] gmii_txd,
	output wire       gmii_tx_en,
	output wire       gmii_tx_er,
	input  wire       gmii_rx_clk,
	input  wire [7:0] gmii_rxd,
	input  wire       gmii_rx_dv,
	input  wire       gmii_rx_er,
	input  wire       mii_tx_clk,
	// RGMII pins
	output wire       rgmii_txc,
	output wire [3:0] rgmii_txd,
	output wire       rgmii_tx_ctl,
	input  wire       rgmii_rxc,
	input  wire [3:0] rgmii_rxd,
	input  wire       rgmii_rx_ctl
	/* verilator lint_on UNUSEDSIGNAL */
);
	generate
	if (PHY_IF == 1) begin : g_rgmii
		/* verilator lint_off PINCONNECTEMPTY */
		fe_rgmii #(.TXC_CLK90(TXC_CLK90)) u (
			.clk(clk), .clk90(clk90), .rst(rst), .speed(speed),
			.gmii_txd(mac_txd), .gmii_tx_en(mac_tx_en),
			.gmii_tx_er(mac_tx_er), .tx_ce(tx_ce),
			.rx_clk(rx_clk), .rx_rst(rx_rst), .gmii_rxd(mac_rxd),
			.gmii_rx_dv(mac_rx_dv), .gmii_rx_er(mac_rx_er),
			.rx_ce(rx_ce), .ib_link(), .ib_speed(), .ib_duplex(),
			.rgmii_txc(rgmii_txc), .rgmii_txd(rgmii_txd),
			.rgmii_tx_ctl(rgmii_tx_ctl), .rgmii_rxc(rgmii_rxc),
			.rgmii_rxd(rgmii_rxd), .rgmii_rx_ctl(rgmii_rx_ctl));
		/* verilator lint_on PINCONNECTEMPTY */
		assign gmii_txd = 8'h00;
		assign gmii_tx_en = 1'b0;
		assign gmii_tx_er = 1'b0;
	end else if (PHY_IF == 2) begin : g_mii
		wire [3:0] txd;
		fe_mii u (
			.clk(clk), .rst(rst),
			.gmii_txd(mac_txd), .gmii_tx_en(mac_tx_en),
			.gmii_tx_er(mac_tx_er), .tx_ce(tx_ce),
			.rx_clk(rx_clk), .rx_rst(rx_rst), .gmii_rxd(mac_rxd),
			.gmii_rx_dv(mac_rx_dv), .gmii_rx_er(mac_rx_er),
			.rx_ce(rx_ce),
			.mii_tx_clk(mii_tx_clk), .mii_txd(txd),
			.mii_tx_en(gmii_tx_en), .mii_tx_er(gmii_tx_er),
			.mii_rx_clk(gmii_rx_clk), .mii_rxd(gmii_rxd[3:0]),
			.mii_rx_dv(gmii_rx_dv), .mii_rx_er(gmii_rx_er));
		assign gmii_txd = {4'h0, txd};
		assign rgmii_txc = 1'b0;
		assign rgmii_txd = 4'h0;
		assign rgmii_tx_ctl = 1'b0;
	end else begin : g_gmii
		assign tx_ce = 1'b1;
		assign rx_ce = 1'b1;
		assign rx_clk = gmii_rx_clk;
		assign gmii_txd = mac_txd;
		assign gmii_tx_en = mac_tx_en;
		assign gmii_tx_er = mac_tx_er;
		assign mac_rxd = gmii_rxd;
		assign mac_rx_dv = gmii_rx_dv;
		assign mac_rx_er = gmii_rx_er;
		assign rgmii_txc = 1'b0;
		assign rgmii_txd = 4'h0;
		assign rgmii_tx_ctl = 1'b0;
	end
	endgenerate
endmodule
`default_nettype wire
