// SPDX-License-Identifier: GPL-2.0
// fe_cosim: the Verilated fe_core behind a unix socket, for QEMU's fpgaeth
// device with cosim=PATH (tools/qemu/fpgaeth-cosim.c; the messages are in
// tools/qemu/fpgaeth-cosim.h).
//
//   fe_cosim SOCKET
//
// fe_cosim --props prints the QEMU device properties that describe this
// build (from its CAP registers), for -device fpgaeth,cosim=SOCKET,PROPS.
// Listens on SOCKET; each connection is one session on a freshly reset IP
// (QEMU's dumpdtb run connects and goes, then the real one comes).  The
// RTL clock only moves inside a command.  Time: every command carries the
// clocks of virtual time that passed since the last one (c); the shim runs
// them first with fe_core's time_en high (the IP's timers count only
// those clocks; a counting timer or a still moving IP runs them, an idle
// IP skips them: nothing in it changes with time).  Then the command, with
// time_en low: RUN's clocks, the clocks an AXI4-Lite access takes, and
// after every command the IP runs on until it has been quiet for QUIET
// clocks (at most MAX_RUN): fe_core not active (the TX engine has no frame
// it can send, no DMA access or MDIO command: in MAC loopback a frame
// moves no pin), no AXI request or burst open, the line's TX and RX idle,
// no frame waiting for the wire, MDC still, no link drop running, the
// interrupt lines and timer_busy unchanged.  So a doorbell write returns
// with the frame sent and its interrupt raised, a received frame's
// command with the frame stored, and none of it is time.  DONE says whether a timer of the IP
// counts (fe_core's timer_busy: coalescing, pause, SOFT_RESET) and in how
// many clocks of time the first expires (timer_due, d); QEMU sends ADVANCE
// at that instant of the virtual clock.
// Around fe_core: the AXI4 DMA master's bursts become DMA_RD/DMA_WR (a
// write burst goes out at its last beat and its response carries QEMU's
// answer), the line's TX frames become TX messages (preamble, SFD and FCS
// removed; a bad FCS or TX_ER drops the frame), RX frames are driven into
// the line with preamble, SFD, padding to 60 and FCS, 12 idle byte times
// apart, and a clause-22 PHY (bench/phy_model.h, with the QEMU model's
// register values) sits on MDIO; its link's speed is the line's.  The line
// is fe_core's GMII (PHY_IF 0, FE_PHY_IF: 1000 Mb/s) or its RGMII (PHY_IF 1:
// 10/100/1000 Mb/s, DDR nibbles, RXC at 125, 25 or 2.5 MHz, RX_CTL, TXC;
// bench/phy_line.h).  Clocks: the line's clock (tx_clk, and GMII RX_CLK or
// RGMII's 125 MHz RXC) has a period of LINE_NS, clk one of FE_CLK_NS
// (default 16: the 62.5 MHz core the IP needs at least for full-size
// frames back to back at 1 Gb/s against the line's 125 MHz), its edges half
// a ns off clk's so that no edge of one meets one of the other: every
// crossing runs at that ratio under the driver (at 16 ns in a fixed phase,
// each line edge half a ns after one of clk's; 10, 12 and 14 ns move the
// offset round a cycle).  FE_CLK_NS 8 is one clock for the three domains
// (in phase, as before session 24).  Only the ratio
// is real: a frame takes no virtual time, and the IP's timers count clk's
// clocks at CLK_MHZ (see "Time" above).
// FE_COSIM_TRACE set: each command on stderr.
#include "Vfe_core.h"
#include "verilated.h"
#include "fpgaeth-cosim.h"
#include "phy_model.h"
#include "phy_line.h"
#include "axi_edge.h"
#include "cosim_sock.h"
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

