// SPDX-License-Identifier: GPL-2.0
// top: fe_rx_parse
//
// Unit bench of the receive parser (fe_rx_parse): the RSS hash input, the
// Toeplitz hash and HASH_TYPE of the programming model's "RSS" section, and
// the RX checksum (CSUM, bytes 14 to the end).  Frames are streamed with
// random idle cycles between bytes (the MAC's rx_* has no backpressure, but
// its valid may drop, e.g. in loopback); the results are read the cycle
// after the last byte, as fe_dma_rx does.  Cases: Microsoft's verification
// suite in IPv4 and IPv6 frames (TCP and UDP), the spec's corner case
// table, random frames of every shape against a C reference of the spec's
// rules with random keys, and the checksum: equal to the sum the spec
// defines, and usable as Linux uses CHECKSUM_COMPLETE (with the pseudo-
// header it verifies a good TCP/UDP checksum over IPv4 and IPv6 and the
// IPv4 header's, and rejects a corrupted byte or a wrong pseudo-header).
#include "Vfe_rx_parse.h"
#include "bench.h"
#include "rss_vectors.h"
#include <cstring>

static Vfe_rx_parse *t;
typedef std::vector<uint8_t> Frame;

static void tick()
{
	clk_cycle(t);
}

static void set_key(const uint8_t *key)
{
	for (int i = 0; i < 10; i++)
		t->key[i] = key[4 * i] | key[4 * i + 1] << 8 | key[4 * i + 2] << 16 |
			    (uint32_t)key[4 * i + 3] << 24;
}

// stream a frame with random gaps; the results after its last byte
struct Res {
	uint32_t hash;
	unsigned htype;
	uint16_t sum;
};
// gaps: idle cycles between bytes at random, else a byte every cycle
static Res stream(const Frame &f, bool gaps = true)
{
	for (size_t i = 0; i < f.size(); i++) {
		t->rx_tvalid = 0;
		t->rx_tlast = 0;
		t->rx_tdata = rnd();
		while (gaps && rnd() % 4 == 0)
			tick();
		t->rx_tvalid = 1;
		t->rx_tdata = f[i];
		t->rx_tlast = i + 1 == f.size();
		tick();
	}
	t->rx_tvalid = 0;
	t->rx_tlast = 0;
	tick();   // the results hold together on the second cycle after
	Res r = { t->hash, t->htype, t->sum };
	for (int i = 0; i < 3; i++)   // an interframe gap
		tick();
	return r;
}

// ------------------------------------------------------------ frames
static void put16(Frame &f, size_t o, uint16_t v)
{
	f[o] = v >> 8;
	f[o + 1] = v;
}

