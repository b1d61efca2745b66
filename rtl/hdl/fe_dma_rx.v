// SPDX-License-Identifier: GPL-2.0
// fe_dma_rx: the RX FIFO and the RX engine of one queue.
//
// FIFO: frames from the MAC (rx_*, no backpressure; rx_tuser at rx_tlast
// drops the frame) go into a byte FIFO of 2^FIFO_AW bytes, their lengths
// into a queue of 2^LQ_AW entries; a frame is ready when its last byte is
// in.  A frame that does not fit (FIFO or length queue full) is dropped
// whole: ovf (RX_FIFO_OVF) for one cycle.  The FIFO is the crossing from
// the receiver's clock (rx_clk, GMII RX_CLK) to clk: it is written on
// rx_clk (rx_*, rx_rst from fe_mac) and read on clk.  The length queue is
// an fe_async_fifo (written when a frame is complete, so the engine sees
// a length only after its bytes are in); the engine's read pointer goes
// back to the writer through fe_cdc_bus (free space, a few clocks late:
// the FIFO may look fuller than it is, never emptier); the overflow pulse
// through fe_cdc_pulse.  Dropping a frame whole on overflow happens in
// rx_clk's domain, where the bytes arrive.
//
// Engine, the frame at the head of the FIFO:
// 1. queue not enabled, halted, or halted by RING_CONFIG: dropped, nobuf;
// 2. reads descriptors (ADDR and BUF_LEN, bytes 0-9) from HEAD on until
//    their BUF_LEN add up to the frame's length; while TAIL hands over too
//    few it waits (and the FIFO behind it fills), unless ENABLE goes 0 or
//    the ring is full (size - 1 descriptors read): then the frame is
//    dropped, nobuf.  BUF_LEN 0 halts the queue (DESC_INVALID);
// 3. per descriptor, in order: reads it again (the spec lets the device
//    read a descriptor between HEAD and TAIL more than once; this engine
//    keeps no descriptor store), writes its part of the frame to ADDR,
//    then its body: bytes 0-9 (RSS_HASH 0, CSUM 0, LEN) and 12-15 (0);
// 4. writes the STATUS words (DONE; EOP in the last) from the last
//    descriptor back to the first;
// 5. after the OKAY of the first one, advances HEAD and counts the
//    completion (fe_coal).
// Every access completes (write response) before the next starts.  A bus
// error halts the queue (DESC_READ, BUF_ACCESS, DESC_WRITE with the spec's
// ERR_ADDR) and drops the rest of the frame, counted in nobuf.  ENABLE 0 to
// 1 sets HEAD to 0 and clears the halt.  No RX_CSUM, no RSS: CSUM_VALID
// and HASH_TYPE 0.
`default_nettype none
module fe_dma_rx #(
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
	input  wire [63:0] base,
	input  wire [3:0]  log2,
	input  wire [15:0] tail,
	input  wire        enable,
	input  wire [31:0] coal,
	input  wire        time_en,       // the coalescing timer counts (fe_coal)
	output reg  [15:0] head,
	output wire        busy,
	output reg         halt,
	output reg  [3:0]  halt_cause,
	output reg  [63:0] halt_addr,
	output reg         nobuf,         // one cycle per frame dropped for this queue
	output wire        ovf,           // one cycle per frame the FIFO could not take
	output wire        irq_event,
	output wire        timer,         // the coalescing timer counts
	output wire [31:0] timer_due,     // time_en clocks until it fires
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
	input  wire [7:0]  d_rdata,
	input  wire        d_pull,
	output wire [7:0]  d_wdata
);
	localparam S_IDLE = 4'd0, S_SCAN = 4'd1, S_WAIT = 4'd2, S_DESC = 4'd3,
		   S_DATA = 4'd4, S_BODY = 4'd5, S_BODY2 = 4'd6, S_STAT = 4'd7,
		   S_DROP = 4'd8;
	localparam [3:0] C_DESC_READ = 4'd1, C_BUF_ACCESS = 4'd2, C_DESC_WRITE = 4'd3,
			 C_DESC_INVALID = 4'd5;
	localparam FW = FIFO_AW + 1;

	// ------------------------------------------------------- FIFO in (rx_clk)
	reg  [7:0]  fifo [0:(1 << FIFO_AW) - 1];
	reg  [FW - 1:0] wp, fstart, rp;
	wire [FW - 1:0] rp_w;           // rp in rx_clk's domain, a few clocks old
	reg  [15:0] wlen;               // bytes of the incoming frame
	reg         wovf;               // it did not fit
	reg         ovf_w;              // ovf in rx_clk's domain
	wire [FW - 1:0] fill = wp - rp_w;
	wire        fifo_full = fill[FIFO_AW];
	wire        lq_wready, lq_valid;
	wire        lq_full = !lq_wready;
	wire        lq_empty = !lq_valid;
	wire [15:0] lq_len;             // the head frame's length
	wire        lq_push = rx_tvalid && rx_tlast && !rx_tuser &&
			      !(fifo_full || wovf || lq_full);
	reg         pop;                // the engine is done with the head frame

	always @(posedge rx_clk)
		if (rx_tvalid && !fifo_full && !wovf)
			fifo[wp[FIFO_AW - 1:0]] <= rx_tdata;

	always @(posedge rx_clk) begin
		ovf_w <= 1'b0;
		if (rx_rst) begin
			wp <= {FW{1'b0}};
			fstart <= {FW{1'b0}};
			wlen <= 16'h0;
			wovf <= 1'b0;
		end else if (rx_tvalid) begin
			if (!fifo_full && !wovf)
				wp <= wp + 1'b1;
			else
				wovf <= 1'b1;
			wlen <= wlen + 16'h1;
			if (rx_tlast) begin
				wlen <= 16'h0;
				wovf <= 1'b0;
				if (rx_tuser)
					wp <= fstart;
				else if (!lq_push) begin
					wp <= fstart;
					ovf_w <= 1'b1;
				end else
					fstart <= wp + 1'b1;
			end
		end
	end

	fe_async_fifo #(.DW(16), .AW(LQ_AW)) u_lq (
		.wclk(rx_clk), .wrst(rx_rst), .w_valid(lq_push), .w_data(wlen + 16'h1),
		.w_ready(lq_wready),
		.rclk(clk), .rrst(rst), .r_valid(lq_valid), .r_data(lq_len),
		.r_ready(pop));
	fe_cdc_bus #(.W(FW)) u_rp (
		.s_clk(clk), .s_rst(rst), .s_data(rp),
		.d_clk(rx_clk), .d_rst(rx_rst), .d_data(rp_w));
	fe_cdc_pulse u_ovf (
		.s_clk(rx_clk), .s_rst(rx_rst), .s_pulse(ovf_w),
		.d_clk(clk), .d_rst(rst), .d_pulse(ovf));

	// ------------------------------------------------------- engine
	reg  [3:0]  state;
	reg         en_q, rearm, halted;
	reg  [15:0] flen;               // the head frame's length
	reg  [FW - 1:0] fend;           // where it ends in the FIFO
	reg  [15:0] ndesc;              // descriptors it needs / has read
	reg  [16:0] sum;                // their BUF_LEN
	reg  [15:0] di;                 // descriptor being written
	reg  [15:0] left;               // bytes not yet written
	reg  [15:0] n;                  // bytes into this descriptor
	reg  [79:0] dbuf;               // descriptor bytes 0-9
	reg  [7:0]  rq;                 // FIFO byte pulled
	reg  [7:0]  cq;                 // write-back byte pulled
	reg  [3:0]  bi;                 // its index
	reg         complete;

	wire [15:0] mask = (16'h1 << log2) - 16'h1;
	wire [15:0] ready = (tail - head) & mask;
	wire [15:0] idx = (head + (state == S_SCAN ? ndesc : di)) & mask;
	wire [63:0] daddr = base + {44'h0, idx, 4'h0};
	wire        run = enable && en_q && !halted && !rearm && log2 >= 4'd3;
	wire [15:0] blen = dbuf[79:64];
	wire [15:0] nlen = blen < left ? blen : left;
	wire        eop_d = di == ndesc - 16'h1;
	wire [15:0] status = {1'b1, 14'h0, eop_d};   // DONE, EOP
	/* verilator lint_off UNUSEDSIGNAL */   // (the length fits in FW bits)
	wire [FW + 15:0] lq_ext = {{FW{1'b0}}, lq_len};
	/* verilator lint_on UNUSEDSIGNAL */

	assign busy = state != S_IDLE && state != S_DROP;
	assign empty = lq_empty;
	assign d_wdata = state == S_DATA ? rq : cq;

	fe_coal #(.CLK_MHZ(CLK_MHZ)) u_coal (
		.clk(clk), .rst(rst), .coal(coal), .complete(complete),
		.time_en(time_en), .event_o(irq_event), .armed(timer),
		.due(timer_due));

	// bytes pulled by the DMA master, one cycle later on d_wdata
	always @(posedge clk)
		if (d_pull && state == S_DATA)
			rq <= fifo[rp[FIFO_AW - 1:0]];

	// write-back bytes: body (bytes 0-9: zero but LEN at 8-9; 12-15:
	// zero), STATUS
	always @(posedge clk)
		if (d_pull) begin
			bi <= bi + 4'h1;
			case (state)
			S_BODY:  cq <= bi == 4'd8 ? n[7:0] : bi == 4'd9 ? n[15:8] : 8'h0;
			S_STAT:  cq <= bi == 4'd0 ? status[7:0] : status[15:8];
			default: cq <= 8'h0;
			endcase
		end else if (!d_req)
			bi <= 4'h0;

	always @(posedge clk)
		if (state != S_DATA && d_rvalid)
			dbuf <= {d_rdata, dbuf[79:8]};

	task automatic halt_q(input [3:0] cause, input [63:0] a);
		begin
			halt <= 1'b1;
			halt_cause <= cause;
			halt_addr <= a;
			halted <= 1'b1;
			nobuf <= 1'b1;   // the frame it halts on is dropped
			state <= S_DROP;
		end
	endtask

	task automatic access(input wr, input [63:0] a, input [15:0] len);
		if (!d_req && !d_done) begin
			d_req <= 1'b1;
			d_write <= wr;
			d_addr <= a;
			d_len <= len;
		end
	endtask

	always @(posedge clk) begin
		halt <= 1'b0;
		nobuf <= 1'b0;
		complete <= 1'b0;
		pop <= 1'b0;
		en_q <= enable;
		if (rst) begin
			state <= S_IDLE;
			head <= 16'h0;
			halted <= 1'b0;
			rearm <= 1'b0;
			d_req <= 1'b0;
			rp <= {FW{1'b0}};
			halt_cause <= 4'h0;
			halt_addr <= 64'h0;
		end else begin
			if (enable && !en_q)
				rearm <= 1'b1;
			if (d_done)
				d_req <= 1'b0;
			if (d_pull && state == S_DATA)
				rp <= rp + 1'b1;
			case (state)
			S_IDLE:
				if (rearm) begin
					head <= 16'h0;
					halted <= 1'b0;
					rearm <= 1'b0;
				end else if (!lq_empty && !pop) begin
					flen <= lq_len;
					fend <= rp + lq_ext[FW - 1:0];
					ndesc <= 16'h0;
					sum <= 17'h0;
					if (run)
						state <= S_SCAN;
					else begin
						nobuf <= 1'b1;
						state <= S_DROP;
					end
				end
			S_SCAN:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_READ, daddr);
					else if (blen == 16'h0)
						halt_q(C_DESC_INVALID, daddr);
					else begin
						ndesc <= ndesc + 16'h1;
						sum <= sum + {1'b0, blen};
						if (sum + {1'b0, blen} >= {1'b0, flen}) begin
							di <= 16'h0;
							left <= flen;
							state <= S_DESC;
						end else if (ndesc + 16'h1 == mask) begin
							nobuf <= 1'b1;   // more than a full ring
							state <= S_DROP;
						end else if (ndesc + 16'h1 == ready)
							state <= S_WAIT;
					end
				end else if (!d_req && ready == ndesc)
					state <= S_WAIT;   // no descriptor posted yet
				else
					access(1'b0, daddr, 16'd10);
			S_WAIT:
				if (!enable) begin
					nobuf <= 1'b1;
					state <= S_DROP;
				end else if (ready > ndesc)
					state <= S_SCAN;
			S_DESC:   // read the descriptor again: ADDR and BUF_LEN
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_READ, daddr);
					else if (blen == 16'h0 || (blen < left && eop_d))
						halt_q(C_DESC_INVALID, daddr);   // changed since the scan
					else begin
						n <= nlen;
						state <= S_DATA;
					end
				end else
					access(1'b0, daddr, 16'd10);
			S_DATA:
				if (d_done) begin
					if (d_err)
						halt_q(C_BUF_ACCESS, dbuf[63:0]);
					else begin
						left <= left - n;
						state <= S_BODY;
					end
				end else
					access(1'b1, dbuf[63:0], n);
			S_BODY:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_WRITE, daddr);
					else
						state <= S_BODY2;
				end else
					access(1'b1, daddr, 16'd10);
			S_BODY2:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_WRITE, daddr);
					else if (left != 16'h0) begin
						di <= di + 16'h1;
						state <= S_DESC;
					end else
						state <= S_STAT;   // di: the last descriptor
				end else
					access(1'b1, daddr + 64'd12, 16'd4);
			S_STAT:
				if (d_done) begin
					if (d_err)
						halt_q(C_DESC_WRITE, daddr + 64'd10);
					else if (di != 16'h0)
						di <= di - 16'h1;
					else begin
						head <= (head + ndesc) & mask;
						complete <= 1'b1;
						state <= S_DROP;   // the frame leaves the FIFO
					end
				end else
					access(1'b1, daddr + 64'd10, 16'd2);
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
