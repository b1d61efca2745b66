// SPDX-License-Identifier: GPL-2.0
// fe_dma_tx: the TX engine, serving NQ TX queues round-robin, store and
// forward, frames overlapped as the spec's "TX" timing says.
//
// Three parts in order, each working on one frame at a time:
//  - the fetch: reads a frame's descriptors from the queue's fetch position
//    (HEAD past the frames already in the engine) until the EOP one; if
//    TAIL has not handed the EOP over yet, the queue is parked until its
//    TAIL changes and the engine serves the others (the descriptors are
//    read again then, as the spec allows); reads its buffers into the TX
//    FIFO (a ring: the frame after the one before) and records the frame;
//  - the line: hands the recorded frames to the MAC in order (tx_*, rows
//    of 1-4 bytes, up to one a clock: the MAC, on its own clock, takes
//    them through a FIFO, fe_mac), or consumes one unsent when its turn
//    comes while the line is off (line_ok 0: CTRL.TX_EN 0 or the link
//    down);
//  - the write-back: when a frame has left the line (the MAC's tx_done
//    for a frame handed to it: its FCS sent, or the frame cut by an
//    underrun; at once for one consumed unsent), writes the FLAGS word
//    of its EOP descriptor (DONE, ERR; EOP and CSUM as written), and only
//    after that write's OKAY advances HEAD and counts the completion
//    (fe_coal: the interrupt).
// The fetch starts a frame when the FIFO holds none, or only the frame on
// the line and room for a max_frame_len frame beside it: while a frame is
// on the line the next one is fetched, and when the line is done the next
// goes on it while the one before is written back.  At most RD frames are
// in the engine.  One DMA port: the fetch's reads and the write-backs one
// access at a time, each complete before the next, a write-back first when
// both wait (it was asked for during the access before).
//
// Discards (ERR, TX_DISCARDS): a descriptor with LEN 0, a frame longer than
// max_frame_len, MAX_DESCS descriptors without EOP, a full ring (size - 1
// descriptors, with those of the frames in the engine) without EOP, or
// (with TX_CSUM) CSUM set and CSUM_START + CSUM_OFFSET + 2 beyond the
// frame's length; the write-back goes to the last descriptor read, in the
// frame's turn, and the buffers are not read; TX_DISCARDS (discard) counts
// the frame once that write-back is done (a frame that dies before is not
// counted, as in the QEMU model).  MAX_DESCS 1 is an IP without TX_SG (a
// descriptor without EOP is discarded on its own).
//
// TX checksum offload (TX_CSUM 1, CAP1.TX_CSUM): CSUM, CSUM_START and
// CSUM_OFFSET of the frame's first descriptor; fe_tx_csum sums the frame
// from CSUM_START as its buffers are read into the FIFO, the record keeps
// the result, and it is put at CSUM_START + CSUM_OFFSET as the frame goes
// out to the MAC.  Without TX_CSUM, CSUM is only kept in the write-back.
//
// Bus errors halt the queue (halt pulse with cause and address): reading a
// descriptor (DESC_READ, the descriptor's address) or a buffer (BUF_ACCESS,
// the buffer's ADDR; the frame is dropped from the FIFO, nothing written)
// halts it once the frames fetched before have completed (the fetch waits
// for them); the write-back (DESC_WRITE, the descriptor + 10; the frame was
// sent, HEAD stays) at once, and the queue's frames behind it in the engine
// are dead: neither sent nor written back.  A halted queue does nothing
// until ENABLE goes 0 and 1 again, which sets HEAD to 0 (the register file
// clears TAIL and HALTED) once the queue has no frame in the engine.
// Clearing ENABLE lets the queue's frames in the engine finish, except
// those fetched (or being fetched) behind another frame on the line and
// not on it yet: they are dead (the spec's "fetched ahead").
// busy[q] (not IDLE) is high while a frame of queue q is in the engine,
// from its first descriptor read.  hold (soft reset) starts no fetch.
// Per queue q the ports are at [q*W +: W]; halt_cause and halt_addr go with
// whichever halt[q] pulses.
`default_nettype none
module fe_dma_tx #(
	parameter        NQ        = 1,        // TX queues
	parameter        MAX_DESCS = 32,       // CAP2.TX_MAX_DESCS (1: no TX_SG)
	parameter        FIFO_AW   = 14,       // TX FIFO of 2^FIFO_AW bytes >= max_frame_len + 4, AW <= 16
	parameter [0:0]  TX_CSUM   = 1'b1,     // CAP1.TX_CSUM: checksum offload
	parameter [15:0] CLK_MHZ   = 16'd125
) (
	input  wire        clk,
	input  wire        rst,
	input  wire        hold,
	// queue registers
	input  wire [64 * NQ - 1:0] base,
	input  wire [4 * NQ - 1:0]  log2,     // 0 after a RING_CONFIG halt
	input  wire [16 * NQ - 1:0] tail,
	input  wire [NQ - 1:0]      enable,
	input  wire [32 * NQ - 1:0] coal,
	input  wire [15:0] max_frame_len,
	input  wire        line_ok,
	input  wire        time_en,       // the coalescing timers count (fe_coal)
	output wire [16 * NQ - 1:0] head,
	output wire [NQ - 1:0]      busy,
	output reg  [NQ - 1:0]      halt,     // one cycle, with cause and address
	output reg  [3:0]  halt_cause,
	output reg  [63:0] halt_addr,
	output reg  [NQ - 1:0]      discard,  // one cycle per discard written back
	output wire [NQ - 1:0]      irq_event,
	output wire        timer,         // a queue's coalescing timer counts
	output wire [31:0] timer_due,     // time_en clocks until the first fires
	output reg         sent,          // one cycle per frame handed to the MAC
	input  wire        tx_done,       // one cycle per frame the MAC finished, in order
	// DMA master client
	output reg         d_req,
	output reg         d_write,
	output reg  [63:0] d_addr,
	output reg  [15:0] d_len,
	input  wire        d_done,
	input  wire        d_err,
	input  wire        d_rvalid,
	input  wire [31:0] d_rdata,    // a beat: d_rn bytes from lane d_rlane
	input  wire [1:0]  d_rlane,
	input  wire [2:0]  d_rn,
	output wire [31:0] d_wdata,    // the write-back's FLAGS: one beat
	// to the MAC
	// to the MAC, a row a clock (flip-flops: the line's prefetch): the
	// bytes in lanes tx_tlo to tx_thi (byte lane i at [8i +: 8]), in frame
	// order; tx_tlast: the row holds the frame's last byte (at tx_thi)
	output wire        tx_tvalid,
	output wire [31:0] tx_tdata,
	output wire [1:0]  tx_tlo,
	output wire [1:0]  tx_thi,
	output wire        tx_tlast,
	input  wire        tx_tready
);
	localparam S_IDLE = 3'd0, S_DREAD = 3'd1, S_LOAD = 3'd2, S_CHECK = 3'd3,
		   S_BREAD = 3'd4, S_PUSH = 3'd5, S_FAIL = 3'd6;
	localparam L_IDLE = 1'b0, L_SEND = 1'b1;
	localparam [3:0] C_DESC_READ = 4'd1, C_BUF_ACCESS = 4'd2, C_DESC_WRITE = 4'd3;
	localparam DW = MAX_DESCS > 32 ? 7 : MAX_DESCS > 16 ? 6 : MAX_DESCS > 8 ? 5 :
			MAX_DESCS > 4 ? 4 : MAX_DESCS > 2 ? 3 : MAX_DESCS > 1 ? 2 : 1;
	localparam AW = DW > 1 ? DW - 1 : 1;   // index of the descriptor store
	localparam QW = NQ > 4 ? 3 : NQ > 2 ? 2 : 1;
	localparam RD = 4;                     // frames in the engine at most
	localparam [FIFO_AW:0] FIFO_SIZE = {1'b1, {FIFO_AW{1'b0}}};

	// ------------------------------------------------------- the fetch
	reg  [2:0]  state;
	reg  [QW - 1:0] q;              // the queue of the frame fetched
	reg  [QW - 1:0] rr;             // the queue served first next time
	reg  [15:0] head_r [0:NQ - 1];  // HEAD: past the frames written back
	reg  [15:0] fhead [0:NQ - 1];   // past the frames in the engine too
	reg  [NQ - 1:0] en_q, halted, rearm, parked;
	reg  [15:0] ptail [0:NQ - 1];   // TAIL when parked
	reg  [DW - 1:0] ndesc;          // descriptors of the frame read so far
	reg  [DW - 1:0] di;             // buffer being read
	reg  [23:0] flen;               // the frame's length (sum of LEN)
	reg         bad;                // a LEN 0 descriptor, or too many
	reg         werr;               // the write-back carries ERR
	reg  [1:0]  wflags;             // EOP, CSUM of the last descriptor
	reg         cs_en;              // checksum: CSUM in the first descriptor
	reg  [15:0] cs_start;           // its CSUM_START
	reg  [16:0] cs_pos;             // CSUM_START + CSUM_OFFSET
	reg  [127:0] dbuf;              // descriptor bytes as they come
	reg  [79:0] dram [0:(1 << AW) - 1];   // {LEN, ADDR} of each descriptor
	reg  [FIFO_AW - 1:0] wp, fstart;    // FIFO write index, the frame's first
	reg  [16:0] wrel;               // bytes of the frame written so far
	reg         f_send, f_dead;     // the frame has bytes to send; is dead
	reg  [3:0]  f_cause;            // a failed fetch: its halt, in its turn
	reg  [63:0] f_haddr;
	reg  [NQ - 1:0] complete;
	wire [NQ - 1:0] armed;
	wire [32 * NQ - 1:0] due;
	assign timer = |armed;
	fe_min_due #(.N(NQ)) u_due (.due(due), .min(timer_due));

	// ------------------------------------------ the frames in the engine
	// records in fetch order: r_wp the next free, r_lp the next for the
	// line, r_op the next whose frame has not left the line (the MAC's
	// tx_done), r_bp the next to write back (r_bp <= r_op <= r_lp <= r_wp,
	// mod 2 RD)
	reg  [2:0]  r_wp, r_lp, r_op, r_bp;
	reg  [RD - 1:0] r_out;          // the frame was handed to the MAC
	reg  [2:0]  n_done;             // tx_done pulses not matched to r_op yet
	reg  [RD - 1:0] r_dead;
	reg  [QW - 1:0] r_q [0:RD - 1];
	reg  [15:0] r_next [0:RD - 1];  // HEAD past the frame
	reg  [59:0] r_wb [0:RD - 1];    // its EOP descriptor's bits 63:4
	reg  [2:0]  r_flags [0:RD - 1]; // ERR, CSUM, EOP of the write-back
	reg  [RD - 1:0] r_send, r_cs;
	reg  [FIFO_AW - 1:0] r_start [0:RD - 1];
	reg  [FIFO_AW - 1:0] r_last [0:RD - 1];
	reg  [15:0] r_len [0:RD - 1];
	reg  [FIFO_AW - 1:0] r_pos [0:RD - 1];   // the checksum's FIFO index
	reg  [15:0] r_csum [0:RD - 1];
	wire [1:0]  wi = r_wp[1:0], li = r_lp[1:0], oi = r_op[1:0], bi = r_bp[1:0];
	wire [2:0]  n_rec = r_wp - r_bp, n_line = r_wp - r_lp;

	// ------------------------------------------------ the line
	reg         l_state;
	reg  [FIFO_AW - 1:0] l_last, l_pos;
	reg  [15:0] l_len, l_csum;
	reg         l_cs;
	wire        line_busy = l_state != L_IDLE;
	wire        l_dead = r_dead[li] || halted[r_q[li]];
	// the record at r_lp goes to the MAC (else it is consumed unsent)
	wire        l_send = r_send[li] && !l_dead && line_ok;

	// which records hold a frame (the n_rec from r_bp on), and which of
	// those are not on the line yet (past the n_lined from r_bp on that
	// left it or are on it)
	wire [2:0]  n_lined = (r_lp - r_bp) + {2'b0, line_busy};
	reg  [RD - 1:0] r_valid, r_waiting;
	integer vi;
	reg  [2:0]  off;
	always @*
		for (vi = 0; vi < RD; vi = vi + 1) begin
			off = {1'b0, vi[1:0] - bi};
			r_valid[vi] = off < n_rec;
			r_waiting[vi] = r_valid[vi] && off >= n_lined;
		end

	// ------------------------------------------------ the write-back
	reg         w_busy;             // its access is on the port
	reg         d_own;              // the port's access: 1 the write-back's
	reg  [2:0]  w_flags;
	// the oldest record's verdicts, registered (timing: rtl/README.md,
	// "Synthesis", session 20): w_ready_q, it left the line; w_dead_q, it
	// is dead.  A clock after r_bp moves (w_pop) they are the old
	// record's: the write-back waits that clock.  r_op only moves on, so a
	// stale w_ready_q only delays; a record at r_bp that left the line
	// does not change its death (r_dead is set only before the line,
	// halted only by this write-back, which moves r_bp, or with no record)
	reg         w_ready_q, w_dead_q, w_pop;
	always @(posedge clk) begin
		w_ready_q <= r_bp != r_op;
		w_dead_q <= r_dead[bi] || halted[r_q[bi]];
	end
	wire        w_ready = w_ready_q && !w_pop;
	wire        w_want = !w_busy && w_ready && !w_dead_q;
	wire        f_done = d_done && !d_own;
	wire        f_gone = f_dead || halted[q];   // the frame fetched is dead
	wire [15:0] wb_word = {1'b1, w_flags[2], 12'h0, w_flags[1:0]};   // DONE, ERR, CSUM, EOP
	assign d_wdata = {16'h0, wb_word};

	// may the fetch start a frame: the FIFO holds none, or only the one on
	// the line and room for a max_frame_len frame beside it; a record free
	// (registered: the fetch starts on S_IDLE's second clock, was_idle)
	reg         may_fetch;
	always @(posedge clk)
		may_fetch <= n_rec != RD[2:0] &&
			     (n_line == 3'd0 ||
			      (n_line == 3'd1 && line_busy &&
			       {1'b0, l_len} + {1'b0, max_frame_len} <= {{(16 - FIFO_AW){1'b0}}, FIFO_SIZE}));

	// the current queue's registers, selected into registers every clock
	// (timing: rtl/README.md, "Synthesis"): base, mask and the fetch
	// position a clock after q (S_LOAD waits for them), ready two, from
	// tail_q, the TAIL a park records; the fetch position changes only
	// in S_PUSH and at a rearm (not busy)
	reg  [63:0] base_q;
	reg  [15:0] mask, head_q, hr_q, tail_p, tail_q, ready;
	always @(posedge clk) begin
		base_q <= base[64 * q +: 64];
		mask <= (16'h1 << log2[4 * q +: 4]) - 16'h1;
		head_q <= fhead[q];
		hr_q <= head_r[q];
		tail_p <= tail[16 * q +: 16];
		tail_q <= tail_p;
		ready <= (tail_p - head_q) & mask;
	end
	wire [15:0] nd16 = {{(16 - DW){1'b0}}, ndesc};
	// the descriptors' addresses in two registered steps (timing:
	// rtl/README.md, "Synthesis"): the ring index of descriptor ndesc
	// (cur), then base + 16 * index (cur_addr): the frame's two clocks
	// after ndesc, head_q and mask, three after q.  a_wait holds S_DREAD's
	// descriptor reads until then, and S_PUSH (which records cur, the
	// fetch position past the frame): it is set in S_LOAD (ndesc and q
	// changed on entering it, head_q, mask and base_q change as it ends)
	// and where a descriptor read moves ndesc on, and clears two clocks
	// later.  The write-back's address (wb_hi4: FLAGS at + 10 of the last
	// descriptor read) is cur_addr taken as each descriptor read ends,
	// ndesc unchanged since its request; a halt reports the failed
	// access's address.
	reg  [15:0] cur;
	reg  [63:0] cur_addr;
	reg  [59:0] wb_hi4;             // bits 63:4 (16-byte aligned descriptors)
	reg  [1:0]  a_wait;
	always @(posedge clk) begin
		cur <= (head_q + nd16) & mask;
		cur_addr <= base_q + {44'h0, cur, 4'h0};
		a_wait <= state == S_LOAD || (state == S_DREAD && f_done && !d_err) ?
			  2'b11 : {1'b0, a_wait[1]};
		if (state == S_DREAD && f_done)
			wb_hi4 <= cur_addr[63:4];
	end
	wire        a_ok = !a_wait[0];
	wire [AW - 1:0] di_a = di[AW - 1:0];
	wire [AW - 1:0] nd_a = ndesc[AW - 1:0];
	wire [79:0] dr = dram[di_a];
	// S_DREAD's compares of the next descriptor count, registered every
	// clock from ndesc, mask, ready and the queue's frames in the engine
	// (timing: rtl/README.md, "Synthesis"): right a clock after any of
	// them changes.  S_DREAD decides at d_done, which comes clocks after
	// d_req (fe_dma_axi's arbiter and burst are registers), and d_req
	// rises three clocks after ndesc changes at the d_done before, or two
	// after S_LOAD (a_wait; ready is right two clocks after q, the flags a
	// clock later: before any d_done).  The ring is full when the queue's
	// descriptors in the engine (head_q - hr_q, hr_q a HEAD that only
	// moves on) and the frame's fill it.
	reg         nd_max, nd_mask, nd_ready;
	reg  [15:0] nd_tail;            // the TAIL nd_ready was taken from
	always @(posedge clk) begin
		nd_max <= {{(32 - DW){1'b0}}, ndesc} + 1 == MAX_DESCS;
		nd_mask <= ((head_q - hr_q) & mask) + nd16 + 16'h1 == mask;
		nd_ready <= nd16 + 16'h1 == ready;
		nd_tail <= tail_q;
	end

	// queues with a frame to fetch, and the next one round-robin from rr,
	// registered (pick_q, found_q: of the clock before); S_IDLE takes them
	// from its second clock on (was_idle), when no change the engine made
	// on leaving its last fetch (the fetch position, a halt, a park) is
	// missing in them; in S_IDLE the fetch only clears rearms, which a
	// stale pick misses; ENABLE 0 stops a pick at once, as before
	reg  [NQ - 1:0] runnable;
	reg  [QW - 1:0] pick, pick_q;
	reg             found, found_q, was_idle;
	always @(posedge clk) begin
		pick_q <= pick;
		found_q <= found;
		was_idle <= state == S_IDLE;
	end
	integer i;
	reg  [15:0] m_i, t_i;
	reg  [QW:0] j;
	always @* begin
		for (i = 0; i < NQ; i = i + 1) begin
			m_i = (16'h1 << log2[4 * i +: 4]) - 16'h1;
			t_i = tail[16 * i +: 16];
			runnable[i] = enable[i] && en_q[i] && !halted[i] && !rearm[i] &&
				      log2[4 * i +: 4] >= 4'd3 && ((t_i - fhead[i]) & m_i) != 16'h0 &&
				      !(parked[i] && ptail[i] == t_i);
		end
		pick = rr;
		found = 1'b0;
		for (i = 0; i < NQ; i = i + 1) begin
			j = {1'b0, rr} + i[QW:0];
			if ({{(31 - QW){1'b0}}, j} >= NQ)
				j = j - NQ[QW:0];
			if (!found && runnable[j[QW - 1:0]]) begin
				found = 1'b1;
				pick = j[QW - 1:0];
			end
		end
	end

	// busy[g]: the fetch works on queue g, or a frame of g is recorded
	integer bb;
	reg  [NQ - 1:0] busy_r;
	always @* begin
		busy_r = {NQ{1'b0}};
		if (state != S_IDLE)
			busy_r[q] = 1'b1;
		for (bb = 0; bb < RD; bb = bb + 1)
			if (r_valid[bb])
				busy_r[r_q[bb]] = 1'b1;
	end
	// ENABLE 1 to 0 with a frame on the line: the queue's frames behind
	// it die (below), the one S_PUSH records this clock included
	wire [NQ - 1:0] kill = ~enable & en_q & {NQ{line_busy}};
	assign busy = busy_r;

	genvar g;
	generate
		for (g = 0; g < NQ; g = g + 1) begin : g_q
			assign head[16 * g +: 16] = head_r[g];
			fe_coal #(.CLK_MHZ(CLK_MHZ)) u_coal (
				.clk(clk), .rst(rst), .coal(coal[32 * g +: 32]),
				.complete(complete[g]), .time_en(time_en),
				.event_o(irq_event[g]), .armed(armed[g]),
				.due(due[32 * g +: 32]));
		end
	endgenerate

	// ------------------------------------------------------ the FIFO
	// four byte banks (byte a in bank a[1:0], row a >> 2), so that a beat's
	// bytes go in at once: bank b takes the beat's byte (b - wp) mod 4, in
	// lane d_rlane + (b - wp) mod 4 (one rotation), at wp's row, or the
	// next row for the banks before wp's; written a clock later (bw_*:
	// the block RAMs lie apart from the fetch's logic)
	localparam RW = FIFO_AW - 2;
	function [31:0] rot_r(input [31:0] w, input [1:0] k);   // byte i: w's i + k
		rot_r = k == 2'd0 ? w : k == 2'd1 ? {w[7:0], w[31:8]} :
			k == 2'd2 ? {w[15:0], w[31:16]} : {w[23:0], w[31:24]};
	endfunction
	wire        beat_in = state == S_BREAD && d_rvalid;
	wire [RW - 1:0] wrow = wp[FIFO_AW - 1:2];
	wire [RW - 1:0] wrow1 = wrow + 1'b1;
	reg  [3:0]  bw_en;
	reg  [31:0] bw_data;
	reg  [RW - 1:0] bw_row [0:3];
	integer wb;
	always @(posedge clk) begin
		bw_data <= rot_r(d_rdata, d_rlane - wp[1:0]);
		for (wb = 0; wb < 4; wb = wb + 1) begin
			bw_en[wb] <= beat_in && !rst && {1'b0, wb[1:0] - wp[1:0]} < d_rn;
			bw_row[wb] <= wb[1:0] < wp[1:0] ? wrow1 : wrow;
		end
	end

	// to the MAC, a row a clock through a pipeline whose every stage
	// starts at a flip-flop (timing: rtl/README.md, "Synthesis", session
	// 21: a block RAM's output is 5.8 ns from the clock on ECP5): the row
	// at ip is read (the four banks: stage 1, p1), taken into flip-flops
	// (stage 2, p2: fe_tx_csum puts the checksum's bytes in) and pushed
	// into a prefetch FIFO of PF rows whose head is tx_t*.  A row holds
	// the frame's bytes from ip's lane (the first row: the frame's first
	// byte may lie in any lane) to lane 3, or to the frame's last byte.
	// A read is made while the prefetch and the reads in flight hold
	// fewer than PF rows: a row a clock while the MAC takes one a clock.
	localparam PF = 4;
	reg  [FIFO_AW - 1:0] ip;        // the next byte to read
	reg         i_done;             // the frame's last row was read
	reg         p1, p2;
	reg  [RW - 1:0] p1_row;         // the row in stage 1
	reg  [1:0]  p1_lo, p1_hi, p2_lo, p2_hi;
	reg         p1_last, p2_last;
	wire [31:0] bq;                 // the banks' bytes at the row read
	reg  [31:0] row;
	reg  [31:0] pf_d [0:PF - 1];
	reg  [1:0]  pf_lo [0:PF - 1];
	reg  [1:0]  pf_hi [0:PF - 1];
	reg  [PF - 1:0] pf_l;           // the row holds the frame's last byte
	reg  [2:0]  pf_n;
	wire [31:0] p2_row;             // stage 2's row (fe_tx_csum)
	wire take = tx_tvalid && tx_tready;
	// ip's row holds the frame's last byte (a frame is at most the FIFO's
	// size less 4 bytes, fe_core: its first row is not its last's)
	wire i_last = ip[FIFO_AW - 1:2] == l_last[FIFO_AW - 1:2];
	wire i_go = line_busy && !i_done &&
		    {1'b0, pf_n} + {3'b0, p1} + {3'b0, p2} < PF[3:0];
	assign tx_tvalid = pf_n != 3'd0;
	assign tx_tdata = pf_d[0];
	assign tx_tlo = pf_lo[0];
	assign tx_thi = pf_hi[0];
	assign tx_tlast = pf_l[0];
	wire [1:0]  pf_at = pf_n[1:0] - {1'b0, take};   // where stage 2's row goes
	integer e;
	always @(posedge clk) begin
		p1 <= i_go && !rst;
		p1_row <= ip[FIFO_AW - 1:2];
		p1_lo <= ip[1:0];
		p1_hi <= i_last ? l_last[1:0] : 2'd3;
		p1_last <= i_last;
		p2 <= p1 && !rst;
		p2_lo <= p1_lo;
		p2_hi <= p1_hi;
		p2_last <= p1_last;
		row <= bq;
		// the prefetch: shifts on a take, the row from stage 2 behind
		for (e = 0; e < PF - 1; e = e + 1)
			if (take) begin
				pf_d[e] <= pf_d[e + 1];
				pf_lo[e] <= pf_lo[e + 1];
				pf_hi[e] <= pf_hi[e + 1];
				pf_l[e] <= pf_l[e + 1];
			end
		if (p2) begin   // (pf_n - take < PF: the reads' credit)
			pf_d[pf_at] <= p2_row;
			pf_lo[pf_at] <= p2_lo;
			pf_hi[pf_at] <= p2_hi;
			pf_l[pf_at] <= p2_last;
		end
		pf_n <= rst ? 3'd0 : pf_n + {2'b0, p2} - {2'b0, take};
	end

	genvar bk;
	generate
		for (bk = 0; bk < 4; bk = bk + 1) begin : g_bank
			reg  [7:0] mem [0:(1 << RW) - 1];
			reg  [7:0] mq;
			always @(posedge clk) begin
				if (bw_en[bk])
					mem[bw_row[bk]] <= bw_data[8 * bk +: 8];
				mq <= mem[ip[FIFO_AW - 1:2]];
			end
			assign bq[8 * bk +: 8] = mq;
		end
	endgenerate

	// the checksum: summed on the way in (the beat's bytes in frame
	// order), put in on the way out
	wire [15:0] f_csum;
	wire        cs_idle;
	fe_tx_csum #(.AW(FIFO_AW)) u_csum (
		.clk(clk), .rst(rst), .clear(state == S_CHECK),
		.start(cs_start), .wvalid(beat_in), .wrel(wrel),
		.wdata(rot_r(d_rdata, d_rlane)), .wn(d_rn),
		.csum(f_csum), .idle(cs_idle),
		.ren(l_cs), .rpos(l_pos), .rcsum(l_csum),
		.raddr(p1_row), .rq(row), .tdata(p2_row));

	always @(posedge clk)
		if (state == S_DREAD && f_done && !d_err)
			dram[nd_a] <= {dbuf[79:64], dbuf[63:0]};

	// descriptor bytes, little-endian: byte i at [8i +: 8] (a descriptor
	// is 16-byte aligned: its read is four whole beats)
	always @(posedge clk)
		if (state == S_DREAD && d_rvalid)
			dbuf <= {d_rdata, dbuf[127:32]};

	// the record of the fetched frame, written in S_PUSH (once the
	// checksum has the last beat: cs_idle)
	wire push = state == S_PUSH && a_ok && cs_idle;
	always @(posedge clk)
		if (push) begin
			r_q[wi] <= q;
			r_next[wi] <= cur;
			r_wb[wi] <= wb_hi4;
			r_flags[wi] <= {werr, wflags};
			r_start[wi] <= fstart;
			r_last[wi] <= wp - 1'b1;
			r_len[wi] <= flen[15:0];
			r_pos[wi] <= fstart + cs_pos[FIFO_AW - 1:0];
			r_csum[wi] <= f_csum;
		end

	// ------------------------------------------------------- engine
	integer k, b;
	always @(posedge clk) begin
		halt <= {NQ{1'b0}};
		discard <= {NQ{1'b0}};
		complete <= {NQ{1'b0}};
		sent <= 1'b0;
		en_q <= enable;
		if (rst) begin
			state <= S_IDLE;
			l_state <= L_IDLE;
			q <= {QW{1'b0}};
			rr <= {QW{1'b0}};
			for (k = 0; k < NQ; k = k + 1) begin
				head_r[k] <= 16'h0;
				fhead[k] <= 16'h0;
				ptail[k] <= 16'h0;
			end
			halted <= {NQ{1'b0}};
			rearm <= {NQ{1'b0}};
			parked <= {NQ{1'b0}};
			r_wp <= 3'd0;
			r_lp <= 3'd0;
			r_op <= 3'd0;
			r_bp <= 3'd0;
			n_done <= 3'd0;
			wp <= {FIFO_AW{1'b0}};
			l_cs <= 1'b0;
			w_busy <= 1'b0;
			w_pop <= 1'b1;   // w_*_q are of the records before the reset
			d_own <= 1'b0;
			d_req <= 1'b0;
			halt_cause <= 4'h0;
			halt_addr <= 64'h0;
		end else begin
			// ENABLE 0 to 1: HEAD 0, not halted, once the queue has no
			// frame in the engine
			for (k = 0; k < NQ; k = k + 1)
				if (enable[k] && !en_q[k])
					rearm[k] <= 1'b1;
				else if (rearm[k] && !busy[k]) begin
					rearm[k] <= 1'b0;
					head_r[k] <= 16'h0;
					fhead[k] <= 16'h0;
					halted[k] <= 1'b0;
					parked[k] <= 1'b0;
				end
			// ENABLE 1 to 0: the queue's frames fetched (or being
			// fetched) behind another frame on the line, not on it
			// yet, are dead; the others finish
			for (k = 0; k < NQ; k = k + 1)
				if (kill[k]) begin
					for (b = 0; b < RD; b = b + 1)
						if (r_waiting[b] && {{(32 - QW){1'b0}}, r_q[b]} == k)
							r_dead[b] <= 1'b1;
					if (state != S_IDLE && {{(32 - QW){1'b0}}, q} == k)
						f_dead <= 1'b1;
				end
			if (d_done)
				d_req <= 1'b0;

			// the write-back of the oldest frame that left the line
			w_pop <= 1'b0;
			if (w_busy) begin
				if (d_done) begin
					w_busy <= 1'b0;
					w_pop <= 1'b1;
					r_bp <= r_bp + 1'b1;
					if (d_err) begin
						halt[r_q[bi]] <= 1'b1;
						halt_cause <= C_DESC_WRITE;
						halt_addr <= d_addr;
						halted[r_q[bi]] <= 1'b1;
					end else begin
						head_r[r_q[bi]] <= r_next[bi];
						complete[r_q[bi]] <= 1'b1;
						// a discard counts once written
						// back (as the QEMU model does)
						discard[r_q[bi]] <= w_flags[2];
					end
				end
			end else if (w_ready && w_dead_q) begin
				w_pop <= 1'b1;
				r_bp <= r_bp + 1'b1;    // dead: nothing written
			end else if (w_want && !d_req) begin
				w_busy <= 1'b1;
				d_own <= 1'b1;
				w_flags <= r_flags[bi];
				d_req <= 1'b1;
				d_write <= 1'b1;
				d_addr <= {r_wb[bi], 4'ha};
				d_len <= 16'd2;
			end

			// the frames that left the line: one the MAC was handed
			// with its tx_done (counted in n_done until its turn),
			// the others as soon as the line passed them
			if (r_op != r_lp && (!r_out[oi] || n_done != 3'd0)) begin
				r_op <= r_op + 1'b1;
				n_done <= n_done + {2'b0, tx_done} - {2'b0, r_out[oi]};
			end else
				n_done <= n_done + {2'b0, tx_done};

			// the line: the recorded frames in order
			case (l_state)
			L_IDLE:
				if (r_lp != r_wp) begin
					r_out[li] <= l_send;
					if (l_send) begin
						ip <= r_start[li];
						i_done <= 1'b0;
						l_last <= r_last[li];
						l_len <= r_len[li];
						l_cs <= r_cs[li];
						l_pos <= r_pos[li];
						l_csum <= r_csum[li];
						l_state <= L_SEND;
					end else
						r_lp <= r_lp + 1'b1;   // discarded, dead or consumed
				end
			default: begin   // L_SEND
				if (i_go) begin
					ip <= {ip[FIFO_AW - 1:2] + 1'b1, 2'b00};
					i_done <= i_last;
				end
				if (take && tx_tlast) begin
					l_cs <= 1'b0;
					sent <= 1'b1;
					r_lp <= r_lp + 1'b1;
					l_state <= L_IDLE;
				end
			end
			endcase

			// the fetch
			case (state)
			S_IDLE:
				if (found_q && was_idle && may_fetch && enable[pick_q] &&
				    !halted[pick_q] && !hold) begin
					q <= pick_q;
					rr <= {{(32 - QW){1'b0}}, pick_q} == NQ - 1 ? {QW{1'b0}} : pick_q + 1'b1;
					parked[pick_q] <= 1'b0;
					ndesc <= {DW{1'b0}};
					flen <= 24'h0;
					bad <= 1'b0;
					f_dead <= 1'b0;
					state <= S_LOAD;
				end
			S_LOAD:    // base_q, mask, head_q are q's
				state <= S_DREAD;
			S_DREAD:
				if (f_done) begin
					if (d_err) begin
						f_cause <= C_DESC_READ;
						f_haddr <= d_addr;
						state <= S_FAIL;
					end else begin
						ndesc <= ndesc + 1'b1;
						flen <= flen + {8'h0, dbuf[79:64]};
						wflags <= dbuf[81:80];
						if (ndesc == {DW{1'b0}}) begin
							cs_en <= TX_CSUM && dbuf[81];
							cs_start <= dbuf[111:96];
							cs_pos <= {1'b0, dbuf[111:96]} +
								  {1'b0, dbuf[127:112]};
						end
						if (dbuf[79:64] == 16'h0)
							bad <= 1'b1;
						if (dbuf[80])
							state <= S_CHECK;
						else if (nd_max || nd_mask) begin
							bad <= 1'b1;
							state <= S_CHECK;
						end else if (nd_ready) begin
							// EOP not handed over yet: park the
							// queue until TAIL changes
							parked[q] <= 1'b1;
							ptail[q] <= nd_tail;   // nd_ready's
							state <= S_IDLE;
						end
					end
				end else if (!d_req && f_gone)
					state <= S_IDLE;   // dead: nothing more read
				else if (!d_req && !w_want && a_ok) begin
					d_req <= 1'b1;
					d_own <= 1'b0;
					d_write <= 1'b0;
					d_addr <= cur_addr;
					d_len <= 16'd16;
				end
			S_CHECK: begin
				di <= {DW{1'b0}};
				fstart <= wp;
				wrel <= 17'h0;
				werr <= 1'b0;
				if (f_gone)
					state <= S_IDLE;   // dead: not counted, nothing read
				else if (bad || flen > {8'h0, max_frame_len} ||
				    (cs_en && {7'h0, cs_pos} + 24'd2 > flen)) begin
					werr <= 1'b1;
					f_send <= 1'b0;
					state <= S_PUSH;
				end else if (!line_busy ||
					     {8'h0, l_len} + flen <= {{(23 - FIFO_AW){1'b0}}, FIFO_SIZE}) begin
					// room beside the frame on the line (max_frame_len
					// may have grown since the fetch started)
					f_send <= 1'b1;
					state <= S_BREAD;
				end
			end
			S_BREAD: begin
				if (d_rvalid) begin
					wp <= wp + {{(FIFO_AW - 3){1'b0}}, d_rn};
					wrel <= wrel + {14'h0, d_rn};
				end
				if (f_done) begin
					if (d_err) begin
						wp <= fstart;   // the frame leaves the FIFO
						f_cause <= C_BUF_ACCESS;
						f_haddr <= d_addr;
						state <= S_FAIL;
					end else if (di + 1'b1 != ndesc)
						di <= di + 1'b1;
					else
						state <= S_PUSH;
				end else if (!d_req && f_gone) begin
					wp <= fstart;      // dead: nothing more read
					state <= S_IDLE;
				end else if (!d_req && !w_want) begin
					d_req <= 1'b1;
					d_own <= 1'b0;
					d_write <= 1'b0;
					d_addr <= dr[63:0];
					d_len <= dr[79:64];
				end
			end
			S_PUSH:    // cur is the position past the frame
				if (push) begin
					r_wp <= r_wp + 1'b1;
					r_dead[wi] <= f_dead || kill[q];
					r_send[wi] <= f_send;
					r_cs[wi] <= cs_en;
					fhead[q] <= cur;
					state <= S_IDLE;
				end
			default:   // S_FAIL: halts when the frames before have completed
				if (n_rec == 3'd0) begin
					if (!halted[q] && !f_dead) begin
						halt[q] <= 1'b1;
						halt_cause <= f_cause;
						halt_addr <= f_haddr;
						halted[q] <= 1'b1;
					end
					state <= S_IDLE;
				end
			endcase
		end
	end
endmodule
`default_nettype wire
