// SPDX-License-Identifier: GPL-2.0
// top: fe_coal
// Unit bench of fe_coal (CLK_MHZ 125): the event raised clock for clock as
// the programming model's coalescing defines it (a reference model below),
// with completions at least two clocks apart (as the DMA engines make them)
// and time_en at random, for several COAL values; and the corner where a
// completion comes on the clock after the USECS timer's event.
#include "Vfe_coal.h"
#include "bench.h"

static Vfe_coal *c;

static void tick()
{
	clk_cycle(c);
}

// the spec's coalescing of one queue direction, one clock at a time:
// returns whether this clock raises the event
struct Ref {
	unsigned pend = 0;
	bool armed = false;
	uint64_t left = 0;
	bool step(uint32_t coal, bool complete, bool time_en)
	{
		unsigned frames = coal & 0xffff, usecs = coal >> 16;
		if (complete && ((!frames && !usecs) || (frames && pend + 1 >= frames)))
			return fire();
		if (armed && time_en && left <= 1)
			return fire();
		if (complete) {
			pend++;
			if (!armed && usecs) {
				armed = true;
				left = (uint64_t)usecs * 125;
				return false;
			}
		}
		if (armed && time_en)
			left--;
		return false;
	}
	bool fire()
	{
		pend = 0;
		armed = false;
		return true;
	}
};

static void reset(uint32_t coal)
{
	c->coal = coal;
	c->complete = 0;
	c->time_en = 1;
	c->rst = 1;
	tick();
	tick();
	c->rst = 0;
	tick();   // COAL's registered compares
}

// completions at random, 2 to gap + 1 clocks apart; time_en high with
// percent ten_pct
static void random_run(uint32_t coal, int gap, int ten_pct, int clocks)
{
	Ref ref;
	int events = 0, bad = 0, since = 99;
	reset(coal);
	for (int i = 0; i < clocks; i++) {
		bool comp = since >= 2 && rnd() % gap == 0;
		bool ten = (int)(rnd() % 100) < ten_pct;
		since = comp ? 1 : since + 1;
		c->complete = comp;
		c->time_en = ten;
		bool want = ref.step(coal, comp, ten);
		tick();
		if (c->event_o != want && bad++ < 3)
			diag("clock %d: event %d, the spec's %d (pend %u)", i, c->event_o, want, ref.pend);
		if (c->armed != ref.armed && bad++ < 3)
			diag("clock %d: armed %d, the spec's %d", i, c->armed, ref.armed);
		events += want;
	}
	c->complete = 0;
	check(!bad && events > 10, "coal: FRAMES %u USECS %u, completions 2 or more clocks apart (1 in %d a clock), time_en %d%%: "
	      "%d events, each on the spec's clock", coal & 0xffff, coal >> 16, gap, ten_pct, events);
}

// pend reaches FRAMES - 1, the timer fires, a completion on the next clock:
// that completion is the first pending one (no event), and arms the timer
static void case_after_timer()
{
	const uint32_t coal = 3u << 16 | 2;   // USECS 3, FRAMES 2
	reset(coal);
	c->complete = 1;
	tick();
	c->complete = 0;
	int n = 0;
	while (!c->event_o && n++ < 1000)
		tick();
	bool timer_ev = c->event_o;
	c->complete = 1;
	tick();
	c->complete = 0;
	bool ev2 = c->event_o, armed = c->armed;
	tick();
	check(timer_ev && n > 300 && !ev2 && armed && !c->event_o,
	      "coal: FRAMES 2, USECS 3: the timer's event after %d clocks, a completion on the next "
	      "clock raises none (%d) and arms the timer (%d)", n, ev2, armed);
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	c = new Vfe_coal;
	rnd_state = 0xc0a1;
	case_after_timer();
	random_run(0, 3, 100, 2000);                 // every completion
	random_run(1, 8, 50, 4000);                  // FRAMES 1
	random_run(4, 6, 100, 20000);                // FRAMES 4
	random_run(1u << 16, 40, 100, 40000);        // USECS 1
	random_run(2u << 16 | 8, 30, 70, 60000);     // both: whichever first
	random_run(1u << 16 | 3, 150, 100, 80000);   // both, the timer often first
	delete c;
	return ktap_exit();
}
