// SPDX-License-Identifier: GPL-2.0
// Unit test of fe_cosim through its socket, as QEMU talks to it: HELLO,
// register reads (ID, VERSION, CAP0-CAP3 against fe_core's build), a
// SCRATCH write read back, an MDIO read of the PHY's ID (MDIO master, PHY
// model, the clocks between accesses), RUN's clock count, time (an idle IP
// skips it; the pause timer and SOFT_RESET's wait count only the clocks of
// time a command carries, DONE's due says when they expire), a second
// session on the same shim starting from reset, and the line's speed: the
// PHY forced to 10 and 100 Mb/s, then autonegotiating 1000, each with the
// link dropping once (MISC_IRQ_STATUS.LINK, BMSR latched low); a pause
// frame received (the pause timer's due says the MAC took it at that
// speed) and one sent (PAUSE_CMD: the shim hands it over), with MAC_CFG
// at the old speed (lost: the line runs at the PHY's speed; RGMII's
// receive side takes 10 and 100 alike) and at the new one (both through on
// an RGMII build; lost on a GMII build, whose line has 1000 Mb/s only).
// KTAP.
//
//   test_cosim SHIM_BINARY [PHY_IF]   (the shim's build: 0 GMII, 1 RGMII)
#include "fpgaeth-cosim.h"
#include "cosim_sock.h"
#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

static int fd = -1, n_ok, n_fail;
static std::vector<std::vector<uint8_t>> tx_seen;   // FE_COSIM_TX frames

static void ok(bool c, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - ", c ? "ok" : "not ok", n_ok + n_fail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	(c ? n_ok : n_fail)++;
}

static bool xfer(bool out, void *p, size_t n)
{
	return cosim_xfer(fd, out, p, n);
}

// one command after `time` clocks of time; DMA requests answered from an
// empty memory (reads 0)
static FeCosimMsg cmd(uint32_t type, uint64_t a = 0, uint64_t b = 0,
		      const std::vector<uint8_t> &data = {}, uint64_t time = 0)
{
	FeCosimMsg m = {type, (uint32_t)data.size(), a, b, time, 0};
	if (!xfer(true, &m, sizeof(m)) ||
	    (!data.empty() && !xfer(true, (void *)data.data(), data.size())))
		return {0, 0, 0, 0, 0, 0};
	for (;;) {
		std::vector<uint8_t> d;
		if (!xfer(false, &m, sizeof(m)))
			return {0, 0, 0, 0, 0, 0};
		d.resize(m.len);
		if (m.len && !xfer(false, d.data(), m.len))
			return {0, 0, 0, 0, 0, 0};
		if (m.type == FE_COSIM_DONE)
			return m;
		if (m.type == FE_COSIM_DMA_RD) {
			std::vector<uint8_t> z(m.b);
			FeCosimMsg r = {FE_COSIM_DMA_DATA, (uint32_t)m.b, 0, 0, 0, 0};
			xfer(true, &r, sizeof(r));
			xfer(true, z.data(), z.size());
		} else if (m.type == FE_COSIM_DMA_WR) {
			FeCosimMsg r = {FE_COSIM_DMA_ACK, 0, 0, 0, 0, 0};
			xfer(true, &r, sizeof(r));
		} else if (m.type == FE_COSIM_TX) {
			tx_seen.push_back(d);
		}
	}
}

static uint32_t rd(uint32_t a, uint64_t time = 0)
{
	return cmd(FE_COSIM_READ, a, 0, {}, time).a;
}

static FeCosimMsg advance(uint64_t time)
{
	return cmd(FE_COSIM_ADVANCE, 0, 0, {}, time);
}

// a clause-22 access to the PHY (address 1): op 1 write, 2 read
static uint32_t mdio(int op, int reg, uint32_t data = 0)
{
	if (op == 1)
		cmd(FE_COSIM_WRITE, 0x0184, data);
	cmd(FE_COSIM_WRITE, 0x0180, 0x80000000u | op << 10 | 1 << 5 | reg);
	for (int i = 0; i < 1000 && (rd(0x0180) & 0x80000000u); i++)
		cmd(FE_COSIM_RUN, 50);
	return rd(0x0184) & 0xffff;
}

