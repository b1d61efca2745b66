// SPDX-License-Identifier: GPL-2.0
// fe_mii: the PHY side of the MAC on MII (10 and 100 Mb/s, 4 bits, single
// data rate): TX_CLK and RX_CLK come from the PHY (2.5 or 25 MHz), one
// nibble a clock, a byte's low nibble first.  The MAC side is fe_mac's
// GMII with byte enables.  The speed is the PHY's clocks: MAC_CFG.SPEED
// does not matter here (it sets the pause quantum in fe_mac).
//
// TX, on clk (the core clock, at least four times TX_CLK: 100 MHz for
// 25 MHz): TX_CLK goes through two flip-flops; at each of its rising edges
// seen there the next nibble is registered onto TXD/TX_EN/TX_ER, and after
// a byte's high nibble tx_ce lets the MAC move to its next byte.  TXD thus
// changes 2 to 3 core clocks (16 to 24 ns at 125 MHz) after TX_CLK rises
// and holds for a TX_CLK period: the PHY samples it on the next rising
// edge (40 ns at 100 Mb/s), with 16 ns and more of set-up, less the pads'
// delays (802.3 22.3.1 asks TXD within 0 to 25 ns of TX_CLK's rise: at
// 125 MHz that holds when the output path is under 1 ns longer than the
// clock's input path; a core clock of 156.25 MHz leaves 5 ns).
// RX, on RX_CLK (out as rx_clk): RXD/RX_DV/RX_ER registered on its rising
// edge, then fe_nib_rx (two nibbles a byte, rx_ce one clock in two).
`default_nettype none
module fe_mii (
	input  wire       clk,
	input  wire       rst,
	// the MAC's GMII, TX on clk
	input  wire [7:0] gmii_txd,
	input  wire       gmii_tx_en,
	input  wire       gmii_tx_er,
	output wire       tx_ce,
	// the MAC's GMII, RX on rx_clk (= RX_CLK)
	output wire       rx_clk,
	input  wire       rx_rst,
	output wire [7:0] gmii_rxd,
	output wire       gmii_rx_dv,
	output wire       gmii_rx_er,
	output wire       rx_ce,
	// MII
	input  wire       mii_tx_clk,
	output reg  [3:0] mii_txd,
	output reg        mii_tx_en,
	output reg        mii_tx_er,
	input  wire       mii_rx_clk,
	input  wire [3:0] mii_rxd,
	input  wire       mii_rx_dv,
	input  wire       mii_rx_er
);
	// ------------------------------------------------------------ TX
	reg  [2:0] tcs;        // TX_CLK: synchroniser (tcs[1:0]) and last level
	reg        hi;         // the next nibble is the byte's high one
	wire       tick = tcs[1] && !tcs[2];
	assign tx_ce = tick && hi;
	always @(posedge clk) begin
		tcs <= {tcs[1:0], mii_tx_clk};
		if (tick) begin
			mii_txd <= hi ? gmii_txd[7:4] : gmii_txd[3:0];
			mii_tx_en <= gmii_tx_en;
			mii_tx_er <= gmii_tx_er;
			hi <= !hi;
		end
		if (rst) begin
			hi <= 1'b0;
			mii_tx_en <= 1'b0;
			mii_tx_er <= 1'b0;
		end
	end

	// ------------------------------------------------------------ RX
	assign rx_clk = mii_rx_clk;
	reg  [3:0] rxd_i;
	reg        dv_i, er_i;
	always @(posedge rx_clk) begin
		rxd_i <= mii_rxd;
		dv_i <= mii_rx_dv;
		er_i <= mii_rx_er;
	end
	fe_nib_rx u_nib (.clk(rx_clk), .rst(rx_rst), .nib(rxd_i), .dv(dv_i),
		.er(er_i), .rxd(gmii_rxd), .rx_dv(gmii_rx_dv), .rx_er(gmii_rx_er),
		.ce(rx_ce));
endmodule
`default_nettype wire
