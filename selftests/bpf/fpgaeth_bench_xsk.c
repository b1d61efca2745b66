// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's AF_XDP program (tools/bench/guest.sh, workloads xsk_*):
 * every frame goes to the AF_XDP socket of its RX queue (the XSKMAP xsks
 * of fpgaeth_xsk.h, filled by selftests/bpf/user/fpgaeth_xsk.c -b ...);
 * a queue without a socket passes it to the stack. Built on the host with
 * clang -target bpf (Makefile target bpf) into selftests/bpf/build/;
 * attached with
 *   ip link set dev IF xdpdrv obj fpgaeth_bench_xsk.o sec xdp
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "fpgaeth_xsk.h"

SEC("xdp")
int bench_xsk(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
