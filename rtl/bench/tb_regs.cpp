// SPDX-License-Identifier: GPL-2.0
// top: fe_core
// regtable: 4 9600 0x20261124 0x47f 0x007d1010
// Unit bench of the register file through its AXI4-Lite port (fe_core:
// registers, statistics, MDIO, MAC).  The register list comes from the
// programming model's tables, parsed as the guest tests parse them
// (bench/regtable.py, argv[1]): every register's reset value, every other
// offset reads 0, RO/WO/W1C/RW behaviour, then the registers' actions:
// CTRL masking by CAP1 and SOFT_RESET, MAX_FRAME_LEN limits, TAIL bits,
// queue enable and the RING_CONFIG halt, interrupts, statistics through
// MAC loopback with the LO/HI pair and CLEAR, PAUSE_CMD, MDIO_CMD/DATA
// against a PHY model, the link interrupt.  The DMA master talks to a plain
// memory (always ready, every address reads 0 until written): frames go out
// through queue pair 0's TX ring (the DMA engines' own bench is tb_dma).
// The parameters above (NUM_QP MAX_FRAME BUILD_ID FEATURES CAP3) are
// fe_core's defaults, the build this bench checks.
#include "Vfe_core.h"
#include "Vfe_core___024root.h"
#include "bench.h"
#include "phy_model.h"
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <sstream>

static Vfe_core *c;
static PhyModel phy;
static long cycles;
static int gmii_frames, gmii_bytes;
static bool in_frame;
static std::vector<uint8_t> last_gmii;

struct Reg {
	std::string name;
	uint32_t off;
	std::string access;
	uint32_t reset;
};
static std::vector<Reg> regs;
static std::map<std::string, Reg> by_name;

static const int NUM_QP = 4;
static const uint32_t FEATURES = 0x47f, MAX_FRAME = 9600;

// DMA memory: sparse, always ready; bursts in order
static std::map<uint64_t, uint8_t> dmem;
struct Burst {
	uint64_t addr;
	int len, beat;
};
static std::deque<Burst> dm_r, dm_aw, dm_b;
static uint64_t dm_err = ~0ull;   // a write burst covering it: BRESP SLVERR

static bool dm_bad(const Burst &b)
{
	return dm_err >= b.addr && dm_err < b.addr + 4 * (uint64_t)b.len;
}

static void dma_drive()
{
	c->m_arready = 1;
	c->m_awready = 1;
	c->m_wready = !dm_aw.empty();
	c->m_rvalid = !dm_r.empty();
	if (!dm_r.empty()) {
		Burst &b = dm_r.front();
		uint32_t d = 0;
		for (int i = 0; i < 4; i++) {
			auto it = dmem.find(b.addr + 4 * b.beat + i);
			d |= (uint32_t)(it == dmem.end() ? 0 : it->second) << (8 * i);
		}
		c->m_rdata = d;
		c->m_rresp = 0;
		c->m_rlast = b.beat == b.len - 1;
	}
	c->m_bvalid = !dm_b.empty();
	c->m_bresp = !dm_b.empty() && dm_bad(dm_b.front()) ? 2 : 0;
}

static void dma_update(const AxiEdge &e)
{
	if (e.r && ++dm_r.front().beat == dm_r.front().len)
		dm_r.pop_front();
	if (e.ar)
		dm_r.push_back({e.araddr, e.arlen + 1, 0});
	if (e.w) {
		Burst &f = dm_aw.front();
		for (int i = 0; i < 4; i++)
			if (e.wstrb >> i & 1)
				dmem[f.addr + 4 * f.beat + i] = e.wdata >> (8 * i);
		if (++f.beat == f.len) {
			dm_b.push_back(f);
			dm_aw.pop_front();
		}
	}
	if (e.aw)
		dm_aw.push_back({e.awaddr, e.awlen + 1, 0});
	if (e.b)
		dm_b.pop_front();
}

// the engines' hold (soft_reset_req) around the blocks' reset (core_rst,
// fe_regs' first copy), clock by clock, outside a hard reset (rst in this
// clock or the one before): the soft resets seen, and the clocks that
// broke "held from the SOFT_RESET write through the reset": a reset
// without hold in the clock before, or hold falling without a reset in
// the clock before
static int sr_resets, sr_gaps;
static bool sr_prev_hold, sr_prev_crst, sr_prev_rst = true;

static void watch_soft_reset()
{
	bool hold = c->rootp->fe_core__DOT__soft_reset_req;
	bool crst = c->rootp->fe_core__DOT__u_regs__DOT____Vcellout__g_crst__BRA__0__KET____DOT__u_r__q;
	if (!c->rst && !sr_prev_rst) {
		if (crst && !sr_prev_crst)
			sr_resets++;
		if ((crst && !sr_prev_hold) || (sr_prev_hold && !hold && !sr_prev_crst))
			sr_gaps++;
	}
	sr_prev_hold = hold;
	sr_prev_crst = crst;
	sr_prev_rst = c->rst;
}

// the clocks low and the model settled: its outputs before the next edge
static void low_phase()
{
	c->clk = 0;
	c->tx_clk = 0;        // the same clock
	c->gmii_rx_clk = 0;   // the same clock
	c->eval();
}

