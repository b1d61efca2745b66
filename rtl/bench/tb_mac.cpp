// SPDX-License-Identifier: GPL-2.0
// top: fe_mac
// Unit bench of the MAC (fe_mac: fe_tx_line, fe_mac_tx, fe_mac_rx,
// loopback, pause timer) on its 8-bit GMII: framing (preamble, SFD,
// padding, FCS, IFG), pause frames sent and obeyed, the receive pipeline's
// checks and filters, the statistics increments the programming model
// defines for each, and tx_done: one per frame taken, after it left the
// line (counted as the pseudo counter "tx_done").
// Two clocks: clk (the core: the frames to send, as rows of 1-4 bytes,
// statistics, pause timer, tx_done) and the line's clock, which drives
// both tx_clk (the transmitter, GMII TX, sampled on its edges) and rx_clk
// (GMII RX and the received stream); the whole suite runs at several
// ratios (the same clock; the line 100 ppm fast and slow; the core at 100
// and 156.25 MHz against a 125 MHz line), each case named with its ratio,
// then the line's clock stops mid-frame and the MAC is reset while it is
// stopped; last, the transmit cases with the core at 62.5 MHz, a row a
// clock keeping the 125 MHz line busy.
#include "Vfe_mac.h"
#include "bench.h"
#include "clocks.h"
#include <cstring>
#include <deque>
#include <map>

typedef std::vector<uint8_t> Bytes;

static Vfe_mac *m;
static uint64_t cycle;

// line side: frames seen on the GMII TX pins (preamble and SFD stripped
// after checking), with the idle cycles before each
struct LineFrame {
	Bytes b;          // frame with FCS
	bool pre_ok;      // 7 x 0x55, 0xd5
	bool er;          // tx_er seen
	int gap;          // idle cycles before it
	uint64_t start;   // cycle of the first preamble byte
};
static std::vector<LineFrame> line;
static Bytes cur_line;
static bool in_line, cur_er;
static int idle_run = 1000;
static uint64_t cur_start;

// RX output stream
struct RxFrame {
	Bytes b;
	bool drop;
};
static std::vector<RxFrame> rx_out;
static Bytes cur_rx;

// statistics accumulated from stat_inc, and tx_done's pulses (ST_DONE)
enum { NST = 45, ST_DONE = 44 };
static uint64_t stats[NST];
static const char *st_name[NST] = {
	"TX_FRAMES_OK", "TX_OCTETS_OK", "TX_UCAST", "TX_MCAST", "TX_BCAST", "TX_PAUSE",
	"TX_MAC_CTRL", "TX_DISCARDS", "RX_FRAMES_OK", "RX_OCTETS_OK", "RX_UCAST",
	"RX_MCAST", "RX_BCAST", "RX_PAUSE", "RX_MAC_CTRL", "RX_UNSUP_OPCODE",
	"RX_FCS_ERR", "RX_ALIGN_ERR", "RX_LEN_ERR", "RX_TOO_LONG", "RX_UNDERSIZE",
	"RX_FRAGMENTS", "RX_JABBERS", "RX_NOBUF", "RX_FIFO_OVF", "RX_FILTERED",
	"RX_HIST0", "RX_HIST1", "RX_HIST2", "RX_HIST3", "RX_HIST4", "RX_HIST5",
	"RX_HIST6", "RX_HIST7", "RX_HIST8", "TX_HIST0", "TX_HIST1", "TX_HIST2",
	"TX_HIST3", "TX_HIST4", "TX_HIST5", "TX_HIST6", "TX_HIST7", "TX_HIST8",
	"tx_done",
};
static int st_idx(const char *n)
{
	for (int i = 0; i < NST; i++)
		if (!strcmp(st_name[i], n))
			return i;
	abort();
}

// TX row source: one slot a core clock, a row (held until taken) or an
// idle clock
struct Slot {
	bool valid;
	uint32_t data;
	uint8_t lo, hi;
	bool last;
};
static std::deque<Slot> tx_q;
static uint64_t tx_frames;   // frames queued since the start (tx_done each)
static int tx_max_gap = 8;   // idle clocks before a frame: up to this - 1
static bool lb_on;           // loopback: frames leave through no pin

// the line's frames that are not the MAC's own pause frames
static uint64_t line_data;

// RX GMII driver: bytes to put on the line, one per cycle (-1: idle)
static std::deque<int> rx_line;
static std::deque<bool> rx_line_er;

// the clocks: periods in femtoseconds, the time of each one's next rising
// edge; edges at the same instant are one eval (the "same clock" case)
static TwoClocks ck;

