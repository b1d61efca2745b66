// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's XDP_TX program (tools/bench/guest.sh, workload rx_xdptx):
 * every frame goes back out of the port it came in on, its Ethernet
 * addresses swapped (so that the sender's MAC filter takes it). Built on
 * the host with clang -target bpf (Makefile target bpf) into
 * selftests/bpf/build/; attached with
 *   ip link set dev IF xdpdrv obj fpgaeth_bench_tx.o sec xdp
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bench_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char t[ETH_ALEN];

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(t, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, t, ETH_ALEN);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
