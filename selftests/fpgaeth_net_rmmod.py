#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rmmod fpgaeth while traffic runs, then load it again: nothing leaks.

Each round: iperf3 TCP one way plus a ping flood the other way run through
the bench; once the stream delivered TRAFFIC bytes of TCP payload (waited
for; the flood's bytes do not count), `rmmod fpgaeth`
while they run must succeed, and both interfaces disappear (from both
namespaces). Once the traffic generators are stopped (their sockets held
received pages), every page pool the two interfaces had
must be freed within POOL_DRAIN s: a destroyed pool that still has pages in
flight stays listed by the netdev netlink family (page-pool-get), which the
test reads; the kernel itself would only warn ("page_pool_release_retry()
stalled pool shutdown: ... inflight") after 60 s. The kernel log must have
no such warning and no WARN/BUG/Oops/call trace. Then the driver is loaded
again, both interfaces come back, and after the bench set-up again pings are
answered both ways. Round 1 sends fe0 -> fe1, round 2 fe1 -> fe0.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

ROUNDS = 2
PORT = 5201
TRAFFIC = 256 << 10   # bytes the sender sends before rmmod
TRAFFIC_TIMEOUT = 60
POOL_DRAIN = 10       # s: page_pool retries the release every second
PAGE_POOL_RE = r"page_pool|stalled pool shutdown|inflight"
PLAN = 6 * ROUNDS


def our_pools(bench):
    """{pool id: pool} of both namespaces, with their namespace."""
    pools = {}
    for ns in (None, net.NS):
        for p in net.page_pools(ns):
            p["ns"] = ns or "init"
            pools[p["id"]] = p
    return pools


def one_round(bench, rnd):
    t, a, b = bench.t, bench.a, bench.b
    reverse = rnd % 2 == 1
    snd, rcv = (b, a) if reverse else (a, b)
    what = "round %d (iperf3 %s -> %s, ping flood %s -> %s)" % (rnd + 1, snd.id, rcv.id,
                                                              rcv.id, snd.id)
    mark = net.dmesg_mark()
    # the pools of both interfaces (ifindex is per namespace)
    want = {(p.ns or "init", link_index(p)) for p in (a, b)}
    try:
        every = our_pools(bench)
    except OSError as e:
        fe.KTAP.diag("netlink page-pool-get: %s" % e)
        every = {}
    pools = {k: v for k, v in every.items()
             if (v["ns"], v.get("ifindex")) in want and not v.get("detach-time")}
    older = ["%s" % v for v in every.values() if v.get("detach-time") and v.get("inflight")]
    fe.KTAP.diag("%s: page pools of the interfaces: %s%s" % (
        what, sorted(pools), "; older destroyed pools with pages in flight (not this "
        "round's): %s" % older if older else ""))

    errs = []
    server = bench.iperf3_server(b, PORT)
    if not server:
        errs.append("iperf3 server does not listen")
    client = bench.background(["iperf3", "-c", b.addr4, "-p", PORT, "-t", 3600] +
                              (["-R"] if reverse else []), ns=a.ns, name="iperf3-client")
    flood = bench.background(["ping", "-f", "-q", "-w", 3600, snd.addr4], ns=rcv.ns,
                             name="flood")
    bgs = [client, flood] + ([server] if server else [])
    # rmmod once the stream is moving: TRAFFIC bytes delivered, waited for
    ok, n, secs = bench.stream_moves(rcv, PORT, TRAFFIC, TRAFFIC_TIMEOUT)
    if not ok:
        errs.append("no traffic: the stream delivered %d bytes to %s in %.0f s; iperf3: %s" % (
            n, rcv, secs, client.output()[-200:]))
    else:
        fe.KTAP.diag("%s: the stream delivered %d bytes in %.1f s before rmmod" % (
            what, n, secs))
    start = time.monotonic()
    r = net.run(["rmmod", "fpgaeth"], timeout=60)
    secs = time.monotonic() - start
    fe.KTAP.diag("%s: rmmod took %.1f s" % (what, secs))
    t.check("rmmod: %s: rmmod fpgaeth" % what, bool(r), repr(r))
    for e in errs:
        fe.KTAP.diag(e)
    t.check("rmmod: %s: traffic ran when the module went" % what,
            not errs and all(bg.running() for bg in bgs[:2]),
            errs[0] if errs else "iperf3 or ping had ended: %s" % [
                bg.output()[-100:] for bg in bgs[:2] if not bg.running()])

    gone = [str(p) for p in (a, b) if p.link() is not None]
    left = net.fpgaeth_interfaces()
    t.check("rmmod: %s: both interfaces gone" % what, not gone and not left and
            not os.path.isdir("/sys/module/fpgaeth"),
            "still there: %s %s" % (gone, left))

    for bg in bgs:
        bg.kill()

    def pools_left():
        try:
            now = our_pools(bench)
        except OSError as e:
            return ["netlink page-pool-get: %s" % e]
        return ["%s (%s)" % (now[i], "destroyed" if now[i].get("detach-time") else "alive")
                for i in sorted(pools) if i in now]
    ok, secs = net.wait_for(lambda: not pools_left(), POOL_DRAIN, 0.5)
    still = pools_left()
    for p in still:
        fe.KTAP.diag("page pool: %s" % p)
    fe.KTAP.diag("%s: %d page pools, %d left after %.1f s" % (what, len(pools), len(still), secs))
    t.check("rmmod: %s: the interfaces' page pools freed, no page in flight" % what,
            not still and pools,
        "%d pools left after %d s" % (len(still), POOL_DRAIN) if still else "no pool seen before")

    log = net.dmesg_since(mark)
    bad = net.splats(log, PAGE_POOL_RE)
    for line in bad[:12]:
        fe.KTAP.diag("dmesg: " + line)
    t.check("rmmod: %s: no page_pool warning, WARN, BUG, Oops or call trace" % what, not bad,
            "%d lines: %s" % (len(bad), bad[0]) if bad else "")

    errs = []
    try:
        fe.load_driver()
    except Exception as e:  # noqa: BLE001
        errs.append("insmod: %s" % getattr(e, "output", e))
    if not errs and not bench.setup():
        errs.append("bench set-up after insmod failed (interfaces, carrier or pings)")
    t.check("rmmod: %s: insmod again, both interfaces back, pings answered both ways" % what,
            not errs, errs[0] if errs else "")
    return not errs


def link_index(p):
    link = p.link()
    return link.get("ifindex") if link else None


def body(bench):
    for rnd in range(ROUNDS):
        if not one_round(bench, rnd):
            bench.fail_rest("the bench did not come back after round %d" % (rnd + 1))
            break


if __name__ == "__main__":
    net.main(PLAN, body)
