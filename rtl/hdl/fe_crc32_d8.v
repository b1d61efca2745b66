// SPDX-License-Identifier: GPL-2.0
// fe_crc32_d8: one byte of the Ethernet CRC-32 (IEEE 802.3), combinational.
//
// The register is kept in the reflected (LSB-first) form the MAC uses: bit 0
// of crc_i holds the coefficient of x^31.  Data bits enter bit 0 first, as
// they go on the wire.  Polynomial 0x04c11db7, reflected 0xedb88320.
// Start from 0xffffffff; the FCS of a frame is ~crc (bit 0 first on the wire,
// i.e. byte 0 of the FCS is (~crc)[7:0]); running the FCS through the register
// too leaves the residue 0xdebb20e3.
`default_nettype none
module fe_crc32_d8 (
	input  wire [31:0] crc_i,
	input  wire [7:0]  d,
	output reg  [31:0] crc_o
);
	integer i;
	always @* begin
		crc_o = crc_i;
		for (i = 0; i < 8; i = i + 1)
			crc_o = {1'b0, crc_o[31:1]} ^
				((crc_o[0] ^ d[i]) ? 32'hedb88320 : 32'h0);
	end
endmodule
`default_nettype wire
