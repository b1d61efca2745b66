#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Multi-buffer XDP frames sent on an instance without CAP1.TX_SG.

Runs on the variants bench (selftests/variants/devices), which has
instances whose CAP1 lacks TX_SG: there a TX frame is one descriptor
(programming model, TX_MAX_DESCS), the driver uses one (tx_max_descs 1)
and advertises no ndo-xmit-sg. A = the first bound instance without
TX_SG, B = another bound instance (both without DT edits or fixed-link),
each in a namespace of its own at MTU 9000; on A the flow program
(selftests/bpf/fpgaeth_xdp_flow.c) built for "xdp.frags" acts on IPv4 UDP
datagrams to port 4791:

- XDP_TX of N datagrams from B whose payloads (3600 to 8972 bytes) make
  frames of two or three RX buffers: the program counts N, all
  multi-buffer; the driver sends none of them (B captures nothing and A's
  TX rings complete no frame, sent or discarded: tx<q>_packets and
  tx<q>_errors unmoved, the stack of either end sending nothing of its
  own, without IPv6 and with static ARP entries), counts each in
  rx<q>_xdp_errors (not xdp_tx) and fires the xdp:xdp_exception
  tracepoint N times;
- XDP_TX of N single-buffer datagrams right after: B captures all N back,
  addresses swapped, payloads intact, rx<q>_xdp_tx N;
- XDP_REDIRECT into A (ndo_xdp_xmit) from a veth pair in A's namespace
  whose peer runs the frags program: N multi-buffer frames are refused by
  the core before A's ndo_xdp_xmit (A does not advertise ndo-xmit-sg: the
  devmap's enqueue checks xdp_features), so the veth counts N drops, B
  captures nothing and A's tx<q>_xdp_xmit and tx<q>_xdp_xmit_errors stay
  put; then N single-buffer frames the same way reach B intact,
  tx<q>_xdp_xmit N;
- the program detached, A down and up (its pools destroyed): no destroyed
  page pool keeps pages in flight, every buffer of every refused frame
  went back.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402
import dtv  # noqa: E402

PLAN = 11
N = 8
MTU = 9000
CAP1_TX_SG = 1 << 4
NS = ("fpgaeth-xsg0", "fpgaeth-xsg1")
V4 = ("192.168.82.1", "192.168.82.2")
VETH = ("fxs0", "fxs1")


def size_mb(i):
    """UDP payload of datagram i: 3600..8972 bytes, frames of 2-3 buffers."""
    return 3600 + (i * 997) % 5373


def size_sb(i):
    """UDP payload of datagram i: 64..1063 bytes, one buffer."""
    return 64 + (i * 131) % 1000


def pick(devs):
    """(A, B): bound instances with one interface, no DT edit and no
    fixed-link, A without CAP1.TX_SG, B another one; or None."""
    up = [d for d in devs if not d.edits and d.bound and len(d.netdevs()) == 1 and
          not int(d.prop("dt-fixed-link"))]
    a = [d for d in up if not int(d.prop("features")) & CAP1_TX_SG]
    b = [d for d in up if not a or d is not a[0]]
    return (a[0], b[0]) if a and b else None


def port(dev, i):
    """A net.Port for instance dev's interface, in NS[i] with V4[i]."""
    p = net.Port(dev.id, dev.mac, V4[i], None)
    p.ifname, p.pdev, p.ns = dev.netdevs()[0], dev.name, NS[i]
    return p


