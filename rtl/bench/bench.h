// SPDX-License-Identifier: GPL-2.0
// Helpers shared by the unit benches: KTAP output, a clock, references.
#ifndef FE_BENCH_H
#define FE_BENCH_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "axi_edge.h"
#include "phy_line.h"   // ref_crc32, the line's frames and symbols

// one clock cycle of a model with a single clock input, clk: low, then
// the rising edge
template <typename M> static inline void clk_cycle(M *m)
{
	m->clk = 0;
	m->eval();
	m->clk = 1;
	m->eval();
}

// KTAP: "ok N - name" / "not ok N - name" with "# " diagnostics; the plan is
// printed at the end ("1..N"), and main returns ktap_exit().
static int ktap_n, ktap_failed;
static std::vector<std::string> ktap_diags;
static const char *ktap_prefix = "";   // put in front of each case's name

static inline void diag(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ktap_diags.size() < 20)
		ktap_diags.push_back(buf);
	else if (ktap_diags.size() == 20)
		ktap_diags.push_back("(more diagnostics suppressed)");
}

static inline bool check(bool cond, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ktap_n == 0)
		printf("TAP version 13\n");
	ktap_n++;
	if (!ktap_diags.empty())
		cond = false;
	printf("%sok %d - %s%s\n", cond ? "" : "not ", ktap_n, ktap_prefix, buf);
	for (auto &d : ktap_diags)
		printf("# %s\n", d.c_str());
	ktap_diags.clear();
	if (!cond)
		ktap_failed++;
	fflush(stdout);
	return cond;
}

// every diag() since the last check() makes it fail
static inline bool check_diags(const char *name)
{
	return check(true, "%s", name);
}

static inline int ktap_exit()
{
	printf("1..%d\n# %d passed, %d failed, 0 skipped\n", ktap_n,
	       ktap_n - ktap_failed, ktap_failed);
	return ktap_failed ? 1 : 0;
}

// The multicast hash CRC, bit by bit as the programming model defines it
static inline uint32_t ref_mc_crc(const uint8_t *a)
{
	uint32_t crc = 0xffffffff;

	for (int i = 0; i < 6; i++)
		for (int b = 0; b < 8; b++) {
			uint32_t fb = ((crc >> 31) ^ (a[i] >> b)) & 1;

			crc <<= 1;
			if (fb)
				crc ^= 0x04c11db7;
		}
	return crc;
}

// Toeplitz hash, bit by bit as the programming model defines it
static inline uint32_t ref_toeplitz(const uint8_t *key, size_t klen,
				    const uint8_t *d, size_t n)
{
	uint32_t h = 0;

	for (size_t k = 0; k < 8 * n; k++) {
		if (!(d[k / 8] >> (7 - k % 8) & 1))
			continue;
		uint32_t w = 0;
		for (size_t b = 0; b < 32; b++) {
			size_t kb = k + b;
			int bit = kb < 8 * klen ? key[kb / 8] >> (7 - kb % 8) & 1 : 0;
			w = (w << 1) | bit;
		}
		h ^= w;
	}
	return h;
}

// 16-bit one's complement sum, big-endian words, odd byte zero-padded
static inline uint16_t ref_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += (i & 1) ? p[i] : p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

// small deterministic PRNG (xorshift32), seeded per bench
static uint32_t rnd_state = 0x12345678;
static inline uint32_t rnd()
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

#endif