static void tick()
{
	bool line = c->mdio_oe ? c->mdio_o : phy.oe ? phy.o : true;
	c->mdio_i = line;
	dma_drive();
	low_phase();
	AxiEdge e = axi_sample(c);
	c->clk = 1;
	c->tx_clk = 1;        // the same clock
	c->gmii_rx_clk = 1;   // the same clock
	c->eval();
	cycles++;
	watch_soft_reset();
	dma_update(e);
	line = c->mdio_oe ? c->mdio_o : phy.oe ? phy.o : true;
	phy.step(c->mdc, line);
	if (c->gmii_tx_en) {
		if (!in_frame)
			last_gmii.clear();
		in_frame = true;
		gmii_bytes++;
		last_gmii.push_back(c->gmii_txd);
	} else if (in_frame) {
		in_frame = false;
		gmii_frames++;
	}
}

static void run(int n)
{
	while (n--)
		tick();
}

// AWVALID and WVALID raised with a write's address and data, BREADY high
static void present_write(uint32_t a, uint32_t v, int strb)
{
	c->s_awaddr = a;
	c->s_awvalid = 1;
	c->s_wdata = v;
	c->s_wstrb = strb;
	c->s_wvalid = 1;
	c->s_bready = 1;
}

// the presented write's handshake and response
static void finish_write()
{
	for (int i = 0; i < 100; i++) {
		low_phase();
		bool hs = c->s_awready && c->s_wready;
		tick();
		if (hs)
			break;
	}
	c->s_awvalid = 0;
	c->s_wvalid = 0;
	for (int i = 0; i < 100 && !c->s_bvalid; i++)
		tick();
	tick();   // bready taken
	c->s_bready = 0;
}

static void wr(uint32_t a, uint32_t v, int strb = 0xf)
{
	present_write(a, v, strb);
	finish_write();
}

// a read's address handshake (ARVALID left high); false if none in 100 clocks
static bool ar_handshake(uint32_t a)
{
	c->s_araddr = a;
	c->s_arvalid = 1;
	c->s_rready = 0;
	for (int i = 0; i < 100; i++) {
		low_phase();
		bool hs = c->s_arready;
		tick();
		if (hs)
			return true;
	}
	return false;
}

static uint32_t rd(uint32_t a)
{
	ar_handshake(a);
	c->s_arvalid = 0;
	for (int i = 0; i < 100 && !c->s_rvalid; i++)
		tick();
	uint32_t v = c->s_rdata;
	c->s_rready = 1;
	tick();
	c->s_rready = 0;
	return v;
}

static uint32_t R(const char *name)
{
	auto it = by_name.find(name);
	if (it == by_name.end()) {
		diag("register %s not in the spec's tables", name);
		return 0xffff;
	}
	return it->second.off;
}

static void soft_reset()
{
	wr(R("CTRL"), 1);
	for (int i = 0; i < 100 && (rd(R("CTRL")) & 1); i++)
		;
}

static int check_resets(const char *when)
{
	int bad = 0;
	for (auto &r : regs) {
		uint32_t v = rd(r.off);
		if (v != r.reset) {
			diag("%s (%#06x) reads %#010x, documented reset %#010x", r.name.c_str(), r.off,
			     v, r.reset);
			bad++;
		}
	}
	check(!bad, "regs: every one of the %zu registers reads its documented reset value %s",
	      regs.size(), when);
	return bad;
}

// RW registers: the bits a write keeps (the rest are reserved: read 0)
static uint32_t rw_mask(const std::string &n)
{
	static const std::map<std::string, uint32_t> m = {
		{ "SCRATCH", 0xffffffff }, { "MAC_CFG", 0x7 }, { "MAC_ADDR_LO", 0xffffffff },
		{ "MAC_ADDR_HI", 0xffff }, { "MC_HASH_LO", 0xffffffff }, { "MC_HASH_HI", 0xffffffff },
		{ "PAUSE_QUANTA", 0xffff }, { "MDIO_DATA", 0xffff }, { "MDIO_CFG", 0xff },
		{ "MISC_IRQ_ENABLE", 0xf }, { "TX_BASE_LO", 0xfffffff0 }, { "RX_BASE_LO", 0xfffffff0 },
		{ "TX_BASE_HI", 0xffffffff }, { "RX_BASE_HI", 0xffffffff }, { "TX_SIZE", 0xf },
		{ "RX_SIZE", 0xf }, { "TX_COAL", 0xffffffff }, { "RX_COAL", 0xffffffff },
		{ "IRQ_ENABLE", 0x3 },
	};
	std::string k = n;
	if (k.size() > 3 && k[0] == 'Q' && k[2] == '_')
		k = k.substr(3);
	if (!k.compare(0, 7, "RSS_KEY"))
		return 0xffffffff;
	if (!k.compare(0, 9, "RSS_INDIR"))
		return 0x07070707;
	auto it = m.find(k);
	return it == m.end() ? 0 : it->second;
}

// RW registers with actions, tested one by one below
static bool rw_special(const std::string &n)
{
	std::string k = n;
	if (k.size() > 3 && k[0] == 'Q' && k[2] == '_')
		k = k.substr(3);
	return k == "CTRL" || k == "MAX_FRAME_LEN" || k == "MDIO_CMD" || k == "STATS_CTRL" ||
	       k == "TX_TAIL" || k == "RX_TAIL" || k == "TX_CTRL" || k == "RX_CTRL";
}

// the read's AXI4-Lite timing: RVALID comes READ_CLOCKS clocks after the
// address handshake (the first clock edge that can take RDATA is the
// READ_CLOCKS-th after the address handshake's edge), ARREADY stays low
// until RVALID's handshake, and RDATA holds while RREADY is low (a master
// may take its time)
static const int READ_CLOCKS = 5;

