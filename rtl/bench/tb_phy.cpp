// SPDX-License-Identifier: GPL-2.0
// Unit bench of the PHY adapters: fe_rgmii (RGMII, 10/100/1000 Mb/s, DDR)
// and fe_mii (MII, 10/100 Mb/s), each in front of an fe_mac (bench/tb_phy.v).
// The bench is the PHY: it samples TXD/TX_CTL at TXC's edges (a PHY with
// its TX delay: the value after the edge) or MII TXD at TX_CLK's rising
// edges, and drives RXD/RX_CTL per RXC edge (center aligned) or MII RXD per
// RX_CLK.  At each speed, with the line's clocks in phase, 100 ppm fast and
// 100 ppm slow (MII TX_CLK the other way): frames both ways byte for byte
// (the nibble order: a byte's bits 3:0 first), RX_CTL's encoding (RX_DV
// at the rising edge, RX_DV xor RX_ER at the falling: an error on the
// falling edge alone drops the frame; DV 0 with ER 1 between frames is not
// a frame), a lost preamble nibble at 10/100, TXC's period and duty, the
// in-band status.  clk is 125 MHz (RGMII's TXC comes from it).
#include <verilated.h>
#include "Vtb_phy.h"
#include "bench.h"
#include "clocks.h"
#include <cstring>
#include <deque>
#include <vector>

static Vtb_phy *t;
static TwoClocks ck;
static bool rgmii;          // the side under test: RGMII, else MII
static int speed;           // MAC_CFG.SPEED: 0 10, 1 100, 2 1000
static uint64_t per_tx = 40000000, tx_phase;   // MII TX_CLK (fs)
static uint64_t halves;     // half core clocks

// ---------------------------------------------------------------- TX side
static std::deque<Bytes> tx_q;
static size_t tx_pos;

// the PHY's TX side (bench/phy_line.h): the frames on the wire
static LineTx ltx;

// RGMII TX pins, sampled once per half clock
static std::vector<uint64_t> txc_rise, txc_fall;   // in halves

static void rgmii_sample()
{
	int e = ltx.rgmii(t->rgmii_txc, t->rgmii_txd, t->rgmii_tx_ctl, speed >= 2);
	if (e > 0)
		txc_rise.push_back(halves);
	else if (e < 0)
		txc_fall.push_back(halves);
	halves++;
}

static bool mii_tx_level(uint64_t tm)
{
	return (tm + tx_phase) % per_tx < per_tx / 2;
}

// ---------------------------------------------------------------- RX side
// one receive clock's worth (bench/phy_line.h)
typedef LineSym Sym;
static std::deque<Sym> rx_line;
static uint8_t ib_nibble;   // RGMII in-band status between frames

struct RxFrame {
	Bytes b;
	bool drop;
};
static std::vector<RxFrame> rx_out;
static Bytes cur_rx;

static Sym idle_sym()
{
	return rgmii ? Sym{ ib_nibble, ib_nibble, false, false } : Sym{ 0, 0, false, false };
}

static void rx_set(const Sym &s, bool fall)
{
	if (rgmii) {
		t->rgmii_rxd = fall ? s.d_f : s.d_r;
		t->rgmii_rx_ctl = fall ? s.c_f : s.c_r;
		t->mii_rx_dv = 0;
		t->mii_rx_er = 0;
	} else {
		t->mii_rxd = s.d_r;
		t->mii_rx_dv = s.c_r;
		t->mii_rx_er = s.c_f;
		t->rgmii_rx_ctl = 0;
	}
}

static Sym cur_sym;
static void rx_next()
{
	if (rx_line.empty()) {
		cur_sym = idle_sym();
	} else {
		cur_sym = rx_line.front();
		rx_line.pop_front();
	}
}

// fe_rgmii's decoded GMII (RGMII only): bytes with DV and ER, and with
// ER alone (false carrier: RXD 0x0e at 1000 Mb/s)
static int dv_er_bytes, fc_bytes, fc_bad;