// Ethernet header with TYPE (and an 802.1Q tag before it with vlan)
static Frame eth(uint16_t type, bool vlan = false)
{
	Frame f = { 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2 };
	if (vlan) {
		f.push_back(0x81);
		f.push_back(0x00);
		f.push_back(0x00);
		f.push_back(0x05);
	}
	f.push_back(type >> 8);
	f.push_back(type);
	return f;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

// the L4 header (ports and checksum) after the IP header at l4, payload n
static void l4(Frame &f, uint8_t proto, uint16_t sp, uint16_t dp, size_t n)
{
	size_t o = f.size(), hl = proto == 6 ? 20 : 8;
	f.resize(o + hl + n);
	put16(f, o, sp);
	put16(f, o + 2, dp);
	if (proto == 6)
		f[o + 12] = 0x50;
	else
		put16(f, o + 4, hl + n);
	for (size_t i = 0; i < n; i++)
		f[o + hl + i] = rnd();
}

// an IPv4 packet: ihl words of header (options zero), fragment word,
// protocol, ports (for TCP/UDP), n payload bytes; checksums right
static Frame ipv4(const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t sp,
		  uint16_t dp, unsigned ihl = 5, uint16_t frag = 0, size_t n = 32,
		  bool vlan = false)
{
	Frame f = eth(0x0800, vlan);
	size_t ip = f.size();
	f.resize(ip + 4 * (ihl < 5 ? 5 : ihl));
	f[ip] = 0x40 | ihl;
	put16(f, ip + 6, frag);
	f[ip + 8] = 64;
	f[ip + 9] = proto;
	memcpy(&f[ip + 12], src, 4);
	memcpy(&f[ip + 16], dst, 4);
	if (proto == 6 || proto == 17)
		l4(f, proto, sp, dp, n);
	else {
		for (size_t i = 0; i < n; i++)
			f.push_back(rnd());
	}
	put16(f, ip + 2, f.size() - ip);
	size_t hl = 4 * (ihl < 5 ? 5 : ihl);
	put16(f, ip + 10, ~ref_csum(&f[ip], hl));
	size_t l = ip + hl;
	if (proto == 6 || proto == 17) {
		uint32_t ps = (src[0] << 8 | src[1]) + (src[2] << 8 | src[3]) +
			      (dst[0] << 8 | dst[1]) + (dst[2] << 8 | dst[3]) + proto +
			      (f.size() - l);
		uint16_t c = ~fold(ps + ref_csum(&f[l], f.size() - l));
		put16(f, l + (proto == 6 ? 16 : 6), c);
	}
	return f;
}

// an IPv6 packet; with ext (0, 43, 44, 60) one 8-byte extension header of
// that type comes before the TCP/UDP header
static Frame ipv6(const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t sp,
		  uint16_t dp, int ext = -1, size_t n = 32)
{
	Frame f = eth(0x86dd);
	size_t ip = f.size();
	f.resize(ip + 40);
	f[ip] = 0x60;
	f[ip + 6] = ext >= 0 ? ext : proto;
	f[ip + 7] = 64;
	memcpy(&f[ip + 8], src, 16);
	memcpy(&f[ip + 24], dst, 16);
	if (ext >= 0) {
		f.resize(ip + 48);
		f[ip + 40] = proto;
	}
	size_t l = f.size();
	l4(f, proto, sp, dp, n);
	put16(f, ip + 4, f.size() - ip - 40);
	uint32_t ps = proto + (f.size() - l);
	for (int i = 0; i < 32; i += 2)
		ps += f[ip + 8 + i] << 8 | f[ip + 9 + i];
	uint16_t c = ~fold(ps + ref_csum(&f[l], f.size() - l));
	put16(f, l + (proto == 6 ? 16 : 6), c);
	return f;
}

static void pad60(Frame &f)
{
	if (f.size() < 60)
		f.resize(60, 0);
}

// ------------------------------------------------------------ C reference
// the spec's hash input and HASH_TYPE, then the hash by the bit definition
static Res ref(const Frame &f, const uint8_t *key)
{
	uint8_t in[36];
	size_t n = 0, len = f.size();
	unsigned ty = 0;
	uint16_t type = f[12] << 8 | f[13];

	if (type == 0x0800 && f[14] >> 4 == 4) {
		unsigned ihl = f[14] & 15;
		uint16_t fw = f[20] << 8 | f[21];
		memcpy(in, &f[26], 8);
		n = 8;
		ty = 1;
		if ((f[23] == 6 || f[23] == 17) && ihl >= 5 && !(fw & 0x3fff) &&
		    14 + 4 * ihl + 4 <= len) {
			memcpy(in + 8, &f[14 + 4 * ihl], 4);
			n = 12;
			ty = 2;
		}
	} else if (type == 0x86dd && f[14] >> 4 == 6) {
		memcpy(in, &f[22], 32);
		n = 32;
		ty = 1;
		if (f[20] == 6 || f[20] == 17) {
			memcpy(in + 32, &f[54], 4);
			n = 36;
			ty = 2;
		}
	}
	Res r = { ty ? ref_toeplitz(key, 40, in, n) : 0, ty,
		  ref_csum(&f[14], len - 14) };
	return r;
}

// ------------------------------------------------------------ cases
static void expect(const Res &r, uint32_t h, unsigned ty, const char *what)
{
	if (r.hash != h || r.htype != ty)
		diag("%s: RSS_HASH %#010x HASH_TYPE %u, want %#010x %u", what, r.hash, r.htype, h, ty);
}

static void case_ms()
{
	set_key(ms_key);
	for (uint8_t p : { 6, 17 }) {
		for (auto &v : v4) {
			Frame f = ipv4(v.src, v.dst, p, v.sport, v.dport);
			expect(stream(f), v.h_l4, 2, v.name);
		}
		for (auto &v : v6) {
			Frame f = ipv6(v.src, v.dst, p, v.sport, v.dport);
			expect(stream(f), v.h_l4, 2, v.name);
		}
	}
	check_diags("rss: Microsoft's suite in frames: 5 IPv4 and 3 IPv6 tuples, TCP and UDP, "
		    "HASH_TYPE 2 with Microsoft's hashes");
}

static void case_corners()
{
	const rss_vec &a = v4[0], &b = v6[0];
	set_key(ms_key);
	Frame f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 7);
	expect(stream(f), a.h_l4, 2, "IPv4 TCP IHL 7 (options)");
	f = ipv4(a.src, a.dst, 17, a.sport, a.dport, 5, 0x4000);
	expect(stream(f), a.h_l4, 2, "IPv4 UDP DF");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 5, 0x2000);
	expect(stream(f), a.h_ip, 1, "IPv4 TCP MF (first fragment)");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 5, 0x0001);
	expect(stream(f), a.h_ip, 1, "IPv4 TCP fragment offset 1");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 5, 0x0100);
	expect(stream(f), a.h_ip, 1, "IPv4 TCP fragment offset 0x100");
	f = ipv4(a.src, a.dst, 1, 0, 0);
	expect(stream(f), a.h_ip, 1, "IPv4 ICMP");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 4);
	f[14] = 0x44;
	expect(stream(f), a.h_ip, 1, "IPv4 TCP IHL 4 (malformed)");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 15, 0, 0);
	f.resize(74);
	expect(stream(f), a.h_ip, 1, "IPv4 TCP IHL 15, 74-byte frame");
	f.resize(76);   // two of the four port bytes
	expect(stream(f), a.h_ip, 1, "IPv4 TCP IHL 15, 76-byte frame");
	f.resize(78);
	put16(f, 74, a.sport);
	put16(f, 76, a.dport);
	expect(stream(f), a.h_l4, 2, "IPv4 TCP IHL 15, 78-byte frame");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport, 5, 0, 32, true);
	expect(stream(f), 0, 0, "IPv4 TCP behind an 802.1Q tag");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport);
	f[12] = 0x88, f[13] = 0xa8;
	expect(stream(f), 0, 0, "type 0x88a8");
	f = ipv6(b.src, b.dst, 6, b.sport, b.dport, 0);
	expect(stream(f), b.h_ip, 1, "IPv6 hop-by-hop, then TCP");
	f = ipv6(b.src, b.dst, 6, b.sport, b.dport, 44);
	expect(stream(f), b.h_ip, 1, "IPv6 fragment header, then TCP");
	f = eth(0x0806);
	f.resize(60, 0x11);
	expect(stream(f), 0, 0, "ARP");
	// shorter than the MAC passes (60): the ports right after the
	// addresses, the stream ending after two of them, a byte a cycle
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport);
	f.resize(36);
	expect(stream(f, false), a.h_ip, 1, "IPv4 TCP IHL 5, 36-byte stream");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport);
	f[14] = 0x65;
	expect(stream(f), 0, 0, "type 0x0800, version 6");
	f = ipv6(b.src, b.dst, 6, b.sport, b.dport);
	f[14] = 0x45;
	expect(stream(f), 0, 0, "type 0x86dd, version 4");
	f = ipv4(a.src, a.dst, 6, a.sport, a.dport);
	f[12] = 0x00, f[13] = 0x40;
	expect(stream(f), 0, 0, "802.3 length 64");
	check_diags("rss: the spec's corner cases (options, DF, MF, offset, ICMP, IHL 4, IHL 15 "
		    "with 0, 2 and 4 port bytes, IHL 5 with 2, VLAN, 0x88a8, IPv6 extension headers, ARP, "
		    "wrong version nibbles, 802.3)");
}

