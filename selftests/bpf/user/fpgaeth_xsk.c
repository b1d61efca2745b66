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
 * Static, raw system calls, only the kernel's UAPI headers: it runs on
 * any guest kernel without libbpf or libxdp.
 */
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
#include <net/if.h>
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

struct ring {
	uint32_t *producer;
	uint32_t *consumer;
	uint32_t *flags;
	void *desc;
	uint32_t mask;
};

static int xsk, zc;
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
			      XDP_USE_NEED_WAKEUP,
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
		/* copy mode sends only from sendto(); zero-copy on wakeup */
		if (!zc || __atomic_load_n(tx.flags, __ATOMIC_ACQUIRE) &
			   XDP_RING_NEED_WAKEUP) {
			res->kicks++;
			sendto(xsk, NULL, 0, MSG_DONTWAIT, NULL, 0);
		}
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

	if (argc != 9 || parse_mac(argv[7], own) || parse_mac(argv[8], peer) ||
	    (strcmp(argv[3], "copy") && strcmp(argv[3], "zc"))) {
		fprintf(stderr, "usage: %s IFNAME QUEUE copy|zc MAP_ID RX_N TX_N OWN_MAC PEER_MAC\n",
			argv[0]);
		return 2;
	}
	zc = !strcmp(argv[3], "zc");
	rx_n = strtoul(argv[5], NULL, 0);
	tx_n = strtoul(argv[6], NULL, 0);
	setup(argv[1], strtoul(argv[2], NULL, 0), strtoul(argv[4], NULL, 0));
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
