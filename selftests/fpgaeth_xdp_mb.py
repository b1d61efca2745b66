#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Multi-buffer XDP at MTU 9000. Both ends at MTU 9000; the flow program
(selftests/bpf/fpgaeth_xdp_flow.c) on fe0, built for section "xdp.frags"
(fpgaeth_xdp_flow_mb.o), acts on IPv4 UDP datagrams to port 4791 from fe1
whose payloads (3600 to 8972 bytes) make frames of two or three RX buffers;
the program also counts the marked frames that came in more than one
buffer. Batches are sent once the program has counted the previous ones:

- attach: the single-buffer program is refused at MTU 9000 with the
  driver's message, the frags program attaches; the netdev family's
  xdp-features has rx-sg and ndo-xmit-sg;
- XDP_DROP: N frames counted, all N multi-buffer, rx*_xdp_drop N, none
  reaches the socket, rx bytes grew by the frames' whole lengths;
- XDP_PASS: the socket gets all N datagrams intact (the skb built from
  every buffer of the frame);
- XDP_ABORTED: rx*_xdp_errors N;
- XDP_TX: fe1 captures N frames back, addresses swapped, whole payloads
  intact (a descriptor per buffer, EOP on the last), rx*_xdp_tx N;
- XDP_REDIRECT to a veth at MTU 9000 (its peer with the frags program
  passing): N frames arrive whole, rx*_xdp_redirect N;
- ndo_xdp_xmit: the program on the veth peer redirects N frames of 3600 to
  8972 bytes payload into fe0 (multi-buffer xdp_frames), fe1 captures them
  whole, tx*_xdp_xmit N;
- the interface down and up (the pools the program used destroyed), then
  no destroyed page pool keeps pages in flight: every buffer of every frame
  went back on every action.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402

PLAN = 21
N = 48
MTU = 9000
VETH = ("fxm0", "fxm1")
NETDEV_CMD_DEV_GET = 1
XDP_RX_SG, XDP_NDO_XMIT_SG = 1 << 5, 1 << 6


def size(i):
    """UDP payload of datagram i: 3600..8972 bytes, frames of 2-3 buffers."""
    return 3600 + (i * 997) % 5373


def flow(bench, prog, action, first):
    """Send N marked datagrams from b to a with action set, each batch once
    the program counted the previous: (ok, counted, multi-buffer, driver
    counter deltas, rx bytes delta)."""
    a, b = bench.a, bench.b
    prog.set(x.CFG_ACTION, action)
    base = prog.counts(n=3)
    before = x.xdp_counters(a)
    rxb = a.stats64()["rx"].get("bytes", 0)
    ok = x.send_udp(b.ns, b.addr4, a.addr4, N, first, size=size, batch=8,
                    wait=lambda k: prog.counts()[x.CNT_MATCH] >= base[x.CNT_MATCH] + k)
    after = prog.counts(n=3)
    counted = after[x.CNT_MATCH] - base[x.CNT_MATCH]
    mb = after[x.CNT_FRAGS] - base[x.CNT_FRAGS]
    return (ok and counted == N, counted, mb, x.delta(x.xdp_counters(a), before),
            a.stats64()["rx"].get("bytes", 0) - rxb)


def frame_bytes(first):
    """Bytes of the N frames on the wire, without FCS."""
    return sum(14 + 20 + 8 + size(first + i) for i in range(N))


def case_attach(bench):
    a = bench.a
    sb = x.Prog(a.ifname, a.ns)
    r = sb.attach()
    bench.check("MTU %d: the single-buffer program is refused with the driver's message" % MTU,
                not r and "needs a program with frags" in r.out, "%r" % r)
    prog = x.Prog(a.ifname, a.ns)
    r = prog.attach(obj=x.OBJ_MB, sec="xdp.frags")
    bench.check("MTU %d: the xdp.frags program attached, maps found" % MTU,
                r and {"xdp_cfg", "xdp_cnt"} <= set(prog.maps), "%r, maps %s" % (r, prog.maps))
    idx = x.ifindex(a.ifname)
    feats = [d.get("xdp-features", 0) for d in
             net.netdev_dump(NETDEV_CMD_DEV_GET, {1: "ifindex", 3: "xdp-features"}, ns=a.ns)
             if d.get("ifindex") == idx]
    bench.check("xdp-features has rx-sg and ndo-xmit-sg",
                feats and feats[0] & XDP_RX_SG and feats[0] & XDP_NDO_XMIT_SG,
                "xdp-features %s" % [hex(f) for f in feats])
    return prog


def case_drop(bench, prog):
    lis = x.Listener(bench.a.ns, bench.a.addr4)
    try:
        ok, counted, mb, d, rxb = flow(bench, prog, x.XDP_DROP, 0)
        net.wait_for(lambda: lis.poll() > 0, 1, 0.1)  # a leak would show here
        bench.check("XDP_DROP: program counted %d of %d, %d multi-buffer" % (counted, N, mb),
                    ok and mb == N, "counted %d, multi-buffer %d" % (counted, mb))
        bench.check("XDP_DROP: rx*_xdp_drop counted %d, nothing else" % d["xdp_drop"],
                    d["xdp_drop"] == N and not d["xdp_errors"] and not d["xdp_tx"],
                    "deltas %s" % d)
        bench.check("XDP_DROP: no datagram reached the socket", lis.poll() == 0,
                    "%d received" % len(lis.got))
        # every buffer of a dropped frame counts in rx bytes (other frames may too)
        bench.check("XDP_DROP: rx bytes +%d, at least the frames' %d" % (rxb, frame_bytes(0)),
                    rxb >= frame_bytes(0), "rx bytes +%d" % rxb)
    finally:
        lis.close()