// queue a frame as rows: some idle clocks before it (none mid-frame: the
// source stores and forwards), its first row from a random lane, later
// rows mostly whole, now and then from a random lane (a new buffer) or of
// one byte, the other lanes random; gap_mid: that many idle clocks in
// the middle (an underrun)
static void tx_send(const Bytes &f, int gap_mid = 0)
{
	for (int g = tx_max_gap ? rnd() % tx_max_gap : 0; g > 0; g--)
		tx_q.push_back({});
	unsigned lo = rnd() % 4;
	for (size_t i = 0; i < f.size();) {
		if (gap_mid && i >= f.size() / 2) {
			tx_q.insert(tx_q.end(), gap_mid, Slot{});
			gap_mid = 0;
		}
		size_t n = rnd() % 16 == 0 ? 1 : 4 - lo;
		if (n > f.size() - i)
			n = f.size() - i;
		Slot r = { true, rnd(), (uint8_t)lo, (uint8_t)(lo + n - 1), false };
		for (size_t k = 0; k < n; k++) {
			r.data &= ~(0xffu << (8 * (lo + k)));
			r.data |= (uint32_t)f[i + k] << (8 * (lo + k));
		}
		i += n;
		r.last = i == f.size();
		tx_q.push_back(r);
		lo = rnd() % 4 == 0 ? rnd() % 4 : 0;
	}
	tx_frames++;
}

static void tx_inputs()
{
	Slot r = tx_q.empty() ? Slot{} : tx_q.front();

	m->tx_tvalid = r.valid;
	m->tx_tdata = r.data;
	m->tx_tlo = r.lo;
	m->tx_thi = r.hi;
	m->tx_tlast = r.last;
}

static const uint8_t PAUSE_DA[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 };

// a pause frame (op 1) as the MAC makes them
static bool own_pause(const Bytes &b)
{
	return b.size() >= 16 && !memcmp(b.data(), PAUSE_DA, 6) && b[12] == 0x88 &&
	       b[13] == 0x08 && b[14] == 0 && b[15] == 1;
}

// tx_clk's side: the GMII TX outputs after its edge, a frame at tx_en's fall
static void tx_outputs()
{
	if (m->gmii_tx_en) {
		if (!in_line) {
			in_line = true;
			cur_line.clear();
			cur_er = false;
			cur_start = cycle;
		}
		cur_line.push_back(m->gmii_txd);
		cur_er |= m->gmii_tx_er;
		return;
	}
	if (in_line) {
		LineFrame lf;
		lf.pre_ok = cur_line.size() >= 8 &&
			    !memcmp(cur_line.data(), "\x55\x55\x55\x55\x55\x55\x55\xd5", 8);
		lf.b.assign(cur_line.begin() + (cur_line.size() >= 8 ? 8 : 0), cur_line.end());
		lf.er = cur_er;
		lf.gap = idle_run;
		lf.start = cur_start;
		line.push_back(lf);
		if (!own_pause(lf.b))
			line_data++;
		idle_run = 0;
		in_line = false;
	}
	idle_run++;
}

// rx_clk's side: the GMII RX inputs before its edge, the stream after
static void rx_inputs()
{
	if (!rx_line.empty()) {
		int v = rx_line.front();
		m->gmii_rx_dv = v >= 0;
		m->gmii_rxd = v >= 0 ? v : 0;
		m->gmii_rx_er = rx_line_er.front();
		rx_line.pop_front();
		rx_line_er.pop_front();
	} else {
		m->gmii_rx_dv = 0;
		m->gmii_rx_er = 0;
	}
}

static void rx_outputs()
{
	if (m->rx_tvalid) {
		cur_rx.push_back(m->rx_tdata);
		if (m->rx_tlast) {
			rx_out.push_back({ cur_rx, (bool)m->rx_tuser });
			cur_rx.clear();
		}
	}
}

// the line clock's edges (rx_clk and tx_clk) before the next core edge,
// then the core edge (with the line's if they coincide); "cycle" counts
// core clocks.  tx_on_core: tx_clk is the core clock instead (loopback
// then crosses from the transmitter to the receiver at the ratio's rates)
static bool tx_on_core;
static void line_clocks(int v)
{
	m->rx_clk = v;
	if (!tx_on_core)
		m->tx_clk = v;
}

static void tick()
{
	bool both = ck.rx_before_core([] {
		rx_inputs();
		line_clocks(0);
		m->eval();
		line_clocks(1);
		m->eval();
		rx_outputs();
		tx_outputs();
	});

	tx_inputs();
	if (both)
		rx_inputs();
	m->clk = 0;
	if (tx_on_core)
		m->tx_clk = 0;
	if (both)
		line_clocks(0);
	m->eval();
	bool took = m->tx_tvalid && m->tx_tready;
	m->clk = 1;
	if (tx_on_core)
		m->tx_clk = 1;
	if (both)
		line_clocks(1);
	m->eval();
	ck.core_done(both);
	if (both) {
		rx_outputs();
		tx_outputs();
	}
	cycle++;
	if (!tx_q.empty() && (!tx_q.front().valid || took))
		tx_q.pop_front();
	for (int i = 0; i < 44; i++)
		if (m->stat_inc >> i & 1)
			stats[i] += i == 1 ? m->stat_tx_octets : i == 9 ? m->stat_rx_octets : 1;
	// (in loopback the frame leaves through no pin: the bench takes
	// tx_done's word for it)
	if (m->tx_done && ++stats[ST_DONE] > line_data) {
		if (lb_on)
			line_data++;
		else
			diag("tx_done %llu before its frame left the line",
			     (unsigned long long)stats[ST_DONE]);
	}
}