static void test_read_timing()
{
	bool taken = ar_handshake(R("SCRATCH"));
	// ARVALID stays high with another address: not taken before RVALID's handshake
	c->s_araddr = R("ID");
	int lat = 0, early_ar = 0;
	while (lat < 100 && !c->s_rvalid) {
		low_phase();
		early_ar += c->s_arready;
		tick();
		lat++;
	}
	lat++;   // the edge that can take RDATA
	uint32_t v = c->s_rdata;
	bool held = true;
	for (int i = 0; i < 7; i++) {   // RREADY low: RVALID and RDATA hold
		low_phase();
		early_ar += c->s_arready;
		held = held && c->s_rvalid && c->s_rdata == v;
		tick();
	}
	c->s_arvalid = 0;
	c->s_rready = 1;
	tick();
	c->s_rready = 0;
	run(2);
	check(taken && lat == READ_CLOCKS && !early_ar && held && v == 0x5ca1ab1e,
	      "regs: RVALID %d clocks after the address handshake (%d expected), ARREADY low until its handshake (%d times high), RDATA %#010x held while RREADY is low (%d)",
	      lat, READ_CLOCKS, early_ar, v, held);
}

static void test_access()
{
	// holes
	std::vector<bool> used(0x4000);
	for (auto &r : regs)
		used[r.off / 4] = true;
	int bad = 0, n = 0;
	for (uint32_t a = 0; a < 0x10000; a += 4) {
		if (used[a / 4])
			continue;
		n++;
		uint32_t v = rd(a);
		if (v) {
			diag("offset %#06x holds no register but reads %#010x", a, v);
			bad++;
		}
	}
	check(!bad, "regs: the other %d offsets of the 64 KiB window read 0", n);

	// writes to holes are ignored (they change no register)
	for (uint32_t a = 0; a < 0x10000; a += 0x44)
		if (!used[a / 4])
			wr(a, 0xffffffff);
	check_resets("after writes of all ones to unused offsets");

	// RO: writes ignored
	bad = 0;
	for (auto &r : regs) {
		if (r.access != "RO")
			continue;
		wr(r.off, ~r.reset);
		wr(r.off, 0);
		uint32_t v = rd(r.off);
		if (v != r.reset) {
			diag("RO %s reads %#010x after writes, reset %#010x", r.name.c_str(), v, r.reset);
			bad++;
		}
	}
	check(!bad, "regs: every RO register ignores writes of ~reset and 0");

	// WO: read 0 (PAUSE_CMD without TX_EN does nothing; the *_SET ones set
	// interrupt status bits, cleared by the soft reset after)
	bad = 0;
	for (auto &r : regs) {
		if (r.access != "WO")
			continue;
		wr(r.off, 0xffffffff);
		uint32_t v = rd(r.off);
		if (v) {
			diag("WO %s reads %#010x after a write", r.name.c_str(), v);
			bad++;
		}
	}
	check(!bad, "regs: every WO register reads 0 after a write");
	soft_reset();

	// RW: the writable bits keep what was written, reserved bits read 0
	bad = 0;
	int special = 0, plain = 0;
	for (auto &r : regs) {
		if (r.access != "RW")
			continue;
		if (rw_special(r.name)) {
			special++;
			continue;
		}
		uint32_t m = rw_mask(r.name);
		if (!m) {
			diag("RW %s: no mask known to the bench (a new register?)", r.name.c_str());
			bad++;
			continue;
		}
		plain++;
		for (uint32_t p : { 0xffffffffu, 0x5a5a5a5au, 0xa5a5a5a5u, 0u }) {
			wr(r.off, p);
			uint32_t v = rd(r.off);
			if (v != (p & m)) {
				diag("RW %s: wrote %#010x read %#010x, want %#010x", r.name.c_str(), p,
				     v, p & m);
				bad++;
			}
		}
		wr(r.off, r.reset);
	}
	check(!bad, "regs: %d RW registers keep their writable bits, reserved bits read 0 (%d with actions tested below)",
	      plain, special);

	// holes again with every plain RW register all ones: no aliases
	for (auto &r : regs)
		if (r.access == "RW" && !rw_special(r.name) && rw_mask(r.name))
			wr(r.off, 0xffffffff);
	bad = 0;
	for (uint32_t a = 0; a < 0x10000; a += 4) {
		uint32_t v = used[a / 4] ? 0 : rd(a);
		if (v) {
			diag("offset %#06x holds no register but reads %#010x", a, v);
			bad++;
		}
	}
	check(!bad, "regs: with the RW registers all ones, the other offsets still read 0");

	// every plain RW register a value of its own (its offset hashed), then
	// each read back: no write changes another register (the write
	// strobes decode the whole address)
	bad = 0;
	auto own = [](const Reg &r) { return (r.off * 0x9e3779b1u) & rw_mask(r.name); };
	for (auto &r : regs)
		if (r.access == "RW" && !rw_special(r.name) && rw_mask(r.name))
			wr(r.off, own(r));
	for (auto &r : regs) {
		if (r.access != "RW" || rw_special(r.name) || !rw_mask(r.name))
			continue;
		uint32_t v = rd(r.off);
		if (v != own(r)) {
			diag("RW %s reads %#010x after every RW register was written, its write was %#010x",
			     r.name.c_str(), v, own(r));
			bad++;
		}
	}
	check(!bad, "regs: each plain RW register keeps its own value with every other written after it");
	soft_reset();
	check_resets("after a soft reset");

	// narrow writes are ignored
	wr(R("SCRATCH"), 0x12345678);
	wr(R("SCRATCH"), 0xffffffff, 0x1);
	check(rd(R("SCRATCH")) == 0x12345678, "regs: a write with WSTRB != 0xf is ignored");
}

