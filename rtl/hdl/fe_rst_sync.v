// SPDX-License-Identifier: GPL-2.0
// fe_rst_sync: a reset into another clock's domain: arst (active high,
// from a flip-flop of any domain) asserts rst at once, asynchronously, and
// rst is released two edges of clk after arst falls.  A one-cycle arst
// from a faster clock is not missed, and while clk is stopped rst stays
// asserted (the flip-flops that use it asynchronously hold their reset
// value; those that use it synchronously reset on the first edges).
`default_nettype none
module fe_rst_sync (
	input  wire clk,
	input  wire arst,
	output wire rst
);
	reg [1:0] r;

	always @(posedge clk or posedge arst)
		if (arst)
			r <= 2'b11;
		else
			r <= {r[0], 1'b0};
	assign rst = r[1];
endmodule
`default_nettype wire
