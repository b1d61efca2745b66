// SPDX-License-Identifier: GPL-2.0
// fe_hist_bin: the RX_HIST/TX_HIST bin of a frame of len bytes (destination
// address to the end of the FCS): 64 (and less), 65-127, 128-255, 256-511,
// 512-1023, 1024-1518, 1519-2047, 2048-4095, 4096 and more.
`default_nettype none
module fe_hist_bin (
	input  wire [15:0] len,
	output wire [8:0]  bin   // one-hot
);
	assign bin[0] = len <= 16'd64;
	assign bin[1] = len >= 16'd65 && len <= 16'd127;
	assign bin[2] = len >= 16'd128 && len <= 16'd255;
	assign bin[3] = len >= 16'd256 && len <= 16'd511;
	assign bin[4] = len >= 16'd512 && len <= 16'd1023;
	assign bin[5] = len >= 16'd1024 && len <= 16'd1518;
	assign bin[6] = len >= 16'd1519 && len <= 16'd2047;
	assign bin[7] = len >= 16'd2048 && len <= 16'd4095;
	assign bin[8] = len >= 16'd4096;
endmodule
`default_nettype wire
