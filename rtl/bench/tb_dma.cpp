// SPDX-License-Identifier: GPL-2.0
// top: tb_dma
// Unit bench of the DMA engines (fe_dma_axi, fe_dma_tx, fe_dma_rx through
// bench/tb_dma.v) against an AXI4 memory model: 1 MiB of memory at a 64-bit
// address (MEMBASE), DECERR elsewhere, SLVERR on injected ranges, random
// (seeded, deterministic) ARREADY/RVALID/AWREADY/WREADY/BVALID delays.  A
// write burst reaches the memory only when its write response is given, so
// what the bench reads in memory when HEAD moves is what a CPU would see.
// Every burst is checked against the spec's DMA master rules (INCR, 32-bit
// beats, at most 256, no 4 KiB crossing, attributes).  Rings and frames live
// in the model memory; TX frames are checked byte for byte at the MAC side,
// RX frames in memory; write-back contents and order, HEAD, interrupts,
// discards, RX_NOBUF, FIFO overflow and the bus error halts are checked.
// The rx_* stream has its own clock (rx_clk, GMII RX_CLK in fe_core): the
// cases run with it equal to clk (one signal), then the RX cases again
// with clk at 100 MHz and 156.25 MHz against a 125 MHz rx_clk, each case
// named with its ratio.
#include "Vtb_dma.h"
#include "bench.h"
#include <algorithm>
#include <cstring>
#include "clocks.h"
#include <deque>
#include <functional>

static Vtb_dma *t;
static uint64_t cyc;

// ------------------------------------------------------------ memory model
static const uint64_t MEMBASE = 0x0000001234500000ull;
static const uint64_t MEMSZ = 1 << 20;
static std::vector<uint8_t> mem(MEMSZ), mem0(MEMSZ);
struct ErrRange {
	uint64_t lo, hi; // [lo, hi)
	bool rd, wr;
};
static std::vector<ErrRange> errs;
static int p_ar = 60, p_r = 70, p_aw = 60, p_w = 70, p_b = 60, p_txr = 90;

static bool in_mem(uint64_t a) { return a >= MEMBASE && a < MEMBASE + MEMSZ; }
static uint8_t &M(uint64_t a) { return mem[a - MEMBASE]; }
static int resp_of(uint64_t a, bool wr)
{
	if (!in_mem(a))
		return 3;
	for (auto &e : errs)
		if (a >= e.lo && a < e.hi && (wr ? e.wr : e.rd))
			return 2;
	return 0;
}

struct RBurst {
	uint64_t addr;
	int len, beat;
};
struct WBurst {
	uint64_t addr;
	int len, beat, resp;
	std::vector<std::pair<uint64_t, uint8_t>> bytes;
};
struct WLog {
	uint64_t addr;
	int n;
};
static std::deque<RBurst> rq;
static std::deque<WBurst> awq, bq;
static std::vector<RBurst> rlog;   // every read burst (addr, beats)
static std::vector<WLog> wlog;     // every write applied (first byte, bytes)
static bool rv, bv;                // R / B beat presented
static int proto;                  // protocol violations seen

static void check_ax(const char *ch, uint64_t a, int len, int size, int burst, int lock,
		     int cache, int prot, int qos)
{
	if (size != 2 || burst != 1 || lock || cache != 3 || prot != 2 || qos || (a & 3) ||
	    (a & 0xfff) + 4 * (uint64_t)(len + 1) > 4096) {
		if (proto++ < 5)
			diag("%s burst at %#llx len %d size %d burst %d lock %d cache %d prot %d qos %d",
			     ch, (unsigned long long)a, len, size, burst, lock, cache, prot, qos);
	}
}

static const uint64_t TXRING_ = MEMBASE + 0x1000;
static const uint64_t RXRING_ = MEMBASE + 0x3000;
uint16_t r16(uint64_t a);

// ------------------------------------------------------------ MAC sides
static std::vector<std::vector<uint8_t>> tx_frames;
static std::vector<uint8_t> tx_cur;
// the MAC's tx_done: a frame's pulse done_min to done_min + done_span - 1
// clocks after its last row (its FCS, the crossing back), in order; none
// while done_hold
static std::deque<uint64_t> done_due;
static int done_min = 4, done_span = 36, tx_dones;
static bool done_hold;

// mac_model: the MAC behind the rows as hardware paces it, instead of a
// row a clock and a tx_done soon after.  fe_tx_line's FIFO (16 rows, 64
// bytes) takes a row while it has room for it; the line drains it at
// mac_rate bytes a core clock (1 at 125 MHz, 2 at 62.5), each frame on the
// wire as preamble and SFD 8, its bytes padded to 60, FCS 4, IFG 12;
// tx_done 3 clocks after the FCS's last byte (the record's crossing).  A
// frame whose next byte is not there when the line needs it is cut (an
// underrun: mac_underruns; its tx_done at once, the rest of its rows
// dropped as they come); mac_cut_at > 0 cuts the next frame after that
// many bytes on purpose (a MAC that ran dry).
static bool mac_model;
static double mac_rate = 1, mac_credit;
static int mac_underruns, mac_cut_at;
struct MacFrame {
	size_t len = 0;       // bytes taken so far (all once last)
	bool last = false;    // its last row is taken
	bool cut = false;
	size_t wire = 0;      // byte times on the wire so far
};
static std::deque<MacFrame> mac_q;
static size_t mac_fifo;   // bytes taken, not yet on the wire

static void mac_take(unsigned n, bool last)
{
	if (mac_q.empty() || mac_q.back().last)
		mac_q.push_back({});
	MacFrame &f = mac_q.back();
	if (!f.cut)
		mac_fifo += n;
	f.len += n;
	f.last = last;
	if (f.cut && last)
		mac_q.pop_front();   // the cut frame's rest, dropped (it is the front)
}

// one core clock of the line
static void mac_line()
{
	for (mac_credit += mac_rate; mac_credit >= 1; mac_credit -= 1) {
		// an idle line's time passes unused (a cut frame's rest still
		// to come, dropped)
		if (mac_q.empty() || mac_q.front().cut) {
			mac_credit = 0;
			return;
		}
		MacFrame &f = mac_q.front();
		size_t data = f.last && f.len < 60 ? 60 : f.len;   // (padding)
		size_t at = f.wire++;
		if (at >= 8 && at - 8 < (f.last ? data : (size_t)-1)) {
			size_t i = at - 8;
			bool cut = mac_cut_at && i == (size_t)mac_cut_at;
			if (i < f.len && !cut) {
				mac_fifo--;
			} else if (i >= f.len && !f.last) {
				cut = true;   // ran dry
				mac_underruns++;
			}
			if (cut) {
				mac_cut_at = 0;
				if (i < f.len)
					mac_fifo -= f.len - i;
				done_due.push_back(cyc + 3);
				f.cut = true;
				if (f.last)
					mac_q.pop_front();
				return;
			}
		} else if (at == 8 + data + 4 - 1) {
			done_due.push_back(cyc + 3);
		} else if (at == 8 + data + 4 + 12 - 1) {
			mac_q.pop_front();
		}
	}
}
struct RxIn {
	std::vector<uint8_t> d;
	bool drop;
};
static std::deque<RxIn> rx_in;
static size_t rx_pos;
static int rx_gap, rx_ifg = 20;
static std::vector<bool> rx_lost;   // per frame sent: the FIFO dropped it
static int rx1_nobufs, rx1_irqs;
static int tx_halts, rx_halts, tx_disc, rx_nobufs, rx_ovfs, tx_irqs, rx_irqs, tx_sents;
static int last_tx_cause, last_rx_cause;
static uint64_t last_tx_addr, last_rx_addr;
static std::function<void()> on_cycle;
// HEAD order monitor: when HEAD moves, the DONE of the frame (TX: FLAGS of
// its last descriptor; RX: STATUS of its first) is already in memory, i.e.
// its write response was given before
static bool head_mon;
static unsigned mon_tx_head, mon_rx_head;
static int head_early;

// the clocks: periods in femtoseconds, the time of each one's next rising
// edge; edges at the same instant are one eval (the "one clock" runs)
static TwoClocks ck;
static uint64_t rx_last_t;   // when the last rx byte went in

// frames from the MAC on rx_clk, back to back, gaps between them: drive
// this edge's inputs and move on past what the edge takes
static void rx_drive()
{
	t->rx_tvalid = 0;
	t->rx_tlast = 0;
	t->rx_tuser = 0;
	if (rx_gap > 0)
		rx_gap--;
	else if (!rx_in.empty()) {
		RxIn &f = rx_in.front();
		t->rx_tvalid = 1;
		t->rx_tdata = f.d[rx_pos];
		t->rx_tlast = rx_pos + 1 == f.d.size();
		t->rx_tuser = t->rx_tlast && f.drop;
		rx_last_t = ck.t_r;
	}
	if (t->rx_tvalid) {
		if (t->rx_tlast) {
			rx_in.pop_front();
			rx_pos = 0;
			rx_gap = rx_ifg;
			rx_lost.push_back(false);
		} else
			rx_pos++;
	}
}

static void tick()
{
	if (t->rst) {   // the MAC is reset with the engine
		done_due.clear();
		mac_q.clear();
		mac_fifo = 0;
	}
	bool both = ck.rx_before_core([] {
		rx_drive();
		t->rx_clk = 0;
		t->eval();
		t->rx_clk = 1;
		t->eval();
	});

	// drive: AXI slave side
	t->m_arready = rnd() % 100 < (unsigned)p_ar;
	t->m_awready = rnd() % 100 < (unsigned)p_aw;
	t->m_wready = !awq.empty() && rnd() % 100 < (unsigned)p_w;
	if (!rv && !rq.empty() && rnd() % 100 < (unsigned)p_r) {
		RBurst &b = rq.front();
		uint64_t a = b.addr + 4 * b.beat;
		uint32_t d = 0;
		int resp = 0;
		for (int i = 0; i < 4; i++) {
			int r = resp_of(a + i, false);
			resp = r > resp ? r : resp;
			d |= (uint32_t)(in_mem(a + i) ? M(a + i) : 0xee) << (8 * i);
		}
		t->m_rdata = d;
		t->m_rresp = resp;
		t->m_rlast = b.beat == b.len - 1;
		rv = true;
	}
	t->m_rvalid = rv;
	if (!bv && !bq.empty() && rnd() % 100 < (unsigned)p_b) {
		t->m_bresp = bq.front().resp;
		bv = true;
	}
	t->m_bvalid = bv;
	t->tx_tready = rnd() % 100 < (unsigned)p_txr && (!mac_model || mac_fifo + 4 <= 64);
	t->tx_done = !done_hold && !done_due.empty() && done_due.front() <= cyc;
	if (both)
		rx_drive();
	t->clk = 0;
	if (both)
		t->rx_clk = 0;
	t->eval();
	bool ar = t->m_arvalid && t->m_arready, r = t->m_rvalid && t->m_rready;
	bool aw = t->m_awvalid && t->m_awready, w = t->m_wvalid && t->m_wready;
	bool b = t->m_bvalid && t->m_bready;
	bool txb = t->tx_tvalid && t->tx_tready;
	if (ar) {
		check_ax("AR", t->m_araddr, t->m_arlen, t->m_arsize, t->m_arburst, t->m_arlock,
			 t->m_arcache, t->m_arprot, t->m_arqos);
		rq.push_back({t->m_araddr, t->m_arlen + 1, 0});
		rlog.push_back({t->m_araddr, t->m_arlen + 1, 0});
	}
	if (aw) {
		check_ax("AW", t->m_awaddr, t->m_awlen, t->m_awsize, t->m_awburst, t->m_awlock,
			 t->m_awcache, t->m_awprot, t->m_awqos);
		awq.push_back({t->m_awaddr, t->m_awlen + 1, 0, 0, {}});
	}
	if (r) {
		RBurst &f = rq.front();
		if (++f.beat == f.len)
			rq.pop_front();
		rv = false;
	}
	if (w) {
		WBurst &f = awq.front();
		uint64_t a = f.addr + 4 * f.beat;
		for (int i = 0; i < 4; i++)
			if (t->m_wstrb >> i & 1) {
				f.bytes.push_back({a + i, (uint8_t)(t->m_wdata >> (8 * i))});
				int rs = resp_of(a + i, true);
				f.resp = rs > f.resp ? rs : f.resp;
			}
		if (!t->m_wstrb && proto++ < 5)
			diag("W beat without strobes at %#llx", (unsigned long long)a);
		bool last = ++f.beat == f.len;
		if (last != (bool)t->m_wlast && proto++ < 5)
			diag("WLAST %d at beat %d of %d", t->m_wlast, f.beat, f.len);
		if (last) {
			bq.push_back(f);
			awq.pop_front();
		}
	}
	if (b) {
		WBurst &f = bq.front();
		if (!f.resp) {
			for (auto &p : f.bytes)
				M(p.first) = p.second;
			if (!f.bytes.empty())
				wlog.push_back({f.bytes[0].first, (int)f.bytes.size()});
		}
		bq.pop_front();
		bv = false;
	}
	if (txb) {
		unsigned lo = t->tx_tlo, hi = t->tx_thi;
		// the rows follow each other: a frame's bytes in order
		if ((lo > hi || (!tx_cur.empty() && lo) || (!t->tx_tlast && hi != 3)) && proto++ < 5)
			diag("TX row lanes %u-%u, last %d, after %zu bytes", lo, hi, t->tx_tlast,
			     tx_cur.size());
		for (unsigned i = lo; i <= hi; i++)
			tx_cur.push_back(t->tx_tdata >> (8 * i));
		if (mac_model)
			mac_take(hi + 1 - lo, t->tx_tlast);
		if (t->tx_tlast) {
			tx_frames.push_back(tx_cur);
			tx_cur.clear();
		}
		if (t->tx_tlast && !mac_model) {
			uint64_t due = cyc + done_min + rnd() % done_span;
			if (!done_due.empty() && due <= done_due.back())
				due = done_due.back() + 1;
			done_due.push_back(due);
		}
	}
	if (mac_model)
		mac_line();
	if (t->tx_done) {
		done_due.pop_front();
		tx_dones++;
	}
	t->clk = 1;
	if (both)
		t->rx_clk = 1;
	t->eval();
	ck.core_done(both);
	cyc++;
	// registered pulses of this cycle
	if (t->tx_halt) {
		tx_halts++;
		last_tx_cause = t->tx_halt_cause;
		last_tx_addr = t->tx_halt_addr;
	}
	if (t->rx_halt) {
		rx_halts++;
		last_rx_cause = t->rx_halt_cause;
		last_rx_addr = t->rx_halt_addr;
	}
	tx_disc += t->tx_discard;
	if (getenv("TB_DMA_TRACE") && t->tx_discard)
		printf("# discard at %llu, head %u\n", (unsigned long long)cyc, t->tx_head);
	if (t->rx1_halt)
		rx_halts++;
	rx_nobufs += t->rx_nobuf;
	rx1_nobufs += t->rx1_nobuf;
	rx1_irqs += t->rx1_irq;
	rx_ovfs += t->rx_ovf;
	if (t->rx_ovf && !rx_lost.empty())
		rx_lost.back() = true;   // the frame whose last byte just went in
	tx_irqs += t->tx_irq;
	rx_irqs += t->rx_irq;
	tx_sents += t->tx_sent;
	if (head_mon) {
		unsigned tm = (1u << t->tx_log2) - 1, rm = (1u << t->rx_log2) - 1;
		if (t->tx_head != mon_tx_head &&
		    !(r16(TXRING_ + 16 * ((t->tx_head - 1) & tm) + 10) & 0x8000) && head_early++ < 5)
			diag("TX HEAD %u before the DONE write-back of descriptor %u", t->tx_head,
			     (t->tx_head - 1) & tm);
		if (t->rx_head != mon_rx_head &&
		    !(r16(RXRING_ + 16 * mon_rx_head + 10) & 0x8000) && head_early++ < 5)
			diag("RX HEAD %u before the STATUS write-back of descriptor %u", t->rx_head,
			     mon_rx_head);
		(void)rm;
	}
	mon_tx_head = t->tx_head;
	mon_rx_head = t->rx_head;
	if (on_cycle)
		on_cycle();
}

