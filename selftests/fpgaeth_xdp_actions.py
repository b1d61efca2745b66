#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Native XDP, each action with exact counts. The program
(selftests/bpf/fpgaeth_xdp_flow.c) on fe0's interface acts on a marked
flow, IPv4 UDP to port 4791 sent from fe1 (namespace "peer"), and passes
everything else; batches of datagrams are sent once the program has
counted the previous ones, so no frame is lost to a full RX ring:

- attach: xdpdrv attaches, ethtool -S has the XDP counters;
- XDP_DROP: N frames counted by the program and by rx*_xdp_drop, none
  reaches a UDP socket on fe0, all count in rx packets (XDP is the stack's
  first layer), pings still flow (the rest passes);
- XDP_PASS: all N reach the socket;
- XDP_PASS of rewritten frames: fe1 sends N datagrams (UDP checksum set)
  to a fake address, which the program rewrites to fe0's (destination NAT,
  IPv4 and UDP checksums updated incrementally): all N reach a socket
  bound to fe0's address intact, and the kernel logs no "hw csum failure"
  (the driver must not give the stack the IP's CHECKSUM_COMPLETE, a sum
  over the frame as received, for a frame a program saw);
- XDP_ABORTED: N in rx*_xdp_errors and N xdp:xdp_exception events;
- XDP_TX: fe1 captures N frames back (AF_PACKET) with the addresses swapped
  and the payloads intact, rx*_xdp_tx counts N;
- XDP_REDIRECT to a veth in fe0's namespace (bpf_redirect's ifindex is
  one of the receiving device's namespace): N frames arrive on the veth's
  peer, N in rx*_xdp_redirect;
- ndo_xdp_xmit: the program on that veth peer redirects N frames into fe0's
  interface, which sends them to fe1 (captured intact), tx*_xdp_xmit N;
- XDP_REDIRECT from fe0 into fe1 (the other fpgaeth instance, in namespace
  "peer"): the program's DEVMAP entry 0 is written from "peer" with fe1's
  ifindex there (a devmap entry holds the device of its updater's
  namespace); the program rewrites the marked frames' UDP port to
  REDIR_PORT (checksum updated) and redirects them into fe1, which sends
  them back over the wire to fe0: fe0 captures the N frames, addresses as
  fe1 sent them and payloads intact, a UDP socket on fe0's REDIR_PORT gets
  all N (valid checksums), rx*_xdp_redirect of fe0 and tx*_xdp_xmit of fe1
  count N, no XDP error on either;
- MTU: with a program without frags attached an MTU that needs two RX
  buffers is refused,
  and attaching at such an MTU is refused with the driver's message;
- detach, then no destroyed page pool keeps pages in flight.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402

PLAN = 27
REDIR_PORT = 4792          # the marked flow once redirected through fe1
N = 64
VETH = ("fxv0", "fxv1")
NAT_FAKE = "10.0.0.99"     # on fe1's subnet, answered by nobody


def flow(bench, prog, action, n=N, first=0):
    """Send n marked datagrams from b to a with action set; wait until the
    program counted each batch: (ok, driver counter deltas)."""
    a, b = bench.a, bench.b
    prog.set(x.CFG_ACTION, action)
    base = prog.counts()[x.CNT_MATCH]
    before = x.xdp_counters(a)
    ok = x.send_udp(b.ns, b.addr4, a.addr4, n, first,
                    wait=lambda k: prog.counts()[x.CNT_MATCH] >= base + k)
    counted = prog.counts()[x.CNT_MATCH] - base
    return ok and counted == n, counted, x.delta(x.xdp_counters(a), before)


