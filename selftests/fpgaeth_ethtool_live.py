#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ethtool -G, -L and -C (static and adaptive) on both ends while traffic
runs.

An iperf3 TCP stream (fe0 -> fe1) and ping floods both ways (IPv4 from
fe0, IPv6 from fe1) run while both interfaces go through CHANGES: ring
sizes (64 to 1024, TX and RX apart), 1 to 4 combined channels, coalescing
static (usecs and frames) and adaptive (DIM) on and off (rings and queues
kept within the guest's swiotlb bounce buffer, see CHANGES). Every change must
succeed and read back, and after each one the stream must move data again
(RESUME bytes of TCP payload received, waited for: the floods' bytes do
not count). Then: the stream, still running after the last
change, moves another 1 MiB (waited for up to MOVE_TIMEOUT s: TCP rode out
the short stops while the rings were exchanged) and, stopped with SIGINT,
reports no error but the interruption; each flood had at least half of
its echo requests answered; pings are answered both ways, the
interface byte counters never went back (the counters of queue pairs taken
out of use are kept), every qdisc of both interfaces has an empty backlog
once the traffic stopped (a TX queue left stopped, or a ring dropped
without resetting BQL, keeps packets queued), no destroyed page pool keeps
pages in flight, and the kernel log has no splat.
"""
import json
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PORT = 5201
POOL_DRAIN = 10
RESUME = 64 << 10      # bytes the stream moves after each change
MOVE_TIMEOUT = 60
PLAN = 7
INTERRUPTED = "interrupt - the client has terminated"

# (what, ethtool arguments, check(port) -> None or an error)
CHANGES = [
    ("rings 128/512", ("-G", "rx", 128, "tx", 512),
     lambda p: p.rings()["rx"] == 128 and p.rings()["tx"] == 512),
    ("1 channel", ("-L", "combined", 1), lambda p: p.channels()[0] == 1),
    ("adaptive on", ("-C", "adaptive-rx", "on", "adaptive-tx", "on"),
     lambda p: p.coalesce()["adaptive-rx"] == "on" and p.coalesce()["adaptive-tx"] == "on"),
    ("rings 1024/64", ("-G", "rx", 1024, "tx", 64),
     lambda p: p.rings()["rx"] == 1024 and p.rings()["tx"] == 64),
    # back to small rings before more queues: with swiotlb=16384,force (the
    # guest's 32 MiB bounce buffer, tools/vm/run) every posted RX page holds
    # 2 slots, and 4 queues of 1024 on both ports would take them all
    ("rings 256/256", ("-G", "rx", 256, "tx", 256),
     lambda p: p.rings()["rx"] == 256 and p.rings()["tx"] == 256),
    ("3 channels", ("-L", "combined", 3), lambda p: p.channels()[0] == 3),
    ("adaptive off, 20 us / 16 frames", ("-C", "adaptive-rx", "off", "adaptive-tx", "off",
                                         "rx-usecs", 20, "rx-frames", 16,
                                         "tx-usecs", 20, "tx-frames", 8),
     lambda p: p.coalesce() == {"rx-usecs": 20, "rx-frames": 16, "tx-usecs": 20,
                                "tx-frames": 8, "adaptive-rx": "off", "adaptive-tx": "off"}),
    ("adaptive rx only", ("-C", "adaptive-rx", "on"),
     lambda p: p.coalesce()["adaptive-rx"] == "on" and p.coalesce()["adaptive-tx"] == "off"),
    ("4 channels", ("-L", "combined", 4), lambda p: p.channels()[0] == 4),
    ("no coalescing", ("-C", "adaptive-rx", "off", "rx-usecs", 0, "rx-frames", 1,
                       "tx-usecs", 0, "tx-frames", 1),
     lambda p: p.coalesce()["rx-frames"] == 1 and p.coalesce()["adaptive-rx"] == "off"),
]


def byte_counters(p):
    st = p.stats64()
    return st.get("rx", {}).get("bytes", 0), st.get("tx", {}).get("bytes", 0)


def tx_queue_state(p):
    """Per TX queue: BQL inflight/limit and the stack's timeout count
    (sysfs of the interface, in the port's namespace), for diagnostics."""
    cmd = ("cd /sys/class/net/%s/queues && for q in tx-*; do "
           "echo \"$q inflight $(cat $q/byte_queue_limits/inflight) limit "
           "$(cat $q/byte_queue_limits/limit) timeouts $(cat $q/tx_timeout)\"; done"
           % p.ifname)
    r = net.run(["sh", "-c", cmd], ns=p.ns)
    return "; ".join(r.out.strip().splitlines())


def backlogs(p):
    """The backlog of every qdisc of the interface: [(bytes, packets)]."""
    r = p.run(["tc", "-s", "qdisc", "show", "dev", p.ifname])
    return [(m.group(1), int(m.group(2)))
            for m in re.finditer(r"backlog (\S+) (\d+)p", r.out)], r.out


def body(bench):
    a, b = bench.a, bench.b
    stream, floods = bench.stream_and_floods(600, PORT)
    ok, _n, secs = bench.stream_moves(b, PORT, RESUME, MOVE_TIMEOUT)
    fe.KTAP.diag("the stream moved %d bytes to %s after %.1f s%s" % (
        _n, b.id, secs, "" if ok else ": not started"))
    errs, back, stalls = [], [], []
    last = {p.id: byte_counters(p) for p in (a, b)}
    start = time.monotonic()
    for what, args, check in CHANGES:
        for p in (a, b):
            r = p.ethtool(*args)
            if r.rc != 0 or not check(p):
                errs.append("%s: %s: ethtool %s: %r" % (p, what, " ".join(str(x) for x in args),
                                                        r))
            now = byte_counters(p)
            if now[0] < last[p.id][0] or now[1] < last[p.id][1]:
                back.append("%s after %s: RX/TX bytes %s -> %s" % (p, what, last[p.id], now))
            last[p.id] = now
        ok, n, secs = bench.stream_moves(b, PORT, RESUME, MOVE_TIMEOUT)
        if not ok:
            stalls.append("after %s: %s received %d bytes in %.0f s" % (what, b, n, secs))
    fe.KTAP.diag("%d changes on both ends in %.1f s" % (len(CHANGES),
                                                        time.monotonic() - start))
    errs += stalls
    for e in errs:
        fe.KTAP.diag(e)
    bench.check("%d changes of -G, -L, -C on both ends under traffic succeeded, read back, "
                "the stream moved again after each" % len(CHANGES), not errs,
                errs[0] if errs else "")
    for e in back:
        fe.KTAP.diag(e)
    bench.check("interface byte counters never went back", not back, back[0] if back else "")

    alive = stream.running()
    moving, moved, secs = bench.stream_moves(b, PORT, 1 << 20, MOVE_TIMEOUT)
    stream.send_signal(signal.SIGINT)
    rc = stream.wait(30)
    for bg in floods:
        bg.kill(signal.SIGINT)
    out = stream.output()
    try:
        res = json.loads(out)
        err = res.get("error")
        # an interrupted client has no receiver-side sums
        recv = res["end"]["sum_sent"]["bytes"]
        retr = res["end"]["sum_sent"].get("retransmits", 0)
    except (ValueError, KeyError, TypeError) as e:
        err, recv, retr = "no iperf3 result (%s): %s" % (e, out.strip()[-200:]), 0, 0
    sums = [net.flood_summary(bg) for bg in floods]
    flood_errs = net.floods_answered(sums)
    fe.KTAP.diag("iperf3: running after the changes %s, %d bytes to %s in %.1f s after "
                 "them; stopped: rc %s, %d bytes sent, %d retransmits, error %s; floods "
                 "(sent, answered) %s" % (alive, moved, b.id, secs, rc, recv, retr, err, sums))
    bench.check("the TCP stream ran through the changes and still moves data (1 MiB), "
                "each flood had half its requests answered",
                alive and moving and err in (None, INTERRUPTED) and recv > 0 and not flood_errs,
                "running %s, %d bytes in %.0f s, iperf3 rc %s error %s, %d bytes; %s" % (
                    alive, moved, secs, rc, err, recv, flood_errs or sums))

    ok = all(bench.settle(s, d, tries=5) for s, d in (
        (a, b.addr4), (a, b.addr6), (b, a.addr4), (b, a.addr6)))
    bench.check("pings answered both ways, IPv4 and IPv6, afterwards", ok)

    def drained():
        return all(all(bl == ("0b", 0) for bl in backlogs(p)[0]) and backlogs(p)[0]
                   for p in (a, b))
    ok, _ = net.wait_for(drained, 10, 0.5)
    for p in (a, b):
        bl, txt = backlogs(p)
        if not ok:
            for line in txt.strip().splitlines():
                fe.KTAP.diag("%s: %s" % (p, line))
            fe.KTAP.diag("%s: %s" % (p, tx_queue_state(p)))
    bench.check("every qdisc backlog of both interfaces is empty after the traffic", ok,
                "backlogs %s" % {p.id: backlogs(p)[0] for p in (a, b)})

    bench.check_pools_drained("no destroyed page pool left with pages in flight", POOL_DRAIN)
    # link flaps are not expected: none of these changes touches the PHY
    bench.check_dmesg(extra_re=r"fpgaeth.*(Link is Down|halted|timed out|recovery)")


if __name__ == "__main__":
    net.main(PLAN, body)
