// SPDX-License-Identifier: GPL-2.0
// The PHY's side of the MAC's data pins, for the benches (tb_phy) and the
// co-simulation shim (rtl/cosim/fe_cosim.cpp): what the wire carries for a
// frame, the receive symbols a PHY drives for it (RGMII at 10/100/1000 Mb/s,
// MII), and the PHY's transmit side (TXD taken at TXC's edges or at MII
// TX_CLK, nibbles to bytes, bytes to frames).
#ifndef FE_PHY_LINE_H
#define FE_PHY_LINE_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

typedef std::vector<uint8_t> Bytes;

// Ethernet CRC-32 (reflected), as zlib's crc32(): the FCS of a frame
static inline uint32_t ref_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++)
			c = (c >> 1) ^ ((c & 1) ? 0xedb88320 : 0);
	}
	return ~c;
}

// what the wire carries for a frame: preamble, SFD, the frame padded to
// 60 bytes, FCS
static inline Bytes on_wire(const Bytes &f)
{
	Bytes w(7, 0x55);
	w.push_back(0xd5);
	Bytes p = f;
	if (p.size() < 60)
		p.resize(60, 0);
	uint32_t c = ref_crc32(p.data(), p.size());
	for (int b = 0; b < 4; b++)
		p.push_back(c >> (8 * b));
	w.insert(w.end(), p.begin(), p.end());
	return w;
}

// One receive clock period of the line: RGMII RXD and RX_CTL at RXC's
// rising and falling edge; MII: RXD = d_r, RX_DV = c_r, RX_ER = c_f.
struct LineSym {
	uint8_t d_r, d_f;
	bool c_r, c_f;
};

// The receive symbols of the wire bytes w (on_wire) at speed (0 10, 1 100,
// 2 1000 Mb/s), then 12 byte times of idle symbols.  RGMII at 1000: a byte
// per RXC, bits 3:0 at the rising edge and 7:4 at the falling; at 10/100 a
// nibble per RXC, the low one first, the same on both edges; RX_CTL is
// RX_DV at the rising edge, RX_DV xor RX_ER at the falling.  MII: a nibble
// per RX_CLK.  er_at: the index in w of a byte with RX_ER (-1: none);
// lose_nibble: the PHY lost the first nibble (10/100).
static inline void line_symbols(std::deque<LineSym> &q, const Bytes &w, bool rgmii,
				int speed, const LineSym &idle, long er_at = -1,
				bool lose_nibble = false)
{
	bool gig = rgmii && speed >= 2;
	for (size_t i = 0; i < w.size(); i++) {
		bool er = er_at >= 0 && i == (size_t)er_at;
		uint8_t lo = w[i] & 15, hi = w[i] >> 4;
		// RGMII's falling edge carries DV xor ER, MII's RX_ER is ER
		bool cf = rgmii ? !er : er;
		if (gig) {
			q.push_back({ lo, hi, true, cf });
			continue;
		}
		if (!(lose_nibble && i == 0))
			q.push_back({ lo, lo, true, cf });
		q.push_back({ hi, hi, true, cf });
	}
	for (int i = 0; i < (gig ? 12 : 24); i++)
		q.push_back(idle);
}

// The PHY's transmit side: the MAC's bytes (byte()), nibbles (nibble():
// MII and RGMII at 10/100, a byte's bits 3:0 first) or RGMII's pins once
// per half clock (rgmii()); each frame (the bytes with TX_EN: preamble,
// SFD, frame, FCS) lands in `frames`.
struct LineTx {
	struct Frame {
		Bytes b;
		bool er;                // TX_ER on some byte
		bool both_edges_same;   // RGMII 10/100: TXD the same at both TXC edges
	};
	std::vector<Frame> frames;
	Bytes cur;
	bool in = false, cur_er = false, cur_same = true;
	int half = 0;                 // a low nibble is held
	uint8_t lo = 0;
	bool lo_er = false;
	int prev_txc = 0;             // RGMII: TXC at the last sample
	uint8_t rise_d = 0;           // TXD and TX_CTL at TXC's rising edge
	bool rise_c = false;

	void byte(uint8_t b, bool en, bool er)
	{
		if (en) {
			if (!in) {
				in = true;
				cur.clear();
				cur_er = false;
				cur_same = true;
			}
			cur.push_back(b);
			cur_er |= er;
		} else if (in) {
			frames.push_back({ cur, cur_er, cur_same });
			in = false;
		}
	}

	void nibble(uint8_t n, bool en, bool er)
	{
		if (!en) {
			half = 0;
			byte(0, false, false);
			return;
		}
		if (!half) {
			lo = n;
			lo_er = er;
			half = 1;
		} else {
			byte(lo | n << 4, true, er || lo_er);
			half = 0;
		}
	}

	// RGMII's TX pins after an evaluation (a PHY with its TX delay takes
	// the value after TXC's edge); gig: the PHY runs at 1000 Mb/s (a byte
	// per TXC), else a nibble per TXC.  1 at TXC's rising edge, -1 at its
	// falling edge, else 0.
	int rgmii(int txc, uint8_t txd, bool ctl, bool gig)
	{
		int edge = 0;
		if (txc && !prev_txc) {
			rise_d = txd;
			rise_c = ctl;
			edge = 1;
		} else if (!txc && prev_txc) {
			bool en = rise_c, er = rise_c ^ ctl;
			if (gig) {
				byte(rise_d | txd << 4, en, er);
			} else {
				if (en && txd != rise_d)
					cur_same = false;
				nibble(rise_d, en, er);
			}
			edge = -1;
		}
		prev_txc = txc;
		return edge;
	}

	// (a frame in progress is lost)
	void reset()
	{
		frames.clear();
		cur.clear();
		in = false;
		half = 0;
	}
};

#endif
