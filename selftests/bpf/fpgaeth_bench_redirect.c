// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's redirect program (tools/bench/guest.sh, workload
 * rx_redirect): every frame is redirected to the interface in slot 0 of
 * the DEVMAP bench_port (bpftool map update name bench_port ...), as
 * xdp-bench redirect-map does; none there: dropped. Built on the host
 * with clang -target bpf (Makefile target bpf) into selftests/bpf/build/;
 * attached with
 *   ip link set dev IF xdpdrv obj fpgaeth_bench_redirect.o sec xdp
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_port SEC(".maps");

SEC("xdp")
int bench_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&bench_port, 0, XDP_DROP);
}

char _license[] SEC("license") = "GPL";
