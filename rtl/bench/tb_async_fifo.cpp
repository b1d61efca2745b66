// SPDX-License-Identifier: GPL-2.0
// top: fe_async_fifo
// Unit bench of fe_async_fifo (DW 9, AW 4) with two unrelated clocks:
// random pushes and pops at several clock ratios, every word comes out once
// and in order, the FIFO fills and empties, and never holds more than its
// depth.
#include "Vfe_async_fifo.h"
#include "clocks.h"
#include <deque>

static Vfe_async_fifo *f;

struct Run {
	const char *what;
	int wper, rper;        // clock periods in time steps
	int push_pct, pop_pct; // chance of a push / pop per cycle
	bool want_full, want_empty;
};

static bool run(const Run &r, int words)
{
	std::deque<uint32_t> model;
	uint64_t t = 0;
	int sent = 0, got = 0, bad = 0, full_seen = 0, empty_seen = 0, max_fill = 0;
	StepClocks ck(f->wclk, r.wper, f->rclk, r.rper);

	// reset both sides
	f->wrst = 1;
	f->rrst = 1;
	ck.run_reset([] { f->eval(); });
	f->wrst = 0;
	f->rrst = 0;
	f->w_valid = 0;
	f->r_ready = 0;
	uint32_t next = rnd() & 0x1ff;
	while (got < words && t < 100000000) {
		t++;
		// rising edges: sample the handshakes before the edge
		ck.fall();
		bool wrise = ck.arise, rrise = ck.brise;
		f->eval();
		bool pushed = false, popped = false;
		uint32_t popped_val = 0;
		if (wrise) {
			pushed = f->w_valid && f->w_ready;
			if (f->w_valid && !f->w_ready)
				full_seen++;
		}
		if (rrise) {
			popped = f->r_valid && f->r_ready;
			popped_val = f->r_data;
			if (!f->r_valid)
				empty_seen++;
		}
		ck.rise();
		f->eval();
		if (pushed) {
			model.push_back(next);
			sent++;
			next = rnd() & 0x1ff;
		}
		if (popped) {
			if (model.empty() || model.front() != popped_val) {
				if (bad++ < 5)
					diag("%s: word %d is %#x, expected %#x", r.what, got, popped_val,
					     model.empty() ? 0u : model.front());
			} else {
				model.pop_front();
			}
			got++;
		}
		if ((int)model.size() > max_fill)
			max_fill = model.size();
		// new inputs after the edge
		if (wrise) {
			f->w_valid = sent < words && (int)(rnd() % 100) < r.push_pct;
			f->w_data = next;
		}
		if (rrise)
			f->r_ready = (int)(rnd() % 100) < r.pop_pct;
		f->eval();
	}
	return check(!bad && got == words && model.empty() && max_fill <= 16 &&
			     (full_seen || !r.want_full) && (empty_seen || !r.want_empty),
		     "async_fifo: %s: %d words in order (full seen %d, empty seen %d, most held %d)",
		     r.what, got, full_seen, empty_seen, max_fill);
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	f = new Vfe_async_fifo;
	rnd_state = 0xf1f0;
	Run runs[] = {
		{ "write 125 MHz, read 100 MHz, both random", 8, 10, 70, 60, true, true },
		{ "write slow (period 26), read fast (6)", 26, 6, 90, 40, false, true },
		{ "write fast (6), read slow (26)", 6, 26, 50, 90, true, true },
		{ "equal periods, full rate both", 8, 8, 100, 100, false, false },
	};
	for (auto &r : runs)
		run(r, 20000);
	delete f;
	return ktap_exit();
}