static bool run_until(const std::function<bool()> &cond, long max = 400000)
{
	for (long i = 0; i < max; i++) {
		if (cond())
			return true;
		tick();
	}
	return cond();
}

static void run(long n)
{
	for (long i = 0; i < n; i++)
		tick();
}

// ------------------------------------------------------------ memory helpers
static void w16(uint64_t a, uint16_t v) { M(a) = v; M(a + 1) = v >> 8; }
static void w64(uint64_t a, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		M(a + i) = v >> (8 * i);
}
uint16_t r16(uint64_t a) { return M(a) | M(a + 1) << 8; }
static uint32_t r32(uint64_t a) { return r16(a) | (uint32_t)r16(a + 2) << 16; }

static void mem_reset()
{
	for (size_t i = 0; i < MEMSZ; i++)
		mem[i] = mem0[i] = (uint8_t)(0xa5 ^ (i * 7) ^ (i >> 8));
	errs.clear();
}

static std::vector<uint8_t> rand_bytes(size_t n)
{
	std::vector<uint8_t> v(n);
	for (auto &b : v)
		b = rnd();
	return v;
}

// ------------------------------------------------------------ TX queue
static const uint64_t TXRING = TXRING_;
static const uint64_t RXRING = RXRING_;
static uint64_t txbuf_next, rxbuf_next;
static unsigned tx_tail_sw, tx_size;

static uint64_t txbuf(size_t n)
{
	uint64_t a = txbuf_next + rnd() % 64;
	txbuf_next = (a + n + 64) & ~15ull;
	if (txbuf_next > MEMBASE + 0x70000)
		txbuf_next = MEMBASE + 0x10000 + rnd() % 4096;
	return a;
}

static void tx_reset_queue(int log2)
{
	t->tx_enable = 0;
	run(3);
	t->tx_base = TXRING;
	t->tx_log2 = log2;
	t->tx_tail = 0;
	t->tx_enable = 1;
	tx_tail_sw = 0;
	tx_size = 1u << log2;
	run(3);
}

struct TxDesc {
	uint64_t addr;
	uint16_t len, flags;
	uint16_t cs_start = 0x1111, cs_off = 0x2222;   // CSUM_START, CSUM_OFFSET
};
static const uint16_t TXD_EOP = 1, TXD_CSUM = 2;

static void tx_desc_write(uint64_t a, const TxDesc &d)
{
	w64(a, d.addr);
	w16(a + 8, d.len);
	w16(a + 10, d.flags);
	w16(a + 12, d.cs_start);
	w16(a + 14, d.cs_off);
}

// write a frame's descriptors; returns the index of its last descriptor
static unsigned tx_put(const std::vector<TxDesc> &ds)
{
	unsigned last = 0;
	for (auto &d : ds) {
		tx_desc_write(TXRING + 16 * tx_tail_sw, d);
		last = tx_tail_sw;
		tx_tail_sw = (tx_tail_sw + 1) % tx_size;
	}
	return last;
}

// the spec's TX checksum, applied to frame f as the device must send it:
// the sum from byte start to the end, complemented, 0xffff for 0, stored
// big-endian at start + off
static void ref_tx_csum(std::vector<uint8_t> &f, size_t start, size_t off)
{
	uint16_t c = ~ref_csum(&f[start], f.size() - start);
	if (c == 0)
		c = 0xffff;
	f[start + off] = c >> 8;
	f[start + off + 1] = c;
}

// the descriptors of frame f split into parts (sizes summing to its
// length), each buffer at a random byte address; the first descriptor
// carries flags0 (CSUM) with CSUM_START start and CSUM_OFFSET off; the last
// EOP and flags_eop.  Returns the descriptors for tx_put.
static std::vector<TxDesc> tx_descs(const std::vector<uint8_t> &f, const std::vector<size_t> &parts,
				    uint16_t flags0 = 0, uint16_t start = 0x1111,
				    uint16_t off = 0x2222, uint16_t flags_eop = 0)
{
	std::vector<TxDesc> ds;
	size_t at = 0;
	for (size_t i = 0; i < parts.size(); i++) {
		uint64_t a = txbuf(parts[i]);
		for (size_t j = 0; j < parts[i]; j++)
			M(a + j) = f[at + j];
		at += parts[i];
		TxDesc d = {a, (uint16_t)parts[i], 0};
		if (i == 0) {
			d.flags |= flags0;
			d.cs_start = start;
			d.cs_off = off;
		}
		if (i + 1 == parts.size())
			d.flags |= TXD_EOP | flags_eop;
		ds.push_back(d);
	}
	return ds;
}

// a frame of the given part sizes, buffers filled with random bytes
static std::vector<uint8_t> tx_frame(const std::vector<size_t> &parts)
{
	size_t n = 0;
	for (size_t p : parts)
		n += p;
	std::vector<uint8_t> all = rand_bytes(n);
	tx_put(tx_descs(all, parts));
	return all;
}

static bool tx_drain(long max = 400000)
{
	t->tx_tail = tx_tail_sw;
	bool ok = run_until([] { return t->tx_head == tx_tail_sw && !t->tx_busy; }, max);
	run(4);   // the last completion's interrupt event follows HEAD
	return ok;
}

// ------------------------------------------------------------ RX queue
static unsigned rx_tail_sw, rx_size;
struct RxPost {
	uint64_t addr;
	uint16_t len;
};
static std::vector<RxPost> rx_posted;   // by ring index

static void rx_reset_queue(int log2)
{
	t->rx_enable = 0;
	run(3);
	t->rx_base = RXRING;
	t->rx_log2 = log2;
	t->rx_tail = 0;
	t->rx_enable = 1;
	rx_tail_sw = 0;
	rx_size = 1u << log2;
	rx_posted.assign(rx_size, {0, 0});
	run(3);
}

static void rx_post(uint16_t len, bool doorbell = true)
{
	uint64_t a = rxbuf_next + rnd() % 64;
	rxbuf_next = (a + len + 64) & ~15ull;
	if (rxbuf_next > MEMBASE + 0xf0000)
		rxbuf_next = MEMBASE + 0x80000 + rnd() % 4096;
	uint64_t d = RXRING + 16 * rx_tail_sw;
	w64(d, a);
	w16(d + 8, len);
	w16(d + 10, 0);
	w16(d + 12, 0x3333);   // reserved bytes the device overwrites
	w16(d + 14, 0x4444);
	rx_posted[rx_tail_sw] = {a, len};
	rx_tail_sw = (rx_tail_sw + 1) % rx_size;
	if (doorbell)
		t->rx_tail = rx_tail_sw;
}

// what the EOP descriptor's write-back carries besides LEN, DONE and EOP
struct RxWb {
	uint32_t hash;
	uint16_t csum;
	uint16_t st;   // CSUM_VALID, HASH_TYPE
};

// check frame f stored from ring index idx on (of the ring at ring, its
// buffers in posted); returns descriptors used
static int rx_check_frame(unsigned idx, const std::vector<uint8_t> &f, const char *what,
			  RxWb wb = {0, 0, 0}, uint64_t ring = RXRING,
			  const std::vector<RxPost> *posted = &rx_posted)
{
	size_t off = 0;
	int n = 0;
	while (true) {
		uint64_t d = ring + 16 * idx;
		RxPost p = (*posted)[idx];
		size_t len = r16(d + 8), want = std::min<size_t>(p.len, f.size() - off);
		bool eop = off + len >= f.size();
		uint16_t st = r16(d + 10);
		if (len != want || st != (0x8000 | (eop ? 1 | wb.st : 0)) ||
		    r32(d) != (eop ? wb.hash : 0) || r16(d + 4) != (eop ? wb.csum : 0) ||
		    r16(d + 6) || r32(d + 12))
			diag("%s: descriptor %u: LEN %zu (want %zu) STATUS %#x words %#x %#x %#x",
			     what, idx, len, want, st, r32(d), r32(d + 4), r32(d + 12));
		for (size_t i = 0; i < want && i < len; i++)
			if (M(p.addr + i) != f[off + i]) {
				diag("%s: descriptor %u (buffer %#llx + %zu): byte %zu of %zu is %#x, want %#x",
				     what, idx, (unsigned long long)p.addr, i, off + i, f.size(),
				     M(p.addr + i), f[off + i]);
				break;
			}
		// nothing after the bytes written in the buffer
		for (size_t i = want; i < p.len && i < want + 8; i++)
			if (M(p.addr + i) != mem0[p.addr + i - MEMBASE]) {
				diag("%s: byte past LEN written at buffer offset %zu", what, i);
				break;
			}
		if (M(p.addr - 1) != mem0[p.addr - 1 - MEMBASE] ||
		    M(p.addr + p.len) != mem0[p.addr + p.len - MEMBASE])
			diag("%s: a byte outside buffer %u was written", what, idx);
		off += len;
		n++;
		idx = (idx + 1) % rx_size;
		if (eop || len == 0 || n > 64)
			break;
	}
	return n;
}

static void send(const std::vector<uint8_t> &f, bool drop = false)
{
	rx_in.push_back({f, drop});
}

// nothing left to send, the last frame's length across into clk's
// domain (some ten clocks), the engine idle with an empty FIFO
static bool rx_idle()
{
	uint64_t cross = 10 * (ck.per_c > ck.per_r ? ck.per_c : ck.per_r);
	return rx_in.empty() && ck.t_c > rx_last_t + cross && !t->rx_busy && t->rx_empty;
}

// ------------------------------------------------------------ cases
static void reset_all()
{
	head_mon = false;
	t->rst = 1;
	t->tx_enable = 0;
	t->tx1_enable = 0;
	t->hold = 0;
	t->rx_enable = 0;
	t->rx1_enable = 0;
	t->rss_en = 0;
	t->csum_en = 0;
	for (int i = 0; i < 10; i++)
		t->rss_key[i] = 0;
	for (int i = 0; i < 32; i++)
		t->rss_indir[i] = 0;
	t->tx_coal = 1;
	t->rx_coal = 1;
	t->max_frame_len = 9600;
	t->line_ok = 1;
	t->time_en = 1;
	rq.clear();
	rx_in.clear();
	rx_pos = 0;
	rx_lost.clear();
	rlog.clear();
	wlog.clear();
	tx_cur.clear();
	done_due.clear();
	done_hold = false;
	mac_q.clear();
	mac_fifo = 0;
	mac_credit = 0;
	mac_underruns = mac_cut_at = 0;
	awq.clear();
	bq.clear();
	rv = bv = false;
	run(4);
	t->rst = 0;
	run(8);   // (rx_clk's reset ends two of its clocks later)
	tx_frames.clear();
	rx1_nobufs = rx1_irqs = 0;
	tx_halts = rx_halts = tx_disc = rx_nobufs = rx_ovfs = tx_irqs = rx_irqs = tx_sents = 0;
	tx_dones = 0;
	txbuf_next = MEMBASE + 0x10000;
	rxbuf_next = MEMBASE + 0x80000;
}

static void case_tx_single()
{
	reset_all();
	mem_reset();
	head_mon = true;
	tx_reset_queue(4);
	std::vector<std::vector<uint8_t>> want;
	std::vector<unsigned> lasts;
	std::vector<uint32_t> words;   // bytes 12-15 as written
	bool ok = true;
	for (int batch = 0; batch < 3; batch++) {
		for (int i = 0; i < 9; i++) {
			size_t n = 1 + rnd() % 1514;
			if (i == 2)
				txbuf_next = (txbuf_next | 0xfff) - 100;   // straddles 4 KiB
			lasts.push_back(tx_tail_sw);
			if (i != 3) {
				want.push_back(tx_frame({n}));
				words.push_back(0x22221111);
				continue;
			}
			// with CSUM: the checksum at a random place
			n = n < 2 ? 2 : n;
			std::vector<uint8_t> f = rand_bytes(n);
			uint16_t start = rnd() % (n - 1), off = rnd() % (n - 1 - start);
			tx_put(tx_descs(f, {n}, TXD_CSUM, start, off));
			ref_tx_csum(f, start, off);
			want.push_back(f);
			words.push_back(start | (uint32_t)off << 16);
		}
		ok &= tx_drain();
	}
	check(ok, "tx: 27 single-descriptor frames in a ring of 16 complete (HEAD reaches TAIL)");
	bool same = tx_frames == want;
	check(same, "tx: the MAC gets the 27 frames byte for byte, in order, 3 with a checksum (%zu frames)",
	      tx_frames.size());
	// the last 16 write-backs are what the ring holds
	for (size_t i = want.size() - 16; i < want.size(); i++) {
		uint64_t d = TXRING + 16 * lasts[i];
		uint16_t want_f = 0x8001 | (i % 9 == 3 ? 2 : 0);
		if (r16(d + 10) != want_f || r16(d + 8) != want[i].size() || r32(d + 12) != words[i])
			diag("descriptor %u: FLAGS %#x (want %#x), LEN %u, bytes 12-15 %#x", lasts[i],
			     r16(d + 10), want_f, r16(d + 8), r32(d + 12));
	}
	check_diags("tx: write-back is FLAGS = DONE | EOP (CSUM kept) and nothing else of the descriptor");
	check(tx_irqs == 27 && tx_sents == 27 && tx_disc == 0 && tx_halts == 0 && !proto,
	      "tx: COAL 1: one interrupt event per frame (%d), no discard, no halt, bursts legal",
	      tx_irqs);
}

