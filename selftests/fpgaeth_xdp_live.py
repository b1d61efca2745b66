#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Native XDP under traffic. While ping floods run both ways and fe1 sends
the marked flow (UDP to port 4791, which the program on fe0 reflects with
XDP_TX), fe0's interface gets: the program attached, ethtool -G, -L down
and up, -G back, the program detached, attached again and replaced by
another (no ring rebuild). Each step must succeed and leave the interface
with its carrier, and after each the program must still see and act on
the marked flow (XDP_DROP of a batch, counted exactly by the program and
rx*_xdp_drop). At the end most flood pings were answered, and once the
program is detached and the interface set down no destroyed page pool
keeps pages in flight (the XDP_TX pages went back to their pools).
"""
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402

SECS = 300
BATCH = 32

# the marked flow, about 500 datagrams/s, until killed
SENDER = ("import socket, time\n"
          "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
          "s.bind(('%s', 0))\n"
          "while True:\n"
          "    s.sendto(b'fpgaeth-xdp-live' * 4, ('%s', %d))\n"
          "    time.sleep(0.002)\n")


def steps(a, prog):
    """(name, function returning an ip/ethtool Result) of the live changes."""
    q = a.channels()[0] or 4
    return [
        ("ethtool -G rx 128 tx 128", lambda: a.ethtool("-G", "rx", "128", "tx", "128")),
        ("ethtool -L combined 2", lambda: a.ethtool("-L", "combined", "2")),
        ("ethtool -L combined %d" % q, lambda: a.ethtool("-L", "combined", str(q))),
        ("ethtool -G rx 256 tx 256", lambda: a.ethtool("-G", "rx", "256", "tx", "256")),
        ("detach", prog.detach),
        ("attach again", prog.attach),
        ("replace (ip -force)", lambda: prog.attach(force=True)),
    ]


def still_acts(bench, prog, what, first):
    """A batch of the marked flow with XDP_DROP is counted exactly, then
    XDP_TX again for the background flow."""
    a, b = bench.a, bench.b
    prog.set(x.CFG_PORT, x.FLOW_PORT + 1)
    prog.set(x.CFG_ACTION, x.XDP_DROP)
    base = prog.counts()[x.CNT_MATCH]
    before = x.xdp_counters(a)
    ok = x.send_udp(b.ns, b.addr4, a.addr4, BATCH, first, port=x.FLOW_PORT + 1,
                    wait=lambda k: prog.counts()[x.CNT_MATCH] >= base + k)
    counted = prog.counts()[x.CNT_MATCH] - base
    d = x.delta(x.xdp_counters(a), before)
    prog.set(x.CFG_PORT, x.FLOW_PORT)
    prog.set(x.CFG_ACTION, x.XDP_TX)
    return bench.check("%s: XDP still acts (%d of %d dropped, rx*_xdp_drop %d)" % (
        what, counted, BATCH, d["xdp_drop"]), ok and counted == BATCH and d["xdp_drop"] == BATCH,
        "counted %d, deltas %s" % (counted, d))


def body(bench):
    a, b = bench.a, bench.b
    if not os.path.exists(x.OBJ):
        bench.fail_rest("%s missing: run make (target bpf) on the host" % x.OBJ)
        return
    prog = x.Prog(a.ifname, a.ns)
    _stream, floods = bench.stream_and_floods(SECS)
    sender = bench.background(["python3", "-c", SENDER % (b.addr4, a.addr4, x.FLOW_PORT)],
                              ns=b.ns, name="marked-flow")
    r = prog.attach()
    if not bench.check("attach under traffic", r and prog.maps, "%r" % r):
        bench.fail_rest("no program attached")
        return
    prog.set(x.CFG_PORT, x.FLOW_PORT)
    prog.set(x.CFG_ACTION, x.XDP_TX)
    still_acts(bench, prog, "attached", 0)
    n = 1
    for name, fn in steps(a, prog):
        r = fn()
        carrier, _ = net.wait_for(a.carrier, net.CARRIER_TIMEOUT, 0.2)
        bench.check("%s under traffic: done, interface up with carrier" % name,
                    bool(r) and carrier, "%r, carrier %s" % (r, carrier))
        if name != "detach":
            still_acts(bench, prog, name, 1000 * n)
        n += 1
    tx = x.xdp_counters(a)
    bench.check("XDP_TX reflected the marked flow meanwhile (rx*_xdp_tx %d)" % tx["xdp_tx"],
                tx["xdp_tx"] > 0, "deltas %s" % tx)
    sender.close()
    # the floods' deadline only bounds them: stop them once the steps are
    # done (SIGINT: ping prints its summary)
    for f in floods:
        f.send_signal(signal.SIGINT)
        f.wait(30)
    errs = net.floods_answered([net.flood_summary(f) for f in floods])
    bench.check("floods both ways answered", not errs, "; ".join(errs))
    prog.detach()
    net.run(["ip", "link", "set", "dev", a.ifname, "down"])
    bench.check_pools_drained("detached and down: no page pool keeps pages in flight")
    net.run(["ip", "link", "set", "dev", a.ifname, "up"])
    net.wait_for(a.carrier, net.CARRIER_TIMEOUT, 0.2)
    bench.check_ping("up again: ping fe0 -> fe1", a, b.addr4, count=3, interval=0.2, wait=3)
    bench.check_dmesg()


PLAN = 1 + 1 + 7 + 6 + 1 + 1 + 1 + 1 + 1


if __name__ == "__main__":
    net.main(PLAN, body)
