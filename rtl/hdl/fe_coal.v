// SPDX-License-Identifier: GPL-2.0
// fe_coal: completion coalescing of one queue direction (TX or RX): counts
// the completions pending since it last raised the direction's IRQ_STATUS
// bit and raises it (event, one cycle) when FRAMES of them are pending, when
// USECS microseconds have passed since the first of them, or at every
// completion with both 0.  Raising it clears the count and stops the timer.
// COAL is read at each completion: a write takes effect for the next one,
// and an armed timer keeps the USECS it was armed with.  The timer counts
// the clocks with time_en high (a board ties it high; co-simulation raises
// it only on clocks of virtual time, rtl/cosim/README.md "Time").  armed
// says the USECS timer counts; due is the number of time_en clocks until it
// fires (all ones when it does not count).
`default_nettype none
module fe_coal #(
	parameter [15:0] CLK_MHZ = 16'd125
) (
	input  wire        clk,
	input  wire        rst,
	input  wire [31:0] coal,      // [15:0] FRAMES, [31:16] USECS
	input  wire        complete,  // one completion
	input  wire        time_en,   // time passes on this clock
	output reg         event_o,
	output reg         armed,     // the USECS timer counts
	output wire [31:0] due        // time_en clocks until it fires
);
	wire [15:0] frames = coal[15:0];
	wire [15:0] usecs = coal[31:16];
	reg  [15:0] pend;
	reg  [31:0] left;             // clock cycles until the timer fires
	wire [15:0] pend1 = pend + 16'd1;

	// Timing (rtl/README.md, "Synthesis"): the decision reads flip-flops
	// only.  hit (pend + 1 >= FRAMES, FRAMES not 0), cyc (USECS x CLK_MHZ),
	// none (FRAMES and USECS 0) and unz (USECS not 0) are registered every
	// clock: a clock late after pend or COAL change, which only a
	// completion on the next clock would see.  The engines' completions of
	// one queue come many clocks apart, but an event (the timer's, at any
	// clock) clears pend: hit then takes pend 0's value (FRAMES 1) at once.
	// A COAL write is in effect from the second clock after the register
	// changes.  fire (left <= 1) follows left, which can move every clock:
	// registered from the left after the clock (cyc, left - 1 or left; the
	// compares run beside the decision, which picks one).
	reg         hit, fire, none, unz;
	reg  [31:0] cyc;
	wire        ev = (complete && (none || hit)) || (armed && time_en && fire);

	assign due = armed ? left : 32'hffffffff;

	always @(posedge clk) begin
		cyc <= usecs * CLK_MHZ;
		none <= frames == 16'h0 && usecs == 16'h0;
		unz <= usecs != 16'h0;
	end

	always @(posedge clk) begin
		event_o <= 1'b0;
		if (rst) begin
			pend <= 16'h0;
			armed <= 1'b0;
			left <= 32'h0;
			hit <= 1'b0;
			fire <= 1'b1;
		end else if (ev) begin
			event_o <= 1'b1;
			pend <= 16'h0;
			hit <= frames == 16'h1;
			armed <= 1'b0;
		end else begin
			hit <= frames != 16'h0 && {1'b0, pend} + 17'd1 >= {1'b0, frames};
			if (complete) begin
				pend <= pend1;
				if (!armed && unz) begin
					armed <= 1'b1;
					left <= cyc;
					fire <= cyc <= 32'h1;
				end
			end
			if (armed && time_en) begin
				left <= left - 32'h1;
				fire <= left <= 32'h2;
			end
		end
	end
endmodule
`default_nettype wire
