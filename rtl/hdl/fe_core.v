// SPDX-License-Identifier: GPL-2.0
// fe_core: the IP without its DMA engines (not written yet): the register
// file on AXI4-Lite, the statistics counters, the MDIO master and the GMII
// MAC.  The frames the TX engines will fetch come in on tx_* (bytes of one
// frame back to back, tlast on the last), the frames the RX engines will
// store go out on rx_* (rx_tuser at rx_tlast: drop it).  The queue pair
// registers behave as the spec says as far as they can without an engine
// (enable, RING_CONFIG halt, TAIL, COAL, interrupts, IRQ_SET): HEAD stays 0,
// IDLE follows ENABLE.  Single clock domain: clk is the AXI clock and the
// GMII TX clock, GMII RX is sampled on it (CDC: not yet, see README).
`default_nettype none
`include "fe_defs.vh"
module fe_core #(
	parameter        NUM_QP      = 4,
	parameter [15:0] MAX_FRAME   = 16'd9600,
	parameter [31:0] BUILD_ID    = 32'h20261124,
	parameter [31:0] FEATURES    = 32'h00000468,
	parameter [7:0]  RX_FIFO_KIB = 8'd16,
	parameter [7:0]  TX_FIFO_KIB = 8'd16,
	parameter [15:0] CLK_MHZ     = 16'd125
) (
	input  wire        clk,
	input  wire        rst,
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
	// frames (DMA side, until the engines exist)
	input  wire        tx_tvalid,
	input  wire [7:0]  tx_tdata,
	input  wire        tx_tlast,
	output wire        tx_tready,
	output wire        rx_tvalid,
	output wire [7:0]  rx_tdata,
	output wire        rx_tlast,
	output wire        rx_tuser,
	// GMII
	output wire [7:0]  gmii_txd,
	output wire        gmii_tx_en,
	output wire        gmii_tx_er,
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	// MDIO, and the PHY's link status (asynchronous)
	output wire        mdc,
	output wire        mdio_o,
	output wire        mdio_oe,
	input  wire        mdio_i,
	input  wire        phy_link
);
	wire        core_rst;
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
	wire        soft_reset_req, tx_paused, tx_underrun;

	// the PHY's link pin into clk's domain
	reg  [1:0]  link_sync;
	always @(posedge clk)
		link_sync <= {link_sync[0], phy_link};
	wire link_up = link_sync[1];

	// no engines yet: nothing outstanding, no queue events
	localparam N = NUM_QP;
	/* verilator lint_off UNUSEDSIGNAL */
	wire [64 * N - 1:0] q_tx_base, q_rx_base;
	wire [4 * N - 1:0]  q_tx_log2, q_rx_log2;
	wire [16 * N - 1:0] q_tx_tail, q_rx_tail;
	wire [N - 1:0]      q_tx_enable, q_rx_enable;
	wire [32 * N - 1:0] q_tx_coal, q_rx_coal;
	/* verilator lint_on UNUSEDSIGNAL */

	fe_regs #(.NUM_QP(NUM_QP), .MAX_FRAME(MAX_FRAME), .BUILD_ID(BUILD_ID),
		  .FEATURES(FEATURES), .RX_FIFO_KIB(RX_FIFO_KIB),
		  .TX_FIFO_KIB(TX_FIFO_KIB), .CLK_MHZ(CLK_MHZ)) u_regs (
		.clk(clk), .rst(rst),
		.s_awaddr(s_awaddr), .s_awvalid(s_awvalid), .s_awready(s_awready),
		.s_wdata(s_wdata), .s_wstrb(s_wstrb), .s_wvalid(s_wvalid),
		.s_wready(s_wready), .s_bresp(s_bresp), .s_bvalid(s_bvalid),
		.s_bready(s_bready), .s_araddr(s_araddr), .s_arvalid(s_arvalid),
		.s_arready(s_arready), .s_rdata(s_rdata), .s_rresp(s_rresp),
		.s_rvalid(s_rvalid), .s_rready(s_rready),
		.soft_reset_req(soft_reset_req), .dma_quiet(1'b1), .core_rst(core_rst),
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
		.stats_rd_val(stats_rd_val), .misc_event(4'h0),
		.q_tx_base(q_tx_base), .q_tx_log2(q_tx_log2), .q_tx_tail(q_tx_tail),
		.q_tx_enable(q_tx_enable), .q_tx_coal(q_tx_coal),
		.q_tx_head({16 * N{1'b0}}), .q_tx_busy({N{1'b0}}),
		.q_tx_halt({N{1'b0}}), .q_tx_halt_cause({4 * N{1'b0}}),
		.q_tx_halt_addr({64 * N{1'b0}}), .q_tx_discard({N{1'b0}}),
		.q_rx_base(q_rx_base), .q_rx_log2(q_rx_log2), .q_rx_tail(q_rx_tail),
		.q_rx_enable(q_rx_enable), .q_rx_coal(q_rx_coal),
		.q_rx_head({16 * N{1'b0}}), .q_rx_busy({N{1'b0}}),
		.q_rx_halt({N{1'b0}}), .q_rx_halt_cause({4 * N{1'b0}}),
		.q_rx_halt_addr({64 * N{1'b0}}), .q_rx_nobuf({N{1'b0}}),
		.q_irq_event({2 * N{1'b0}}),
		.irq_misc(irq_misc), .irq_q(irq_q));

	fe_stats u_stats (
		.clk(clk), .rst(core_rst), .clear(stats_clear), .inc(mac_inc),
		.tx_octets(tx_octets), .rx_octets(rx_octets),
		.rd_idx(stats_rd_idx), .rd_val(stats_rd_val));

	fe_mdio u_mdio (
		.clk(clk), .rst(core_rst), .start(mdio_start), .op(mdio_op),
		.phyad(mdio_phyad), .regad(mdio_regad), .wdata(mdio_wdata),
		.div(mdio_div), .busy(mdio_busy), .done(mdio_done),
		.rdata(mdio_rdata), .mdc(mdc), .mdio_o(mdio_o), .mdio_oe(mdio_oe),
		.mdio_i(mdio_i));

	fe_mac #(.CLK_MHZ(CLK_MHZ)) u_mac (
		.clk(clk), .rst(core_rst),
		.rx_en(rx_en), .link_up(link_up), .loopback(loopback),
		.promisc(promisc), .allmulti(allmulti), .rx_pause_en(rx_pause_en),
		.speed(speed), .station_addr(station_addr), .mc_hash(mc_hash),
		.max_frame_len(max_frame_len), .pause_quanta(pause_quanta),
		.xoff_req(xoff_req), .xon_req(xon_req),
		.tx_tvalid(tx_tvalid), .tx_tdata(tx_tdata), .tx_tlast(tx_tlast),
		.tx_tready(tx_tready),
		.rx_tvalid(rx_tvalid), .rx_tdata(rx_tdata), .rx_tlast(rx_tlast),
		.rx_tuser(rx_tuser),
		.gmii_txd(gmii_txd), .gmii_tx_en(gmii_tx_en), .gmii_tx_er(gmii_tx_er),
		.gmii_rxd(gmii_rxd), .gmii_rx_dv(gmii_rx_dv), .gmii_rx_er(gmii_rx_er),
		.tx_paused(tx_paused), .tx_underrun(tx_underrun),
		.stat_inc(mac_inc), .stat_tx_octets(tx_octets),
		.stat_rx_octets(rx_octets));

	// used by the engines to come
	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = &{1'b0, tx_en, rss_en, rx_csum_en, tx_pause_en, full_duplex,
			rss_key, rss_indir, soft_reset_req, tx_paused, tx_underrun};
	/* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
