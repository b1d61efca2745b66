// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth_xsk: the AF_XDP end of selftests/fpgaeth_xdp_xsk.py.
 *
 *   fpgaeth_xsk IFNAME QUEUE copy|zc MAP_ID RX_N TX_N OWN_MAC PEER_MAC
 *
 * Binds an AF_XDP socket to queue QUEUE of IFNAME (XDP_COPY or
 * XDP_ZEROCOPY, with need_wakeup), puts it into the XSKMAP MAP_ID (the
 * xsks map of selftests/bpf/fpgaeth_xsk_redirect.c) at index QUEUE and
 * prints "ready". Then receives RX_N test frames (frame(seq, SALT_RX),
 * seq 0..RX_N-1, from PEER_MAC to OWN_MAC), each checked byte for byte,
 * and sends TX_N frames (frame(seq, SALT_TX), from OWN_MAC to PEER_MAC)
 * in batches, each batch's completions awaited before the next. Prints
 * one "result ..." line (key=value; zc: XDP_OPTIONS says zero-copy) and
 * exits 0 if every frame came
 * intact and exactly once and every sent frame completed, 1 otherwise,
 * 2 on a set-up error (with the failing step and errno on stderr).
 *
 * Test frame seq (fpgaeth_xdp_xsk.py builds and checks the same): frame_len(seq)
 * bytes, the addresses, EtherType 0x88b5, seq as 4 bytes big-endian, then
 * byte i (from the frame's start) = (seq * 31 + i * 7 + salt) & 0xff.
 *
 * The AF_XDP end of make bench (tools/bench/guest.sh), the same set-up:
 *
 *   fpgaeth_xsk -b rxdrop|txonly|l2fwd [-n] IFNAME QUEUE copy|zc MAP_ID
 *               RX_N TX_N OWN_MAC PEER_MAC
 *
 * rxdrop: counts N = RX_N received frames of any content (or stops
 * IDLE_S after the last one), each chunk straight back to the fill ring.
 * txonly: after a line on stdin, sends N = TX_N 60-byte frames (OWN_MAC
 * to PEER_MAC, IPv4 EtherType, zero payload), the TX ring kept full, and
 * reaps their completions; MAP_ID 0: no XSKMAP. l2fwd: each received
 * frame goes back out with its addresses swapped, its chunk on the TX
 * ring, and from the completion ring to the fill ring, until N = RX_N
 * frames completed (or IDLE_S without one). -n: bind without
 * XDP_USE_NEED_WAKEUP (then every TX batch is kicked). Prints "ready"
 * after the set-up, then one "bench ..." line (key=value): the frames,
 * the guest nanoseconds from the first frame to the last (CLOCK_MONOTONIC:
 * the virtual clock under -icount) and the instructions of every CPU
 * meanwhile (the PMU's instructions event, system wide, as perf stat -a),
 * the socket's XDP_STATISTICS; exit 0 if all N frames were handled, 1 if
 * not, 2 on a set-up error (a zero-copy bind the driver refuses:
 * "bind(XDP_ZEROCOPY): Operation not supported").
 *
 * Static, raw system calls, only the kernel's UAPI headers: it runs on
 * any guest kernel without libbpf or libxdp.
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/if_xdp.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "../fpgaeth_xsk.h"

#ifndef AF_XDP
#define AF_XDP		44
#endif
#ifndef SOL_XDP
#define SOL_XDP		283
#endif

#define HDR_LEN		18		/* addresses, type, seq */
#define MIN_LEN		60
#define MAX_LEN		1514
#define SALT_RX		0x00
#define SALT_TX		0x5a
#define NUM_FRAMES	4096		/* half for RX (fill ring), half for TX */
#define FRAME_SIZE	2048
#define RING_SIZE	2048
#define TX_BATCH	32
#define TIMEOUT_S	120		/* per phase, a bound on a hung test */
#define BENCH_LEN	60		/* bench frames: 64 bytes on the wire */
#define BENCH_BATCH	64
#define IDLE_S		1		/* bench: no frame for this long: done */
#define WAIT_US		20		/* bench: a wait with frames in flight */
#define MAX_CPUS	64

struct ring {
	uint32_t *producer;
	uint32_t *consumer;
	uint32_t *flags;
	void *desc;
	uint32_t mask;
};

static int xsk, zc, need_wakeup = 1;
static uint8_t *umem;
static struct ring fill, comp, rx, tx;

static unsigned int frame_len(uint32_t seq)
{
	return MIN_LEN + (seq * 97) % (MAX_LEN - MIN_LEN + 1);
}

static uint8_t frame_byte(uint32_t seq, unsigned int i, unsigned int salt)
{
	return (seq * 31 + i * 7 + salt) & 0xff;
}

static void build_frame(uint8_t *f, uint32_t seq, const uint8_t *dst,
			const uint8_t *src)
{
	unsigned int i, len = frame_len(seq);

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETH_P_MARKED >> 8;
	f[13] = ETH_P_MARKED & 0xff;
	f[14] = seq >> 24;
	f[15] = seq >> 16;
	f[16] = seq >> 8;
	f[17] = seq;
	for (i = HDR_LEN; i < len; i++)
		f[i] = frame_byte(seq, i, SALT_TX);
}

/*
 * -1 (not a test frame: addresses, type), or the first bad byte's index
 * from HDR_LEN on, or 0 if intact; *seq gets its sequence number
 */
static int check_frame(const uint8_t *f, unsigned int len, const uint8_t *own,
		       const uint8_t *peer, uint32_t *seq)
{
	unsigned int i;

	if (len < HDR_LEN || memcmp(f, own, 6) || memcmp(f + 6, peer, 6) ||
	    f[12] != ETH_P_MARKED >> 8 || f[13] != (ETH_P_MARKED & 0xff))
		return -1;
	*seq = (uint32_t)f[14] << 24 | f[15] << 16 | f[16] << 8 | f[17];
	if (len != frame_len(*seq))
		return HDR_LEN;
	for (i = HDR_LEN; i < len; i++)
		if (f[i] != frame_byte(*seq, i, SALT_RX))
			return i;
	return 0;
}

static int die(const char *what)
{
	fprintf(stderr, "fpgaeth_xsk: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void map_ring(struct ring *r, const struct xdp_ring_offset *off,
		     size_t desc_size, off_t pgoff)
{
	size_t len = off->desc + RING_SIZE * desc_size;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, xsk, pgoff);

	if (p == MAP_FAILED)
		die("mmap ring");
	r->producer = (uint32_t *)(p + off->producer);
	r->consumer = (uint32_t *)(p + off->consumer);
	r->flags = (uint32_t *)(p + off->flags);
	r->desc = p + off->desc;
	r->mask = RING_SIZE - 1;
}

static void setup(const char *ifname, unsigned int queue,
		  unsigned int map_id)
{
	struct xdp_umem_reg reg = {
		.len = (uint64_t)NUM_FRAMES * FRAME_SIZE,
		.chunk_size = FRAME_SIZE,
	};
	struct sockaddr_xdp sxdp = {
		.sxdp_family = AF_XDP,
		.sxdp_flags = (zc ? XDP_ZEROCOPY : XDP_COPY) |
			      (need_wakeup ? XDP_USE_NEED_WAKEUP : 0),
		.sxdp_queue_id = queue,
	};
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);
	union bpf_attr attr;
	int n = RING_SIZE, fd, i;
	uint64_t *addr;

	sxdp.sxdp_ifindex = if_nametoindex(ifname);
	if (!sxdp.sxdp_ifindex)
		die(ifname);
	umem = mmap(NULL, reg.len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (umem == MAP_FAILED)
		die("mmap umem");
	reg.addr = (uintptr_t)umem;
	xsk = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (xsk < 0)
		die("socket(AF_XDP)");
	if (setsockopt(xsk, SOL_XDP, XDP_UMEM_REG, &reg, sizeof(reg)) ||
	    setsockopt(xsk, SOL_XDP, XDP_UMEM_FILL_RING, &n, sizeof(n)) ||
	    setsockopt(xsk, SOL_XDP, XDP_UMEM_COMPLETION_RING, &n, sizeof(n)) ||
	    setsockopt(xsk, SOL_XDP, XDP_RX_RING, &n, sizeof(n)) ||
	    setsockopt(xsk, SOL_XDP, XDP_TX_RING, &n, sizeof(n)))
		die("setsockopt");
	if (getsockopt(xsk, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		die("XDP_MMAP_OFFSETS");
	map_ring(&fill, &off.fr, sizeof(uint64_t), XDP_UMEM_PGOFF_FILL_RING);
	map_ring(&comp, &off.cr, sizeof(uint64_t),
		 XDP_UMEM_PGOFF_COMPLETION_RING);
	map_ring(&rx, &off.rx, sizeof(struct xdp_desc), XDP_PGOFF_RX_RING);
	map_ring(&tx, &off.tx, sizeof(struct xdp_desc), XDP_PGOFF_TX_RING);

	/* the first half of the UMEM to the fill ring */
	addr = fill.desc;
	for (i = 0; i < NUM_FRAMES / 2; i++)
		addr[i] = (uint64_t)i * FRAME_SIZE;
	__atomic_store_n(fill.producer, NUM_FRAMES / 2, __ATOMIC_RELEASE);

	if (bind(xsk, (struct sockaddr *)&sxdp, sizeof(sxdp)))
		die(zc ? "bind(XDP_ZEROCOPY)" : "bind(XDP_COPY)");
	if (!map_id)
		return;

	memset(&attr, 0, sizeof(attr));
	attr.map_id = map_id;
	fd = sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr);
	if (fd < 0)
		die("BPF_MAP_GET_FD_BY_ID");
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&queue;
	attr.value = (uintptr_t)&xsk;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr))
		die("BPF_MAP_UPDATE_ELEM");
	close(fd);
}

static void kick_fill(void)
{
	if (__atomic_load_n(fill.flags, __ATOMIC_ACQUIRE) &
	    XDP_RING_NEED_WAKEUP)
		recvfrom(xsk, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

/*
 * Copy mode sends only from sendto(); zero-copy on a wakeup when the
 * driver asks for one (need_wakeup), or on every batch without it.
 * Returns 1 if it kicked.
 */
static int kick_tx(void)
{
	if (zc && need_wakeup &&
	    !(__atomic_load_n(tx.flags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP))
		return 0;
	sendto(xsk, NULL, 0, MSG_DONTWAIT, NULL, 0);
	return 1;
}

struct rx_result {
	unsigned int got, bad, dup, foreign, first_bad_seq, first_bad_byte;
};

/* receive n test frames, or stop after TIMEOUT_S without all */
static void receive(unsigned int n, const uint8_t *own, const uint8_t *peer,
		    struct rx_result *res)
{
	uint8_t *seen = calloc(n ? n : 1, 1);
	struct pollfd pfd = { .fd = xsk, .events = POLLIN };
	double end = now() + TIMEOUT_S;
	struct xdp_desc *d = rx.desc;
	uint64_t *fa = fill.desc;

	memset(res, 0, sizeof(*res));
	res->first_bad_seq = -1;
	while (res->got + res->bad < n && now() < end) {
		uint32_t cons = *rx.consumer;
		uint32_t prod = __atomic_load_n(rx.producer, __ATOMIC_ACQUIRE);
		uint32_t fprod = *fill.producer;

		if (cons == prod) {
			kick_fill();
			poll(&pfd, 1, 100);
			continue;
		}
		for (; cons != prod; cons++) {
			const struct xdp_desc *e = &d[cons & rx.mask];
			uint64_t a = e->addr;
			uint32_t seq;
			int r;

			if (a + e->len > (uint64_t)NUM_FRAMES * FRAME_SIZE) {
				res->bad++;
				continue;
			}
			r = check_frame(umem + a, e->len, own, peer, &seq);
			if (r < 0) {
				res->foreign++;
			} else if (r > 0 || seq >= n) {
				if (!res->bad++) {
					res->first_bad_seq = seq;
					res->first_bad_byte = r;
				}
			} else if (seen[seq]++) {
				res->dup++;
			} else {
				res->got++;
			}
			/* the chunk back to the fill ring */
			fa[fprod++ & fill.mask] = a - a % FRAME_SIZE;
		}
		__atomic_store_n(fill.producer, fprod, __ATOMIC_RELEASE);
		__atomic_store_n(rx.consumer, cons, __ATOMIC_RELEASE);
	}
	free(seen);
}

struct tx_result {
	unsigned int sent, completed, kicks;
};

/* send n frames from the second half of the UMEM, TX_BATCH at a time */
static void transmit(unsigned int n, const uint8_t *own, const uint8_t *peer,
		     struct tx_result *res)
{
	struct xdp_desc *d = tx.desc;
	uint64_t *ca = comp.desc;
	double end = now() + TIMEOUT_S;

	memset(res, 0, sizeof(*res));
	while (res->completed < n && now() < end) {
		uint32_t prod = *tx.producer;
		uint32_t cons, cprod;

		/* a batch once the previous one completed */
		if (res->sent == res->completed && res->sent < n) {
			unsigned int k;

			for (k = 0; k < TX_BATCH && res->sent < n; k++) {
				uint32_t seq = res->sent++;
				uint64_t a = (uint64_t)(NUM_FRAMES / 2 +
					     seq % (NUM_FRAMES / 2)) * FRAME_SIZE;

				build_frame(umem + a, seq, peer, own);
				d[prod & tx.mask].addr = a;
				d[prod & tx.mask].len = frame_len(seq);
				d[prod & tx.mask].options = 0;
				prod++;
			}
			__atomic_store_n(tx.producer, prod, __ATOMIC_RELEASE);
		}
		res->kicks += kick_tx();
		cons = *comp.consumer;
		cprod = __atomic_load_n(comp.producer, __ATOMIC_ACQUIRE);
		if (cons == cprod) {
			usleep(1000);
			continue;
		}
		for (; cons != cprod; cons++)
			(void)ca[cons & comp.mask];
		res->completed += cprod - *comp.consumer;
		__atomic_store_n(comp.consumer, cons, __ATOMIC_RELEASE);
	}
}

/* --- make bench's modes ------------------------------------------------ */

enum bench_mode { RXDROP, TXONLY, L2FWD };
static const char *const bench_names[] = { "rxdrop", "txonly", "l2fwd" };

struct bench_result {
	unsigned int frames, kicks;
	unsigned long long bytes;
	double t0, t1;			/* first and last frame */
	unsigned long long instructions;
};

/* the instructions event of every CPU (perf stat -a's), disabled */
static int pmu_fd[MAX_CPUS], pmu_n;

static void pmu_open(void)
{
	struct perf_event_attr pa = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(pa),
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.disabled = 1,
	};
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	for (pmu_n = 0; pmu_n < n && pmu_n < MAX_CPUS; pmu_n++) {
		pmu_fd[pmu_n] = syscall(__NR_perf_event_open, &pa, -1, pmu_n,
					-1, 0);
		if (pmu_fd[pmu_n] < 0)
			die("perf_event_open(instructions)");
	}
}

static void pmu_enable(int on)
{
	int i;

	for (i = 0; i < pmu_n; i++)
		ioctl(pmu_fd[i], on ? PERF_EVENT_IOC_ENABLE :
				      PERF_EVENT_IOC_DISABLE, 0);
}

static unsigned long long pmu_read(void)
{
	unsigned long long sum = 0, v;
	int i;

	for (i = 0; i < pmu_n; i++)
		if (read(pmu_fd[i], &v, sizeof(v)) == sizeof(v))
			sum += v;
	return sum;
}

/* the window opens at the first frame */
static void bench_start(struct bench_result *res)
{
	if (res->t0)
		return;
	pmu_enable(1);
	res->t0 = now();
}

static void bench_stop(struct bench_result *res)
{
	if (!res->t0)
		return;
	pmu_enable(0);
	res->instructions = pmu_read();
}

/* completed TX chunks: to the fill ring (l2fwd) or just counted (txonly) */
static unsigned int reap_comp(int refill)
{
	uint32_t cons = *comp.consumer;
	uint32_t prod = __atomic_load_n(comp.producer, __ATOMIC_ACQUIRE);
	uint32_t fprod = *fill.producer, n = prod - cons;
	uint64_t *ca = comp.desc, *fa = fill.desc;

	if (!n)
		return 0;
	if (refill) {
		for (; cons != prod; cons++)
			fa[fprod++ & fill.mask] = ca[cons & comp.mask];
		__atomic_store_n(fill.producer, fprod, __ATOMIC_RELEASE);
	}
	__atomic_store_n(comp.consumer, prod, __ATOMIC_RELEASE);
	return n;
}

static void swap_mac(uint8_t *f)
{
	uint8_t t[6];

	memcpy(t, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, t, 6);
}

/*
 * rxdrop and l2fwd: take what the RX ring holds; rxdrop gives each
 * chunk back to the fill ring, l2fwd puts it on the TX ring with its
 * addresses swapped (there is room: the TX ring holds every chunk).
 * Returns the frames taken.
 */
static unsigned int rx_batch(enum bench_mode mode, struct bench_result *res)
{
	uint32_t cons = *rx.consumer;
	uint32_t prod = __atomic_load_n(rx.producer, __ATOMIC_ACQUIRE);
	uint32_t fprod = *fill.producer, tprod = *tx.producer, n = prod - cons;
	struct xdp_desc *d = rx.desc, *t = tx.desc;
	uint64_t *fa = fill.desc;

	if (!n)
		return 0;
	bench_start(res);
	for (; cons != prod; cons++) {
		const struct xdp_desc *e = &d[cons & rx.mask];

		res->bytes += e->len;
		if (mode == RXDROP) {
			fa[fprod++ & fill.mask] = e->addr - e->addr % FRAME_SIZE;
			continue;
		}
		if (e->addr + e->len > (uint64_t)NUM_FRAMES * FRAME_SIZE ||
		    e->len < HDR_LEN)
			die("rx descriptor out of the UMEM");
		swap_mac(umem + e->addr);
		t[tprod & tx.mask] = *e;
		t[tprod & tx.mask].options = 0;
		tprod++;
	}
	if (mode == RXDROP)
		__atomic_store_n(fill.producer, fprod, __ATOMIC_RELEASE);
	else
		__atomic_store_n(tx.producer, tprod, __ATOMIC_RELEASE);
	__atomic_store_n(rx.consumer, prod, __ATOMIC_RELEASE);
	return n;
}

/*
 * Nothing to do: wait for a received frame, at most us microseconds (a
 * completion wakes nobody: a short wait instead of spinning, so that the
 * instructions counted are the work's). poll() also kicks the driver
 * when the rings ask for a wakeup.
 */
static void wait_rx(long us)
{
	struct pollfd pfd = { .fd = xsk, .events = POLLIN };
	struct timespec ts = { us / 1000000, us % 1000000 * 1000 };

	kick_fill();
	ppoll(&pfd, 1, &ts, NULL);
}

/* rxdrop, l2fwd: n frames, or IDLE_S without one once they flow */
static void bench_rx(enum bench_mode mode, unsigned int n,
		     struct bench_result *res)
{
	double end = now() + TIMEOUT_S, last = 0;
	unsigned int inflight = 0, got, done;

	while (res->frames < n && now() < end) {
		done = mode == L2FWD ? reap_comp(1) : 0;
		got = rx_batch(mode, res);
		if (mode == L2FWD && got)
			res->kicks += kick_tx();
		inflight += mode == L2FWD ? got - done : 0;
		done += mode == RXDROP ? got : 0;
		if (done) {
			res->frames += done;
			res->t1 = now();
		}
		if (got || done) {
			last = now();
			continue;
		}
		if (res->t0 && now() - last > IDLE_S)
			break;
		if (inflight && mode == L2FWD)
			res->kicks += kick_tx();
		wait_rx(inflight ? WAIT_US : 100000);
	}
	bench_stop(res);
}

/* txonly: n frames from the TX half of the UMEM, TX ring kept full */
static void bench_tx(unsigned int n, struct bench_result *res)
{
	double end = now() + TIMEOUT_S;
	struct xdp_desc *d = tx.desc;
	unsigned int sent = 0, k, done;

	bench_start(res);
	while (res->frames < n && now() < end) {
		uint32_t prod = *tx.producer;

		for (k = 0; k < BENCH_BATCH && sent < n &&
		     sent - res->frames < NUM_FRAMES / 2; k++, sent++, prod++) {
			d[prod & tx.mask].addr = (uint64_t)(NUM_FRAMES / 2 +
				sent % (NUM_FRAMES / 2)) * FRAME_SIZE;
			d[prod & tx.mask].len = BENCH_LEN;
			d[prod & tx.mask].options = 0;
		}
		if (k)
			__atomic_store_n(tx.producer, prod, __ATOMIC_RELEASE);
		if (sent != res->frames)
			res->kicks += kick_tx();
		done = reap_comp(0);
		res->frames += done;
		res->bytes += (unsigned long long)done * BENCH_LEN;
		if (done)
			res->t1 = now();
		if (!k && !done)
			wait_rx(WAIT_US);
	}
	bench_stop(res);
}

/* txonly's frames: OWN_MAC to PEER_MAC, IPv4 EtherType, zeros */
static void bench_tx_frames(const uint8_t *own, const uint8_t *peer)
{
	unsigned int i;

	for (i = NUM_FRAMES / 2; i < NUM_FRAMES; i++) {
		uint8_t *f = umem + (uint64_t)i * FRAME_SIZE;

		memset(f, 0, BENCH_LEN);
		memcpy(f, peer, 6);
		memcpy(f + 6, own, 6);
		f[12] = 0x08;
	}
}

static int bench(enum bench_mode mode, unsigned int n, const uint8_t *own,
		 const uint8_t *peer)
{
	struct bench_result res = { 0 };
	struct xdp_statistics st = { 0 };
	socklen_t optlen = sizeof(st);
	struct xdp_options opts = { 0 };
	socklen_t olen = sizeof(opts);
	char go[16];

	pmu_open();
	if (mode == TXONLY)
		bench_tx_frames(own, peer);
	printf("ready\n");
	fflush(stdout);
	if (mode == TXONLY) {
		/* the sender waits for its go: the window excludes the set-up */
		if (read(0, go, sizeof(go)) < 0)
			die("read(go)");
		bench_tx(n, &res);
	} else {
		bench_rx(mode, n, &res);
	}
	if (getsockopt(xsk, SOL_XDP, XDP_STATISTICS, &st, &optlen))
		die("XDP_STATISTICS");
	if (getsockopt(xsk, SOL_XDP, XDP_OPTIONS, &opts, &olen))
		die("XDP_OPTIONS");
	printf("bench mode=%s zc=%d need_wakeup=%d frames=%u bytes=%llu elapsed_ns=%.0f instructions=%llu kicks=%u rx_dropped=%llu rx_invalid=%llu tx_invalid=%llu rx_ring_full=%llu fill_empty=%llu tx_ring_empty=%llu\n",
	       bench_names[mode], !!(opts.flags & XDP_OPTIONS_ZEROCOPY),
	       need_wakeup, res.frames, res.bytes, (res.t1 - res.t0) * 1e9,
	       res.instructions, res.kicks,
	       (unsigned long long)st.rx_dropped,
	       (unsigned long long)st.rx_invalid_descs,
	       (unsigned long long)st.tx_invalid_descs,
	       (unsigned long long)st.rx_ring_full,
	       (unsigned long long)st.rx_fill_ring_empty_descs,
	       (unsigned long long)st.tx_ring_empty_descs);
	fflush(stdout);
	return res.frames == n ? 0 : 1;
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-b rxdrop|txonly|l2fwd] [-n] IFNAME QUEUE copy|zc MAP_ID RX_N TX_N OWN_MAC PEER_MAC\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	struct xdp_statistics st = { 0 };
	socklen_t optlen = sizeof(st);
	struct xdp_options opts = { 0 };
	socklen_t olen = sizeof(opts);
	uint8_t own[6], peer[6];
	struct rx_result rr;
	struct tx_result tr;
	unsigned int rx_n, tx_n;
	const char *prog = argv[0];
	int mode = -1, c;

	while ((c = getopt(argc, argv, "+b:n")) != -1) {
		if (c == 'n') {
			need_wakeup = 0;
			continue;
		}
		if (c != 'b')
			usage(prog);
		for (mode = L2FWD; mode >= 0; mode--)
			if (!strcmp(optarg, bench_names[mode]))
				break;
		if (mode < 0)
			usage(prog);
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc != 9 || parse_mac(argv[7], own) || parse_mac(argv[8], peer) ||
	    (strcmp(argv[3], "copy") && strcmp(argv[3], "zc")))
		usage(prog);
	zc = !strcmp(argv[3], "zc");
	rx_n = strtoul(argv[5], NULL, 0);
	tx_n = strtoul(argv[6], NULL, 0);
	setup(argv[1], strtoul(argv[2], NULL, 0), strtoul(argv[4], NULL, 0));
	if (mode >= 0)
		return bench(mode, mode == TXONLY ? tx_n : rx_n, own, peer);
	printf("ready\n");
	fflush(stdout);
	receive(rx_n, own, peer, &rr);
	transmit(tx_n, own, peer, &tr);
	if (getsockopt(xsk, SOL_XDP, XDP_STATISTICS, &st, &optlen))
		die("XDP_STATISTICS");
	if (getsockopt(xsk, SOL_XDP, XDP_OPTIONS, &opts, &olen))
		die("XDP_OPTIONS");
	printf("result zc=%d rx_got=%u rx_bad=%u rx_dup=%u rx_foreign=%u first_bad_seq=%d first_bad_byte=%u tx_sent=%u tx_completed=%u tx_kicks=%u rx_dropped=%llu rx_invalid=%llu tx_invalid=%llu\n",
	       !!(opts.flags & XDP_OPTIONS_ZEROCOPY), rr.got, rr.bad, rr.dup, rr.foreign, (int)rr.first_bad_seq,
	       rr.first_bad_byte, tr.sent, tr.completed, tr.kicks,
	       (unsigned long long)st.rx_dropped,
	       (unsigned long long)st.rx_invalid_descs,
	       (unsigned long long)st.tx_invalid_descs);
	fflush(stdout);
	return rr.got == rx_n && !rr.bad && !rr.dup &&
	       tr.completed == tx_n ? 0 : 1;
}
