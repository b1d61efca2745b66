// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth_xsk: the AF_XDP end of selftests/fpgaeth_xdp_xsk.py.
 *
 *   fpgaeth_xsk IFNAME QUEUE copy|zc MAP_ID RX_N TX_N OWN_MAC PEER_MAC
 *
 * Binds an AF_XDP socket to queue QUEUE of IFNAME (XDP_COPY or
 * XDP_ZEROCOPY, with need_wakeup), puts it into the XSKMAP MAP_ID (the
 * xsks map of selftests/bpf/fpgaeth_xsk_redirect.c) at index QUEUE and
 * prints "ready zc=Z" (Z: 1 if the socket's XDP_OPTIONS say zero-copy).
 * Then receives RX_N test frames (frame(seq, SALT_RX), seq 0..RX_N-1,
 * from PEER_MAC to OWN_MAC), each checked byte for byte, and sends TX_N
 * frames (frame(seq, SALT_TX), from OWN_MAC to PEER_MAC) in batches, each
 * batch's completions awaited before the next. Prints one "result ..."
 * line (key=value; zc as in "ready") and exits 0 if every frame came
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
 * XDP_USE_NEED_WAKEUP (then every TX batch is kicked). Prints "ready zc=Z"
 * after the set-up, then one "bench ..." line (key=value): the frames,
 * the guest nanoseconds from the first frame to the last (CLOCK_MONOTONIC:
 * the virtual clock under -icount) and the instructions of every CPU
 * meanwhile (the PMU's instructions event, system wide, as perf stat -a),
 * the socket's XDP_STATISTICS; exit 0 if all N frames were handled, 1 if
 * not, 2 on a set-up error (a zero-copy bind the driver refuses:
 * "bind(XDP_ZEROCOPY): Operation not supported").
 *
 * On libxdp's AF_XDP API (<xdp/xsk.h>: xsk_umem__create(),
 * xsk_socket__create(), the ring accessors) and libbpf: the socket is
 * created with XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD (the caller's program
 * owns the XSKMAP, libxdp loads none) and enters the map MAP_ID with
 * xsk_socket__update_xskmap(). Linked statically against Debian's
 * libxdp.a and libbpf.a (Makefile target bpf): it runs on any guest
 * kernel and rootfs.
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
#include <linux/if_xdp.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <xdp/xsk.h>

#include "../fpgaeth_xsk.h"

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
#define UMEM_LEN	((uint64_t)NUM_FRAMES * FRAME_SIZE)

static int xsk_fd, zc, need_wakeup = 1;
static uint8_t *umem;
static struct xsk_umem *umem_h;
static struct xsk_socket *xsk;
static struct xsk_ring_prod fill, tx;
static struct xsk_ring_cons comp, rx;

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

/* libxdp's and libbpf's errors: a negative errno */
static int die_err(const char *what, int err)
{
	errno = -err;
	return die(what);
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

/* the first half of the UMEM to the fill ring */
static void fill_half(void)
{
	uint32_t idx, i;

	if (xsk_ring_prod__reserve(&fill, NUM_FRAMES / 2, &idx) != NUM_FRAMES / 2)
		die_err("fill ring", -ENOSPC);
	for (i = 0; i < NUM_FRAMES / 2; i++)
		*xsk_ring_prod__fill_addr(&fill, idx + i) = (uint64_t)i * FRAME_SIZE;
	xsk_ring_prod__submit(&fill, NUM_FRAMES / 2);
}

/*
 * The UMEM and its rings, the socket bound to the queue (libxdp binds in
 * xsk_socket__create()), then the socket into the caller's XSKMAP
 */
static void setup(const char *ifname, unsigned int queue,
		  unsigned int map_id)
{
	const struct xsk_umem_config ucfg = {
		.fill_size = RING_SIZE,
		.comp_size = RING_SIZE,
		.frame_size = FRAME_SIZE,
	};
	const struct xsk_socket_config scfg = {
		.rx_size = RING_SIZE,
		.tx_size = RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = (zc ? XDP_ZEROCOPY : XDP_COPY) |
			      (need_wakeup ? XDP_USE_NEED_WAKEUP : 0),
	};
	size_t len = (size_t)NUM_FRAMES * FRAME_SIZE;
	int fd, err;

	umem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (umem == MAP_FAILED)
		die("mmap umem");
	err = xsk_umem__create(&umem_h, umem, len, &fill, &comp, &ucfg);
	if (err)
		die_err("xsk_umem__create", err);
	fill_half();
	err = xsk_socket__create(&xsk, ifname, queue, umem_h, &rx, &tx, &scfg);
	if (err)
		die_err(zc ? "bind(XDP_ZEROCOPY)" : "bind(XDP_COPY)", err);
	xsk_fd = xsk_socket__fd(xsk);
	if (!map_id)
		return;

	fd = bpf_map_get_fd_by_id(map_id);
	if (fd < 0)
		die_err("bpf_map_get_fd_by_id", fd);
	err = xsk_socket__update_xskmap(xsk, fd);
	if (err)
		die_err("xsk_socket__update_xskmap", err);
	close(fd);
}

/* the kernel's word on the bind: 1 if zero-copy (XDP_OPTIONS) */
static int bound_zc(void)
{
	struct xdp_options opts = { 0 };
	socklen_t olen = sizeof(opts);

	if (getsockopt(xsk_fd, SOL_XDP, XDP_OPTIONS, &opts, &olen))
		die("XDP_OPTIONS");
	return !!(opts.flags & XDP_OPTIONS_ZEROCOPY);
}

static void kick_fill(void)
{
	if (xsk_ring_prod__needs_wakeup(&fill))
		recvfrom(xsk_fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

/*
 * Copy mode sends only from sendto(); zero-copy on a wakeup when the
 * driver asks for one (need_wakeup), or on every batch without it.
 * Returns 1 if it kicked.
 */
static int kick_tx(void)
{
	if (zc && need_wakeup && !xsk_ring_prod__needs_wakeup(&tx))
		return 0;
	sendto(xsk_fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	return 1;
}

struct rx_result {
	unsigned int got, bad, dup, foreign, first_bad_seq, first_bad_byte;
};

/* one received frame: counted in res; 1 if its chunk is in the UMEM */
static int rx_account(const struct xdp_desc *e, const uint8_t *own,
		      const uint8_t *peer, unsigned int n, uint8_t *seen,
		      struct rx_result *res)
{
	uint32_t seq = -1;
	int r;

	if (e->addr + e->len > UMEM_LEN) {
		r = 0;
	} else {
		r = check_frame(umem + e->addr, e->len, own, peer, &seq);
		if (r < 0) {
			res->foreign++;
			return 1;
		}
		if (!r && seq < n) {
			if (seen[seq]++)
				res->dup++;
			else
				res->got++;
			return 1;
		}
	}
	if (!res->bad++) {
		res->first_bad_seq = seq;
		res->first_bad_byte = r;
	}
	return e->addr + e->len <= UMEM_LEN;
}

/* receive n test frames, or stop after TIMEOUT_S without all */
static void receive(unsigned int n, const uint8_t *own, const uint8_t *peer,
		    struct rx_result *res)
{
	uint8_t *seen = calloc(n ? n : 1, 1);
	struct pollfd pfd = { .fd = xsk_fd, .events = POLLIN };
	double end = now() + TIMEOUT_S;
	uint32_t idx, fidx, got, i, back;

	memset(res, 0, sizeof(*res));
	res->first_bad_seq = -1;
	while (res->got + res->bad < n && now() < end) {
		got = xsk_ring_cons__peek(&rx, RING_SIZE, &idx);
		if (!got) {
			kick_fill();
			poll(&pfd, 1, 100);
			continue;
		}
		for (i = back = 0; i < got; i++) {
			const struct xdp_desc *e = xsk_ring_cons__rx_desc(&rx, idx + i);

			if (!rx_account(e, own, peer, n, seen, res))
				continue;
			/* the chunk back to the fill ring (room for all) */
			if (!xsk_ring_prod__reserve(&fill, 1, &fidx))
				die_err("fill ring", -ENOSPC);
			*xsk_ring_prod__fill_addr(&fill, fidx) =
				e->addr - e->addr % FRAME_SIZE;
			back++;
		}
		xsk_ring_prod__submit(&fill, back);
		xsk_ring_cons__release(&rx, got);
	}
	free(seen);
}

struct tx_result {
	unsigned int sent, completed, kicks;
};

/* the next TX_BATCH (at most) of n frames, from the UMEM's second half */
static void tx_batch(unsigned int n, const uint8_t *own, const uint8_t *peer,
		     struct tx_result *res)
{
	uint32_t idx, i, k = n - res->sent < TX_BATCH ? n - res->sent : TX_BATCH;

	if (xsk_ring_prod__reserve(&tx, k, &idx) != k)
		die_err("tx ring", -ENOSPC);
	for (i = 0; i < k; i++) {
		struct xdp_desc *d = xsk_ring_prod__tx_desc(&tx, idx + i);
		uint32_t seq = res->sent++;

		d->addr = (uint64_t)(NUM_FRAMES / 2 + seq % (NUM_FRAMES / 2)) *
			  FRAME_SIZE;
		d->len = frame_len(seq);
		d->options = 0;
		build_frame(umem + d->addr, seq, peer, own);
	}
	xsk_ring_prod__submit(&tx, k);
}

/* send n frames, a batch once the previous one completed */
static void transmit(unsigned int n, const uint8_t *own, const uint8_t *peer,
		     struct tx_result *res)
{
	double end = now() + TIMEOUT_S;
	uint32_t idx, done;

	memset(res, 0, sizeof(*res));
	while (res->completed < n && now() < end) {
		if (res->sent == res->completed && res->sent < n)
			tx_batch(n, own, peer, res);
		res->kicks += kick_tx();
		done = xsk_ring_cons__peek(&comp, RING_SIZE, &idx);
		if (!done) {
			usleep(1000);
			continue;
		}
		xsk_ring_cons__release(&comp, done);
		res->completed += done;
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
	uint32_t idx, fidx, i, n = xsk_ring_cons__peek(&comp, RING_SIZE, &idx);

	if (!n)
		return 0;
	if (refill) {
		/* room: the fill ring holds every RX chunk */
		if (xsk_ring_prod__reserve(&fill, n, &fidx) != n)
			die_err("fill ring", -ENOSPC);
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&fill, fidx + i) =
				*xsk_ring_cons__comp_addr(&comp, idx + i);
		xsk_ring_prod__submit(&fill, n);
	}
	xsk_ring_cons__release(&comp, n);
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
	struct xsk_ring_prod *out = mode == RXDROP ? &fill : &tx;
	uint32_t idx, oidx, i, n = xsk_ring_cons__peek(&rx, RING_SIZE, &idx);

	if (!n)
		return 0;
	bench_start(res);
	if (xsk_ring_prod__reserve(out, n, &oidx) != n)
		die_err(mode == RXDROP ? "fill ring" : "tx ring", -ENOSPC);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *e = xsk_ring_cons__rx_desc(&rx, idx + i);
		struct xdp_desc *t;

		res->bytes += e->len;
		if (mode == RXDROP) {
			*xsk_ring_prod__fill_addr(&fill, oidx + i) =
				e->addr - e->addr % FRAME_SIZE;
			continue;
		}
		if (e->addr + e->len > UMEM_LEN || e->len < HDR_LEN)
			die("rx descriptor out of the UMEM");
		swap_mac(umem + e->addr);
		t = xsk_ring_prod__tx_desc(&tx, oidx + i);
		t->addr = e->addr;
		t->len = e->len;
		t->options = 0;
	}
	xsk_ring_prod__submit(out, n);
	xsk_ring_cons__release(&rx, n);
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
	struct pollfd pfd = { .fd = xsk_fd, .events = POLLIN };
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

/* txonly: up to BENCH_BATCH more descriptors, at most a UMEM half in flight */
static unsigned int bench_tx_post(unsigned int n, unsigned int *sent,
				  unsigned int completed)
{
	uint32_t idx, i, k = n - *sent;

	if (k > BENCH_BATCH)
		k = BENCH_BATCH;
	if (k > NUM_FRAMES / 2 - (*sent - completed))
		k = NUM_FRAMES / 2 - (*sent - completed);
	if (!k || xsk_ring_prod__reserve(&tx, k, &idx) != k)
		return 0;
	for (i = 0; i < k; i++, (*sent)++) {
		struct xdp_desc *d = xsk_ring_prod__tx_desc(&tx, idx + i);

		d->addr = (uint64_t)(NUM_FRAMES / 2 + *sent % (NUM_FRAMES / 2)) *
			  FRAME_SIZE;
		d->len = BENCH_LEN;
		d->options = 0;
	}
	xsk_ring_prod__submit(&tx, k);
	return k;
}

/* txonly: n frames from the TX half of the UMEM, TX ring kept full */
static void bench_tx(unsigned int n, struct bench_result *res)
{
	double end = now() + TIMEOUT_S;
	unsigned int sent = 0, k, done;

	bench_start(res);
	while (res->frames < n && now() < end) {
		k = bench_tx_post(n, &sent, res->frames);
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
	char go[16];

	pmu_open();
	if (mode == TXONLY)
		bench_tx_frames(own, peer);
	printf("ready zc=%d\n", bound_zc());
	fflush(stdout);
	if (mode == TXONLY) {
		/* the sender waits for its go: the window excludes the set-up */
		if (read(0, go, sizeof(go)) < 0)
			die("read(go)");
		bench_tx(n, &res);
	} else {
		bench_rx(mode, n, &res);
	}
	if (getsockopt(xsk_fd, SOL_XDP, XDP_STATISTICS, &st, &optlen))
		die("XDP_STATISTICS");
	printf("bench mode=%s zc=%d need_wakeup=%d frames=%u bytes=%llu elapsed_ns=%.0f instructions=%llu kicks=%u rx_dropped=%llu rx_invalid=%llu tx_invalid=%llu rx_ring_full=%llu fill_empty=%llu tx_ring_empty=%llu\n",
	       bench_names[mode], bound_zc(),
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
	printf("ready zc=%d\n", bound_zc());
	fflush(stdout);
	receive(rx_n, own, peer, &rr);
	transmit(tx_n, own, peer, &tr);
	if (getsockopt(xsk_fd, SOL_XDP, XDP_STATISTICS, &st, &optlen))
		die("XDP_STATISTICS");
	printf("result zc=%d rx_got=%u rx_bad=%u rx_dup=%u rx_foreign=%u first_bad_seq=%d first_bad_byte=%u tx_sent=%u tx_completed=%u tx_kicks=%u rx_dropped=%llu rx_invalid=%llu tx_invalid=%llu\n",
	       bound_zc(), rr.got, rr.bad, rr.dup, rr.foreign, (int)rr.first_bad_seq,
	       rr.first_bad_byte, tr.sent, tr.completed, tr.kicks,
	       (unsigned long long)st.rx_dropped,
	       (unsigned long long)st.rx_invalid_descs,
	       (unsigned long long)st.tx_invalid_descs);
	fflush(stdout);
	return rr.got == rx_n && !rr.bad && !rr.dup &&
	       tr.completed == tx_n ? 0 : 1;
}