// The line at a speed (0 10, 1 100, 2 1000 Mb/s): the PHY set with BMCR
// (its link drops once), then a pause frame each way with MAC_CFG at the
// old speed (mac_old: whether the received frame and the sent one pass,
// old_rx and old_tx) and at the new one (through: both pass).  RGMII
// sends at MAC_CFG's speed (TXC from clk) and receives a nibble per RXC at
// 10 and 100 alike, a byte per RXC at 1000; GMII passes frames whatever
// MAC_CFG says, at 1000 Mb/s only.  A received pause frame's time counts
// in quanta of 512 bit times at MAC_CFG's speed.
static void speed_case(int speed, uint16_t bmcr, uint32_t clk, uint32_t mac_old,
		       bool old_rx, bool old_tx, bool through)
{
	static const char *name[] = {"10", "100", "1000"};
	const uint16_t quanta = 100;

	cmd(FE_COSIM_WRITE, 0x0200, 0xf);   // MISC_IRQ_STATUS: clear
	mdio(1, 0, bmcr);
	uint32_t misc = rd(0x0200);
	uint32_t bmsr0 = mdio(2, 1), bmsr1 = mdio(2, 1);
	ok((misc & 1) && !(bmsr0 & 4) && (bmsr1 & 4),
	   "%s Mb/s: BMCR %#06x drops the link once: MISC_IRQ_STATUS %#x (LINK), BMSR %#06x then %#06x",
	   name[speed], bmcr, misc, bmsr0, bmsr1);

	std::vector<uint8_t> pf = {0x01, 0x80, 0xc2, 0, 0, 1, 2, 0, 0, 0, 0, 9,
				   0x88, 0x08, 0, 1, quanta >> 8, quanta & 0xff};
	cmd(FE_COSIM_WRITE, 0x0100, 0x106);   // TX_EN, RX_EN, RX_PAUSE_EN
	cmd(FE_COSIM_WRITE, 0x011c, 0x1234);  // PAUSE_QUANTA
	for (int step = 0; step < 2; step++) {
		bool now = step == 1;
		uint32_t cfg = now ? (uint32_t)(speed | 4) : mac_old;
		cmd(FE_COSIM_WRITE, 0x0104, cfg);
		FeCosimMsg p = cmd(FE_COSIM_RX, 0, 0, pf);
		bool rx = (p.b & FE_COSIM_TIMER_BUSY) != 0;
		if (rx)
			advance(p.d);
		tx_seen.clear();
		cmd(FE_COSIM_WRITE, 0x0120, 1);   // PAUSE_CMD: XOFF
		bool tx = tx_seen.size() == 1 && tx_seen[0].size() == 60 &&
			  tx_seen[0][0] == 0x01 && tx_seen[0][12] == 0x88 &&
			  tx_seen[0][13] == 0x08 && tx_seen[0][16] == 0x12 && tx_seen[0][17] == 0x34;
		bool want_rx = now ? through : old_rx, want_tx = now ? through : old_tx;
		uint32_t quantum = ((cfg & 3) == 0 ? 6400 : (cfg & 3) == 1 ? 640 : 64) * clk / 125;
		bool due_ok = !rx || p.d == (uint64_t)quanta * quantum;
		ok(rx == want_rx && tx == want_tx && due_ok,
		   "%s Mb/s, MAC_CFG %#x: a pause frame received %s (due %llu, %u quanta of %u clocks), PAUSE_CMD's frame %s (%zu frames handed over)",
		   name[speed], cfg, rx ? "taken" : "lost", (unsigned long long)(rx ? p.d : 0),
		   quanta, quantum, tx ? "sent" : "lost", tx_seen.size());
	}
}

