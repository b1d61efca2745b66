// SPDX-License-Identifier: GPL-2.0
// fe_dma_tx: the TX engine of one queue, store and forward.
//
// For each frame: reads its descriptors from HEAD on (one 16-byte read
// each) until the EOP one, waiting for doorbells while TAIL has not handed
// it over yet; reads its buffers into the TX FIFO (one frame); hands the
// frame to the MAC (tx_*, its bytes back to back) when the line can take
// it, or consumes it unsent while the line is off (line_ok 0: CTRL.TX_EN 0
// or the link down, as the spec says); then writes the FLAGS word of the
// EOP descriptor (DONE, ERR; EOP and CSUM as written), and only after that
// write's OKAY advances HEAD and counts the completion (fe_coal: the
// interrupt).  One access of the DMA master at a time, each complete before
// the next: the spec's order.
//
// Discards (ERR, TX_DISCARDS): a descriptor with LEN 0, a frame longer than
// max_frame_len, MAX_DESCS descriptors without EOP, or a full ring (size - 1
// descriptors) without EOP; the write-back goes to the last descriptor read
// and the buffers are not read.  MAX_DESCS 1 is an IP without TX_SG (a
// descriptor without EOP is discarded on its own).  CSUM is not acted on
// (no TX_CSUM).
//
// Bus errors halt the queue (halt pulse with cause and address): reading a
// descriptor (DESC_READ, the descriptor's address), a buffer (BUF_ACCESS,
// the buffer's ADDR; the frame is dropped from the FIFO, nothing written),
// the write-back (DESC_WRITE, the descriptor + 10; the frame was sent, HEAD
// stays).  A halted queue does nothing until ENABLE goes 0 and 1 again,
// which sets HEAD to 0 (the register file clears TAIL and HALTED).
// Clearing ENABLE lets a frame whose descriptors have all been read finish;
// a frame still waiting for its EOP is abandoned.  busy (not IDLE) is high
// from the first descriptor read to the end of the frame.
`default_nettype none
module fe_dma_tx #(
	parameter        MAX_DESCS = 32,       // CAP2.TX_MAX_DESCS (1: no TX_SG)
	parameter        FIFO_AW   = 14,       // TX FIFO of 2^FIFO_AW bytes >= MAX_FRAME
	parameter [15:0] CLK_MHZ   = 16'd125
) (
	input  wire        clk,
	input  wire        rst,
	// queue registers
	input  wire [63:0] base,
	input  wire [3:0]  log2,          // 0 after a RING_CONFIG halt
	input  wire [15:0] tail,
	input  wire        enable,
	input  wire [31:0] coal,
	input  wire [15:0] max_frame_len,
	input  wire        line_ok,
	output reg  [15:0] head,
	output wire        busy,
	output reg         halt,          // one cycle, with cause and address
	output reg  [3:0]  halt_cause,
	output reg  [63:0] halt_addr,
	output reg         discard,       // one cycle per discarded frame
	output wire        irq_event,
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
	output wire [7:0]  tx_tdata,
	output wire        tx_tlast,
	input  wire        tx_tready
);
	localparam S_IDLE = 3'd0, S_DREAD = 3'd1, S_WAIT = 3'd2, S_CHECK = 3'd3,
		   S_BREAD = 3'd4, S_PRIME = 3'd5, S_SEND = 3'd6, S_WB = 3'd7;
	localparam [3:0] C_DESC_READ = 4'd1, C_BUF_ACCESS = 4'd2, C_DESC_WRITE = 4'd3;
	localparam DW = MAX_DESCS > 32 ? 7 : MAX_DESCS > 16 ? 6 : MAX_DESCS > 8 ? 5 :
			MAX_DESCS > 4 ? 4 : MAX_DESCS > 2 ? 3 : MAX_DESCS > 1 ? 2 : 1;
	localparam AW = DW > 1 ? DW - 1 : 1;   // index of the descriptor store

	reg  [2:0]  state;
	reg         en_q;
	reg         halted;
	reg  [DW - 1:0] ndesc;          // descriptors of the frame read so far
	reg  [DW - 1:0] di;             // buffer being read
	reg  [23:0] flen;               // the frame's length (sum of LEN)
	reg         bad;                // a LEN 0 descriptor, or too many
	reg         werr;               // the write-back carries ERR
	reg  [1:0]  wflags;             // EOP, CSUM of the last descriptor
	reg  [127:0] dbuf;              // descriptor bytes as they come
	reg  [79:0] dram [0:(1 << AW) - 1];   // {LEN, ADDR} of each descriptor
	reg  [7:0]  fifo [0:(1 << FIFO_AW) - 1];
	reg  [FIFO_AW - 1:0] wp, rp;
	reg  [7:0]  rq;                 // fifo[rp]
	reg  [FIFO_AW - 1:0] last;      // index of the frame's last byte
	reg         wb_hi;              // write-back: the byte pulled next
	reg         complete;
	reg         rearm;              // ENABLE went 0 to 1: HEAD 0, not halted

	wire [15:0] mask = (16'h1 << log2) - 16'h1;
	wire [15:0] ready = (tail - head) & mask;
	wire [15:0] cur = (head + {{(16 - DW){1'b0}}, ndesc}) & mask;
	wire [63:0] cur_addr = base + {44'h0, cur, 4'h0};
	wire [15:0] lastd = (head + {{(16 - DW){1'b0}}, ndesc} - 16'h1) & mask;
	wire [63:0] wb_addr = base + {44'h0, lastd, 4'ha};
	wire [AW - 1:0] di_a = di[AW - 1:0];
	wire [AW - 1:0] nd_a = ndesc[AW - 1:0];
	wire [79:0] dr = dram[di_a];
	wire        run = enable && en_q && !halted && !rearm && log2 >= 4'd3;
	wire [15:0] flags = {1'b1, werr, 12'h0, wflags};   // DONE, ERR, CSUM, EOP

	assign busy = state != S_IDLE;

	fe_coal #(.CLK_MHZ(CLK_MHZ)) u_coal (
		.clk(clk), .rst(rst), .coal(coal), .complete(complete),
		.event_o(irq_event));

	// ------------------------------------------------ FIFO to the MAC
	// the byte at rp is in rq; a byte taken moves rp on and reads the next
	wire take = tx_tvalid && tx_tready;
	wire [FIFO_AW - 1:0] raddr = take ? rp + 1'b1 : rp;
	always @(posedge clk)
		rq <= fifo[raddr];
	assign tx_tdata = rq;
	assign tx_tlast = rp == last;

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
	always @(posedge clk) begin
		halt <= 1'b0;
		discard <= 1'b0;
		complete <= 1'b0;
		sent <= 1'b0;
		en_q <= enable;
		if (rst) begin
			state <= S_IDLE;
			head <= 16'h0;
			halted <= 1'b0;
			d_req <= 1'b0;
			tx_tvalid <= 1'b0;
			halt_cause <= 4'h0;
			halt_addr <= 64'h0;
			rearm <= 1'b0;
		end else begin
			if (enable && !en_q)
				rearm <= 1'b1;
			if (d_pull) begin
				d_wdata <= wb_hi ? flags[15:8] : flags[7:0];
				wb_hi <= 1'b1;
			end
			case (state)
			S_IDLE: begin
				if (rearm) begin
					head <= 16'h0;
					halted <= 1'b0;
					rearm <= 1'b0;
				end else if (run && ready != 16'h0) begin
					ndesc <= {DW{1'b0}};
					flen <= 24'h0;
					bad <= 1'b0;
					state <= S_DREAD;
				end
			end
			S_DREAD: begin
				if (!d_req && !d_done) begin
					d_req <= 1'b1;
					d_write <= 1'b0;
					d_addr <= cur_addr;
					d_len <= 16'd16;
				end
				if (d_done) begin
					d_req <= 1'b0;
					if (d_err) begin
						halt <= 1'b1;
						halt_cause <= C_DESC_READ;
						halt_addr <= cur_addr;
						halted <= 1'b1;
						state <= S_IDLE;
					end else begin
						ndesc <= ndesc + 1'b1;
						flen <= flen + {8'h0, dbuf[79:64]};
						wflags <= dbuf[81:80];
						if (dbuf[79:64] == 16'h0)
							bad <= 1'b1;
						if (dbuf[80])
							state <= S_CHECK;
						else if ({{(32 - DW){1'b0}}, ndesc} + 1 == MAX_DESCS ||
							 {{(16 - DW){1'b0}}, ndesc} + 16'h1 == mask) begin
							bad <= 1'b1;
							state <= S_CHECK;
						end else if ({{(16 - DW){1'b0}}, ndesc} + 16'h1 == ready)
							state <= S_WAIT;
					end
				end
			end
			S_WAIT:   // the frame's EOP is not handed over yet
				if (!enable)
					state <= S_IDLE;
				else if (ready > {{(16 - DW){1'b0}}, ndesc})
					state <= S_DREAD;
			S_CHECK: begin
				di <= {DW{1'b0}};
				wp <= {FIFO_AW{1'b0}};
				werr <= 1'b0;
				if (bad || flen > {8'h0, max_frame_len}) begin
					werr <= 1'b1;
					discard <= 1'b1;
					wb_hi <= 1'b0;
					state <= S_WB;
				end else
					state <= S_BREAD;
			end
			S_BREAD: begin
				if (d_rvalid)
					wp <= wp + 1'b1;
				if (!d_req && !d_done) begin
					d_req <= 1'b1;
					d_write <= 1'b0;
					d_addr <= dr[63:0];
					d_len <= dr[79:64];
				end
				if (d_done) begin
					d_req <= 1'b0;
					if (d_err) begin
						halt <= 1'b1;
						halt_cause <= C_BUF_ACCESS;
						halt_addr <= dr[63:0];
						halted <= 1'b1;
						state <= S_IDLE;
					end else if (di + 1'b1 != ndesc)
						di <= di + 1'b1;
					else begin
						rp <= {FIFO_AW{1'b0}};
						last <= flen[FIFO_AW - 1:0] - 1'b1;
						wb_hi <= 1'b0;
						if (line_ok)
							state <= S_PRIME;
						else
							state <= S_WB;
					end
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
			default: begin   // S_WB: FLAGS of the last descriptor
				if (!d_req && !d_done) begin
					d_req <= 1'b1;
					d_write <= 1'b1;
					d_addr <= wb_addr;
					d_len <= 16'd2;
				end
				if (d_done) begin
					d_req <= 1'b0;
					state <= S_IDLE;
					if (d_err) begin
						halt <= 1'b1;
						halt_cause <= C_DESC_WRITE;
						halt_addr <= wb_addr;
						halted <= 1'b1;
					end else begin
						head <= (head + {{(16 - DW){1'b0}}, ndesc}) & mask;
						complete <= 1'b1;
					end
				end
			end
			endcase
		end
	end
endmodule
`default_nettype wire