static void case_tx_sg()
{
	reset_all();
	mem_reset();
	head_mon = true;
	tx_reset_queue(4);
	std::vector<std::vector<uint8_t>> want;
	std::vector<std::pair<unsigned, unsigned>> span;   // first, count
	bool ok = true;
	for (int batch = 0; batch < 4; batch++) {
		unsigned used = 0;
		while (true) {
			std::vector<size_t> parts;
			unsigned k = 1 + rnd() % 5;
			for (unsigned i = 0; i < k; i++)
				parts.push_back(rnd() % 3 == 0 ? 1 + rnd() % 3 : 1 + rnd() % 700);
			if (used + k > 15)
				break;
			span.push_back({tx_tail_sw, k});
			want.push_back(tx_frame(parts));
			used += k;
		}
		ok &= tx_drain();
	}
	check(ok && tx_frames == want,
	      "tx: %zu frames of 1-5 descriptors (1-byte buffers, ring wraps) reach the MAC byte for byte",
	      want.size());
	for (size_t i = want.size() >= 4 ? want.size() - 4 : 0; i < want.size(); i++)
		for (unsigned j = 0; j < span[i].second; j++) {
			uint64_t d = TXRING + 16 * ((span[i].first + j) % 16);
			bool eop = j + 1 == span[i].second;
			if (r16(d + 10) != (eop ? 0x8001 : 0))
				diag("frame %zu descriptor %u: FLAGS %#x", i, j, r16(d + 10));
		}
	check_diags("tx: only the EOP descriptor is written back (DONE | EOP); the others keep FLAGS 0");
}

static void case_tx_wait_eop()
{
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	auto f = tx_frame({100, 200, 300});
	t->tx_tail = 2;
	run(5000);
	bool waited = tx_frames.empty() && t->tx_head == 0;
	t->tx_tail = 3;
	run_until([] { return t->tx_head == 3 && !t->tx_busy; });
	check(waited && tx_frames.size() == 1 && tx_frames[0] == f,
	      "tx: a frame whose EOP is not handed over waits; the doorbell that hands it over sends it");
	// abandoned wait: disabled while waiting, IDLE (not busy) at once
	tx_frame({50, 60});
	t->tx_tail = 4;
	run(2000);
	bool busy = t->tx_busy;
	size_t nr = rlog.size();
	run(2000);
	t->tx_enable = 0;
	run(3);
	check(!busy && rlog.size() == nr && t->tx_head == 3 && tx_frames.size() == 1,
	      "tx: a queue waiting for EOP is parked: not busy, reads nothing until TAIL changes, HEAD stays");
}

// "When a frame has left the line" the write-back: five frames, no
// tx_done: the four the engine holds (RD) go to the MAC, none is written
// back, HEAD 0, no event, the fifth waits for a record; each tx_done then
// writes back one frame, in order, and the first lets the fifth go
static void case_tx_done_wait()
{
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	done_hold = true;
	std::vector<std::vector<uint8_t>> want;
	for (int i = 0; i < 5; i++)
		want.push_back(tx_frame({200 + 100 * (size_t)i}));
	t->tx_tail = tx_tail_sw;
	run(5000);
	bool held = tx_frames.size() == 4 && t->tx_head == 0 && t->tx_busy &&
		    r16(TXRING + 10) == TXD_EOP && tx_irqs == 0;
	if (!held)
		diag("held: %zu frames, head %u busy %d flags %#x irqs %d", tx_frames.size(),
		     t->tx_head, t->tx_busy, r16(TXRING + 10), tx_irqs);
	std::vector<unsigned> heads;
	for (int i = 0; i < 5; i++) {
		done_hold = false;
		run_until([i] { return tx_dones == i + 1; }, 100);
		done_hold = true;
		run(1000);
		heads.push_back(t->tx_head);
	}
	std::string hs;
	for (unsigned h : heads)
		hs += " " + std::to_string(h);
	check(held && heads == std::vector<unsigned>({ 1, 2, 3, 4, 5 }) && tx_frames == want &&
		      !t->tx_busy && r16(TXRING + 10) == 0x8001 && r16(TXRING + 74) == 0x8001,
	      "tx: the write-back waits for the MAC's tx_done: 4 frames on the line (the engine's records), none written back, the fifth waiting; a done each: HEAD%s",
	      hs.c_str());
	done_hold = false;
}

// a frame the MAC cut (it ran dry: tx_done before the frame's last row was
// taken, the rest of it dropped on the MAC's side): written back once, DONE,
// and the frames after it go whole
static void case_tx_cut()
{
	reset_all();
	mem_reset();
	mac_model = true;
	mac_cut_at = 40;
	tx_reset_queue(4);
	std::vector<std::vector<uint8_t>> want;
	for (int i = 0; i < 3; i++)
		want.push_back(tx_frame({ 1500 }));
	uint64_t first_done = 0, first_last = 0;
	on_cycle = [&] {
		if (t->tx_done && !first_done)
			first_done = cyc;
		if (tx_frames.size() == 1 && !first_last)
			first_last = cyc;
	};
	bool ok = tx_drain();
	on_cycle = nullptr;
	check(ok && first_done && first_done < first_last && tx_frames == want && tx_dones == 3 &&
		      t->tx_head == 3 && r16(TXRING + 10) == 0x8001 && r16(TXRING + 42) == 0x8001 &&
		      mac_underruns == 0,
	      "tx: a frame the MAC cuts after 40 bytes (its tx_done %lld clocks before its last row): written back DONE once, the two after it sent whole (HEAD %u, %d dones)",
	      (long long)first_last - (long long)first_done, t->tx_head, tx_dones);
	mac_model = false;
}

// the doorbell that hands over a parked frame's EOP, at each clock of the
// descriptor read that parks the queue and after: the frame is sent
// without another doorbell (the park records the TAIL its decision saw)
static void case_tx_park_race()
{
	int lost = 0, first = -1;
	for (int w = 0; w < 40; w++) {
		reset_all();
		mem_reset();
		tx_reset_queue(4);
		auto f = tx_frame({100, 100});
		t->tx_tail = 1;   // the first descriptor only
		run_until([] { return !rlog.empty(); });
		run(w);
		t->tx_tail = 2;
		bool ok = run_until([] { return t->tx_head == 2 && !t->tx_busy; }, 20000);
		if (!(ok && tx_frames.size() == 1 && tx_frames[0] == f) && !lost++)
			first = w;
	}
	check(lost == 0, "tx: the EOP's doorbell at each of 40 clocks from the parking descriptor read's request: the frame goes without another (%d lost, first at %d)",
	      lost, first);
}

static void case_tx_discard()
{
	reset_all();
	mem_reset();
	tx_reset_queue(6);
	t->max_frame_len = 1518;
	std::vector<std::vector<uint8_t>> want;
	// LEN 0 in the second descriptor
	uint64_t b0 = txbuf(100);
	unsigned l0 = tx_put({{b0, 100, 0}, {txbuf(10), 0, 1}});
	want.push_back(tx_frame({64}));
	// 1519 bytes: too long
	unsigned l1 = tx_put({{txbuf(1000), 1000, 0}, {txbuf(519), 519, 1}});
	want.push_back(tx_frame({1518}));
	// 32 descriptors without EOP, then an EOP one: two frames, the first
	// discarded, the second (one descriptor) sent
	std::vector<TxDesc> ds;
	for (int i = 0; i < 32; i++)
		ds.push_back({txbuf(10), 10, 0});
	unsigned l2 = tx_put(ds);
	want.push_back(tx_frame({70}));
	size_t nr = rlog.size();
	bool ok = tx_drain();
	bool read_b0 = false;
	for (size_t i = nr; i < rlog.size(); i++)
		read_b0 |= rlog[i].addr <= b0 && b0 < rlog[i].addr + 4 * rlog[i].len;
	check(ok && tx_frames == want && tx_disc == 3,
	      "tx: LEN 0, too long and 32 descriptors without EOP are discarded (%d), the frames after them sent",
	      tx_disc);
	check(r16(TXRING + 16 * l0 + 10) == 0xc001 && r16(TXRING + 16 * l1 + 10) == 0xc001 &&
		      r16(TXRING + 16 * l2 + 10) == 0xc000 && r16(TXRING + 16 * (l0 - 1) + 10) == 0 &&
		      !read_b0,
	      "tx: discards write DONE | ERR to their last descriptor (%#x %#x %#x), buffers not read",
	      r16(TXRING + 16 * l0 + 10), r16(TXRING + 16 * l1 + 10), r16(TXRING + 16 * l2 + 10));
	// a ring of 8: 7 descriptors without EOP fill it: discarded
	tx_reset_queue(3);
	tx_frames.clear();
	ds.clear();
	for (int i = 0; i < 7; i++)
		ds.push_back({txbuf(10), 10, 0});
	unsigned l3 = tx_put(ds);
	ok = tx_drain();
	check(ok && tx_frames.empty() && tx_disc == 4 && r16(TXRING + 16 * l3 + 10) == 0xc000,
	      "tx: a full ring of 8 without EOP is discarded as one frame (FLAGS %#x; ok %d, %zu sent, %d discards, HEAD %u)",
	      r16(TXRING + 16 * l3 + 10), ok, tx_frames.size(), tx_disc, t->tx_head);
	// line off: consumed, DONE without ERR, not counted
	t->line_ok = 0;
	unsigned l4 = tx_put({{txbuf(80), 80, 1}});
	ok = tx_drain();
	check(ok && tx_frames.empty() && tx_disc == 4 && r16(TXRING + 16 * l4 + 10) == 0x8001,
	      "tx: with the line off a frame is consumed: DONE | EOP, not sent, not a discard");
	t->line_ok = 1;
	t->max_frame_len = 9600;
}

static void case_tx_errors()
{
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	// descriptor read error at index 2
	std::vector<std::vector<uint8_t>> want;
	want.push_back(tx_frame({100}));
	want.push_back(tx_frame({100}));
	tx_frame({100});
	tx_frame({100});
	errs.push_back({TXRING + 32 + 4, TXRING + 32 + 8, true, false});
	t->tx_tail = tx_tail_sw;
	run_until([] { return tx_halts > 0 && !t->tx_busy; });
	size_t nr = rlog.size();
	t->tx_tail = (tx_tail_sw + 1) % 16;   // doorbell while halted
	run(3000);
	check(tx_halts == 1 && last_tx_cause == 1 && last_tx_addr == TXRING + 32 &&
		      t->tx_head == 2 && tx_frames == want && rlog.size() == nr &&
		      r16(TXRING + 32 + 10) == 1,
	      "tx: a descriptor read error halts: DESC_READ, ERR_ADDR the descriptor (%#llx), HEAD 2, a doorbell starts nothing",
	      (unsigned long long)last_tx_addr);
	// enable again: HEAD 0
	errs.clear();
	tx_reset_queue(4);
	tx_frames.clear();
	auto f = tx_frame({300});
	bool ok = tx_drain();
	check(ok && tx_frames.size() == 1 && tx_frames[0] == f && t->tx_head == 1,
	      "tx: disable and enable: HEAD 0 again, the queue runs");
	// buffer read error in the second burst of a buffer that crosses 4 KiB
	txbuf_next = (txbuf_next | 0xfff) - 200;
	uint64_t b = txbuf(3000);
	unsigned l = tx_put({{txbuf(50), 50, 0}, {b, 3000, 1}});
	errs.push_back({b + 2500, b + 2501, true, false});
	t->tx_tail = tx_tail_sw;
	run_until([] { return tx_halts > 1 && !t->tx_busy; });
	check(tx_halts == 2 && last_tx_cause == 2 && last_tx_addr == b && tx_frames.size() == 1 &&
		      t->tx_head == 1 && r16(TXRING + 16 * l + 10) == 1,
	      "tx: a buffer read error halts: BUF_ACCESS, ERR_ADDR the buffer's ADDR, nothing sent or written back");
	// DECERR: a buffer outside the memory, at a 64-bit address
	errs.clear();
	tx_reset_queue(4);
	uint64_t far = 0x8000000000000123ull;
	tx_put({{far, 64, 1}});
	t->tx_tail = tx_tail_sw;
	run_until([] { return tx_halts > 2 && !t->tx_busy; });
	check(tx_halts == 3 && last_tx_cause == 2 && last_tx_addr == far,
	      "tx: DECERR at %#llx halts with the full 64-bit ERR_ADDR", (unsigned long long)last_tx_addr);
	// write-back error: the frame was sent, HEAD stays
	tx_reset_queue(4);
	tx_frames.clear();
	f = tx_frame({200});
	errs.push_back({TXRING + 10, TXRING + 12, false, true});
	t->tx_tail = tx_tail_sw;
	run_until([] { return tx_halts > 3 && !t->tx_busy; });
	check(tx_halts == 4 && last_tx_cause == 3 && last_tx_addr == TXRING + 10 &&
		      tx_frames.size() == 1 && tx_frames[0] == f && t->tx_head == 0,
	      "tx: a write-back error halts: DESC_WRITE, ERR_ADDR the descriptor + 10; sent, HEAD stays");
	errs.clear();
}