#ifndef FE_NUM_QP
#define FE_NUM_QP 4
#endif
#ifndef FE_CLK_MHZ
#define FE_CLK_MHZ 125
#endif
// fe_core's PHY_IF: 0 GMII (1000 Mb/s), 1 RGMII (10/100/1000)
#ifndef FE_PHY_IF
#define FE_PHY_IF 0
#endif
// clk's period against the line's, in ns (even: a half period is whole)
#ifndef FE_CLK_NS
#define FE_CLK_NS 16
#endif
static const unsigned LINE_NS = 8;
static_assert(FE_CLK_NS % 2 == 0 && FE_CLK_NS <= 2 * LINE_NS,
	      "clk: an even period, at least half the line's clock");
static const bool rgmii = FE_PHY_IF == 1;

static int fd = -1;
static Vfe_core *c;
static PhyModel phy;
static uint64_t clocks;
static bool link_up = true;   // the wire (QEMU's LINK)
static const int QUIET = 256;
static const uint64_t MAX_RUN = 2000000;

// ---------------------------------------------------------------- socket --
struct Eof : std::runtime_error {
	Eof() : std::runtime_error("peer gone") {}
};

static void xfer(bool out, void *p, size_t n)
{
	if (!cosim_xfer(fd, out, p, n))
		throw Eof();
}

static void send_msg(uint32_t type, uint64_t a = 0, uint64_t b = 0,
		     const uint8_t *data = nullptr, size_t len = 0, uint64_t cc = 0,
		     uint64_t dd = 0)
{
	FeCosimMsg m = {type, (uint32_t)len, a, b, cc, dd};
	xfer(true, &m, sizeof(m));
	if (len)
		xfer(true, (void *)data, len);
}

static FeCosimMsg recv_msg(Bytes &data)
{
	FeCosimMsg m;
	xfer(false, &m, sizeof(m));
	if (m.len > FE_COSIM_MAX_DATA)
		throw std::runtime_error("oversized message");
	data.resize(m.len);
	if (m.len)
		xfer(false, data.data(), m.len);
	return m;
}

// a reply QEMU sends within a command
static FeCosimMsg expect(uint32_t type, Bytes &data)
{
	FeCosimMsg m = recv_msg(data);
	if (m.type != type)
		throw std::runtime_error("unexpected message " + std::to_string(m.type));
	return m;
}

// ------------------------------------------------------------------- PHY --
// The QEMU model's PHY (tools/qemu/fpgaeth-phy.c): 1000BASE-T, ID
// 0x4650 0x0001, a link partner advertising 10/100/1000 full and half
// duplex, link from the wire.  A BMCR write that restarts autonegotiation
// or changes its enable, the speed or the duplex drops the link for
// LINK_DROP clocks (phy_link low: the RTL sets MISC_IRQ_STATUS.LINK, as the
// QEMU model does) and BMSR's link status reads 0 once (latched low); the
// link comes back at the speed the registers resolve (PhyModel::speed),
// which is the line's speed: RGMII's RXC at 125/25/2.5 MHz and the TXC the
// PHY takes frames at.  A GMII build's line works at 1000 Mb/s only (a
// GMII PHY at 10/100 speaks MII, which that MAC does not: frames are lost
// both ways).
static const uint16_t LPA_ALL = 0x41e1;        // ANLPAR: 10/100 half/full, ACK
static const uint16_t LPA1000_ALL = 0x0300;    // 1000 full and half
static const uint16_t BMCR_DEFAULT = 0x1140;   // AN enabled, full duplex, 1000
static const uint16_t BMCR_RW = 0x7140, BMCR_RENEG = 0x3140;
static const int LINK_DROP = 64;
static int phy_speed = 2;        // resolved (0 10, 1 100, 2 1000; -1 none)
static bool phy_full = true;
static bool bmsr_latch = true;   // BMSR's link status, latched low
static int drop_left;            // clocks of a renegotiation's link drop left

static bool phy_up()
{
	return link_up && phy_speed >= 0 && !drop_left;
}

static void phy_fix()
{
	// read-only registers, from the state
	bool an_done = phy_up() && (phy.regs[0] & 0x1000);
	if (!phy_up())
		bmsr_latch = false;
	phy.regs[1] = 0x7949 | (bmsr_latch ? 0x0004 : 0) | (an_done ? 0x0020 : 0);
	phy.regs[2] = 0x4650;
	phy.regs[3] = 0x0001;
	phy.regs[5] = an_done ? LPA_ALL : 0;
	phy.regs[6] = an_done ? 0x0001 : 0;
	phy.regs[10] = an_done ? 0x3c00 : 0;
	phy.regs[15] = 0x3000;
}