// a write presented with rst's first clock (an AXI master must not
// present one): the IP takes it there (AWREADY is combinational; the
// reset's flip-flops hold it low from the clock after on), answers
// nothing and performs nothing: SCRATCH keeps its reset value
static void test_write_in_reset()
{
	c->rst = 1;
	present_write(R("SCRATCH"), 0x12345678, 0xf);
	low_phase();
	bool hs = c->s_awready && c->s_wready;
	tick();
	c->s_awvalid = 0;
	c->s_wvalid = 0;
	int resp = 0;
	for (int i = 0; i < 4; i++) {
		resp += c->s_bvalid;
		tick();
	}
	c->rst = 0;
	run(4);
	c->s_bready = 0;
	uint32_t v = rd(R("SCRATCH")), want = by_name["SCRATCH"].reset;
	check(hs && !resp && v == want,
	      "write: a handshake in rst's first clock (%s) is neither answered (%d) nor performed (SCRATCH %#x, reset %#x)",
	      hs ? "taken" : "not taken", resp, v, want);
}

// a write presented on the first clock after rst: the registers reset on
// that clock and the next (fe_regs' reset copies, two flip-flops after
// rst), and the
// write is taken after it (AWREADY low meanwhile), so it acts on the reset
// values: enabling Q0's TX ring, enabled before the reset, whose SIZE is
// back at 0, halts it (RING_CONFIG), as enabling with an invalid SIZE
// does; then a reset again
static void test_write_after_reset()
{
	wr(R("Q0_TX_SIZE"), 6);
	wr(R("Q0_TX_CTRL"), 1);
	uint32_t st0 = rd(R("Q0_TX_STATUS"));
	c->rst = 1;
	run(2);
	present_write(R("Q0_TX_CTRL"), 1, 0xf);
	c->rst = 0;
	finish_write();
	uint32_t st = rd(R("Q0_TX_STATUS")), ctl = rd(R("Q0_TX_CTRL"));
	check(st0 == 0 && st == 0x401 && ctl == 1,
	      "write: one presented as rst falls is performed after the registers reset "
	      "(Q0 TX enabled with SIZE 6: STATUS %#x; enabled again after the reset: STATUS %#x, want 0x401, CTRL %#x)",
	      st0, st, ctl);
	c->rst = 1;
	run(2);
	c->rst = 0;
	run(4);
}

// a master that presents each write as soon as the one before was taken
// (AWVALID and WVALID high again the clock after the handshake, BREADY
// high): every handshake gets a response of its own, none before its
// write's, and every write is performed, each after the one before: Q0's
// RX ring (SIZE 3, enabled, TAIL 5: no DMA without a frame) disabled and
// enabled again by the last two, so the second is an enabling one (TAIL
// back to 0); then reset values again
static void test_write_back_to_back()
{
	static const char *names[] = { "SCRATCH", "MAC_ADDR_LO", "MC_HASH_LO", "MC_HASH_HI",
				       "Q0_RX_CTRL", "Q0_RX_CTRL" };
	static const uint32_t vals[] = { 0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff01, 0, 1 };
	const int nw = 6;
	wr(R("Q0_RX_SIZE"), 3);
	wr(R("Q0_RX_CTRL"), 1);
	wr(R("Q0_RX_TAIL"), 5);
	uint32_t tail0 = rd(R("Q0_RX_TAIL"));
	// the first four registers' flip-flops: each must hold its value on
	// the clock its response is taken (the write performed by then)
	auto *r = c->rootp;
	const uint32_t *held[] = { &r->fe_core__DOT__u_regs__DOT__scratch,
				   &r->fe_core__DOT__u_regs__DOT__mac_lo,
				   &r->fe_core__DOT__u_regs__DOT__mc_lo,
				   &r->fe_core__DOT__u_regs__DOT__mc_hi };
	int hs = 0, resp = 0, early = 0;
	present_write(R(names[0]), vals[0], 0xf);
	for (int i = 0; i < 80; i++) {
		low_phase();
		bool h = c->s_awvalid && c->s_awready && c->s_wvalid && c->s_wready;
		bool b = c->s_bvalid && c->s_bready;
		tick();
		if (b && resp < 4 && *held[resp] != vals[resp])
			early++;
		resp += b;
		if (resp > hs)
			early++;
		if (h && ++hs < nw)
			present_write(R(names[hs]), vals[hs], 0xf);
		else if (h) {
			c->s_awvalid = 0;
			c->s_wvalid = 0;
		}
	}
	c->s_bready = 0;
	int bad = 0;
	for (int i = 0; i < 4; i++)
		bad += rd(R(names[i])) != vals[i];
	uint32_t ctl = rd(R("Q0_RX_CTRL")), tail = rd(R("Q0_RX_TAIL"));
	check(hs == nw && resp == nw && !early && !bad && tail0 == 5 && ctl == 1 && tail == 0,
	      "write: back to back, each write's handshake gets its response (%d handshakes, %d responses, %d early), each is performed after the one before (%d wrong; Q0 RX disabled and enabled: CTRL %u, TAIL %u -> %u)",
	      hs, resp, early, bad, ctl, tail0, tail);
	c->rst = 1;
	run(2);
	c->rst = 0;
	run(4);
}