// a random frame of any shape the parser must tell apart
static Frame random_frame()
{
	uint8_t s[16], d[16];
	for (int i = 0; i < 16; i++)
		s[i] = rnd(), d[i] = rnd();
	static const uint8_t protos[] = { 6, 17, 1, 47, 6, 17 };
	uint8_t p = protos[rnd() % 6];
	Frame f;
	switch (rnd() % 8) {
	case 0:
	case 1:
	case 2: {
		static const uint16_t frags[] = { 0, 0, 0x4000, 0x2000, 0x0001, 0x1fff, 0x8000 };
		f = ipv4(s, d, p, rnd(), rnd(), 5 + rnd() % 11, frags[rnd() % 7], rnd() % 200);
		if (rnd() % 8 == 0)
			f[14] = 0x40 | (rnd() % 5);   // IHL 0-4
		if (rnd() % 6 == 0)
			f.resize(34 + rnd() % 50);    // cut
		break;
	}
	case 3:
	case 4:
	case 5: {
		static const int exts[] = { -1, -1, 0, 43, 44, 60 };
		f = ipv6(s, d, p == 1 || p == 47 ? 6 : p, rnd(), rnd(), exts[rnd() % 6], rnd() % 200);
		break;
	}
	case 6:
		f = ipv4(s, d, p, rnd(), rnd(), 5, 0, rnd() % 100, true);
		break;
	default:
		f = eth(rnd());
		f.resize(14 + rnd() % 300);
		for (size_t i = 14; i < f.size(); i++)
			f[i] = rnd();
		break;
	}
	pad60(f);
	return f;
}

