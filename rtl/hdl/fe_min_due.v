// SPDX-License-Identifier: GPL-2.0
// fe_min_due: the earliest of N timers: the smallest of N "due" counts
// (time_en clocks until a timer fires, all ones when it does not count),
// all ones for none.  The DMA engines' timer_due over their queues'
// coalescing timers (fe_coal), fe_core's over the engines' and its own.
// Combinational.
`default_nettype none
module fe_min_due #(
	parameter N = 4
) (
	input  wire [32 * N - 1:0] due,
	output reg  [31:0]         min
);
	integer i;
	always @* begin
		min = 32'hffffffff;
		for (i = 0; i < N; i = i + 1)
			if (due[32 * i +: 32] < min)
				min = due[32 * i +: 32];
	end
endmodule
`default_nettype wire