def bring_up(ports):
    """Each port into its namespace at MTU, without IPv6, addressed, the
    other's IPv4 neighbour entry static (no ARP), up: the stack sends
    nothing of its own on either interface. Problems."""
    errs = []
    for p, o in zip(ports, reversed(ports)):
        net.run(["ip", "link", "set", "dev", p.ifname, "netns", p.ns])
        r = net.run(["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % p.ifname], ns=p.ns)
        r = r and net.ip_batch([
            ["addr", "add", p.addr4 + "/24", "dev", p.ifname],
            ["link", "set", "dev", p.ifname, "mtu", MTU, "up"],
            ["neigh", "add", o.addr4, "lladdr", o.mac, "dev", p.ifname, "nud", "permanent"]],
            ns=p.ns)
        if not r:
            errs.append("%s: %r" % (p, r))
    for p in ports:
        if not net.wait_for(p.carrier, 30, 0.2)[0]:
            errs.append("%s: no carrier" % p)
    return errs


def ifindex(ns, name):
    r = net.run(["cat", "/sys/class/net/%s/ifindex" % name], ns=ns)
    return int(r.out) if r else 0


def tx_frames(p):
    """Sum of p's tx<q>_packets and tx<q>_errors (ethtool -S): the frames
    its TX rings completed, sent or discarded by the IP (DONE | ERR)."""
    return sum(v for k, v in p.ethtool_stats().items()
               if k.startswith("tx") and k[2:].split("_", 1)[0].isdigit() and
               k.split("_", 1)[1] in ("packets", "errors"))


def send_flow(a, b, prog, action, first, size):
    """N datagrams from B to A with action set, each batch once the
    program counted the previous: (counted, multi-buffer, driver counter
    deltas, xdp_exception events, A's tx_frames before the send)."""
    prog.set(x.CFG_ACTION, action)
    base = prog.counts(n=3)
    before, txf = x.xdp_counters(a), tx_frames(a)
    x.enable_exception_trace()
    try:
        x.send_udp(b.ns, b.addr4, a.addr4, N, first, size=size, batch=8,
                   wait=lambda k: prog.counts()[x.CNT_MATCH] >= base[x.CNT_MATCH] + k)
        exc = x.trace_exceptions()
    finally:
        x.enable_exception_trace(False)
    after = prog.counts(n=3)
    return (after[x.CNT_MATCH] - base[x.CNT_MATCH], after[x.CNT_FRAGS] - base[x.CNT_FRAGS],
            x.delta(x.xdp_counters(a), before), exc, txf)


def case_tx_mb(t, a, b, prog):
    cap = x.Capture(b.ifname, b.ns)
    try:
        counted, mb, d, exc, txf = send_flow(a, b, prog, x.XDP_TX, 0, size_mb)
        net.wait_for(lambda: cap.poll() > 0, 1, 0.1)     # what a wrong send would show
        txf = tx_frames(a) - txf     # after the wait: a late completion counts
        t.check("XDP_TX without TX_SG: %d of %d counted, %d multi-buffer" % (counted, N, mb),
                counted == N and mb == N, "counted %d, multi-buffer %d" % (counted, mb))
        t.check("XDP_TX without TX_SG: rx*_xdp_errors +%d, xdp_tx +%d, %d xdp_exception "
                "events" % (d["xdp_errors"], d["xdp_tx"], exc),
                d["xdp_errors"] == N and d["xdp_tx"] == 0 and exc == N,
                "deltas %s, xdp_exception %d" % (d, exc))
        t.check("XDP_TX without TX_SG: nothing sent (B captured %d, A's tx*_packets and "
                "tx*_errors +%d)" % (len(cap.frames), txf), not cap.frames and not txf,
                "captured %d (lengths %s), A's TX rings completed %d frames" % (
                    len(cap.frames), sorted(len(f) for f in cap.frames)[:8], txf))
    finally:
        cap.close()


def case_tx_sb(t, a, b, prog):
    cap = x.Capture(b.ifname, b.ns)
    try:
        counted, mb, d, _, _ = send_flow(a, b, prog, x.XDP_TX, 1000, size_sb)
        x.check_frames(t, "XDP_TX of single-buffer frames after them", cap,
                       x.payload_set(1000, N, size_sb), (b.mac, a.mac),
                       ok=counted == N and mb == 0,
                       why="counted %d, multi-buffer %d, " % (counted, mb))
        t.check("XDP_TX: rx*_xdp_tx +%d" % d["xdp_tx"],
                d["xdp_tx"] == N and not d["xdp_errors"], "deltas %s" % d)
    finally:
        cap.close()


def veth_drops(ns):
    """Sum of the veth peer's per-queue drops (ethtool -S)."""
    r = net.run(["ethtool", "-S", VETH[1]], ns=ns)
    return sum(int(ln.split()[-1]) for ln in r.out.splitlines()
               if ln.strip().startswith("rx_queue_") and ln.split(":")[0].endswith("_drops")
               and "xdp" not in ln)


def case_xmit_mb(t, a, b, vprog):
    """N multi-buffer frames redirected into A: refused by the core."""
    frames = [x.udp_frame(b.mac, a.mac, a.addr4, b.addr4, x.FLOW_PORT,
                          x.payload(2000 + i, size_mb(2000 + i))) for i in range(N)]
    vport = type("VethPort", (), {"ifname": VETH[0], "ns": a.ns})
    cap = x.Capture(b.ifname, b.ns)
    base, before, drops = vprog.counts(n=3), x.xdp_counters(a), veth_drops(a.ns)
    try:
        for i in range(0, N, 8):
            net.send_raw(vport, frames[i:i + 8])
            net.wait_for(lambda: vprog.counts()[x.CNT_MATCH] >= base[x.CNT_MATCH] + i + 8,
                         10, 0.05)
        net.wait_for(lambda: cap.poll() > 0, 1, 0.1)
        c = vprog.counts(n=3)
        mb = c[x.CNT_FRAGS] - base[x.CNT_FRAGS]
        d = x.delta(x.xdp_counters(a), before)
        dr = veth_drops(a.ns) - drops
        t.check("ndo_xdp_xmit without ndo-xmit-sg: %d multi-buffer frames refused before "
                "the driver (veth drops +%d), none sent" % (mb, dr),
                mb == N and dr == N and not cap.frames and not d["xdp_xmit"] and
                not d["xdp_xmit_errors"],
                "multi-buffer %d, veth drops +%d, captured %d, deltas %s" % (
                    mb, dr, len(cap.frames), d))
    finally:
        cap.close()


def case_xmit_sb(t, a, b, vprog):
    frames = [x.udp_frame(b.mac, a.mac, a.addr4, b.addr4, x.FLOW_PORT,
                          x.payload(3000 + i, size_sb(3000 + i))) for i in range(N)]
    cap = x.Capture(b.ifname, b.ns)
    before = x.xdp_counters(a)
    try:
        x.send_veth(VETH[0], frames, cap, 8, ns=a.ns)
        x.check_frames(t, "ndo_xdp_xmit of single-buffer frames after them, to B", cap,
                       x.payload_set(3000, N, size_sb), (b.mac, a.mac))
        d = x.delta(x.xdp_counters(a), before)
        t.check("ndo_xdp_xmit: tx*_xdp_xmit +%d" % d["xdp_xmit"],
                d["xdp_xmit"] == N and not d["xdp_xmit_errors"], "deltas %s" % d)
    finally:
        cap.close()


def redirect_cases(t, a, b):
    if not x.make_veth(VETH, MTU, ns=a.ns):
        for name in ("ndo_xdp_xmit multi-buffer", "ndo_xdp_xmit single-buffer",
                     "tx*_xdp_xmit"):
            t.fail(name, "cannot create the veth pair")
        return
    vprog = x.Prog(VETH[1], a.ns)
    r = vprog.attach(obj=x.OBJ_MB, sec="xdp.frags")
    if not r:
        fe.KTAP.diag("veth program: %r" % r)
    vprog.set(x.CFG_PORT, x.FLOW_PORT)
    vprog.set(x.CFG_IFINDEX, ifindex(a.ns, a.ifname))
    vprog.set(x.CFG_ACTION, x.XDP_REDIRECT)
    case_xmit_mb(t, a, b, vprog)
    case_xmit_sb(t, a, b, vprog)


def body(t, a, b):
    prog = x.Prog(a.ifname, a.ns)
    r = prog.attach(obj=x.OBJ_MB, sec="xdp.frags")
    if not t.check("%s (no TX_SG): the xdp.frags program attached at MTU %d" % (a, MTU),
                   r and {"xdp_cfg", "xdp_cnt"} <= set(prog.maps),
                   "%r, maps %s" % (r, prog.maps)):
        return
    try:
        prog.set(x.CFG_PORT, x.FLOW_PORT)
        case_tx_mb(t, a, b, prog)
        case_tx_sb(t, a, b, prog)
        redirect_cases(t, a, b)
    finally:
        prog.detach()
    r = net.ip_batch([["link", "set", "dev", a.ifname, "down"],
                      ["link", "set", "dev", a.ifname, "up"]], ns=a.ns)
    left = net.Bench.pools_in_flight((None,) + NS) if r else ["down/up: %r" % r]
    if left:
        net.wait_for(lambda: not net.Bench.pools_in_flight((None,) + NS), 10, 0.5)
        left = net.Bench.pools_in_flight((None,) + NS)
    t.errors("detached, down and up: no destroyed page pool keeps pages in flight", left)


def main():
    fe.setup()
    t = fe.KTAP(PLAN)
    if x.no_bpf() or not os.path.exists(x.OBJ_MB):
        why = x.no_bpf() or "%s missing: run make (target bpf) on the host" % x.OBJ_MB
        while t.nr < PLAN:
            t.fail("case %d" % (t.nr + 1), why)
        t.finish()
    devs, errs = dtv.instances()
    net.wait_for(lambda: pick(devs), 60)
    pair = pick(devs)
    if not pair:
        errs.append("no bound pair of instances, one without TX_SG, among %s" % devs)
    try:
        for ns in NS:
            net.run(["ip", "netns", "add", ns])
        a, b = (port(d, i) for i, d in enumerate(pair)) if pair else (None, None)
        if pair:
            fe.KTAP.diag("A %s (CAP1 %#x), B %s" % (a, int(pair[0].prop("features")), b))
            errs += bring_up((a, b))
        if t.errors("A without TX_SG and B in namespaces, MTU %d, carrier" % MTU, errs):
            body(t, a, b)
    finally:
        for ns in NS:
            net.run(["ip", "netns", "del", ns])
        if pair:
            for d in pair:
                net.wait_for(lambda d=d: len(d.netdevs()) == 1, 10)
                for ifn in d.netdevs():
                    net.ip_batch([["link", "set", "dev", ifn, "down"],
                                  ["link", "set", "dev", ifn, "mtu", 1500]])
    while t.nr < PLAN:
        t.fail("case %d" % (t.nr + 1), "not run: an earlier step failed")
    t.finish()


if __name__ == "__main__":
    main()
