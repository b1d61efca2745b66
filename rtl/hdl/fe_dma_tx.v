// SPDX-License-Identifier: GPL-2.0
// fe_dma_tx: the TX engine, serving NQ TX queues round-robin, one frame at a
// time, store and forward.
//
// For each frame: reads its descriptors from HEAD on (one 16-byte read
// each) until the EOP one; if TAIL has not handed the EOP over yet, the
// queue is parked until its TAIL changes and the engine serves the others
// (the descriptors are read again then, as the spec allows); reads its buffers into the TX FIFO (one frame); hands the
// frame to the MAC (tx_*, its bytes back to back) when the line can take
// it, or consumes it unsent while the line is off (line_ok 0: CTRL.TX_EN 0
// or the link down, as the spec says); then writes the FLAGS word of the
// EOP descriptor (DONE, ERR; EOP and CSUM as written), and only after that
// write's OKAY advances HEAD and counts the completion (fe_coal: the
// interrupt).  One access of the DMA master at a time, each complete before
// the next: the spec's order.
//
// Discards (ERR, TX_DISCARDS): a descriptor with LEN 0, a frame longer than
// max_frame_len, MAX_DESCS descriptors without EOP, a full ring (size - 1
// descriptors) without EOP, or (with TX_CSUM) CSUM set and CSUM_START +
// CSUM_OFFSET + 2 beyond the frame's length; the write-back goes to the
// last descriptor read and the buffers are not read.  MAX_DESCS 1 is an IP
// without TX_SG (a descriptor without EOP is discarded on its own).
//
// TX checksum offload (TX_CSUM 1, CAP1.TX_CSUM): CSUM, CSUM_START and
// CSUM_OFFSET of the frame's first descriptor; fe_tx_csum sums the frame
// from CSUM_START as its buffers are read into the FIFO and puts the
// checksum at CSUM_START + CSUM_OFFSET as it goes out to the MAC.  Without
// TX_CSUM, CSUM is only kept in the write-back.
//
// Bus errors halt the queue (halt pulse with cause and address): reading a
// descriptor (DESC_READ, the descriptor's address), a buffer (BUF_ACCESS,
// the buffer's ADDR; the frame is dropped from the FIFO, nothing written),
// the write-back (DESC_WRITE, the descriptor + 10; the frame was sent, HEAD
// stays).  A halted queue does nothing until ENABLE goes 0 and 1 again,
// which sets HEAD to 0 (the register file clears TAIL and HALTED).
// Clearing ENABLE lets a frame whose descriptors have all been read finish.
// busy[q] (not IDLE) is high from the first descriptor read of a frame of
// queue q to the end of that frame.  hold (soft reset) starts no frame.
// Per queue q the ports are at [q*W +: W]; halt_cause and halt_addr go with
// whichever halt[q] pulses.
`default_nettype none
module fe_dma_tx #(
	parameter        NQ        = 1,        // TX queues
	parameter        MAX_DESCS = 32,       // CAP2.TX_MAX_DESCS (1: no TX_SG)
	parameter        FIFO_AW   = 14,       // TX FIFO of 2^FIFO_AW bytes >= MAX_FRAME, AW <= 16
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
	output reg  [NQ - 1:0]      discard,  // one cycle per discarded frame
	output wire [NQ - 1:0]      irq_event,
	output wire        timer,         // a queue's coalescing timer counts
	output wire [31:0] timer_due,     // time_en clocks until the first fires
	output reg         sent,          // one cycle per frame handed to the MAC
	// DMA master client
	output reg         d_req,
	output reg         d_write,
	output reg  [63:0] d_addr,
	output reg  [15:0] d_len,
	input  wire        d_done,
	input  wire        d_err,
	input  wire        d_rvalid,
	input  wire [7:0]  d_rdata,
	input  wire        d_pull,
	output reg  [7:0]  d_wdata,
	// to the MAC
	output reg         tx_tvalid,
	output wire [7:0]  tx_tdata,   // (fe_tx_csum)
	output wire        tx_tlast,
	input  wire        tx_tready
);
	localparam S_IDLE = 3'd0, S_DREAD = 3'd1, S_LOAD = 3'd2, S_CHECK = 3'd3,
		   S_BREAD = 3'd4, S_PRIME = 3'd5, S_SEND = 3'd6, S_WB = 3'd7;
	localparam [3:0] C_DESC_READ = 4'd1, C_BUF_ACCESS = 4'd2, C_DESC_WRITE = 4'd3;
	localparam DW = MAX_DESCS > 32 ? 7 : MAX_DESCS > 16 ? 6 : MAX_DESCS > 8 ? 5 :
			MAX_DESCS > 4 ? 4 : MAX_DESCS > 2 ? 3 : MAX_DESCS > 1 ? 2 : 1;
	localparam AW = DW > 1 ? DW - 1 : 1;   // index of the descriptor store
	localparam QW = NQ > 4 ? 3 : NQ > 2 ? 2 : 1;

	reg  [2:0]  state;
	reg  [QW - 1:0] q;              // the queue of the frame in progress
	reg  [QW - 1:0] rr;             // the queue served first next time
	reg  [15:0] head_r [0:NQ - 1];
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
	reg  [7:0]  fifo [0:(1 << FIFO_AW) - 1];
	reg  [FIFO_AW - 1:0] wp, rp;
	reg  [7:0]  rq;                 // fifo[rp]
	reg  [FIFO_AW - 1:0] last;      // index of the frame's last byte
	reg         wb_hi;              // write-back: the byte pulled next
	reg  [NQ - 1:0] complete;
	wire [NQ - 1:0] armed;
	wire [32 * NQ - 1:0] due;
	assign timer = |armed;
	fe_min_due #(.N(NQ)) u_due (.due(due), .min(timer_due));

	// the current queue's registers, selected into registers every clock
	// (timing: rtl/README.md, "Synthesis"): base, mask and HEAD a clock
	// after q (S_LOAD waits for them), ready two, from tail_q, the TAIL
	// a park records; HEAD changes only in S_WB and at a rearm (not busy)
	reg  [63:0] base_q;
	reg  [15:0] mask, head_q, tail_p, tail_q, ready;
	always @(posedge clk) begin
		base_q <= base[64 * q +: 64];
		mask <= (16'h1 << log2[4 * q +: 4]) - 16'h1;
		head_q <= head_r[q];
		tail_p <= tail[16 * q +: 16];
		tail_q <= tail_p;
		ready <= (tail_p - head_q) & mask;
	end
	wire [15:0] nd16 = {{(16 - DW){1'b0}}, ndesc};
	// the descriptors' addresses in two registered steps (timing:
	// rtl/README.md, "Synthesis"): the ring index of descriptor ndesc
	// (cur), then base + 16 * index (cur_addr): the frame's two clocks
	// after ndesc, head_q and mask, three after q.  a_wait holds S_DREAD's
	// descriptor reads until then: it is set in S_LOAD (ndesc and q
	// changed on entering it, head_q, mask and base_q change as it ends)
	// and where a descriptor read moves ndesc on, and clears two clocks
	// later.  head_q changes only in S_WB, at its end.  The write-back's
	// address (wb_hi4: FLAGS at + 10 of the last descriptor read) is
	// cur_addr taken as each descriptor read ends, ndesc unchanged since
	// its request; a halt reports d_addr, the failed access's address.
	reg  [15:0] cur;
	reg  [63:0] cur_addr;
	reg  [59:0] wb_hi4;             // bits 63:4 (16-byte aligned descriptors)
	reg  [1:0]  a_wait;
	always @(posedge clk) begin
		cur <= (head_q + nd16) & mask;
		cur_addr <= base_q + {44'h0, cur, 4'h0};
		a_wait <= state == S_LOAD || (state == S_DREAD && d_done && !d_err) ?
			  2'b11 : {1'b0, a_wait[1]};
		if (state == S_DREAD && d_done)
			wb_hi4 <= cur_addr[63:4];
	end
	wire        a_ok = !a_wait[0];
	wire [AW - 1:0] di_a = di[AW - 1:0];
	wire [AW - 1:0] nd_a = ndesc[AW - 1:0];
	wire [79:0] dr = dram[di_a];
	wire [15:0] flags = {1'b1, werr, 12'h0, wflags};   // DONE, ERR, CSUM, EOP
	// S_DREAD's compares of the next descriptor count, registered every
	// clock from ndesc, mask and ready (timing: rtl/README.md,
	// "Synthesis"): right a clock after any of them changes.  S_DREAD
	// decides at d_done, which comes clocks after d_req (fe_dma_axi's
	// arbiter and burst are registers), and d_req rises three clocks
	// after ndesc changes at the d_done before, or two after S_LOAD
	// (a_wait; ready is right two clocks after q, the flags a clock
	// later: before any d_done)
	reg         nd_max, nd_mask, nd_ready;
	always @(posedge clk) begin
		nd_max <= {{(32 - DW){1'b0}}, ndesc} + 1 == MAX_DESCS;
		nd_mask <= nd16 + 16'h1 == mask;
		nd_ready <= nd16 + 16'h1 == ready;
	end

	// queues with a frame to start, and the next one round-robin from rr,
	// registered (pick_q, found_q: of the clock before); S_IDLE takes them
	// from its second clock on (was_idle), when no change the engine made
	// on leaving its last frame (HEAD, a halt, a park) is missing in them;
	// in S_IDLE the engine only clears rearms, which a stale pick misses;
	// ENABLE 0 stops a pick at once, as before
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
				      log2[4 * i +: 4] >= 4'd3 && ((t_i - head_r[i]) & m_i) != 16'h0 &&
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

	genvar g;
	generate
		for (g = 0; g < NQ; g = g + 1) begin : g_q
			assign head[16 * g +: 16] = head_r[g];
			assign busy[g] = state != S_IDLE && q == g;
			fe_coal #(.CLK_MHZ(CLK_MHZ)) u_coal (
				.clk(clk), .rst(rst), .coal(coal[32 * g +: 32]),
				.complete(complete[g]), .time_en(time_en),
				.event_o(irq_event[g]), .armed(armed[g]),
				.due(due[32 * g +: 32]));
		end
	endgenerate

	// ------------------------------------------------ FIFO to the MAC
	// the byte at rp is in rq; a byte taken moves rp on and reads the next
	wire take = tx_tvalid && tx_tready;
	wire [FIFO_AW - 1:0] raddr = take ? rp + 1'b1 : rp;
	always @(posedge clk)
		rq <= fifo[raddr];
	assign tx_tlast = rp == last;

	// the checksum: summed on the way in, put in on the way out
	fe_tx_csum #(.AW(FIFO_AW)) u_csum (
		.clk(clk), .rst(rst), .clear(state == S_CHECK), .en(cs_en),
		.start(cs_start), .pos(cs_pos),
		.wvalid(state == S_BREAD && d_rvalid), .widx(wp), .wdata(d_rdata),
		.raddr(raddr), .rq(rq), .tdata(tx_tdata));

	always @(posedge clk)
		if (state == S_BREAD && d_rvalid)
			fifo[wp] <= d_rdata;

	always @(posedge clk)
		if (state == S_DREAD && d_done && !d_err)
			dram[nd_a] <= {dbuf[79:64], dbuf[63:0]};

	// descriptor bytes, little-endian: byte i at [8i +: 8]
	always @(posedge clk)
		if (state == S_DREAD && d_rvalid)
			dbuf <= {d_rdata, dbuf[127:8]};

	// ------------------------------------------------------- engine
	// the failed access's address is d_addr (its request's)
	task automatic halt_q(input [3:0] cause);
		begin
			halt[q] <= 1'b1;
			halt_cause <= cause;
			halt_addr <= d_addr;
			halted[q] <= 1'b1;
			state <= S_IDLE;
		end
	endtask

	integer k;
	always @(posedge clk) begin
		halt <= {NQ{1'b0}};
		discard <= {NQ{1'b0}};
		complete <= {NQ{1'b0}};
		sent <= 1'b0;
		en_q <= enable;
		if (rst) begin
			state <= S_IDLE;
			q <= {QW{1'b0}};
			rr <= {QW{1'b0}};
			for (k = 0; k < NQ; k = k + 1) begin
				head_r[k] <= 16'h0;
				ptail[k] <= 16'h0;
			end
			halted <= {NQ{1'b0}};
			rearm <= {NQ{1'b0}};
			parked <= {NQ{1'b0}};
			cs_en <= 1'b0;
			d_req <= 1'b0;
			tx_tvalid <= 1'b0;
			halt_cause <= 4'h0;
			halt_addr <= 64'h0;
		end else begin
			// ENABLE 0 to 1: HEAD 0, not halted, once the queue is idle
			for (k = 0; k < NQ; k = k + 1)
				if (enable[k] && !en_q[k])
					rearm[k] <= 1'b1;
				else if (rearm[k] && !busy[k]) begin
					rearm[k] <= 1'b0;
					head_r[k] <= 16'h0;
					halted[k] <= 1'b0;
					parked[k] <= 1'b0;
				end
			if (d_pull) begin
				d_wdata <= wb_hi ? flags[15:8] : flags[7:0];
				wb_hi <= 1'b1;
			end
			if (d_done)
				d_req <= 1'b0;
			case (state)
			S_IDLE:
				if (found_q && was_idle && enable[pick_q] && !hold) begin
					q <= pick_q;
					rr <= {{(32 - QW){1'b0}}, pick_q} == NQ - 1 ? {QW{1'b0}} : pick_q + 1'b1;
					parked[pick_q] <= 1'b0;
					ndesc <= {DW{1'b0}};
					flen <= 24'h0;
					bad <= 1'b0;
					state <= S_LOAD;
				end
			S_LOAD:    // base_q, mask, head_q are q's
				state <= S_DREAD;
			S_DREAD:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_READ);
					else begin
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
							ptail[q] <= tail_q;   // ready's
							state <= S_IDLE;
						end
					end
				end else if (!d_req && a_ok) begin
					d_req <= 1'b1;
					d_write <= 1'b0;
					d_addr <= cur_addr;
					d_len <= 16'd16;
				end
			S_CHECK: begin
				di <= {DW{1'b0}};
				wp <= {FIFO_AW{1'b0}};
				werr <= 1'b0;
				wb_hi <= 1'b0;
				if (bad || flen > {8'h0, max_frame_len} ||
				    (cs_en && {7'h0, cs_pos} + 24'd2 > flen)) begin
					werr <= 1'b1;
					discard[q] <= 1'b1;
					state <= S_WB;
				end else
					state <= S_BREAD;
			end
			S_BREAD: begin
				if (d_rvalid)
					wp <= wp + 1'b1;
				if (d_done) begin
					if (d_err)
						halt_q(C_BUF_ACCESS);
					else if (di + 1'b1 != ndesc)
						di <= di + 1'b1;
					else begin
						rp <= {FIFO_AW{1'b0}};
						last <= flen[FIFO_AW - 1:0] - 1'b1;
						state <= line_ok ? S_PRIME : S_WB;
					end
				end else if (!d_req) begin
					d_req <= 1'b1;
					d_write <= 1'b0;
					d_addr <= dr[63:0];
					d_len <= dr[79:64];
				end
			end
			S_PRIME: begin   // rq holds fifo[0] from the next cycle
				tx_tvalid <= 1'b1;
				state <= S_SEND;
			end
			S_SEND:
				if (take) begin
					rp <= raddr;
					if (tx_tlast) begin
						tx_tvalid <= 1'b0;
						sent <= 1'b1;
						state <= S_WB;
					end
				end
			default:   // S_WB: FLAGS of the last descriptor
				if (d_done) begin
					state <= S_IDLE;
					if (d_err)
						halt_q(C_DESC_WRITE);
					else begin
						head_r[q] <= cur;
						complete[q] <= 1'b1;
					end
				end else if (!d_req) begin
					d_req <= 1'b1;
					d_write <= 1'b1;
					d_addr <= {wb_hi4, 4'ha};
					d_len <= 16'd2;
				end
			endcase
		end
	end
endmodule
`default_nettype wire
