// SPDX-License-Identifier: GPL-2.0
// fe_dma_rx: the RX FIFO, the receive parser (RSS hash, RX checksum) and
// the RX engine of NQ queues.
//
// FIFO: frames from the MAC (rx_*, no backpressure; rx_tuser at rx_tlast
// drops the frame) go into a byte FIFO of 2^FIFO_AW bytes, their lengths
// into a queue of 2^LQ_AW entries; a frame is ready when its last byte is
// in.  A frame that does not fit (FIFO or length queue full) is dropped
// whole: ovf (RX_FIFO_OVF) for one cycle.  The FIFO is the crossing from
// the receiver's clock (rx_clk, GMII RX_CLK) to clk: it is written on
// rx_clk (rx_*; rx_rst: rst through an fe_rst_sync of fe_core's) and
// read on clk.  The length queue is an fe_async_fifo (written when a
// frame is complete, so the engine sees a length only after its bytes
// are in); the engine's read pointer goes back to the writer through
// fe_cdc_bus (free space, a few clocks late: the FIFO may look fuller
// than it is, never emptier); the overflow pulse through fe_cdc_pulse.
// Dropping a frame whole on overflow happens in rx_clk's domain, where
// the bytes arrive.
//
// Parser (fe_rx_parse, rx_clk): the RSS hash input and the Toeplitz hash
// are computed while the header streams in, the checksum (bytes 14 to the
// end) while the frame does, from the stream registered once at this
// block's input; the FIFO's write side sees it two rx_clk later again,
// so that a frame's entry in the length queue carries its length,
// RSS_HASH, HASH_TYPE and CSUM.  The key (RSS_KEY0-9) reaches
// rx_clk's domain through fe_cdc_bus: a key write is in effect for the
// frames whose header starts some ten clocks after it.
//
// Steering (clk), when a frame reaches the head of the FIFO: with rss_en
// and a HASH_TYPE other than 0 the queue is indirection table entry
// hash[6:0] (0 if the entry is NQ or more), else queue 0 with RSS_HASH and
// HASH_TYPE written back as 0; CSUM_VALID is rx_csum_en at that point.  So
// RSS_EN, RX_CSUM_EN and the table act on the frames that reach the head
// after the write (frames already in the FIFO included); the key on the
// frames that arrive after it.
//
// Engine, the frame at the head of the FIFO, for its queue q:
// 1. queue not enabled, halted, or halted by RING_CONFIG: dropped, nobuf;
// 2. reads descriptors (ADDR and BUF_LEN, bytes 0-9) from HEAD on until
//    their BUF_LEN add up to the frame's length; while TAIL hands over too
//    few it waits (and the FIFO behind it fills, whatever the queues of
//    the frames behind), unless ENABLE goes 0 or the ring is full (size - 1
//    descriptors read): then the frame is dropped, nobuf.  BUF_LEN 0
//    halts the queue (DESC_INVALID);
// 3. per descriptor, in order: reads it again (the spec lets the device
//    read a descriptor between HEAD and TAIL more than once; this engine
//    keeps no descriptor store but the last one read: a frame that one
//    descriptor takes whole is not read again), writes its part of the
//    frame to ADDR,
//    then its body: bytes 0-9 (RSS_HASH, CSUM and LEN; RSS_HASH and CSUM
//    in the EOP descriptor only, else 0) and 12-15 (0);
// 4. writes the STATUS words (DONE; EOP, CSUM_VALID and HASH_TYPE in the
//    last) from the last descriptor back to the first;
// 5. after the OKAY of the first one, advances the queue's HEAD and counts
//    the completion (its fe_coal).
// Every access completes (write response) before the next starts.  A bus
// error halts the queue (DESC_READ, BUF_ACCESS, DESC_WRITE with the spec's
// ERR_ADDR) and drops the rest of the frame, counted in nobuf.  ENABLE 0 to
// 1 sets HEAD to 0 and clears the halt.  halt, nobuf and busy are per
// queue; halt_cause and halt_addr go with the halt pulse.
`default_nettype none
module fe_dma_rx #(
	parameter        NQ      = 1,         // RX queues
	parameter        FIFO_AW = 14,        // RX FIFO of 2^FIFO_AW bytes
	parameter        LQ_AW   = 8,         // up to 2^LQ_AW frames in it
	parameter [15:0] CLK_MHZ = 16'd125
) (
	input  wire        clk,
	/* verilator lint_off SYNCASYNCNET */
	input  wire        rst,
	/* verilator lint_on SYNCASYNCNET */
	input  wire        rx_clk,        // the rx_* side and the FIFO's writes
	/* verilator lint_off SYNCASYNCNET */
	input  wire        rx_rst,        // rst in rx_clk's domain (fe_rst_sync)
	/* verilator lint_on SYNCASYNCNET */
	// queue registers
	input  wire [64 * NQ - 1:0] base,
	input  wire [4 * NQ - 1:0]  log2,
	input  wire [16 * NQ - 1:0] tail,
	input  wire [NQ - 1:0]      enable,
	input  wire [32 * NQ - 1:0] coal,
	// RSS and checksum settings (CTRL.RSS_EN, RX_CSUM_EN, RSS_KEY, RSS_INDIR)
	input  wire        rss_en,
	input  wire        csum_en,
	input  wire [319:0] rss_key,
	input  wire [1023:0] rss_indir,
	input  wire        time_en,       // the coalescing timers count (fe_coal)
	output wire [16 * NQ - 1:0] head,
	output wire [NQ - 1:0]      busy,
	output reg  [NQ - 1:0]      halt,
	output reg  [3:0]  halt_cause,
	output reg  [63:0] halt_addr,
	output reg  [NQ - 1:0]      nobuf,   // one cycle per frame dropped for the queue (a clock after)
	output wire        ovf,           // one cycle per frame the FIFO could not take
	output wire [NQ - 1:0]      irq_event,
	output wire        timer,         // a coalescing timer counts
	output wire [31:0] timer_due,     // time_en clocks until the first fires
	output wire        empty,         // no frame in the FIFO
	// from the MAC, on rx_clk
	input  wire        rx_tvalid,
	input  wire [7:0]  rx_tdata,
	input  wire        rx_tlast,
	input  wire        rx_tuser,
	// DMA master client
	output reg         d_req,
	output reg         d_write,
	output reg  [63:0] d_addr,
	output reg  [15:0] d_len,
	input  wire        d_done,
	input  wire        d_err,
	input  wire        d_rvalid,
	input  wire [31:0] d_rdata,   // a beat (a descriptor's: from lane 0)
	input  wire        d_pull,
	input  wire [2:0]  d_n,       // the bytes of the beat pulled (1-4)
	output wire [31:0] d_wdata,   // the next four bytes, round the word
	output wire [1:0]  d_wrot     // the lane of the first
);
	localparam S_IDLE = 4'd0, S_SCAN = 4'd1, S_WAIT = 4'd2, S_DESC = 4'd3,
		   S_DATA = 4'd4, S_BODY = 4'd5, S_BODY2 = 4'd6, S_STAT = 4'd7,
		   S_DROP = 4'd8, S_STEER = 4'd9, S_HASH = 4'd10, S_LOAD = 4'd11,
		   S_HASH2 = 4'd12, S_SCAN2 = 4'd13, S_DESC2 = 4'd14;
	localparam [3:0] C_DESC_READ = 4'd1, C_BUF_ACCESS = 4'd2, C_DESC_WRITE = 4'd3,
			 C_DESC_INVALID = 4'd5;
	localparam FW = FIFO_AW + 1;
	localparam LW = 66;             // length queue: {CSUM, HASH_TYPE, RSS_HASH, LEN}
	localparam QW = NQ > 4 ? 3 : NQ > 2 ? 2 : 1;

	// ------------------------------------------------------- parser (rx_clk)
	wire [319:0] key_w;             // rss_key in rx_clk's domain
	wire [31:0] p_hash;
	wire [1:0]  p_htype;
	wire [15:0] p_sum;
	// (DRST 0: no frame reaches the parser after a reset until CTRL.RX_EN
	// is written and has crossed into rx_clk's domain, a handshake later
	// than the key's first copy, some seven clocks after the reset)
	fe_cdc_bus #(.W(320), .DRST(0)) u_key (
		.s_clk(clk), .s_rst(rst), .s_data(rss_key),
		.d_clk(rx_clk), .d_rst(rx_rst), .d_data(key_w));
	// the stream from the MAC through three rx_clk registers, {tuser,
	// tlast, tdata} and tvalid a stage each.  The first (i_*) feeds the
	// parser: fe_mac sits by the GMII pins and the parser by the FIFO, and
	// the route between them had the whole rx_clk period to itself
	// (timing: rtl/README.md, "Synthesis").  The last (s_*) feeds the
	// FIFO: the parser's results (its hash and sum from the second cycle
	// after the last byte) are the frame's when its last byte reaches the
	// FIFO.
	localparam SD = 3;
	reg  [10 * SD - 1:0] dl;        // stage k: dl[10 * k +: 10]
	reg  [SD - 1:0] dv;
	always @(posedge rx_clk) begin
		dl <= {dl[10 * (SD - 1) - 1:0], rx_tuser, rx_tlast, rx_tdata};
		if (rx_rst)
			dv <= {SD{1'b0}};
		else
			dv <= {dv[SD - 2:0], rx_tvalid};
	end
	wire        i_tvalid = dv[0];
	wire [7:0]  i_tdata = dl[7:0];
	wire        i_tlast = dl[8];
	wire        s_tvalid = dv[SD - 1];
	wire [7:0]  s_tdata = dl[10 * (SD - 1) +: 8];
	// the last stage's frame end, as flip-flops loaded from the stage
	// before (timing: rtl/README.md, "Synthesis"): s_end is s_tvalid &&
	// tlast, s_keep s_end && !tuser (a frame the MAC passed)
	wire        n_end = dv[SD - 2] && dl[10 * (SD - 2) + 8];
	wire        n_tuser = dl[10 * (SD - 2) + 9];
	reg         s_end, s_keep;
	always @(posedge rx_clk)
		if (rx_rst) begin
			s_end <= 1'b0;
			s_keep <= 1'b0;
		end else begin
			s_end <= n_end;
			s_keep <= n_end && !n_tuser;
		end

	fe_rx_parse u_parse (
		.clk(rx_clk), .rst(rx_rst), .key(key_w),
		.rx_tvalid(i_tvalid), .rx_tdata(i_tdata), .rx_tlast(i_tlast),
		.hash(p_hash), .htype(p_htype), .sum(p_sum));

	// ------------------------------------------------------- FIFO in (rx_clk)
	// the FIFO as four byte banks (byte a in bank a[1:0], row a >> 2), so
	// that a pull reads the four bytes from rp on at once
	reg  [7:0]  fifo0 [0:(1 << (FIFO_AW - 2)) - 1];
	reg  [7:0]  fifo1 [0:(1 << (FIFO_AW - 2)) - 1];
	reg  [7:0]  fifo2 [0:(1 << (FIFO_AW - 2)) - 1];
	reg  [7:0]  fifo3 [0:(1 << (FIFO_AW - 2)) - 1];
	reg  [FW - 1:0] wp, fstart, rp;
	wire [FW - 1:0] rp_w;           // rp in rx_clk's domain, a few clocks old
	reg  [15:0] wlen;               // bytes of the incoming frame
	reg         wovf;               // it did not fit
	reg         ovf_w;              // ovf in rx_clk's domain
	// wstop: the byte on s_* this clock is not written, the FIFO being
	// full (wp - rp_w is 2^FIFO_AW; it never exceeds it) or the frame
	// having overflowed (wovf): registered a clock ahead from wp and wovf
	// after that clock (wp_n, wovf_n) and rp_w of that clock, so that
	// lq_push and the FIFO's write enable start at a flip-flop (timing:
	// rtl/README.md, "Synthesis").  rp_w only moves on (the FIFO
	// emptier), so the flag is a clock late to see room, never to see
	// the FIFO full.  wp_n is wp, wp + 1 (wp1, a register) or fstart: the
	// three compares with rp_w run beside the decision, which picks one;
	// so do the sums for wp1 after the clock (wp1 + 1, fstart + 1: fs1).
	reg         wstop;
	reg  [FW - 1:0] wp_n, wp1, fs1;
	wire [FW - 1:0] wp2 = wp1 + 1'b1;
	reg         wovf_n;
	reg  [1:0]  wsel;               // wp_n: 0 wp, 1 wp + 1, 2 fstart
	// the FIFO is full with its write pointer at ptr: 2^FIFO_AW bytes past
	// rp_w
	function full_at(input [FW - 1:0] ptr, input [FW - 1:0] rd);
		full_at = (ptr ^ rd) == {1'b1, {FIFO_AW{1'b0}}};
	endfunction
	wire        full_wp = full_at(wp, rp_w);
	wire        full_wp1 = full_at(wp1, rp_w);
	wire        full_fs = full_at(fstart, rp_w);
	wire        lq_wready, lq_valid;
	wire        lq_full = !lq_wready;
	wire        lq_empty = !lq_valid;
	wire [LW - 1:0] lq_out;
	wire [15:0] lq_len = lq_out[15:0];        // the head frame's length
	wire [31:0] lq_hash = lq_out[47:16];
	wire [1:0]  lq_htype = lq_out[49:48];
	wire [15:0] lq_sum = lq_out[65:50];
	wire        lq_push = s_keep && !(wstop || lq_full);
	reg         pop;                // the engine is done with the head frame

	// the FIFO's write enable from a copy of s_tvalid of its own: the
	// block RAMs lie apart from the write pointer's logic, and one
	// flip-flop for both sat far from the logic (timing: rtl/README.md,
	// "Synthesis", gmii_rx_clk's path after the reset tree, default seed)
	wire        s_tvalid_m;
	fe_keep_reg u_sv_m (.clk(rx_clk), .rst(1'b0), .d(dv[SD - 2] && !rx_rst),
			    .q(s_tvalid_m));
	// and its write address from a copy of wp (wp_m, loaded as wp is):
	// wp's compares with rp_w sit by wstop, the banks' address pins by the
	// block RAMs (timing, session 24: wp → the full compare → wstop was
	// fe_rx_synth's rx_clk path, 5.0 of its 8.3 ns one net)
	wire [FIFO_AW - 1:0] wp_m;
	fe_keep_reg #(.W(FIFO_AW)) u_wp_m (.clk(rx_clk), .rst(1'b0),
		.d(rx_rst ? {FIFO_AW{1'b0}} : wp_n[FIFO_AW - 1:0]), .q(wp_m));
	wire [FIFO_AW - 3:0] wrow = wp_m[FIFO_AW - 1:2];
	always @(posedge rx_clk)
		if (s_tvalid_m && !wstop)
			case (wp_m[1:0])
			2'd0: fifo0[wrow] <= s_tdata;
			2'd1: fifo1[wrow] <= s_tdata;
			2'd2: fifo2[wrow] <= s_tdata;
			default: fifo3[wrow] <= s_tdata;
			endcase

	always @* begin
		wsel = 2'd0;
		wovf_n = wovf;
		if (s_tvalid) begin
			if (!wstop)
				wsel = 2'd1;
			else
				wovf_n = 1'b1;
			if (s_end) begin
				wovf_n = 1'b0;
				if (!lq_push)   // dropped (tuser), or did not fit
					wsel = 2'd2;
			end
		end
		wp_n = wsel == 2'd1 ? wp1 : wsel == 2'd2 ? fstart : wp;
	end

	always @(posedge rx_clk) begin
		ovf_w <= 1'b0;
		if (rx_rst) begin
			wp <= {FW{1'b0}};
			wp1 <= {{(FW - 1){1'b0}}, 1'b1};
			fstart <= {FW{1'b0}};
			fs1 <= {{(FW - 1){1'b0}}, 1'b1};
			wlen <= 16'h0;
			wovf <= 1'b0;
			wstop <= 1'b0;
		end else begin
			wp <= wp_n;
			wp1 <= wsel == 2'd1 ? wp2 : wsel == 2'd2 ? fs1 : wp1;
			wovf <= wovf_n;
			wstop <= wovf_n || (wsel == 2'd1 ? full_wp1 : wsel == 2'd2 ? full_fs :
					    full_wp);
			if (s_tvalid) begin
				wlen <= wlen + 16'h1;
				if (s_end) begin
					wlen <= 16'h0;
					if (lq_push) begin
						fstart <= wp1;
						fs1 <= wp2;
					end else if (s_keep)
						ovf_w <= 1'b1;
				end
			end
		end
	end

	// the length queue's push and entry a register after the decision
	// (timing: rtl/README.md, "Synthesis": the decision's gate sits by
	// wstop, not by the queue's block RAM): pushes are a frame apart, so
	// lq_full, counted by the queue a clock later, is right at the next
	reg         lq_push_q;
	reg  [LW - 1:0] lq_wd;
	always @(posedge rx_clk) begin
		lq_push_q <= lq_push && !rx_rst;
		lq_wd <= {p_sum, p_htype, p_hash, wlen + 16'h1};
	end
	fe_async_fifo #(.DW(LW), .AW(LQ_AW)) u_lq (
		.wclk(rx_clk), .wrst(rx_rst), .w_valid(lq_push_q),
		.w_data(lq_wd),
		.w_ready(lq_wready),
		.rclk(clk), .rrst(rst), .r_valid(lq_valid), .r_data(lq_out),
		.r_ready(pop));
	fe_cdc_bus #(.W(FW)) u_rp (
		.s_clk(clk), .s_rst(rst), .s_data(rp),
		.d_clk(rx_clk), .d_rst(rx_rst), .d_data(rp_w));
	fe_cdc_pulse u_ovf (
		.s_clk(rx_clk), .s_rst(rx_rst), .s_pulse(ovf_w),
		.d_clk(clk), .d_rst(rst), .d_pulse(ovf));

	// ------------------------------------------------------- steering
	reg  [31:0] f_hash;             // the frame's write-back fields
	reg  [1:0]  f_htype;
	// the head frame's queue: indirection table entry hash[6:0], looked up
	// from the fields S_IDLE registered (f_htype is 0 for a frame not
	// hashed) in two registered steps (timing: rtl/README.md,
	// "Synthesis"): every clock, entry hash[2:0] of each group of 8
	// (ind_g, right in S_HASH2), then in S_HASH2 group hash[6:3] (q)
	wire        hashed = rss_en && lq_htype != 2'd0;
	wire [6:0]  ent = f_hash[6:0];
	reg  [2:0]  ind_g [0:15];
	integer e;
	always @(posedge clk)
		for (e = 0; e < 16; e = e + 1)   // entry x in [8x +: 3]
			ind_g[e] <= rss_indir[{e[3:0], ent[2:0], 3'b000} +: 3];
	wire [2:0]  ind = ind_g[ent[6:3]];
	/* verilator lint_off UNUSEDSIGNAL */   // (hq < NQ: fits in QW bits)
	wire [2:0]  hq = f_htype != 2'd0 && {29'h0, ind} < NQ ? ind : 3'd0;
	/* verilator lint_on UNUSEDSIGNAL */

	// ------------------------------------------------------- engine
	reg  [3:0]  state;
	reg  [QW - 1:0] q;              // the head frame's queue
	reg  [15:0] head_r [0:NQ - 1];
	reg  [NQ - 1:0] en_q, rearm, halted, complete;
	reg         nobuf_p;            // for queue q
	reg  [15:0] f_sum;
	reg         f_csum;
	reg  [15:0] flen;               // the head frame's length
	reg  [FW - 1:0] fend;           // where it ends in the FIFO
	reg  [15:0] ndesc;              // descriptors it needs / has read
	reg  [15:0] need;               // bytes they do not cover yet
	reg  [15:0] di;                 // descriptor being written
	reg  [15:0] left;               // bytes not yet written
	reg  [15:0] n;                  // bytes into this descriptor
	reg  [79:0] dbuf;               // descriptor bytes 0-9
	reg  [1:0]  dbeat;              // the descriptor read's next beat
	reg  [7:0]  rq0, rq1, rq2, rq3; // the FIFO's banks at the rows pulled
	reg  [1:0]  rsel;               // the bank of the first byte pulled
	reg  [31:0] cq;                 // write-back bytes pulled
	reg  [3:0]  bi;                 // the first one's index
	wire [NQ - 1:0] armed;
	wire [32 * NQ - 1:0] due;

	// queue q's registers, selected into registers every clock (timing:
	// rtl/README.md, "Synthesis"): base, mask, HEAD and TAIL a clock after
	// q, ready two; S_LOAD and S_STEER wait for them after S_HASH2 sets q.
	// So does run, S_STEER's verdict (enabled, not halted, not waiting
	// for a rearm, a ring of 8 or more): every queue's verdict registered
	// (run_g), q's selected a clock after q, so that S_STEER sees the flags
	// of S_HASH2's clock (the engine sets halted only in a frame's states
	// and clears it in S_IDLE, and a rearm starts with en_q 0).  ENABLE
	// cleared as S_HASH2 or S_LOAD ends is seen late: the frame is taken,
	// as if the write had come later (busy is 1 from S_LOAD on).
	// HEAD changes only in S_IDLE and S_STAT (then S_DROP, S_IDLE follow);
	// TAIL moves on in S_WAIT, where ready two clocks old only waits longer
	wire [3:0]  log2_c = log2[4 * q +: 4];
	wire        enable_c = enable[q];
	reg  [63:0] base_q;
	reg  [15:0] mask, head_q, tail_q, ready;
	reg  [NQ - 1:0] run_g;
	reg         run;
	integer r;
	always @(posedge clk) begin
		for (r = 0; r < NQ; r = r + 1)
			run_g[r] <= enable[r] && en_q[r] && !halted[r] && !rearm[r] &&
				    log2[4 * r +: 4] >= 4'd3;
		run <= run_g[q];
		base_q <= base[64 * q +: 64];
		mask <= (16'h1 << log2_c) - 16'h1;
		head_q <= head_r[q];
		tail_q <= tail[16 * q +: 16];
		ready <= (tail_q - head_q) & mask;
	end
	// the descriptor's address in two registered steps (timing:
	// rtl/README.md, "Synthesis"), as fe_dma_tx's: its ring index (idx,
	// from ndesc while scanning, S_STEER included so that S_SCAN's first
	// read has it, else from di), then base + 16 * index (daddr; 16-byte
	// aligned, BASE_LO's bits 3:0 are 0).  a_wait holds an access two
	// clocks after S_LOAD (q's registers change as it ends), after
	// S_SCAN2 and after the accesses whose d_done moves di (S_BODY2's
	// with bytes left, S_STAT's before descriptor 0; S_SCAN's is followed
	// by S_SCAN2): ndesc and di change only there, in S_SCAN2 or in
	// S_IDLE before S_LOAD; so does the state, but for moves between
	// S_STEER, S_SCAN, S_SCAN2 and S_WAIT, all "scanning", and those into
	// S_DROP and S_IDLE, which make no access.  The other accesses' next,
	// on the same descriptor, starts the clock after (session 21: 6
	// clocks a one-descriptor frame).  A halt reports d_addr, the failed
	// access's address (halt_q).
	wire        scanning = state == S_STEER || state == S_SCAN || state == S_SCAN2 ||
			       state == S_WAIT;
	reg  [15:0] idx;
	reg  [63:0] daddr;
	reg  [1:0]  a_wait;
	always @(posedge clk) begin
		idx <= (head_q + (scanning ? ndesc : di)) & mask;
		daddr <= base_q + {44'h0, idx, 4'h0};
		a_wait <= state == S_LOAD || state == S_SCAN2 ||
			  (d_done && ((state == S_BODY2 && left != 16'h0) ||
				      (state == S_STAT && di != 16'h0))) ? 2'b11 :
			  {1'b0, a_wait[1]};
	end
	wire        a_ok = !a_wait[0];
	// S_SCAN's and S_WAIT's compares of ndesc with ready and mask,
	// registered every clock (timing: rtl/README.md, "Synthesis"): right
	// a clock after ndesc or ready change.  ndesc changes in S_SCAN2: the
	// decisions that take them wait for a_ok (three clocks later), or
	// d_done, clocks after the request that a_wait held; ready
	// only grows (TAIL moves on): a stale nd_gt only waits a clock longer.
	// After the last descriptor handed over, S_SCAN goes to S_WAIT by nd_eq.
	reg         nd_eq, nd_gt, nd1_mask;
	always @(posedge clk) begin
		nd_eq <= ready == ndesc;
		nd_gt <= ready > ndesc;
		nd1_mask <= ndesc + 16'h1 == mask;
	end
	wire [15:0] blen = dbuf[79:64];
	wire [15:0] nlen = blen < left ? blen : left;
	// a scanned descriptor's verdict, registered every clock (timing:
	// rtl/README.md, "Synthesis": BUF_LEN through an adder and a compare
	// to the engine's enables was the whole IP's clk path at e1db632):
	// dbuf is complete at the read's d_done and holds until the next read
	// (a_wait), so S_SCAN2, the clock after, sees this descriptor's
	reg         scan_z, scan_ge;    // BUF_LEN 0; it covers the rest
	reg  [15:0] need_n;             // need less BUF_LEN
	// so S_DESC2's, the descriptor read again: BUF_LEN 0, or short of
	// the rest in the last descriptor (changed since the scan), and the
	// bytes it takes (nlen).  eop_d and left hold from before the read.
	reg         desc_bad;
	reg  [15:0] nlen_q;
	always @(posedge clk) begin
		scan_z <= blen == 16'h0;
		scan_ge <= blen >= need;
		need_n <= need - blen;
		desc_bad <= blen == 16'h0 || (blen < left && eop_d);
		nlen_q <= nlen;
	end
	// di the frame's last descriptor, registered every clock (timing:
	// rtl/README.md, "Synthesis"): di and ndesc change only at an
	// access's d_done (or in S_SCAN2, S_IDLE), and the next access waits
	// two clocks (a_wait), so eop_d is right at every use (S_DESC's
	// d_done, S_BODY's and S_STAT's bytes)
	reg         eop_d;
	always @(posedge clk)
		eop_d <= di == ndesc - 16'h1;
	wire [15:0] status = {1'b1, 11'h0, eop_d ? {f_htype, f_csum} : 3'b000, eop_d};
	wire [31:0] wb_hash = eop_d ? f_hash : 32'h0;
	wire [15:0] wb_sum = eop_d ? f_sum : 16'h0;
	/* verilator lint_off UNUSEDSIGNAL */   // (the length fits in FW bits)
	wire [FW + 15:0] lq_ext = {{FW{1'b0}}, lq_len};
	/* verilator lint_on UNUSEDSIGNAL */

	assign timer = |armed;
	assign empty = lq_empty;
	// the four FIFO bytes from the pulled rp on as the banks hold them:
	// the first in lane rsel (the master turns them into the beat's lanes)
	assign d_wdata = state == S_DATA ? {rq3, rq2, rq1, rq0} : cq;
	assign d_wrot = state == S_DATA ? rsel : 2'd0;
	fe_min_due #(.N(NQ)) u_due (.due(due), .min(timer_due));
	integer k;

	genvar g;
	generate
		for (g = 0; g < NQ; g = g + 1) begin : g_q
			assign head[16 * g +: 16] = head_r[g];
			assign busy[g] = state != S_IDLE && state != S_HASH &&
					 state != S_HASH2 && state != S_DROP && q == g;
			// registered: the register file's drop counters and the
			// statistics lie apart from q (timing: rtl/README.md,
			// "Synthesis", session 20)
			always @(posedge clk)
				nobuf[g] <= nobuf_p && q == g && !rst;
			fe_coal #(.CLK_MHZ(CLK_MHZ)) u_coal (
				.clk(clk), .rst(rst), .coal(coal[32 * g +: 32]),
				.complete(complete[g]), .time_en(time_en),
				.event_o(irq_event[g]), .armed(armed[g]),
				.due(due[32 * g +: 32]));
		end
	endgenerate

	// bytes pulled by the DMA master, one cycle later on d_wdata: bank b
	// at rp's row, or the next row for the banks before rp's
	wire [FIFO_AW - 3:0] rrow = rp[FIFO_AW - 1:2];
	wire [FIFO_AW - 3:0] rrow1 = rrow + 1'b1;
	// (a bank whose byte the pull does not take is not read: beyond the
	// frame it may be the byte rx_clk's side is writing, and a block RAM
	// read and written at one address on two clocks is not defined)
	wire [2:0]  k0 = {1'b0, 2'd0 - rp[1:0]}, k1 = {1'b0, 2'd1 - rp[1:0]},
		    k2 = {1'b0, 2'd2 - rp[1:0]}, k3 = {1'b0, 2'd3 - rp[1:0]};
	wire        pull_d = d_pull && state == S_DATA;
	always @(posedge clk) begin
		if (pull_d && k0 < d_n)
			rq0 <= fifo0[rp[1:0] > 2'd0 ? rrow1 : rrow];
		if (pull_d && k1 < d_n)
			rq1 <= fifo1[rp[1:0] > 2'd1 ? rrow1 : rrow];
		if (pull_d && k2 < d_n)
			rq2 <= fifo2[rp[1:0] > 2'd2 ? rrow1 : rrow];
		if (pull_d && k3 < d_n)
			rq3 <= fifo3[rrow];
		if (pull_d)
			rsel <= rp[1:0];
	end

	// write-back bytes: body (bytes 0-3 RSS_HASH, 4-5 CSUM, 8-9 LEN, the
	// rest zero; 12-15: zero), STATUS
	// (a descriptor is 16-byte aligned: a body pull starts at byte 0, 4
	// or 8, STATUS's at 10)
	wire [79:0] body = {n, 16'h0, wb_sum, wb_hash};   // bytes 0-9
	always @(posedge clk)
		if (d_pull) begin
			bi <= bi + {1'b0, d_n};
			case (state)
			S_BODY:  cq <= bi == 4'd0 ? body[31:0] : bi == 4'd4 ? body[63:32] :
					{16'h0, body[79:64]};
			S_STAT:  cq <= {16'h0, status};
			default: cq <= 32'h0;
			endcase
		end else if (!d_req)
			bi <= 4'h0;

	// descriptor bytes, little-endian: byte i at [8i +: 8]; a descriptor is
	// 16-byte aligned, its read's beats are bytes 0-3, 4-7 and 8-9
	always @(posedge clk)
		if (state != S_DATA && d_rvalid) begin
			case (dbeat)
			2'd0:    dbuf[31:0] <= d_rdata;
			2'd1:    dbuf[63:32] <= d_rdata;
			default: dbuf[79:64] <= d_rdata[15:0];
			endcase
			dbeat <= dbeat + 2'd1;
		end else if (!d_req)
			dbeat <= 2'd0;

	// ERR_ADDR: the failed access's address, but the descriptor's for
	// the body's bytes 12-15 (the body is one write-back in the spec)
	task automatic halt_q(input [3:0] cause);
		begin
			halt[q] <= 1'b1;   // (a register: timing, rtl/README.md, session 21)
			halt_cause <= cause;
			halt_addr <= state == S_BODY2 ? {d_addr[63:4], 4'h0} : d_addr;
			halted[q] <= 1'b1;
			nobuf_p <= 1'b1;   // the frame it halts on is dropped
			state <= S_DROP;
		end
	endtask

	task automatic access(input wr, input [63:0] a, input [15:0] len);
		if (!d_req && !d_done && a_ok) begin
			d_req <= 1'b1;
			d_write <= wr;
			d_addr <= a;
			d_len <= len;
		end
	endtask

	always @(posedge clk) begin
		halt <= {NQ{1'b0}};
		nobuf_p <= 1'b0;
		complete <= {NQ{1'b0}};
		pop <= 1'b0;
		en_q <= enable;
		if (rst) begin
			state <= S_IDLE;
			q <= {QW{1'b0}};
			for (k = 0; k < NQ; k = k + 1)
				head_r[k] <= 16'h0;
			halted <= {NQ{1'b0}};
			rearm <= {NQ{1'b0}};
			d_req <= 1'b0;
			rp <= {FW{1'b0}};
			halt_cause <= 4'h0;
			halt_addr <= 64'h0;
		end else begin
			rearm <= rearm | (enable & ~en_q);
			if (d_done)
				d_req <= 1'b0;
			if (d_pull && state == S_DATA)
				rp <= rp + {{(FW - 3){1'b0}}, d_n};
			case (state)
			S_IDLE:
				if (|rearm) begin
					for (k = 0; k < NQ; k = k + 1)
						if (rearm[k]) begin
							head_r[k] <= 16'h0;
							halted[k] <= 1'b0;
						end
					rearm <= enable & ~en_q;
				end else if (!lq_empty && !pop) begin
					f_hash <= hashed ? lq_hash : 32'h0;
					f_htype <= hashed ? lq_htype : 2'd0;
					f_sum <= csum_en ? lq_sum : 16'h0;
					f_csum <= csum_en;
					flen <= lq_len;
					fend <= rp + lq_ext[FW - 1:0];
					ndesc <= 16'h0;
					need <= lq_len;
					state <= S_HASH;
				end
			S_HASH:    // ind_g is the frame's from the next clock
				state <= S_HASH2;
			S_HASH2: begin
				q <= hq[QW - 1:0];
				state <= S_LOAD;
			end
			S_LOAD:    // base_q, mask, head_q, tail_q are q's
				state <= S_STEER;
			S_STEER:   // q is the frame's queue; ready is q's from the next clock
				if (run)
					state <= S_SCAN;
				else begin
					nobuf_p <= 1'b1;   // disabled, halted, RING_CONFIG
					state <= S_DROP;
				end
			S_SCAN:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_READ);
					else
						state <= S_SCAN2;
				end else if (!d_req && a_ok && nd_eq)
					state <= S_WAIT;   // no descriptor posted yet
				else
					access(1'b0, daddr, 16'd10);
			S_SCAN2:   // the descriptor read: scan_*, need_n
				if (scan_z)
					halt_q(C_DESC_INVALID);
				else begin
					ndesc <= ndesc + 16'h1;
					need <= need_n;
					if (scan_ge) begin
						di <= 16'h0;
						left <= flen;
						// one descriptor takes the whole frame:
						// dbuf holds it, no second read
						if (ndesc == 16'h0) begin
							n <= flen;
							state <= S_DATA;
						end else
							state <= S_DESC;
					end else if (nd1_mask) begin
						nobuf_p <= 1'b1;   // more than a full ring
						state <= S_DROP;
					end else
						state <= S_SCAN;
				end
			S_WAIT:
				if (!enable_c) begin
					nobuf_p <= 1'b1;
					state <= S_DROP;
				end else if (a_ok && nd_gt)
					state <= S_SCAN;
			S_DESC:   // read the descriptor again: ADDR and BUF_LEN
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_READ);
					else
						state <= S_DESC2;
				end else
					access(1'b0, daddr, 16'd10);
			S_DESC2:   // the descriptor read: desc_bad, nlen_q
				if (desc_bad)
					halt_q(C_DESC_INVALID);   // changed since the scan
				else begin
					n <= nlen_q;
					state <= S_DATA;
				end
			S_DATA:
				if (d_done) begin
					if (d_err)
						halt_q(C_BUF_ACCESS);
					else begin
						left <= left - n;
						state <= S_BODY;
					end
				end else
					access(1'b1, dbuf[63:0], n);
			S_BODY:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_WRITE);
					else
						state <= S_BODY2;
				end else
					access(1'b1, daddr, 16'd10);
			S_BODY2:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_WRITE);
					else if (left != 16'h0) begin
						di <= di + 16'h1;
						state <= S_DESC;
					end else
						state <= S_STAT;   // di: the last descriptor
				end else
					access(1'b1, {daddr[63:4], 4'd12}, 16'd4);
			S_STAT:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_WRITE);
					else if (di != 16'h0)
						di <= di - 16'h1;
					else begin
						head_r[q] <= (head_q + ndesc) & mask;
						complete[q] <= 1'b1;
						state <= S_DROP;   // the frame leaves the FIFO
					end
				end else
					access(1'b1, {daddr[63:4], 4'd10}, 16'd2);
			default: begin   // S_DROP: the head frame leaves the FIFO
				rp <= fend;
				pop <= 1'b1;
				state <= S_IDLE;
			end
			endcase
		end
	end
endmodule
`default_nettype wire