static void rx_capture()
{
	if (rgmii && t->r_gmii_rx_ce && t->r_gmii_rx_er) {
		if (t->r_gmii_rx_dv) {
			dv_er_bytes++;
		} else {
			fc_bytes++;
			fc_bad += t->r_gmii_rxd != 0x0e;
		}
	}
	bool v = rgmii ? t->r_rx_tvalid : t->m_rx_tvalid;
	if (!v)
		return;
	cur_rx.push_back(rgmii ? t->r_rx_tdata : t->m_rx_tdata);
	if (rgmii ? t->r_rx_tlast : t->m_rx_tlast) {
		rx_out.push_back({ cur_rx, (bool)(rgmii ? t->r_rx_tuser : t->m_rx_tuser) });
		cur_rx.clear();
	}
}

// one RXC period: rising edge, then falling edge
static void rx_edge()
{
	rx_next();
	rx_set(cur_sym, false);
	t->rx_clk = 1;
	t->eval();
	rx_capture();
	rx_set(cur_sym, true);
	t->rx_clk = 0;
	t->eval();
}

// ---------------------------------------------------------------- clock
static uint64_t cyc;

static void tx_inputs()
{
	// a byte a row, in lane tx_pos % 4
	bool v = !tx_q.empty();
	uint32_t d = v ? tx_q.front()[tx_pos] : 0;
	bool l = v && tx_pos + 1 == tx_q.front().size();
	uint8_t lane = tx_pos % 4;
	t->r_tx_tvalid = rgmii && v;
	t->r_tx_tdata = d << (8 * lane);
	t->r_tx_tlo = t->r_tx_thi = lane;
	t->r_tx_tlast = l;
	t->m_tx_tvalid = !rgmii && v;
	t->m_tx_tdata = d << (8 * lane);
	t->m_tx_tlo = t->m_tx_thi = lane;
	t->m_tx_tlast = l;
}

static void tick()
{
	bool both = ck.rx_before_core(rx_edge);
	// MII TX_CLK: the PHY samples TXD at each rising edge since the last
	// core edge (the outputs hold between core edges), then the level now
	uint64_t now = ck.t_c, prev = now - ck.per_c;
	if (!rgmii && (now + tx_phase) / per_tx != (prev + tx_phase) / per_tx)
		ltx.nibble(t->mii_txd, t->mii_tx_en, t->mii_tx_er);
	t->mii_tx_clk = mii_tx_level(now);

	tx_inputs();
	bool took = (rgmii ? t->r_tx_tvalid && t->r_tx_tready : t->m_tx_tvalid && t->m_tx_tready);
	if (both) {
		rx_next();
		rx_set(cur_sym, false);
		t->rx_clk = 1;
	}
	t->clk = 1;
	t->eval();
	if (both)
		rx_capture();
	if (rgmii)
		rgmii_sample();
	if (both) {
		rx_set(cur_sym, true);
		t->rx_clk = 0;
	}
	t->clk = 0;
	t->eval();
	if (rgmii)
		rgmii_sample();
	ck.core_done(both);
	cyc++;
	if (took && ++tx_pos == tx_q.front().size()) {
		tx_q.pop_front();
		tx_pos = 0;
	}
}

static void run(uint64_t n)
{
	while (n--)
		tick();
}

static uint64_t byte_clocks()
{
	return speed >= 2 ? 1 : speed == 1 ? 10 : 100;
}

// until TX and RX are quiet for 40 byte times
static void settle()
{
	uint64_t quiet = 0, bt = byte_clocks();
	for (uint64_t i = 0; i < 4000000 && quiet < 40 * bt + 200; i++) {
		tick();
		bool busy = !tx_q.empty() || !rx_line.empty() || ltx.in ||
			    (rgmii ? t->r_rx_tvalid : t->m_rx_tvalid);
		quiet = busy ? 0 : quiet + 1;
	}
}

