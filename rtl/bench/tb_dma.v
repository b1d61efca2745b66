// SPDX-License-Identifier: GPL-2.0
// tb_dma: the DMA side of the IP for tb_dma.cpp: the AXI4 master (fe_dma_axi)
// shared by the TX engine (fe_dma_tx with two queues, client 0) and the RX
// engine (fe_dma_rx with two queues, client 1), with their queue registers
// as ports (TX queue 1 as tx1_*, RX queue 1 as rx1_*; rx_busy is either RX
// queue's), the RSS and RX checksum settings and the MAC's byte streams as
// ports (TX: the rows to the MAC and its tx_done, which the bench plays).
// RX FIFO 4 KiB with 16 frames at most, so that a
// bench fills it quickly; TX FIFO 16 KiB, TX_MAX_DESCS 32, CLK_MHZ 125.
// The rx_* stream and the RX FIFO's write side run on rx_clk (GMII RX_CLK in
// fe_core), with rst brought into its domain by fe_rst_sync as fe_mac does.
`default_nettype none
module tb_dma (
	input  wire         clk,
	/* verilator lint_off SYNCASYNCNET */
	input  wire         rst,
	/* verilator lint_on SYNCASYNCNET */
	input  wire         rx_clk,    // the rx_* stream's clock (the RX FIFO's writes)
	// TX queue
	input  wire [63:0]  tx_base,
	input  wire [3:0]   tx_log2,
	input  wire [15:0]  tx_tail,
	input  wire         tx_enable,
	input  wire [31:0]  tx_coal,
	input  wire [63:0]  tx1_base,
	input  wire [3:0]   tx1_log2,
	input  wire [15:0]  tx1_tail,
	input  wire         tx1_enable,
	output wire [15:0]  tx1_head,
	output wire         tx1_busy,
	output wire         tx1_halt,
	output wire         tx1_irq,
	input  wire         hold,
	output wire         quiet,
	input  wire [15:0]  max_frame_len,
	input  wire         line_ok,
	input  wire         time_en,
	output wire [31:0]  tx_due,
	output wire [31:0]  rx_due,
	output wire [15:0]  tx_head,
	output wire         tx_busy,
	output wire         tx_halt,
	output wire [3:0]   tx_halt_cause,
	output wire [63:0]  tx_halt_addr,
	output wire         tx_discard,
	output wire         tx_irq,
	output wire         tx_timer,
	output wire         tx_sent,
	input  wire         tx_done,
	output wire         tx_tvalid,
	output wire [31:0]  tx_tdata,
	output wire [1:0]   tx_tlo,
	output wire [1:0]   tx_thi,
	output wire         tx_tlast,
	input  wire         tx_tready,
	// RX queue
	input  wire [63:0]  rx_base,
	input  wire [3:0]   rx_log2,
	input  wire [15:0]  rx_tail,
	input  wire         rx_enable,
	input  wire [31:0]  rx_coal,
	output wire [15:0]  rx_head,
	output wire         rx_busy,
	output wire         rx_halt,
	output wire [3:0]   rx_halt_cause,
	output wire [63:0]  rx_halt_addr,
	output wire         rx_nobuf,
	output wire         rx_ovf,
	output wire         rx_irq,
	output wire         rx_timer,
	output wire         rx_empty,
	input  wire [63:0]  rx1_base,
	input  wire [3:0]   rx1_log2,
	input  wire [15:0]  rx1_tail,
	input  wire         rx1_enable,
	output wire [15:0]  rx1_head,
	output wire         rx1_halt,
	output wire         rx1_nobuf,
	output wire         rx1_irq,
	input  wire         rss_en,
	input  wire         csum_en,
	input  wire [319:0] rss_key,
	input  wire [1023:0] rss_indir,
	input  wire         rx_tvalid,
	input  wire [7:0]   rx_tdata,
	input  wire         rx_tlast,
	input  wire         rx_tuser,
	// AXI4 master
	output wire [63:0]  m_awaddr,
	output wire [7:0]   m_awlen,
	output wire [2:0]   m_awsize,
	output wire [1:0]   m_awburst,
	output wire         m_awlock,
	output wire [3:0]   m_awcache,
	output wire [2:0]   m_awprot,
	output wire [3:0]   m_awqos,
	output wire         m_awvalid,
	input  wire         m_awready,
	output wire [31:0]  m_wdata,
	output wire [3:0]   m_wstrb,
	output wire         m_wlast,
	output wire         m_wvalid,
	input  wire         m_wready,
	input  wire [1:0]   m_bresp,
	input  wire         m_bvalid,
	output wire         m_bready,
	output wire [63:0]  m_araddr,
	output wire [7:0]   m_arlen,
	output wire [2:0]   m_arsize,
	output wire [1:0]   m_arburst,
	output wire         m_arlock,
	output wire [3:0]   m_arcache,
	output wire [2:0]   m_arprot,
	output wire [3:0]   m_arqos,
	output wire         m_arvalid,
	input  wire         m_arready,
	input  wire [31:0]  m_rdata,
	input  wire [1:0]   m_rresp,
	input  wire         m_rlast,
	input  wire         m_rvalid,
	output wire         m_rready
);
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

	fe_dma_port u_axi (
		.clk(clk), .rst(rst), .hold(hold), .quiet(quiet),
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

	wire        tx1_discard;
	fe_dma_tx #(.NQ(2)) u_tx (
		.clk(clk), .rst(rst), .hold(hold),
		.base({tx1_base, tx_base}), .log2({tx1_log2, tx_log2}),
		.tail({tx1_tail, tx_tail}), .enable({tx1_enable, tx_enable}),
		.coal({32'h1, tx_coal}), .max_frame_len(max_frame_len), .line_ok(line_ok),
		.time_en(time_en), .timer_due(tx_due),
		.head({tx1_head, tx_head}), .busy({tx1_busy, tx_busy}),
		.halt({tx1_halt, tx_halt}),
		.halt_cause(tx_halt_cause), .halt_addr(tx_halt_addr),
		.discard({tx1_discard, tx_discard}), .irq_event({tx1_irq, tx_irq}), .timer(tx_timer),
		.sent(tx_sent), .tx_done(tx_done),
		.d_req(c_req[0]), .d_write(c_write[0]), .d_addr(c_addr[63:0]),
		.d_len(c_len[15:0]), .d_done(c_done[0]), .d_err(c_err[0]),
		.d_rvalid(rd_valid && r_gnt[0]), .d_rdata(rd_data),
		.d_rlane(rd_lane), .d_rn(rd_n),
		.d_wdata(tx_wdata),
		.tx_tvalid(tx_tvalid), .tx_tdata(tx_tdata), .tx_tlo(tx_tlo),
		.tx_thi(tx_thi), .tx_tlast(tx_tlast),
		.tx_tready(tx_tready));

	/* verilator lint_off SYNCASYNCNET */
	wire        rx_rst;
	/* verilator lint_on SYNCASYNCNET */
	fe_rst_sync u_rx_rst (.clk(rx_clk), .arst(rst), .rst(rx_rst));

	wire [1:0]  rx_busy2;
	assign rx_busy = |rx_busy2;
	fe_dma_rx #(.NQ(2), .FIFO_AW(12), .LQ_AW(4)) u_rx (
		.clk(clk), .rst(rst), .rx_clk(rx_clk), .rx_rst(rx_rst),
		.base({rx1_base, rx_base}), .log2({rx1_log2, rx_log2}),
		.tail({rx1_tail, rx_tail}), .enable({rx1_enable, rx_enable}),
		.coal({32'h1, rx_coal}), .rss_en(rss_en), .csum_en(csum_en),
		.rss_key(rss_key), .rss_indir(rss_indir),
		.time_en(time_en), .timer_due(rx_due), .head({rx1_head, rx_head}),
		.busy(rx_busy2), .halt({rx1_halt, rx_halt}),
		.halt_cause(rx_halt_cause), .halt_addr(rx_halt_addr),
		.nobuf({rx1_nobuf, rx_nobuf}), .ovf(rx_ovf), .irq_event({rx1_irq, rx_irq}),
		.timer(rx_timer),
		.empty(rx_empty),
		.rx_tvalid(rx_tvalid), .rx_tdata(rx_tdata), .rx_tlast(rx_tlast),
		.rx_tuser(rx_tuser),
		.d_req(c_req[1]), .d_write(c_write[1]), .d_addr(c_addr[127:64]),
		.d_len(c_len[31:16]), .d_done(c_done[1]), .d_err(c_err[1]),
		.d_rvalid(rd_valid && r_gnt[1]), .d_rdata(rd_data),
		.d_pull(wr_pull && w_gnt[1]), .d_n(wr_n), .d_wdata(rx_wdata),
		.d_wrot(rx_wrot));

	// queue 1's discards: the bench does not make any
	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = tx1_discard;
	/* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