static void case_tx_disable()
{
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	std::vector<uint8_t> f = tx_frame({1514});
	tx_frame({100});
	t->tx_tail = tx_tail_sw;
	// disable once the buffer read has started
	run_until([] { return rlog.size() > 0 && rlog.back().len > 4; });
	size_t nr0 = rlog.size();
	t->tx_enable = 0;
	run_until([] { return !t->tx_busy; });
	run(3000);
	size_t reads = 0;
	for (size_t i = nr0; i < rlog.size(); i++)
		reads += rlog[i].addr >= TXRING && rlog[i].addr < TXRING + 256;
	check(tx_frames.size() == 1 && tx_frames[0] == f && t->tx_head == 1 && reads == 0 &&
		      r16(TXRING + 10) == 0x8001 && tx_irqs == 1,
	      "tx: ENABLE 0 during a frame: it is sent and written back, HEAD 1, then nothing more is read (%zu sent, HEAD %u, %zu ring reads, FLAGS %#x, %d events)",
	      tx_frames.size(), t->tx_head, reads, r16(TXRING + 10), tx_irqs);
}

// a read burst at a (a descriptor's: bursts start 4-byte aligned) asked for
static bool read_asked(uint64_t a)
{
	for (auto &r : rlog)
		if (r.addr == a)
			return true;
	return false;
}

// the overlap (spec "TX"): the frames of the ring, each frame's events by
// the clock (its buffer read asked for, its first and last byte taken by
// the MAC, its write-back applied)
struct TxTimes {
	uint64_t rd = 0, first = 0, last = 0, wb = 0;
};

static std::vector<TxTimes> tx_times(unsigned n, std::vector<std::vector<uint8_t>> &want,
				     size_t len, bool *ok)
{
	std::vector<TxTimes> tt(n);
	std::vector<uint64_t> buf(n);
	for (unsigned i = 0; i < n; i++) {
		want.push_back(tx_frame({len}));
		buf[i] = r32(TXRING + 16 * i) | (uint64_t)r32(TXRING + 16 * i + 4) << 32;
	}
	size_t nr = rlog.size(), nw = wlog.size();
	unsigned sent = 0, began = 0;
	on_cycle = [&] {
		for (; nr < rlog.size(); nr++)
			for (unsigned i = 0; i < n; i++)
				if (rlog[nr].addr == (buf[i] & ~3ull) && !tt[i].rd)
					tt[i].rd = cyc;
		for (; nw < wlog.size(); nw++)
			for (unsigned i = 0; i < n; i++)
				if (wlog[nw].addr == TXRING + 16 * i + 10)
					tt[i].wb = cyc;
		if (t->tx_tvalid && t->tx_tready) {
			if (began == sent && began < n)
				tt[began++].first = cyc;
			if (t->tx_tlast && sent < n)
				tt[sent++].last = cyc;
		}
	};
	*ok = tx_drain();
	on_cycle = nullptr;
	for (unsigned i = 0; i < n && getenv("TB_DMA_TRACE"); i++)
		printf("# frame %u: read %llu, line %llu-%llu, write-back %llu\n", i,
		       (unsigned long long)tt[i].rd, (unsigned long long)tt[i].first,
		       (unsigned long long)tt[i].last, (unsigned long long)tt[i].wb);
	return tt;
}

static void case_tx_overlap()
{
	reset_all();
	mem_reset();
	p_txr = 100;
	tx_reset_queue(4);
	std::vector<std::vector<uint8_t>> want;
	bool ok;
	auto tt = tx_times(6, want, 1000, &ok);
	int ahead = 0, after = 0, order = 0;
	for (unsigned i = 0; i < tt.size(); i++) {
		ahead += i > 0 && tt[i].rd && tt[i].rd < tt[i - 1].last;
		after += tt[i].wb > tt[i].last;
		order += i > 0 && tt[i].wb > tt[i - 1].wb;
	}
	check(ok && tx_frames == want && ahead == 5,
	      "tx overlap: each next frame's buffers are read while the frame before is on the line (%d of 5), the 6 frames byte for byte",
	      ahead);
	check(after == 6 && order == 5,
	      "tx overlap: each write-back after its frame's last byte left (%d of 6), in fetch order (%d of 5)",
	      after, order);
	// no room for a max_frame_len frame beside the one on the line: none
	// is fetched ahead (16 KiB FIFO, 1000 + 15800 bytes)
	reset_all();
	mem_reset();
	p_txr = 100;
	t->max_frame_len = 15800;
	tx_reset_queue(4);
	want.clear();
	tt = tx_times(4, want, 1000, &ok);
	int waited = 0;
	for (unsigned i = 1; i < tt.size(); i++)
		waited += tt[i].rd > tt[i - 1].last;
	check(ok && tx_frames == want && waited == 3,
	      "tx overlap: without room for MAX_FRAME_LEN beside the frame on the line, the next is read after it (%d of 3)",
	      waited);
	// MAX_FRAME_LEN raised after a fetch started beside the frame on the
	// line: the fetched frame waits for the room it needs (S_CHECK) and
	// does not overwrite the one on the line (7000 + 12000 > 16 KiB; the
	// line slow enough that the bytes a wrap would overwrite are unsent)
	reset_all();
	mem_reset();
	p_txr = 5;
	t->max_frame_len = 7000;
	tx_reset_queue(4);
	want.clear();
	want.push_back(tx_frame({7000}));
	want.push_back(tx_frame({6000, 6000}));
	t->tx_tail = tx_tail_sw;
	bool fetching = run_until([] { return read_asked(TXRING + 16); }, 200000);
	bool was_on_line = t->tx_tvalid && tx_frames.empty();
	t->max_frame_len = 12500;
	ok = tx_drain(2000000);
	check(fetching && was_on_line && ok && tx_frames == want && tx_disc == 0,
	      "tx overlap: MAX_FRAME_LEN raised to 12500 while a 12000-byte frame is fetched beside a 7000-byte one on the line: it waits for room, both byte for byte (%zu sent)",
	      tx_frames.size());
	p_txr = 90;
}

// ENABLE 0 while a frame is fetched behind the one on the line: the one on
// the line finishes, the one behind is neither sent nor written back
static void case_tx_disable_ahead()
{
	// ENABLE 0 at each clock from the request of the frame behind's first
	// descriptor read on (its reads, its record, any clock of it), and
	// once long after (recorded, waiting for the line): the frame on the
	// line finishes; the one behind is neither sent nor written back, and
	// reads nothing after its access in flight
	int bad = 0, reads_after = 0, runs = 0;
	std::string first;
	std::vector<int> waits;
	for (int w = 0; w < 260; w++)
		waits.push_back(w);
	waits.push_back(800);
	for (int wait : waits) {
		reset_all();
		mem_reset();
		p_txr = 3;
		tx_reset_queue(4);
		std::vector<uint8_t> a = tx_frame({300});
		tx_frame({40, 30, 30});
		t->tx_tail = tx_tail_sw;
		bool fetched = run_until([] { return read_asked(TXRING + 16); });
		run(wait);
		bool on_line = tx_frames.empty() && t->tx_tvalid;
		t->tx_enable = 0;
		size_t nr = rlog.size();
		bool idle = run_until([] { return !t->tx_busy; });
		run(2000);
		runs++;
		reads_after = std::max(reads_after, (int)(rlog.size() - nr));
		bool good = fetched && on_line && idle && tx_frames.size() == 1 && tx_frames[0] == a &&
			    t->tx_head == 1 && r16(TXRING + 10) == 0x8001 && r16(TXRING + 16 * 3 + 10) == 1 &&
			    tx_irqs == 1 && tx_halts == 0;
		if (!good && !bad++) {
			char m[200];
			snprintf(m, sizeof(m), "wait %d: %zu sent, HEAD %u, FLAGS %#x %#x, on line %d",
				 wait, tx_frames.size(), t->tx_head, r16(TXRING + 10), r16(TXRING + 58), on_line);
			first = m;
		}
	}
	check(bad == 0,
	      "tx: ENABLE 0 on each of 260 clocks from the frame behind's first descriptor read (its reads, S_CHECK, its record) and once later (%d runs): the frame on the line sent and written back, HEAD 1; the one behind neither (%d wrong%s%s)",
	      runs, bad, bad ? ", first: " : "", first.c_str());
	check(reads_after <= 1, "tx: after ENABLE 0 the frame behind reads nothing more than its access in flight (at most %d read bursts)",
	      reads_after);
	// a write-back error: the frame behind it is not written back
	p_txr = 20;
	tx_reset_queue(4);
	tx_frames.clear();
	tx_frame({200});
	tx_frame({1000});
	errs.push_back({TXRING + 10, TXRING + 12, false, true});
	t->tx_tail = tx_tail_sw;
	run_until([] { return tx_halts > 0 && !t->tx_busy; });
	run(3000);
	errs.clear();
	check(tx_halts == 1 && last_tx_cause == 3 && t->tx_head == 0 && r16(TXRING + 26) == 1 &&
		      !t->tx_busy,
	      "tx: a write-back error halts the queue; its frame behind in the engine is not written back (HEAD %u, FLAGS %#x)",
	      t->tx_head, r16(TXRING + 26));
	// the same with a discard behind (LEN 0): neither written back nor
	// counted (TX_DISCARDS counts a discard once it is written back)
	tx_reset_queue(4);
	tx_frames.clear();
	tx_frame({200});
	unsigned ld = tx_put({{txbuf(10), 0, 1}});
	int disc0 = tx_disc, halts0 = tx_halts;
	errs.push_back({TXRING + 10, TXRING + 12, false, true});
	t->tx_tail = tx_tail_sw;
	run_until([&] { return tx_halts > halts0 && !t->tx_busy; });
	run(3000);
	errs.clear();
	check(tx_halts == halts0 + 1 && tx_disc == disc0 && r16(TXRING + 16 * ld + 10) == 1 &&
		      t->tx_head == 0,
	      "tx: a write-back error halts the queue; a discard behind it in the engine is neither written back nor counted (%d discards, FLAGS %#x)",
	      tx_disc - disc0, r16(TXRING + 16 * ld + 10));
	// a failed fetch behind the write-back error: one halt, the first's
	tx_reset_queue(4);
	tx_frames.clear();
	tx_frame({200});
	uint64_t bad_buf = txbuf(60);
	tx_put({{bad_buf, 60, 1}});
	halts0 = tx_halts;
	errs.push_back({TXRING + 10, TXRING + 12, false, true});
	errs.push_back({bad_buf, bad_buf + 60, true, false});
	t->tx_tail = tx_tail_sw;
	run_until([&] { return tx_halts > halts0 && !t->tx_busy; });
	run(3000);
	errs.clear();
	check(tx_halts == halts0 + 1 && last_tx_cause == 3 && last_tx_addr == TXRING + 10,
	      "tx: a write-back error with a failed fetch behind it halts the queue once, with the first error (%d halts, CAUSE %u, ERR_ADDR %#llx)",
	      tx_halts - halts0, last_tx_cause, (unsigned long long)last_tx_addr);
	p_txr = 90;
}

static void case_tx_coal()
{
	reset_all();
	mem_reset();
	tx_reset_queue(5);
	t->tx_coal = 4;   // FRAMES 4
	for (int i = 0; i < 10; i++)
		tx_frame({60});
	tx_drain();
	check(tx_irqs == 2, "tx: COAL FRAMES 4: 10 completions raise 2 events (%d)", tx_irqs);
	// USECS 3, FRAMES 0: 375 clocks at 125 MHz after the first completion
	tx_irqs = 0;
	t->tx_coal = 3u << 16;
	uint64_t t_done = 0, t_irq = 0;
	unsigned h0 = t->tx_head;
	on_cycle = [&] {
		if (!t_done && t->tx_head != h0)
			t_done = cyc;
		if (!t_irq && t->tx_irq)
			t_irq = cyc;
	};
	tx_frame({60});
	tx_drain();
	run(1000);
	on_cycle = nullptr;
	check(tx_irqs == 1 && t_irq - t_done >= 374 && t_irq - t_done <= 377,
	      "tx: COAL USECS 3: one event %llu clocks after the first completion (375 at 125 MHz; %d events)",
	      (unsigned long long)(t_irq - t_done), tx_irqs);
	// the timer output (co-simulation runs clocks in step with time only
	// while it is high): high from the completion to the event, low after
	uint64_t up = 0, down = 0;
	h0 = t->tx_head;
	on_cycle = [&] {
		if (t->tx_timer && !up)
			up = cyc;
		if (up && !down && !t->tx_timer)
			down = cyc;
		if (t->tx_irq)
			t_irq = cyc;
		if (t->tx_head != h0)
			t_done = cyc, h0 = t->tx_head;
	};
	bool low0 = !t->tx_timer && !t->rx_timer;
	tx_frame({60});
	tx_drain();
	run(1000);
	on_cycle = nullptr;
	check(low0 && up >= t_done && up <= t_done + 2 && down == t_irq && !t->tx_timer && !t->rx_timer,
	      "tx: the timer output is high from the completion (%lld clocks after HEAD) to the event (%lld after), low otherwise",
	      (long long)(up - t_done), (long long)(down - t_irq));
}

// time_en (co-simulation: time passes only on the clocks it marks): the
// USECS timer counts time_en clocks only, and timer_due says how many are
// left, all ones when no timer counts
static void case_tx_coal_time()
{
	reset_all();
	mem_reset();
	tx_reset_queue(5);
	t->tx_coal = 3u << 16;   // 375 clocks at 125 MHz
	run(10);
	uint32_t idle_due = t->tx_due, idle_rx = t->rx_due;
	t->time_en = 0;
	unsigned h0 = t->tx_head;
	tx_frame({60});
	tx_drain();
	run(2000);
	bool held = t->tx_head != h0 && t->tx_timer && !tx_irqs && t->tx_due == 375;
	uint32_t due0 = t->tx_due;
	// 100 clocks of time, then every other clock
	t->time_en = 1;
	run(100);
	uint32_t due1 = t->tx_due;
	int time_clocks = 100, k = 0;
	while (!tx_irqs && k++ < 2000) {
		t->time_en = k & 1;
		time_clocks += k & 1;
		run(1);
	}
	t->time_en = 1;
	check(idle_due == 0xffffffffu && idle_rx == 0xffffffffu && held && due1 == 275 &&
		      tx_irqs == 1 && time_clocks == 375 && !t->tx_timer &&
		      t->tx_due == 0xffffffffu,
	      "tx: time_en low holds the USECS timer (due %u after 2000 clocks without time, %u after 100 with it); it fires after 375 time_en clocks (%d), due all ones when idle",
	      due0, due1, time_clocks);
}

