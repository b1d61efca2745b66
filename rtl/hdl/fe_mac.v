// SPDX-License-Identifier: GPL-2.0
// fe_mac: the MAC: fe_mac_tx and fe_mac_rx on one 8-bit GMII (1 Gb/s),
// internal loopback and the pause timer.  tx_ce and rx_ce are byte
// enables (tie them high for GMII at 1 Gb/s): the PHY adapters for RGMII
// and MII (fe_phy_if) raise them once a byte time at 10/100 Mb/s.
// Three clock domains: clk (the core clock: the frame to send, as rows,
// the pause timer, the settings, the statistics outputs, tx_done), tx_clk
// (GMII GTX_CLK / RGMII TXC, 125 MHz at 1 Gb/s, or the MII adapter's
// clock: the transmitter, the GMII TX outputs, the loopback FIFO's write
// side) and rx_clk (GMII RX_CLK: the receiver and its rx_* frame stream,
// which the receive FIFO takes in the same domain).  The frame to send
// comes as rows of up to 4 bytes a clk, so clk may be half the line's
// byte rate (62.5 MHz for 1 Gb/s).
//
// Crossings (every one through synchronisers; rtl/README.md, "Clock
// domains"):
//   - rst into tx_clk's and rx_clk's domains: fe_rst_sync each (asserted
//     at once, released on that clock), out as tx_rst and rx_rst for the
//     PHY interface (the RX engine has one of its own from its own copy
//     of rst, fe_core);
//   - the frame to send: fe_tx_line, its rows through an fe_async_fifo
//     (16 rows) into tx_clk's domain, there a byte a byte time into the
//     transmitter;
//   - the transmitter's settings (station address, PAUSE_QUANTA, LOOPBACK,
//     SPEED, the pause hold tx_paused from the pause timer, two 3-bit
//     counts of the xoff_req and xon_req pulses and which came last): one
//     fe_cdc_bus, reset to the registers' reset values (INIT).  A request
//     is a change of its count, which the tx side turns into a pulse into
//     fe_mac_tx: a pulse would be lost between two samples of the
//     handshake, a count is not (requests of one kind closer than the
//     handshake, some ten clocks, send one pause frame, as two requests
//     before the frame went always did); an XON and an XOFF in one sample
//     go to fe_mac_tx in their order (the kind that came last, last);
//   - each sent frame's end (its FCS out, cut by an underrun, or a pause
//     frame sent): one record per frame, the transmitter's statistics
//     increments, its octet count and whether it was a data frame, through
//     a small fe_async_fifo (8 records) into clk's domain, where they come
//     out as stat_inc / stat_tx_octets pulses and tx_done.  A frame is 20
//     tx_clk cycles at the least (a cut one: preamble, a byte, the IFG),
//     and clk takes a record each cycle, so with clk faster than
//     tx_clk / 20 it never fills;
//   - the receiver's settings (station address, multicast hash,
//     MAX_FRAME_LEN, PROMISC, ALLMULTI, RX_PAUSE_EN, RX_EN with the link,
//     LOOPBACK): one fe_cdc_bus handshake, so the receiver always sees one
//     consistent set, a few clocks late;
//   - each received frame's statistics increments, its octet count and a
//     pause frame's quanta: one record per frame through a small
//     fe_async_fifo (8 records) into clk's domain, where they come out as
//     stat_inc / stat_rx_octets pulses and the pause timer's load.  The
//     receiver makes at most one record each 4 rx_clk cycles and clk
//     takes one each cycle, so with clk faster than rx_clk / 4 it never
//     fills (were it full, the record would be lost);
//   - loopback: the transmitter's GMII output goes through a 64-entry
//     fe_async_fifo from tx_clk's domain into rx_clk's, and the receiver
//     runs a byte time (ce) for each entry.  With rx_clk as fast as tx_clk
//     or faster nothing is lost; with rx_clk slower a frame longer than
//     about 64 / (1 - f_rx / f_tx) bytes overflows it, and the bytes lost
//     mark the rest of the frame with rx_er (counted as an FCS error).  In
//     loopback the receiver still needs rx_clk running.
// Resets are synchronous, except in the flip-flops that the other domain
// samples (fe_async_fifo, fe_cdc_bus, fe_cdc_pulse, fe_rst_sync): those
// reset asynchronously, so a reset clears them while tx_clk or rx_clk is
// stopped (hence the SYNCASYNCNET waivers on rst, tx_rst and rx_rst).
//
// Loopback (CTRL.LOOPBACK): the transmitter's GMII output feeds the
// receiver instead of the line, and nothing goes to the line.  Receive is
// enabled while rx_en and (link_up or loopback); in loopback frames from the
// line are ignored.
//
// Pause: a received pause frame (with rx_pause_en) holds the transmitter's
// data frames, between frames, for quanta x 512 bit times at the speed in
// MAC_CFG (a new pause frame replaces the remaining time, quanta 0 ends the
// hold); the timer runs on clk, CLK_MHZ MHz, so a quantum is
// 512 bit times * CLK_MHZ cycles per microsecond / speed in Mb/s, counting
// the clocks with time_en high (a board ties it high; co-simulation raises
// it on clocks of virtual time only).  pause_due: time_en clocks until the
// hold ends (all ones without one).
`default_nettype none
`include "fe_defs.vh"
module fe_mac #(
	parameter CLK_MHZ = 125
) (
	input  wire        clk,
	/* verilator lint_off SYNCASYNCNET */
	input  wire        rst,
	/* verilator lint_on SYNCASYNCNET */
	input  wire        tx_clk,         // GMII GTX_CLK, RGMII TXC (125 MHz)
	/* verilator lint_off SYNCASYNCNET */
	output wire        tx_rst,         // rst in tx_clk's domain
	/* verilator lint_on SYNCASYNCNET */
	output wire [1:0]  tx_speed,       // MAC_CFG.SPEED in tx_clk's domain
	input  wire        rx_clk,         // GMII RX_CLK
	/* verilator lint_off SYNCASYNCNET */
	output wire        rx_rst,         // rst in rx_clk's domain
	/* verilator lint_on SYNCASYNCNET */
	// configuration (from the register file)
	input  wire        rx_en,
	input  wire        link_up,
	input  wire        loopback,
	input  wire        promisc,
	input  wire        allmulti,
	input  wire        rx_pause_en,
	input  wire [1:0]  speed,          // MAC_CFG.SPEED
	input  wire [47:0] station_addr,
	input  wire [63:0] mc_hash,
	input  wire [15:0] max_frame_len,
	input  wire [15:0] pause_quanta,
	input  wire        xoff_req,
	input  wire        xon_req,
	input  wire        time_en,        // time passes on this clock
	input  wire        tx_ce,          // a TX byte time (tx_clk's domain)
	input  wire        rx_ce,          // gmii_rx* hold a byte (rx_clk's)
	// frames to send, as rows (clk's domain): lanes tx_tlo..tx_thi of
	// tx_tdata (lane i at [8i +: 8]), in frame order; tx_tlast: the frame's
	// last byte is at lane tx_thi
	input  wire        tx_tvalid,
	input  wire [31:0] tx_tdata,
	input  wire [1:0]  tx_tlo,
	input  wire [1:0]  tx_thi,
	input  wire        tx_tlast,
	output wire        tx_tready,
	output wire        tx_done,        // a frame of tx_t* has left the line
	// frames received (m_tuser at m_tlast: drop), in rx_clk's domain
	output wire        rx_tvalid,
	output wire [7:0]  rx_tdata,
	output wire        rx_tlast,
	output wire        rx_tuser,
	// GMII
	output wire [7:0]  gmii_txd,       // on tx_clk
	output wire        gmii_tx_en,
	output wire        gmii_tx_er,
	input  wire [7:0]  gmii_rxd,       // on rx_clk
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	// status
	output wire        tx_paused,
	output wire [31:0] pause_due,
	// statistics (clk's domain)
	output wire [`ST_NUM - 1:0] stat_inc,
	output wire [15:0] stat_tx_octets,
	output wire [15:0] stat_rx_octets
);
	wire [7:0] txd;
	wire       tx_en, tx_er;
	/* verilator lint_off UNUSEDSIGNAL */   // (their other bits are 0)
	wire [`ST_NUM - 1:0] tx_inc;
	wire [`ST_NUM - 1:0] rx_inc;
	/* verilator lint_on UNUSEDSIGNAL */
	wire       pause_valid;
	wire [15:0] pause_q;

	// ------------------------------------------------- tx_clk's domain
	fe_rst_sync u_tx_rst (.clk(tx_clk), .arst(rst), .rst(tx_rst));

	// xoff_req and xon_req pulses counted, for the settings' crossing,
	// and which kind came last (both on one clock: XOFF, then XON)
	reg  [2:0]  xoff_n, xon_n;
	reg         last_xoff;
	always @(posedge clk)
		if (rst) begin
			xoff_n <= 3'd0;
			xon_n <= 3'd0;
			last_xoff <= 1'b0;
		end else begin
			if (xoff_req)
				xoff_n <= xoff_n + 3'd1;
			if (xon_req)
				xon_n <= xon_n + 3'd1;
			if (xoff_req || xon_req)
				last_xoff <= !xon_req;
		end

	// the transmitter's settings, one consistent set; reset to the
	// registers' reset values (SPEED 1000, PAUSE_QUANTA 0xffff)
	localparam TW = 1 + 3 + 3 + 1 + 2 + 1 + 16 + 48;
	localparam [TW - 1:0] T_INIT = {1'b0, 3'd0, 3'd0, 1'b0, 2'd2, 1'b0,
					16'hffff, 48'h0};
	wire [TW - 1:0] cfg_t;
	fe_cdc_bus #(.W(TW), .INIT(T_INIT)) u_tcfg (
		.s_clk(clk), .s_rst(rst),
		.s_data({last_xoff, xon_n, xoff_n, tx_paused, speed, loopback,
			 pause_quanta, station_addr}),
		.d_clk(tx_clk), .d_rst(tx_rst), .d_data(cfg_t));
	wire        t_last_xoff = cfg_t[TW - 1];
	wire [2:0]  t_xon_n = cfg_t[TW - 2 -: 3];
	wire [2:0]  t_xoff_n = cfg_t[TW - 5 -: 3];
	wire        t_paused = cfg_t[TW - 8];
	assign      tx_speed = cfg_t[TW - 9 -: 2];
	wire        t_loopback = cfg_t[64];
	wire [15:0] t_quanta = cfg_t[63:48];
	wire [47:0] t_station = cfg_t[47:0];

	// a request: its count changed (a flip-flop pulse into fe_mac_tx,
	// which sends in the order the pulses come, XOFF first when both
	// come at once).  Both counts changed in one sample: an XOFF that came
	// last (an XON write, then an XOFF write, within a handshake) goes a
	// clock after the XON (t_xoff_late), so the peer ends paused
	reg  [2:0]  xoff_seen, xon_seen;
	reg         t_xoff, t_xon, t_xoff_late;
	wire        xoff_chg = t_xoff_n != xoff_seen;
	wire        xon_chg = t_xon_n != xon_seen;
	always @(posedge tx_clk) begin
		xoff_seen <= t_xoff_n;
		xon_seen <= t_xon_n;
		t_xon <= xon_chg;
		t_xoff <= (xoff_chg && !(xon_chg && t_last_xoff)) || t_xoff_late;
		t_xoff_late <= xoff_chg && xon_chg && t_last_xoff;
		if (tx_rst) begin
			xoff_seen <= 3'd0;
			xon_seen <= 3'd0;
			t_xoff <= 1'b0;
			t_xon <= 1'b0;
			t_xoff_late <= 1'b0;
		end
	end

	// the rows into tx_clk's domain, and a byte a byte time out of them
	wire        b_tvalid, b_tlast, b_tready, underrun;
	wire [7:0]  b_tdata;
	fe_tx_line u_line (
		.clk(clk), .rst(rst),
		.s_tvalid(tx_tvalid), .s_tdata(tx_tdata), .s_tlo(tx_tlo),
		.s_thi(tx_thi), .s_tlast(tx_tlast), .s_tready(tx_tready),
		.tx_clk(tx_clk), .tx_rst(tx_rst),
		.m_tvalid(b_tvalid), .m_tdata(b_tdata), .m_tlast(b_tlast),
		.m_tready(b_tready), .underrun(underrun));

	wire [15:0] tx_octets_t;
	wire        tx_stat_valid, tx_stat_pause;
	fe_mac_tx u_tx (
		.clk(tx_clk), .rst(tx_rst), .ce(tx_ce),
		.s_tvalid(b_tvalid), .s_tdata(b_tdata), .s_tlast(b_tlast),
		.s_tready(b_tready),
		.station_addr(t_station), .pause_quanta(t_quanta),
		.xoff_req(t_xoff), .xon_req(t_xon), .pause_hold(t_paused),
		.gmii_txd(txd), .gmii_tx_en(tx_en), .gmii_tx_er(tx_er),
		.stat_inc(tx_inc), .stat_octets(tx_octets_t),
		.stat_valid(tx_stat_valid), .stat_pause(tx_stat_pause),
		.underrun(underrun));

	assign gmii_txd = t_loopback ? 8'h00 : txd;
	assign gmii_tx_en = t_loopback ? 1'b0 : tx_en;
	assign gmii_tx_er = t_loopback ? 1'b0 : tx_er;

	// one record per frame's end into clk's domain: the transmitter's
	// counters (ST_TX_FRAMES_OK to ST_TX_DISCARDS, ST_TX_HIST0 + 8), the
	// octets, and done (a frame of tx_t*, not a pause frame of the MAC's
	// own); pushed by the transmitter's flip-flop stat_valid
	localparam TN = `ST_TX_DISCARDS + 1;
	wire [TN - 1:0] trec_inc;
	wire [8:0]      trec_hist;
	wire [15:0]     trec_octets;
	wire            trec_valid, trec_done;
	/* verilator lint_off PINCONNECTEMPTY */
	fe_async_fifo #(.DW(TN + 9 + 17), .AW(3)) u_trec (
		.wclk(tx_clk), .wrst(tx_rst),
		.w_valid(tx_stat_valid),
		.w_data({tx_inc[`ST_TX_HIST0 +: 9], tx_inc[TN - 1:0], tx_octets_t,
			 !tx_stat_pause}),
		.w_ready(),
		.rclk(clk), .rrst(rst), .r_valid(trec_valid),
		.r_data({trec_hist, trec_inc, trec_octets, trec_done}),
		.r_ready(1'b1));
	/* verilator lint_on PINCONNECTEMPTY */

	// ------------------------------------------------- rx_clk's domain
	fe_rst_sync u_rx_rst (.clk(rx_clk), .arst(rst), .rst(rx_rst));

	// the receiver's settings, one consistent set
	localparam CW = 48 + 64 + 16 + 5;
	wire [CW - 1:0] cfg_r;
	fe_cdc_bus #(.W(CW)) u_cfg (
		.s_clk(clk), .s_rst(rst),
		.s_data({loopback, rx_en && (link_up || loopback), rx_pause_en,
			 allmulti, promisc, max_frame_len, mc_hash, station_addr}),
		.d_clk(rx_clk), .d_rst(rx_rst), .d_data(cfg_r));
	wire        r_loopback = cfg_r[CW - 1];
	wire        r_enable = cfg_r[CW - 2];
	wire        r_pause_en = cfg_r[CW - 3];
	wire        r_allmulti = cfg_r[CW - 4];
	wire        r_promisc = cfg_r[CW - 5];
	wire [15:0] r_mfl = cfg_r[127:112];
	wire [63:0] r_mc_hash = cfg_r[111:48];
	wire [47:0] r_station = cfg_r[47:0];

	// loopback: the transmitter's bytes ({end, er, byte}; two end entries
	// after a frame, the receiver's idle cycles) from tx_clk's domain into
	// rx_clk's.  They are taken a tx_clk after the transmitter's output
	// registers, from copies by the FIFO (lb_txd, lb_tx_en, lb_tx_er with
	// tx_ce as lb_ce), so that those registers drive the GMII pins and
	// one register each here (timing, session 24: tx_en to the GMII pins
	// and to the push decision, 4.2 ns of one net, was the whole IP's
	// tx_clk path on seed 2)
	reg         lb_en, lb_lost;
	reg  [1:0]  lb_idle;
	reg  [7:0]  lb_txd;
	reg         lb_tx_en, lb_tx_er, lb_ce;
	wire        lb_wready, lb_rvalid;
	wire [9:0]  lb_rdata;
	wire        lb_push = lb_en && lb_ce && (lb_tx_en || lb_idle != 2'd2);
	always @(posedge tx_clk) begin
		lb_en <= t_loopback;
		lb_txd <= txd;
		lb_tx_en <= tx_en && !tx_rst;
		lb_tx_er <= tx_er;
		lb_ce <= tx_ce;
		if (tx_rst) begin
			lb_idle <= 2'd2;
			lb_lost <= 1'b0;
		end else if (lb_en && lb_ce) begin
			if (lb_tx_en)
				lb_idle <= 2'd0;
			else if (lb_idle != 2'd2 && lb_wready)
				lb_idle <= lb_idle + 2'd1;
			if (lb_push && !lb_wready)
				lb_lost <= lb_tx_en;
			else if (!lb_tx_en)
				lb_lost <= 1'b0;
		end
	end
	fe_async_fifo #(.DW(10), .AW(6)) u_lb (
		.wclk(tx_clk), .wrst(tx_rst), .w_valid(lb_push),
		.w_data({!lb_tx_en, lb_tx_en && (lb_tx_er || lb_lost), lb_txd}),
		.w_ready(lb_wready),
		.rclk(rx_clk), .rrst(rx_rst), .r_valid(lb_rvalid), .r_data(lb_rdata),
		.r_ready(1'b1));

	wire        pause_valid_r;
	wire [15:0] pause_q_r;
	wire [15:0] rx_octets_r;
	wire        rx_stat_valid;

	// the receiver's input, from the line or loopback, registered (the
	// choice between them; on the line, an input register at the pins)
	reg  [7:0]  rxd_i;
	reg         dv_i, er_i, ce_i;
	always @(posedge rx_clk) begin
		rxd_i <= r_loopback ? lb_rdata[7:0] : gmii_rxd;
		er_i <= r_loopback ? lb_rdata[8] : gmii_rx_er;
		if (rx_rst) begin
			dv_i <= 1'b0;
			ce_i <= 1'b0;
		end else begin
			dv_i <= r_loopback ? !lb_rdata[9] : gmii_rx_dv;
			ce_i <= r_loopback ? lb_rvalid : rx_ce;
		end
	end

	fe_mac_rx u_rx (
		.clk(rx_clk), .rst(rx_rst), .ce(ce_i),
		.gmii_rxd(rxd_i), .gmii_rx_dv(dv_i), .gmii_rx_er(er_i),
		.rx_enable(r_enable),
		.station_addr(r_station), .mc_hash(r_mc_hash),
		.promisc(r_promisc), .allmulti(r_allmulti), .rx_pause_en(r_pause_en),
		.max_frame_len(r_mfl),
		.m_tvalid(rx_tvalid), .m_tdata(rx_tdata), .m_tlast(rx_tlast),
		.m_tuser(rx_tuser),
		.pause_valid(pause_valid_r), .pause_quanta(pause_q_r),
		.stat_inc(rx_inc), .stat_octets(rx_octets_r),
		.stat_valid(rx_stat_valid));

	// one record per frame into clk's domain: the receiver's counters
	// (ST_RX_FRAMES_OK to ST_RX_HIST0 + 8), the octets, the pause; pushed
	// by the receiver's flip-flop stat_valid (every frame's end counts
	// and a pause comes only with one), not by an OR of the counters'
	// pulses (timing: rtl/README.md, "Synthesis")
	localparam RB = `ST_RX_FRAMES_OK, RN = `ST_RX_HIST0 + 9 - `ST_RX_FRAMES_OK;
	wire [RN - 1:0] rec_inc;
	wire            rec_valid, rec_pause;
	wire [15:0]     rec_octets, rec_quanta;
	/* verilator lint_off PINCONNECTEMPTY */
	fe_async_fifo #(.DW(RN + 33), .AW(3)) u_rec (
		.wclk(rx_clk), .wrst(rx_rst),
		.w_valid(rx_stat_valid),
		.w_data({rx_inc[RB +: RN], rx_octets_r, pause_valid_r, pause_q_r}),
		.w_ready(),
		.rclk(clk), .rrst(rst), .r_valid(rec_valid),
		.r_data({rec_inc, rec_octets, rec_pause, rec_quanta}), .r_ready(1'b1));
	/* verilator lint_on PINCONNECTEMPTY */

	// ------------------------------------------------- clk's domain
	assign pause_valid = rec_valid && rec_pause;
	assign pause_q = rec_quanta;
	assign stat_rx_octets = rec_octets;
	wire [`ST_NUM - 1:0] rx_inc_c = {{(`ST_NUM - RN){1'b0}},
					 rec_valid ? rec_inc : {RN{1'b0}}} << RB;

	wire [`ST_NUM - 1:0] tx_inc_c = trec_valid ?
		{trec_hist, {(`ST_TX_HIST0 - TN){1'b0}}, trec_inc} : {`ST_NUM{1'b0}};
	assign stat_tx_octets = trec_octets;
	assign tx_done = trec_valid && trec_done;

	assign stat_inc = tx_inc_c | rx_inc_c;

	// pause timer: quanta left, and cycles left of the current quantum
	localparam [23:0] Q1000 = 24'd64 * CLK_MHZ / 125;   // 512 bits at 1 Gb/s
	localparam [23:0] Q100 = 24'd640 * CLK_MHZ / 125;
	localparam [23:0] Q10 = 24'd6400 * CLK_MHZ / 125;
	reg  [15:0] quanta_left;
	reg  [23:0] cycles_left;
	wire [23:0] per_quantum = speed == 2'd0 ? Q10 : speed == 2'd1 ? Q100 : Q1000;

	always @(posedge clk) begin
		if (rst) begin
			quanta_left <= 16'h0;
			cycles_left <= 24'h0;
		end else if (pause_valid) begin
			quanta_left <= pause_q;
			cycles_left <= per_quantum - 24'd1;
		end else if (quanta_left != 16'h0 && time_en) begin
			if (cycles_left == 24'h0) begin
				quanta_left <= quanta_left - 16'd1;
				cycles_left <= per_quantum - 24'd1;
			end else
				cycles_left <= cycles_left - 24'd1;
		end
	end
	assign tx_paused = quanta_left != 16'h0;
	// the current quantum's cycles, then the whole ones after it
	wire [39:0] due40 = {24'h0, quanta_left - 16'd1} * {16'h0, per_quantum} +
			    {16'h0, cycles_left} + 40'd1;
	assign pause_due = !tx_paused ? 32'hffffffff :
			   |due40[39:32] ? 32'hfffffffe : due40[31:0];
endmodule
`default_nettype wire
