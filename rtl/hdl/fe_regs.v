// SPDX-License-Identifier: GPL-2.0
// fe_regs: the register file (programming model: global and queue pair
// registers, statistics read-out) on a 32-bit AXI4-Lite slave port.
//
// Every register of the spec's tables with its reset value and access type
// (RO, RW, W1C, WO, SC); offsets without a register read 0 and ignore
// writes; every access gets OKAY.  Only full-word writes (wstrb 0xf) are
// performed, as the spec allows only naturally aligned 32-bit accesses; a
// narrower one is acknowledged and ignored.  A read's data (RVALID) comes
// five clocks after its address handshake (the read decode pipelined for
// timing: rtl/README.md, "Synthesis"), a write's response (BVALID) the
// second clock after, taken at the earliest on the clock the write takes
// effect on (its address and data registered, then decoded).  The 64-bit
// statistics read the spec also allows needs a 64-bit bus; on this 32-bit
// port the LO/HI pair with its latch is the way to read a counter.
//
// The parts that act on the registers are outside: the MAC (fe_mac), the
// statistics counters (fe_stats), the MDIO master (fe_mdio) and the DMA
// engines (queue ports: HEAD, busy, halts, discards, completions).
// Soft reset: CTRL.SOFT_RESET asks the engines to stop (soft_reset_req);
// once dma_quiet has held for 1 us (CLK_MHZ clocks with time_en high:
// time passes on them; sr_due says how many are left), a one-clock pulse
// (sr_do) resets, on the second clock after it, every register here and
// the blocks outside (core_rst); SOFT_RESET reads 1 until then, register
// writes are ignored, and the engines are held from the SOFT_RESET write
// to the end of the reset.
`default_nettype none
module fe_regs #(
	parameter        NUM_QP      = 4,
	parameter [15:0] MAX_FRAME   = 16'd9600,
	parameter [31:0] BUILD_ID    = 32'h20261124,
	// CAP1: what this RTL implements (LOOPBACK, MC_HASH, PAUSE, QUEUE_IDLE)
	parameter [31:0] FEATURES    = 32'h00000468,
	parameter [7:0]  RX_FIFO_KIB = 8'd16,
	parameter [7:0]  TX_FIFO_KIB = 8'd16,
	parameter [15:0] CLK_MHZ     = 16'd125,
	parameter        NCR         = 1         // copies of core_rst
) (
	input  wire        clk,
	input  wire        rst,
	// AXI4-Lite slave
	input  wire [15:0] s_awaddr,
	input  wire        s_awvalid,
	output wire        s_awready,
	input  wire [31:0] s_wdata,
	input  wire [3:0]  s_wstrb,
	input  wire        s_wvalid,
	output wire        s_wready,
	output wire [1:0]  s_bresp,
	output reg         s_bvalid,
	input  wire        s_bready,
	input  wire [15:0] s_araddr,
	input  wire        s_arvalid,
	output wire        s_arready,
	output reg  [31:0] s_rdata,
	output wire [1:0]  s_rresp,
	output reg         s_rvalid,
	input  wire        s_rready,
	// soft reset
	output wire        soft_reset_req,
	output wire        sr_waiting,   // SOFT_RESET waits (the DMA, then 1 us)
	input  wire        dma_quiet,
	input  wire        time_en,
	output wire [31:0] sr_due,
	output wire [NCR - 1:0] core_rst,   // copies, one per block (all alike)
	// MAC control
	output wire        tx_en,
	output wire        rx_en,
	output wire        promisc,
	output wire        allmulti,
	output wire        loopback,
	output wire        rss_en,
	output wire        rx_csum_en,
	output wire        rx_pause_en,
	output wire        tx_pause_en,
	output wire [1:0]  speed,
	output wire        full_duplex,
	output wire [47:0] station_addr,
	output reg  [15:0] max_frame_len,
	output wire [63:0] mc_hash,
	output reg  [15:0] pause_quanta,
	output reg         xoff_req,
	output reg         xon_req,
	output wire [319:0] rss_key,
	output wire [1023:0] rss_indir,
	input  wire        link_up,
	// MDIO master
	output reg         mdio_start,
	output wire [1:0]  mdio_op,
	output wire [4:0]  mdio_phyad,
	output wire [4:0]  mdio_regad,
	output wire [15:0] mdio_wdata,
	output wire [7:0]  mdio_div,
	input  wire        mdio_busy,
	input  wire        mdio_done,
	input  wire [15:0] mdio_rdata,
	// statistics counters
	output reg         stats_clear,
	output wire [5:0]  stats_rd_idx,
	input  wire [63:0] stats_rd_val,
	// misc events from the datapath: [3] RX_FIFO_OVF ([1] DMA_ERR also
	// comes from every queue halt)
	input  wire [3:0]  misc_event,
	// queue pairs, q in [q*W +: W]
	output wire [64 * NUM_QP - 1:0] q_tx_base,
	output wire [4 * NUM_QP - 1:0]  q_tx_log2,   // latched at enable
	output wire [16 * NUM_QP - 1:0] q_tx_tail,
	output wire [NUM_QP - 1:0]      q_tx_enable,
	output wire [32 * NUM_QP - 1:0] q_tx_coal,
	input  wire [16 * NUM_QP - 1:0] q_tx_head,
	input  wire [NUM_QP - 1:0]      q_tx_busy,
	input  wire [NUM_QP - 1:0]      q_tx_halt,
	input  wire [4 * NUM_QP - 1:0]  q_tx_halt_cause,
	input  wire [64 * NUM_QP - 1:0] q_tx_halt_addr,
	input  wire [NUM_QP - 1:0]      q_tx_discard,
	output wire [64 * NUM_QP - 1:0] q_rx_base,
	output wire [4 * NUM_QP - 1:0]  q_rx_log2,
	output wire [16 * NUM_QP - 1:0] q_rx_tail,
	output wire [NUM_QP - 1:0]      q_rx_enable,
	output wire [32 * NUM_QP - 1:0] q_rx_coal,
	input  wire [16 * NUM_QP - 1:0] q_rx_head,
	input  wire [NUM_QP - 1:0]      q_rx_busy,
	input  wire [NUM_QP - 1:0]      q_rx_halt,
	input  wire [4 * NUM_QP - 1:0]  q_rx_halt_cause,
	input  wire [64 * NUM_QP - 1:0] q_rx_halt_addr,
	input  wire [NUM_QP - 1:0]      q_rx_nobuf,
	input  wire [2 * NUM_QP - 1:0]  q_irq_event,  // [1] RX, [0] TX completions
	// interrupt lines
	output wire                     irq_misc,
	output wire [NUM_QP - 1:0]      irq_q
);
	localparam [3:0]  MAX_RING_LOG2 = 4'd12;
	localparam [15:0] MFL_RESET = MAX_FRAME < 16'd1518 ? MAX_FRAME : 16'd1518;
	// programming model 1.2 without its one optional addition, the stall
	// watchdog (CAP1.STALL_WDOG 0: STALL_TIMEOUT reads 0, ignores writes)
	localparam [31:0] VERSION = 32'h00010002;
	localparam [31:0] CAP0 = {MAX_FRAME, 4'h0, MAX_RING_LOG2, 4'h0, NUM_QP[3:0]};
	localparam [31:0] CAP2 = 32'h0020070a;
	localparam [31:0] CAP3 = {CLK_MHZ, TX_FIFO_KIB, RX_FIFO_KIB};
	localparam [3:0]  CAUSE_RING_CONFIG = 4'd4;
	// CTRL bits software may set, given the features
	localparam [31:0] CTRL_WR = 32'h0000021e |         // TX_EN RX_EN PROMISC ALLMULTI
		(FEATURES[3] ? 32'h20 : 32'h0) |          // LOOPBACK
		(FEATURES[2] ? 32'h40 : 32'h0) |          // RSS_EN
		(FEATURES[1] ? 32'h80 : 32'h0) |          // RX_CSUM_EN
		(FEATURES[6] ? 32'h300 : 32'h0);          // RX_PAUSE_EN TX_PAUSE_EN

	// ------------------------------------------------------------ state
	reg  [31:0] scratch, ctrl;
	reg  [2:0]  mac_cfg;
	reg  [31:0] mac_lo;
	reg  [15:0] mac_hi;
	reg  [31:0] mc_lo, mc_hi;
	reg  [11:0] mdio_cmd;
	reg  [15:0] mdio_data;
	reg  [7:0]  mdio_cfg;
	reg  [3:0]  misc_status, misc_enable;
	reg  [31:0] rss_key_r [0:9];
	reg  [31:0] rss_indir_r [0:31];
	reg  [31:0] stats_latch [0:43];   // no reset: distributed RAM, lat_ok says which hold a value
	reg  [43:0] lat_ok;
	reg         sr_pending, sr_do;
	reg  [15:0] sr_cnt;           // clocks the DMA has been quiet
	reg         link_q;

	// queue pair state, [0] TX and [1] RX half at index 2q + d
	localparam NR = 2 * NUM_QP;
	localparam IW = NR > 8 ? 4 : NR > 4 ? 3 : NR > 2 ? 2 : 1;          // ring index
	localparam QIW = NUM_QP > 4 ? 3 : NUM_QP > 2 ? 2 : 1;             // queue pair index
	reg  [31:0] base_lo [0:NR - 1];
	reg  [31:0] base_hi [0:NR - 1];
	reg  [3:0]  size [0:NR - 1];
	reg  [3:0]  log2 [0:NR - 1];
	reg  [15:0] tail [0:NR - 1];
	reg         enable [0:NR - 1];
	reg         halted [0:NR - 1];
	reg  [3:0]  cause [0:NR - 1];
	reg  [63:0] err_addr [0:NR - 1];
	reg  [31:0] coal [0:NR - 1];
	reg  [31:0] drops [0:NR - 1];   // TX_DISCARDS, RX_NOBUF
	reg  [1:0]  irq_status [0:NUM_QP - 1];
	reg  [1:0]  irq_enable [0:NUM_QP - 1];

	// the registers' reset (below, "soft reset"): a copy per group,
	// [l] ring l's registers (and, for l = 2q, queue pair q's interrupt
	// registers), then the global ones, the RSS key, the indirection table
	localparam SR_G = NR, SR_KEY = NR + 1, SR_IND = NR + 2, NSR = NR + 3;
	wire [NSR - 1:0] srst_q;
	wire        sr_busy;   // SOFT_RESET reads 1: asked, done or resetting
	wire        resetting; // the registers' reset on its way or here

	// -------------------------------------------------------- AXI4-Lite
	// a read takes five clocks, every stage a register: the address is
	// registered (ra, in rd1) and held until RVALID's handshake (no new
	// address is taken before it), so the stages after it load every
	// clock and are right from their depth on.  rd2: fe_stats' copies of
	// the counter index, the latch's index and read kind (st_*), the
	// global register's code (g_q), the queue pairs' IRQ registers
	// (rq_irq), copies of the word select per queue ring and per RSS group;
	// rd3: fe_stats' groups of 8 counters, the latch word (lat_q), the
	// global register (rq_g), each ring's register (rq_ring), each RSS
	// group's word (rq_rgrp); rd4: the
	// counter (stats_rd_val), the latch's value (rq_lat), the ring's or
	// IRQ register (rq_q), the RSS word (rq_rss); then the groups' OR is
	// s_rdata with RVALID, and a LO read writes the latch
	reg  rd1, rd2, rd3, rd4;
	reg  bpend;   // a write's handshake: BVALID on the clock after
	wire wr = s_awvalid && s_wvalid && !s_bvalid && !bpend && !resetting;
	wire rd = s_arvalid && !s_rvalid && !rd1 && !rd2 && !rd3 && !rd4;
	assign s_awready = wr;
	assign s_wready = wr;
	assign s_arready = rd;
	assign s_bresp = 2'b00;
	assign s_rresp = 2'b00;
	reg  [15:0] ra;   // the read's address, registered (rd1)

	always @(posedge clk) begin
		if (rst) begin
			s_bvalid <= 1'b0;
			bpend <= 1'b0;
			s_rvalid <= 1'b0;
			rd1 <= 1'b0;
			rd2 <= 1'b0;
			rd3 <= 1'b0;
			rd4 <= 1'b0;
		end else begin
			bpend <= wr;
			if (bpend)
				s_bvalid <= 1'b1;
			else if (s_bready)
				s_bvalid <= 1'b0;
			rd1 <= rd;
			rd2 <= rd1;
			rd3 <= rd2;
			rd4 <= rd3;
			if (rd4)
				s_rvalid <= 1'b1;
			else if (s_rready)
				s_rvalid <= 1'b0;
		end
	end
	always @(posedge clk)
		if (rd)
			ra <= {s_araddr[15:2], 2'b00};

	// --------------------------------------------------------- decode
	// queue pair block: 0x1000 + 0x100 q, q < NUM_QP; TX at 0x00, RX at 0x40
	function automatic is_q(input [15:8] a);
		is_q = a[15:11] == 5'b00010 && {29'h0, a[10:8]} < NUM_QP;
	endfunction
	wire [2:0]  rq = ra[10:8];
	wire [7:0]  ro = ra[7:0];
	wire        rx_half_r = ro[6];
	wire [3:0]  ri_full = {rq, rx_half_r};   // ring index 2q + d
	wire [IW - 1:0] ri = ri_full[IW - 1:0];
	wire [QIW - 1:0] rqi = rq[QIW - 1:0];
	// a write is taken into registers at its handshake (its address aw,
	// its data wd1 and wv, "a full-word write"), decoded on the clock after
	// into one strobe per register or group it can address, and performed
	// on the clock after that, with its data then in wd, the clock its
	// response can be taken on (BVALID rises the clock before: bpend): the
	// decode starts from flip-flops, not from the AXI inputs (the whole
	// IP's clk path at the reset tree's default seed ran from AWVALID
	// through the decode), and no one enable reaches every register.  The
	// strobes: wg (the global registers of G_ADDR), wkey and
	// windir (one RSS word each), wirq (a queue pair's IRQ_STATUS,
	// IRQ_ENABLE, IRQ_SET), wring (one per writable register of each queue
	// ring, RING_W) and enabling (a CTRL write to a ring that sets ENABLE
	// from 0 to 1).  enabling reads the ring's enable at the decode: only
	// a write changes it, and none is performed in that clock (the write
	// before was performed by the clock its response was taken on, before
	// this write's handshake).  Writes decoded while SOFT_RESET reads 1
	// are ignored (no strobe); so are handshakes during rst (wv) and
	// decodes (the strobes' synchronous reset: the flip-flops' reset
	// input, not the decode's logic: timing, rtl/README.md, "Synthesis").
	localparam NG = 17;
	localparam [16 * NG - 1:0] G_ADDR = {
		16'h0300, 16'h0208, 16'h0204, 16'h0200, 16'h0188, 16'h0184,
		16'h0180, 16'h0120, 16'h011c, 16'h0118, 16'h0114, 16'h0110,
		16'h010c, 16'h0108, 16'h0104, 16'h0100, 16'h000c};
	localparam G_SCRATCH = 0, G_CTRL = 1, G_MAC_CFG = 2, G_MAC_LO = 3,
		   G_MAC_HI = 4, G_MFL = 5, G_MC_LO = 6, G_MC_HI = 7, G_PQ = 8,
		   G_PAUSE_CMD = 9, G_MDIO_CMD = 10, G_MDIO_DATA = 11,
		   G_MDIO_CFG = 12, G_MISC_ST = 13, G_MISC_EN = 14, G_MISC_SET = 15,
		   G_STATS = 16;
	reg  [15:0] aw;
	reg  [31:0] wd1, wd;
	reg         wv;
	always @(posedge clk) begin
		aw <= {s_awaddr[15:2], 2'b00};
		wd1 <= s_wdata;
		wd <= wd1;
		wv <= !rst && wr && s_wstrb == 4'hf;
	end
	wire [3:0]  aw_ri = {aw[10:8], aw[6]};
	wire        we_d = wv && !sr_busy;
	wire        aw_q = we_d && is_q(aw[15:8]);
	reg  [NG - 1:0] wg;
	reg  [9:0]  wkey;
	reg  [31:0] windir;
	reg  [3 * NUM_QP - 1:0] wirq;   // [3g] STATUS, [3g+1] ENABLE, [3g+2] SET
	// a ring's writable registers: BASE_LO, BASE_HI, SIZE, TAIL, CTRL,
	// COAL; wring[l][k]: register k of ring l
	localparam NRW = 6;
	localparam [6 * NRW - 1:0] RING_W = {6'h1c, 6'h14, 6'h10, 6'h08, 6'h04, 6'h00};
	localparam W_BASE_LO = 0, W_BASE_HI = 1, W_SIZE = 2, W_TAIL = 3, W_CTRL = 4,
		   W_COAL = 5;
	reg  [NRW - 1:0] wring [0:NR - 1];
	reg  [NR - 1:0] enabling;
	// enabling's copy for the rings' ERR_ADDR (64 flip-flops each, by the
	// engines' halt addresses: one net to them and to the ring's other
	// registers crossed the die; timing, rtl/README.md "Synthesis");
	// aw_ring: the handshake's address is in ring l's registers 0x00-0x3f
	wire [NR - 1:0] aw_ring, enabling_d, enabling_ea;
	reg  [NR - 1:0] bad_size;   // a ring's SIZE, invalid (below)
	integer m, mk;
	always @(posedge clk) begin
		if (rst) begin
			wg <= {NG{1'b0}};
			wkey <= 10'h0;
			windir <= 32'h0;
			wirq <= {(3 * NUM_QP){1'b0}};
			for (m = 0; m < NR; m = m + 1)
				wring[m] <= {NRW{1'b0}};
		end else begin
			for (m = 0; m < NG; m = m + 1)
				wg[m] <= we_d && aw == G_ADDR[16 * m +: 16];
			for (m = 0; m < 10; m = m + 1)
				wkey[m] <= we_d && aw[15:8] == 8'h06 && aw[7:2] == m[5:0];
			for (m = 0; m < 32; m = m + 1)
				windir[m] <= we_d && aw[15:8] == 8'h07 && !aw[7] &&
					     aw[6:2] == m[4:0];
			for (m = 0; m < 3 * NUM_QP; m = m + 1)
				wirq[m] <= aw_q && {29'h0, aw[10:8]} == m / 3 &&
					   aw[7:0] == 8'h80 + 8'h04 * (m[7:0] % 8'h03);
			for (m = 0; m < NR; m = m + 1)
				for (mk = 0; mk < NRW; mk = mk + 1)
					wring[m][mk] <= aw_ring[m] &&
						       aw[5:0] == RING_W[6 * mk +: 6];
		end
		enabling <= enabling_d;   // (0 in rst: enabling_d's !rst)
	end
	genvar e;
	generate
		for (e = 0; e < NR; e = e + 1) begin : g_enabling
			assign aw_ring[e] = aw_q && !aw[7] && aw_ri == e;
			assign enabling_d[e] = !rst && aw_ring[e] &&
					       aw[5:0] == RING_W[6 * W_CTRL +: 6] &&
					       wd1[0] && !enable[e];
		end
	endgenerate
	fe_keep_reg #(.W(NR)) u_en_ea (.clk(clk), .rst(1'b0), .d(enabling_d),
				       .q(enabling_ea));
	// the counters at 0x0400-0x055f: counter ra[8:3] (0x0400 leaves bits
	// 9:0 of the offset as they are: no subtraction), LO or HI by ra[2]
	wire        r_stats = ra[15:10] == 6'b000001 && ra[9:0] < 10'h160;
	assign stats_rd_idx = ra[8:3];

	function automatic [15:0] tail_mask(input en, input [3:0] lg, input [3:0] sz);
		reg [3:0] n;
		begin
			n = en ? lg : (sz > MAX_RING_LOG2 ? MAX_RING_LOG2 : sz);
			tail_mask = (16'h1 << n) - 16'h1;
		end
	endfunction

	// the global registers' multiplexer (0 outside them), in two steps
	// (timing: rtl/README.md, "Synthesis"): the held address reduced to
	// its 7 bits that name a global register (g_q, at rd2: gcode), then
	// the register (rq_g, at rd3).  gcode's bit 6: in 0x0000-0x03ff with
	// bits 6:5 0 (every global register's); with it, bits 9:7 and 4:2 give
	// every such address (bits 1:0 are 0) a code of its own: no alias.
	/* verilator lint_off UNUSEDSIGNAL */   // (bits 1:0)
	function automatic [6:0] gcode(input [15:0] a);
		gcode = {a[15:10] == 6'h0 && a[6:5] == 2'b00, a[9:7], a[4:2]};
	endfunction
	/* verilator lint_on UNUSEDSIGNAL */
	// (fe_keep_reg: a plain register was merged with a read tree's copy of
	// ra[4:2] across the die)
	wire [6:0] g_q;
	fe_keep_reg #(.W(7)) u_gq (.clk(clk), .rst(1'b0), .d(gcode(ra)), .q(g_q));
	reg [31:0] rv_g;
	always @* begin
		rv_g = 32'h0;
		case (g_q)
		gcode(16'h0000): rv_g = 32'h46504745;
		gcode(16'h0004): rv_g = VERSION;
		gcode(16'h0008): rv_g = BUILD_ID;
		gcode(16'h000c): rv_g = scratch;
		gcode(16'h0010): rv_g = CAP0;
		gcode(16'h0014): rv_g = FEATURES;
		gcode(16'h0018): rv_g = CAP2;
		gcode(16'h001c): rv_g = CAP3;
		gcode(16'h0100): rv_g = {ctrl[31:1], sr_busy};
		gcode(16'h0104): rv_g = {29'h0, mac_cfg};
		gcode(16'h0108): rv_g = mac_lo;
		gcode(16'h010c): rv_g = {16'h0, mac_hi};
		gcode(16'h0110): rv_g = {16'h0, max_frame_len};
		gcode(16'h0114): rv_g = mc_lo;
		gcode(16'h0118): rv_g = mc_hi;
		gcode(16'h011c): rv_g = {16'h0, pause_quanta};
		gcode(16'h0180): rv_g = {mdio_start || mdio_busy, 19'h0, mdio_cmd};
		gcode(16'h0184): rv_g = {16'h0, mdio_data};
		gcode(16'h0188): rv_g = {24'h0, mdio_cfg};
		gcode(16'h0200): rv_g = {28'h0, misc_status};
		gcode(16'h0204): rv_g = {28'h0, misc_enable};
		gcode(16'h020c): rv_g = {{(32 - NUM_QP){1'b0}}, irq_q};
		default: rv_g = 32'h0;
		endcase
	end

	// the groups' values: registered every clock from the held address
	// (st_* right at rd2, rq_g and lat_q at rd3, rq_lat, rq_rss and rq_q
	// at rd4: see the read's stages above).  The statistics: a LO read
	// takes the counter's bits 31:0 from fe_stats and writes its bits
	// 63:32 into the latch with s_rdata, from the same register, so one
	// instant's value; a HI read takes the latch, 0 until a LO read of the
	// counter wrote it since the last reset or STATS_CTRL.CLEAR (lat_ok)
	reg [31:0] rq_g, lat_q, rq_lat;
	reg        st_lo, st_hi, lat_ok_q;
	reg [5:0]  st_idx;
	always @(posedge clk) begin
		rq_g <= rv_g;
		st_lo <= r_stats && !ra[2];
		st_hi <= r_stats && ra[2];
		st_idx <= ra[8:3];
		lat_q <= stats_latch[st_idx];
		lat_ok_q <= lat_ok[st_idx];
		rq_lat <= st_hi && lat_ok_q ? lat_q : 32'h0;
	end
	always @(posedge clk)
		if (rd4)
			s_rdata <= (st_lo ? stats_rd_val[31:0] : 32'h0) | rq_lat | rq_rss | rq_q | rq_g;
	always @(posedge clk)
		if (rd4 && st_lo)
			stats_latch[st_idx] <= stats_rd_val[63:32];

	// the RSS and queue pair groups as registered trees, like fe_stats':
	// a copy of the word select per ring and per group of 8 RSS words
	// (rd2; fe_keep_reg),
	// each ring's register and each group's word (rd3), then the ring or
	// group the held address names (rq_q, rq_rss at rd4; 0 outside)
	localparam NRG = 6;   // RSS groups: key 0-7, key 8-9, indirection 0-31 by 8
	reg [31:0] rq_ring [0:NR - 1];
	reg [31:0] rq_rgrp [0:NRG - 1];
	reg [31:0] rq_q, rq_rss;
	reg [1:0]  rq_irq [0:NUM_QP - 1];   // IRQ_STATUS or IRQ_ENABLE (rd2)
	// the selects of rq_q and rq_rss from the held address, registered
	// (rd2) so that rd4's multiplexers start at flip-flops of their own:
	// the ring or queue pair, a queue pair register or IRQ register, the
	// RSS group (key 0-7, 8-9, indirection 0-31 by 8 at 0x0600-0x07ff)
	// (fe_keep_reg: kept apart from the other copies of ra's bits)
	wire [IW - 1:0]  ri_q;
	wire [QIW - 1:0] rqi_q;
	wire       q_ok, q_irq, rs_ok;
	wire [2:0] rs_g;
	fe_keep_reg #(.W(IW + QIW + 2)) u_qsel (.clk(clk), .rst(1'b0),
		.d({ri, rqi, is_q(ra[15:8]), ro[7]}), .q({ri_q, rqi_q, q_ok, q_irq}));
	fe_keep_reg #(.W(4)) u_rsel (.clk(clk), .rst(1'b0),
		.d({ra[15:9] == 7'b0000011 && (!ra[8] ? ra[7:6] == 2'b00 : !ra[7]),
		    !ra[8] ? {2'b00, ra[5]} : {1'b0, ra[6:5]} + 3'd2}),
		.q({rs_ok, rs_g}));
	integer n;
	always @(posedge clk) begin
		for (n = 0; n < NUM_QP; n = n + 1)
			rq_irq[n] <= ro == 8'h80 ? irq_status[n] : ro == 8'h84 ? irq_enable[n] : 2'h0;
		rq_q <= !q_ok ? 32'h0 : !q_irq ? rq_ring[ri_q] : {30'h0, rq_irq[rqi_q]};
		rq_rss <= rs_ok ? rq_rgrp[rs_g] : 32'h0;
	end
	genvar g;
	generate
		for (g = 0; g < NR; g = g + 1) begin : g_rring
			wire [3:0] sel_q;   // the register's word, offsets 0x00-0x3c
			fe_keep_reg #(.W(4)) u_sel (.clk(clk), .rst(1'b0), .d(ra[5:2]), .q(sel_q));
			wire [15:0] head = g % 2 == 1 ? q_rx_head[16 * (g / 2) +: 16] :
						   q_tx_head[16 * (g / 2) +: 16];
			wire busy = g % 2 == 1 ? q_rx_busy[g / 2] : q_tx_busy[g / 2];
			// an engine's busy drops on its halt's clock, HALTED is
			// set a clock later: not IDLE in that clock either
			wire halting = g % 2 == 1 ? q_rx_halt[g / 2] : q_tx_halt[g / 2];
			always @(posedge clk)
				case (sel_q)
				4'h0: rq_ring[g] <= base_lo[g];
				4'h1: rq_ring[g] <= base_hi[g];
				4'h2: rq_ring[g] <= {28'h0, size[g]};
				4'h3: rq_ring[g] <= {16'h0, head};
				4'h4: rq_ring[g] <= {16'h0, tail[g]};
				4'h5: rq_ring[g] <= {31'h0, enable[g]};
				4'h6: rq_ring[g] <= {20'h0, cause[g], 6'h0,
						     FEATURES[10] && !enable[g] && !busy && !halting,   // IDLE (QUEUE_IDLE)
						     halted[g]};
				4'h7: rq_ring[g] <= coal[g];
				4'h8: rq_ring[g] <= err_addr[g][31:0];
				4'h9: rq_ring[g] <= err_addr[g][63:32];
				4'ha: rq_ring[g] <= drops[g];
				default: rq_ring[g] <= 32'h0;
				endcase
		end
		for (g = 0; g < NRG; g = g + 1) begin : g_rrss
			wire [2:0] sel_q;   // the word in the group
			fe_keep_reg #(.W(3)) u_sel (.clk(clk), .rst(1'b0), .d(ra[4:2]), .q(sel_q));
			always @(posedge clk)
				if (g < 2)
					rq_rgrp[g] <= 8 * g + sel_q < 10 ? rss_key_r[8 * g + sel_q] : 32'h0;
				else
					rq_rgrp[g] <= rss_indir_r[8 * (g - 2) + sel_q];
		end
	endgenerate

	// ---------------------------------------------------- soft reset
	// The reset of this file's registers (srst_q) and of every block
	// outside (core_rst) are flip-flops loaded from one term, rst or the
	// soft reset's pulse (sr_do), through two flip-flops per copy (u_r1,
	// u_r): a copy per group of registers here and one per block outside
	// (fe_core), each placed by what it resets and its first flip-flop
	// on the way, so that no one net reaches every reset input from
	// across the die (the whole IP's paths at e1db632 led with rst
	// through a gate to the registers' resets; with one flip-flop per
	// copy, the RX engine's copy sat by fe_regs, a 10 ns net from its
	// loads: timing, rtl/README.md "Synthesis"); a flip-flop, not a gate,
	// drives the clock crossings' asynchronous resets.  All of them reset
	// on the same clock: the second after sr_do, or after rst's first, and
	// for two more after rst's last; no write is taken while the first
	// flip-flops or the copies are high (resetting: its decode would fall
	// on a reset clock).
	wire srst_d = rst || sr_do;
	wire [NSR - 1:0] srst_1;
	wire [NCR - 1:0] crst_1;
	genvar c;
	generate
		for (c = 0; c < NSR; c = c + 1) begin : g_srst
			fe_keep_reg u_r1 (.clk(clk), .rst(1'b0), .d(srst_d), .q(srst_1[c]));
			fe_keep_reg u_r (.clk(clk), .rst(1'b0), .d(srst_1[c]), .q(srst_q[c]));
		end
		for (c = 0; c < NCR; c = c + 1) begin : g_crst
			fe_keep_reg u_r1 (.clk(clk), .rst(1'b0), .d(srst_d), .q(crst_1[c]));
			fe_keep_reg u_r (.clk(clk), .rst(1'b0), .d(crst_1[c]), .q(core_rst[c]));
		end
	endgenerate
	assign resetting = srst_1[SR_G] || srst_q[SR_G];
	assign sr_busy = sr_pending || sr_do || resetting;
	assign soft_reset_req = sr_busy;
	assign sr_waiting = sr_pending;
	assign sr_due = sr_pending && dma_quiet ? {16'h0, CLK_MHZ - sr_cnt} : 32'hffffffff;

	always @(posedge clk) begin
		sr_do <= 1'b0;
		if (srst_q[SR_G]) begin
			sr_pending <= 1'b0;
			sr_cnt <= 16'h0;
		end else if (sr_pending) begin
			// 1 us (CLK_MHZ clocks) after the last DMA access
			if (!dma_quiet)
				sr_cnt <= 16'h0;
			else if (time_en)
				sr_cnt <= sr_cnt + 16'h1;
			if (dma_quiet && time_en && sr_cnt + 16'h1 >= CLK_MHZ) begin
				sr_pending <= 1'b0;
				sr_do <= 1'b1;
			end
		end else if (wg[G_CTRL] && wd[0])
			sr_pending <= 1'b1;
	end

	// the statistics latches written since the last reset or CLEAR
	always @(posedge clk)
		if (srst_q[SR_G] || stats_clear)
			lat_ok <= 44'h0;
		else if (rd4 && st_lo)
			lat_ok[st_idx] <= 1'b1;

	// -------------------------------------------------- global writes
	integer i, j, k, l, ii;   // one loop variable per always block
	wire [3:0] misc_set_w = wg[G_MISC_SET] ? wd[3:0] : 4'h0;
	reg  [3:0] misc_ev;
	always @* begin
		misc_ev = misc_event | misc_set_w;
		if (link_q != link_up)
			misc_ev[0] = 1'b1;
		if (mdio_done)
			misc_ev[2] = 1'b1;
		for (i = 0; i < NR; i = i + 1)
			if (i[0] ? q_rx_halt[i / 2] : q_tx_halt[i / 2])
				misc_ev[1] = 1'b1;
		// enabling a ring with an invalid SIZE halts it: DMA_ERR
		if (|(enabling & bad_size))
			misc_ev[1] = 1'b1;
	end

	always @(posedge clk) begin
		xoff_req <= 1'b0;
		xon_req <= 1'b0;
		mdio_start <= 1'b0;
		stats_clear <= 1'b0;
		link_q <= link_up;
		if (srst_q[SR_G]) begin
			scratch <= 32'h0;
			ctrl <= 32'h0;
			mac_cfg <= 3'h6;
			mac_lo <= 32'h0;
			mac_hi <= 16'h0;
			max_frame_len <= MFL_RESET;
			mc_lo <= 32'h0;
			mc_hi <= 32'h0;
			pause_quanta <= 16'hffff;
			mdio_cmd <= 12'h0;
			mdio_data <= 16'h0;
			mdio_cfg <= 8'h3f;
			misc_status <= 4'h0;
			misc_enable <= 4'h0;
		end else begin
			misc_status <= misc_status | misc_ev;
			if (mdio_done && mdio_cmd[11:10] == 2'd2)
				mdio_data <= mdio_rdata;
			// wg is one-hot: at most one of these per write
			if (wg[G_SCRATCH])
				scratch <= wd;
			if (wg[G_CTRL] && !wd[0])
				ctrl <= wd & CTRL_WR;
			if (wg[G_MAC_CFG])
				mac_cfg <= wd[2:0];
			if (wg[G_MAC_LO])
				mac_lo <= wd;
			if (wg[G_MAC_HI])
				mac_hi <= wd[15:0];
			if (wg[G_MFL] && wd[15:0] >= 16'd64 && wd[15:0] <= MAX_FRAME)
				max_frame_len <= wd[15:0];
			if (wg[G_MC_LO])
				mc_lo <= wd;
			if (wg[G_MC_HI])
				mc_hi <= wd;
			if (wg[G_PQ])
				pause_quanta <= wd[15:0];
			if (wg[G_PAUSE_CMD] && FEATURES[6] && ctrl[1]) begin
				xoff_req <= wd[0];
				xon_req <= wd[1];
			end
			if (wg[G_MDIO_CMD] && !mdio_start && !mdio_busy) begin
				mdio_cmd <= wd[11:0];
				mdio_start <= wd[31] && (wd[11:10] == 2'd1 || wd[11:10] == 2'd2);
			end
			if (wg[G_MDIO_DATA] && !(mdio_done && mdio_cmd[11:10] == 2'd2))
				mdio_data <= wd[15:0];
			if (wg[G_MDIO_CFG])
				mdio_cfg <= wd[7:0];
			if (wg[G_MISC_ST])
				misc_status <= (misc_status & ~wd[3:0]) | misc_ev;
			if (wg[G_MISC_EN])
				misc_enable <= wd[3:0];
			if (wg[G_STATS])
				stats_clear <= wd[0];
		end
	end

	// RSS_KEY0-9 and the indirection table
	always @(posedge clk)
		for (j = 0; j < 10; j = j + 1)
			if (srst_q[SR_KEY])
				rss_key_r[j] <= 32'h0;
			else if (wkey[j])
				rss_key_r[j] <= wd;
	always @(posedge clk)
		for (ii = 0; ii < 32; ii = ii + 1)
			if (srst_q[SR_IND])
				rss_indir_r[ii] <= 32'h0;
			else if (windir[ii])
				rss_indir_r[ii] <= wd & 32'h07070707;

	// ---------------------------------------------- queue pair writes
	always @*
		for (k = 0; k < NR; k = k + 1)
			bad_size[k] = size[k] < 4'd3 || size[k] > MAX_RING_LOG2;

	always @(posedge clk) begin
		for (l = 0; l < NR; l = l + 1) begin
			if (srst_q[l]) begin
				base_lo[l] <= 32'h0;
				base_hi[l] <= 32'h0;
				size[l] <= 4'h0;
				log2[l] <= 4'h0;
				tail[l] <= 16'h0;
				enable[l] <= 1'b0;
				halted[l] <= 1'b0;
				cause[l] <= 4'h0;
				err_addr[l] <= 64'h0;
				coal[l] <= 32'h1;
				drops[l] <= 32'h0;
			end else begin
				if (l[0] ? q_rx_nobuf[l / 2] : q_tx_discard[l / 2])
					drops[l] <= drops[l] + 32'h1;
				if ((l[0] ? q_rx_halt[l / 2] : q_tx_halt[l / 2]) && !enabling[l]) begin
					halted[l] <= 1'b1;
					cause[l] <= l[0] ? q_rx_halt_cause[4 * (l / 2) +: 4] :
							   q_tx_halt_cause[4 * (l / 2) +: 4];
				end
				if ((l[0] ? q_rx_halt[l / 2] : q_tx_halt[l / 2]) && !enabling_ea[l])
					err_addr[l] <= l[0] ? q_rx_halt_addr[64 * (l / 2) +: 64] :
							      q_tx_halt_addr[64 * (l / 2) +: 64];
				if (wring[l][W_BASE_LO])
					base_lo[l] <= {wd[31:4], 4'h0};
				if (wring[l][W_BASE_HI])
					base_hi[l] <= wd;
				if (wring[l][W_SIZE])
					size[l] <= wd[3:0];
				if (wring[l][W_TAIL])
					tail[l] <= wd[15:0] & tail_mask(enable[l], log2[l], size[l]);
				if (wring[l][W_CTRL]) begin
					enable[l] <= wd[0];
					if (enabling[l]) begin
						// one assignment per element: with a
						// second, later one in this loop the
						// Verilated model kept the first
						tail[l] <= 16'h0;
						halted[l] <= bad_size[l];
						cause[l] <= bad_size[l] ? CAUSE_RING_CONFIG : 4'h0;
						log2[l] <= bad_size[l] ? 4'h0 : size[l];
					end
				end
				if (enabling_ea[l])   // (enabling's copy: a CTRL write)
					err_addr[l] <= bad_size[l] ? {base_hi[l], base_lo[l]} : 64'h0;
				if (wring[l][W_COAL])
					coal[l] <= wd;
			end
		end
	end

	generate
		for (g = 0; g < NUM_QP; g = g + 1) begin : g_qp
			wire [1:0] set_w = wirq[3 * g + 2] ? wd[1:0] : 2'b0;
			wire [1:0] ev = q_irq_event[2 * g +: 2] | set_w;
			always @(posedge clk) begin
				if (srst_q[2 * g]) begin
					irq_status[g] <= 2'b0;
					irq_enable[g] <= 2'b0;
				end else begin
					irq_status[g] <= irq_status[g] | ev;
					if (wirq[3 * g])
						irq_status[g] <= (irq_status[g] & ~wd[1:0]) | ev;
					if (wirq[3 * g + 1])
						irq_enable[g] <= wd[1:0];
				end
			end
			assign irq_q[g] = |(irq_status[g] & irq_enable[g]);
			assign q_tx_base[64 * g +: 64] = {base_hi[2 * g], base_lo[2 * g]};
			assign q_rx_base[64 * g +: 64] = {base_hi[2 * g + 1], base_lo[2 * g + 1]};
			assign q_tx_log2[4 * g +: 4] = log2[2 * g];
			assign q_rx_log2[4 * g +: 4] = log2[2 * g + 1];
			assign q_tx_tail[16 * g +: 16] = tail[2 * g];
			assign q_rx_tail[16 * g +: 16] = tail[2 * g + 1];
			assign q_tx_enable[g] = enable[2 * g];
			assign q_rx_enable[g] = enable[2 * g + 1];
			assign q_tx_coal[32 * g +: 32] = coal[2 * g];
			assign q_rx_coal[32 * g +: 32] = coal[2 * g + 1];
		end
		for (g = 0; g < 10; g = g + 1) begin : g_key
			assign rss_key[32 * g +: 32] = rss_key_r[g];
		end
		for (g = 0; g < 32; g = g + 1) begin : g_indir
			assign rss_indir[32 * g +: 32] = rss_indir_r[g];
		end
	endgenerate

	// bits the decode does not need: the byte lanes of the addresses, the
	// ring index's top bit with fewer than 5 queue pairs, CTRL[0]
	// (SOFT_RESET is sr_busy)
	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = &{1'b0, s_awaddr[1:0], s_araddr[1:0], ri_full, aw[1:0],
			ctrl[0]};
	/* verilator lint_on UNUSEDSIGNAL */

	assign irq_misc = |(misc_status & misc_enable);
	assign tx_en = ctrl[1];
	assign rx_en = ctrl[2];
	assign promisc = ctrl[3];
	assign allmulti = ctrl[4];
	assign loopback = ctrl[5];
	assign rss_en = ctrl[6];
	assign rx_csum_en = ctrl[7];
	assign rx_pause_en = ctrl[8];
	assign tx_pause_en = ctrl[9];
	assign speed = mac_cfg[1:0];
	assign full_duplex = mac_cfg[2];
	assign station_addr = {mac_hi, mac_lo};
	assign mc_hash = {mc_hi, mc_lo};
	assign mdio_op = mdio_cmd[11:10];
	assign mdio_phyad = mdio_cmd[9:5];
	assign mdio_regad = mdio_cmd[4:0];
	assign mdio_wdata = mdio_data;
	assign mdio_div = mdio_cfg;
endmodule
`default_nettype wire
