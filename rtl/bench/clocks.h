// SPDX-License-Identifier: GPL-2.0
// Two clocks for the benches: the core clock and the line's receive clock
// (GMII RX_CLK, RGMII RXC, MII RX_CLK), each with its period and the time
// of its next rising edge, in femtoseconds; edges at the same instant are
// one evaluation.  And the clock ratios the benches run their cases at;
// and two clocks in whole time steps for the clock-crossing benches.
#ifndef FE_CLOCKS_H
#define FE_CLOCKS_H

#include <cstdint>
#include <cstdio>

#include "bench.h"

struct ClockRatio {
	const char *name;
	uint64_t pc, pr, r0;   // core and rx periods (fs), rx's first edge after the core's
};

// the ratios of tb_mac (every one) and tb_dma (the last two)
static const ClockRatio clock_ratios[] = {
	{ "one clock, 125 MHz", 8000000, 8000000, 0 },
	{ "rx_clk 100 ppm faster", 8000000, 7999200, 3100000 },
	{ "rx_clk 100 ppm slower", 8000000, 8000800, 5300000 },
	{ "core 100 MHz, rx_clk 125 MHz", 10000000, 8000000, 1700000 },
	{ "core 156.25 MHz, rx_clk 125 MHz", 6400000, 8000000, 2900000 },
};
static const size_t n_clock_ratios = sizeof(clock_ratios) / sizeof(clock_ratios[0]);

struct TwoClocks {
	uint64_t per_c = 8000000, per_r = 8000000, t_c = 0, t_r = 0;
	bool r_stopped = false;   // the rx clock held (a PHY without its clock)

	void start(const ClockRatio &k)
	{
		per_c = k.pc;
		per_r = k.pr;
		t_r = t_c + k.r0;
	}

	// rx_edge() for each rx edge before the next core edge; true if an rx
	// edge falls on the core edge (the caller evaluates both at once,
	// then calls core_done)
	template <class F> bool rx_before_core(F rx_edge)
	{
		while (!r_stopped && t_r < t_c) {
			rx_edge();
			t_r += per_r;
		}
		bool both = !r_stopped && t_r == t_c;
		if (r_stopped)
			t_r = t_c + per_r;   // it starts again a period after it resumes
		return both;
	}

	void core_done(bool both)
	{
		t_c += per_c;
		if (both)
			t_r += per_r;
	}
};

// Two unrelated clocks counted in whole time steps (tb_async_fifo,
// tb_cdc_bus): periods pa and pb (even); a clock falls half a period after
// it rose.  A step: fall() lowers the clocks due and says which rise at
// its end (arise, brise), the caller evaluates and samples the inputs of
// those edges, rise() raises them.
struct StepClocks {
	uint8_t &a, &b;
	int pa, pb, pha = 0, phb = 0;
	bool arise = false, brise = false;

	StepClocks(uint8_t &clk_a, int per_a, uint8_t &clk_b, int per_b)
		: a(clk_a), b(clk_b), pa(per_a), pb(per_b)
	{
	}

	// both clocks running for 4 periods of each, eval() at every step,
	// while the caller holds its resets
	template <class E> void run_reset(E eval)
	{
		for (int i = 0; i < 4 * (pa + pb); i++) {
			a = (i / (pa / 2)) & 1;
			b = (i / (pb / 2)) & 1;
			eval();
		}
	}

	void fall()
	{
		arise = ++pha == pa;
		brise = ++phb == pb;
		if (pha == pa / 2)
			a = 0;
		if (phb == pb / 2)
			b = 0;
	}

	void rise()
	{
		if (arise) {
			a = 1;
			pha = 0;
		}
		if (brise) {
			b = 1;
			phb = 0;
		}
	}
};

// body(ratio) once for each of ks[0, n), the ratio's name in front of
// every case
template <class F>
static void for_each_ratio(TwoClocks &ck, const ClockRatio *ks, size_t n, F body)
{
	static char name[96];

	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "[%s] ", ks[i].name);
		ktap_prefix = name;
		ck.start(ks[i]);
		body(ks[i]);
	}
	ktap_prefix = "";
}

#endif