static void test_ctrl()
{
	// CTRL bits without their feature read 0
	wr(R("CTRL"), 0x3fe);
	uint32_t want = 0x1e | (FEATURES & 8 ? 0x20 : 0) | (FEATURES & 4 ? 0x40 : 0) |
			(FEATURES & 2 ? 0x80 : 0) | (FEATURES & 0x40 ? 0x300 : 0);
	uint32_t v = rd(R("CTRL"));
	check(v == want, "ctrl: writing 0x3fe reads %#x with CAP1 %#x (want %#x)", v, FEATURES, want);
	wr(R("CTRL"), 0);

	// SOFT_RESET: SC, everything back to reset, the PHY untouched
	wr(R("SCRATCH"), 0xdeadbeef);
	wr(R("MAC_ADDR_LO"), 0x33221102);
	wr(R("Q1_TX_COAL"), 0x00100020);
	wr(R("MISC_IRQ_SET"), 0xf);
	wr(R("CTRL"), 0x7);
	int polls = 0;
	while ((rd(R("CTRL")) & 1) && polls < 100)
		polls++;
	check(polls < 100, "ctrl: SOFT_RESET returns to 0 by itself (%d polls)", polls);
	check_resets("after SOFT_RESET with registers changed");
}

static void test_frame_len()
{
	uint32_t a = R("MAX_FRAME_LEN");
	struct {
		uint32_t w, want;
	} t[] = { { 63, 1518 }, { 64, 64 }, { 0xffff0000 | 9600, 9600 }, { 9601, 9600 },
		  { 0, 9600 }, { 1500, 1500 } };
	int bad = 0;
	for (auto &x : t) {
		wr(a, x.w);
		uint32_t v = rd(a);
		if (v != x.want) {
			diag("wrote %#x: reads %u, want %u", x.w, v, x.want);
			bad++;
		}
	}
	check(!bad, "max_frame_len: writes below 64 or above MAX_FRAME (%u) are ignored, bits [31:16] reserved",
	      MAX_FRAME);
	soft_reset();
}

static void test_queues()
{
	int bad = 0;
	for (int q = 0; q < NUM_QP; q++) {
		for (const char *d : { "TX", "RX" }) {
			char n[64];
			auto reg = [&](const char *f) {
				snprintf(n, sizeof(n), "Q%d_%s_%s", q, d, f);
				return R(n);
			};
			// TAIL bits follow SIZE while disabled (limited to 12)
			wr(reg("SIZE"), 5);
			wr(reg("TAIL"), 0xffffffff);
			uint32_t t1 = rd(reg("TAIL"));
			wr(reg("SIZE"), 15);
			wr(reg("TAIL"), 0xffffffff);
			uint32_t t2 = rd(reg("TAIL"));
			if (t1 != 0x1f || t2 != 0xfff) {
				diag("Q%d %s_TAIL: %#x with SIZE 5, %#x with SIZE 15", q, d, t1, t2);
				bad++;
			}
			// enabling with SIZE 15 halts: RING_CONFIG, ERR_ADDR = base
			wr(R("MISC_IRQ_STATUS"), 0xf);
			wr(reg("BASE_LO"), 0x12345670 + q);
			wr(reg("BASE_HI"), 0x89 + q);
			wr(reg("CTRL"), 1);
			uint32_t st = rd(reg("STATUS")), lo = rd(reg("ERR_ADDR_LO")),
				 hi = rd(reg("ERR_ADDR_HI")), misc = rd(R("MISC_IRQ_STATUS"));
			if (st != 0x401 || lo != 0x12345670 || hi != 0x89u + q || !(misc & 2)) {
				diag("Q%d %s enabled with SIZE 15: STATUS %#x ERR_ADDR %#x:%#x MISC %#x", q,
				     d, st, hi, lo, misc);
				bad++;
			}
			wr(reg("CTRL"), 0);
			st = rd(reg("STATUS"));
			if (st != 0x403) {
				diag("Q%d %s disabled after the halt: STATUS %#x, want 0x403", q, d, st);
				bad++;
			}
			// a good SIZE: enable clears the halt, TAIL, ERR_ADDR; IDLE 0
			wr(reg("SIZE"), 3);
			wr(reg("CTRL"), 1);
			st = rd(reg("STATUS"));
			uint32_t tail = rd(reg("TAIL"));
			lo = rd(reg("ERR_ADDR_LO"));
			// SIZE changes while enabled wait for the next enable
			wr(reg("SIZE"), 10);
			wr(reg("TAIL"), 0xffff);
			uint32_t t3 = rd(reg("TAIL"));
			// ENABLE written 1 while 1 is no enable: TAIL and SIZE kept
			wr(reg("CTRL"), 1);
			uint32_t t4 = rd(reg("TAIL"));
			if (st != 0 || tail != 0 || lo != 0 || t3 != 7 || t4 != 7) {
				diag("Q%d %s enabled with SIZE 3: STATUS %#x TAIL %#x ERR_ADDR_LO %#x, TAIL after SIZE 10 %#x, after CTRL 1 again %#x",
				     q, d, st, tail, lo, t3, t4);
				bad++;
			}
			// the TX engine reads the 7 descriptors TAIL handed over
			// (zeros: discarded): IDLE once that is done
			wr(reg("CTRL"), 0);
			for (int i = 0; i < 2000 && rd(reg("STATUS")) != 2; i++)
				;
			if (rd(reg("STATUS")) != 2) {
				diag("Q%d %s disabled: STATUS %#x, want IDLE (2)", q, d, rd(reg("STATUS")));
				bad++;
			}
		}
	}
	check(!bad, "queues: TAIL bits follow SIZE, enable checks SIZE (RING_CONFIG halt, ERR_ADDR, DMA_ERR), IDLE follows ENABLE");
	soft_reset();

	// queue interrupts: IRQ_SET, W1C, the line, QUEUE_IRQ_SUMMARY
	bad = 0;
	for (int q = 0; q < NUM_QP; q++) {
		char s[32], e[32], set[32];
		snprintf(s, sizeof(s), "Q%d_IRQ_STATUS", q);
		snprintf(e, sizeof(e), "Q%d_IRQ_ENABLE", q);
		snprintf(set, sizeof(set), "Q%d_IRQ_SET", q);
		wr(R(set), 3);
		uint32_t v1 = rd(R(s));
		bool line1 = c->irq_q >> q & 1;
		wr(R(e), 2);
		bool line2 = c->irq_q >> q & 1;
		uint32_t sum = rd(R("QUEUE_IRQ_SUMMARY"));
		wr(R(s), 1);
		uint32_t v2 = rd(R(s));
		bool line3 = c->irq_q >> q & 1;
		wr(R(s), 2);
		uint32_t v3 = rd(R(s));
		bool line4 = c->irq_q >> q & 1;
		wr(R(e), 0);
		if (v1 != 3 || line1 || !line2 || sum != 1u << q || v2 != 2 || !line3 || v3 != 0 ||
		    line4) {
			diag("Q%d: status %#x/%#x/%#x lines %d%d%d%d summary %#x", q, v1, v2, v3, line1,
			     line2, line3, line4, sum);
			bad++;
		}
	}
	check(!bad, "irq: each queue pair's IRQ_SET sets, W1C clears bit by bit, the line is STATUS & ENABLE, QUEUE_IRQ_SUMMARY shows it");

	bad = 0;
	wr(R("MISC_IRQ_SET"), 0xf);
	uint32_t v1 = rd(R("MISC_IRQ_STATUS"));
	bool l1 = c->irq_misc;
	wr(R("MISC_IRQ_ENABLE"), 0x8);
	bool l2 = c->irq_misc;
	wr(R("MISC_IRQ_STATUS"), 0x5);
	uint32_t v2 = rd(R("MISC_IRQ_STATUS"));
	wr(R("MISC_IRQ_STATUS"), 0x8);
	bool l3 = c->irq_misc;
	uint32_t v3 = rd(R("MISC_IRQ_STATUS"));
	check(v1 == 0xf && !l1 && l2 && v2 == 0xa && !l3 && v3 == 0x2,
	      "irq: MISC_IRQ_SET sets, MISC_IRQ_STATUS is W1C, the misc line is STATUS & ENABLE (%#x %#x %#x, %d%d%d)",
	      v1, v2, v3, l1, l2, l3);
	soft_reset();
}