static void run(int n)
{
	while (n--)
		tick();
}

// the receiver's settings cross into rx_clk's domain (fe_cdc_bus) within
// some ten clocks of either side: let them, before a frame that needs them
static void settings()
{
	run(40);
}

// run until TX and RX are quiet
static void settle()
{
	int quiet = 0;
	for (int i = 0; i < 200000 && quiet < 40; i++) {
		tick();
		bool busy = !tx_q.empty() || stats[ST_DONE] < tx_frames || !rx_line.empty() ||
			    m->gmii_tx_en || m->rx_tvalid;
		quiet = busy ? 0 : quiet + 1;
	}
}

static const uint8_t STATION[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static uint64_t mac48(const uint8_t *a)
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v |= (uint64_t)a[i] << (8 * i);
	return v;
}

static Bytes frame(const uint8_t *da, size_t len, uint16_t type = 0x0800)
{
	Bytes f(len);
	for (size_t i = 0; i < len; i++)
		f[i] = rnd();
	memcpy(f.data(), da, 6);
	memcpy(f.data() + 6, STATION, 6);
	if (len >= 14) {
		f[12] = type >> 8;
		f[13] = type;
	}
	return f;
}

static Bytes with_fcs(Bytes f)
{
	uint32_t c = ref_crc32(f.data(), f.size());
	for (int b = 0; b < 4; b++)
		f.push_back(c >> (8 * b));
	return f;
}

// put a frame (with its FCS) on the RX line: preamble, SFD, bytes, 12 idle
static void line_rx(const Bytes &fcs_frame, int er_at = -1)
{
	for (int i = 0; i < 7; i++) {
		rx_line.push_back(0x55);
		rx_line_er.push_back(false);
	}
	rx_line.push_back(0xd5);
	rx_line_er.push_back(false);
	for (size_t i = 0; i < fcs_frame.size(); i++) {
		rx_line.push_back(fcs_frame[i]);
		rx_line_er.push_back((int)i == er_at);
	}
	for (int i = 0; i < 12; i++) {
		rx_line.push_back(-1);
		rx_line_er.push_back(false);
	}
}

static uint64_t snap[NST];
static void snapshot()
{
	memcpy(snap, stats, sizeof(stats));
}

// the counters changed since snapshot() are exactly these (name=delta ...)
static void expect_delta(std::map<std::string, uint64_t> want)
{
	for (int i = 0; i < NST; i++) {
		uint64_t d = stats[i] - snap[i];
		uint64_t w = want.count(st_name[i]) ? want[st_name[i]] : 0;
		if (d != w)
			diag("%s went up by %llu, expected %llu", st_name[i],
			     (unsigned long long)d, (unsigned long long)w);
	}
}

static void reset_mac()
{
	m->rst = 1;
	run(2);
	m->rst = 0;
	m->rx_en = 1;
	m->link_up = 1;
	m->loopback = 0;
	m->promisc = 0;
	m->allmulti = 0;
	m->rx_pause_en = 0;
	m->speed = 2;
	m->station_addr = mac48(STATION);
	m->mc_hash = 0;
	m->max_frame_len = 1518;
	m->pause_quanta = 0xffff;
	m->xoff_req = 0;
	m->xon_req = 0;
	settings();
	tx_frames = stats[ST_DONE];
}

// a line frame is well formed: preamble, FCS of its bytes
static bool line_ok(const LineFrame &lf)
{
	if (!lf.pre_ok || lf.er || lf.b.size() < 4)
		return false;
	size_t n = lf.b.size() - 4;
	uint32_t c = ref_crc32(lf.b.data(), n);
	for (int k = 0; k < 4; k++)
		if (lf.b[n + k] != (uint8_t)(c >> (8 * k)))
			return false;
	return true;
}

// frames of these sizes to da, queued at once: each on the line whole,
// with exactly 12 idle byte times before the next
static bool tx_b2b(const uint8_t *da, const size_t *sizes, size_t n)
{
	std::vector<Bytes> sent;
	bool ok;

	line.clear();
	for (size_t i = 0; i < n; i++) {
		sent.push_back(frame(da, sizes[i]));
		tx_send(sent.back());
	}
	settle();
	ok = line.size() == n;
	if (!ok)
		diag("%zu frames on the line, not %zu", line.size(), n);
	for (size_t i = 0; ok && i < n; i++) {
		size_t want = (sizes[i] < 60 ? 60 : sizes[i]) + 4;
		if (!line_ok(line[i]) || line[i].b.size() != want ||
		    memcmp(line[i].b.data(), sent[i].data(), sizes[i])) {
			diag("frame %zu (%zu bytes) wrong on the line (%zu bytes)", i, sizes[i],
			     line[i].b.size());
			ok = false;
		}
		if (i && line[i].gap != 12) {
			diag("gap before frame %zu is %d byte times, not 12", i, line[i].gap);
			ok = false;
		}
	}
	return ok;
}

