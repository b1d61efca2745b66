// SPDX-License-Identifier: GPL-2.0
// tb_hash: the hash and checksum blocks side by side, for tb_hash.cpp.
`default_nettype none
module tb_hash (
	input  wire         clk,
	input  wire         rst,
	input  wire         init,
	input  wire         en,
	input  wire [7:0]   d,
	output wire [31:0]  crc,
	output wire [31:0]  fcs,
	output wire         fcs_good,
	input  wire [47:0]  mc_addr,
	output wire [31:0]  mc_crc,
	output wire [5:0]   mc_index,
	input  wire [319:0] key,
	output wire [31:0]  hash,
	output wire [15:0]  sum,
	output wire [15:0]  csum
);
	fe_crc32 u_crc (.clk(clk), .rst(rst), .init(init), .en(en), .d(d),
			.crc(crc), .fcs(fcs), .good(fcs_good));
	fe_mc_hash u_mc (.addr(mc_addr), .crc(mc_crc), .index(mc_index));
	fe_toeplitz u_tp (.clk(clk), .rst(rst), .key(key), .load(init), .start(init),
			  .en(en), .d(d), .hash(hash));
	fe_csum16 u_cs (.clk(clk), .rst(rst), .clear(init), .en(en), .d(d),
			.sum(sum), .csum(csum));
endmodule
`default_nettype wire