// one frame handed to queue pair 0's TX ring (8 descriptors at 0x1000, the
// buffer at 0x10000), set up again after a soft reset
static unsigned tx_tail;
static void tx_post(const std::vector<uint8_t> &f)
{
	if (!(rd(R("Q0_TX_CTRL")) & 1)) {
		wr(R("Q0_TX_BASE_LO"), 0x1000);
		wr(R("Q0_TX_BASE_HI"), 0);
		wr(R("Q0_TX_SIZE"), 3);
		wr(R("Q0_TX_CTRL"), 1);
		tx_tail = 0;
	}
	for (size_t i = 0; i < f.size(); i++)
		dmem[0x10000 + i] = f[i];
	uint64_t d = 0x1000 + 16 * tx_tail;
	for (int i = 0; i < 16; i++)
		dmem[d + i] = i < 8 ? (0x10000ull >> (8 * i)) & 0xff : i == 8 ? f.size() & 0xff :
			      i == 9 ? f.size() >> 8 : i == 10 ? 1 : 0;   // ADDR, LEN, EOP
	tx_tail = (tx_tail + 1) % 8;
	wr(R("Q0_TX_TAIL"), tx_tail);
}

// and sent: HEAD past it
static void send(const std::vector<uint8_t> &f)
{
	tx_post(f);
	for (int i = 0; i < 2000 && rd(R("Q0_TX_HEAD")) != tx_tail; i++)
		;
	run(100);
}

// a TX write-back that fails with ENABLE 0 (the frame was in flight):
// STATUS, read at each clock of 300 after the disable, never shows IDLE
// without HALTED (busy drops on the halt's clock; the halt must count)
static void test_halt_idle()
{
	int idle_only = 0, halted = 0, first = -1;
	for (int k = 0; k < 300; k++) {
		soft_reset();
		wr(R("CTRL"), 0x26);   // loopback, RX and TX on
		dm_err = 0x1000 + 10;   // descriptor 0's FLAGS
		tx_post(std::vector<uint8_t>(60, 0x5a));
		run(10);   // the fetch has begun
		wr(R("Q0_TX_CTRL"), 0);
		run(k);
		uint32_t st = rd(R("Q0_TX_STATUS"));
		if ((st & 3) == 2 && !idle_only++)
			first = k;
		halted += (st & 3) == 3;
	}
	dm_err = ~0ull;
	soft_reset();
	check(idle_only == 0 && halted > 100,
	      "queues: a TX write-back error after ENABLE 0: STATUS read at each of 300 clocks never IDLE without HALTED (%d, first at %d; %d IDLE | HALTED)",
	      idle_only, first, halted);
}

static uint64_t stat(const char *n)
{
	char lo[64], hi[64];
	snprintf(lo, sizeof(lo), "%s_LO", n);
	snprintf(hi, sizeof(hi), "%s_HI", n);
	uint64_t l = rd(R(lo));
	return l | (uint64_t)rd(R(hi)) << 32;
}