// frames like the IP fragments of a large ping through the driver: a
// header (the skb's linear part) and page fragments at any byte offset of
// a page, of any length (1 byte to most of a page, crossing 4 KiB), 2-5
// descriptors, up to MAX_FRAME bytes; the MAC side and the AXI read side
// with random backpressure, a ring of 64 that wraps
static void case_tx_frags()
{
	reset_all();
	mem_reset();
	head_mon = true;
	p_ar = 45, p_r = 55, p_txr = 60;
	tx_reset_queue(6);
	std::vector<std::vector<uint8_t>> want;
	bool ok = true;
	int cross = 0, tiny = 0, descs = 0;
	for (int batch = 0; batch < 25; batch++) {
		uint64_t cur = MEMBASE + 0x10000;
		for (int f = 0; f < 8; f++) {
			std::vector<uint8_t> all;
			std::vector<TxDesc> ds;
			unsigned k = 2 + rnd() % 4;
			size_t total = 0;
			for (unsigned i = 0; i < k; i++) {
				size_t n;
				if (i == 0)
					n = 14 + rnd() % 115;   // header
				else switch (rnd() % 4) {
				case 0: n = 1 + rnd() % 3; break;
				case 1: n = 1 + rnd() % 64; break;
				case 2: n = 1 + rnd() % 1500; break;
				default: n = 1 + rnd() % 4000; break;
				}
				if (total + n > 9600)
					n = 9600 - total;
				if (n == 0)
					break;
				uint64_t a = cur + rnd() % 4096;
				cur = a + n + 1;
				if ((a >> 12) != ((a + n - 1) >> 12))
					cross++;
				tiny += n < 4;
				auto v = rand_bytes(n);
				for (size_t j = 0; j < n; j++)
					M(a + j) = v[j];
				all.insert(all.end(), v.begin(), v.end());
				ds.push_back({a, (uint16_t)n, 0});
				total += n;
			}
			ds.back().flags = 1;   // EOP
			descs += ds.size();
			tx_put(ds);
			want.push_back(all);
		}
		ok &= tx_drain();
	}
	p_ar = 60, p_r = 70, p_txr = 90;
	size_t bad = want.size();
	for (size_t i = 0; i < want.size() && i < tx_frames.size(); i++)
		if (tx_frames[i] != want[i]) {
			bad = i;
			size_t j = 0;
			while (j < want[i].size() && j < tx_frames[i].size() &&
			       tx_frames[i][j] == want[i][j])
				j++;
			diag("frame %zu: %zu bytes (want %zu), first difference at byte %zu", i,
			     tx_frames[i].size(), want[i].size(), j);
			break;
		}
	check(ok && tx_frames.size() == want.size() && bad == want.size() && tx_disc == 0 &&
	      tx_halts == 0,
	      "tx: %zu fragment-like frames (%d descriptors, %d crossing 4 KiB, %d of 1-3 bytes, any byte offset) reach the MAC byte for byte under backpressure",
	      want.size(), descs, cross, tiny);
}

