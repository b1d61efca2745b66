// SPDX-License-Identifier: GPL-2.0
/*
 * XDP program of the fpgaeth AF_XDP selftest (selftests/fpgaeth_xdp_xsk.py):
 * frames of the marked flow, the local experimental EtherType 0x88b5, are
 * redirected to the AF_XDP socket of the receiving queue (the XSKMAP
 * xsks, indexed by queue; the test program selftests/bpf/user/fpgaeth_xsk.c
 * puts its socket there); a marked frame on a queue without a socket and
 * every other frame go to the stack. Counters in the array map xsk_cnt
 * (see enum cnt).
 *
 * Built on the host with clang -target bpf (Makefile target bpf) into
 * selftests/bpf/build/; attached with
 *   ip link set dev IF xdpdrv obj fpgaeth_xsk_redirect.o sec xdp
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "fpgaeth_xsk.h"


enum cnt {
	CNT_MATCH,	/* marked frames */
	CNT_REDIRECT,	/* of those, redirected to a socket */
	CNT_OTHER,	/* every other frame */
	CNT_NUM,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_NUM);
	__type(key, __u32);
	__type(value, __u64);
} xsk_cnt SEC(".maps");

static __always_inline void count(__u32 key)
{
	__u64 *v = bpf_map_lookup_elem(&xsk_cnt, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xsk_redirect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	long act;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_MARKED)) {
		count(CNT_OTHER);
		return XDP_PASS;
	}
	count(CNT_MATCH);
	/* XDP_PASS if the queue has no socket */
	act = bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	if (act == XDP_REDIRECT)
		count(CNT_REDIRECT);
	return act;
}

char _license[] SEC("license") = "GPL";