static bool connect_to(const char *path)
{
	struct sockaddr_un sa = {};
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	for (int i = 0; i < 500; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return true;
		close(fd);
		usleep(10000);
	}
	return false;
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s SHIM [PHY_IF]\n", argv[0]);
		return 2;
	}
	bool rgmii = argc == 3 && atoi(argv[2]) == 1;
	char path[] = "/tmp/fe-cosim-test.XXXXXX";
	if (!mkdtemp(path))
		return 2;
	std::string sock = std::string(path) + "/s";
	pid_t pid = fork();
	if (!pid) {
		execl(argv[1], argv[1], sock.c_str(), (char *)nullptr);
		_exit(127);
	}
	printf("KTAP version 1\n");
	if (!connect_to(sock.c_str())) {
		ok(false, "connect to %s", sock.c_str());
		kill(pid, SIGTERM);
		return 1;
	}
	FeCosimMsg h = cmd(FE_COSIM_HELLO, FE_COSIM_MAGIC);
	ok(h.type == FE_COSIM_DONE && h.a == 4, "HELLO: NUM_QP %llu, CLK_MHZ %llu",
	   (unsigned long long)h.a, (unsigned long long)h.b);
	uint32_t clk = h.b;
	ok(rd(0x0000) == 0x46504745, "ID reads 0x46504745 (0x%08x)", rd(0x0000));
	ok(rd(0x0004) == 0x00010002, "VERSION reads 1.2 (0x%08x)", rd(0x0004));
	uint32_t cap0 = rd(0x0010);
	ok((cap0 & 0xf) == 4 && (cap0 >> 16) == 9600,
	   "CAP0: NUM_QP 4, MAX_FRAME 9600 (0x%08x)", cap0);
	ok(rd(0x0014) == 0x47f, "CAP1: TX_CSUM RX_CSUM RSS LOOPBACK TX_SG MC_HASH PAUSE QUEUE_IDLE (0x%08x)",
	   rd(0x0014));
	uint32_t cap3 = rd(0x001c);
	ok((cap3 >> 16) == clk && (cap3 & 0xffff) == 0x1010,
	   "CAP3: CLK_MHZ as HELLO says, FIFOs 16 KiB (0x%08x)", cap3);
	cmd(FE_COSIM_WRITE, 0x000c, 0xdeadbeef);
	ok(rd(0x000c) == 0xdeadbeef, "SCRATCH write read back");

	// MDIO: read the PHY's ID1 (phy 1, reg 2) with the driver's divider
	unsigned div = (clk * 1000 + 4999) / 5000;
	cmd(FE_COSIM_WRITE, 0x0188, div ? div - 1 : 0);
	uint64_t c0 = cmd(FE_COSIM_RUN, 0).c;
	cmd(FE_COSIM_WRITE, 0x0180, 0x80000000u | 2 << 10 | 1 << 5 | 2);
	int polls = 0;
	while ((rd(0x0180) & 0x80000000u) && polls < 1000) {
		cmd(FE_COSIM_RUN, 50);
		polls++;
	}
	uint64_t c1 = cmd(FE_COSIM_RUN, 0).c;
	ok(rd(0x0184) == 0x4650, "MDIO read of the PHY's ID1: 0x%04x after %llu clocks",
	   rd(0x0184), (unsigned long long)(c1 - c0));
	FeCosimMsg r = cmd(FE_COSIM_RUN, 1000);
	ok(r.c - c1 >= 1000 && r.c - c1 < 1100, "RUN 1000 runs 1000 clocks (+ reads: %llu)",
	   (unsigned long long)(r.c - c1));
	// speed of the idle IP (no DMA, no frames): a figure, not a check
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	FeCosimMsg s = cmd(FE_COSIM_RUN, 50000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double dt = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("# idle: 50000 clocks in %.3f s (%.2f MHz)\n", dt, 0.05 / dt);
	ok(s.c - r.c >= 50000, "RUN 50000");
	cmd(FE_COSIM_WRITE, 0x0204, 0x4);
	FeCosimMsg q = cmd(FE_COSIM_RUN, 1);
	ok((q.b & 1), "MDIO_DONE enabled: the misc line is high");

	// time: an idle IP (no timer) skips it; a pause frame with
	// RX_PAUSE_EN starts the pause timer (2000 quanta, 5 clocks each at
	// 1 Gb/s and 10 MHz): DONE says TIMER_BUSY and due 10000 clocks of
	// time (the RX command's own clocks are not time), ADVANCE runs it out
	FeCosimMsg a0 = advance(100000);
	ok(a0.c - q.c < 100 && !(a0.b & FE_COSIM_TIMER_BUSY) && a0.d == FE_COSIM_DUE_NONE,
	   "ADVANCE 100000 on an idle IP: %llu clocks run, no timer",
	   (unsigned long long)(a0.c - q.c));
	cmd(FE_COSIM_WRITE, 0x0100, 0x104);   // RX_EN, RX_PAUSE_EN
	std::vector<uint8_t> pf = {0x01, 0x80, 0xc2, 0, 0, 1, 2, 0, 0, 0, 0, 9,
				   0x88, 0x08, 0, 1, 2000 >> 8, 2000 & 0xff};
	FeCosimMsg p0 = cmd(FE_COSIM_RX, 0, 0, pf);
	FeCosimMsg p1 = advance(1000);
	FeCosimMsg p2 = advance(1000000);
	ok((p0.b & FE_COSIM_TIMER_BUSY) && p0.d == 10000 && (p1.b & FE_COSIM_TIMER_BUSY) &&
	   p1.d == 9000 && p1.c - p0.c >= 1000 && !(p2.b & FE_COSIM_TIMER_BUSY) &&
	   p2.c - p0.c >= 9000 && p2.c - p0.c < 12000,
	   "pause frame: TIMER_BUSY until the pause timer ran out, due %llu then %llu, ADVANCE ran %llu clocks (2000 quanta of 5)",
	   (unsigned long long)p0.d, (unsigned long long)p1.d,
	   (unsigned long long)(p2.c - p0.c));

	// SOFT_RESET completes CLK_MHZ clocks of time (1 us) after the DMA is
	// quiet: not in the command's own clocks, however many
	FeCosimMsg s0 = cmd(FE_COSIM_WRITE, 0x0100, 1);
	FeCosimMsg s1 = cmd(FE_COSIM_RUN, 5000);
	uint32_t ctrl1 = rd(0x0100, clk - 1);
	FeCosimMsg s2 = advance(1);   // QEMU's ADVANCE at the due time
	uint32_t ctrl2 = rd(0x0100);
	ok((s0.b & FE_COSIM_TIMER_BUSY) && s0.d == clk && s1.d == clk && (ctrl1 & 1) &&
	   !(s2.b & FE_COSIM_TIMER_BUSY) && !(ctrl2 & 1) && rd(0x000c) == 0,
	   "SOFT_RESET: due %llu clocks of time; CTRL reads %#x after %u of them, %#x after an ADVANCE of 1 more, SCRATCH 0",
	   (unsigned long long)s0.d, ctrl1, clk - 1, ctrl2);

	// a second session starts from reset
	close(fd);
	if (!connect_to(sock.c_str()))
		ok(false, "reconnect");
	cmd(FE_COSIM_HELLO, FE_COSIM_MAGIC);
	ok(rd(0x000c) == 0 && !(cmd(FE_COSIM_RUN, 1).b & 1),
	   "second session: SCRATCH 0, misc line low (reset)");

	// the line's speed follows the PHY's link: forced 10 and 100 full
	// duplex, then autonegotiation (1000 full against the partner's all)
	cmd(FE_COSIM_WRITE, 0x0188, div ? div - 1 : 0);
	printf("# the line: %s\n", rgmii ? "RGMII (10/100/1000)" : "GMII (1000 only)");
	speed_case(0, 0x0100, clk, 0x6, false, false, rgmii);
	speed_case(1, 0x2100, clk, 0x4, rgmii, false, rgmii);
	speed_case(2, 0x1340, clk, 0x5, !rgmii, !rgmii, true);
	close(fd);
	kill(pid, SIGTERM);
	waitpid(pid, nullptr, 0);
	unlink(sock.c_str());
	rmdir(path);
	printf("1..%d\n# %d passed, %d failed, 0 skipped\n", n_ok + n_fail, n_ok, n_fail);
	return n_fail != 0;
}
