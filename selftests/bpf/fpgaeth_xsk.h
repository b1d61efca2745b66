/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the XDP programs that hand frames to AF_XDP sockets
 * (fpgaeth_xsk_redirect.c, fpgaeth_xdp_hints.c) share with the sockets'
 * user end (user/fpgaeth_xsk.c): the EtherType of its test frames, the
 * local experimental 0x88b5, and, in the programs, the XSKMAP xsks that
 * holds each RX queue's socket at the queue's index.
 */
#ifndef FPGAETH_XSK_H
#define FPGAETH_XSK_H

#define ETH_P_MARKED	0x88b5

#ifdef __bpf__
#define XSK_QUEUES	64

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, XSK_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");
#endif

#endif /* FPGAETH_XSK_H */
