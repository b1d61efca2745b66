// SPDX-License-Identifier: GPL-2.0
/*
 * XDP program of selftests/fpgaeth_xdp_hints.py: reads the RX metadata
 * the driver gives (bpf_xdp_metadata_rx_hash(), the driver's xmo_rx_hash)
 * for the frames of the marked flow, those whose Ethernet source address
 * is 02:fe:68:69:6e:NN, and records for each NN what the kfunc answered
 * (array map hints, struct hint) before dropping the frame. Frames of
 * EtherType 0x88b5 (the AF_XDP test frames of selftests/bpf/user/
 * fpgaeth_xsk.c) go to the AF_XDP socket of the receiving queue (XSKMAP
 * xsks), every other frame to the stack.
 *
 * The kfunc reaches the driver only in a program bound to the device
 * (BPF_F_XDP_DEV_BOUND_ONLY; elsewhere the kernel's stub answers
 * -EOPNOTSUPP):
 *   bpftool prog load fpgaeth_xdp_hints.o /sys/fs/bpf/hints xdpmeta_dev IF
 *   ip link set dev IF xdpdrv pinned /sys/fs/bpf/hints
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "fpgaeth_xsk.h"

#define HINTS		64

/* include/net/xdp.h's enum; only its kind matters to the kfunc's BTF check */
enum xdp_rss_hash_type {
	XDP_RSS_TYPE_NONE = 0,
};

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym;

struct hint {
	__u64 frames;	/* marked frames with this NN */
	__s32 ret;	/* the kfunc's return value, last frame */
	__u32 hash;	/* its hash (0 unless ret is 0) */
	__u32 rss_type;	/* its enum xdp_rss_hash_type */
	__u32 queue;	/* the RX queue the frame came in on */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HINTS);
	__type(key, __u32);
	__type(value, struct hint);
} hints SEC(".maps");

static const unsigned char marker[5] = { 0x02, 0xfe, 0x68, 0x69, 0x6e };

SEC("xdp")
int xdp_hints(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	enum xdp_rss_hash_type type = 0;
	struct hint *h;
	__u32 hash = 0, key;
	int i;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_MARKED))
		return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	for (i = 0; i < (int)sizeof(marker); i++)
		if (eth->h_source[i] != marker[i])
			return XDP_PASS;
	key = eth->h_source[5];
	h = bpf_map_lookup_elem(&hints, &key);
	if (!h)
		return XDP_DROP;
	h->ret = bpf_xdp_metadata_rx_hash(ctx, &hash, &type);
	h->hash = hash;
	h->rss_type = type;
	h->queue = ctx->rx_queue_index;
	__sync_fetch_and_add(&h->frames, 1);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
