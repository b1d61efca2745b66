// SPDX-License-Identifier: GPL-2.0
// fe_mc_hash: the multicast hash filter's index (programming model, receive
// path step 4): bit crc >> 26 of MC_HASH_HI:MC_HASH_LO, crc being the
// Ethernet CRC-32 of the 6 destination bytes computed big-endian (Linux
// ether_crc(6, addr)).  That big-endian register is the bit reversal of the
// reflected register fe_crc32 keeps, so crc >> 26 is the reflected
// register's bits 0..5 reversed: the MAC's receiver takes the index from its
// running FCS register after the 6th byte; this block computes it from a
// whole address (destination byte 0, first on the wire, in [7:0]).
`default_nettype none
module fe_mc_hash (
	input  wire [47:0] addr,
	output wire [31:0] crc,   // ether_crc(6, addr)
	output wire [5:0]  index  // crc >> 26
);
	wire [31:0] r [0:6];
	genvar i;

	assign r[0] = 32'hffffffff;
	generate
		for (i = 0; i < 6; i = i + 1) begin : g_byte
			fe_crc32_d8 u_step (.crc_i(r[i]), .d(addr[8 * i +: 8]),
					    .crc_o(r[i + 1]));
		end
		for (i = 0; i < 32; i = i + 1) begin : g_rev
			assign crc[i] = r[6][31 - i];
		end
	endgenerate
	assign index = crc[31:26];
endmodule
`default_nettype wire