def case_pass(bench, prog):
    lis = x.Listener(bench.a.ns, bench.a.addr4)
    try:
        ok, counted, mb, d, _ = flow(bench, prog, x.XDP_PASS, 1000)
        got, _ = net.wait_for(lambda: lis.poll() >= N, 10, 0.05)
        w = x.payload_set(1000, N, size)
        bench.check("XDP_PASS: %d counted (%d multi-buffer), socket got %d of %d intact" % (
            counted, mb, len(lis.got), N), ok and mb == N and got and set(lis.got) == w,
            "counted %d, multi-buffer %d, received %d, %d intact, sizes %s" % (
                counted, mb, len(lis.got), len(w & set(lis.got)),
                sorted(len(g) for g in lis.got)[:8]))
        bench.check("XDP_PASS: no XDP counter moved", not any(d.values()), "deltas %s" % d)
    finally:
        lis.close()


def case_aborted(bench, prog):
    ok, counted, mb, d, _ = flow(bench, prog, x.XDP_ABORTED, 2000)
    bench.check("XDP_ABORTED: %d counted (%d multi-buffer), rx*_xdp_errors %d" % (
        counted, mb, d["xdp_errors"]), ok and mb == N and d["xdp_errors"] == N,
        "deltas %s" % d)


def case_tx(bench, prog):
    a, b = bench.a, bench.b
    cap = x.Capture(b.ifname, b.ns)
    try:
        ok, counted, mb, d, _ = flow(bench, prog, x.XDP_TX, 3000)
        bench.check("XDP_TX: %d counted, %d multi-buffer" % (counted, mb), ok and mb == N,
                    "counted %d, multi-buffer %d" % (counted, mb))
        x.check_frames(bench, "XDP_TX back to fe1", cap, x.payload_set(3000, N, size),
                       (b.mac, a.mac))
        bench.check("XDP_TX: rx*_xdp_tx counted %d" % d["xdp_tx"],
                    d["xdp_tx"] == N and not d["xdp_errors"], "deltas %s" % d)
    finally:
        cap.close()


def case_redirect(bench, prog):
    vprog, cap = x.veth_sink(VETH, obj=x.OBJ_MB, sec="xdp.frags")
    try:
        prog.set(x.CFG_IFINDEX, x.ifindex(VETH[0]))
        ok, counted, mb, d, _ = flow(bench, prog, x.XDP_REDIRECT, 4000)
        x.check_frames(bench, "XDP_REDIRECT to a veth (%d counted, %d multi-buffer)" % (
            counted, mb), cap, x.payload_set(4000, N, size), ok=ok and mb == N,
            why="counted %d, multi-buffer %d, " % (counted, mb))
        bench.check("XDP_REDIRECT: rx*_xdp_redirect counted %d" % d["xdp_redirect"],
                    d["xdp_redirect"] == N and not d["xdp_errors"], "deltas %s" % d)
    finally:
        cap.close()
    return vprog


def case_xmit(bench, vprog):
    """Frames sent into the veth pair are redirected by the frags program on
    its peer into fe0's interface (ndo_xdp_xmit of multi-buffer frames)."""
    a, b = bench.a, bench.b
    vprog.set(x.CFG_PORT, x.FLOW_PORT)
    vprog.set(x.CFG_IFINDEX, x.ifindex(a.ifname))
    vprog.set(x.CFG_ACTION, x.XDP_REDIRECT)
    frames = [x.udp_frame(b.mac, a.mac, a.addr4, b.addr4, x.FLOW_PORT,
                          x.payload(5000 + i, size(5000 + i))) for i in range(N)]
    cap = x.Capture(b.ifname, b.ns)
    base = vprog.counts(n=3)
    before = x.xdp_counters(a)
    try:
        x.send_veth(VETH[0], frames, cap, 8)
        mb = vprog.counts(n=3)[x.CNT_FRAGS] - base[x.CNT_FRAGS]
        x.check_frames(bench, "ndo_xdp_xmit (%d multi-buffer on the veth), to fe1" % mb, cap,
                       x.payload_set(5000, N, size), (b.mac, a.mac))
        d = x.delta(x.xdp_counters(a), before)
        bench.check("ndo_xdp_xmit: tx*_xdp_xmit counted %d" % d["xdp_xmit"],
                    d["xdp_xmit"] == N and not d["xdp_xmit_errors"], "deltas %s" % d)
    finally:
        cap.close()


def body(bench):
    a = bench.a
    for obj in (x.OBJ, x.OBJ_MB):
        if not os.path.exists(obj):
            bench.fail_rest("%s missing: run make (target bpf) on the host" % obj)
            return
    prog = case_attach(bench)
    prog.set(x.CFG_PORT, x.FLOW_PORT)
    case_drop(bench, prog)
    case_pass(bench, prog)
    case_aborted(bench, prog)
    case_tx(bench, prog)
    if not x.make_veth(VETH, MTU):
        bench.fail_rest("cannot create the veth pair")
        return
    vprog = case_redirect(bench, prog)
    case_xmit(bench, vprog)
    prog.detach()
    net.run(["ip", "link", "del", VETH[0]])
    # the pools the program's frames came from are destroyed at down
    r = net.ip_batch([["link", "set", "dev", a.ifname, "down"],
                      ["link", "set", "dev", a.ifname, "up"]], ns=a.ns)
    bench.check("detached, interface down and up", r, "%r" % r)
    bench.check_pools_drained("no destroyed page pool keeps pages in flight")
    net.wait_for(lambda: a.carrier(), 20, 0.2)
    bench.check_ping("ping fe0 -> fe1 at MTU %d" % MTU, a, bench.b.addr4, count=3,
                     interval=0.2, size=8000)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body, mtu=MTU)
