// SPDX-License-Identifier: GPL-2.0
// top: fe_mdio
// Unit bench of the MDIO master (fe_mdio) against a clause-22 PHY model:
// frame format (preamble, ST, OP, addresses, TA, data), write and read,
// no PHY at the address reads 0xffff, MDC = clk / (2 (DIV + 1)), 64 MDC
// cycles per command, busy/done.
#include "Vfe_mdio.h"
#include "bench.h"
#include "phy_model.h"

static Vfe_mdio *m;
static PhyModel phy;
static long cycles;

static void tick()
{
	bool line = m->mdio_oe ? m->mdio_o : phy.oe ? phy.o : true;
	m->mdio_i = line;
	m->clk = 0;
	m->eval();
	m->clk = 1;
	m->eval();
	cycles++;
	line = m->mdio_oe ? m->mdio_o : phy.oe ? phy.o : true;
	phy.step(m->mdc, line);
	if (m->mdio_oe && phy.oe)
		phy.bad++;    // both drive the line
}

// one command; returns the cycles from start to done (-1: never done)
static long cmd(int op, int phyad, int regad, int wdata, int div)
{
	m->op = op;
	m->phyad = phyad;
	m->regad = regad;
	m->wdata = wdata;
	m->div = div;
	m->start = 1;
	tick();
	m->start = 0;
	long t0 = cycles;
	bool seen_busy = false;
	for (long i = 0; i < 200000; i++) {
		tick();
		seen_busy |= m->busy;
		if (m->done)
			return seen_busy ? cycles - t0 : -2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	m = new Vfe_mdio;
	m->rst = 1;
	tick();
	tick();
	m->rst = 0;
	tick();

	long rises0 = phy.rises;
	long t = cmd(1, 1, 4, 0xa5c3, 3);
	check(t > 0 && phy.writes == 1 && phy.regs[4] == 0xa5c3 && !phy.bad,
	      "mdio: write of 0xa5c3 to PHY 1 register 4 lands (ST 01, OP 01, TA 10; bad %d)",
	      phy.bad);
	check(phy.rises - rises0 == 64 && t == 64 * 2 * 4,
	      "mdio: a command is 64 MDC cycles; DIV 3 -> %ld clocks (want 512), %ld MDC rises",
	      t, phy.rises - rises0);
	check(phy.period == 8 && phy.high == 4,
	      "mdio: DIV 3: MDC period 8 clocks, high 4 (got %ld, %ld)", phy.period, phy.high);

	phy.regs[2] = 0x4650;
	t = cmd(2, 1, 2, 0, 3);
	check(t > 0 && m->rdata == 0x4650 && phy.reads == 1 && !phy.bad,
	      "mdio: read of PHY 1 register 2 returns 0x4650 (got %#06x)", m->rdata);
	t = cmd(2, 1, 4, 0, 0);
	check(t == 64 * 2 && m->rdata == 0xa5c3 && phy.period == 2,
	      "mdio: DIV 0 (MDC = clk/2): read back 0xa5c3 (got %#06x) in %ld clocks", m->rdata, t);
	t = cmd(2, 7, 2, 0, 1);
	check(t > 0 && m->rdata == 0xffff, "mdio: a read from an address with no PHY returns 0xffff (got %#06x)",
	      m->rdata);
	int bad = 0;
	for (int i = 0; i < 20; i++) {
		int r = rnd() % 32, v = rnd() & 0xffff, d = rnd() % 4;
		cmd(1, 1, r, v, d);
		cmd(2, 1, r, 0, d);
		if (m->rdata != v) {
			diag("register %d: wrote %#06x read %#06x (DIV %d)", r, v, m->rdata, d);
			bad++;
		}
	}
	check(!bad && !phy.bad, "mdio: 20 random write/read pairs through the PHY model");
	t = cmd(0, 1, 2, 0, 0);
	check(t == -1 && !m->busy, "mdio: op 0 starts nothing");
	t = cmd(1, 1, 5, 0x1234, 0xff);
	check(t == 64 * 2 * 256 && phy.period == 512,
	      "mdio: DIV 255: MDC period 512 clocks, command %ld clocks", t);

	delete m;
	return ktap_exit();
}