static void case_random()
{
	int n[3] = { 0, 0, 0 };
	for (int k = 0; k < 300; k++) {
		uint8_t key[40];
		for (auto &b : key)
			b = rnd();
		set_key(key);
		tick();
		Frame f = random_frame();
		Res r = stream(f), w = ref(f, key);
		n[w.htype]++;
		if (r.hash != w.hash || r.htype != w.htype || r.sum != w.sum)
			diag("frame %d (%zu bytes, type %02x%02x): hash %#010x/%u sum %#06x, "
			     "want %#010x/%u %#06x", k, f.size(), f[12], f[13], r.hash, r.htype,
			     r.sum, w.hash, w.htype, w.sum);
	}
	check(true, "rss+csum: 300 random frames and keys agree with the spec's rules "
		    "(HASH_TYPE 0/1/2: %d/%d/%d), the sum of bytes 14 on with the C reference",
		    n[0], n[1], n[2]);
}

// what Linux does with CHECKSUM_COMPLETE: the sum of the L4 segment is
// CSUM minus the IP header's sum; add the pseudo-header, fold: 0xffff is
// a good checksum
static bool v4_ok(const Frame &f, uint16_t csum, bool wrong_ph = false)
{
	size_t hl = 4 * (f[14] & 15);
	uint16_t iph = ref_csum(&f[14], hl);
	if (iph != 0xffff)
		return false;   // the header's own checksum
	uint32_t l4 = fold(csum + (uint16_t)~iph);   // csum_sub
	uint32_t len = (f[16] << 8 | f[17]) - hl;
	uint32_t ps = (f[26] << 8 | f[27]) + (f[28] << 8 | f[29]) + (f[30] << 8 | f[31]) +
		      (f[32] << 8 | f[33]) + f[23] + len + wrong_ph;
	return fold(l4 + ps) == 0xffff;
}

static bool v6_ok(const Frame &f, uint16_t csum)
{
	uint16_t iph = ref_csum(&f[14], 40);
	uint32_t l4 = fold(csum + (uint16_t)~iph);
	uint32_t ps = f[20] + (f[18] << 8 | f[19]);
	for (int i = 0; i < 32; i += 2)
		ps += f[22 + i] << 8 | f[23 + i];
	return fold(l4 + ps) == 0xffff;
}