def case_drop(bench, prog):
    a, b = bench.a, bench.b
    lis = x.Listener(a.ns, a.addr4)
    rx0 = a.stats64()["rx"].get("packets", 0)
    try:
        ok, counted, d = flow(bench, prog, x.XDP_DROP)
        rx = a.stats64()["rx"].get("packets", 0) - rx0
        net.wait_for(lambda: lis.poll() > 0, 1, 0.1)  # a leak would show here
        bench.check("XDP_DROP: program counted %d of %d" % (counted, N), ok,
                    "counted %d" % counted)
        bench.check("XDP_DROP: rx*_xdp_drop counted %d, nothing else" % d["xdp_drop"],
                    d["xdp_drop"] == N and not d["xdp_errors"] and not d["xdp_tx"],
                    "deltas %s" % d)
        bench.check("XDP_DROP: no datagram reached the socket", lis.poll() == 0,
                    "%d received" % len(lis.got))
        # XDP is the stack's first layer (netdev family, rx-packets)
        bench.check("XDP_DROP: the dropped frames count as received (rx packets +%d)" % rx,
                    rx >= N, "rx packets +%d" % rx)
    finally:
        lis.close()
    bench.check_ping("XDP_DROP: other traffic passes (ping fe0 -> fe1)", a, b.addr4,
                     count=3, interval=0.2)


def case_pass(bench, prog):
    a = bench.a
    lis = x.Listener(a.ns, a.addr4)
    try:
        ok, counted, d = flow(bench, prog, x.XDP_PASS, first=1000)
        got, _ = net.wait_for(lambda: lis.poll() >= N, 10, 0.05)
        want = x.payload_set(1000, N)
        bench.check("XDP_PASS: program counted %d, socket got %d of %d intact" % (
            counted, len(lis.got), N), ok and got and set(lis.got) == want,
            "counted %d, received %d, %d intact" % (counted, len(lis.got),
                                                      len(want & set(lis.got))))
        bench.check("XDP_PASS: no XDP counter moved", not any(d.values()), "deltas %s" % d)
    finally:
        lis.close()


def case_nat(bench, prog):
    """Frames rewritten by the program and passed: the stack verifies the
    UDP checksum (datagrams this short are verified on receipt) against
    the CHECKSUM_COMPLETE sum if the driver gave one; a stale sum logs
    "hw csum failure"."""
    a, b = bench.a, bench.b
    rxcsum = "rx-checksumming: on" in a.ethtool("-k").out
    r = b.ip("neigh", "replace", NAT_FAKE, "lladdr", a.mac, "dev", b.ifname, "nud",
             "permanent")
    if not r:
        fe.KTAP.diag("neigh: %r" % r)
    lis = x.Listener(a.ns, a.addr4)
    mark = net.dmesg_mark()
    try:
        prog.set(x.CFG_NAT_FROM, x.addr_cfg(NAT_FAKE))
        prog.set(x.CFG_NAT_TO, x.addr_cfg(a.addr4))
        prog.set(x.CFG_ACTION, x.XDP_PASS)
        base = prog.counts()[x.CNT_MATCH]
        ok = x.send_udp(b.ns, b.addr4, NAT_FAKE, N, 1500,
                        wait=lambda k: prog.counts()[x.CNT_MATCH] >= base + k)
        counted = prog.counts()[x.CNT_MATCH] - base
        got, _ = net.wait_for(lambda: lis.poll() >= N, 10, 0.05)
        want = x.payload_set(1500, N)
        bench.check("XDP_PASS after NAT %s -> %s: program counted %d, socket got %d of %d "
                    "intact" % (NAT_FAKE, a.addr4, counted, len(lis.got), N),
                    ok and counted == N and got and set(lis.got) == want,
                    "counted %d, received %d, %d intact" % (
                        counted, len(lis.got), len(want & set(lis.got))))
        fault = [ln for ln in net.dmesg_since(mark) if "hw csum failure" in ln]
        bench.check("XDP_PASS after NAT: no hw csum failure (rx-checksumming on: %s)" % rxcsum,
                    rxcsum and not fault, "; ".join(fault[:2]) or "rx-checksumming off")
    finally:
        lis.close()
        prog.set(x.CFG_NAT_FROM, 0)
        b.ip("neigh", "del", NAT_FAKE, "dev", b.ifname)