static void test_stats()
{
	// station address 02:11:22:33:44:55, loopback, RX and TX on
	wr(R("MAC_ADDR_LO"), 0x33221102);
	wr(R("MAC_ADDR_HI"), 0x5544);
	wr(R("CTRL"), 0x26);
	std::vector<uint8_t> f(100);
	for (auto &b : f)
		b = rnd();
	const uint8_t sa[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	memcpy(f.data(), sa, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	send(f);
	send(f);
	f[0] = 0xff;   // unicast to someone else: filtered on receive
	send(f);
	uint64_t txok = stat("TX_FRAMES_OK"), txoct = stat("TX_OCTETS_OK"),
		 rxok = stat("RX_FRAMES_OK"), rxf = stat("RX_FILTERED"),
		 h1 = stat("RX_HIST1");
	check(txok == 3 && txoct == 312 && rxok == 2 && rxf == 1 && h1 == 2 && gmii_frames == 0,
	      "stats: 3 frames through MAC loopback read as TX_FRAMES_OK %llu, TX_OCTETS_OK %llu, RX_FRAMES_OK %llu, RX_FILTERED %llu, RX_HIST1 %llu",
	      (unsigned long long)txok, (unsigned long long)txoct, (unsigned long long)rxok,
	      (unsigned long long)rxf, (unsigned long long)h1);
	// LO latches HI: a carry between the two reads does not tear the pair
	c->rootp->fe_core__DOT__u_stats__DOT__cnt[1] = 0x1ffffffc0ULL;   // TX_OCTETS_OK
	uint32_t lo = rd(R("TX_OCTETS_OK_LO"));
	send(f);   // +104: the counter carries into the upper half
	uint32_t hi = rd(R("TX_OCTETS_OK_HI"));
	uint32_t lo2 = rd(R("TX_OCTETS_OK_LO")), hi2 = rd(R("TX_OCTETS_OK_HI"));
	uint32_t hi3 = rd(R("TX_OCTETS_OK_HI"));
	check(lo == 0xffffffc0 && hi == 1 && lo2 == 0x28 && hi2 == 2 && hi3 == 2,
	      "stats: a LO read latches HI (0x%x:%08x across a carry, then 0x%x:%08x)", hi, lo, hi2, lo2);

	// the latch is 0 after CLEAR and soft reset until a LO read writes it
	wr(R("STATS_CTRL"), 1);
	uint32_t hi_clear = rd(R("TX_OCTETS_OK_HI"));
	c->rootp->fe_core__DOT__u_stats__DOT__cnt[1] = 0x300000000ULL;
	uint32_t hi_before = rd(R("TX_OCTETS_OK_HI")), lo3 = rd(R("TX_OCTETS_OK_LO"));
	uint32_t hi_after = rd(R("TX_OCTETS_OK_HI"));
	soft_reset();
	uint32_t hi_reset = rd(R("TX_OCTETS_OK_HI"));
	check(hi_clear == 0 && hi_before == 0 && lo3 == 0 && hi_after == 3 && hi_reset == 0,
	      "stats: a HI read returns 0 after CLEAR (%#x) and soft reset (%#x) until a LO read latches it (%#x before, %#x after)",
	      hi_clear, hi_reset, hi_before, hi_after);
	wr(R("CTRL"), 0x26);   // as before the soft reset
	wr(R("MAC_ADDR_LO"), 0x33221102);
	wr(R("MAC_ADDR_HI"), 0x5544);

	// the address decode: counter i at 0x0400 + 8i (LO, HI), each its own
	// (distinct values set in the counters), nothing past the last
	bool map_ok = true;
	for (int i = 0; i < 44; i++)
		c->rootp->fe_core__DOT__u_stats__DOT__cnt[i] = (uint64_t)(0x100 + i) << 32 | (0xc0de00 + i);
	for (int i = 0; i < 44 && map_ok; i++) {
		uint32_t l = rd(0x400 + 8 * i), h = rd(0x404 + 8 * i);
		if (l != 0xc0de00u + i || h != 0x100u + i) {
			diag("counter %d at %#x: %#x:%08x", i, 0x400 + 8 * i, h, l);
			map_ok = false;
		}
	}
	uint32_t past_lo = rd(0x560), past_hi = rd(0x564);
	check(map_ok && past_lo == 0 && past_hi == 0,
	      "stats: the 44 counters at 0x0400 + 8 x index (LO, HI), 0 at 0x0560 (%#x, %#x)",
	      past_lo, past_hi);

	wr(R("STATS_CTRL"), 1);
	uint32_t sc = rd(R("STATS_CTRL"));
	check(stat("TX_FRAMES_OK") == 0 && stat("RX_FRAMES_OK") == 0 && stat("TX_OCTETS_OK") == 0 &&
	      sc == 0, "stats: STATS_CTRL.CLEAR zeroes the counters and reads 0 after");
	send(f);
	soft_reset();
	check(stat("TX_FRAMES_OK") == 0, "stats: soft reset zeroes the counters");

	// PAUSE_CMD: only with TX_EN; XOFF with PAUSE_QUANTA then XON
	gmii_frames = 0;
	wr(R("MAC_ADDR_LO"), 0x33221102);
	wr(R("MAC_ADDR_HI"), 0x5544);
	wr(R("PAUSE_QUANTA"), 0x0abc);
	wr(R("PAUSE_CMD"), 1);
	run(300);
	int without = gmii_frames;
	wr(R("CTRL"), 0x2);
	wr(R("PAUSE_CMD"), 1);
	run(300);
	bool xoff = gmii_frames == 1 && last_gmii.size() == 72 && last_gmii[8 + 16] == 0x0a &&
		    last_gmii[8 + 17] == 0xbc;
	wr(R("PAUSE_CMD"), 2);
	run(300);
	bool xon = gmii_frames == 2 && last_gmii[8 + 16] == 0 && last_gmii[8 + 17] == 0;
	check(!without && xoff && xon && stat("TX_PAUSE") == 2 && stat("TX_MAC_CTRL") == 2 &&
	      stat("TX_FRAMES_OK") == 0,
	      "pause_cmd: ignored without TX_EN; XOFF sends quanta 0x0abc, XON 0; TX_PAUSE 2, TX_MAC_CTRL 2");
	soft_reset();
}

static void test_mdio()
{
	wr(R("MDIO_CFG"), 2);
	wr(R("MDIO_DATA"), 0xbeef);
	wr(R("MDIO_CMD"), 0x80000000 | 1 << 10 | 1 << 5 | 9);   // write PHY 1 reg 9
	uint32_t busy = rd(R("MDIO_CMD"));
	wr(R("MDIO_CMD"), 0x80000000 | 2 << 10 | 1 << 5 | 2);   // ignored: busy
	int polls = 0;
	while ((rd(R("MDIO_CMD")) >> 31) && polls < 10000)
		polls++;
	uint32_t misc = rd(R("MISC_IRQ_STATUS")), cmd = rd(R("MDIO_CMD"));
	check(busy >> 31 && polls < 10000 && phy.regs[9] == 0xbeef && (misc & 4) && cmd == (1 << 10 | 1 << 5 | 9),
	      "mdio_cmd: a write reads BUSY, lands in the PHY (%#x), a command while busy is ignored, MDIO_DONE set",
	      phy.regs[9]);
	wr(R("MISC_IRQ_STATUS"), 4);
	phy.regs[3] = 0x0001;
	wr(R("MDIO_CMD"), 0x80000000 | 2 << 10 | 1 << 5 | 3);
	while ((rd(R("MDIO_CMD")) >> 31) && polls < 20000)
		polls++;
	uint32_t data = rd(R("MDIO_DATA"));
	misc = rd(R("MISC_IRQ_STATUS"));
	wr(R("MISC_IRQ_STATUS"), 4);
	wr(R("MDIO_CMD"), 0x80000000 | 2 << 10 | 5 << 5 | 3);   // no PHY at 5
	while ((rd(R("MDIO_CMD")) >> 31) && polls < 30000)
		polls++;
	uint32_t none = rd(R("MDIO_DATA"));
	wr(R("MISC_IRQ_STATUS"), 4);
	wr(R("MDIO_CMD"), 0x80000000 | 3 << 10 | 1 << 5 | 3);   // op 3
	uint32_t op3 = rd(R("MDIO_CMD"));
	run(2000);
	uint32_t misc3 = rd(R("MISC_IRQ_STATUS"));
	check(data == 0x0001 && (misc & 4) && none == 0xffff && !(op3 >> 31) && !(misc3 & 4),
	      "mdio_cmd: a read fills MDIO_DATA (%#x), no PHY reads 0xffff (%#x), op 3 starts nothing and sets no MDIO_DONE",
	      data, none);
	soft_reset();

	// link changes set MISC_IRQ_STATUS.LINK
	wr(R("MISC_IRQ_STATUS"), 0xf);
	c->phy_link = 0;
	run(10);
	uint32_t m1 = rd(R("MISC_IRQ_STATUS"));
	wr(R("MISC_IRQ_STATUS"), 1);
	c->phy_link = 1;
	run(10);
	uint32_t m2 = rd(R("MISC_IRQ_STATUS"));
	check((m1 & 1) && (m2 & 1), "link: the PHY's link going down and up sets MISC_IRQ_STATUS.LINK each time");
	wr(R("MISC_IRQ_STATUS"), 0xf);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s REGS.TXT (from bench/regtable.py)\n", argv[0]);
		return 2;
	}
	Verilated::commandArgs(argc, argv);
	std::ifstream in(argv[1]);
	std::string line;
	while (std::getline(in, line)) {
		if (line.rfind("# ", 0) == 0) {
			printf("%s\n", line.c_str());
			continue;
		}
		std::istringstream ss(line);
		Reg r;
		std::string off, reset;
		if (!(ss >> r.name >> off >> r.access >> reset))
			continue;
		r.off = strtoul(off.c_str(), nullptr, 0);
		r.reset = strtoul(reset.c_str(), nullptr, 0);
		regs.push_back(r);
		by_name[r.name] = r;
	}
	check(regs.size() > 100, "regs: %zu registers from the spec's tables (NUM_QP %d)", regs.size(),
	      NUM_QP);

	c = new Vfe_core;
	c->time_en = 1;
	c->phy_link = 1;
	c->rst = 1;
	run(4);
	c->rst = 0;
	run(4);
	rnd_state = 0x7e65;

	check_resets("after power-on reset");
	test_write_in_reset();
	test_write_after_reset();
	test_write_back_to_back();
	wr(R("SCRATCH"), 0x5ca1ab1e);
	test_read_timing();
	wr(R("SCRATCH"), 0);
	test_access();
	test_ctrl();
	test_frame_len();
	test_queues();
	test_stats();
	test_halt_idle();
	test_mdio();
	check_resets("at the end, after a soft reset");
	check(sr_resets >= 5 && !sr_gaps,
	      "ctrl: the engines are held from each SOFT_RESET write through the reset (%d soft resets, %d clocks without)",
	      sr_resets, sr_gaps);
	delete c;
	return ktap_exit();
}
