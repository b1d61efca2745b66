// SPDX-License-Identifier: GPL-2.0
// fe_dma_axi: the IP's AXI4 DMA master (32-bit data, 64-bit addresses),
// shared by two clients (0: the TX engine, 1: the RX engine) through a
// round-robin arbiter.
//
// A client asks for one access: a read or a write of LEN bytes (1 to 65535)
// at any byte address.  The master splits it into INCR bursts of 32-bit
// beats (AxSIZE 2) of at most 256 beats that never cross a 4 KiB boundary,
// and keeps the bytes in the beat's lanes: a read delivers the access's
// bytes a beat a cycle, in the cycle after the beat (rd_valid with rd_data
// as on the bus, rd_lane the lane of the first of the access's bytes it
// holds, rd_n how many it holds, 1 to 4, in the lanes from rd_lane up; no
// backpressure, the client takes them); a write pulls them a beat at a
// time (wr_pull with wr_n, the beat's 1 to 4 bytes: the client drives its
// next four bytes on c_wdata in the next cycle, the first in lane c_wrot,
// the next in the lanes after it, round the word, and moves on by wr_n)
// and never writes a byte outside [ADDR, ADDR + LEN): the first and last
// beats carry partial WSTRB.
//
// One access at a time, one burst at a time: a burst's address is sent
// only after the previous burst's last read beat or write response, and
// done comes after the last of them.  So every access of an engine is
// complete (its write visible, as AXI guarantees for a write response)
// before the next one starts, which is the order the spec asks for.  A
// read beat with RRESP or a write response with BRESP SLVERR/DECERR makes
// the access fail: the burst in flight completes, no further burst is
// issued, and done comes with err.
//
// hold (soft reset): no new access is granted, and an access in progress
// ends after its current burst, without done (the reset that follows
// clears the clients); quiet says no burst is in flight.
//
// Client handshake: hold c_req[c] (with its c_write, c_addr, c_len) until
// c_done[c]; drop it in the cycle after (the arbiter ignores requests
// while done is high).
`default_nettype none
module fe_dma_axi #(
	parameter [3:0] AXCACHE = 4'b0011,
	parameter [2:0] AXPROT  = 3'b010
) (
	input  wire         clk,
	input  wire         rst,
	input  wire         hold,
	output wire         quiet,
	// clients: c in [c*W +: W]
	input  wire [1:0]   c_req,
	input  wire [1:0]   c_write,
	input  wire [127:0] c_addr,
	input  wire [31:0]  c_len,
	output reg  [1:0]   c_done,
	output reg          c_err,      // with c_done: the access failed
	output wire [1:0]   c_gnt,      // the client the data below is for
	output reg          rd_valid,
	output reg  [31:0]  rd_data,
	output reg  [1:0]   rd_lane,
	output reg  [2:0]   rd_n,
	output wire         wr_pull,
	output wire [2:0]   wr_n,
	input  wire [63:0]  c_wdata,
	input  wire [3:0]   c_wrot,
	// AXI4 master
	output wire [63:0]  m_awaddr,
	output wire [7:0]   m_awlen,
	output wire [2:0]   m_awsize,
	output wire [1:0]   m_awburst,
	output wire         m_awlock,
	output wire [3:0]   m_awcache,
	output wire [2:0]   m_awprot,
	output wire [3:0]   m_awqos,
	output reg          m_awvalid,
	input  wire         m_awready,
	output reg  [31:0]  m_wdata,
	output reg  [3:0]   m_wstrb,
	output reg          m_wlast,
	output reg          m_wvalid,
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
	output reg          m_arvalid,
	input  wire         m_arready,
	input  wire [31:0]  m_rdata,
	input  wire [1:0]   m_rresp,
	input  wire         m_rlast,
	input  wire         m_rvalid,
	output wire         m_rready
);
	localparam S_IDLE = 4'd0, S_ADDR = 4'd1, S_RDATA = 4'd2, S_RDRAIN = 4'd3,
		   S_WPULL = 4'd4, S_WRESP = 4'd7,
		   S_SIZE = 4'd8, S_SIZE2 = 4'd9;

	reg  [3:0]  state;
	reg         owner;        // the granted client
	reg         prio;         // the client that wins a tie
	reg         is_wr;
	reg  [63:0] addr;         // the next byte to put in a burst
	reg  [16:0] left;         // bytes of the access not yet in a burst
	reg  [10:0] bleft;        // bytes of the current burst not yet moved
	reg  [1:0]  lane;         // the byte lane of the next byte
	reg         pulled;       // write: a pulled beat arrives this cycle
	reg  [1:0]  plane;        // its lane
	reg  [1:0]  pend;         // its last lane
	reg         p_lastbeat;   // that beat is the burst's last
	reg  [1:0]  lane_end;     // the last lane of the next beat's bytes
	reg  [8:0]  pbeats;       // write: beats of the burst still to pull
	reg         err;
	reg  [63:0] baddr;        // the burst's (word-aligned) address
	reg  [7:0]  blen;

	assign c_gnt = state == S_IDLE ? 2'b00 : (owner ? 2'b10 : 2'b01);
	// write: a beat's bytes are pulled at once (their lanes from lane to
	// lane_end); the beat arrives in the next clock (a_new) and goes to
	// the W channel's registers (m_w*) when they are free, else waits in
	// h_* (one beat), or in a_* while h_* is full (a_done).  A pull is
	// made while the three places and the beat arriving hold at most two
	// beats, so that its beat has a place even if WREADY stays low (from
	// registers only: WREADY reaches no client).  Without backpressure a
	// beat a clock, and one again in the clock after a stall ends.
	reg  [31:0] a_data, h_data;
	reg  [3:0]  a_strb, h_strb;
	reg         a_last, h_last, a_done, h_full;
	wire [2:0]  held = {2'b0, m_wvalid} + {2'b0, h_full} + {2'b0, a_done} + {2'b0, pulled};
	wire        can_pull = state == S_WPULL && pbeats != 9'd0 && held <= 3'd2;
	assign wr_pull = can_pull;
	// the beat arriving: the client's word turned so that its first byte
	// is in lane plane (one rotation by registers: timing, rtl/README.md,
	// "Synthesis", session 20)
	wire [31:0] cw = c_wdata[32 * owner +: 32];
	wire [1:0]  rot = c_wrot[2 * owner +: 2] - plane;
	wire [31:0] cw_r = rot == 2'd0 ? cw : rot == 2'd1 ? {cw[7:0], cw[31:8]} :
			   rot == 2'd2 ? {cw[15:0], cw[31:16]} : {cw[23:0], cw[31:24]};
	wire [31:0] a_new = pulled ? cw_r : a_data;
	wire [3:0]  a_new_strb = pulled ? (4'hf << plane) & (4'hf >> (2'd3 - pend)) : a_strb;
	wire        a_cmpl = a_done || pulled;   // a_new is a whole beat
	wire        a_new_last = a_done ? a_last : p_lastbeat;
	wire        w_free = !m_wvalid || m_wready;
	// the next beat's bytes (a read's beat taken, a write's pulled)
	wire [2:0]  beat_n = {1'b0, lane_end} - {1'b0, lane} + 3'd1;
	assign wr_n = beat_n;
	wire [10:0] bln = bleft - {8'h0, beat_n};   // bytes left after the beat
	wire [1:0]  next_end;                     // the next beat's last lane (below)
	assign quiet = state == S_IDLE;

	// ---------------------------------------------------- burst size
	// beats from addr: to the end of the access, to the 4 KiB boundary,
	// at most 256; the bytes of the access they hold.  Registered in two
	// steps (timing: rtl/README.md, "Synthesis"): nbeats_q from addr and
	// left, then nbytes_q from nbeats_q; S_SIZE and S_SIZE2, the two
	// clocks before each burst's S_ADDR, let both follow addr and left
	wire [18:0] need = ({17'h0, addr[1:0]} + {2'b0, left} + 19'd3) >> 2;
	wire [10:0] to4k = 11'd1024 - {1'b0, addr[11:2]};
	wire [18:0] lim = to4k < 11'd256 ? {8'h0, to4k} : 19'd256;
	wire [8:0]  nbeats = need < lim ? need[8:0] : lim[8:0];
	reg  [8:0]  nbeats_q;
	wire [10:0] span = {nbeats_q, 2'b00} - {9'h0, addr[1:0]};
	wire [10:0] nbytes = {6'h0, span} > left ? left[10:0] : span;
	reg  [10:0] nbytes_q;
	always @(posedge clk) begin
		nbeats_q <= nbeats;
		nbytes_q <= nbytes;
	end

	assign m_awaddr = baddr;
	assign m_araddr = baddr;
	assign m_awlen = blen;
	assign m_arlen = blen;
	assign m_awsize = 3'd2;
	assign m_arsize = 3'd2;
	assign m_awburst = 2'b01;
	assign m_arburst = 2'b01;
	assign m_awlock = 1'b0;
	assign m_arlock = 1'b0;
	assign m_awcache = AXCACHE;
	assign m_arcache = AXCACHE;
	assign m_awprot = AXPROT;
	assign m_arprot = AXPROT;
	assign m_awqos = 4'h0;
	assign m_arqos = 4'h0;
	assign m_bready = state == S_WRESP;

	assign m_rready = state == S_RDATA;

	// the lane of the last byte of a beat from lane l with nb bytes of the
	// burst left: the burst's first beat (from lane), the next (from lane
	// 0, bln left after the beat)
	function [1:0] end_lane(input [1:0] l, input [10:0] nb);
		end_lane = nb < {8'h0, 3'd4 - {1'b0, l}} ? l + nb[1:0] - 2'd1 : 2'd3;
	endfunction
	wire [1:0] lane_end_w = end_lane(lane, bleft);
	assign next_end = end_lane(2'd0, bln);

	// the burst is over (S_RDRAIN: its last beat is on rd_*): the next
	// burst, or done
	wire next = state == S_RDRAIN || (state == S_WRESP && m_bvalid);
	wire bad_b = state == S_WRESP && m_bresp[1];

	wire [1:0] req_ok = c_req & ~c_done;
	wire       pick = req_ok[1] && (!req_ok[0] || prio);

	always @(posedge clk) begin
		c_done <= 2'b00;
		rd_valid <= 1'b0;
		pulled <= 1'b0;
		if (rst) begin
			state <= S_IDLE;
			owner <= 1'b0;
			prio <= 1'b0;
			m_awvalid <= 1'b0;
			m_arvalid <= 1'b0;
			m_wvalid <= 1'b0;
			m_wlast <= 1'b0;
			m_wstrb <= 4'h0;
			a_done <= 1'b0;
			h_full <= 1'b0;
			c_err <= 1'b0;
			err <= 1'b0;
		end else begin
			case (state)
			S_IDLE:
				if (|req_ok && !hold) begin
					owner <= pick;
					prio <= ~pick;
					is_wr <= c_write[pick];
					addr <= c_addr[64 * pick +: 64];
					left <= {1'b0, c_len[16 * pick +: 16]};
					err <= 1'b0;
					state <= S_SIZE;
				end
			S_SIZE:    // nbeats_q follows addr and left
				state <= S_SIZE2;
			S_SIZE2:   // nbytes_q follows nbeats_q
				state <= S_ADDR;
			S_ADDR:
				if (!m_awvalid && !m_arvalid) begin
					baddr <= {addr[63:2], 2'b00};
					blen <= nbeats_q[7:0] - 8'd1;
					bleft <= nbytes_q;
					lane <= addr[1:0];
					left <= left - {6'h0, nbytes_q};
					addr <= addr + {53'h0, nbytes_q};
					pbeats <= nbeats_q;
					if (is_wr)
						m_awvalid <= 1'b1;
					else
						m_arvalid <= 1'b1;
				end else if ((m_awvalid && m_awready) || (m_arvalid && m_arready)) begin
					m_awvalid <= 1'b0;
					m_arvalid <= 1'b0;
					lane_end <= lane_end_w;
					state <= is_wr ? S_WPULL : S_RDATA;
				end
			S_RDATA:
				if (m_rvalid) begin
					rd_valid <= 1'b1;
					rd_data <= m_rdata;
					rd_lane <= lane;
					rd_n <= beat_n;
					lane <= 2'd0;
					bleft <= bln;
					lane_end <= next_end;
					if (m_rresp[1])
						err <= 1'b1;
					if (m_rlast)
						state <= S_RDRAIN;
				end
			S_WPULL: begin
				// pull a beat (it arrives in the next clock)
				if (can_pull) begin
					pulled <= 1'b1;
					plane <= lane;
					pend <= lane_end;
					lane <= 2'd0;
					bleft <= bln;
					p_lastbeat <= pbeats == 9'd1;
					pbeats <= pbeats - 9'd1;
					lane_end <= next_end;   // from lane 0
				end
				if (pulled) begin
					a_data <= a_new;
					a_strb <= a_new_strb;
					a_last <= p_lastbeat;
				end
				if (w_free) begin
					if (h_full) begin
						m_wdata <= h_data;
						m_wstrb <= h_strb;
						m_wlast <= h_last;
						m_wvalid <= 1'b1;
						h_full <= a_cmpl;
						h_data <= a_new;
						h_strb <= a_new_strb;
						h_last <= a_new_last;
					end else if (a_cmpl) begin
						m_wdata <= a_new;
						m_wstrb <= a_new_strb;
						m_wlast <= a_new_last;
						m_wvalid <= 1'b1;
					end else
						m_wvalid <= 1'b0;
					if (a_cmpl)
						a_done <= 1'b0;
				end else if (a_cmpl) begin
					if (!h_full) begin
						h_data <= a_new;
						h_strb <= a_new_strb;
						h_last <= a_new_last;
						h_full <= 1'b1;
						a_done <= 1'b0;
					end else
						a_done <= 1'b1;
				end
				if (m_wvalid && m_wready && m_wlast)
					state <= S_WRESP;
			end
			default: ;   // S_RDRAIN, S_WRESP: next
			endcase
			if (next) begin
				if (hold)
					state <= S_IDLE;
				else if (left == 17'h0 || err || bad_b) begin
					c_done[owner] <= 1'b1;
					c_err <= err || bad_b;
					state <= S_IDLE;
				end else
					state <= S_SIZE;
			end
		end
	end

	// RRESP/BRESP [0]: EXOKAY (01) is a success like OKAY
	/* verilator lint_off UNUSEDSIGNAL */
	wire unused = &{1'b0, m_bresp[0], m_rresp[0]};
	/* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