def case_aborted(bench, prog):
    x.enable_exception_trace()
    try:
        ok, counted, d = flow(bench, prog, x.XDP_ABORTED, first=2000)
        ev = x.trace_exceptions()
    finally:
        x.enable_exception_trace(False)
    bench.check("XDP_ABORTED: %d counted, rx*_xdp_errors %d, %d xdp_exception events" % (
        counted, d["xdp_errors"], ev), ok and d["xdp_errors"] == N and ev == N,
        "deltas %s, events %d" % (d, ev))


def case_tx(bench, prog):
    a, b = bench.a, bench.b
    cap = x.Capture(b.ifname, b.ns)
    try:
        ok, counted, d = flow(bench, prog, x.XDP_TX, first=3000)
        bench.check("XDP_TX: the program counted %d of %d" % (counted, N), ok,
                    "counted %d" % counted)
        x.check_frames(bench, "XDP_TX back to fe1", cap, x.payload_set(3000, N),
                       (b.mac, a.mac))
        bench.check("XDP_TX: rx*_xdp_tx counted %d" % d["xdp_tx"],
                    d["xdp_tx"] == N and not d["xdp_errors"], "deltas %s" % d)
    finally:
        cap.close()


def case_redirect(bench, prog):
    vprog, cap = x.veth_sink(VETH)
    try:
        prog.set(x.CFG_IFINDEX, x.ifindex(VETH[0]))
        ok, counted, d = flow(bench, prog, x.XDP_REDIRECT, first=4000)
        x.check_frames(bench, "XDP_REDIRECT to a veth (%d counted)" % counted, cap,
                       x.payload_set(4000, N), ok=ok, why="counted %d, " % counted)
        bench.check("XDP_REDIRECT: rx*_xdp_redirect counted %d" % d["xdp_redirect"],
                    d["xdp_redirect"] == N and not d["xdp_errors"], "deltas %s" % d)
    finally:
        cap.close()
    return vprog


def case_xmit(bench, vprog):
    """Frames sent into the veth pair are redirected by the program on its
    peer into fe0's interface (ndo_xdp_xmit), which sends them to fe1."""
    a, b = bench.a, bench.b
    vprog.set(x.CFG_PORT, x.FLOW_PORT)
    vprog.set(x.CFG_IFINDEX, x.ifindex(a.ifname))
    vprog.set(x.CFG_ACTION, x.XDP_REDIRECT)
    frames = [x.udp_frame(b.mac, a.mac, a.addr4, b.addr4, x.FLOW_PORT, x.payload(5000 + i))
              for i in range(N)]
    cap = x.Capture(b.ifname, b.ns)
    before = x.xdp_counters(a)
    try:
        x.send_veth(VETH[0], frames, cap, 16)
        x.check_frames(bench, "ndo_xdp_xmit: redirected into fe0, to fe1", cap,
                       x.payload_set(5000, N), (b.mac, a.mac))
        d = x.delta(x.xdp_counters(a), before)
        bench.check("ndo_xdp_xmit: tx*_xdp_xmit counted %d" % d["xdp_xmit"],
                    d["xdp_xmit"] == N and not d["xdp_xmit_errors"], "deltas %s" % d)
    finally:
        cap.close()


def devmap_set(prog, ns, ifindex):
    """xdp_devs[0] = ifindex, the map updated in namespace ns."""
    kb = [str(b) for b in struct.pack("<I", 0)]
    vb = [str(b) for b in struct.pack("<I", ifindex)]
    return x.run_in(ns, ["bpftool", "map", "update", "id", str(prog.maps["xdp_devs"]),
                         "key"] + kb + ["value"] + vb)


