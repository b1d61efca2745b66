// SPDX-License-Identifier: GPL-2.0
// A clause-22 PHY on the MDIO bus, for the benches: 32 registers at one
// address, ID 0x4650 0x0001 as the programming model's PHY.  Call step()
// once per simulated clock with MDC and the line (the master's drive, else
// the PHY's, else the pull-up); it samples on MDC's rising edge and drives
// read data and TA's 0 right after rising edges, as 802.3 clause 22 says.
#ifndef FE_PHY_MODEL_H
#define FE_PHY_MODEL_H
#include <cstdint>

struct PhyModel {
	int addr = 1;
	uint16_t regs[32] = {};
	// what the PHY drives
	bool oe = false, o = true;
	// observations
	int frames = 0, writes = 0, reads = 0, bad = 0;
	long rises = 0;               // MDC rising edges
	long last_rise = -1, period = 0, high = 0, now = 0;
	bool last_mdc = false;

	int ones = 0, n = -1;         // n: bits of the frame after the preamble
	uint32_t sr = 0;
	int op = 0, phy = 0, reg = 0;
	bool mine = false;
	uint16_t rdata = 0;

	PhyModel()
	{
		regs[2] = 0x4650;
		regs[3] = 0x0001;
	}

	// The link's speed (0 10, 1 100, 2 1000 Mb/s, as MAC_CFG.SPEED) and
	// duplex as 802.3 resolves them from these registers: with
	// autonegotiation enabled (BMCR bit 12) the best ability that this PHY
	// (ANAR, CTRL1000) and the link partner (lpa: ANLPAR's bits,
	// lpa1000: CTRL1000's bits, i.e. 1000 full 0x200, half 0x100)
	// advertise, -1 when they share none; else BMCR's forced speed (bits
	// 6 and 13) and duplex (bit 8).
	int speed(uint16_t lpa, uint16_t lpa1000, bool *full) const
	{
		if (!(regs[0] & 0x1000)) {
			*full = regs[0] & 0x0100;
			return (regs[0] & 0x0040) ? 2 : (regs[0] & 0x2000) ? 1 : 0;
		}
		static const struct {
			int reg;
			uint16_t bit;
			int speed;
			bool full;
		} order[] = { { 9, 0x200, 2, true }, { 9, 0x100, 2, false },
			      { 4, 0x100, 1, true }, { 4, 0x080, 1, false },
			      { 4, 0x040, 0, true }, { 4, 0x020, 0, false } };
		for (auto &o : order) {
			uint16_t partner = o.reg == 9 ? lpa1000 : lpa;
			if (regs[o.reg] & partner & o.bit) {
				*full = o.full;
				return o.speed;
			}
		}
		*full = false;
		return -1;
	}

	void step(bool mdc, bool line)
	{
		now++;
		if (mdc && !last_mdc)
			rise(line);
		if (!mdc && last_mdc && last_rise >= 0)
			high = now - last_rise;
		last_mdc = mdc;
	}

	void rise(bool line)
	{
		rises++;
		if (last_rise >= 0)
			period = now - last_rise;
		last_rise = now;
		if (n < 0) {
			// preamble: at least 32 ones, then ST's 0
			if (line)
				ones++;
			else if (ones >= 32)
				n = 1, sr = 0;
			else
				ones = 0;
			return;
		}
		n++;    // n is now the number of bits after the preamble, ST's 0 is 1
		sr = sr << 1 | line;
		if (n == 2 && !line)
			bad++;                               // ST must be 01
		if (n == 14) {
			op = sr >> 10 & 3;
			phy = sr >> 5 & 31;
			reg = sr & 31;
			mine = phy == addr;
			if (op == 2 && mine)
				rdata = regs[reg];
		}
		if (op == 2 && mine) {
			if (n == 15) {                       // TA's first bit: Z
				oe = true;
				o = false;                   // TA's 0 for the next bit
			} else if (n >= 16 && n < 32) {
				o = rdata >> (31 - n) & 1;   // data[15] after bit 16
			} else if (n == 32) {
				oe = false;
				o = true;
			}
		}
		if (n == 32) {
			frames++;
			if (op == 1) {
				if ((sr >> 16 & 3) != 2)
					bad++;               // TA must be 10
				if (mine)
					regs[reg] = sr & 0xffff;
				writes++;
			} else if (op == 2) {
				reads++;
			}
			n = -1;
			ones = 0;
		}
	}
};
#endif
