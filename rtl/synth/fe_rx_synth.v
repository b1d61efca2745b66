// SPDX-License-Identifier: GPL-2.0
// fe_rx_synth: the receive clock domain of the whole IP with a register on
// every input and output, for a quicker timing figure of that domain than
// fe_core_synth (rtl/synth/run fe_rx_synth ecp5-pnr): fe_mac (GMII, as
// fe_core's fe_phy_if passes it through with PHY_IF 0) and fe_dma_rx with
// one queue (its rx_clk side: the parser, the RSS key's crossing, the RX
// FIFO's write side and the length queue, is the same for any number of
// queues; FIFO and length queue as in fe_core: 16 KiB, 256 frames).  The
// settings (station address, multicast hash, lengths, the RSS key and
// table, the queue's registers) come from a shift register standing in
// for the register file.  clk's figure here is not the whole IP's (one
// queue, no register file, no TX engine).  Not part of the IP.
`default_nettype none
`include "fe_defs.vh"
module fe_rx_synth (
	input  wire        clk,
	input  wire        rst,
	input  wire        rx_clk,
	input  wire [7:0]  cfg,       // rx_en link loopback promisc allmulti rx_pause_en rss_en csum_en
	input  wire [7:0]  cfg_byte,  // shifted into the wide settings
	input  wire        cfg_shift,
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	// the DMA master client
	output reg         d_req,
	output reg         d_write,
	output reg  [15:0] d_fold,     // d_addr and d_len folded
	input  wire        d_done,
	input  wire        d_err,
	input  wire        d_rvalid,
	input  wire [31:0] d_rdata,
	input  wire        d_pull,
	input  wire [2:0]  d_n,
	output reg  [31:0] d_wdata,
	output reg  [1:0]  d_wrot,
	output reg  [7:0]  stat_xor,   // the rest of the outputs, folded
	output reg  [7:0]  rx_xor
);
	// station address 48, multicast hash 64, MAX_FRAME_LEN 16, RSS key
	// 320, queue base 64, log2 4, tail 16, coal 32: 564 bits; the table
	// (1024 bits) is its first 128 bits, 8 times
	localparam WW = 568;
	reg  [WW - 1:0] wide;
	reg  [7:0]   cfg_q, rxd_q;
	/* verilator lint_off SYNCASYNCNET */
	reg          rst_q, dv_q, er_q;
	/* verilator lint_on SYNCASYNCNET */
	reg          done_q, err_q, rv_q, pull_q;
	reg  [31:0]  rd_q;
	reg  [2:0]   n_q;
	always @(posedge clk) begin
		if (cfg_shift)
			wide <= {wide[WW - 9:0], cfg_byte};
		cfg_q <= cfg;
		rst_q <= rst;
		done_q <= d_done;
		err_q <= d_err;
		rv_q <= d_rvalid;
		rd_q <= d_rdata;
		pull_q <= d_pull;
		n_q <= d_n;
	end
	always @(posedge rx_clk) begin
		rxd_q <= gmii_rxd;
		dv_q <= gmii_rx_dv;
		er_q <= gmii_rx_er;
	end

	/* verilator lint_off SYNCASYNCNET */
	wire         rx_rst;
	/* verilator lint_on SYNCASYNCNET */
	wire         rtv, rtl, rtu, w_ten, w_ter, w_paused, w_done, w_tready, w_tx_rst;
	wire [1:0]   w_tx_speed;
	wire [7:0]   rtd, w_txd;
	wire [`ST_NUM - 1:0] w_inc;
	wire [15:0]  w_to, w_ro;
	wire [31:0]  w_pdue, w_due;
	fe_mac u_mac (
		.clk(clk), .rst(rst_q), .rx_clk(rx_clk), .rx_rst(rx_rst),
		.tx_clk(rx_clk), .tx_rst(w_tx_rst), .tx_speed(w_tx_speed),   // (no TX here)
		.rx_en(cfg_q[0]), .link_up(cfg_q[1]), .loopback(cfg_q[2]),
		.promisc(cfg_q[3]), .allmulti(cfg_q[4]), .rx_pause_en(cfg_q[5]),
		.speed(2'd2), .station_addr(wide[47:0]), .mc_hash(wide[111:48]),
		.max_frame_len(wide[127:112]), .pause_quanta(16'h0),
		.xoff_req(1'b0), .xon_req(1'b0), .time_en(1'b1),
		.tx_ce(1'b1), .rx_ce(1'b1),
		.tx_tvalid(1'b0), .tx_tdata(32'h0), .tx_tlo(2'd0), .tx_thi(2'd0),
		.tx_tlast(1'b0), .tx_tready(w_tready), .tx_done(w_done),
		.rx_tvalid(rtv), .rx_tdata(rtd), .rx_tlast(rtl), .rx_tuser(rtu),
		.gmii_txd(w_txd), .gmii_tx_en(w_ten), .gmii_tx_er(w_ter),
		.gmii_rxd(rxd_q), .gmii_rx_dv(dv_q), .gmii_rx_er(er_q),
		.tx_paused(w_paused), .pause_due(w_pdue),
		.stat_inc(w_inc), .stat_tx_octets(w_to), .stat_rx_octets(w_ro));

	wire [15:0]  w_head;
	wire         w_busy, w_halt, w_nobuf, w_ovf, w_irq, w_timer, w_empty;
	wire         w_req, w_write;
	wire [3:0]   w_cause;
	wire [63:0]  w_haddr, w_addr;
	wire [15:0]  w_len;
	wire [31:0]  w_wdata;
	wire [1:0]   w_wrot;
	fe_dma_rx #(.NQ(1), .FIFO_AW(14), .LQ_AW(8)) u_rx (
		.clk(clk), .rst(rst_q), .rx_clk(rx_clk), .rx_rst(rx_rst),
		.base(wide[511:448]), .log2(wide[515:512]), .tail(wide[531:516]),
		.enable(cfg_q[1]), .coal(wide[563:532]),
		.rss_en(cfg_q[6]), .csum_en(cfg_q[7]),
		.rss_key(wide[447:128]), .rss_indir({8{wide[127:0]}}), .time_en(1'b1),
		.head(w_head), .busy(w_busy), .halt(w_halt),
		.halt_cause(w_cause), .halt_addr(w_haddr), .nobuf(w_nobuf),
		.ovf(w_ovf), .irq_event(w_irq), .timer(w_timer), .timer_due(w_due),
		.empty(w_empty),
		.rx_tvalid(rtv), .rx_tdata(rtd), .rx_tlast(rtl), .rx_tuser(rtu),
		.d_req(w_req), .d_write(w_write), .d_addr(w_addr), .d_len(w_len),
		.d_done(done_q), .d_err(err_q), .d_rvalid(rv_q), .d_rdata(rd_q),
		.d_pull(pull_q), .d_n(n_q), .d_wdata(w_wdata), .d_wrot(w_wrot));

	// the stream the receiver hands on, on rx_clk
	always @(posedge rx_clk)
		rx_xor <= rtd ^ {5'h0, rtv, rtl, rtu};
	always @(posedge clk) begin
		d_req <= w_req;
		d_write <= w_write;
		d_fold <= w_addr[15:0] ^ w_addr[31:16] ^ w_addr[47:32] ^ w_addr[63:48] ^ w_len;
		d_wdata <= w_wdata;
		d_wrot <= w_wrot;
		stat_xor <= w_inc[7:0] ^ w_inc[15:8] ^ w_inc[23:16] ^ w_inc[31:24] ^
			    w_inc[39:32] ^ {4'h0, w_inc[43:40]} ^ w_ro[7:0] ^ w_ro[15:8] ^
			    w_head[7:0] ^ w_head[15:8] ^ w_haddr[7:0] ^ w_haddr[15:8] ^
			    {w_cause, w_busy, w_halt, w_nobuf, w_ovf} ^
			    {w_irq, w_timer, w_empty, 5'h0};
	end

	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = &{1'b0, wide[WW - 1:564], w_tready, w_txd, w_ten, w_ter,
			w_paused, w_done, w_tx_rst, w_tx_speed, w_pdue, w_to, w_due, w_haddr[63:16]};
	/* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
