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
// moves no pin), no AXI request or burst open, GMII TX and RX idle, no
// frame waiting for the wire, MDC still, the interrupt lines and
// timer_busy unchanged.  So a doorbell write returns with the frame sent
// and its interrupt raised, a received frame's command with the frame
// stored, and none of it is time.  DONE says whether a timer of the IP
// counts (fe_core's timer_busy: coalescing, pause, SOFT_RESET) and in how
// many clocks of time the first expires (timer_due, d); QEMU sends ADVANCE
// at that instant of the virtual clock.
// Around fe_core: the AXI4 DMA master's bursts become DMA_RD/DMA_WR (a
// write burst goes out at its last beat and its response carries QEMU's
// answer), GMII TX frames become TX messages (preamble, SFD and FCS
// removed; a bad FCS or TX_ER drops the frame), RX frames are driven into
// GMII RX with preamble, SFD, padding to 60 and FCS, 12 idle clocks apart,
// and a clause-22 PHY (bench/phy_model.h, with the QEMU model's register
// values) sits on MDIO.  fe_core's gmii_rx_clk is clk itself (one clock
// driving both domains, in phase; the crossings still run).
// FE_COSIM_TRACE set: each command on stderr.
#include "Vfe_core.h"
#include "verilated.h"
#include "fpgaeth-cosim.h"
#include "phy_model.h"
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

typedef std::vector<uint8_t> Bytes;

static int fd = -1;
static Vfe_core *c;
static PhyModel phy;
static uint64_t clocks;
static bool link_up = true;
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
// 0x4650 0x0001, a link partner advertising everything, link from the wire.
static void phy_reset()
{
	phy = PhyModel();
	phy.addr = 1;
	phy.regs[0] = 0x1140;   // AN enabled, full duplex, 1000
	phy.regs[4] = 0x01e1;
	phy.regs[9] = 0x0300;
	phy.regs[15] = 0x3000;
}

static void phy_fix()
{
	// read-only and self-clearing bits, after any write
	phy.regs[0] &= ~0x8200;
	phy.regs[1] = 0x7949 | (link_up ? 0x0024 : 0);
	phy.regs[2] = 0x4650;
	phy.regs[3] = 0x0001;
	phy.regs[5] = link_up ? 0x41e1 : 0;
	phy.regs[10] = link_up ? 0x3c00 : 0;
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

// ----------------------------------------------------------------- GMII --
static std::deque<Bytes> rx_q;
static Bytes rx_cur, tx_cur;
static size_t rx_pos;
static int rx_gap;
static bool tx_in;
static unsigned long tx_bad;

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = ~0u;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void rx_queue(const Bytes &f)
{
	// the wire holds a few frames; a flood beyond that is lost on it
	if (rx_q.size() >= 64 || !link_up)
		return;
	Bytes w(7, 0x55);
	w.push_back(0xd5);
	w.insert(w.end(), f.begin(), f.end());
	if (f.size() < 60)
		w.resize(8 + 60, 0);
	uint32_t fcs = crc32(&w[8], w.size() - 8);
	for (int i = 0; i < 4; i++)
		w.push_back(fcs >> (8 * i));
	rx_q.push_back(w);
}

static void rx_drive()
{
	if (rx_pos >= rx_cur.size()) {
		c->gmii_rx_dv = 0;
		c->gmii_rxd = 0;
		if (rx_gap > 0) {
			rx_gap--;
			return;
		}
		if (rx_q.empty())
			return;
		rx_cur = rx_q.front();
		rx_q.pop_front();
		rx_pos = 0;
	}
	c->gmii_rx_dv = 1;
	c->gmii_rxd = rx_cur[rx_pos++];
	if (rx_pos == rx_cur.size())
		rx_gap = 12;
}

static void tx_frame()
{
	size_t i = 0;
	while (i < tx_cur.size() && tx_cur[i] == 0x55)
		i++;
	if (i >= tx_cur.size() || tx_cur[i] != 0xd5 || tx_cur.size() - i - 1 < 64) {
		tx_bad++;
		return;
	}
	const uint8_t *f = &tx_cur[i + 1];
	size_t n = tx_cur.size() - i - 1 - 4;
	uint32_t fcs = f[n] | f[n + 1] << 8 | f[n + 2] << 16 | (uint32_t)f[n + 3] << 24;
	if (crc32(f, n) != fcs) {
		tx_bad++;
		return;
	}
	send_msg(FE_COSIM_TX, 0, 0, f, n);
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
	c->phy_link = link_up;
	dma_drive();
	rx_drive();
	c->clk = 0;
	c->gmii_rx_clk = 0;   // the same clock
	c->eval();
	AxiEdge e = axi_sample(c);
	bool txen = c->gmii_tx_en, txer = c->gmii_tx_er;
	uint8_t txd = c->gmii_txd;
	c->clk = 1;
	c->gmii_rx_clk = 1;   // the same clock
	c->eval();
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

	if (txen) {
		if (!tx_in)
			tx_cur.clear();
		tx_in = true;
		tx_cur.push_back(txd);
		if (txer)
			tx_cur.clear(), tx_cur.push_back(0);   // poisoned
	} else if (tx_in) {
		tx_in = false;
		tx_frame();
	}

	int before = phy.frames;
	phy.step(c->mdc, c->mdio_oe ? c->mdio_o : phy.oe ? phy.o : true);
	if (phy.frames != before)
		phy_fix();
	return c->active || c->m_arvalid || c->m_awvalid || c->m_wvalid || !rd_q.empty() ||
	       !wr_q.empty() || !b_q.empty() || txen || c->gmii_tx_en || tx_in ||
	       c->gmii_rx_dv || rx_pos < rx_cur.size() || !rx_q.empty() ||
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
		c->gmii_rx_clk = 0;   // the same clock
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
		c->gmii_rx_clk = 0;   // the same clock
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
	rx_cur.clear();
	rx_pos = 0;
	rx_gap = 0;
	tx_in = false;
	link_up = true;
	phy_reset();
	phy_fix();
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
			phy_fix();
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
	fprintf(stderr, "fe_cosim: listening on %s (NUM_QP %d, CLK_MHZ %d)\n",
		argv[1], FE_NUM_QP, FE_CLK_MHZ);
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
		fprintf(stderr, "fe_cosim: session ended after %llu clocks (%lu bad TX frames)\n",
			(unsigned long long)clocks, tx_bad);
	}
}