// ------------------------------------------------------------ TX checksum
// n bytes split into k parts (k - 1 distinct cuts at random places), the
// cuts in want (if inside the frame) among them
static std::vector<size_t> rand_split(size_t n, unsigned k, const std::vector<size_t> &want = {})
{
	std::vector<size_t> cut;
	for (size_t c : want)
		if (c > 0 && c < n && std::find(cut.begin(), cut.end(), c) == cut.end())
			cut.push_back(c);
	while (cut.size() + 1 < k && cut.size() + 1 < n) {
		size_t c = 1 + rnd() % (n - 1);
		if (std::find(cut.begin(), cut.end(), c) == cut.end())
			cut.push_back(c);
	}
	std::sort(cut.begin(), cut.end());
	std::vector<size_t> parts;
	size_t prev = 0;
	for (size_t c : cut) {
		parts.push_back(c - prev);
		prev = c;
	}
	parts.push_back(n - prev);
	return parts;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

// a TCP or UDP segment over IPv4 or IPv6 as Linux hands it to a driver
// with CHECKSUM_PARTIAL: CSUM_START at the L4 header, CSUM_OFFSET its
// check field (TCP 16, UDP 6), the field seeded with the pseudo-header sum,
// folded, not complemented (~tcp_v4_check(len, saddr, daddr, 0) and the
// like); IPv4 and TCP headers with 0-8 bytes of options.  zero: a payload
// word chosen so that the checksum computes to 0 (sent as 0xffff).
struct L4Frame {
	std::vector<uint8_t> f, pseudo;
	uint16_t start, off;
};
static L4Frame l4_frame(bool v6, bool udp, size_t payload, bool zero)
{
	size_t iph = v6 ? 40 : 20 + 4 * (rnd() % 3);
	size_t l4h = udp ? 8 : 20 + 4 * (rnd() % 3);
	size_t l4len = l4h + payload;
	uint8_t proto = udp ? 17 : 6;
	L4Frame r;
	r.f = rand_bytes(14 + iph + l4len);
	uint8_t *ip = &r.f[14];
	put16(&r.f[12], v6 ? 0x86dd : 0x0800);
	if (v6) {
		ip[0] = 0x60;
		put16(ip + 4, l4len);
		ip[6] = proto;
		r.pseudo.assign(ip + 8, ip + 40);   // source, destination
		const uint8_t tl[8] = {0, 0, (uint8_t)(l4len >> 8), (uint8_t)l4len, 0, 0, 0, proto};
		r.pseudo.insert(r.pseudo.end(), tl, tl + 8);
	} else {
		ip[0] = 0x40 | iph / 4;
		put16(ip + 2, iph + l4len);
		put16(ip + 6, 0x4000);
		ip[9] = proto;
		put16(ip + 10, 0);
		put16(ip + 10, ~ref_csum(ip, iph));
		r.pseudo.assign(ip + 12, ip + 20);
		const uint8_t tl[4] = {0, proto, (uint8_t)(l4len >> 8), (uint8_t)l4len};
		r.pseudo.insert(r.pseudo.end(), tl, tl + 4);
	}
	uint8_t *l4 = ip + iph;
	r.start = 14 + iph;
	r.off = udp ? 6 : 16;
	if (udp)
		put16(l4 + 4, l4len);
	else
		l4[12] = (l4h / 4) << 4;
	put16(l4 + r.off, ref_csum(r.pseudo.data(), r.pseudo.size()));
	if (zero) {
		// the word at the payload's start (even from CSUM_START) plus
		// the complement of the sum: the sum becomes 0xffff
		uint32_t w = (l4[l4h] << 8 | l4[l4h + 1]) + (uint16_t)~ref_csum(l4, l4len);
		put16(l4 + l4h, (w & 0xffff) + (w >> 16));
		if (ref_csum(l4, l4len) != 0xffff)
			diag("bench: the zero-checksum segment sums to %#x", ref_csum(l4, l4len));
	}
	return r;
}

// the first byte where frame a differs from b, or -1
static long first_diff(const std::vector<uint8_t> &a, const std::vector<uint8_t> &b)
{
	for (size_t j = 0; j < a.size() || j < b.size(); j++)
		if (j >= a.size() || j >= b.size() || a[j] != b[j])
			return j;
	return -1;
}

// TCP and UDP over IPv4 and IPv6 as the driver sends them: each segment
// must verify with its pseudo-header as a receiver checks it, and be what
// the spec's rule gives; split over 1-5 descriptors at any byte (odd
// offsets, inside the checksum field), buffers at any byte address, under
// backpressure on the read and MAC sides
static void case_tx_csum_l4()
{
	reset_all();
	mem_reset();
	head_mon = true;
	p_ar = 45, p_r = 55, p_txr = 60;
	tx_reset_queue(6);
	std::vector<L4Frame> ls;
	std::vector<bool> zero;
	bool ok = true;
	int in_field = 0, odd_cuts = 0, multi = 0, wb_bad = 0;
	for (int batch = 0; batch < 6; batch++) {
		std::vector<std::pair<unsigned, uint16_t>> wbs;   // EOP index, FLAGS
		for (int i = 0; i < 8; i++) {
			int kind = (batch + i) % 4;
			bool z = i >= 6;
			L4Frame l = l4_frame(kind & 1, kind & 2, (z ? 2 : 0) + rnd() % 1400, z);
			std::vector<size_t> cuts;
			if (rnd() % 3 == 0)
				cuts.push_back(l.start + l.off + 1);   // between the field's bytes
			if (rnd() % 3 == 0)
				cuts.push_back(l.start + 1 + 2 * (rnd() % 8));   // odd from CSUM_START
			auto parts = rand_split(l.f.size(), 1 + rnd() % 5, cuts);
			size_t at = 0;
			for (size_t p = 0; p + 1 < parts.size(); p++) {
				at += parts[p];
				in_field += at == (size_t)l.start + l.off + 1;
				odd_cuts += (at - l.start) & 1;
			}
			multi += parts.size() > 1;
			unsigned last = tx_put(tx_descs(l.f, parts, TXD_CSUM, l.start, l.off));
			wbs.push_back({last, (uint16_t)(0x8001 | (parts.size() == 1 ? TXD_CSUM : 0))});
			ls.push_back(l);
			zero.push_back(z);
		}
		ok &= tx_drain();
		for (auto &w : wbs)
			wb_bad += r16(TXRING + 16 * w.first + 10) != w.second;
	}
	p_ar = 60, p_r = 70, p_txr = 90;
	check(ok && tx_frames.size() == ls.size() && tx_disc == 0 && tx_halts == 0 && !wb_bad,
	      "tx csum: %zu TCP/UDP segments over IPv4/IPv6 with CSUM sent, %d over 2-5 descriptors (%d cuts at odd offsets from CSUM_START, %d between the checksum's two bytes), write-back DONE | EOP (| CSUM if one descriptor) (%d wrong)",
	      tx_frames.size(), multi, odd_cuts, in_field, wb_bad);
	int verified = 0, zeros = 0;
	for (size_t i = 0; i < ls.size() && i < tx_frames.size(); i++) {
		const L4Frame &l = ls[i];
		const std::vector<uint8_t> &out = tx_frames[i];
		std::vector<uint8_t> want = l.f;
		ref_tx_csum(want, l.start, l.off);
		long d = first_diff(out, want);
		if (d >= 0) {
			diag("segment %zu (%s over IPv%d, %zu bytes, CSUM_START %u OFFSET %u): byte %ld differs",
			     i, l.off == 6 ? "UDP" : "TCP", l.pseudo.size() == 40 ? 6 : 4, l.f.size(),
			     l.start, l.off, d);
			continue;
		}
		// the receiver's check: pseudo-header plus segment sums to 0xffff
		std::vector<uint8_t> v = l.pseudo;
		v.insert(v.end(), out.begin() + l.start, out.end());
		uint16_t c = out[l.start + l.off] << 8 | out[l.start + l.off + 1];
		if (ref_csum(v.data(), v.size()) == 0xffff && c != 0)
			verified++;
		else
			diag("segment %zu: checksum %#x does not verify", i, c);
		if (zero[i])
			zeros += c == 0xffff;
	}
	check_diags("tx csum: each segment is the frame with ~sum from CSUM_START at CSUM_START + CSUM_OFFSET, big-endian, nothing else changed");
	check(verified == (int)ls.size(),
	      "tx csum: every segment (%d of %zu) verifies with its pseudo-header as a receiver checks it",
	      verified, ls.size());
	check(zeros == 12, "tx csum: the 12 TCP and UDP segments whose checksum computes to 0 carry 0xffff (%d)",
	      zeros);
}

// any CSUM_START and CSUM_OFFSET, frames of 2 to 2000 bytes over 1-5
// descriptors, against the spec's rule: the checksum where the offsets say,
// a discard (DONE | ERR, TX_DISCARDS, buffers not read) when CSUM_START +
// CSUM_OFFSET + 2 exceeds the frame (computed without 16-bit wrap), no
// change without CSUM in the first descriptor
static void case_tx_csum_offsets()
{
	reset_all();
	mem_reset();
	head_mon = true;
	p_txr = 70;
	tx_reset_queue(6);
	struct Edge {
		size_t len;
		uint16_t start, off;
		bool sent;
	};
	// the edges: the field at the very end, one byte beyond, offsets that
	// wrap in 16 bits to a place inside the frame
	const Edge edges[] = {
		{2, 0, 0, true}, {100, 0, 98, true}, {100, 98, 0, true}, {100, 60, 38, true},
		{100, 99, 0, false}, {100, 100, 0, false}, {100, 0, 99, false}, {100, 61, 38, false},
		{100, 0xfffe, 2, false}, {100, 2, 0xfffe, false}, {100, 0xffff, 0xffff, false},
		{61, 59, 0, true}, {61, 60, 0, false},
	};
	std::vector<std::vector<uint8_t>> want;
	int n_csum = 0, n_disc = 0, n_plain = 0, n_later = 0, wb_bad = 0, frames = 0;
	std::vector<std::string> wb_msgs;
	size_t read_bad = 0;
	bool ok = true;
	size_t e = 0;
	for (int batch = 0; batch < 25; batch++) {
		std::vector<std::pair<unsigned, uint16_t>> wbs;
		std::vector<std::pair<uint64_t, uint64_t>> unread;   // discarded buffers
		unsigned used = 0;
		while (used < 56) {
			size_t len = rnd() % 4 ? 2 + rnd() % 1999 : 2 + rnd() % 58;
			int mode = rnd() % 10;
			uint16_t start = rnd(), off = rnd(), f0 = 0, fe = 0;
			bool sent = true;
			if (e < sizeof(edges) / sizeof(edges[0])) {
				len = edges[e].len, start = edges[e].start, off = edges[e].off;
				sent = edges[e].sent, f0 = TXD_CSUM, mode = -1;
				e++;
			} else if (mode <= 5) {
				start = rnd() % (len - 1);
				off = rnd() % (len - 1 - start);
				f0 = TXD_CSUM;
			} else if (mode == 6) {   // 1-50 bytes beyond the end
				uint32_t end = len + 1 + rnd() % 50;   // start + off + 2
				start = rnd() % (end - 1);
				off = end - 2 - start;
				f0 = TXD_CSUM, sent = false;
			} else if (mode == 7) {   // wraps in 16 bits to inside the frame
				start = 0x8000 + rnd() % 0x7fff;
				off = 0x10000 + rnd() % (len - 1) - start;
				f0 = TXD_CSUM, sent = false;
			} else if (mode == 9) {   // CSUM in a later descriptor only
				fe = TXD_CSUM;
			}
			auto parts = rand_split(len, 1 + rnd() % 5);
			if (mode == 9 && parts.size() == 1)
				fe = 0;
			std::vector<uint8_t> f = rand_bytes(len);
			auto ds = tx_descs(f, parts, f0, start, off, fe);
			unsigned last = tx_put(ds);
			used += parts.size();
			frames++;
			uint16_t eop_flags = ds.back().flags & (TXD_EOP | TXD_CSUM);
			wbs.push_back({last, (uint16_t)(0x8000 | eop_flags | (sent ? 0 : 0x4000))});
			if (!sent) {
				n_disc++;
				for (auto &d : ds)
					unread.push_back({d.addr, d.addr + d.len});
				continue;
			}
			if (f0) {
				ref_tx_csum(f, start, off);
				n_csum++;
			} else if (fe)
				n_later++;
			else
				n_plain++;
			want.push_back(f);
		}
		size_t nr = rlog.size();
		ok &= tx_drain();
		for (auto &w : wbs)
			if (r16(TXRING + 16 * w.first + 10) != w.second && wb_bad++ < 5) {
				char m[80];
				snprintf(m, sizeof(m), "descriptor %u: FLAGS %#x, want %#x", w.first,
					 r16(TXRING + 16 * w.first + 10), w.second);
				wb_msgs.push_back(m);
			}
		for (size_t i = nr; i < rlog.size(); i++)
			for (auto &u : unread)
				read_bad += rlog[i].addr < u.second && u.first < rlog[i].addr + 4 * rlog[i].len;
	}
	p_txr = 90;
	check(ok && tx_frames.size() == want.size() && !tx_halts,
	      "tx csum: %d frames of 2-2000 bytes over 1-5 descriptors: %d with a checksum at random CSUM_START/OFFSET, %d without CSUM, %d with CSUM only in a later descriptor sent (%zu of %zu)",
	      frames, n_csum, n_plain, n_later, tx_frames.size(), want.size());
	for (size_t i = 0, bad = 0; i < want.size() && i < tx_frames.size() && bad < 5; i++) {
		long d = first_diff(tx_frames[i], want[i]);
		if (d >= 0 && ++bad)
			diag("frame %zu of %zu sent: %zu bytes (want %zu), first difference at byte %ld",
			     i, want.size(), tx_frames[i].size(), want[i].size(), d);
	}
	check_diags("tx csum: each sent frame is the spec's result byte for byte (CSUM in a later descriptor changes nothing)");
	check(tx_disc == n_disc && !read_bad,
	      "tx csum: the %d frames whose CSUM_START + CSUM_OFFSET + 2 exceeds the length (the edges, 16-bit wraps included) are discarded (%d), their buffers not read (%zu reads)",
	      n_disc, tx_disc, read_bad);
	for (auto &m : wb_msgs)
		diag("%s", m.c_str());
	check(!wb_bad, "tx csum: write-back DONE | EOP, CSUM as written in the EOP descriptor, ERR for the discards (%d wrong)",
	      wb_bad);
}

// both TX queues reset and enabled, 16 descriptors each: queue 0's ring at
// the usual place, queue 1's (returned) at MEMBASE + 0x5000
static uint64_t tx_two_queues()
{
	const uint64_t ring1 = MEMBASE + 0x5000;

	reset_all();
	mem_reset();
	tx_reset_queue(4);
	t->tx1_base = ring1;
	t->tx1_log2 = 4;
	t->tx1_tail = 0;
	t->tx1_enable = 1;
	run(3);
	return ring1;
}

// a queue parked for its EOP after its first descriptor (CSUM and its
// offsets) was read: the other queue's checksummed frame goes first, then
// the parked frame's checksum uses its own offsets
static void case_tx_csum_park()
{
	const uint64_t ring1 = tx_two_queues();
	L4Frame a = l4_frame(false, false, 300, false), b = l4_frame(true, true, 200, false);
	tx_put(tx_descs(a.f, {(size_t)a.start + 3, a.f.size() - a.start - 3}, TXD_CSUM, a.start,
			 a.off));
	t->tx_tail = 1;   // the EOP descriptor not handed over
	run(3000);
	auto db = tx_descs(b.f, {b.f.size()}, TXD_CSUM, b.start, b.off);
	tx_desc_write(ring1, db[0]);
	t->tx1_tail = 1;
	bool ok = run_until([] { return t->tx1_head == 1 && !t->tx1_busy; }, 100000);
	ok &= tx_drain();
	ref_tx_csum(a.f, a.start, a.off);
	ref_tx_csum(b.f, b.start, b.off);
	check(ok && tx_frames.size() == 2 && tx_frames[0] == b.f && tx_frames[1] == a.f,
	      "tx csum: queue 0 parked for its EOP, queue 1's UDP/IPv6 frame first, then queue 0's TCP/IPv4 frame, each with its own checksum");
	t->tx1_enable = 0;
}

// a one-descriptor frame of n random bytes at index i of queue 1's ring
static std::vector<uint8_t> tx1_frame(uint64_t ring1, unsigned i, size_t n)
{
	uint64_t a = txbuf(n);
	auto v = rand_bytes(n);
	for (size_t j = 0; j < n; j++)
		M(a + j) = v[j];
	w64(ring1 + 16 * i, a);
	w16(ring1 + 16 * i + 8, n);
	w16(ring1 + 16 * i + 10, 1);
	return v;
}

// two TX queues: served round-robin; a queue parked for its EOP does not
// hold up the other
static void case_tx_rr()
{
	const uint64_t ring1 = tx_two_queues();
	std::vector<std::vector<uint8_t>> f0, f1, want;
	for (int i = 0; i < 4; i++)
		f0.push_back(tx_frame({60 + rnd() % 200}));
	for (int i = 0; i < 4; i++)
		f1.push_back(tx1_frame(ring1, i, 60 + rnd() % 200));
	for (int i = 0; i < 4; i++) {
		want.push_back(f0[i]);
		want.push_back(f1[i]);
	}
	t->tx1_tail = 4;
	bool ok = tx_drain();
	ok &= run_until([] { return t->tx1_head == 4 && !t->tx1_busy; });
	check(ok && tx_frames == want && r16(ring1 + 16 * 3 + 10) == 0x8001,
	      "tx: two queues with 4 frames each are served round-robin (q0 q1 q0 q1 ...)");
	// queue 0 parked for its EOP, queue 1 goes on
	tx_frames.clear();
	tx_frame({100, 100});
	t->tx_tail = (tx_tail_sw + 15) % 16;   // the EOP descriptor not handed over
	auto v = tx1_frame(ring1, 4, 80);
	t->tx1_tail = 5;
	ok = run_until([] { return t->tx1_head == 5; }, 100000);
	check(ok && tx_frames.size() == 1 && tx_frames[0] == v && t->tx_head == 4,
	      "tx: a queue parked for its EOP does not hold up the other queue");
	t->tx1_enable = 0;
}

// more of the overlap: a checksum field across the TX FIFO's wrap, the
// line going off with frames fetched ahead, a write-back error on one queue
// while the other's frames are in the engine
static void case_tx_overlap_more()
{
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	std::vector<std::vector<uint8_t>> want;
	want.push_back(tx_frame({9000}));
	// the second frame starts at FIFO index 9000: its field at 7383 is
	// at indexes 16383 and 0 of the 16 KiB FIFO
	std::vector<uint8_t> f = rand_bytes(8000);
	tx_put(tx_descs(f, {3000, 5000}, TXD_CSUM, 7000, 383));
	ref_tx_csum(f, 7000, 383);
	want.push_back(f);
	bool ok = tx_drain();
	check(ok && tx_frames == want, "tx csum: a checksum field across the TX FIFO's wrap (indexes 16383 and 0) is put in whole");

	// the line goes off (TX_EN 0) while a frame is on it and two are fetched
	// behind: it finishes; the two are consumed unsent, written back DONE
	reset_all();
	mem_reset();
	p_txr = 3;
	tx_reset_queue(4);
	want.clear();
	want.push_back(tx_frame({400}));
	tx_frame({100});
	tx_frame({100});
	t->tx_tail = tx_tail_sw;
	bool ahead = run_until([] { return read_asked(TXRING + 16); });
	t->line_ok = 0;
	ok = run_until([] { return t->tx_head == 3 && !t->tx_busy; }, 200000);
	t->line_ok = 1;
	check(ahead && ok && tx_frames == want && r16(TXRING + 10) == 0x8001 && r16(TXRING + 26) == 0x8001 &&
		      r16(TXRING + 42) == 0x8001 && tx_sents == 1 && tx_disc == 0,
	      "tx overlap: the line off with a frame on it and two fetched behind: it is sent, the two consumed unsent and written back DONE, HEAD 3 (%zu sent, HEAD %u, FLAGS %#x %#x %#x)",
	      tx_frames.size(), t->tx_head, r16(TXRING + 10), r16(TXRING + 26), r16(TXRING + 42));
	p_txr = 90;

	// queue 0's write-back fails while queue 1's frames are in the engine:
	// queue 0 halts, queue 1 goes on
	const uint64_t ring1 = tx_two_queues();
	p_txr = 20;
	tx_frames.clear();
	tx_halts = 0;
	tx_frame({300});
	std::vector<std::vector<uint8_t>> f1;
	for (int i = 0; i < 3; i++)
		f1.push_back(tx1_frame(ring1, i, 200));
	errs.push_back({TXRING + 16 * (tx_tail_sw - 1) + 10, TXRING + 16 * (tx_tail_sw - 1) + 12, false, true});
	t->tx_tail = tx_tail_sw;
	t->tx1_tail = 3;
	ok = run_until([] { return t->tx1_head == 3 && !t->tx1_busy && !t->tx_busy; }, 400000);
	errs.clear();
	size_t from1 = 0;
	for (auto &fr : tx_frames)
		for (auto &v : f1)
			from1 += fr == v;
	check(ok && tx_halts == 1 && last_tx_cause == 3 && from1 == 3 && r16(ring1 + 42) == 0x8001,
	      "tx overlap: a write-back error on queue 0 halts it; queue 1's 3 frames in and behind the engine are sent and written back (%zu of 3, %d halts)",
	      from1, tx_halts);
	t->tx1_enable = 0;
	p_txr = 90;
}

// soft reset: hold stops the master after the burst in flight
static void case_hold()
{
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	rx_reset_queue(4);
	for (int i = 0; i < 8; i++)
		tx_frame({1500});
	for (int i = 0; i < 15; i++)
		rx_post(2048);
	for (int i = 0; i < 4; i++)
		send(rand_bytes(1000));
	t->tx_tail = tx_tail_sw;
	run(3000);
	t->hold = 1;
	bool q = run_until([] { return t->quiet && rq.empty() && awq.empty() && bq.empty(); }, 20000);
	size_t nr = rlog.size(), nw = wlog.size();
	run(5000);
	check(q && rlog.size() == nr && wlog.size() == nw,
	      "hold (soft reset): the master finishes the burst in flight and starts nothing more");
	rx_in.clear();
	rx_pos = 0;
	t->hold = 0;
}

// a one-clock reset (SOFT_RESET's) while the TX engine's write-back waits
// for the master under hold: nothing of the frames before it is written
// back or completed after it
static void case_tx_reset_pending_wb()
{
	reset_all();
	mem_reset();
	p_txr = 100;
	tx_reset_queue(4);
	for (int i = 0; i < 3; i++)
		tx_frame({200});
	t->tx_tail = tx_tail_sw;
	bool on_line = run_until([] { return t->tx_tvalid; });
	t->hold = 1;
	bool waits = run_until([] { return !t->tx_tvalid && t->quiet; }, 20000);
	run(20);
	int irqs = tx_irqs;
	size_t nw = wlog.size();
	t->tx_enable = 0;   // (the register file's reset clears ENABLE)
	t->rst = 1;
	run(1);
	t->rst = 0;
	t->hold = 0;
	run(3000);
	size_t ring_writes = 0;
	for (size_t i = nw; i < wlog.size(); i++)
		ring_writes += wlog[i].addr >= TXRING && wlog[i].addr < TXRING + 256;
	check(on_line && waits && ring_writes == 0 && t->tx_head == 0 && tx_irqs == irqs && !t->tx_busy,
	      "tx: a one-clock reset with a write-back waiting under hold: nothing written back or completed after it (%zu ring writes, HEAD %u)",
	      ring_writes, t->tx_head);
	p_txr = 90;
}

// ------------------------------------------------------------ RX cases
// ------------------------------------------------------------ RSS
static const uint8_t ms_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

// a random frame: IPv4 TCP, IPv6 UDP, IPv4 ICMP or ARP; its RSS_HASH and
// HASH_TYPE by the spec's rules (the parser's own bench, tb_rxparse,
// covers the rules; this one the steering and the write-back)
static std::vector<uint8_t> rss_frame(RxWb *wb)
{
	int kind = rnd() % 4;
	std::vector<uint8_t> f = rand_bytes(60 + rnd() % 1455);
	size_t n = 0;
	uint8_t in[36];
	f[12] = kind == 3 ? 0x08 : kind == 1 ? 0x86 : 0x08;
	f[13] = kind == 3 ? 0x06 : kind == 1 ? 0xdd : 0x00;
	if (kind == 0 || kind == 2) {
		f[14] = 0x45;
		f[20] = f[20] & 0x40;   // DF or nothing: not a fragment
		f[21] = 0;
		f[23] = kind == 0 ? 6 : 1;
		memcpy(in, &f[26], kind == 0 ? 12 : 8);
		n = kind == 0 ? 12 : 8;
	} else if (kind == 1) {
		f[14] = 0x60;
		f[20] = 17;
		memcpy(in, &f[22], 36);
		n = 36;
	}
	wb->hash = n ? ref_toeplitz(ms_key, 40, in, n) : 0;
	wb->csum = ref_csum(&f[14], f.size() - 14);
	wb->st = 2 | (n == 0 ? 0 : n == 8 ? 4 : 8);   // CSUM_VALID, HASH_TYPE
	return f;
}

// queue q of the table: entry hash[6:0], entries of 2 or more mean queue 0
static unsigned rss_queue(const RxWb &wb, const uint8_t *tab)
{
	return wb.st & 0xc && tab[wb.hash & 127] < 2 ? tab[wb.hash & 127] : 0;
}

static void case_rx_rss()
{
	static const uint64_t RXRING1 = MEMBASE + 0x8000;
	reset_all();
	mem_reset();
	rx_reset_queue(6);
	rx_ifg = 2000;   // no overflow
	uint8_t tab[128];
	for (int i = 0; i < 10; i++)
		t->rss_key[i] = ms_key[4 * i] | ms_key[4 * i + 1] << 8 | ms_key[4 * i + 2] << 16 |
				(uint32_t)ms_key[4 * i + 3] << 24;
	for (int e = 0; e < 128; e++) {
		tab[e] = rnd() % 4;   // 2 and 3: no such queue, queue 0
		t->rss_indir[e / 4] = (t->rss_indir[e / 4] & ~(0xffu << 8 * (e % 4))) |
				      (uint32_t)tab[e] << 8 * (e % 4);
	}
	t->rss_en = 1;
	t->csum_en = 1;
	// queue 1: 64 descriptors at RXRING1, 40 buffers of 2048 bytes
	std::vector<RxPost> posted1(64);
	t->rx1_base = RXRING1;
	t->rx1_log2 = 6;
	t->rx1_tail = 0;
	t->rx1_enable = 1;
	for (int i = 0; i < 40; i++) {
		uint64_t a = MEMBASE + 0x40000 + 2112 * i + rnd() % 64;
		w64(RXRING1 + 16 * i, a);
		w16(RXRING1 + 16 * i + 8, 2048);
		w16(RXRING1 + 16 * i + 10, 0);
		w16(RXRING1 + 16 * i + 12, 0x5555);
		w16(RXRING1 + 16 * i + 14, 0x5555);
		posted1[i] = {a, 2048};
	}
	for (int i = 0; i < 60; i++)
		rx_post(2048);
	t->rx1_tail = 40;
	run(20);   // the key across into rx_clk's domain
	std::vector<std::vector<uint8_t>> fs[2];
	std::vector<RxWb> wbs[2];
	for (int i = 0; i < 30; i++) {
		RxWb wb;
		std::vector<uint8_t> f = rss_frame(&wb);
		unsigned q = rss_queue(wb, tab);
		fs[q].push_back(f);
		wbs[q].push_back(wb);
		send(f);
	}
	unsigned n0 = fs[0].size(), n1 = fs[1].size();
	bool ok = run_until([&] { return rx_idle() && t->rx_head == n0 && t->rx1_head == n1; });
	check(ok && n0 && n1, "rss: 30 frames steered by the indirection table: queue 0 HEAD %u "
	      "(want %u), queue 1 HEAD %u (want %u)", t->rx_head, n0, t->rx1_head, n1);
	for (unsigned i = 0; i < n0; i++)
		rx_check_frame(i, fs[0][i], "rss queue 0", wbs[0][i]);
	for (unsigned i = 0; i < n1; i++)
		rx_check_frame(i, fs[1][i], "rss queue 1", wbs[1][i], RXRING1, &posted1);
	check_diags("rss: each frame in its queue's ring in order, RSS_HASH, CSUM, CSUM_VALID "
		    "and HASH_TYPE in the write-back");
	check(rx_irqs == (int)n0 && rx1_irqs == (int)n1 && rx_nobufs == 0 && rx1_nobufs == 0 &&
	      rx_halts == 0 && !proto, "rss: one completion per frame on its queue (%d, %d)",
	      rx_irqs, rx1_irqs);

	// queue 1 disabled: its frames are dropped (RX_NOBUF on queue 1),
	// queue 0's still arrive
	t->rx1_enable = 0;
	unsigned want1 = 0, want0 = 0;
	for (int i = 0; i < 12; i++) {
		RxWb wb;
		std::vector<uint8_t> f = rss_frame(&wb);
		if (rss_queue(wb, tab))
			want1++;
		else
			want0++;
		send(f);
	}
	ok = run_until([&] { return rx_idle() && t->rx_head == n0 + want0; });
	check(ok && rx1_nobufs == (int)want1 && t->rx1_head == n1,
	      "rss: queue 1 disabled: its %u frames dropped as RX_NOBUF (%d), queue 0 got %u",
	      want1, rx1_nobufs, t->rx_head - n0);
	rx_ifg = 20;
}

static void case_rx_single()
{
	reset_all();
	mem_reset();
	head_mon = true;
	rx_reset_queue(4);
	rx_ifg = 2000;   // slower than this bench's AXI model: no overflow
	for (int i = 0; i < 15; i++)
		rx_post(2048);
	std::vector<std::vector<uint8_t>> fs;
	size_t nr = rlog.size();
	for (int i = 0; i < 12; i++) {
		fs.push_back(rand_bytes(60 + rnd() % 1455));
		send(fs.back());
	}
	bool ok = run_until([] { return rx_idle() && t->rx_head == 12; });
	check(ok, "rx: 12 frames into 2048-byte buffers: HEAD 12 (%u)", t->rx_head);
	// a frame one descriptor takes whole: that descriptor read once
	int ring_reads = 0;
	for (size_t i = nr; i < rlog.size(); i++)
		ring_reads += rlog[i].addr >= RXRING && rlog[i].addr < RXRING + 16 * 16;
	check(ring_reads == 12, "rx: each frame's one descriptor is read once (%d reads for 12 frames)",
	      ring_reads);
	for (unsigned i = 0; i < 12; i++)
		rx_check_frame(i, fs[i], "rx single");
	check_diags("rx: each frame byte for byte in its buffer; LEN, STATUS = DONE | EOP, the rest 0; no byte outside");
	check(rx_irqs == 12 && rx_nobufs == 0 && rx_halts == 0 && rx_ovfs == 0 && !proto,
	      "rx: COAL 1: one event per frame (%d), no drop, no halt, bursts legal", rx_irqs);
	rx_ifg = 20;
}

static void case_rx_multi()
{
	reset_all();
	mem_reset();
	head_mon = true;
	rx_reset_queue(6);
	rx_ifg = 3000;
	for (int i = 0; i < 63; i++)
		rx_post(64 + rnd() % 300);
	std::vector<std::vector<uint8_t>> fs;
	std::vector<size_t> heads, logpos;
	unsigned h = 0;
	on_cycle = [&] {
		if (t->rx_head != h) {
			heads.push_back(t->rx_head);
			logpos.push_back(wlog.size());
			h = t->rx_head;
		}
	};
	wlog.clear();
	for (int i = 0; i < 5; i++) {
		fs.push_back(rand_bytes(200 + rnd() % 1000));
		send(fs.back());
	}
	// a frame that is dropped by the MAC (rx_tuser) never shows
	send(rand_bytes(100), true);
	bool ok = run_until([] { return rx_idle(); });
	on_cycle = nullptr;
	rx_ifg = 20;
	unsigned idx = 0, prev_log = 0;
	bool order = ok && heads.size() == 5;
	for (size_t i = 0; i < fs.size(); i++) {
		int n = rx_check_frame(idx, fs[i], "rx multi");
		if (i < heads.size() && heads[i] != (idx + n) % 64)
			diag("frame %zu: HEAD %zu, want %u", i, heads[i], (idx + n) % 64);
		// the frame's last n writes are its STATUS words, last to first
		if (i < logpos.size()) {
			size_t end = logpos[i];
			for (int j = 0; j < n; j++) {
				size_t li = end - 1 - (n - 1 - j);
				uint64_t want = RXRING + 16 * ((idx + n - 1 - j) % 64) + 10;
				if (li < prev_log || li >= wlog.size() || wlog[li].addr != want ||
				    wlog[li].n != 2)
					order = false;
			}
			prev_log = end;
		}
		idx = (idx + n) % 64;
	}
	check_diags("rx: frames of 200-1200 bytes over 64-363-byte buffers: every buffer full but the last, data, LEN, STATUS");
	check(order, "rx: per frame the STATUS words are the last writes, from the last descriptor to the first, and HEAD moves after them");
}

static void case_rx_wait()
{
	reset_all();
	mem_reset();
	rx_reset_queue(4);
	rx_post(100);
	auto f1 = rand_bytes(300), f2 = rand_bytes(80);
	send(f1);
	send(f2);
	run(8000);
	bool waited = t->rx_head == 0 && t->rx_busy && rx_nobufs == 0;
	rx_post(100, false);
	rx_post(150, false);
	rx_post(200);
	bool ok = run_until([] { return rx_idle() && t->rx_head == 4; });
	int n = rx_check_frame(0, f1, "rx wait f1");
	rx_check_frame(n, f2, "rx wait f2");
	check(waited && ok && n == 3,
	      "rx: a frame waits for buffers (and the frame behind it), stored when TAIL hands them over");
	// more than a full ring holds: 7 x 64 < 600
	rx_reset_queue(3);
	for (int i = 0; i < 7; i++)
		rx_post(64);
	send(rand_bytes(600));
	auto f3 = rand_bytes(100);
	send(f3);
	ok = run_until([] { return rx_idle() && t->rx_head == 2; });
	rx_check_frame(0, f3, "rx after nobuf");
	check(ok && rx_nobufs == 1,
	      "rx: a frame larger than a full ring of 8 is dropped (RX_NOBUF %d), the next one stored", rx_nobufs);
	// disabled queue: dropped, counted
	t->rx_enable = 0;
	send(rand_bytes(90));
	run_until([] { return rx_idle(); });
	check(rx_nobufs == 2 && t->rx_head == 2, "rx: a disabled queue drops the frame, RX_NOBUF");
}

static void case_rx_overflow()
{
	reset_all();
	mem_reset();
	rx_reset_queue(4);
	std::vector<std::vector<uint8_t>> fs;
	for (int i = 0; i < 8; i++) {
		fs.push_back(rand_bytes(1000));
		send(fs.back());
	}
	run_until([] { return rx_in.empty(); });
	run(100);
	int ovf = rx_ovfs;
	for (int i = 0; i < 15; i++)
		rx_post(1500);
	run_until([] { return rx_idle() && t->rx_head == 4; }, 200000);
	for (unsigned i = 0; i < 4; i++)
		rx_check_frame(i, fs[i], "rx after overflow");
	check(ovf == 4 && t->rx_head == 4 && rx_ovfs == 4,
	      "rx: 8 x 1000 bytes into a 4 KiB FIFO without buffers: 4 overflow (%d), the 4 first stored in order",
	      ovf);
}

static void case_rx_errors()
{
	reset_all();
	mem_reset();
	rx_reset_queue(4);
	// descriptor read error
	rx_post(2048);
	errs.push_back({RXRING, RXRING + 1, true, false});
	send(rand_bytes(100));
	run_until([] { return rx_idle(); });
	check(rx_halts == 1 && last_rx_cause == 1 && last_rx_addr == RXRING && rx_nobufs == 1 &&
		      t->rx_head == 0,
	      "rx: a descriptor read error halts: DESC_READ at the descriptor, the frame dropped (RX_NOBUF)");
	send(rand_bytes(100));
	run_until([] { return rx_idle(); });
	check(rx_nobufs == 2 && rx_halts == 1, "rx: a halted queue drops frames (RX_NOBUF)");
	errs.clear();
	// BUF_LEN 0
	rx_reset_queue(4);
	rx_post(100);
	rx_post(0);
	send(rand_bytes(150));
	run_until([] { return rx_idle(); });
	check(rx_halts == 2 && last_rx_cause == 5 && last_rx_addr == RXRING + 16 &&
		      r16(RXRING + 10) == 0,
	      "rx: BUF_LEN 0 reached by a frame halts: DESC_INVALID at that descriptor, nothing written");
	// the last descriptor's BUF_LEN made short between its scan and its
	// second read (once the first descriptor is read again)
	rx_reset_queue(4);
	rx_post(100);
	rx_post(100);
	size_t rl0 = rlog.size();
	on_cycle = [&] {
		int reads0 = 0;
		for (size_t i = rl0; i < rlog.size(); i++)
			reads0 += rlog[i].addr == RXRING;
		if (reads0 == 2)
			w16(RXRING + 16 + 8, 20);
	};
	send(rand_bytes(150));
	run_until([] { return rx_idle(); });
	on_cycle = nullptr;
	check(rx_halts == 3 && last_rx_cause == 5 && last_rx_addr == RXRING + 16 &&
		      r16(RXRING + 10) == 0 && r16(RXRING + 16 + 10) == 0,
	      "rx: a last descriptor's BUF_LEN short of the rest when read again halts: DESC_INVALID at it (%#llx), no STATUS written",
	      (unsigned long long)last_rx_addr);
	// buffer write error
	rx_reset_queue(4);
	rx_post(100);
	rx_post(1000);
	errs.push_back({rx_posted[1].addr + 600, rx_posted[1].addr + 601, false, true});
	send(rand_bytes(900));
	run_until([] { return rx_idle(); });
	check(rx_halts == 4 && last_rx_cause == 2 && last_rx_addr == rx_posted[1].addr &&
		      r16(RXRING + 10) == 0 && r16(RXRING + 16 + 10) == 0 && t->rx_head == 0,
	      "rx: a buffer write error halts: BUF_ACCESS, ERR_ADDR the buffer's ADDR, no STATUS written");
	errs.clear();
	// body write error
	rx_reset_queue(4);
	rx_post(100);
	errs.push_back({RXRING + 8, RXRING + 9, false, true});
	send(rand_bytes(60));
	run_until([] { return rx_idle(); });
	check(rx_halts == 5 && last_rx_cause == 3 && last_rx_addr == RXRING && r16(RXRING + 10) == 0,
	      "rx: a descriptor body write error halts: DESC_WRITE at the descriptor, STATUS not written");
	errs.clear();
	// the body's second write (bytes 12-15): ERR_ADDR still the descriptor
	rx_reset_queue(4);
	rx_post(100);
	errs.push_back({RXRING + 12, RXRING + 13, false, true});
	send(rand_bytes(60));
	run_until([] { return rx_idle(); });
	check(rx_halts == 6 && last_rx_cause == 3 && last_rx_addr == RXRING && r16(RXRING + 10) == 0,
	      "rx: a body write error in bytes 12-15 halts: DESC_WRITE at the descriptor (%#llx), STATUS not written",
	      (unsigned long long)last_rx_addr);
	errs.clear();
	// STATUS write error on the second of three: the third written, the first not
	rx_reset_queue(4);
	rx_post(100);
	rx_post(100);
	rx_post(100);
	errs.push_back({RXRING + 16 + 10, RXRING + 16 + 12, false, true});
	send(rand_bytes(250));
	run_until([] { return rx_idle(); });
	check(rx_halts == 7 && last_rx_cause == 3 && last_rx_addr == RXRING + 16 + 10 &&
		      r16(RXRING + 32 + 10) == 0x8001 && r16(RXRING + 10) == 0 && t->rx_head == 0,
	      "rx: a STATUS write error halts: DESC_WRITE at descriptor + 10; later STATUS written, the first not, HEAD stays");
	errs.clear();
}

static void case_both()
{
	reset_all();
	mem_reset();
	head_mon = true;
	tx_reset_queue(6);
	rx_reset_queue(6);
	p_ar = p_r = p_aw = p_w = p_b = 35;
	rx_ifg = 1000;
	std::vector<std::vector<uint8_t>> want, fs;
	for (int i = 0; i < 30; i++) {
		want.push_back(tx_frame({1 + rnd() % 400, 1 + rnd() % 1100}));
		fs.push_back(rand_bytes(60 + rnd() % 940));
		send(fs.back());
	}
	for (int i = 0; i < 63; i++)
		rx_post(512 + rnd() % 1536);
	t->tx_tail = tx_tail_sw;
	// a read and a write in flight on the same clock (fe_dma_port: the TX
	// engine's reads beside the RX engine's writes)
	uint64_t overlap = 0;
	on_cycle = [&] {
		bool rd = t->m_arvalid || !rq.empty();
		bool wr = t->m_awvalid || t->m_wvalid || !awq.empty() || !bq.empty();
		overlap += rd && wr;
	};
	bool ok = run_until([] {
		return t->tx_head == tx_tail_sw && !t->tx_busy && rx_idle() && rx_in.empty();
	}, 2000000);
	on_cycle = nullptr;
	check(overlap > 1000, "tx and rx at once: a read and a write burst in flight together on %llu clocks",
	      (unsigned long long)overlap);
	unsigned idx = 0, stored = 0;
	for (size_t i = 0; i < fs.size(); i++)
		if (!rx_lost[i]) {
			idx = (idx + rx_check_frame(idx, fs[i], "both")) % 64;
			stored++;
		}
	check(ok && tx_frames == want && idx == t->rx_head && rx_nobufs == 0 && !proto &&
		      stored + rx_ovfs == 30 && stored >= 10,
	      "tx and rx at once, all channels 35%% ready: 30 TX frames and the %u RX frames the FIFO took (%d overflowed) byte for byte (HEADs %u %u)",
	      stored, rx_ovfs, t->tx_head, t->rx_head);
	p_ar = 60, p_r = 70, p_aw = 60, p_w = 70, p_b = 60;
	rx_ifg = 20;
}

// throughput with no backpressure at all: clocks per 1514-byte frame, at
// the core clock's rate core_mhz (rx_clk the line's, 125 MHz)
static double core_mhz = 125;
static void case_throughput()
{
	reset_all();
	mem_reset();
	p_ar = p_r = p_aw = p_w = p_b = p_txr = 100;
	tx_reset_queue(4);
	rx_reset_queue(4);
	for (int i = 0; i < 8; i++)
		tx_frame({1514});
	uint64_t t0 = cyc;
	std::vector<uint64_t> ends;   // each frame's last byte to the MAC
	uint64_t reading = 0;         // clocks with a read asked for or in flight
	on_cycle = [&] {
		if (t->tx_tvalid && t->tx_tready && t->tx_tlast)
			ends.push_back(cyc);
		reading += t->m_arvalid || !rq.empty();
	};
	bool ok = tx_drain();
	on_cycle = nullptr;
	double tx_clk = (double)(cyc - 4 - t0) / 8;
	double tx_steady = ends.size() == 8 ? (double)(ends[7] - ends[0]) / 7 : 0;
	for (int i = 0; i < 8; i++)
		rx_post(2048);
	uint64_t t_in = 0, t_head = 0;
	on_cycle = [&] {
		if (!t_in && !t->rx_empty)
			t_in = cyc;
		if (!t_head && t->rx_head == 1)
			t_head = cyc;
	};
	send(rand_bytes(1514));
	ok &= run_until([] { return rx_idle(); });
	on_cycle = nullptr;
	check(ok && tx_frames.size() == 8 && t_head > t_in,
	      "throughput (all READY/VALID at once, core %.1f MHz): TX %.0f clocks per 1514-byte frame over 8 from the doorbell (%.0f Mb/s, line %.0f Mb/s), %.0f between frames after the first (%.0f Mb/s; the bench's line: a row a clock), reads in flight %.0f clocks a frame; RX engine %llu clocks per 1514-byte frame",
	      core_mhz, tx_clk, 1514 * 8 * core_mhz / tx_clk, 1514 * 8 * 125.0 / 1538, tx_steady,
	      tx_steady > 0 ? 1514 * 8 * core_mhz / tx_steady : 0.0, (double)reading / 8,
	      (unsigned long long)(t_head - t_in));
	// both ways at once: 8 frames each way, RX at the line's pace (a
	// 1514-byte frame every 1538 rx_clk clocks)
	reset_all();
	mem_reset();
	tx_reset_queue(4);
	rx_reset_queue(4);
	for (int i = 0; i < 8; i++) {
		tx_frame({1514});
		rx_post(2048);
	}
	rx_ifg = 24;
	ends.clear();
	on_cycle = [&] {
		if (t->tx_tvalid && t->tx_tready && t->tx_tlast)
			ends.push_back(cyc);
	};
	for (int i = 0; i < 8; i++)
		send(rand_bytes(1514));
	t->tx_tail = tx_tail_sw;
	bool ok2 = run_until([] {
		return t->tx_head == tx_tail_sw && !t->tx_busy && rx_idle() && rx_in.empty();
	}, 200000);
	on_cycle = nullptr;
	tx_steady = ends.size() == 8 ? (double)(ends[7] - ends[0]) / 7 : 0;
	// (the bench's RX FIFO is 4 KiB: an RX engine slower than the line's
	// 1538 clocks a frame fills it after a few frames)
	check(ok2 && tx_frames.size() == 8 && t->rx_head == 8 && rx_ovfs == 0,
	      "throughput both ways at once (no backpressure, core %.1f MHz): TX %.0f clocks between 1514-byte frames (%.0f Mb/s); of 8 RX frames at line rate %u stored, %d overflowed a 4 KiB RX FIFO",
	      core_mhz, tx_steady, tx_steady > 0 ? 1514 * 8 * core_mhz / tx_steady : 0.0, t->rx_head,
	      rx_ovfs);
	// 60-byte frames (64 on the wire with the FCS, 84 byte times with
	// preamble and IFG): each engine's accesses, one at a time, against
	// the line's time
	reset_all();
	mem_reset();
	tx_reset_queue(6);
	rx_reset_queue(6);
	for (int i = 0; i < 32; i++)
		tx_frame({60});
	t0 = cyc;
	bool ok3 = tx_drain();
	double tx_small = (double)(cyc - 4 - t0) / 32;
	// RX: 12 frames waiting in the FIFO (its length queue holds 16),
	// then the buffers: the engine's clocks a frame
	for (int i = 0; i < 12; i++) {
		rx_post(2048, false);
		send(rand_bytes(60));
	}
	ok3 &= run_until([] { return rx_in.empty(); }, 20000);
	run(200);
	uint64_t r0 = cyc;
	t->rx_tail = rx_tail_sw;
	ok3 &= run_until([] { return t->rx_head == 12; }, 20000);
	double rx_small = (double)(cyc - r0) / 12;
	check(ok3 && tx_frames.size() == 32 && t->rx_head == 12 && rx_ovfs == 0,
	      "throughput, 60-byte frames (no backpressure, core %.1f MHz): TX %.1f clocks a frame over 32 from the doorbell (the bench's line: a row a clock; the MAC's: 84 byte times, %.1f core clocks), the RX engine %.1f clocks a frame over 12 waiting",
	      core_mhz, tx_small, 84 * core_mhz / 125, rx_small);
	rx_ifg = 20;
	// against the MAC's line (mac_model): full-size frames back to back
	// at the line's rate; 60-byte frames as fast as the engine's four
	// records and the write-back after tx_done let them go
	for (size_t len : { 1514, 60 }) {
		reset_all();
		mem_reset();
		mac_model = true;
		mac_rate = 125 / core_mhz;
		tx_reset_queue(6);
		size_t n = len > 100 ? 8 : 32;
		for (size_t i = 0; i < n; i++)
			tx_frame({ len });
		std::vector<uint64_t> dones;
		on_cycle = [&] {
			if (t->tx_done)
				dones.push_back(cyc);
		};
		bool okm = tx_drain();
		on_cycle = nullptr;
		double per = dones.size() == n ? (double)(dones[n - 1] - dones[0]) / (n - 1) : 0;
		double wire = (len < 60 ? 60 : len) + 24;
		check(okm && tx_frames.size() == n && mac_underruns == 0 && per > 0 &&
			      (len < 100 || per <= wire / mac_rate + 1),
		      "throughput against the MAC's line (core %.1f MHz, %zu-byte frames): %.1f core clocks between frames' tx_done, the line's %.1f (%.0f %%), %d underruns",
		      core_mhz, len, per, wire / mac_rate, per > 0 ? 100 * wire / mac_rate / per : 0.0,
		      mac_underruns);
		mac_model = false;
		mac_rate = 1;
	}
	p_ar = 60, p_r = 70, p_aw = 60, p_w = 70, p_b = 60, p_txr = 90;
}

// WREADY low now and then, the rest ready: the master keeps its beats
// back to back within a burst once WREADY is high again (the RX engine has
// the frame whole in its FIFO, so each beat is there to pull)
static void case_w_stall()
{
	reset_all();
	mem_reset();
	p_ar = p_r = p_aw = p_b = 100;
	p_w = 50;
	rx_reset_queue(4);
	for (int i = 0; i < 4; i++)
		rx_post(2048);
	std::vector<std::vector<uint8_t>> fs;
	for (int i = 0; i < 4; i++) {
		fs.push_back(rand_bytes(1514));
		send(fs.back());
	}
	uint64_t gaps = 0, stalls = 0;
	bool wv = false;   // WVALID in the clock just ended (with its WREADY)
	on_cycle = [&] {
		bool mid = !awq.empty() && awq.front().beat > 0;
		gaps += mid && !t->m_wvalid;
		stalls += wv && !t->m_wready;
		wv = t->m_wvalid;
	};
	bool ok = run_until([] { return t->rx_head == 4 && rx_idle(); }, 400000);
	on_cycle = nullptr;
	unsigned idx = 0;
	for (auto &f : fs)
		idx += rx_check_frame(idx, f, "w stall");
	check(ok && idx == 4 && gaps == 0 && stalls > 1000 && !proto,
	      "WREADY 50%%: 4 RX frames byte for byte; within a burst no clock without WVALID after a stall (%llu of them, %llu stalled clocks)",
	      (unsigned long long)gaps, (unsigned long long)stalls);
	p_ar = 60, p_r = 70, p_aw = 60, p_w = 70, p_b = 60;
}

int main(int argc, char **argv)
{
	Verilated::commandArgs(argc, argv);
	t = new Vtb_dma;
	rnd_state = 0x2026dead;
	case_tx_single();
	case_tx_sg();
	head_mon = false;
	case_tx_wait_eop();
	case_tx_done_wait();
	case_tx_cut();
	case_tx_park_race();
	case_tx_discard();
	case_tx_errors();
	case_tx_disable();
	case_tx_overlap();
	case_tx_disable_ahead();
	case_tx_coal();
	case_tx_coal_time();
	case_tx_frags();
	case_tx_csum_l4();
	case_tx_csum_offsets();
	head_mon = false;
	case_tx_csum_park();
	case_tx_rr();
	case_tx_overlap_more();
	case_hold();
	case_tx_reset_pending_wb();
	case_rx_single();
	case_rx_multi();
	head_mon = false;
	case_rx_wait();
	case_rx_overflow();
	case_rx_errors();
	case_both();
	head_mon = false;
	case_rx_rss();
	case_throughput();
	case_w_stall();
	// the RX FIFO across clocks: the core slower and faster than rx_clk
	for_each_ratio(ck, clock_ratios + 3, 2, [](const ClockRatio &) {
		case_rx_single();
		case_rx_overflow();
		case_both();
		case_rx_rss();
	});
	// the core at half the line's byte rate, the least that sends
	// full-size frames back to back (fe_mac: rows a clock): the RX
	// engine keeps up with them too
	static const ClockRatio half = { "core 62.5 MHz, rx_clk 125 MHz", 16000000, 8000000,
					 2300000 };
	for_each_ratio(ck, &half, 1, [](const ClockRatio &) {
		core_mhz = 62.5;
		case_rx_single();
		case_both();
		case_throughput();
		core_mhz = 125;
	});
	check(head_early == 0, "order: HEAD never moves before the frame's DONE write has its response (%d early)",
	      head_early);
	check(proto == 0, "axi: every burst INCR, 32-bit, <= 256 beats, inside 4 KiB, WLAST right (%d violations)",
	      proto);
	delete t;
	return ktap_exit();
}