static void test_tx()
{
	static const uint8_t peer[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

	// one frame: preamble, SFD, bytes, FCS; counters
	line.clear();
	snapshot();
	Bytes f = frame(peer, 100);
	tx_send(f);
	settle();
	bool ok = line.size() == 1 && line_ok(line[0]) && line[0].b.size() == 104 &&
		  !memcmp(line[0].b.data(), f.data(), 100);
	expect_delta({ { "TX_FRAMES_OK", 1 }, { "TX_OCTETS_OK", 104 }, { "TX_UCAST", 1 },
		       { "TX_HIST1", 1 }, { "tx_done", 1 } });
	check(ok, "tx: a 100-byte frame goes out as 7 x 0x55, 0xd5, its bytes and its FCS; counted (OK, OCTETS 104, UCAST, HIST1); one tx_done after it");

	// short frames are padded with zeros to 60, FCS over the padding
	line.clear();
	snapshot();
	Bytes s = frame(bc, 17);
	tx_send(s);
	settle();
	Bytes padded = s;
	padded.resize(60, 0);
	ok = line.size() == 1 && line_ok(line[0]) && line[0].b.size() == 64 &&
	     !memcmp(line[0].b.data(), padded.data(), 60);
	expect_delta({ { "TX_FRAMES_OK", 1 }, { "TX_OCTETS_OK", 64 }, { "TX_BCAST", 1 },
		       { "TX_HIST0", 1 }, { "tx_done", 1 } });
	check(ok, "tx: a 17-byte broadcast frame is padded with zeros to 60 bytes + FCS; counted (BCAST, HIST0, OCTETS 64)");

	// back-to-back frames keep the 12-byte IFG; sizes 59, 60, 61, 1514
	static const size_t sizes[] = { 59, 60, 61, 1514 };
	snapshot();
	ok = tx_b2b(mc, sizes, 4);
	expect_delta({ { "TX_FRAMES_OK", 4 }, { "TX_OCTETS_OK", 64 + 64 + 65 + 1518 },
		       { "TX_MCAST", 4 }, { "TX_HIST0", 2 }, { "TX_HIST1", 1 },
		       { "TX_HIST5", 1 }, { "tx_done", 4 } });
	check(ok, "tx: 4 back-to-back multicast frames (59, 60, 61, 1514 bytes) with exactly 12 idle byte times between them");

	// a MAC control frame from software counts as control, not OK
	line.clear();
	snapshot();
	Bytes c = frame(PAUSE_DA, 60, 0x8808);
	c[14] = 0;
	c[15] = 2;
	tx_send(c);
	settle();
	expect_delta({ { "TX_MAC_CTRL", 1 }, { "tx_done", 1 } });
	check(line.size() == 1 && line_ok(line[0]),
	      "tx: a MAC control frame (op 2) is sent and counted in TX_MAC_CTRL only");

	// XOFF then XON pause frames
	line.clear();
	snapshot();
	m->pause_quanta = 0x1234;
	m->xoff_req = 1;
	m->xon_req = 1;
	tick();
	m->xoff_req = 0;
	m->xon_req = 0;
	settle();
	ok = line.size() == 2;
	for (size_t i = 0; ok && i < 2; i++) {
		const Bytes &b = line[i].b;
		uint16_t q = i == 0 ? 0x1234 : 0;
		if (!line_ok(line[i]) || b.size() != 64 || memcmp(b.data(), PAUSE_DA, 6) ||
		    memcmp(b.data() + 6, STATION, 6) || b[12] != 0x88 || b[13] != 0x08 ||
		    b[14] != 0 || b[15] != 1 || b[16] != q >> 8 || b[17] != (q & 0xff)) {
			diag("pause frame %zu malformed", i);
			ok = false;
		}
		for (size_t k = 18; ok && k < 60; k++)
			ok = b[k] == 0;
	}
	expect_delta({ { "TX_PAUSE", 2 }, { "TX_MAC_CTRL", 2 } });
	check(ok, "tx: xoff+xon requests send XOFF (quanta 0x1234) then XON (quanta 0) pause frames from the station address; TX_PAUSE 2, TX_MAC_CTRL 2, no tx_done");

	// separate XON and XOFF requests a few clocks apart (inside one
	// handshake of the settings' crossing), the MAC idle or sending a
	// frame: their pause frames go in the order of the requests, so the
	// peer ends as the last request says
	for (int busy = 0; busy < 2; busy++)
		for (int xoff_last = 0; xoff_last < 2; xoff_last++) {
			line.clear();
			if (busy) {
				tx_send(frame(STATION, 1000));
				run(80);
			}
			(xoff_last ? m->xon_req : m->xoff_req) = 1;
			tick();
			m->xoff_req = m->xon_req = 0;
			run(2);
			(xoff_last ? m->xoff_req : m->xon_req) = 1;
			tick();
			m->xoff_req = m->xon_req = 0;
			settle();
			std::vector<int> q;
			for (auto &lf : line)
				if (line_ok(lf) && lf.b.size() == 64 && !memcmp(lf.b.data(), PAUSE_DA, 6))
					q.push_back(lf.b[16] << 8 | lf.b[17]);
			std::vector<int> want = xoff_last ? std::vector<int>{ 0, 0x1234 } :
							    std::vector<int>{ 0x1234, 0 };
			check(q == want && line.size() == 2u + busy,
			      "tx: %s, then %s 3 clocks later%s: pause frames in that order (%zu frames, %zu pause)",
			      xoff_last ? "XON" : "XOFF", xoff_last ? "XOFF" : "XON",
			      busy ? ", a data frame on the line" : "", line.size(), q.size());
		}

	// underrun: the source stops mid-frame for longer than the FIFO
	// holds; the rest of that frame, when it comes, is dropped, and the
	// next frame goes out whole
	line.clear();
	snapshot();
	tx_send(frame(peer, 200), 300);
	Bytes g = frame(peer, 100);
	tx_send(g);
	settle();
	expect_delta({ { "TX_FRAMES_OK", 1 }, { "TX_OCTETS_OK", 104 }, { "TX_UCAST", 1 },
		       { "TX_HIST1", 1 }, { "tx_done", 2 } });
	check(line.size() == 2 && line[0].er && line_ok(line[1]) && line[1].b.size() == 104 &&
	      !memcmp(line[1].b.data(), g.data(), 100),
	      "tx: a source gap mid-frame ends the frame with tx_er, uncounted, with its tx_done; the rest of it is dropped, the next frame goes out whole");

	// gaps of 1 to 8 and 30 to 100 clocks mid-frame: across the FIFO's
	// margin (its 64 bytes; at a slow core fewer), so that some gap ends
	// on the clock of the underrun and the rest arrives as the frame is
	// cut: the frame goes whole or cut, never anything between, one
	// tx_done each, and the next frame whole; the sweep must see both
	int cuts = 0, bad = 0, n = 0;
	for (int gap = 1; gap <= 100; gap = gap == 8 ? 30 : gap + 1) {
		n++;
		line.clear();
		snapshot();
		Bytes a = frame(peer, 200);
		tx_send(a, gap);
		tx_send(g);
		settle();
		uint64_t done = stats[ST_DONE] - snap[ST_DONE];
		uint64_t okf = stats[st_idx("TX_FRAMES_OK")] - snap[st_idx("TX_FRAMES_OK")];
		bool two = line.size() == 2;
		bool cut = two && line[0].er;
		bool whole = two && line_ok(line[0]) && line[0].b.size() == 204 &&
			     !memcmp(line[0].b.data(), a.data(), 200);
		bool next = two && line_ok(line[1]) && line[1].b.size() == 104 &&
			    !memcmp(line[1].b.data(), g.data(), 100);
		if (!(done == 2 && next && (cut ? okf == 1 : whole && okf == 2)) && bad++ < 3)
			diag("gap %d: %zu frames, cut %d, whole %d, next %d, %llu dones, %llu counted", gap,
			     line.size(), cut, whole, next, (unsigned long long)done,
			     (unsigned long long)okf);
		cuts += cut;
	}
	check(bad == 0 && cuts > 0 && cuts < n,
	      "tx: source gaps of 1-8 and 30-100 clocks mid-frame: each frame whole (%d) or cut with tx_er (%d), one tx_done each, the next frame whole",
	      n - cuts, cuts);
}

// the transmit cases with the core at half the line's byte rate: rows a
// clock, no idle clock between frames: they go out back to back
static void test_slow_core()
{
	static const uint8_t mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const size_t sizes[] = { 60, 1514, 61, 100, 1514, 59, 300, 1514 };

	tx_max_gap = 0;
	snapshot();
	bool ok = tx_b2b(mc, sizes, 8);
	expect_delta({ { "TX_FRAMES_OK", 8 },
		       { "TX_OCTETS_OK", 64 + 1518 + 65 + 104 + 1518 + 64 + 304 + 1518 },
		       { "TX_MCAST", 8 }, { "TX_HIST0", 2 }, { "TX_HIST1", 2 },
		       { "TX_HIST3", 1 }, { "TX_HIST5", 3 }, { "tx_done", 8 } });
	check(ok, "tx: 8 frames (60 to 1514 bytes) as rows a core clock go out back to back, 12 idle byte times between them");
	tx_max_gap = 8;
}

static void test_rx()
{
	static const uint8_t other[6] = { 0x02, 0x99, 0x88, 0x77, 0x66, 0x55 };
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t mc1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t near0[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t near5[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x54 };

	// good unicast to the station address
	rx_out.clear();
	snapshot();
	Bytes f = frame(STATION, 300);
	line_rx(with_fcs(f));
	settle();
	bool ok = rx_out.size() == 1 && !rx_out[0].drop && rx_out[0].b == f;
	expect_delta({ { "RX_FRAMES_OK", 1 }, { "RX_OCTETS_OK", 304 }, { "RX_UCAST", 1 },
		       { "RX_HIST3", 1 } });
	check(ok, "rx: a 300-byte frame to the station address comes out without preamble and FCS, kept; counted (OK, OCTETS 304, UCAST, HIST3)");

	// sizes at the limits: 60 (64 with FCS) and MAX_FRAME_LEN are good
	rx_out.clear();
	snapshot();
	Bytes a = frame(STATION, 60), b = frame(STATION, 1518);
	line_rx(with_fcs(a));
	line_rx(with_fcs(b));
	settle();
	ok = rx_out.size() == 2 && !rx_out[0].drop && rx_out[0].b == a && !rx_out[1].drop &&
	     rx_out[1].b == b;
	expect_delta({ { "RX_FRAMES_OK", 2 }, { "RX_OCTETS_OK", 64 + 1522 }, { "RX_UCAST", 2 },
		       { "RX_HIST0", 1 }, { "RX_HIST6", 1 } });
	check(ok, "rx: 64 bytes and MAX_FRAME_LEN (1518) + FCS are accepted");

	struct errcase {
		const char *what;
		size_t len;
		bool bad_fcs;
		int er_at;
		const char *counter;
	} errs[] = {
		{ "bad FCS, 100 bytes", 100, true, -1, "RX_FCS_ERR" },
		{ "rx_er in the frame", 100, false, 50, "RX_FCS_ERR" },
		{ "59 bytes, good FCS", 59, false, -1, "RX_UNDERSIZE" },
		{ "40 bytes, bad FCS", 40, true, -1, "RX_FRAGMENTS" },
		{ "MAX_FRAME_LEN + 1, good FCS", 1519, false, -1, "RX_TOO_LONG" },
		{ "MAX_FRAME_LEN + 1, bad FCS", 1519, true, -1, "RX_JABBERS" },
	};
	for (auto &e : errs) {
		rx_out.clear();
		snapshot();
		Bytes x = with_fcs(frame(STATION, e.len));
		if (e.bad_fcs)
			x[x.size() - 1] ^= 0x80;
		line_rx(x, e.er_at);
		settle();
		expect_delta({ { e.counter, 1 } });
		check(rx_out.size() == 1 && rx_out[0].drop,
		      "rx: %s is dropped and counted in %s only", e.what, e.counter);
	}

	// address filter
	struct fcase {
		const char *what;
		const uint8_t *da;
		int promisc, allmulti, hashbit;
		bool pass;
		const char *counter;
	} fc[] = {
		{ "another unicast address", other, 0, 0, 0, false, "RX_FILTERED" },
		{ "the station address but byte 0", near0, 0, 0, 0, false, "RX_FILTERED" },
		{ "the station address but byte 5", near5, 0, 0, 0, false, "RX_FILTERED" },
		{ "another unicast address, PROMISC", other, 1, 0, 0, true, "RX_UCAST" },
		{ "broadcast", bc, 0, 0, 0, true, "RX_BCAST" },
		{ "multicast, hash bit clear", mc1, 0, 0, 0, false, "RX_FILTERED" },
		{ "multicast, its hash bit set", mc1, 0, 0, 1, true, "RX_MCAST" },
		{ "multicast, all other hash bits set", mc1, 0, 0, 2, false, "RX_FILTERED" },
		{ "multicast, ALLMULTI", mc1, 0, 1, 0, true, "RX_MCAST" },
	};
	int idx = ref_mc_crc(mc1) >> 26;
	for (auto &c : fc) {
		rx_out.clear();
		snapshot();
		m->promisc = c.promisc;
		m->allmulti = c.allmulti;
		m->mc_hash = c.hashbit == 1 ? 1ULL << idx : c.hashbit == 2 ? ~(1ULL << idx) : 0;
		settings();
		Bytes x = frame(c.da, 100);
		line_rx(with_fcs(x));
		settle();
		if (c.pass)
			expect_delta({ { "RX_FRAMES_OK", 1 }, { "RX_OCTETS_OK", 104 },
				       { c.counter, 1 }, { "RX_HIST1", 1 } });
		else
			expect_delta({ { c.counter, 1 } });
		check(rx_out.size() == 1 && rx_out[0].drop == !c.pass && (!c.pass || rx_out[0].b == x),
		      "rx filter: %s is %s (%s)", c.what, c.pass ? "accepted" : "dropped", c.counter);
	}
	m->promisc = 0;
	m->allmulti = 0;
	m->mc_hash = 0;

	// every multicast hash index: a frame passes with its bit (ether_crc >> 26)
	int bad = 0;
	for (int i = 0; i < 24; i++) {
		uint8_t da[6];
		for (auto &x : da)
			x = rnd();
		da[0] |= 1;
		if (!memcmp(da, bc, 6))
			continue;
		int k = ref_mc_crc(da) >> 26;
		rx_out.clear();
		m->mc_hash = 1ULL << k;
		settings();
		line_rx(with_fcs(frame(da, 64)));
		settle();
		if (rx_out.size() != 1 || rx_out[0].drop) {
			diag("%02x:%02x:%02x:%02x:%02x:%02x with bit %d set: dropped", da[0], da[1],
			     da[2], da[3], da[4], da[5], k);
			bad++;
		}
	}
	m->mc_hash = 0;
	check(!bad, "rx filter: 24 random multicast addresses pass with only bit ether_crc(6, addr) >> 26 set");

	// MAC control frames: consumed
	rx_out.clear();
	snapshot();
	Bytes p = frame(PAUSE_DA, 60, 0x8808);
	p[14] = 0;
	p[15] = 1;
	p[16] = 0;
	p[17] = 0;
	Bytes u = p;
	u[15] = 3;
	line_rx(with_fcs(p));
	line_rx(with_fcs(u));
	settle();
	expect_delta({ { "RX_PAUSE", 1 }, { "RX_MAC_CTRL", 2 }, { "RX_UNSUP_OPCODE", 1 } });
	check(rx_out.size() == 2 && rx_out[0].drop && rx_out[1].drop,
	      "rx: a pause frame and an op-3 control frame are consumed (RX_PAUSE 1, RX_MAC_CTRL 2, RX_UNSUP_OPCODE 1)");

	// 802.3 length field
	rx_out.clear();
	snapshot();
	Bytes l1 = frame(STATION, 60, 20);     // 46-byte payload carrying 20: padding, fine
	Bytes l2 = frame(STATION, 114, 100);   // payload 100: fine
	Bytes l3 = frame(STATION, 114, 90);    // payload 100 says 90: length error
	line_rx(with_fcs(l1));
	line_rx(with_fcs(l2));
	line_rx(with_fcs(l3));
	settle();
	expect_delta({ { "RX_FRAMES_OK", 3 }, { "RX_OCTETS_OK", 64 + 118 + 118 }, { "RX_UCAST", 3 },
		       { "RX_HIST0", 1 }, { "RX_HIST1", 2 }, { "RX_LEN_ERR", 1 } });
	check(rx_out.size() == 3 && !rx_out[2].drop,
	      "rx: a length field disagreeing with the payload counts RX_LEN_ERR and is delivered; padding is no error");

	// RX_EN 0, link down: ignored, not counted
	rx_out.clear();
	snapshot();
	m->rx_en = 0;
	settings();
	line_rx(with_fcs(frame(STATION, 100)));
	settle();
	m->rx_en = 1;
	m->link_up = 0;
	settings();
	line_rx(with_fcs(frame(STATION, 100)));
	settle();
	m->link_up = 1;
	settings();
	expect_delta({});
	check(rx_out.empty(), "rx: frames are ignored and not counted while RX_EN is 0 or the link is down");

	// received pause holds the transmitter for quanta x 64 byte times
	m->rx_pause_en = 1;
	settings();
	line.clear();
	Bytes pz = p;
	pz[16] = 0;
	pz[17] = 10;   // 10 quanta = 640 cycles at 1 Gb/s
	// the reaction: a frame handed over k clocks after the pause frame's
	// last byte is held from the first k on (the FCS check, the record
	// into clk's domain, the pause timer, the settings' crossing into
	// tx_clk's); 802.3 lets a MAC finish a frame it began before
	int react = -1;
	uint64_t t0 = 0, waited = 0;
	for (int k = 0; k <= 64 && react < 0; k += 2) {
		line.clear();
		line_rx(with_fcs(pz));
		while (!rx_line.empty())
			tick();
		t0 = cycle;
		run(k);
		tx_send(frame(other, 60));
		settle();
		waited = line.size() == 1 ? line[0].start - t0 : 0;
		if (waited > 400)
			react = k;
	}
	check(react >= 0 && waited >= 600 && waited <= 700,
	      "pause: a received pause of 10 quanta with RX_PAUSE_EN holds a frame handed over %d clocks or more after it ~640 byte times (waited %llu from its end)",
	      react, (unsigned long long)waited);
	line.clear();
	pz[17] = 0xff;
	line_rx(with_fcs(pz));
	pz[16] = 0;
	pz[17] = 0;
	line_rx(with_fcs(pz));
	while (!rx_line.empty())
		tick();
	t0 = cycle;
	tx_send(frame(other, 60));
	settle();
	waited = line.size() == 1 ? line[0].start - t0 : 0;
	check(line.size() == 1 && waited < 20,
	      "pause: a pause of quanta 0 ends the hold at once (waited %llu)", (unsigned long long)waited);
	m->rx_pause_en = 0;
	settings();
	line.clear();
	pz[17] = 0xff;
	line_rx(with_fcs(pz));
	while (!rx_line.empty())
		tick();
	t0 = cycle;
	tx_send(frame(other, 60));
	settle();
	waited = line.size() == 1 ? line[0].start - t0 : 0;
	check(line.size() == 1 && waited < 20,
	      "pause: without RX_PAUSE_EN a pause frame holds nothing (waited %llu)", (unsigned long long)waited);
}

static void test_loopback()
{
	line.clear();
	rx_out.clear();
	snapshot();
	m->loopback = 1;
	m->link_up = 0;
	settings();
	Bytes f = frame(STATION, 200);
	lb_on = true;
	tx_send(f);
	line_rx(with_fcs(frame(STATION, 100)));   // from the line: ignored
	settle();
	lb_on = false;
	m->loopback = 0;
	m->link_up = 1;
	settings();
	expect_delta({ { "TX_FRAMES_OK", 1 }, { "TX_OCTETS_OK", 204 }, { "TX_UCAST", 1 },
		       { "TX_HIST2", 1 }, { "RX_FRAMES_OK", 1 }, { "RX_OCTETS_OK", 204 },
		       { "RX_UCAST", 1 }, { "RX_HIST2", 1 }, { "tx_done", 1 } });
	check(line.empty() && rx_out.size() == 1 && !rx_out[0].drop && rx_out[0].b == f,
	      "loopback%s: a sent frame is received (link down), nothing goes to the line, the line is ignored",
	      tx_on_core ? " (tx_clk the core clock)" : "");
}

// rx_clk stops in the middle of a frame (the PHY lost its link and its
// clock): when it comes back with the line idle, the cut frame ends as an
// FCS error, dropped; when the MAC is reset while it is stopped, nothing of
// the cut frame comes out, nothing is counted, and the next frame passes
static void test_rx_clk_stop()
{
	for (int reset = 0; reset < 2; reset++) {
		rx_out.clear();
		snapshot();
		line_rx(with_fcs(frame(STATION, 300)));
		run(150);
		ck.r_stopped = true;
		run(100);
		rx_line.clear();   // the rest never arrives
		rx_line_er.clear();
		if (reset) {
			m->rst = 1;
			run(2);
			m->rst = 0;
			cur_rx.clear();   // (a reset drops the FIFO's partial frame)
			rx_out.clear();
			run(20);
		}
		ck.r_stopped = false;
		settings();
		bool cut_ok = reset ? rx_out.empty() : rx_out.size() == 1 && rx_out[0].drop;
		Bytes g = frame(STATION, 100);
		line_rx(with_fcs(g));
		settle();
		bool next_ok = rx_out.size() == (reset ? 1u : 2u) && !rx_out.back().drop &&
			       rx_out.back().b == g;
		if (reset)
			expect_delta({ { "RX_FRAMES_OK", 1 }, { "RX_OCTETS_OK", 104 },
				       { "RX_UCAST", 1 }, { "RX_HIST1", 1 } });
		else
			expect_delta({ { "RX_FCS_ERR", 1 }, { "RX_FRAMES_OK", 1 },
				       { "RX_OCTETS_OK", 104 }, { "RX_UCAST", 1 },
				       { "RX_HIST1", 1 } });
		check(cut_ok && next_ok, reset ?
		    "rx_clk stops mid-frame and the MAC is reset meanwhile: nothing of the cut frame comes out or counts; the next frame is received" :
		    "rx_clk stops mid-frame, resumes with the line idle: the cut frame is dropped (RX_FCS_ERR), the next one received");
	}
}

// a ratio's cases start from a reset MAC and nothing in flight
static void start_ratio()
{
	tx_q.clear();
	rx_line.clear();
	rx_line_er.clear();
	reset_mac();
	line.clear();
	rx_out.clear();
	cur_rx.clear();
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	m = new Vfe_mac;
	m->time_en = 1;
	m->tx_ce = 1;
	m->rx_ce = 1;
	rnd_state = 0xfe11;
	for_each_ratio(ck, clock_ratios, n_clock_ratios, [](const ClockRatio &k) {
		start_ratio();
		test_tx();
		test_rx();
		test_loopback();
		tx_on_core = true;
		start_ratio();
		test_loopback();
		tx_on_core = false;
		start_ratio();
		if (&k == &clock_ratios[n_clock_ratios - 1])
			test_rx_clk_stop();
	});
	// the core at half the line's byte rate (not in clocks.h: tb_dma's
	// are its last two)
	static const ClockRatio slow = { "core 62.5 MHz, line 125 MHz", 16000000, 8000000,
					 2300000 };
	for_each_ratio(ck, &slow, 1, [](const ClockRatio &) {
		start_ratio();
		test_tx();
		test_slow_core();
	});
	delete m;
	return ktap_exit();
}
