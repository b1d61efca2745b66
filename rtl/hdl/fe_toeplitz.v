// SPDX-License-Identifier: GPL-2.0
// fe_toeplitz: byte-serial Toeplitz hash (programming model, RSS).
//
// Input bit k (bit 8i + j is bit 7 - j of input byte i, most significant
// first) XORs key bits k .. k+31 (the first as the most significant) into
// the result; key bits past the key's end are 0.  The key is the 40 bytes
// of RSS_KEY0-9: key byte 4i + b is RSS_KEYi[8b + 7 : 8b], so key byte n
// sits in key[8n +: 8].  One input byte per cycle; at most 40 bytes follow
// a start (the spec's longest input is 36: IPv6 addresses and ports).
//
//   load    1: sample the key (into ks) at this clock; not with en (and
//              not start) while a hash runs: the next key group is
//              registered from ks a clock ahead (fe_rx_parse loads only
//              between frames, tb_hash with start)
//   start   1: begin a hash with the key of this clock (load must be 1
//              too, or the key of the last load is used); clear the hash
//              (d/en of that cycle ignored)
//   en      1: d is the next input byte
//   hash    the hash of the bytes since start, from the second clock
//           after the last one's (start, en and d are registered first)
//
// Timing (rtl/README.md, "Synthesis"): start, en and d are registered at
// the input (st_r, en_r, d_r, and since session 24 the window's copies
// below), so that the receive stream's valid drives flip-flops only here
// and flip-flops drive the window's enables
// (the whole IP's rx_clk path at 0317be0 was the stream's valid → the
// parser's first → these enables, 10.6 of its 11.6 ns routing).  Input
// byte i needs key bits 8i .. 8i + 39 only.  Those 5 key bytes are a
// 40-bit register (head) that shifts by a byte per input byte; the key
// bytes after them wait in two 64-bit registers, nxt (the next 8, byte
// i + 5 in its low byte, shifting with head) and grp (the 8 after
// those).  When nxt's last byte goes into head, nxt takes grp and grp
// the next 8 key bytes of the sampled key (ks), chosen by a group count
// (gi): so no byte index and no key byte multiplexer lies between en_r
// and head.  The window's clock enables and load selects are flip-flops of
// their own per register (session 24: fe_keep_reg copies, ce_* and st_*,
// loaded with start and en as st_r and en_r are), so that each drives one
// register's CE or D multiplexers directly: the receive domain's path in
// fe_rx_synth was st_r (fanout 168) → a LUT ORing it with en_r → nxt's
// CEs, 9.1 ns, 8.4 of it routing.  grp's enable (its load, or en with
// nxt's last byte) is registered from lz's next value (lz_n).  Not a
// 320-bit shifting key; ks's
// enable (load) is a register of the parser (its "next byte is a frame's first").  The
// parser holds load from a frame's end to its first byte, so ks holds
// the key the frame's first byte saw, and st_r starts the window from it.
`default_nettype none
module fe_toeplitz #(
	parameter KEY_BYTES = 40
) (
	input  wire                     clk,
	input  wire                     rst,
	input  wire [8 * KEY_BYTES - 1:0] key,
	input  wire                     load,
	input  wire                     start,
	input  wire                     en,
	input  wire [7:0]               d,
	output reg  [31:0]              hash
);
	localparam NGRP = (KEY_BYTES - 13 + 7) / 8;   // groups after grp's first
	reg  [8 * KEY_BYTES - 1:0] ks;  // the sampled key, key byte n in [8n +: 8]
	reg  [39:0]     head;           // key bits 8i .. 8i + 39, bit 8i in [39]
	reg  [63:0]     nxt;            // key bytes i + 5 .. i + 12, low byte first
	reg  [63:0]     grp;            // the 8 key bytes after nxt's
	reg  [2:0]      left;           // nxt's bytes not yet in head, less one
	reg             lz;             // left is 0 (a flip-flop)
	reg             lz_n;           // lz after this clock
	reg  [2:0]      gi;             // grp's next group: key bytes 13 + 8 gi ..
	reg  [63:0]     gnext;
	reg  [31:0]     x;
	reg             st_r, en_r;
	wire [7:0]      d_r;            // (a register of its own: fe_rx_parse's sum_d)
	integer j, g;

	// key bytes first .. first + 7 of k, 0 past the key's end
	function [63:0] kbytes(input [8 * KEY_BYTES - 1:0] k, input integer first);
		integer n;
		begin
			kbytes = 64'h0;
			for (n = 0; n < 8; n = n + 1)
				if (first + n < KEY_BYTES)
					kbytes[8 * n +: 8] = k[8 * (first + n) +: 8];
		end
	endfunction

	// the group after grp's: a multiplexer from registers (gi, ks) only,
	// registered (timing, session 24: gi's decode to grp's D was
	// fe_rx_synth's rx_clk path, 8.1 ns).  A clock behind gi and ks: grp
	// takes it at nxt's last byte, the 8th input byte after st_r or after
	// its last take (gi moves with both), and ks holds from the frame's
	// first byte on.
	always @(posedge clk) begin
		gnext <= 64'h0;
		for (g = 1; g <= NGRP; g = g + 1)
			if ({29'h0, gi} == g)
				gnext <= kbytes(ks, 13 + 8 * g);
	end

	// input bit j of this byte (bit 7 - j) selects key bits j .. j+31
	always @* begin
		x = 32'h0;
		for (j = 0; j < 8; j = j + 1)
			if (d_r[7 - j])
				x = x ^ head[39 - j -: 32];
	end

	always @(posedge clk)
		if (load)
			ks <= key;

	fe_keep_reg #(.W(8)) u_d_r (.clk(clk), .rst(1'b0), .d(d), .q(d_r));
	always @(posedge clk) begin
		st_r <= !rst && start;
		en_r <= !rst && en && !start;
	end
	always @* begin
		lz_n = lz;
		if (rst || st_r)
			lz_n = 1'b0;
		else if (en_r)
			lz_n = left == 3'd1;
	end

	// the window's enables and selects, a copy per register: ce_h (head,
	// nxt) is st_r || en_r, ce_g (grp) st_r || (en_r && lz), st_* st_r
	wire        st_d = !rst && start;
	wire        ce_d = !rst && (start || en);
	wire        st_h, st_n, st_g, ce_h, ce_n, ce_g;
	fe_keep_reg u_st_h (.clk(clk), .rst(1'b0), .d(st_d), .q(st_h));
	fe_keep_reg u_st_n (.clk(clk), .rst(1'b0), .d(st_d), .q(st_n));
	fe_keep_reg u_st_g (.clk(clk), .rst(1'b0), .d(st_d), .q(st_g));
	fe_keep_reg u_ce_h (.clk(clk), .rst(1'b0), .d(ce_d), .q(ce_h));
	fe_keep_reg u_ce_n (.clk(clk), .rst(1'b0), .d(ce_d), .q(ce_n));
	fe_keep_reg u_ce_g (.clk(clk), .rst(1'b0), .d(!rst && (start || (en && lz_n))),
			    .q(ce_g));

	// the key window: no reset (st_r loads it before its first en_r; a
	// reset input on its 168 flip-flops was the whole IP's rx_clk path
	// at e1db632: timing, rtl/README.md "Synthesis").  ks holds start's
	// key (load with start).
	always @(posedge clk) begin
		if (ce_h)
			head <= st_h ? {ks[7:0], ks[15:8], ks[23:16], ks[31:24], ks[39:32]} :
				{head[31:0], nxt[7:0]};
		if (ce_n)
			nxt <= st_n ? kbytes(ks, 5) : lz ? grp : {8'h00, nxt[63:8]};
		if (ce_g)
			grp <= st_g ? kbytes(ks, 13) : gnext;
	end

	always @(posedge clk) begin
		lz <= lz_n;
		if (rst) begin
			left <= 3'd7;
			gi <= 3'd7;
			hash <= 32'h0;
		end else if (st_r) begin
			left <= 3'd7;
			gi <= 3'd1;
			hash <= 32'h0;
		end else if (en_r) begin
			if (lz && gi != 3'd7)
				gi <= gi + 3'd1;
			left <= left - 3'd1;
			hash <= hash ^ x;
		end
	end
endmodule
`default_nettype wire
