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
//   start   1: load the key, clear the hash (d/en of that cycle ignored)
//   en      1: d is the next input byte
//   hash    the hash of the bytes since start
`default_nettype none
module fe_toeplitz #(
	parameter KEY_BYTES = 40
) (
	input  wire                     clk,
	input  wire                     rst,
	input  wire [8 * KEY_BYTES - 1:0] key,
	input  wire                     start,
	input  wire                     en,
	input  wire [7:0]               d,
	output reg  [31:0]              hash
);
	localparam KB = 8 * KEY_BYTES;

	// the key as a bit string, key bit 0 in [KB-1]: shifted left 8 per byte
	reg  [KB - 1:0] win;
	wire [KB - 1:0] key_be;
	wire [39:0]     top = win[KB - 1 -: 40];
	reg  [31:0]     x;
	integer j;
	genvar n;

	generate
		for (n = 0; n < KEY_BYTES; n = n + 1) begin : g_key
			assign key_be[KB - 1 - 8 * n -: 8] = key[8 * n +: 8];
		end
	endgenerate

	// input bit j of this byte (bit 7 - j) selects key bits j .. j+31
	always @* begin
		x = 32'h0;
		for (j = 0; j < 8; j = j + 1)
			if (d[7 - j])
				x = x ^ top[39 - j -: 32];
	end

	always @(posedge clk) begin
		if (rst) begin
			win <= {KB{1'b0}};
			hash <= 32'h0;
		end else if (start) begin
			win <= key_be;
			hash <= 32'h0;
		end else if (en) begin
			win <= {win[KB - 9:0], 8'h00};
			hash <= hash ^ x;
		end
	end
endmodule
`default_nettype wire
