// SPDX-License-Identifier: GPL-2.0
// Unit bench of the hash and checksum blocks: fe_crc32 (Ethernet FCS),
// fe_mc_hash (multicast filter index), fe_toeplitz (RSS) and fe_csum16 (the
// one's complement sum of the checksum offloads), against the programming
// model's definitions, published vectors and C references.
#include "Vtb_hash.h"
#include "bench.h"
#include "rss_vectors.h"
#include <cstring>

static Vtb_hash *t;

static void tick()
{
	clk_cycle(t);
}

// restart all blocks, then feed bytes through them
static void feed(const uint8_t *p, size_t n)
{
	t->init = 1;
	t->en = 0;
	tick();
	t->init = 0;
	t->en = 1;
	for (size_t i = 0; i < n; i++) {
		t->d = p[i];
		tick();
	}
	t->en = 0;
	tick();   // fe_toeplitz registers its inputs: its hash a clock later
}

static void set_key(const uint8_t *key)
{
	for (int i = 0; i < 10; i++)
		t->key[i] = key[4 * i] | key[4 * i + 1] << 8 | key[4 * i + 2] << 16 |
			    (uint32_t)key[4 * i + 3] << 24;
}

static void rss_suite(const rss_vec *v, int n, int alen, const char *what)
{
	int bad = 0;

	set_key(ms_key);
	for (int i = 0; i < n; i++) {
		uint8_t in[36];
		memcpy(in, v[i].src, alen);
		memcpy(in + alen, v[i].dst, alen);
		in[2 * alen] = v[i].sport >> 8;
		in[2 * alen + 1] = v[i].sport;
		in[2 * alen + 2] = v[i].dport >> 8;
		in[2 * alen + 3] = v[i].dport;
		feed(in, 2 * alen);
		if (t->hash != v[i].h_ip) {
			diag("%s addresses: %#010x, Microsoft %#010x", v[i].name, t->hash, v[i].h_ip);
			bad++;
		}
		feed(in, 2 * alen + 4);
		if (t->hash != v[i].h_l4) {
			diag("%s with ports: %#010x, Microsoft %#010x", v[i].name, t->hash, v[i].h_l4);
			bad++;
		}
	}
	check(!bad, "toeplitz: Microsoft RSS verification suite, %s (%d vectors, with and without ports)",
	      what, 2 * n);
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	t = new Vtb_hash;
	t->rst = 1;
	tick();
	t->rst = 0;

	// --- CRC-32 / FCS
	const uint8_t chk[] = "123456789";
	feed(chk, 9);
	check(t->fcs == 0xcbf43926, "crc32: check value of \"123456789\" is 0xcbf43926 (got %#010x)",
	      t->fcs);

	int bad = 0, resid = 0;
	for (int n = 1; n <= 200; n++) {
		uint8_t f[1600];
		size_t len = n < 100 ? n : 60 + rnd() % 1500;
		for (size_t i = 0; i < len; i++)
			f[i] = rnd();
		feed(f, len);
		uint32_t want = ref_crc32(f, len);
		if (t->fcs != want) {
			diag("len %zu: fcs %#010x, reference %#010x", len, t->fcs, want);
			bad++;
		}
		if (t->fcs_good)
			resid++;
		// the frame with its FCS appended (byte 0 first) leaves the residue
		for (int b = 0; b < 4; b++)
			f[len + b] = want >> (8 * b);
		feed(f, len + 4);
		if (!t->fcs_good)
			resid++;
		f[rnd() % (len + 4)] ^= 1 << (rnd() % 8);
		feed(f, len + 4);
		if (t->fcs_good)
			resid++;
	}
	check(!bad, "crc32: FCS of 200 random frames (1-99 and 60-1559 bytes) matches the reference");
	check(!resid, "crc32: residue 0xdebb20e3 after a frame and its FCS, not after a corrupted one (%d wrong)",
	      resid);

	// --- multicast hash
	static const struct {
		uint8_t a[6];
		int index;
	} mc[] = {
		// ether_crc(6, addr) >> 26 as Linux computes it
		{ { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, 31 },
		{ { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }, 62 },
		{ { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 }, 3 },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 63 },
	};
	bad = 0;
	for (auto &m : mc) {
		uint64_t a = 0;
		for (int i = 0; i < 6; i++)
			a |= (uint64_t)m.a[i] << (8 * i);
		t->mc_addr = a;
		t->eval();
		if (t->mc_index != m.index || t->mc_crc != ref_mc_crc(m.a)) {
			diag("%02x:%02x:%02x:%02x:%02x:%02x: index %d crc %#010x, want %d crc %#010x",
			     m.a[0], m.a[1], m.a[2], m.a[3], m.a[4], m.a[5], t->mc_index,
			     t->mc_crc, m.index, ref_mc_crc(m.a));
			bad++;
		}
	}
	for (int i = 0; i < 1000; i++) {
		uint8_t a[6];
		uint64_t w = 0;
		for (int b = 0; b < 6; b++) {
			a[b] = rnd();
			w |= (uint64_t)a[b] << (8 * b);
		}
		t->mc_addr = w;
		t->eval();
		if (t->mc_crc != ref_mc_crc(a) || t->mc_index != ref_mc_crc(a) >> 26) {
			diag("random address %d: crc %#010x, want %#010x", i, t->mc_crc, ref_mc_crc(a));
			bad++;
		}
	}
	check(!bad, "mc_hash: 4 known indices and 1000 random addresses agree with the spec's bit-level CRC");

	// --- Toeplitz
	rss_suite(v4, 5, 4, "IPv4");
	rss_suite(v6, 3, 16, "IPv6");
	bad = 0;
	for (int i = 0; i < 200; i++) {
		uint8_t key[40], in[40];
		size_t n = 1 + rnd() % 40;
		for (auto &k : key)
			k = rnd();
		for (size_t b = 0; b < n; b++)
			in[b] = rnd();
		set_key(key);
		feed(in, n);
		if (t->hash != ref_toeplitz(key, 40, in, n)) {
			diag("random key/input %d (%zu bytes): %#010x, want %#010x", i, n,
			     t->hash, ref_toeplitz(key, 40, in, n));
			bad++;
		}
	}
	check(!bad, "toeplitz: 200 random keys and inputs of 1-40 bytes agree with the bit-level definition");

	// --- one's complement sum
	const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	feed(rfc, 8);
	check(t->sum == 0xddf2 && t->csum == 0x220d,
	      "csum16: RFC 1071 example sums to 0xddf2, checksum 0x220d (got %#06x, %#06x)",
	      t->sum, t->csum);
	bad = 0;
	for (int i = 0; i < 300; i++) {
		uint8_t f[1600];
		size_t len = 1 + rnd() % 1500;
		int fill = rnd() % 3;
		for (size_t b = 0; b < len; b++)
			f[b] = fill == 0 ? rnd() : fill == 1 ? 0xff : 0x00;
		feed(f, len);
		uint16_t s = ref_csum(f, len), c = (uint16_t)~s ? (uint16_t)~s : 0xffff;
		if (t->sum != s || t->csum != c) {
			diag("%zu bytes (fill %d): sum %#06x csum %#06x, want %#06x %#06x", len,
			     fill, t->sum, t->csum, s, c);
			bad++;
		}
	}
	check(!bad, "csum16: 300 random, all-ones and all-zero buffers of 1-1500 bytes (odd lengths padded)");
	const uint8_t ones[2] = { 0xff, 0xff };
	feed(ones, 2);
	check(t->csum == 0xffff, "csum16: a result of 0 is stored as 0xffff (got %#06x)", t->csum);

	delete t;
	return ktap_exit();
}