// the link (re)negotiated: its speed from the registers
static void phy_resolve()
{
	phy_speed = phy.speed(LPA_ALL, LPA1000_ALL, &phy_full);
	phy_fix();
}

static void phy_reset()
{
	int addr = phy.addr;
	phy = PhyModel();
	phy.addr = addr;
	phy.regs[0] = BMCR_DEFAULT;
	phy.regs[4] = 0x01e1;
	phy.regs[9] = 0x0300;
	drop_left = 0;
	bmsr_latch = link_up;
	phy_resolve();
}

// after each MDIO frame on the bus (bmcr: BMCR before it)
static void phy_frame_done(uint16_t bmcr)
{
	if (!phy.mine)
		return;
	if (phy.op == 2 && phy.reg == 1)
		bmsr_latch = phy_up();   // latched low: a read returns to the state
	if (phy.op == 1) {
		uint16_t v = phy.regs[phy.reg];
		switch (phy.reg) {
		case 0:
			if (v & 0x8000) {
				// self-clearing, completes at once; the link is not lost
				phy_reset();
				break;
			}
			phy.regs[0] = v & BMCR_RW;
			if (!((v & 0x0200) || ((bmcr ^ phy.regs[0]) & BMCR_RENEG)))
				break;
			if (phy_up() && !(phy.regs[0] & 0x4000)) {
				drop_left = LINK_DROP;   // then phy_resolve()
				bmsr_latch = false;
			} else {
				phy_resolve();
			}
			break;
		case 4:
			phy.regs[4] = v & 0x2fff;
			break;
		case 9:
			phy.regs[9] = v & 0xff00;
			break;
		default:
			phy.regs[phy.reg] = 0;   // read-only or not implemented
		}
	}
	phy_fix();
}

// ------------------------------------------------------------------ DMA --
struct Burst {
	uint64_t addr;
	int beats, beat;
	Bytes data;
	std::vector<bool> strb;
	int resp;
};
static std::deque<Burst> rd_q, wr_q, b_q;

static bool trace;

static void dma_read(Burst &b)
{
	Bytes d;
	if (trace)
		fprintf(stderr, "fe_cosim: clock %llu: DMA read %#llx, %d beats\n",
			(unsigned long long)clocks, (unsigned long long)b.addr, b.beats);
	send_msg(FE_COSIM_DMA_RD, b.addr, 4 * b.beats);
	FeCosimMsg m = expect(FE_COSIM_DMA_DATA, d);
	b.resp = m.a ? 2 : 0;   // SLVERR
	b.data = d;
	b.data.resize(4 * b.beats);
}

