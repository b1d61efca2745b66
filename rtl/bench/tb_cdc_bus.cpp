// SPDX-License-Identifier: GPL-2.0
// Unit bench of fe_cdc_bus (bench/tb_cdc_bus.v: 72 bits) with two unrelated
// clocks at several ratios.  s_data counts up, its three 24-bit lanes
// equal: every value d_data takes must be one s_data had (lanes equal,
// never a mix), never older than the one before, and d_data must reach
// the last value once s_data stops.  The handshake: at every destination
// clock that copies (ld), the source's hold register has not changed
// since the destination clock before (the copy takes a settled value,
// whatever the ratio of the clocks).  The DRST 0 instance's d_data0 (not
// reset: whatever it held until its first copy) is held to the same
// rules from its first copy on, and ends equal to d_data.
#include "Vtb_cdc_bus.h"
#include "clocks.h"

static Vtb_cdc_bus *b;

struct Run {
	const char *what;
	int sper, dper;   // clock periods in time steps (even)
	int change_pct;   // chance that s_data moves on at a source clock
};

static void set_lanes(VlWide<3> &w, uint32_t v)
{
	uint64_t lo = (uint64_t)(v & 0xffffff) | ((uint64_t)(v & 0xffffff) << 24) |
		      ((uint64_t)(v & 0xffff) << 48);
	w[0] = (uint32_t)lo;
	w[1] = (uint32_t)(lo >> 32);
	w[2] = (v >> 16) & 0xff;
}

// the value of d_data's lanes, or -1 if they differ (a mix)
static int64_t lanes(const VlWide<3> &w)
{
	uint64_t lo = w[0] | ((uint64_t)w[1] << 32);
	uint32_t l0 = lo & 0xffffff, l1 = (lo >> 24) & 0xffffff;
	uint32_t l2 = (uint32_t)(lo >> 48) | ((w[2] & 0xff) << 16);
	return l0 == l1 && l1 == l2 ? (int64_t)l0 : -1;
}

static bool same(const VlWide<3> &a, const VlWide<3> &c)
{
	return a[0] == c[0] && a[1] == c[1] && a[2] == c[2];
}

// the values one d_data took, at each destination clock
struct Track {
	const char *name;
	int copies = 0, mixed = 0, backward = 0;
	int64_t last = 0;

	explicit Track(const char *n) : name(n) {}
	void see(const Run &r, const VlWide<3> &d)
	{
		int64_t v = lanes(d);
		if (v < 0) {
			if (mixed++ < 3)
				diag("%s: %s %08x.. is a mix", r.what, name, d[0]);
		} else if (v < last) {
			if (backward++ < 3)
				diag("%s: %s went back from %lld to %lld", r.what, name,
				     (long long)last, (long long)v);
		} else if (v != last) {
			copies++;
			last = v;
		}
	}
	bool ok(uint32_t val) const { return !mixed && !backward && last == val && copies > 20; }
};

static void run(const Run &r)
{
	uint32_t val = 1;
	int unsettled = 0;
	Track t1("d_data"), t0("d_data0 (DRST 0)");
	bool copied0 = false;
	bool hold_moved = false, init_ok = true;
	VlWide<3> hold_was;

	StepClocks ck(b->s_clk, r.sper, b->d_clk, r.dper);

	b->s_rst = 1;
	b->d_rst = 1;
	set_lanes(b->s_data, val);
	ck.run_reset([] { b->eval(); });
	b->s_rst = 0;
	b->d_rst = 0;
	b->eval();
	init_ok = b->d_data[0] == 0x5a && b->d_data[1] == 0 && b->d_data[2] == 0;
	hold_was = b->hold;
	// 4000 destination clocks moving, then 40 of either clock still
	long steps = 4000L * r.dper, settle = 40L * (r.sper + r.dper);
	for (long t = 0; t < steps + settle; t++) {
		ck.fall();
		bool srise = ck.arise, drise = ck.brise;
		b->eval();
		bool copy = drise && b->ld;
		if (copy && hold_moved && unsettled++ < 3)
			diag("%s: a copy at t %ld of a hold changed since the last destination clock",
			     r.what, t);
		if (drise)
			hold_moved = false;
		ck.rise();
		b->eval();
		if (srise && !same(b->hold, hold_was)) {
			hold_was = b->hold;
			hold_moved = true;
		}
		// (d_data is INIT, 0x5a, until the first copy)
		bool init = b->d_data[0] == 0x5a && !b->d_data[1] && !b->d_data[2];
		if (drise && !(init && !t1.copies))
			t1.see(r, b->d_data);
		// d_data0 from its first copy (the clock after the first ld)
		if (drise && copied0)
			t0.see(r, b->d_data0);
		if (drise && b->ld)
			copied0 = true;
		if (srise && t < steps && (int)(rnd() % 100) < r.change_pct)
			set_lanes(b->s_data, ++val);
		b->eval();
	}
	check(init_ok && t1.ok(val) && !unsettled && t0.ok(val) &&
	      same(b->d_data0, b->d_data),
	      "cdc_bus: %s: INIT after reset, %d values taken, none a mix or older, the last (%u) reached, every copy of a settled hold; DRST 0 the same (%d values)",
	      r.what, t1.copies, val, t0.copies);
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	b = new Vtb_cdc_bus;
	rnd_state = 0xcdc0;
	Run runs[] = {
		{ "source 125 MHz, destination 100 MHz", 8, 10, 50 },
		{ "source fast (4), destination slow (200: MII's 2.5 MHz)", 4, 200, 100 },
		{ "source slow (40), destination fast (6)", 40, 6, 100 },
		{ "equal periods", 8, 8, 30 },
	};
	for (auto &r : runs)
		run(r);
	delete b;
	return ktap_exit();
}
