// SPDX-License-Identifier: GPL-2.0
// fe_rgmii: the PHY side of the MAC on RGMII (4 bits, double data rate):
// 1000 Mb/s with TXC/RXC at 125 MHz, 100 and 10 Mb/s at 25 and 2.5 MHz.
// The MAC side is fe_mac's GMII with byte enables (tx_ce, rx_ce); the
// speed is MAC_CFG.SPEED (software sets it from the resolved link).
//
// TX, on clk (which must be 125 MHz: TXC is made from it):
//   1000: TXD carries a byte's bits 3:0 while TXC is high, 7:4 while it is
//         low; TX_CTL is TX_EN, then TX_EN xor TX_ER; a byte every clock.
//   10/100: a nibble per TXC period (5 or 50 clocks), the low nibble first,
//         on both edges, TX_CTL as above; TXC rises a quarter into the
//         nibble's time and falls three quarters in (to the half clock:
//         8 and 28 of 40 ns at 100 Mb/s), so both edges sample inside it
//         with the PHY's or clk90's delay; a byte every 10 or 100 clocks
//         (tx_ce).
//   TXC leaves on the same edge as the data (edge aligned).  The PHY must
//   delay it (phy-mode "rgmii-id" or "rgmii-txid"), or, with TXC_CLK90 = 1,
//   TXC's output register runs on clk90, clk shifted by 90 degrees (2 ns)
//   from an MMCM/PLL, and the PHY must not add its delay ("rgmii" or
//   "rgmii-rxid").  rtl/BOARDS.md has the table.
// RX, on RXC (out as rx_clk, the MAC's receive clock):
//   1000: RXD bits 3:0 at RXC's rising edge, 7:4 at the falling edge;
//         RX_CTL is RX_DV at the rising edge, RX_DV xor RX_ER at the
//         falling edge; a byte every clock (rx_ce high).
//   10/100: a nibble each RXC clock (the rising edge's), two to a byte
//         (fe_nib_rx: rx_ce one clock in two, aligned on the SFD).
//   RXC is edge aligned from a PHY without its RX delay: then the board
//   delays it (IDELAY, phy-mode "rgmii" or "rgmii-txid"); center aligned
//   with "rgmii-id" or "rgmii-rxid".
//   In-band status (RGMII 2.0, optional in the PHY): with RX_DV and RX_ER
//   low, RXD carries [0] link, [2:1] speed (0 10, 1 100, 2 1000) and [3]
//   full duplex; ib_* hold the last seen (rx_clk's domain).  fe_core does
//   not use them: the speed comes from MAC_CFG.
//
// Whether it is 1000 reaches rx_clk's domain through a fe_cdc_bus; a speed change
// mid-frame garbles that frame (software changes it with the link down).
`default_nettype none
module fe_rgmii #(
	parameter TXC_CLK90 = 0
) (
	input  wire       clk,
	/* verilator lint_off UNUSEDSIGNAL */   // with TXC_CLK90 = 0
	input  wire       clk90,
	/* verilator lint_on UNUSEDSIGNAL */
	/* verilator lint_off SYNCASYNCNET */
	input  wire       rst,
	/* verilator lint_on SYNCASYNCNET */
	input  wire [1:0] speed,          // MAC_CFG.SPEED (3 acts as 2)
	// the MAC's GMII, TX on clk
	input  wire [7:0] gmii_txd,
	input  wire       gmii_tx_en,
	input  wire       gmii_tx_er,
	output wire       tx_ce,
	// the MAC's GMII, RX on rx_clk (= RXC)
	output wire       rx_clk,
	/* verilator lint_off SYNCASYNCNET */
	input  wire       rx_rst,
	/* verilator lint_on SYNCASYNCNET */
	output reg  [7:0] gmii_rxd,
	output reg        gmii_rx_dv,
	output reg        gmii_rx_er,
	output reg        rx_ce,
	output reg        ib_link,
	output reg  [1:0] ib_speed,
	output reg        ib_duplex,
	// RGMII
	output wire       rgmii_txc,
	output wire [3:0] rgmii_txd,
	output wire       rgmii_tx_ctl,
	input  wire       rgmii_rxc,
	input  wire [3:0] rgmii_rxd,
	input  wire       rgmii_rx_ctl
);
	// ------------------------------------------------------------ TX
	wire       gig = speed[1];
	wire [6:0] w = speed == 2'd0 ? 7'd50 : 7'd5;   // clocks per nibble
	reg  [6:0] cnt;                                 // clocks into the byte
	wire       byte_end = cnt >= {w[5:0], 1'b0} - 7'd1;
	assign tx_ce = gig || byte_end;
	always @(posedge clk)
		if (rst || gig || byte_end)
			cnt <= 7'd0;
		else
			cnt <= cnt + 7'd1;

	wire       hi = cnt >= w;
	wire [6:0] p = hi ? cnt - w : cnt;              // clocks into the nibble
	// TXC high for the half clocks h (2p, 2p + 1) in [w / 2, w / 2 + w)
	wire [7:0] h0 = {p, 1'b0}, h1 = {p, 1'b1};
	wire [7:0] c_lo = {2'b0, w[6:1]}, c_hi = {2'b0, w[6:1]} + {1'b0, w};
	wire [3:0] nib = hi ? gmii_txd[7:4] : gmii_txd[3:0];
	// the output cells' inputs, registered (data and TXC alike)
	reg  [3:0] d_r, d_f;
	reg        ctl_r, ctl_f, c_r, c_f;
	always @(posedge clk) begin
		d_r <= gig ? gmii_txd[3:0] : nib;
		d_f <= gig ? gmii_txd[7:4] : nib;
		ctl_r <= gmii_tx_en;
		ctl_f <= gmii_tx_en ^ gmii_tx_er;
		c_r <= gig || (h0 >= c_lo && h0 < c_hi);
		c_f <= !gig && h1 >= c_lo && h1 < c_hi;
	end
	fe_ddr_out #(.W(5)) u_txd (.clk(clk), .d_rise({ctl_r, d_r}),
		.d_fall({ctl_f, d_f}), .q({rgmii_tx_ctl, rgmii_txd}));
	fe_ddr_out #(.W(1)) u_txc (.clk(TXC_CLK90 != 0 ? clk90 : clk),
		.d_rise(c_r), .d_fall(c_f), .q(rgmii_txc));

	// ------------------------------------------------------------ RX
	assign rx_clk = rgmii_rxc;
	wire [3:0] lo, hi_n;
	wire       ctl_rise, ctl_fall;
	fe_ddr_in #(.W(5)) u_rxd (.clk(rgmii_rxc), .d({rgmii_rx_ctl, rgmii_rxd}),
		.q_rise({ctl_rise, lo}), .q_fall({ctl_fall, hi_n}));
	wire       dv = ctl_rise, er = ctl_rise ^ ctl_fall;

	wire       r_gig;   // 1000 Mb/s, in rx_clk's domain
	fe_cdc_bus #(.W(1), .INIT(1'b1)) u_speed (
		.s_clk(clk), .s_rst(rst), .s_data(gig),
		.d_clk(rx_clk), .d_rst(rx_rst), .d_data(r_gig));

	wire [7:0] n_rxd;
	wire       n_dv, n_er, n_ce;
	fe_nib_rx u_nib (.clk(rx_clk), .rst(rx_rst), .nib(lo), .dv(dv), .er(er),
		.rxd(n_rxd), .rx_dv(n_dv), .rx_er(n_er), .ce(n_ce));

	always @(posedge rx_clk) begin
		if (r_gig) begin
			gmii_rxd <= {hi_n, lo};
			gmii_rx_dv <= dv;
			gmii_rx_er <= er;
			rx_ce <= 1'b1;
		end else begin
			gmii_rxd <= n_rxd;
			gmii_rx_dv <= n_dv;
			gmii_rx_er <= n_er;
			rx_ce <= n_ce;
		end
		if (!ctl_rise && !ctl_fall) begin
			ib_link <= lo[0];
			ib_speed <= lo[2:1];
			ib_duplex <= lo[3];
		end
		if (rx_rst) begin
			gmii_rx_dv <= 1'b0;
			gmii_rx_er <= 1'b0;
			rx_ce <= 1'b0;
		end
	end
endmodule
`default_nettype wire
