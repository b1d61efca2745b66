// SPDX-License-Identifier: GPL-2.0
// fe_mac_synth: fe_mac with a register on every input and output, for a
// block-level timing figure (rtl/synth/run fe_mac_synth ecp5-pnr): the
// paths measured start and end at flip-flops, not at pins nextpnr placed
// anywhere.  Three clocks, like fe_mac: clk (the rows to send in, their
// tx_done out), tx_clk (GMII TX registered on it) and rx_clk (GMII RX and
// the received stream registered on it).  Not part of the IP.
`default_nettype none
`include "fe_defs.vh"
module fe_mac_synth (
	input  wire        clk,
	input  wire        rst,
	input  wire        rx_clk,
	input  wire        tx_clk,
	input  wire [7:0]  cfg,       // rx_en link loopback promisc allmulti rx_pause_en speed[1:0]
	input  wire [7:0]  cfg_byte,  // shifted into the wide settings
	input  wire        cfg_shift,
	input  wire        xoff_req,
	input  wire        xon_req,
	input  wire        tx_tvalid,
	input  wire [31:0] tx_tdata,
	input  wire [1:0]  tx_tlo,
	input  wire [1:0]  tx_thi,
	input  wire        tx_tlast,
	output reg         tx_tready,
	output reg         tx_done,
	output reg         rx_tvalid,
	output reg  [7:0]  rx_tdata,
	output reg         rx_tlast,
	output reg         rx_tuser,
	output reg  [7:0]  gmii_txd,
	output reg         gmii_tx_en,
	output reg         gmii_tx_er,
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	output reg         tx_paused,
	output reg  [7:0]  stat_xor     // the statistics outputs, folded
);
	// station address, multicast hash, MAX_FRAME_LEN, PAUSE_QUANTA: a
	// 160-bit shift register stands in for the register file
	reg  [159:0] wide;
	reg  [7:0]   cfg_q, rxd_q;
	/* verilator lint_off SYNCASYNCNET */
	reg          rst_q, xoff_q, xon_q, tv_q, tl_q, dv_q, er_q;
	/* verilator lint_on SYNCASYNCNET */
	reg  [31:0]  td_q;
	reg  [3:0]   tlh_q;
	always @(posedge clk) begin
		if (cfg_shift)
			wide <= {wide[151:0], cfg_byte};
		cfg_q <= cfg;
		rst_q <= rst;
		xoff_q <= xoff_req;
		xon_q <= xon_req;
		tv_q <= tx_tvalid;
		td_q <= tx_tdata;
		tlh_q <= {tx_thi, tx_tlo};
		tl_q <= tx_tlast;
	end
	always @(posedge rx_clk) begin
		rxd_q <= gmii_rxd;
		dv_q <= gmii_rx_dv;
		er_q <= gmii_rx_er;
	end

	wire        w_tready, w_rtv, w_rtl, w_rtu, w_ten, w_ter, w_paused, w_done;
	/* verilator lint_off SYNCASYNCNET */
	wire        w_rx_rst;
	/* verilator lint_on SYNCASYNCNET */
	/* verilator lint_off UNUSEDSIGNAL */   // (for a PHY interface)
	wire        w_tx_rst;
	wire [1:0]  w_tx_speed;
	/* verilator lint_on UNUSEDSIGNAL */
	wire [7:0]  w_rtd, w_txd;
	wire [`ST_NUM - 1:0] w_inc;
	wire [15:0] w_to, w_ro;
	wire [31:0] w_pdue;

	fe_mac u_mac (
		.clk(clk), .rst(rst_q), .rx_clk(rx_clk), .rx_rst(w_rx_rst),
		.tx_clk(tx_clk), .tx_rst(w_tx_rst), .tx_speed(w_tx_speed),
		.rx_en(cfg_q[0]), .link_up(cfg_q[1]), .loopback(cfg_q[2]),
		.promisc(cfg_q[3]), .allmulti(cfg_q[4]), .rx_pause_en(cfg_q[5]),
		.speed(cfg_q[7:6]), .station_addr(wide[47:0]), .mc_hash(wide[111:48]),
		.max_frame_len(wide[127:112]), .pause_quanta(wide[143:128]),
		.xoff_req(xoff_q), .xon_req(xon_q), .time_en(1'b1),
		.tx_ce(1'b1), .rx_ce(1'b1),
		.tx_tvalid(tv_q), .tx_tdata(td_q), .tx_tlo(tlh_q[1:0]), .tx_thi(tlh_q[3:2]),
		.tx_tlast(tl_q), .tx_tready(w_tready), .tx_done(w_done),
		.rx_tvalid(w_rtv), .rx_tdata(w_rtd), .rx_tlast(w_rtl), .rx_tuser(w_rtu),
		.gmii_txd(w_txd), .gmii_tx_en(w_ten), .gmii_tx_er(w_ter),
		.gmii_rxd(rxd_q), .gmii_rx_dv(dv_q), .gmii_rx_er(er_q),
		.tx_paused(w_paused), .pause_due(w_pdue),
		.stat_inc(w_inc), .stat_tx_octets(w_to), .stat_rx_octets(w_ro));

	always @(posedge rx_clk) begin
		rx_tvalid <= w_rtv && !w_rx_rst;
		rx_tdata <= w_rtd;
		rx_tlast <= w_rtl;
		rx_tuser <= w_rtu;
	end
	always @(posedge tx_clk) begin
		gmii_txd <= w_txd;
		gmii_tx_en <= w_ten;
		gmii_tx_er <= w_ter;
	end
	always @(posedge clk) begin
		tx_tready <= w_tready;
		tx_done <= w_done;
		tx_paused <= w_paused;
		stat_xor <= w_inc[7:0] ^ w_inc[15:8] ^ w_inc[23:16] ^ w_inc[31:24] ^
			    w_inc[39:32] ^ {4'h0, w_inc[43:40]} ^ w_to[7:0] ^ w_to[15:8] ^
			    w_ro[7:0] ^ w_ro[15:8];
	end

	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = &{1'b0, wide[159:144], w_pdue};   // (co-simulation's)
	/* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
