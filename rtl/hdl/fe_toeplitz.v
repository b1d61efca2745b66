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
//   load    1: sample the key (into ks) at this clock
//   start   1: begin a hash with the key of this clock (load must be 1
//              too, or the key was sampled at the last load and has not
//              changed since); clear the hash (d/en of that cycle ignored)
//   en      1: d is the next input byte
//   hash    the hash of the bytes since start
//
// Timing (rtl/README.md, "Synthesis"): input byte i needs key bits 8i ..
// 8i + 39 only.  Those 5 key bytes are a 40-bit register (head) that
// shifts by a byte per input byte and takes key byte i + 5 from the
// sampled key (ks) through a byte multiplexer; so en, which comes from
// the receive stream's valid, enables 78 flip-flops, not a 320-bit
// shifting key, and the 320-bit sample's enable (load) is a register of
// the parser (its "next byte is a frame's first").  The parser holds load
// from a frame's end to its first byte, so ks holds the key the frame's
// first byte saw, as a key loaded at start would.
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
	reg  [8 * KEY_BYTES - 1:0] ks;  // the sampled key, key byte n in [8n +: 8]
	reg  [39:0]     head;           // key bits 8i .. 8i + 39, bit 8i in [39]
	reg  [5:0]      b;              // key byte i + 5: the next into head
	wire [7:0]      kb = b < KEY_BYTES ? ks[8 * b +: 8] : 8'h00;
	reg  [31:0]     x;
	integer j;

	// input bit j of this byte (bit 7 - j) selects key bits j .. j+31
	always @* begin
		x = 32'h0;
		for (j = 0; j < 8; j = j + 1)
			if (d[7 - j])
				x = x ^ head[39 - j -: 32];
	end

	always @(posedge clk)
		if (load)
			ks <= key;

	always @(posedge clk) begin
		if (rst) begin
			head <= 40'h0;          // as a key of zeros: hashes to 0
			b <= 6'd63;
			hash <= 32'h0;
		end else if (start) begin
			head <= {key[7:0], key[15:8], key[23:16], key[31:24], key[39:32]};
			b <= 6'd5;
			hash <= 32'h0;
		end else if (en) begin
			head <= {head[31:0], kb};
			if (b != 6'd63)
				b <= b + 6'd1;
			hash <= hash ^ x;
		end
	end
endmodule
`default_nettype wire