static void case_csum()
{
	int good = 0, bad = 0;
	for (int k = 0; k < 120; k++) {
		uint8_t s[16], d[16];
		for (int i = 0; i < 16; i++)
			s[i] = rnd(), d[i] = rnd();
		bool six = k & 1;
		uint8_t p = k & 2 ? 6 : 17;
		size_t n = rnd() % 300;
		Frame f = six ? ipv6(s, d, p, rnd(), rnd(), -1, n) :
			  ipv4(s, d, p, rnd(), rnd(), 5 + rnd() % 3, 0, n);
		pad60(f);   // padding is summed too; the stack trims it (pskb_trim_rcsum)
		size_t iplen = six ? 40 + (f[18] << 8 | f[19]) : (f[16] << 8 | f[17]);
		uint16_t c = stream(f).sum;
		uint16_t ct = fold(c + (uint16_t)~ref_csum(&f[14 + iplen], f.size() - 14 - iplen));
		if (c != ref_csum(&f[14], f.size() - 14))
			diag("frame %d: CSUM %#06x, C reference %#06x", k, c,
			     ref_csum(&f[14], f.size() - 14));
		if (!(six ? v6_ok(f, ct) : v4_ok(f, ct)))
			diag("frame %d (%s %s, %zu bytes): a good checksum does not verify", k,
			     six ? "IPv6" : "IPv4", p == 6 ? "TCP" : "UDP", f.size());
		else
			good++;
		if (!six && v4_ok(f, ct, true))
			diag("frame %d: a wrong pseudo-header verifies", k);
		// one corrupted byte of the segment
		size_t at = 14 + (six ? 40 : 4 * (f[14] & 15)) + rnd() % (iplen - (six ? 40 : 4 * (f[14] & 15)));
		f[at] ^= 1 << (rnd() % 8);
		c = stream(f).sum;
		ct = fold(c + (uint16_t)~ref_csum(&f[14 + iplen], f.size() - 14 - iplen));
		if (six ? v6_ok(f, ct) : v4_ok(f, ct))
			diag("frame %d: a corrupted byte at %zu verifies", k, at);
		else
			bad++;
	}
	check(true, "csum: 120 TCP/UDP frames over IPv4 (IHL 5-7) and IPv6: CSUM verifies "
		    "with the pseudo-header as Linux's CHECKSUM_COMPLETE does (%d good), a "
		    "flipped bit does not (%d), a wrong pseudo-header does not", good, bad);
}

// close together: a frame's first byte on the second cycle after the last
// one's, when the results of the first hold together
static void case_back_to_back()
{
	set_key(ms_key);
	const rss_vec &a = v4[1];
	Frame f1 = ipv4(a.src, a.dst, 6, a.sport, a.dport), f2 = eth(0x0806);
	f2.resize(60, 0x22);
	for (int k = 0; k < 2; k++) {
		const Frame &f = k ? f2 : f1;
		for (size_t i = 0; i < f.size(); i++) {
			t->rx_tvalid = 1;
			t->rx_tdata = f[i];
			t->rx_tlast = i + 1 == f.size();
			tick();
		}
		t->rx_tvalid = 0;
		t->rx_tlast = 0;
		tick();
		Res r = { t->hash, t->htype, t->sum };
		expect(r, k ? 0 : a.h_l4, k ? 0 : 2, k ? "ARP after" : "TCP first");
		if (r.sum != ref_csum(&f[14], f.size() - 14))
			diag("frame %d: sum %#06x", k, r.sum);
	}
	t->rx_tvalid = 0;
	t->rx_tlast = 0;
	tick();
	check_diags("rss+csum: two frames a cycle apart, each with its own results");
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	t = new Vfe_rx_parse;
	rnd_state = 0x5eed1234;
	t->rst = 1;
	tick();
	tick();
	t->rst = 0;
	case_ms();
	case_corners();
	case_random();
	case_csum();
	case_back_to_back();
	t->final();
	delete t;
	return ktap_exit();
}
