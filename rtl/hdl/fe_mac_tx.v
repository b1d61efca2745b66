// SPDX-License-Identifier: GPL-2.0
// fe_mac_tx: the transmit half of the MAC, 8-bit GMII (1 Gb/s).
//
// Takes a frame as a byte stream (destination address to the end of the
// payload, no FCS; s_tlast on its last byte) and sends preamble (7 x 0x55),
// SFD (0xd5), the frame padded with zeros to 60 bytes, the FCS, then at
// least 12 idle byte times (IFG).  Once a frame started, its bytes must come
// back to back (the DMA side stores and forwards); a gap is an underrun: the
// frame is ended with tx_er and not counted.
//
// Pause frames: a pulse on xoff_req/xon_req queues one pause frame to
// 01:80:c2:00:00:01 from the station address, with pause_quanta (XOFF) or
// 0 (XON), sent between frames before the next data frame, in the order
// they came (XOFF first when both come on one clock: PAUSE_CMD with both
// bits); a request of a kind already queued sends no second frame.
// pause_hold (a received pause) holds data frames, not pause frames.
//
// Speed: the MAC moves a byte on the clocks with ce high (every clock at
// 1 Gb/s on GMII; at 10/100 Mb/s the PHY adapter, fe_rgmii or fe_mii,
// raises it once a byte time); s_tready, the GMII outputs and the FCS move
// only then, and the outputs hold between.
//
// Statistics: per frame sent, stat_inc (see fe_defs.vh) has the counters to
// increment for one cycle, stat_octets the frame's length with FCS (for
// TX_OCTETS_OK).  stat_valid: a flip-flop, high for one cycle at each
// frame's end (its FCS sent, or cut by an underrun: then with stat_inc
// clear), with stat_pause set for the generated pause frames; so fe_mac
// pushes one record per frame across to clk's domain, and a data frame's
// record is its done.
`default_nettype none
`include "fe_defs.vh"
module fe_mac_tx (
	input  wire        clk,
	input  wire        rst,
	input  wire        ce,             // a byte time
	// frame in
	input  wire        s_tvalid,
	input  wire [7:0]  s_tdata,
	input  wire        s_tlast,
	output wire        s_tready,
	// control
	input  wire [47:0] station_addr,   // byte 0 (first on the wire) in [7:0]
	input  wire [15:0] pause_quanta,
	input  wire        xoff_req,
	input  wire        xon_req,
	input  wire        pause_hold,
	// GMII
	output reg  [7:0]  gmii_txd,
	output reg         gmii_tx_en,
	output reg         gmii_tx_er,
	// statistics
	output reg  [`ST_NUM - 1:0] stat_inc,
	output reg  [15:0] stat_octets,
	output reg         stat_valid,
	output reg         stat_pause,
	output reg         underrun
);
	localparam S_IDLE = 3'd0, S_PRE = 3'd1, S_DATA = 3'd2, S_PAD = 3'd3,
		   S_FCS = 3'd4, S_IFG = 3'd5;

	reg  [2:0]  state;
	reg  [3:0]  cnt;          // preamble, FCS and IFG byte counter
	reg  [15:0] pos;          // bytes of the frame sent so far (saturating)
	reg         is_pause;     // this frame is a generated pause frame
	reg  [15:0] quanta;       // its quanta
	reg         xoff_pend, xon_pend;
	reg         xon_first;    // both queued: the XON came first
	// what the frame is, from its bytes as they go out
	reg         f_bcast, f_pause_da, f_ctrl, f_pause_op;
	reg         f_da0;        // bit 0 of the first byte: multicast
	reg  [7:0]  f_type0, f_op0;

	reg  [7:0]  byte_out;
	reg         crc_en;

	// the generated pause frame's bytes (pos < 18; zeros after, as padding)
	reg  [7:0]  pause_byte;
	always @* begin
		case (pos[4:0])
		5'd0:  pause_byte = 8'h01;
		5'd1:  pause_byte = 8'h80;
		5'd2:  pause_byte = 8'hc2;
		5'd3:  pause_byte = 8'h00;
		5'd4:  pause_byte = 8'h00;
		5'd5:  pause_byte = 8'h01;
		5'd6:  pause_byte = station_addr[7:0];
		5'd7:  pause_byte = station_addr[15:8];
		5'd8:  pause_byte = station_addr[23:16];
		5'd9:  pause_byte = station_addr[31:24];
		5'd10: pause_byte = station_addr[39:32];
		5'd11: pause_byte = station_addr[47:40];
		5'd12: pause_byte = 8'h88;
		5'd13: pause_byte = 8'h08;
		5'd14: pause_byte = 8'h00;
		5'd15: pause_byte = 8'h01;
		5'd16: pause_byte = quanta[15:8];
		5'd17: pause_byte = quanta[7:0];
		default: pause_byte = 8'h00;
		endcase
	end

	assign s_tready = state == S_DATA && !is_pause && ce;
	wire take = s_tready && s_tvalid;
	wire last = is_pause ? pos == 16'd17 : s_tlast;

	// The FCS runs on the registered output byte, one cycle behind, so the
	// byte selection and the CRC are not one path: crc_q holds the CRC of
	// the bytes sent up to the previous cycle, crc_next adds gmii_txd.
	reg  [31:0] crc_q;
	reg         crc_en_q;
	wire [31:0] crc_next;
	fe_crc32_d8 u_crc (.crc_i(crc_q), .d(gmii_txd), .crc_o(crc_next));
	always @(posedge clk) begin
		if (rst)
			crc_en_q <= 1'b0;
		else if (ce)
			crc_en_q <= crc_en;
		if (ce) begin
			if (state == S_PRE)
				crc_q <= 32'hffffffff;
			else if (crc_en_q)
				crc_q <= crc_next;
		end
	end
	// What the frame is, from the sent bytes, also a cycle behind:
	// cls_pos is the position of the byte in gmii_txd when cls_v
	reg         cls_v;
	reg  [3:0]  cls_pos;
	always @(posedge clk) begin
		if (rst)
			cls_v <= 1'b0;
		else if (ce)
			cls_v <= state == S_DATA && (is_pause || take) && pos < 16'd16;
		if (ce)
			cls_pos <= pos[3:0];
		if (cls_v && ce)
			case (cls_pos)
			4'd0: begin
				f_da0 <= gmii_txd[0];
				f_bcast <= gmii_txd == 8'hff;
				f_pause_da <= gmii_txd == 8'h01;
				f_ctrl <= 1'b0;
				f_pause_op <= 1'b0;
			end
			4'd1: begin
				f_bcast <= f_bcast && gmii_txd == 8'hff;
				f_pause_da <= f_pause_da && gmii_txd == 8'h80;
			end
			4'd2: begin
				f_bcast <= f_bcast && gmii_txd == 8'hff;
				f_pause_da <= f_pause_da && gmii_txd == 8'hc2;
			end
			4'd3, 4'd4: begin
				f_bcast <= f_bcast && gmii_txd == 8'hff;
				f_pause_da <= f_pause_da && gmii_txd == 8'h00;
			end
			4'd5: begin
				f_bcast <= f_bcast && gmii_txd == 8'hff;
				f_pause_da <= f_pause_da && gmii_txd == 8'h01;
			end
			4'd12: f_type0 <= gmii_txd;
			4'd13: f_ctrl <= f_type0 == 8'h88 && gmii_txd == 8'h08;
			4'd14: f_op0 <= gmii_txd;
			4'd15: f_pause_op <= f_op0 == 8'h00 && gmii_txd == 8'h01;
			default: ;
			endcase
	end

	// FCS byte k (the first takes the last frame byte in via crc_next)
	wire [31:0] fcs = cnt[1:0] == 2'd0 ? ~crc_next : ~crc_q;

	always @* begin
		byte_out = 8'h00;
		crc_en = 1'b0;
		case (state)
		S_DATA: begin
			byte_out = is_pause ? pause_byte : s_tdata;
			crc_en = is_pause || take;
		end
		S_PAD:
			crc_en = 1'b1;
		default: ;
		endcase
	end

	// the frame's statistics, from what was sent: its length with FCS and
	// the length's histogram bin in two registered steps from pos (timing,
	// session 24: pos → + 4 → the bin's compares → stat_inc was the whole
	// IP's tx_clk path on the default seed, 10.3 ns), right from S_FCS's
	// third clock on: pos holds through S_FCS, which takes them at its
	// fourth
	reg  [15:0] wire_len;
	reg  [8:0]  bin;
	wire [8:0]  bin_n;
	fe_hist_bin u_bin (.len(wire_len), .bin(bin_n));
	always @(posedge clk) begin
		wire_len <= pos + 16'd4;
		bin <= bin_n;
	end
	wire ctrl = f_ctrl;
	wire pause = f_ctrl && f_pause_da && f_pause_op;

	wire sel_xoff = xoff_pend && !(xon_pend && xon_first);
	always @(posedge clk) begin
		stat_inc <= {`ST_NUM{1'b0}};
		stat_valid <= 1'b0;
		underrun <= 1'b0;
		if (ce)
			gmii_tx_er <= 1'b0;
		if (xoff_req)
			xoff_pend <= 1'b1;
		if (xon_req)
			xon_pend <= 1'b1;
		if (xoff_req || xon_req) begin
			if (!xoff_pend && !xon_pend)
				xon_first <= !xoff_req;
			else if (!xoff_pend)
				xon_first <= 1'b1;
			else if (!xon_pend)
				xon_first <= 1'b0;
		end
		if (ce) case (state)
		S_IDLE: begin
			gmii_tx_en <= 1'b0;
			gmii_txd <= 8'h00;
			cnt <= 4'd0;
			pos <= 16'd0;
			if (xoff_pend || xon_pend) begin
				is_pause <= 1'b1;
				quanta <= sel_xoff ? pause_quanta : 16'h0;
				if (sel_xoff)
					xoff_pend <= 1'b0;
				else
					xon_pend <= 1'b0;
				state <= S_PRE;
			end else if (s_tvalid && !pause_hold) begin
				is_pause <= 1'b0;
				state <= S_PRE;
			end
		end
		S_PRE: begin
			gmii_tx_en <= 1'b1;
			gmii_txd <= cnt == 4'd7 ? 8'hd5 : 8'h55;
			cnt <= cnt + 4'd1;
			if (cnt == 4'd7)
				state <= S_DATA;
		end
		S_DATA: begin
			if (!is_pause && !s_tvalid) begin
				// underrun: end the frame with an error
				gmii_tx_en <= 1'b1;
				gmii_tx_er <= 1'b1;
				gmii_txd <= 8'h00;
				underrun <= 1'b1;
				stat_valid <= 1'b1;
				stat_pause <= 1'b0;
				cnt <= 4'd0;
				state <= S_IFG;
			end else begin
				gmii_tx_en <= 1'b1;
				gmii_txd <= byte_out;
				if (pos != 16'hffff)
					pos <= pos + 16'd1;
				if (last) begin
					cnt <= 4'd0;
					state <= pos < 16'd59 ? S_PAD : S_FCS;
				end
			end
		end
		S_PAD: begin
			gmii_tx_en <= 1'b1;
			gmii_txd <= 8'h00;
			pos <= pos + 16'd1;
			if (pos == 16'd59)
				state <= S_FCS;
		end
		S_FCS: begin
			gmii_tx_en <= 1'b1;
			gmii_txd <= fcs[8 * cnt[1:0] +: 8];
			cnt <= cnt + 4'd1;
			if (cnt == 4'd3) begin
				cnt <= 4'd0;
				state <= S_IFG;
				stat_octets <= wire_len;
				stat_valid <= 1'b1;
				stat_pause <= is_pause;
				if (ctrl) begin
					stat_inc[`ST_TX_MAC_CTRL] <= 1'b1;
					stat_inc[`ST_TX_PAUSE] <= pause;
				end else begin
					stat_inc[`ST_TX_FRAMES_OK] <= 1'b1;
					stat_inc[`ST_TX_OCTETS_OK] <= 1'b1;
					stat_inc[`ST_TX_BCAST] <= f_bcast;
					stat_inc[`ST_TX_MCAST] <= f_da0 && !f_bcast;
					stat_inc[`ST_TX_UCAST] <= !f_da0;
					stat_inc[`ST_TX_HIST0 +: 9] <= bin;
				end
			end
		end
		S_IFG: begin
			gmii_tx_en <= 1'b0;
			gmii_txd <= 8'h00;
			cnt <= cnt + 4'd1;
			if (cnt == 4'd10)   // + the idle cycle: 12
				state <= S_IDLE;
		end
		default:
			state <= S_IDLE;
		endcase
		if (rst) begin
			state <= S_IDLE;
			gmii_tx_en <= 1'b0;
			gmii_tx_er <= 1'b0;
			gmii_txd <= 8'h00;
			xoff_pend <= 1'b0;
			xon_pend <= 1'b0;
			stat_inc <= {`ST_NUM{1'b0}};
			stat_valid <= 1'b0;
			underrun <= 1'b0;
		end
	end
endmodule
`default_nettype wire