def case_redirect_peer(bench, prog):
    """The marked flow redirected from fe0 into fe1 (another namespace)
    through the devmap, back over the wire to fe0 on REDIR_PORT."""
    a, b = bench.a, bench.b
    fe1 = int(b.run(["cat", "/sys/class/net/%s/ifindex" % b.ifname]).out)
    r = devmap_set(prog, b.ns, fe1)
    bench.check("XDP_REDIRECT into fe1: devmap entry 0 = %s's ifindex %d, written in "
                "namespace %s" % (b.ifname, fe1, b.ns), bool(r), "%r" % r)
    if not r:
        bench.t.fail("XDP_REDIRECT into fe1: frames back at fe0", "no devmap entry")
        bench.t.fail("XDP_REDIRECT into fe1: counters", "no devmap entry")
        return
    cap = x.Capture(a.ifname, a.ns, port=REDIR_PORT)
    lis = x.Listener(a.ns, a.addr4, port=REDIR_PORT)
    before_b = x.xdp_counters(b)
    try:
        prog.set(x.CFG_DEVMAP_PORT, REDIR_PORT)
        ok, counted, d = flow(bench, prog, x.XDP_REDIRECT, first=6000)
        x.check_frames(bench, "XDP_REDIRECT into fe1, sent back to fe0 (%d counted)" % counted,
                       cap, x.payload_set(6000, N), (a.mac, b.mac), ok=ok,
                       why="counted %d, " % counted)
        net.wait_for(lambda: lis.poll() >= N, 10, 0.05)
        db = x.delta(x.xdp_counters(b), before_b)
        bench.check("XDP_REDIRECT into fe1: fe0 rx*_xdp_redirect %d, fe1 tx*_xdp_xmit %d, "
                    "%d datagrams at fe0's socket" % (d["xdp_redirect"], db["xdp_xmit"],
                                                      len(lis.got)),
                    d["xdp_redirect"] == N and not d["xdp_errors"] and db["xdp_xmit"] == N
                    and not db["xdp_xmit_errors"] and len(lis.got) == N
                    and set(lis.got) == x.payload_set(6000, N),
                    "fe0 deltas %s, fe1 deltas %s, socket %d" % (d, db, len(lis.got)))
    finally:
        prog.set(x.CFG_DEVMAP_PORT, 0)
        lis.close()
        cap.close()


def case_mtu(bench, prog):
    a = bench.a
    r = a.set_mtu(9000)
    bench.check("MTU 9000 refused while a program is attached", not r and
                a.link().get("mtu") == 1500, "%r, mtu %s" % (r, a.link().get("mtu")))
    det = prog.detach()
    r1 = a.set_mtu(9000)
    r2 = prog.attach()
    bench.check("attach at MTU 9000 refused with the driver's message",
                det and r1 and not r2 and "needs a program with frags" in r2.out, "%r" % r2)
    a.set_mtu(1500)


def body(bench):
    a = bench.a
    if not os.path.exists(x.OBJ):
        bench.fail_rest("%s missing: run make (target bpf) on the host" % x.OBJ)
        return
    prog = x.Prog(a.ifname, a.ns)
    r = prog.attach()
    bench.check("xdpdrv program attached, maps found", r and set(prog.maps) >= {
        "xdp_cfg", "xdp_cnt"}, "%r, maps %s" % (r, prog.maps))
    names = set(a.ethtool_stats())
    bench.check("ethtool -S has rx0_xdp_{drop,tx,redirect,errors}, tx0_xdp_xmit",
                {"rx0_xdp_drop", "rx0_xdp_tx", "rx0_xdp_redirect", "rx0_xdp_errors",
                 "tx0_xdp_xmit", "tx0_xdp_xmit_errors"} <= names, "")
    prog.set(x.CFG_PORT, x.FLOW_PORT)
    case_drop(bench, prog)
    case_pass(bench, prog)
    case_nat(bench, prog)
    case_aborted(bench, prog)
    case_tx(bench, prog)
    vprog = None
    if x.make_veth(VETH):
        vprog = case_redirect(bench, prog)
        case_xmit(bench, vprog)
        case_redirect_peer(bench, prog)
    else:
        bench.fail_rest("cannot create the veth pair")
        return
    case_mtu(bench, prog)
    prog.detach()
    net.run(["ip", "link", "del", VETH[0]])
    # the pools the attach replaced, and the veth's, must have drained
    bench.check_pools_drained("detached: no destroyed page pool keeps pages in flight")
    bench.check_ping("detached: ping fe0 -> fe1", a, bench.b.addr4, count=3, interval=0.2)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
