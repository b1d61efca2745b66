// SPDX-License-Identifier: GPL-2.0
// fe_core: the IP: the register file on AXI4-Lite, the statistics counters,
// the MDIO master, the GMII MAC and the DMA: an AXI4 master (fe_dma_axi,
// 32-bit data) shared by the TX engine (fe_dma_tx: NUM_QP queues
// round-robin, TX FIFO of TX_FIFO_KIB, the TX checksum with FEATURES[0])
// and the RX engine (fe_dma_rx: RX FIFO of RX_FIFO_KIB, NUM_QP queues: the
// receive parser's RSS hash steers a frame through the indirection table
// with CTRL.RSS_EN, else it goes to queue 0; the RX checksum with
// CTRL.RX_CSUM_EN).
// CTRL.SOFT_RESET holds the master (no new access, the burst in flight
// completes) and resets the IP once it is quiet.  Three clock domains:
// clk (the AXI clock: everything but the line), tx_clk (the transmit
// clock: fe_mac's transmitter and the PHY interface's TX side, 125 MHz
// at 1 Gb/s) and the PHY's receive clock (gmii_rx_clk, or rgmii_rxc with
// PHY_IF 1: fe_mac's receiver and the RX FIFO's write side); fe_phy_if
// puts RGMII or MII in front of the MAC's GMII; the frames cross in the
// RX FIFO (fe_dma_rx) and in the MAC's TX line FIFO (rows of 1-4 bytes
// a clk, so clk may be as slow as half of tx_clk), the rest through
// synchronisers (fe_mac; rtl/README.md, "Clock domains").  The FIFO
// sizes must be powers of two, the TX FIFO at least MAX_FRAME + 4 bytes.
`default_nettype none
`include "fe_defs.vh"
module fe_core #(
	parameter        NUM_QP      = 4,
	parameter [15:0] MAX_FRAME   = 16'd9600,
	parameter [31:0] BUILD_ID    = 32'h20261124,
	parameter [31:0] FEATURES    = 32'h0000047f,
	parameter [7:0]  RX_FIFO_KIB = 8'd16,
	parameter [7:0]  TX_FIFO_KIB = 8'd16,
	parameter [15:0] CLK_MHZ     = 16'd125,
	parameter [3:0]  DMA_AXCACHE = 4'b0011,
	parameter [2:0]  DMA_AXPROT  = 3'b010,
	parameter        TIME_DUE    = 0,     // 1: build timer_due (co-simulation)
	// the PHY interface (fe_phy_if): 0 GMII (1 Gb/s), 1 RGMII
	// (10/100/1000, tx_clk 125 MHz), 2 MII (10/100); TXC_CLK90 1: RGMII
	// TXC from clk90 (the MAC's TX delay) instead of the PHY's
	parameter        PHY_IF      = 0,
	parameter        TXC_CLK90   = 0
) (
	input  wire        clk,
	input  wire        rst,
	// the transmit clock: GMII GTX_CLK and RGMII TXC come from it (125
	// MHz; RGMII divides it for 100 and 10), MII's adapter runs on it
	// (at least 4 times the PHY's TX_CLK); unrelated to clk, which must
	// be at least half of it for frames back to back
	input  wire        tx_clk,
	// AXI4-Lite register port
	input  wire [15:0] s_awaddr,
	input  wire        s_awvalid,
	output wire        s_awready,
	input  wire [31:0] s_wdata,
	input  wire [3:0]  s_wstrb,
	input  wire        s_wvalid,
	output wire        s_wready,
	output wire [1:0]  s_bresp,
	output wire        s_bvalid,
	input  wire        s_bready,
	input  wire [15:0] s_araddr,
	input  wire        s_arvalid,
	output wire        s_arready,
	output wire [31:0] s_rdata,
	output wire [1:0]  s_rresp,
	output wire        s_rvalid,
	input  wire        s_rready,
	// interrupts
	output wire        irq_misc,
	output wire [NUM_QP - 1:0] irq_q,
	// AXI4 DMA master (32-bit data, 64-bit addresses)
	output wire [63:0] m_awaddr,
	output wire [7:0]  m_awlen,
	output wire [2:0]  m_awsize,
	output wire [1:0]  m_awburst,
	output wire        m_awlock,
	output wire [3:0]  m_awcache,
	output wire [2:0]  m_awprot,
	output wire [3:0]  m_awqos,
	output wire        m_awvalid,
	input  wire        m_awready,
	output wire [31:0] m_wdata,
	output wire [3:0]  m_wstrb,
	output wire        m_wlast,
	output wire        m_wvalid,
	input  wire        m_wready,
	input  wire [1:0]  m_bresp,
	input  wire        m_bvalid,
	output wire        m_bready,
	output wire [63:0] m_araddr,
	output wire [7:0]  m_arlen,
	output wire [2:0]  m_arsize,
	output wire [1:0]  m_arburst,
	output wire        m_arlock,
	output wire [3:0]  m_arcache,
	output wire [2:0]  m_arprot,
	output wire [3:0]  m_arqos,
	output wire        m_arvalid,
	input  wire        m_arready,
	input  wire [31:0] m_rdata,
	input  wire [1:0]  m_rresp,
	input  wire        m_rlast,
	input  wire        m_rvalid,
	output wire        m_rready,
	// GMII (PHY_IF 0), MII on its low nibble (PHY_IF 2, with mii_tx_clk)
	output wire [7:0]  gmii_txd,
	output wire        gmii_tx_en,
	output wire        gmii_tx_er,
	input  wire        gmii_rx_clk,   // GMII RX_CLK: gmii_rx* are sampled on it
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	input  wire        mii_tx_clk,    // MII TX_CLK, from the PHY
	// RGMII (PHY_IF 1); clk90: tx_clk shifted by 90 degrees (TXC_CLK90 1)
	input  wire        clk90,
	output wire        rgmii_txc,
	output wire [3:0]  rgmii_txd,
	output wire        rgmii_tx_ctl,
	input  wire        rgmii_rxc,
	input  wire [3:0]  rgmii_rxd,
	input  wire        rgmii_rx_ctl,
	// MDIO, and the PHY's link status (asynchronous)
	output wire        mdc,
	output wire        mdio_o,
	output wire        mdio_oe,
	input  wire        mdio_i,
	input  wire        phy_link,
	// time: the IP's timers (a coalescing USECS timer, the pause timer,
	// SOFT_RESET's wait) count the clocks with time_en high; a board ties
	// it high.  timer_busy: a timer counts, the IP moves on by itself only
	// while this is high; timer_due (TIME_DUE 1): time_en clocks until the
	// first of them expires, all ones when none counts (or SOFT_RESET
	// waits for the DMA).  Co-simulation raises time_en on the clocks of
	// virtual time only and schedules the next time step at timer_due
	// (rtl/cosim/README.md, "Time"); a board leaves both outputs open.
	input  wire        time_en,
	output wire        timer_busy,
	// active: the IP makes progress with no input moving (the TX engine
	// has a frame and no pause holds it, a DMA access or an MDIO command
	// runs; in MAC loopback a frame crosses no pin); not while it waits
	// (for RX buffers, the end of a pause): co-simulation runs a
	// command's clocks on while it is high; a board leaves it open
	output wire        active,
	output wire [31:0] timer_due
);
	// the blocks' reset (fe_regs, "soft reset"): a flip-flop per block,
	// all loaded alike
	localparam CR_STATS = 0, CR_MDIO = 1, CR_MAC = 2, CR_AXI = 3, CR_TX = 4,
		   CR_RX = 5, NCR = 6;
	/* verilator lint_off SYNCASYNCNET */
	wire [NCR - 1:0] core_rst;
	/* verilator lint_on SYNCASYNCNET */
	wire        tx_en, rx_en, promisc, allmulti, loopback, rss_en, rx_csum_en;
	wire        rx_pause_en, tx_pause_en, full_duplex;
	wire [1:0]  speed;
	wire [47:0] station_addr;
	wire [15:0] max_frame_len, pause_quanta;
	wire [63:0] mc_hash;
	wire        xoff_req, xon_req;
	wire [319:0] rss_key;
	wire [1023:0] rss_indir;
	wire        mdio_start, mdio_busy, mdio_done;
	wire [1:0]  mdio_op;
	wire [4:0]  mdio_phyad, mdio_regad;
	wire [15:0] mdio_wdata, mdio_rdata;
	wire [7:0]  mdio_div;
	wire        stats_clear;
	wire [5:0]  stats_rd_idx;
	wire [63:0] stats_rd_val;
	wire [`ST_NUM - 1:0] mac_inc;
	wire [15:0] tx_octets, rx_octets;
	wire        soft_reset_req, sr_waiting, tx_paused, tx_timer, rx_timer;
	wire [31:0] sr_due, pause_due, tx_due, rx_due;

	// the PHY's link pin into clk's domain
	reg  [1:0]  link_sync;
	always @(posedge clk)
		link_sync <= {link_sync[0], phy_link};
	wire link_up = link_sync[1];

	localparam N = NUM_QP;
	localparam TX_AW = TX_FIFO_KIB > 8'd32 ? 16 : TX_FIFO_KIB > 8'd16 ? 15 :
			   TX_FIFO_KIB > 8'd8 ? 14 : TX_FIFO_KIB > 8'd4 ? 13 :
			   TX_FIFO_KIB > 8'd2 ? 12 : TX_FIFO_KIB > 8'd1 ? 11 : 10;
	localparam RX_AW = RX_FIFO_KIB > 8'd32 ? 16 : RX_FIFO_KIB > 8'd16 ? 15 :
			   RX_FIFO_KIB > 8'd8 ? 14 : RX_FIFO_KIB > 8'd4 ? 13 :
			   RX_FIFO_KIB > 8'd2 ? 12 : RX_FIFO_KIB > 8'd1 ? 11 : 10;
	wire [64 * N - 1:0] q_tx_base, q_rx_base;
	wire [4 * N - 1:0]  q_tx_log2, q_rx_log2;
	wire [16 * N - 1:0] q_tx_tail, q_rx_tail;
	wire [N - 1:0]      q_tx_enable, q_rx_enable;
	wire [32 * N - 1:0] q_tx_coal, q_rx_coal;
	wire [16 * N - 1:0] q_tx_head;
	wire [N - 1:0]      q_tx_busy, q_tx_halt, q_tx_discard, tx_irq;
	wire [3:0]          tx_cause, rx_cause;
	wire [63:0]         tx_haddr, rx_haddr;
	wire                rx_ovf;
	wire [N - 1:0]      rx_irq;
	wire                dma_quiet, tx_sent, rx_empty;
	wire [16 * N - 1:0] q_rx_head;
	wire [N - 1:0]      q_rx_busy, q_rx_halt, q_rx_nobuf;

	// frames between the engines and the MAC
	wire        tx_tvalid, tx_tlast, tx_tready, tx_done;
	wire [31:0] tx_tdata;
	wire [1:0]  tx_tlo, tx_thi, tx_speed;
	wire        rx_tvalid, rx_tlast, rx_tuser;   // (gmii_rx_clk's domain)
	wire [7:0]  rx_tdata;
	// core_rst in gmii_rx_clk's domain: fe_mac's (fe_rst_sync) for the MAC
	// and the PHY interface, and one of the RX engine's own.  The two may
	// release a gmii_rx_clk apart; no frame reaches the RX engine before
	// RX_EN is written after the reset and has crossed, many clocks later;
	// in tx_clk's domain fe_mac's, for the MAC and the PHY interface
	/* verilator lint_off SYNCASYNCNET */
	wire        rx_rst, rx_rst_dma, tx_rst;
	/* verilator lint_on SYNCASYNCNET */

	// the DMA master and its two clients (0: TX, 1: RX)
	wire [1:0]  c_req, c_write, c_done, c_err, r_gnt;
	/* verilator lint_off UNUSEDSIGNAL */   // (the TX engine's write-back: one beat, fixed)
	wire [1:0]  w_gnt;
	/* verilator lint_on UNUSEDSIGNAL */
	wire [127:0] c_addr;
	wire [31:0] c_len;
	wire        rd_valid, wr_pull;
	wire [2:0]  wr_n;
	wire [31:0] rd_data;
	wire [1:0]  rd_lane;
	wire [2:0]  rd_n;
	wire [31:0] tx_wdata, rx_wdata;
	wire [1:0]  rx_wrot;

	// the engine side's events into the statistics and MISC_IRQ_STATUS
	wire [`ST_NUM - 1:0] dma_inc = ({{(`ST_NUM - 1){1'b0}}, |q_tx_discard} << `ST_TX_DISCARDS) |
				      ({{(`ST_NUM - 1){1'b0}}, |q_rx_nobuf} << `ST_RX_NOBUF) |
				      ({{(`ST_NUM - 1){1'b0}}, rx_ovf} << `ST_RX_FIFO_OVF);

	fe_regs #(.NUM_QP(NUM_QP), .MAX_FRAME(MAX_FRAME), .BUILD_ID(BUILD_ID),
		  .FEATURES(FEATURES), .RX_FIFO_KIB(RX_FIFO_KIB),
		  .TX_FIFO_KIB(TX_FIFO_KIB), .CLK_MHZ(CLK_MHZ), .NCR(NCR)) u_regs (
		.clk(clk), .rst(rst),
		.s_awaddr(s_awaddr), .s_awvalid(s_awvalid), .s_awready(s_awready),
		.s_wdata(s_wdata), .s_wstrb(s_wstrb), .s_wvalid(s_wvalid),
		.s_wready(s_wready), .s_bresp(s_bresp), .s_bvalid(s_bvalid),
		.s_bready(s_bready), .s_araddr(s_araddr), .s_arvalid(s_arvalid),
		.s_arready(s_arready), .s_rdata(s_rdata), .s_rresp(s_rresp),
		.s_rvalid(s_rvalid), .s_rready(s_rready),
		.soft_reset_req(soft_reset_req), .sr_waiting(sr_waiting),
		.dma_quiet(dma_quiet), .core_rst(core_rst),
		.time_en(time_en), .sr_due(sr_due),
		.tx_en(tx_en), .rx_en(rx_en), .promisc(promisc), .allmulti(allmulti),
		.loopback(loopback), .rss_en(rss_en), .rx_csum_en(rx_csum_en),
		.rx_pause_en(rx_pause_en), .tx_pause_en(tx_pause_en), .speed(speed),
		.full_duplex(full_duplex), .station_addr(station_addr),
		.max_frame_len(max_frame_len), .mc_hash(mc_hash),
		.pause_quanta(pause_quanta), .xoff_req(xoff_req), .xon_req(xon_req),
		.rss_key(rss_key), .rss_indir(rss_indir), .link_up(link_up),
		.mdio_start(mdio_start), .mdio_op(mdio_op), .mdio_phyad(mdio_phyad),
		.mdio_regad(mdio_regad), .mdio_wdata(mdio_wdata), .mdio_div(mdio_div),
		.mdio_busy(mdio_busy), .mdio_done(mdio_done), .mdio_rdata(mdio_rdata),
		.stats_clear(stats_clear), .stats_rd_idx(stats_rd_idx),
		.stats_rd_val(stats_rd_val), .misc_event({rx_ovf, 3'b000}),
		.q_tx_base(q_tx_base), .q_tx_log2(q_tx_log2), .q_tx_tail(q_tx_tail),
		.q_tx_enable(q_tx_enable), .q_tx_coal(q_tx_coal),
		.q_tx_head(q_tx_head), .q_tx_busy(q_tx_busy),
		.q_tx_halt(q_tx_halt), .q_tx_halt_cause({N{tx_cause}}),
		.q_tx_halt_addr({N{tx_haddr}}), .q_tx_discard(q_tx_discard),
		.q_rx_base(q_rx_base), .q_rx_log2(q_rx_log2), .q_rx_tail(q_rx_tail),
		.q_rx_enable(q_rx_enable), .q_rx_coal(q_rx_coal),
		.q_rx_head(q_rx_head), .q_rx_busy(q_rx_busy), .q_rx_halt(q_rx_halt),
		.q_rx_halt_cause({N{rx_cause}}), .q_rx_halt_addr({N{rx_haddr}}),
		.q_rx_nobuf(q_rx_nobuf),
		.q_irq_event(q_irq_event),
		.irq_misc(irq_misc), .irq_q(irq_q));

	fe_stats u_stats (
		.clk(clk), .rst(core_rst[CR_STATS]), .clear(stats_clear), .inc(mac_inc | dma_inc),
		.tx_octets(tx_octets), .rx_octets(rx_octets),
		.rd_idx(stats_rd_idx), .rd_val(stats_rd_val));

	fe_mdio u_mdio (
		.clk(clk), .rst(core_rst[CR_MDIO]), .start(mdio_start), .op(mdio_op),
		.phyad(mdio_phyad), .regad(mdio_regad), .wdata(mdio_wdata),
		.div(mdio_div), .busy(mdio_busy), .done(mdio_done),
		.rdata(mdio_rdata), .mdc(mdc), .mdio_o(mdio_o), .mdio_oe(mdio_oe),
		.mdio_i(mdio_i));

	// the PHY interface: the line's receive clock (rx_clk's domain) and
	// the MAC's byte enables
	wire        rx_clk, tx_ce, rx_ce, mac_tx_en, mac_tx_er, mac_rx_dv, mac_rx_er;
	wire [7:0]  mac_txd, mac_rxd;
	fe_phy_if #(.PHY_IF(PHY_IF), .TXC_CLK90(TXC_CLK90)) u_phy (
		.clk(tx_clk), .clk90(clk90), .rst(tx_rst), .rx_rst(rx_rst),
		.speed(tx_speed), .mac_txd(mac_txd), .mac_tx_en(mac_tx_en),
		.mac_tx_er(mac_tx_er), .tx_ce(tx_ce), .rx_clk(rx_clk),
		.mac_rxd(mac_rxd), .mac_rx_dv(mac_rx_dv), .mac_rx_er(mac_rx_er),
		.rx_ce(rx_ce),
		.gmii_txd(gmii_txd), .gmii_tx_en(gmii_tx_en), .gmii_tx_er(gmii_tx_er),
		.gmii_rx_clk(gmii_rx_clk), .gmii_rxd(gmii_rxd),
		.gmii_rx_dv(gmii_rx_dv), .gmii_rx_er(gmii_rx_er),
		.mii_tx_clk(mii_tx_clk),
		.rgmii_txc(rgmii_txc), .rgmii_txd(rgmii_txd),
		.rgmii_tx_ctl(rgmii_tx_ctl), .rgmii_rxc(rgmii_rxc),
		.rgmii_rxd(rgmii_rxd), .rgmii_rx_ctl(rgmii_rx_ctl));

	fe_mac #(.CLK_MHZ(CLK_MHZ)) u_mac (
		.clk(clk), .rst(core_rst[CR_MAC]), .rx_clk(rx_clk), .rx_rst(rx_rst),
		.tx_clk(tx_clk), .tx_rst(tx_rst), .tx_speed(tx_speed),
		.rx_en(rx_en), .link_up(link_up), .loopback(loopback),
		.promisc(promisc), .allmulti(allmulti), .rx_pause_en(rx_pause_en),
		.speed(speed), .station_addr(station_addr), .mc_hash(mc_hash),
		.max_frame_len(max_frame_len), .pause_quanta(pause_quanta),
		.xoff_req(xoff_req), .xon_req(xon_req), .time_en(time_en),
		.tx_ce(tx_ce), .rx_ce(rx_ce),
		.tx_tvalid(tx_tvalid), .tx_tdata(tx_tdata), .tx_tlo(tx_tlo),
		.tx_thi(tx_thi), .tx_tlast(tx_tlast), .tx_tready(tx_tready),
		.tx_done(tx_done),
		.rx_tvalid(rx_tvalid), .rx_tdata(rx_tdata), .rx_tlast(rx_tlast),
		.rx_tuser(rx_tuser),
		.gmii_txd(mac_txd), .gmii_tx_en(mac_tx_en), .gmii_tx_er(mac_tx_er),
		.gmii_rxd(mac_rxd), .gmii_rx_dv(mac_rx_dv), .gmii_rx_er(mac_rx_er),
		.tx_paused(tx_paused), .pause_due(pause_due),
		.stat_inc(mac_inc), .stat_tx_octets(tx_octets),
		.stat_rx_octets(rx_octets));

	// interrupt events: [2q] TX of queue q, [2q + 1] RX
	wire [2 * N - 1:0] q_irq_event;
	genvar g;
	generate
		for (g = 0; g < N; g = g + 1) begin : g_irq
			assign q_irq_event[2 * g] = tx_irq[g];
			assign q_irq_event[2 * g + 1] = rx_irq[g];
		end
	endgenerate

	fe_dma_port #(.AXCACHE(DMA_AXCACHE), .AXPROT(DMA_AXPROT)) u_dma (
		.clk(clk), .rst(core_rst[CR_AXI]), .hold(soft_reset_req), .quiet(dma_quiet),
		.c_req(c_req), .c_write(c_write), .c_addr(c_addr), .c_len(c_len),
		.c_done(c_done), .c_err(c_err), .r_gnt(r_gnt), .w_gnt(w_gnt),
		.rd_valid(rd_valid), .rd_data(rd_data), .rd_lane(rd_lane), .rd_n(rd_n),
		.wr_pull(wr_pull), .wr_n(wr_n),
		.c_wdata({rx_wdata, tx_wdata}), .c_wrot({rx_wrot, 2'd0}),
		.m_awaddr(m_awaddr), .m_awlen(m_awlen), .m_awsize(m_awsize),
		.m_awburst(m_awburst), .m_awlock(m_awlock), .m_awcache(m_awcache),
		.m_awprot(m_awprot), .m_awqos(m_awqos), .m_awvalid(m_awvalid),
		.m_awready(m_awready), .m_wdata(m_wdata), .m_wstrb(m_wstrb),
		.m_wlast(m_wlast), .m_wvalid(m_wvalid), .m_wready(m_wready),
		.m_bresp(m_bresp), .m_bvalid(m_bvalid), .m_bready(m_bready),
		.m_araddr(m_araddr), .m_arlen(m_arlen), .m_arsize(m_arsize),
		.m_arburst(m_arburst), .m_arlock(m_arlock), .m_arcache(m_arcache),
		.m_arprot(m_arprot), .m_arqos(m_arqos), .m_arvalid(m_arvalid),
		.m_arready(m_arready), .m_rdata(m_rdata), .m_rresp(m_rresp),
		.m_rlast(m_rlast), .m_rvalid(m_rvalid), .m_rready(m_rready));

	// frames are sent with CTRL.TX_EN and the link up, or in loopback;
	// otherwise consumed unsent
	fe_dma_tx #(.NQ(N), .MAX_DESCS(FEATURES[4] ? 32 : 1), .FIFO_AW(TX_AW),
		    .TX_CSUM(FEATURES[0]), .CLK_MHZ(CLK_MHZ)) u_tx (
		.clk(clk), .rst(core_rst[CR_TX]), .hold(soft_reset_req),
		.base(q_tx_base), .log2(q_tx_log2), .tail(q_tx_tail),
		.enable(q_tx_enable), .coal(q_tx_coal), .max_frame_len(max_frame_len),
		.line_ok(loopback || (tx_en && link_up)), .time_en(time_en),
		.head(q_tx_head), .busy(q_tx_busy), .halt(q_tx_halt),
		.halt_cause(tx_cause), .halt_addr(tx_haddr), .discard(q_tx_discard),
		.irq_event(tx_irq), .timer(tx_timer), .timer_due(tx_due), .sent(tx_sent),
		.tx_done(tx_done),
		.d_req(c_req[0]), .d_write(c_write[0]), .d_addr(c_addr[63:0]),
		.d_len(c_len[15:0]), .d_done(c_done[0]), .d_err(c_err[0]),
		.d_rvalid(rd_valid && r_gnt[0]), .d_rdata(rd_data),
		.d_rlane(rd_lane), .d_rn(rd_n),
		.d_wdata(tx_wdata),
		.tx_tvalid(tx_tvalid), .tx_tdata(tx_tdata), .tx_tlo(tx_tlo),
		.tx_thi(tx_thi), .tx_tlast(tx_tlast), .tx_tready(tx_tready));

	fe_rst_sync u_rx_rst_dma (.clk(rx_clk), .arst(core_rst[CR_RX]), .rst(rx_rst_dma));
	fe_dma_rx #(.NQ(N), .FIFO_AW(RX_AW), .LQ_AW(8), .CLK_MHZ(CLK_MHZ)) u_rx (
		.clk(clk), .rst(core_rst[CR_RX]), .rx_clk(rx_clk), .rx_rst(rx_rst_dma),
		.base(q_rx_base), .log2(q_rx_log2), .tail(q_rx_tail),
		.enable(q_rx_enable), .coal(q_rx_coal),
		.rss_en(rss_en), .csum_en(rx_csum_en),
		.rss_key(rss_key), .rss_indir(rss_indir), .time_en(time_en),
		.head(q_rx_head), .busy(q_rx_busy), .halt(q_rx_halt),
		.halt_cause(rx_cause), .halt_addr(rx_haddr), .nobuf(q_rx_nobuf),
		.ovf(rx_ovf), .irq_event(rx_irq), .timer(rx_timer), .timer_due(rx_due),
		.empty(rx_empty),
		.rx_tvalid(rx_tvalid), .rx_tdata(rx_tdata), .rx_tlast(rx_tlast),
		.rx_tuser(rx_tuser),
		.d_req(c_req[1]), .d_write(c_write[1]), .d_addr(c_addr[127:64]),
		.d_len(c_len[31:16]), .d_done(c_done[1]), .d_err(c_err[1]),
		.d_rvalid(rd_valid && r_gnt[1]), .d_rdata(rd_data),
		.d_pull(wr_pull && w_gnt[1]), .d_n(wr_n), .d_wdata(rx_wdata),
		.d_wrot(rx_wrot));

	// (SOFT_RESET's wait, not the reset's own clocks after it: they run
	// with the next command's, as the pulse did before session 19)
	assign timer_busy = tx_timer || rx_timer || tx_paused || sr_waiting;
	assign active = (|q_tx_busy && !tx_paused) || !dma_quiet || mdio_busy;
	generate
		if (TIME_DUE != 0) begin : g_due
			fe_min_due #(.N(4)) u_due (.due({tx_due, rx_due, sr_due, pause_due}),
				.min(timer_due));
		end else begin : g_no_due
			assign timer_due = 32'hffffffff;
			/* verilator lint_off UNUSEDSIGNAL */
			wire unused_due = &{1'b0, sr_due, pause_due, tx_due, rx_due};
			/* verilator lint_on UNUSEDSIGNAL */
		end
	endgenerate

	// the TX FIFO must hold a frame whole with a row to spare (the line
	// reads it by rows of four bytes: a frame's first row is not its
	// last's); a build that breaks this does not elaborate
	generate
		if (TX_FIFO_KIB * 1024 < MAX_FRAME + 4) begin : g_bad_tx_fifo
			TX_FIFO_KIB_too_small_for_MAX_FRAME u_error ();
		end
	endgenerate

	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = &{1'b0, tx_pause_en, full_duplex, tx_sent,
			rx_empty};
	/* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
