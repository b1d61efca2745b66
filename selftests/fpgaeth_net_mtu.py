#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""MTU changes, which rebuild the rings, while traffic runs.

An iperf3 TCP stream (fe0 -> fe1) and ping floods both ways (IPv4 from fe0,
IPv6 from fe1) run while both ends go 1500 -> 9000 -> 1500, CYCLES times.
Each change must succeed; at MTU 9000 a 9000-byte unfragmented ping must
get through (one of 3: the stream may fill a ring, and nothing on this
cable does flow control). Afterwards both interfaces are the same (same
ifindex, addresses still there, carrier on), pings are answered both ways,
the floods and the stream got through the changes (the stream, still
running, moves another 1 MiB, waited for; each flood had at least half of
its echo requests answered), the kernel log has no
splat, and no page pool is left behind with pages in flight (the old rings'
pools are destroyed at each change while the stack may still hold their
pages: they must drain once those are freed).

The TCP stream keeps TX completions coming while an interface goes down,
which is what exposed the race of "fpgaeth: stop NAPI before the TX queues
when going down" (cd65265): before that fix this test crashed the kernel
within 1 to 3 cycles in most runs, the floods alone less often.
"""
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

CYCLES = int(os.environ.get("FPGAETH_MTU_CYCLES", "3"))
PORT = 5201
POOL_DRAIN = 10       # s: page_pool retries the release of a pool every second
MOVE_TIMEOUT = 60
TRAFFIC_SECS = 3600   # the traffic runs until stopped, however slow the host
PLAN = 7


def snapshot(p):
    link = p.link() or {}
    return {"ifindex": link.get("ifindex"), "addrs": sorted(p.addresses())}


def body(bench):
    a, b = bench.a, bench.b
    before = {p.id: snapshot(p) for p in (a, b)}
    stream, floods = bench.stream_and_floods(TRAFFIC_SECS, PORT)
    started, _n, _s = bench.stream_moves(b, PORT, 64 << 10, MOVE_TIMEOUT)
    errs, jumbo = [], []
    start = time.monotonic()
    for c in range(CYCLES):
        for mtu in (9000, 1500):
            for p in (a, b):
                r = p.set_mtu(mtu)
                if not r:
                    errs.append("cycle %d: %s mtu %d: %r" % (c, p, mtu, r))
            if mtu == 9000:
                _ok, r = a.ping(b.addr4, count=3, size=8972, interval=0.1, wait=2,
                                extra=["-M", "do"])
                if not re.search(r" [1-9]\d* received", r.out):
                    jumbo.append("cycle %d: %s" % (c, r.out.strip()[-200:]))
    fe.KTAP.diag("%d MTU cycles in %.1f s" % (CYCLES, time.monotonic() - start))
    alive = [bg.running() for bg in floods + [stream]]
    for e in errs:
        fe.KTAP.diag(e)
    bench.check("mtu: %d x 1500 -> 9000 -> 1500 on both ends" % CYCLES, not errs,
                errs[0] if errs else "")
    for e in jumbo:
        fe.KTAP.diag(e)
    bench.check("mtu: a 9000-byte ping crosses at each MTU 9000", not jumbo,
                jumbo[0] if jumbo else "")
    moving, moved, secs = bench.stream_moves(b, PORT, 1 << 20, MOVE_TIMEOUT)
    for bg in floods + [stream]:
        bg.kill(signal.SIGINT)
    sums = [net.flood_summary(bg) for bg in floods]
    flood_errs = net.floods_answered(sums)
    fe.KTAP.diag("floods: IPv4 %s -> %s %d sent, %d answered; IPv6 %s -> %s %d "
                 "sent, %d answered; after the changes %s received %d bytes in %.1f s" % (
                     a.id, b.id, sums[0][0], sums[0][1], b.id, a.id,
                     sums[1][0], sums[1][1], b.id, moved, secs))
    bench.check("mtu: the TCP stream and the ping floods ran through the changes",
                started and all(alive) and moving and not flood_errs,
                "stream started %s, running at the end (floods, stream) %s, %d bytes in "
                "%.0f s after, %s" % (started, alive, moved, secs, flood_errs or sums))
    after = {p.id: snapshot(p) for p in (a, b)}
    same = [("%s: %s -> %s" % (p, before[p.id], after[p.id])) for p in (a, b)
            if before[p.id] != after[p.id] or not before[p.id]["ifindex"]]
    carrier = [str(p) for p in (a, b) if not p.carrier()]
    for s in same:
        fe.KTAP.diag(s)
    bench.check("mtu: both interfaces kept their ifindex, addresses and carrier",
                not same and not carrier,
                same[0] if same else "no carrier on %s" % carrier)
    ok = all(bench.settle(s, d, tries=5) for s, d in (
        (a, b.addr4), (a, b.addr6), (b, a.addr4), (b, a.addr6)))
    bench.check("mtu: pings answered both ways, IPv4 and IPv6, afterwards", ok)
    bench.check_pools_drained("mtu: no destroyed page pool left with pages in flight",
                              POOL_DRAIN)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
