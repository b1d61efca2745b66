// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's XDP program (tools/bench/guest.sh, workload rx_xdp): drop
 * every frame, the cheapest RX a driver with XDP offers. Built on the host
 * with clang -target bpf (Makefile target bpf) into selftests/bpf/build/;
 * attached with
 *   ip link set dev IF xdpdrv obj fpgaeth_bench_drop.o sec xdp
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bench_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
