#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Netlink queue statistics and the links between queues, NAPI instances,
interrupts and page pools (netdev generic netlink family); and the
identification (ethtool -i).

On each port, `ethtool -i` shows driver fpgaeth, firmware-version
"<major>.<minor> build <BUILD_ID>" (VERSION 1.1 of the programming model
and the model instance's build-id property) and bus-info the platform
device's name.

After TCP traffic both ways over several flows (iperf3 -P 4), on each port:

  - qstats-get per queue lists every RX and TX queue of the interface with
    the counters the driver keeps (rx: packets, bytes, alloc-fail, hw-drops,
    csum-none; tx: packets, bytes, hw-drop-errors, stop, wake);
  - the per-queue values sum to the device-scope values: with every queue
    active the driver's base statistics are 0 (the netlink core adds them
    to the queues' sum; fpgaeth_ethtool_config.py checks them after -L);
  - the device-scope values equal the interface counters (`ip -s link`,
    ndo_get_stats64): rx/tx packets and bytes, and rx-hw-drops (the queues'
    RX_NOBUF) equals rx missed_errors (the global RX_NOBUF). The snapshot
    is taken while the interface is quiet: stats64 is read before and after
    the netlink dumps and must not have moved, or the read is repeated;
  - queue-get shows a NAPI id on every queue, the RX and TX queue of a pair
    share one, different pairs have different ones;
  - napi-get shows, for each of those NAPI ids, the interrupt of that
    queue pair (the line named <device>-q<N> in /proc/interrupts);
  - page-pool-get lists one pool per RX queue of the interface, each with
    that queue's NAPI id, and page-pool-stats-get reports allocations for
    each of them.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 16
PORT = 5201
SECONDS = 3
RX_KEYS = ("rx-packets", "rx-bytes", "rx-alloc-fail", "rx-hw-drops", "rx-csum-none")
TX_KEYS = ("tx-packets", "tx-bytes", "tx-hw-drop-errors", "tx-stop", "tx-wake")
def traffic(bench):
    a, b = bench.a, bench.b
    for reverse in (False, True):
        if not bench.iperf3_server(b, PORT):
            return "iperf3 server does not listen"
        r = a.run(["iperf3", "-c", b.addr4, "-p", PORT, "-t", SECONDS, "-P", 4]
                  + (["-R"] if reverse else []), timeout=SECONDS + 60)
        if not r:
            return "iperf3: %r" % r
    return None


def check_port(bench, p):
    t = bench.t
    nrx, ntx = p.num_queues()
    snap = p.qstats_snapshot()
    if not snap:
        for c in ("queues", "sum", "stats64"):
            t.fail("%s: qstats %s" % (p, c), "the interface never went quiet")
        return
    s64, dev, per_q = snap
    fe.KTAP.diag("%s qstats device: %s" % (p, dev))
    for q in per_q:
        fe.KTAP.diag("%s qstats %s%d: %s" % (p, q["queue-type"], q["queue-id"], " ".join(
            "%s=%d" % (k, v) for k, v in q.items() if k not in ("ifindex", "queue-type",
                                                               "queue-id"))))

    errs = []
    got = sorted((q["queue-type"], q["queue-id"]) for q in per_q)
    want = sorted([("rx", i) for i in range(nrx)] + [("tx", i) for i in range(ntx)])
    if got != want:
        errs.append("queues listed %s, the interface has %s" % (got, want))
    for q in per_q:
        keys = RX_KEYS if q["queue-type"] == "rx" else TX_KEYS
        missing = [k for k in keys if k not in q]
        if missing:
            errs.append("%s%d lacks %s" % (q["queue-type"], q["queue-id"], missing))
    t.errors("%s: qstats per queue: every RX and TX queue with the driver's counters" % p,
             errs)

    errs = []
    for k in RX_KEYS + TX_KEYS:
        s = sum(q.get(k, 0) for q in per_q)
        if s != dev.get(k):
            errs.append("%s: queues sum to %d, device scope %s" % (k, s, dev.get(k)))
    t.errors("%s: qstats per-queue values sum to the device scope" % p, errs)

    errs = []
    for k, d, name in net.QSTATS_STATS64:
        if dev.get(k) != s64.get(d, {}).get(name):
            errs.append("%s %s, stats64 %s %s %s" % (k, dev.get(k), d, name,
                                                     s64.get(d, {}).get(name)))
    if not dev.get("rx-packets") or not dev.get("tx-packets"):
        errs.append("no traffic counted: %s" % dev)
    t.errors("%s: qstats device scope = interface counters (stats64)" % p, errs)


def check_links(bench, p):
    t = bench.t
    idx = p.ifindex()
    nrx, ntx = p.num_queues()
    qs = net.queues(idx, ns=p.ns)
    napis = {n["id"]: n for n in net.napis(idx, ns=p.ns)}
    irqs = {int(n[1:]): irq for n, (irq, _c) in fe.device_interrupts(p.pdev).items()
            if re.match(r"^q\d+$", n)}
    fe.KTAP.diag("%s queues: %s" % (p, " ".join("%s%d:napi=%s" % (q["type"], q["id"],
                                                                   q.get("napi-id"))
                                                 for q in qs)))
    fe.KTAP.diag("%s napis: %s; interrupts %s" % (p, " ".join(
        "%d:irq=%s" % (i, n.get("irq")) for i, n in sorted(napis.items())), irqs))

    errs = []
    by = {(q["type"], q["id"]): q.get("napi-id") for q in qs}
    pair_napi = {}
    for i in range(max(nrx, ntx)):
        rx, tx = by.get(("rx", i)), by.get(("tx", i))
        if i < nrx and not rx:
            errs.append("rx%d has no napi-id" % i)
        if i < ntx and not tx:
            errs.append("tx%d has no napi-id" % i)
        if rx and tx and rx != tx:
            errs.append("rx%d napi %d, tx%d napi %d: one NAPI serves the pair" % (i, rx, i, tx))
        pair_napi[i] = rx or tx
    ids = [n for n in pair_napi.values() if n]
    if len(set(ids)) != len(ids):
        errs.append("queue pairs share NAPI ids: %s" % pair_napi)
    t.errors("%s: queue-get links every queue to its pair's NAPI" % p, errs)

    errs = []
    for i, nid in sorted(pair_napi.items()):
        if not nid:
            continue
        n = napis.get(nid)
        if not n:
            errs.append("napi %d (pair %d) not in napi-get" % (nid, i))
        elif n.get("irq") != irqs.get(i):
            errs.append("napi %d (pair %d) irq %s, the pair's interrupt is %s"
                        % (nid, i, n.get("irq"), irqs.get(i)))
    t.errors("%s: napi-get shows each pair's interrupt" % p, errs)
    return pair_napi


def check_pools(bench, p, pair_napi):
    idx = p.ifindex()
    nrx, _ = p.num_queues()
    pools = [pp for pp in net.page_pools(p.ns) if pp.get("ifindex") == idx
             and not pp.get("detach-time")]
    stats = net.page_pool_stats(p.ns)
    fe.KTAP.diag("%s page pools: %s" % (p, pools))
    errs = []
    napis = sorted(pp.get("napi-id", 0) for pp in pools)
    want = sorted(pair_napi[i] for i in range(nrx))
    if napis != want:
        errs.append("pools' napi ids %s, the RX queues' %s" % (napis, want))
    for pp in pools:
        st = stats.get(pp["id"])
        if not st:
            errs.append("pool %d: no page-pool-stats-get entry" % pp["id"])
        elif not st.get("alloc-fast", 0) + st.get("alloc-slow", 0):
            errs.append("pool %d: no allocation counted: %s" % (pp["id"], st))
    bench.t.errors("%s: a page pool per RX queue, linked to its NAPI, with statistics" % p,
                   errs)


def check_drvinfo(bench, p):
    r = p.run(["ethtool", "-i", p.ifname])
    info = dict(ln.split(": ", 1) for ln in r.out.splitlines() if ": " in ln)
    build = fe.qom_get(p.qom, "build-id")
    ver = fe.qom_get(p.qom, "ip-version")
    want = {"driver": "fpgaeth",
            "firmware-version": "%d.%d build %#x" % (ver >> 16, ver & 0xffff, build),
            "bus-info": p.pdev}
    bench.t.errors("%s: ethtool -i: driver, firmware version (VERSION, BUILD_ID), bus info" % p,
                   ["%s: %r, expected %r" % (k, info.get(k), v) for k, v in want.items()
                    if info.get(k) != v])


def body(bench):
    for p in (bench.a, bench.b):
        check_drvinfo(bench, p)
    err = traffic(bench)
    bench.check("traffic: iperf3 -P 4 both ways", not err, err or "")
    for p in (bench.a, bench.b):
        check_port(bench, p)
    for p in (bench.a, bench.b):
        check_pools(bench, p, check_links(bench, p))
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
