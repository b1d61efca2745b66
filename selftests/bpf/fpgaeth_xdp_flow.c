// SPDX-License-Identifier: GPL-2.0
/*
 * XDP program of the fpgaeth XDP selftests (selftests/fpgaeth_xdp_*.py):
 * counts the IPv4 UDP frames to the configured port (the marked flow) and
 * applies the configured action to them; every other frame is counted
 * apart and passed. XDP_TX swaps the Ethernet addresses so that the frame
 * goes back to its sender; XDP_REDIRECT sends it to the configured
 * ifindex or, with CFG_DEVMAP_PORT set (not 0), to the device of the
 * DEVMAP xdp_devs' entry 0, its UDP destination port rewritten to
 * CFG_DEVMAP_PORT (UDP checksum updated): a devmap entry holds the device
 * of the namespace its update was made in, so the frame may leave through
 * an interface of another namespace and come back unmarked. With
 * CFG_NAT_FROM set (not 0), a marked frame to that IPv4
 * address is first rewritten to CFG_NAT_TO (destination NAT), its IPv4
 * header and UDP checksums updated incrementally (RFC 1624), so that the
 * frame stays valid but its ones'-complement sum changes. Configured
 * through the array map xdp_cfg (see enum cfg), read through xdp_cnt (see
 * enum cnt); both are found by the program's map ids.
 *
 * Built with FPGAETH_XDP_FRAGS defined (fpgaeth_xdp_flow_mb.c), the same
 * program is in section "xdp.frags": loaded with BPF_F_XDP_HAS_FRAGS, it
 * takes multi-buffer frames; the headers it reads and rewrites are in the
 * first buffer. It then also counts the marked frames that came in more
 * than one buffer (CNT_FRAGS).
 *
 * Built on the host with clang -target bpf (Makefile target bpf) into
 * selftests/bpf/build/; attached with
 *   ip link set dev IF xdpdrv obj fpgaeth_xdp_flow.o sec xdp
 *   ip link set dev IF xdpdrv obj fpgaeth_xdp_flow_mb.o sec xdp.frags
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum cfg {
	CFG_ACTION,	/* XDP_* applied to the marked flow (0 = ABORTED) */
	CFG_PORT,	/* UDP destination port of the marked flow */
	CFG_IFINDEX,	/* XDP_REDIRECT target */
	CFG_NAT_FROM,	/* IPv4 destination to rewrite (network order; 0: none) */
	CFG_NAT_TO,	/* what it becomes (network order) */
	CFG_DEVMAP_PORT, /* XDP_REDIRECT through xdp_devs[0], to this port */
	CFG_NUM,
};

enum cnt {
	CNT_MATCH,	/* frames of the marked flow */
	CNT_OTHER,	/* every other frame */
	CNT_FRAGS,	/* marked frames of more than one buffer (xdp.frags) */
	CNT_NUM,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CFG_NUM);
	__type(key, __u32);
	__type(value, __u32);
} xdp_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_NUM);
	__type(key, __u32);
	__type(value, __u64);
} xdp_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xdp_devs SEC(".maps");

static __always_inline __u32 cfg(__u32 key)
{
	__u32 *v = bpf_map_lookup_elem(&xdp_cfg, &key);

	return v ? *v : 0;
}

static __always_inline void count(__u32 key)
{
	__u64 *v = bpf_map_lookup_elem(&xdp_cnt, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* *sum, a ones'-complement checksum of data holding from, for to instead */
static __always_inline void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') */
	__u32 s = (__u16)~*sum;

	s += (__u16)~from + (__u16)~(from >> 16) + (__u16)to + (to >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	*sum = (__sum16)~s;
}

/* *sum, a ones'-complement checksum of data holding from, for to instead */
static __always_inline void csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	__u32 s = (__u16)~*sum;

	s += (__u16)~from + (__u16)to;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	*sum = (__sum16)~s;
}

/* XDP_REDIRECT through xdp_devs[0], the UDP destination port now port */
static __always_inline int redirect_devmap(struct xdp_md *ctx, __u32 port)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct udphdr *udp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
	__be16 to = bpf_htons(port);

	if ((void *)(udp + 1) > end)
		return XDP_ABORTED;
	if (udp->check) {
		csum_replace2(&udp->check, udp->dest, to);
		if (!udp->check)
			udp->check = (__sum16)0xffff;
	}
	udp->dest = to;
	return bpf_redirect_map(&xdp_devs, 0, 0);
}

/* destination NAT of a marked frame (already bounds-checked) */
static __always_inline void nat(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct udphdr *udp = (void *)(ip + 1);
	__be32 from = cfg(CFG_NAT_FROM), to = cfg(CFG_NAT_TO);

	if ((void *)(udp + 1) > end || !from || ip->daddr != from)
		return;
	ip->daddr = to;
	csum_replace4(&ip->check, from, to);
	/* the UDP checksum covers the pseudo-header's address; 0: none */
	if (udp->check) {
		csum_replace4(&udp->check, from, to);
		if (!udp->check)
			udp->check = (__sum16)0xffff;
	}
}

static __always_inline int marked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP)
		return 0;
	return udp->dest == bpf_htons(cfg(CFG_PORT));
}

#ifdef FPGAETH_XDP_FRAGS
#define FLOW_SEC "xdp.frags"
#else
#define FLOW_SEC "xdp"
#endif

SEC(FLOW_SEC)
int xdp_flow(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char tmp[ETH_ALEN];
	__u32 act;

	if (!marked(ctx)) {
		count(CNT_OTHER);
		return XDP_PASS;
	}
	count(CNT_MATCH);
#ifdef FPGAETH_XDP_FRAGS
	if (bpf_xdp_get_buff_len(ctx) > (__u64)(end - data))
		count(CNT_FRAGS);
#endif
	nat(ctx);
	act = cfg(CFG_ACTION);
	switch (act) {
	case XDP_TX:
		if ((void *)(eth + 1) > end)
			return XDP_ABORTED;
		__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
		__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
		return XDP_TX;
	case XDP_REDIRECT:
		if (cfg(CFG_DEVMAP_PORT))
			return redirect_devmap(ctx, cfg(CFG_DEVMAP_PORT));
		return bpf_redirect(cfg(CFG_IFINDEX), 0);
	default:
		return act;
	}
}

char _license[] SEC("license") = "GPL";