// a write burst reaches memory at its response: each run of strobed bytes
static void dma_write(Burst &b)
{
	Bytes d;
	size_t n = b.data.size();
	b.resp = 0;
	if (trace)
		fprintf(stderr, "fe_cosim: clock %llu: DMA write %#llx, %d beats\n",
			(unsigned long long)clocks, (unsigned long long)b.addr, b.beats);
	for (size_t i = 0; i < n;) {
		if (!b.strb[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && b.strb[j])
			j++;
		send_msg(FE_COSIM_DMA_WR, b.addr + i, 0, &b.data[i], j - i);
		if (expect(FE_COSIM_DMA_ACK, d).a)
			b.resp = 2;
		i = j;
	}
}

static void dma_drive()
{
	c->m_arready = 1;
	c->m_awready = 1;
	c->m_wready = !wr_q.empty();
	c->m_rvalid = !rd_q.empty();
	if (!rd_q.empty()) {
		Burst &b = rd_q.front();
		uint32_t d;
		memcpy(&d, &b.data[4 * b.beat], 4);
		c->m_rdata = d;
		c->m_rresp = b.resp;
		c->m_rlast = b.beat == b.beats - 1;
	}
	c->m_bvalid = !b_q.empty();
	c->m_bresp = b_q.empty() ? 0 : b_q.front().resp;
}

// ----------------------------------------------------------------- line --
// Received frames wait in rx_q as wire bytes; the line drives them as
// symbols (bench/phy_line.h: one receive clock each) at line_speed, the
// PHY's speed taken between frames.  GMII: a symbol per line clock (RX_CLK
// is the line's clock), set at its falling edge.  RGMII: RXC toggles every
// rxc_halves() half clocks of the line's clock (125, 25, 2.5 MHz), the
// pins set for each edge (center aligned: "rgmii-id"); between frames the
// in-band status.  Transmitted frames: GMII bytes, or RGMII's pins at TXC's edges
// taken at the PHY's speed; a frame whose TXC period is not the one of
// the PHY's speed (the MAC's MAC_CFG.SPEED is not the link's) is lost.
static std::deque<Bytes> rx_q;
static std::deque<LineSym> rx_syms;
static LineSym rx_sym;
static int line_speed = 2;
static int rxc_half;
static LineTx ltx;
static uint64_t halves, txc_rise;   // the line's half clocks; TXC's last rise
static unsigned long tx_bad, tx_mis, rx_lost;

static int rxc_halves(int speed)
{
	return speed >= 2 ? 1 : speed == 1 ? 5 : 50;
}

static void rx_queue(const Bytes &f)
{
	// the wire holds a few frames; a flood beyond that is lost on it
	if (rx_q.size() >= 64 || !phy_up() || (!rgmii && phy_speed != 2)) {
		rx_lost++;
		return;
	}
	rx_q.push_back(on_wire(f));
}

static LineSym idle_sym()
{
	// RGMII's in-band status: [0] link, [2:1] speed, [3] full duplex
	uint8_t ib = !rgmii || !phy_up() ? 0 : 1 | phy_speed << 1 | phy_full << 3;
	return {ib, ib, false, false};
}

// the next receive clock's symbol
static void rx_next()
{
	if (rx_syms.empty()) {
		if (phy_speed >= 0)
			line_speed = phy_speed;
		if (!rx_q.empty()) {
			line_symbols(rx_syms, rx_q.front(), true, rgmii ? line_speed : 2,
				     idle_sym());
			rx_q.pop_front();
		}
	}
	if (rx_syms.empty()) {
		rx_sym = idle_sym();
		return;
	}
	rx_sym = rx_syms.front();
	rx_syms.pop_front();
}

// RGMII, before each evaluation (a half clock): RXC and the pins for its edge
static void rgmii_rx_half()
{
	if (++rxc_half < rxc_halves(line_speed))
		return;
	rxc_half = 0;
	bool rise = !c->rgmii_rxc;
	if (rise)
		rx_next();
	c->rgmii_rxc = rise;
	c->rgmii_rxd = rise ? rx_sym.d_r : rx_sym.d_f;
	c->rgmii_rx_ctl = rise ? rx_sym.c_r : rx_sym.c_f;
}

static void gmii_rx_drive()
{
	rx_next();
	c->gmii_rxd = rx_sym.d_r | rx_sym.d_f << 4;
	c->gmii_rx_dv = rx_sym.c_r;
	c->gmii_rx_er = rx_sym.c_r ^ rx_sym.c_f;
}

static void tx_frame(const LineTx::Frame &w, bool bad)
{
	const Bytes &b = w.b;
	size_t i = 0;
	while (i < b.size() && b[i] == 0x55)
		i++;
	if (bad || w.er || i >= b.size() || b[i] != 0xd5 || b.size() - i - 1 < 64) {
		tx_bad++;
		return;
	}
	const uint8_t *f = &b[i + 1];
	size_t n = b.size() - i - 1 - 4;
	uint32_t fcs = f[n] | f[n + 1] << 8 | f[n + 2] << 16 | (uint32_t)f[n + 3] << 24;
	if (ref_crc32(f, n) != fcs) {
		tx_bad++;
		return;
	}
	send_msg(FE_COSIM_TX, 0, 0, f, n);
}

static void tx_frames()
{
	for (auto &w : ltx.frames) {
		// (RGMII at 10/100: the same nibble at both edges)
		bool bad = tx_mis || (!rgmii && phy_speed != 2) || !w.both_edges_same;
		tx_frame(w, bad);
		tx_mis = 0;
	}
	ltx.frames.clear();
}

// RGMII, after each evaluation: the PHY takes TXD at TXC's edges; a TXC
// period in a frame other than the PHY's speed's marks it
static void rgmii_tx_half()
{
	int s = phy_speed >= 0 ? phy_speed : line_speed;
	int e = ltx.rgmii(c->rgmii_txc, c->rgmii_txd, c->rgmii_tx_ctl, s >= 2);
	if (e > 0) {
		if (c->rgmii_tx_ctl && halves - txc_rise != (uint64_t)2 * rxc_halves(s))
			tx_mis++;
		txc_rise = halves;
	}
	tx_frames();
}

// The two clocks' edges in time (half ns): clk's next at t_clk, the
// line's (tx_clk and the receive clock) next at t_line, on odd half ns
// unless the two are one clock.  Each evaluation takes
// the edges due first (both, when they meet); the line's pins are set
// before its edge's evaluation and taken after it, as a PHY does.
// (one clock: the line's first edge falls with clk's, so that both rise
// together)
static uint64_t t_clk, t_line = FE_CLK_NS == LINE_NS ? 0 : 1;
static bool line_level = FE_CLK_NS == LINE_NS;

static void line_pre()
{
	if (rgmii)
		rgmii_rx_half();
	else if (line_level)
		gmii_rx_drive();   // the falling edge: the next rising edge's symbol
}

static void line_post()
{
	if (rgmii) {
		rgmii_tx_half();
	} else if (!line_level) {
		// GMII TX: the bytes of the last rising edge
		ltx.byte(c->gmii_txd, c->gmii_tx_en, c->gmii_tx_er);
		tx_frames();
	}
	halves++;
}

// the line's edges up to clk's next one, then that one, to level
static void clk_edge(bool level)
{
	for (;;) {
		bool ce = t_clk <= t_line, le = t_line <= t_clk;
		if (le) {
			line_pre();
			line_level = !line_level;
			c->tx_clk = line_level;
			c->gmii_rx_clk = line_level;
		}
		if (ce)
			c->clk = level;
		c->eval();
		if (le) {
			line_post();
			t_line += LINE_NS;
		}
		if (ce) {
			t_clk += FE_CLK_NS;
			return;
		}
	}
}

// ---------------------------------------------------------------- clock --
static uint32_t irq_levels()
{
	return c->irq_misc | (uint32_t)c->irq_q << 1;
}

// one clock; returns whether anything moved at the IP's edges
static bool tick()
{
	bool mdc0 = c->mdc, timer0 = c->timer_busy;
	uint32_t irq0 = irq_levels();

	c->mdio_i = c->mdio_oe ? c->mdio_o : phy.oe ? phy.o : true;
	c->phy_link = phy_up();
	dma_drive();
	clk_edge(0);
	AxiEdge e = axi_sample(c);
	clk_edge(1);
	clocks++;

	if (e.r && ++rd_q.front().beat == rd_q.front().beats)
		rd_q.pop_front();
	if (e.ar) {
		rd_q.push_back({e.araddr & ~3ull, e.arlen + 1, 0, {}, {}, 0});
		dma_read(rd_q.back());
	}
	if (e.w) {
		Burst &f = wr_q.front();
		for (int i = 0; i < 4; i++) {
			f.data[4 * f.beat + i] = e.wdata >> (8 * i);
			f.strb[4 * f.beat + i] = e.wstrb >> i & 1;
		}
		if (++f.beat == f.beats) {
			dma_write(f);
			b_q.push_back(f);
			wr_q.pop_front();
		}
	}
	if (e.aw)
		wr_q.push_back({e.awaddr & ~3ull, e.awlen + 1, 0, Bytes(4 * (e.awlen + 1)),
				std::vector<bool>(4 * (e.awlen + 1)), 0});
	if (e.b)
		b_q.pop_front();

	int before = phy.frames;
	uint16_t bmcr = phy.regs[0];
	phy.step(c->mdc, c->mdio_oe ? c->mdio_o : phy.oe ? phy.o : true);
	if (phy.frames != before)
		phy_frame_done(bmcr);
	bool dropping = drop_left > 0;
	if (dropping && !--drop_left)
		phy_resolve();   // the link is back
	return c->active || c->m_arvalid || c->m_awvalid || c->m_wvalid || !rd_q.empty() ||
	       !wr_q.empty() || !b_q.empty() || c->gmii_tx_en || c->rgmii_tx_ctl || ltx.in ||
	       rx_sym.c_r || !rx_syms.empty() || !rx_q.empty() || dropping ||
	       c->mdc != mdc0 || irq_levels() != irq0 || c->timer_busy != timer0;
}

// clocks in a row that moved nothing; a command that may start work
// (WRITE, RX, LINK) sets it to 0, READ, RUN and ADVANCE keep counting
static int quiet;

static void run(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		quiet = tick() ? 0 : quiet + 1;
}

// n clocks of time passed: run them with time_en high while a timer of
// the IP counts or it still moves; once it is quiet with no timer, the
// rest would change nothing (no counter runs free), so they are skipped
static void advance(uint64_t n)
{
	c->time_en = 1;
	for (uint64_t i = 0; i < n && (c->timer_busy || quiet < QUIET); i++)
		quiet = tick() ? 0 : quiet + 1;
	c->time_en = 0;
}

// run until QUIET clocks in a row moved nothing (at most MAX_RUN)
static void run_to_quiet()
{
	for (uint64_t i = 0; i < MAX_RUN && quiet < QUIET; i++)
		quiet = tick() ? 0 : quiet + 1;
}

// AXI4-Lite: a write, both channels at once, then the response
static void reg_write(uint32_t a, uint32_t v)
{
	c->s_awaddr = a;
	c->s_awvalid = 1;
	c->s_wdata = v;
	c->s_wstrb = 0xf;
	c->s_wvalid = 1;
	c->s_bready = 1;
	bool aw = false, wd = false, bd = false;
	for (int i = 0; i < 1000 && !bd; i++) {
		c->clk = 0;
		c->eval();
		bool awh = c->s_awvalid && c->s_awready;
		bool wh = c->s_wvalid && c->s_wready;
		bool bh = c->s_bvalid && c->s_bready;
		quiet = tick() ? 0 : quiet + 1;
		aw |= awh;
		wd |= wh;
		bd = bh;
		if (awh)
			c->s_awvalid = 0;
		if (wh)
			c->s_wvalid = 0;
	}
	c->s_awvalid = 0;
	c->s_wvalid = 0;
	c->s_bready = 0;
	if (!bd)
		throw std::runtime_error("register write got no response");
}

static uint32_t reg_read(uint32_t a)
{
	c->s_araddr = a;
	c->s_arvalid = 1;
	c->s_rready = 1;
	for (int i = 0; i < 1000; i++) {
		c->clk = 0;
		c->eval();
		bool arh = c->s_arvalid && c->s_arready;
		bool rh = c->s_rvalid && c->s_rready;
		uint32_t v = c->s_rdata;
		quiet = tick() ? 0 : quiet + 1;
		if (arh)
			c->s_arvalid = 0;
		if (rh) {
			c->s_rready = 0;
			return v;
		}
	}
	throw std::runtime_error("register read got no data");
}

static void hard_reset()
{
	rd_q.clear();
	wr_q.clear();
	b_q.clear();
	rx_q.clear();
	rx_syms.clear();
	rx_sym = {0, 0, false, false};
	ltx.reset();
	tx_mis = 0;
	link_up = true;
	phy_reset();
	line_speed = phy_speed;
	quiet = 0;
	c->time_en = 0;
	c->s_awvalid = c->s_wvalid = c->s_bready = c->s_arvalid = c->s_rready = 0;
	c->rst = 1;
	for (int i = 0; i < 16; i++)
		tick();
	c->rst = 0;
	tick();
}

// --------------------------------------------------------------- session --
static void session()
{
	Bytes d;
	trace = getenv("FE_COSIM_TRACE");   // each command, DMA access on stderr
	hard_reset();
	for (;;) {
		FeCosimMsg m = recv_msg(d);
		uint64_t res = 0, b = 0, due = FE_COSIM_DUE_NONE;
		if (m.type != FE_COSIM_HELLO)
			advance(m.c);
		switch (m.type) {
		case FE_COSIM_HELLO:
			if (m.a != FE_COSIM_MAGIC)
				throw std::runtime_error("bad HELLO");
			hard_reset();
			res = FE_NUM_QP;
			b = FE_CLK_MHZ;
			break;
		case FE_COSIM_RUN:
			run(m.a);
			break;
		case FE_COSIM_ADVANCE:   // (its time ran above)
			break;
		case FE_COSIM_READ:
			res = reg_read(m.a);
			break;
		case FE_COSIM_WRITE:
			reg_write(m.a, m.b);
			quiet = 0;
			break;
		case FE_COSIM_RX:
			rx_queue(d);
			quiet = 0;
			break;
		case FE_COSIM_LINK:
			link_up = m.a;
			phy_resolve();   // a link coming up negotiates
			quiet = 0;
			break;
		default:
			throw std::runtime_error("unknown command " + std::to_string(m.type));
		}
		if (m.type != FE_COSIM_HELLO) {
			run_to_quiet();
			// (or the IP still moves: MAX_RUN cut it short)
			b = irq_levels() |
			    (c->timer_busy || quiet < QUIET ? FE_COSIM_TIMER_BUSY : 0);
			if (c->timer_busy && quiet >= QUIET)
				due = c->timer_due;
		}
		if (trace)
			fprintf(stderr, "fe_cosim: command %u a %#llx time %llu: to clock %llu, DONE b %#llx due %#llx\n",
				m.type, (unsigned long long)m.a, (unsigned long long)m.c,
				(unsigned long long)clocks, (unsigned long long)b,
				(unsigned long long)due);
		send_msg(FE_COSIM_DONE, res, b, nullptr, 0, clocks, due);
	}
}

// the QEMU device's properties that describe this build (its CAP registers)
static int print_props()
{
	hard_reset();
	uint32_t cap0 = reg_read(0x10), cap1 = reg_read(0x14), cap3 = reg_read(0x1c);
	printf("num-queues=%u,max-ring-log2=%u,max-frame=%u,features=0x%x,"
	       "rx-fifo-kib=%u,tx-fifo-kib=%u,clk-mhz=%u\n", cap0 & 0xf, cap0 >> 8 & 0xf,
	       cap0 >> 16, cap1, cap3 & 0xff, cap3 >> 8 & 0xff, cap3 >> 16);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SOCKET | --props\n", argv[0]);
		return 2;
	}
	Verilated::commandArgs(1, argv);
	c = new Vfe_core;
	if (!strcmp(argv[1], "--props"))
		return print_props();
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {};
	sa.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "fe_cosim: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1)) {
		perror("fe_cosim: bind/listen");
		return 1;
	}
	fprintf(stderr, "fe_cosim: listening on %s (NUM_QP %d, CLK_MHZ %d, PHY_IF %d)\n",
		argv[1], FE_NUM_QP, FE_CLK_MHZ, FE_PHY_IF);
	for (;;) {
		fd = accept(ls, nullptr, nullptr);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("fe_cosim: accept");
			return 1;
		}
		try {
			session();
		} catch (Eof &) {
		} catch (std::exception &e) {
			fprintf(stderr, "fe_cosim: %s\n", e.what());
		}
		close(fd);
		fprintf(stderr, "fe_cosim: session ended after %llu clocks (%lu bad TX frames, "
			"%lu RX frames lost), link at %s Mb/s\n", (unsigned long long)clocks, tx_bad,
			rx_lost, phy_speed == 2 ? "1000" : phy_speed == 1 ? "100" : "10");
	}
}