// ---------------------------------------------------------------- frames
static Bytes frame(size_t len)
{
	Bytes f(len);
	for (auto &b : f)
		b = rnd();
	static const uint8_t da[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	memcpy(f.data(), da, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	return f;
}

// put a frame on the RX line: er_at marks byte er_at of the frame (after
// the SFD); lose_nibble drops the preamble's first nibble (10/100)
static void line_rx(const Bytes &f, int er_at = -1, bool lose_nibble = false)
{
	line_symbols(rx_line, on_wire(f), rgmii, speed, idle_sym(), er_at >= 0 ? er_at + 8 : -1,
		     lose_nibble);
}

// false carrier: DV 0, ER 1, RXD 0x0e (RGMII: RX_CTL 0 then 1; at 1000
// bits 3:0 at the rising edge, 7:4 at the falling; at 10/100 one nibble)
static void line_false_carrier()
{
	for (int i = 0; i < 8; i++)
		rx_line.push_back(Sym{ 0xe, (uint8_t)(rgmii && speed >= 2 ? 0x0 : 0xe), false, true });
	for (int i = 0; i < 24; i++)
		rx_line.push_back(idle_sym());
}

// ---------------------------------------------------------------- cases
static const char *speed_name()
{
	return speed >= 2 ? "1000" : speed == 1 ? "100" : "10";
}

static void reset_all()
{
	tx_q.clear();
	tx_pos = 0;
	rx_line.clear();
	t->speed = speed;
	t->rst = 1;
	run(20 * byte_clocks());
	t->rst = 0;
	run(40 * byte_clocks());
	settle();
	ltx.reset();
	rx_out.clear();
	cur_rx.clear();
	txc_rise.clear();
	txc_fall.clear();
}

static void test_tx()
{
	Bytes f[3] = { frame(42), frame(333), frame(1514) };
	for (auto &x : f)
		tx_q.push_back(x);
	settle();
	bool ok = ltx.frames.size() == 3;
	for (size_t i = 0; ok && i < 3; i++) {
		if (ltx.frames[i].b != on_wire(f[i])) {
			diag("frame %zu: %zu bytes on the wire, %zu expected; first bytes %02x %02x ... %02x",
			     i, ltx.frames[i].b.size(), on_wire(f[i]).size(), ltx.frames[i].b.size() ? ltx.frames[i].b[0] : 0,
			     ltx.frames[i].b.size() > 1 ? ltx.frames[i].b[1] : 0,
			     ltx.frames[i].b.size() > 9 ? ltx.frames[i].b[9] : 0);
			ok = false;
		}
		if (ltx.frames[i].er) {
			diag("frame %zu: TX_ER seen", i);
			ok = false;
		}
		if (!ltx.frames[i].both_edges_same) {
			diag("frame %zu: 10/100 TXD differs between TXC's edges", i);
			ok = false;
		}
	}
	if (ltx.frames.size() != 3)
		diag("%zu frames on the wire, 3 expected", ltx.frames.size());
	check(ok, "tx %s Mb/s: 42 (padded), 333 and 1514 bytes on the wire byte for byte: preamble, SFD, low nibble first, FCS, no TX_ER",
	      speed_name());
}

static void test_txc()
{
	// TXC rising edges every 2 / 10 / 100 half clocks (125 / 25 / 2.5 MHz), high half the period
	uint64_t want = 2 * byte_clocks() / (speed >= 2 ? 1 : 2);
	bool ok = txc_rise.size() > 100;
	size_t bad = 0;
	for (size_t i = 1; i < txc_rise.size(); i++)
		if (txc_rise[i] - txc_rise[i - 1] != want)
			bad++;
	size_t badh = 0;
	for (size_t i = 0, j = 0; i < txc_rise.size(); i++) {
		while (j < txc_fall.size() && txc_fall[j] <= txc_rise[i])
			j++;
		if (j < txc_fall.size() && txc_fall[j] - txc_rise[i] != want / 2)
			badh++;
	}
	if (bad || badh)
		diag("%zu periods and %zu high times off of %zu rising edges (period %lu half clocks wanted)",
		     bad, badh, txc_rise.size(), (unsigned long)want);
	check(ok && !bad && !badh, "txc %s Mb/s: TXC at %s MHz, 50 %% duty, running between frames too",
	      speed_name(), speed >= 2 ? "125" : speed == 1 ? "25" : "2.5");
}

static void test_rx()
{
	Bytes f[3] = { frame(60), frame(333), frame(1514) };
	for (auto &x : f)
		line_rx(x);
	settle();
	bool ok = rx_out.size() == 3;
	for (size_t i = 0; ok && i < 3; i++)
		if (rx_out[i].drop || rx_out[i].b != f[i]) {
			diag("frame %zu: %zu bytes, drop %d", i, rx_out[i].b.size(), rx_out[i].drop);
			ok = false;
		}
	if (rx_out.size() != 3)
		diag("%zu frames out, 3 expected", rx_out.size());
	check(ok, "rx %s Mb/s: 60, 333 and 1514 bytes received byte for byte, kept", speed_name());
	rx_out.clear();

	// an error on one byte (RGMII: RX_CTL low at the falling edge only)
	Bytes e = frame(100), g = frame(64);
	dv_er_bytes = fc_bytes = fc_bad = 0;
	line_rx(e, 50);
	line_rx(g);
	settle();
	ok = rx_out.size() == 2 && rx_out[0].drop && !rx_out[1].drop && rx_out[1].b == g;
	if (!ok)
		diag("%zu frames out (first drop %d)", rx_out.size(), rx_out.size() ? rx_out[0].drop : -1);
	if (rgmii && (dv_er_bytes != 1 || fc_bytes)) {
		diag("decoded: %d bytes with RX_DV and RX_ER (1 expected), %d with RX_ER alone (0)",
		     dv_er_bytes, fc_bytes);
		ok = false;
	}
	check(ok, rgmii ? "rx %s Mb/s: RX_CTL 1 then 0 on one byte (DV, ER) drops the frame; the next is kept" :
			  "rx %s Mb/s: RX_ER on one byte drops the frame; the next is kept",
	      speed_name());
	rx_out.clear();

	// DV 0, ER 1 between frames (false carrier) is no frame
	dv_er_bytes = fc_bytes = fc_bad = 0;
	line_false_carrier();
	line_rx(g);
	settle();
	ok = rx_out.size() == 1 && !rx_out[0].drop && rx_out[0].b == g;
	// at 1000 the adapter hands it on as GMII does (DV 0, ER 1, 0x0e);
	// at 10/100 it is dropped with the idle nibbles
	if (rgmii && speed >= 2 && (fc_bytes != 8 || fc_bad || dv_er_bytes)) {
		diag("decoded: %d bytes with RX_ER alone (8 expected, %d not 0x0e), %d with RX_DV and RX_ER (0)",
		     fc_bytes, fc_bad, dv_er_bytes);
		ok = false;
	}
	check(ok, rgmii ? "rx %s Mb/s: RX_CTL 0 then 1 between frames (false carrier) is no frame" :
			  "rx %s Mb/s: RX_ER without RX_DV (false carrier) is no frame",
	      speed_name());
	rx_out.clear();

	if (speed < 2) {
		line_rx(g, -1, true);
		settle();
		ok = rx_out.size() == 1 && !rx_out[0].drop && rx_out[0].b == g;
		check(ok, "rx %s Mb/s: a preamble one nibble short (a PHY lost one) is aligned on the SFD",
		      speed_name());
		rx_out.clear();
	}
	if (rgmii) {
		bool st = t->ib_link == 1 && t->ib_speed == speed && t->ib_duplex == 1;
		check(st, "rx %s Mb/s: in-band status between frames read (link %d speed %d duplex %d)",
		      speed_name(), t->ib_link, t->ib_speed, t->ib_duplex);
	}
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	t = new Vtb_phy;
	rnd_state = 0x52474d49;
	for (int side = 0; side < 2; side++) {
		rgmii = side == 0;
		for (int s = rgmii ? 2 : 1; s >= 0; s--) {
			speed = s;
			uint64_t pr = 8000000 * (s == 2 ? 1 : s == 1 ? 5 : 50);
			ib_nibble = 1 | s << 1 | 8;
			char n[3][80];
			const char *which = rgmii ? "RGMII, RXC" : "MII, RX_CLK";
			snprintf(n[0], sizeof(n[0]), "%s in phase with clk", which);
			snprintf(n[1], sizeof(n[1]), "%s 100 ppm fast%s", which, rgmii ? "" : ", TX_CLK slow");
			snprintf(n[2], sizeof(n[2]), "%s 100 ppm slow%s", which, rgmii ? "" : ", TX_CLK fast");
			ClockRatio ks[3] = {
				{ n[0], 8000000, pr, 0 },
				{ n[1], 8000000, pr - pr / 10000, 3100000 },
				{ n[2], 8000000, pr + pr / 10000, 5300000 },
			};
			for_each_ratio(ck, ks, 3, [&](const ClockRatio &k) {
				per_tx = &k == &ks[1] ? pr + pr / 10000 : &k == &ks[2] ? pr - pr / 10000 : pr;
				tx_phase = 1300000 * (&k - ks);
				reset_all();
				test_tx();
				if (rgmii && &k == &ks[0])
					test_txc();
				test_rx();
			});
		}
	}
	delete t;
	return ktap_exit();
}
