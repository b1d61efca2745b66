// SPDX-License-Identifier: GPL-2.0
// fe_mac_rx: the receive half of the MAC, 8-bit GMII (1 Gb/s), and the
// programming model's receive path steps 1 to 4.
//
// Strips preamble and SFD, checks the FCS and the length, consumes MAC
// control frames (a pause frame with rx_pause_en gives pause_valid with its
// quanta), applies the address filter (promisc, broadcast, allmulti, the
// multicast hash, the station address) and counts each frame in the
// statistics counters the spec names (stat_inc; see fe_defs.vh;
// stat_octets is the frame's length with FCS).  stat_inc, stat_octets,
// pause_valid and pause_quanta are set at each frame's end and held: they
// count only in the clock stat_valid is high (one per frame, S_END's:
// m_tlast's, for a frame of 5 bytes or more).
//
// The frame goes out as a byte stream without FCS (m_tlast on its last
// byte; m_tvalid marks the bytes, with a one-cycle gap before the last),
// 5 byte times behind the line.  Only at m_tlast is its fate known:
// m_tuser = 1 there means "drop" (errored, control or filtered frame) and
// the receive FIFO discards what it stored of it.  Frames shorter than 5
// bytes produce no output.  The frame's end comes 2 cycles after its last
// byte left the line.  rx_enable (CTRL.RX_EN and link, or loopback) is
// sampled at the SFD: a frame that starts while it is 0 is ignored and not
// counted.  ce: the GMII inputs hold a byte time this clock (1 on the line;
// in MAC loopback the bytes come through a FIFO from the transmitter's
// clock, and ce 0 stalls the receiver between them); every output pulse
// falls on a clock with ce high.
`default_nettype none
`include "fe_defs.vh"
module fe_mac_rx (
	input  wire        clk,
	input  wire        rst,
	input  wire        ce,
	// GMII
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	// control
	input  wire        rx_enable,
	input  wire [47:0] station_addr,   // byte 0 (first on the wire) in [7:0]
	input  wire [63:0] mc_hash,        // MC_HASH_HI:MC_HASH_LO
	input  wire        promisc,
	input  wire        allmulti,
	input  wire        rx_pause_en,
	input  wire [15:0] max_frame_len,  // without FCS
	// frame out
	output reg         m_tvalid,
	output reg  [7:0]  m_tdata,
	output reg         m_tlast,
	output reg         m_tuser,
	// received pause frame
	output reg         pause_valid,    // (with stat_valid)
	output reg  [15:0] pause_quanta,
	// statistics
	output reg  [`ST_NUM - 1:0] stat_inc,
	output reg  [15:0] stat_octets,
	output reg         stat_valid    // with stat_inc: a frame ended (S_END)
);
	localparam S_IDLE = 3'd0, S_PRE = 3'd1, S_DATA = 3'd2, S_DROP = 3'd3, S_END = 3'd4;

	reg  [2:0]  state;
	reg  [15:0] pos;        // bytes received since the SFD (saturating)
	reg         err;        // rx_er seen during the frame
	reg  [39:0] dly;        // the last 5 bytes, newest in [7:0]
	reg  [47:0] da;
	reg  [15:0] type_len, opcode, quanta;
	reg  [5:0]  mc_index;

	wire        crc_good;
	/* verilator lint_off UNUSEDSIGNAL */
	wire [31:0] crc;        // only [5:0] (the multicast hash index)
	/* verilator lint_on UNUSEDSIGNAL */
	wire        data = ce && state == S_DATA && gmii_rx_dv;
	/* verilator lint_off UNUSEDSIGNAL */
	wire [31:0] fcs_unused;
	/* verilator lint_on UNUSEDSIGNAL */
	fe_crc32 u_crc (.clk(clk), .rst(rst), .init(state != S_DATA), .en(data),
			.d(gmii_rxd), .crc(crc), .fcs(fcs_unused), .good(crc_good));

	// at the frame's end: the cycle after its last byte (rx_dv low)
	wire        bad = !crc_good || err;
	wire        runt = pos < 16'd64;
	// longer than MAX_FRAME_LEN + FCS: registered as bytes arrive, so the
	// frame end's decision does not wait for the comparison
	reg  [15:0] mfl_fcs;
	reg         long;
	// the destination address's compares, registered a clock behind da
	// (complete from byte 6 on, the hash bit from byte 9: mc_index is set
	// at byte 7; the filters act on frames of 64 bytes or more), so that
	// the frame end's decision does not wait for them; the
	// hash bit in two registered steps, the bit of each group of 8 (mc_g),
	// then the group (timing, session 24: the 64-way multiplexer in one
	// clock, 9.0 ns, was the whole IP's gmii_rx_clk path on the default
	// seed)
	reg         da_bcast, da_station, da_pause, da_hash;
	reg  [7:0]  mc_g;
	integer     mg;
	always @(posedge clk) begin
		da_bcast <= da == 48'hffffffffffff;
		da_station <= da == station_addr;
		da_pause <= da == 48'h010000c28001;
		for (mg = 0; mg < 8; mg = mg + 1)
			mc_g[mg] <= mc_hash[{mg[2:0], mc_index[2:0]}];
		da_hash <= mc_g[mc_index[5:3]];
	end
	wire        bcast = da_bcast;
	wire        mcast = da[0];
	wire        ctrl = type_len == 16'h8808;
	wire        pause = ctrl && da_pause && opcode == 16'h0001;
	// the length field against the payload (pos - 18: the FCS and the
	// header): pos against tl18, the field + 18, summed as its low byte
	// arrives (so no subtraction before the frame end's compare); a
	// payload of 46 (pos 64) is a padded one.  Counted for frames of 64
	// bytes or more only, which all have the field.
	reg  [15:0] tl18;
	wire        len_err = type_len < 16'h0600 && pos != tl18 &&
			      !(pos == 16'd64 && type_len < 16'd46);
	wire        pass = promisc || bcast || (mcast && allmulti) ||
			   (mcast && da_hash) || (!mcast && da_station);
	wire [8:0]  bin;
	// the checks at the frame's end, for S_END
	reg         e_out, e_bad, e_runt, e_long, e_len_err, e_ctrl, e_pause, e_op1;
	reg         e_pass, e_bcast, e_mcast;
	reg  [7:0]  e_last;
	reg  [15:0] e_pos;
	reg  [8:0]  e_bin;

	// S_END's verdict from the checks: the counters to count (cls),
	// whether the frame is good (cls_ok), a pause to obey (cls_pause).
	// stat_inc and pause_valid take it at S_END and hold it: they count
	// with stat_valid (one clock per frame), so that no clear waits for
	// the state (timing: rtl/README.md, "Synthesis")
	reg  [`ST_NUM - 1:0] cls;
	reg         cls_ok, cls_pause;
	always @* begin
		cls = {`ST_NUM{1'b0}};
		cls_ok = 1'b0;
		cls_pause = 1'b0;
		// step 2: errored frames
		if (e_bad) begin
			if (e_runt)
				cls[`ST_RX_FRAGMENTS] = 1'b1;
			else if (e_long)
				cls[`ST_RX_JABBERS] = 1'b1;
			else
				cls[`ST_RX_FCS_ERR] = 1'b1;
		end else if (e_long)
			cls[`ST_RX_TOO_LONG] = 1'b1;
		else if (e_runt)
			cls[`ST_RX_UNDERSIZE] = 1'b1;
		else begin
			cls[`ST_RX_LEN_ERR] = e_len_err;
			if (e_ctrl) begin
				// step 3: MAC control frames
				cls[`ST_RX_MAC_CTRL] = 1'b1;
				cls[`ST_RX_PAUSE] = e_pause;
				cls[`ST_RX_UNSUP_OPCODE] = !e_op1;
				cls_pause = e_pause && rx_pause_en;
			end else if (!e_pass)
				// step 4: address filter
				cls[`ST_RX_FILTERED] = 1'b1;
			else begin
				cls_ok = 1'b1;
				cls[`ST_RX_FRAMES_OK] = 1'b1;
				cls[`ST_RX_OCTETS_OK] = 1'b1;
				cls[`ST_RX_BCAST] = e_bcast;
				cls[`ST_RX_MCAST] = e_mcast && !e_bcast;
				cls[`ST_RX_UCAST] = !e_mcast;
				cls[`ST_RX_HIST0 +: 9] = e_bin;
			end
		end
	end
	fe_hist_bin u_bin (.len(pos), .bin(bin));

	always @(posedge clk) begin
		m_tvalid <= 1'b0;
		m_tlast <= 1'b0;
		m_tuser <= 1'b0;
		stat_valid <= 1'b0;
		mfl_fcs <= max_frame_len + 16'd4;
		if (ce) case (state)
		S_IDLE:
			if (gmii_rx_dv)
				state <= gmii_rxd == 8'h55 ? S_PRE : S_DROP;
		S_PRE:
			if (!gmii_rx_dv)
				state <= S_IDLE;
			else if (gmii_rxd == 8'hd5) begin
				state <= rx_enable ? S_DATA : S_DROP;
				err <= gmii_rx_er;
			end else if (gmii_rxd != 8'h55 || gmii_rx_er)
				state <= S_DROP;
		S_DATA:
			if (gmii_rx_dv) begin
				dly <= {dly[31:0], gmii_rxd};
				long <= pos >= mfl_fcs;   // pos + 1 bytes > MAX_FRAME_LEN + 4
				if (pos != 16'hffff)
					pos <= pos + 16'd1;
				if (gmii_rx_er)
					err <= 1'b1;
				if (pos < 16'd6)
					da[8 * pos[2:0] +: 8] <= gmii_rxd;
				if (pos == 16'd6)   // the register holds the 6 DA bytes
					mc_index <= {crc[0], crc[1], crc[2], crc[3], crc[4], crc[5]};
				if (pos == 16'd12)
					type_len[15:8] <= gmii_rxd;
				if (pos == 16'd13) begin
					type_len[7:0] <= gmii_rxd;
					tl18 <= {type_len[15:8], gmii_rxd} + 16'd18;
				end
				if (pos == 16'd14)
					opcode[15:8] <= gmii_rxd;
				if (pos == 16'd15)
					opcode[7:0] <= gmii_rxd;
				if (pos == 16'd16)
					quanta[15:8] <= gmii_rxd;
				if (pos == 16'd17)
					quanta[7:0] <= gmii_rxd;
				// byte pos - 5 goes out: all but the last 4 are data
				if (pos >= 16'd5) begin
					m_tvalid <= 1'b1;
					m_tdata <= dly[39:32];
				end
			end else begin
				// the frame's end: its checks, registered; S_END
				// decides (two cycles, so the decision does not wait
				// for the comparisons)
				state <= S_END;
				e_out <= pos >= 16'd5;
				e_last <= dly[39:32];
				e_pos <= pos;
				e_bad <= bad;
				e_runt <= runt;
				e_long <= long;
				e_len_err <= len_err;
				e_ctrl <= ctrl;
				e_pause <= pause;
				e_op1 <= opcode == 16'h0001;
				e_pass <= pass;
				e_bcast <= bcast;
				e_mcast <= mcast;
				e_bin <= bin;
			end
		S_END: begin
			state <= S_IDLE;
			// the last data byte (5 behind) closes the frame
			if (e_out) begin
				m_tvalid <= 1'b1;
				m_tdata <= e_last;
				m_tlast <= 1'b1;
			end
			stat_octets <= e_pos;
			pause_quanta <= quanta;
			m_tuser <= !cls_ok;
			stat_inc <= cls;
			pause_valid <= cls_pause;
			stat_valid <= 1'b1;
		end
		S_DROP:
			if (!gmii_rx_dv)
				state <= S_IDLE;
		default:
			state <= S_IDLE;
		endcase
		// pos and long start at 0 with the SFD: held at 0 outside S_DATA,
		// a reset from the state alone (timing, session 24: the SFD
		// compare drove pos's reset, fe_rx_synth's rx_clk path at 8.2 ns)
		if (state != S_DATA) begin
			pos <= 16'd0;
			long <= 1'b0;
		end
		if (rst) begin
			state <= S_IDLE;
			m_tvalid <= 1'b0;
			m_tlast <= 1'b0;
			m_tuser <= 1'b0;
			stat_valid <= 1'b0;
		end
	end
endmodule
`default_nettype wire
