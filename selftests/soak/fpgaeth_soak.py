#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Soak: traffic both ways for SOAK_MINUTES while everything is churned.

tools/vm/soak runs it (`make soak`, not part of make check). Traffic: an
iperf3 TCP stream fe0 -> fe1, UDP datagrams from UDP_FLOWS source ports
both ways (every RX queue by RSS), a ping each way every 50 ms. Until the
time is up, one change after the other, in turn (FPGAETH_SOAK_SEED seeds
the choice of values; the seed is printed):
- ethtool -G: RX and TX ring sizes among 64 .. the maximum (RX capped so both
  ports' RX pages fit in half the forced swiotlb: rx_ring_cap);
- ethtool -L: 1 .. the maximum queue pairs;
- ethtool -C: rx-usecs/rx-frames, or adaptive RX on/off;
- MTU: 1500, 9000 or 576, on both ports;
- a link flap (QMP set_link off, on) of either port;
- a model fault on fe0 (QMP qom-set fault): a bus error, a lying length or
  head, a stalled queue, a lost interrupt, a FIFO overflow;
- unbind and bind both devices (the bench is set up again, traffic
  restarted).
After each change the two pings must be answered again within
BACK_TIMEOUT s (the slowest is reported). At the end, the traffic stopped
and the interfaces quiet: for both ports the netlink qstats device scope
equals the interface counters (`ip -s`: stats64), the per-queue qstats
equal `ethtool -S` rxN/txN packets and bytes, no destroyed page pool
holds pages, and the kernel log has no report (WARN, BUG, KASAN,
DMA-API, lockdep...; run_tests.sh checks it too).
"""

import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
SEED = int(os.environ.get("FPGAETH_SOAK_SEED") or 0) or int(time.time())
BACK_TIMEOUT = 20       # s: pings both ways answered after a change
UDP_FLOWS = 16
UDP_BASE = 22000
TCP_PORT = 5201
FAULTS = ["tx-desc-error:%d", "rx-desc-error:%d", "tx-buf-error:%d", "rx-buf-error:%d",
          "tx-wb-error:%d", "rx-wb-error:%d", "rx-len-lie:%d", "tx-stall:%d",
          "tx-head-lie:%d", "irq-lost:%d", "rx-fifo-overflow:3"]
PLAN = 7


def rx_ring_cap(max_qp):
    """The largest RX ring that lets both ports' RX pages, every queue pair
    in use, take at most half of a forced swiotlb (tools/vm/run boots with
    swiotlb=16384,force: 2 KB slots, every page mapped through it; the rest
    is TX's). Without the cap one port at RX 4096 x 4 pairs took every slot
    on the debug kernel and the other port's refill failed for good
    ("swiotlb buffer is full", pings not back). No forced swiotlb: no cap."""
    slots = net.forced_swiotlb_slots()
    if not slots:
        return 1 << 30
    return slots // 2 // (2 * max_qp * net.swiotlb_slots_per_page())


class Soak:
    def __init__(self, bench):
        self.bench = bench
        self.rnd = random.Random(SEED)
        self.errors = []
        self.done = {}
        self.slowest = (0.0, "")
        self.pingers = []

    def start_traffic(self):
        bench, a, b = self.bench, self.bench.a, self.bench.b
        bench.iperf3_server(b, TCP_PORT, once=False)
        bench.background(["iperf3", "-c", b.addr4, "-p", TCP_PORT, "-t", 100000,
                          "--connect-timeout", 5000], ns=a.ns, name="iperf3-client")
        for s, d in ((a, b), (b, a)):
            bench.udp_sender(s, d, [net.flow_port(UDP_BASE, i) for i in range(UDP_FLOWS)],
                             "fpgaeth-soak " * 40, 0.01)
        self.pingers = [bench.background(["ping", "-D", "-i", 0.05, "-W", 1, d.addr4],
                                         ns=s.ns, name="ping-%s" % s.id)
                        for s, d in ((a, b), (b, a))]

    def stop_traffic(self):
        for p in self.bench.bg:
            p.close()
        self.bench.bg = []
        self.pingers = []

    def pings_back(self, since):
        return net.wait_for(lambda: all(
            any(t > since for t in net.reply_stamps(p.output())) for p in self.pingers),
            BACK_TIMEOUT, 0.1)

    # -- the changes: each returns a description

    def rings(self):
        a, b = self.bench.a, self.bench.b
        r = a.rings()
        sizes = [s for s in (64, 128, 256, 512, 1024, 2048, 4096) if s <= (r["rx-max"] or 0)]
        rx_cap = rx_ring_cap(a.channels()[1] or 1)
        rx = self.rnd.choice([s for s in sizes if s <= rx_cap] or sizes[:1])
        tx = self.rnd.choice(sizes)
        p = self.rnd.choice((a, b))
        rc = p.ethtool("-G", "rx", rx, "tx", tx)
        return "%s ethtool -G rx %d tx %d%s" % (p, rx, tx, "" if rc else ": %r" % rc)

    def channels(self):
        a, b = self.bench.a, self.bench.b
        _, n_max = a.channels()
        n = self.rnd.randint(1, n_max or 1)
        p = self.rnd.choice((a, b))
        rc = p.ethtool("-L", "combined", n)
        return "%s ethtool -L combined %d%s" % (p, n, "" if rc else ": %r" % rc)

    def coalesce(self):
        p = self.rnd.choice((self.bench.a, self.bench.b))
        if self.rnd.random() < 0.3:
            args = ["adaptive-rx", self.rnd.choice(("on", "off"))]
        else:
            args = ["adaptive-rx", "off", "rx-usecs", self.rnd.choice((0, 8, 50, 200)),
                    "rx-frames", self.rnd.choice((1, 8, 32))]
        rc = p.ethtool("-C", *args)
        return "%s ethtool -C %s%s" % (p, " ".join(map(str, args)), "" if rc else ": %r" % rc)

    def mtu(self):
        m = self.rnd.choice((1500, 9000, 576))
        out = []
        for p in (self.bench.a, self.bench.b):
            r = p.set_mtu(m)
            if not r:
                out.append("%s: %r" % (p, r))
        return "MTU %d%s" % (m, (": " + "; ".join(out)) if out else "")

    def link_flap(self):
        p = self.rnd.choice((self.bench.a, self.bench.b))
        self.bench.set_link(p, False)
        net.wait_for(lambda: not p.carrier(), 5, 0.1)
        self.bench.set_link(p, True)
        return "%s link flap" % p

    def fault(self):
        a = self.bench.a
        f = self.rnd.choice(FAULTS)
        if "%d" in f:
            f = f % self.rnd.randrange(a.channels()[0] or 1)
        try:
            self.bench.fault(a, f)
        except Exception as e:  # noqa: BLE001
            return "%s fault %s: %s" % (a, f, e)
        if f.startswith("tx-head-lie"):
            # it lies until cleared: let the driver see it once
            time.sleep(1)   # the lie needs a completion to be seen, no event to wait for
            self.bench.fault(a, "clear")
        return "%s fault %s" % (a, f)

    def rebind(self):
        bench = self.bench
        self.stop_traffic()
        devs = [p.pdev for p in (bench.a, bench.b)]
        for d in devs:
            fe.unbind(d)
        for d in devs:
            fe.bind(d)
        if not bench.setup():
            raise RuntimeError("the bench did not come back after unbind/bind")
        self.start_traffic()
        return "unbind/bind %s" % " ".join(devs)

    CHANGES = ("rings", "channels", "coalesce", "mtu", "link_flap", "fault", "rebind")

    def run(self):
        end = time.monotonic() + MINUTES * 60
        i = 0
        self.start_traffic()
        while time.monotonic() < end:
            name = self.CHANGES[i % len(self.CHANGES)]
            i += 1
            since = time.time()
            t0 = time.monotonic()
            try:
                what = getattr(self, name)()
            except Exception as e:  # noqa: BLE001
                self.errors.append("%s: %s" % (name, e))
                fe.KTAP.diag("soak: %s: %s" % (name, e))
                break
            ok, _ = self.pings_back(since)
            secs = time.monotonic() - t0
            self.done[name] = self.done.get(name, 0) + 1
            fe.KTAP.diag("soak: %s: pings back after %.1f s" % (what, secs) if ok else
                         "soak: %s: pings NOT back within %d s" % (what, BACK_TIMEOUT))
            if not ok:
                self.errors.append("%s: pings not back within %d s" % (what, BACK_TIMEOUT))
                self.bench.diag()
                if len(self.errors) >= 3:
                    break
            elif secs > self.slowest[0]:
                self.slowest = (secs, what)
        self.stop_traffic()


QUEUE_COUNT = re.compile(r"^[rt]x\d+_(packets|bytes)$")


def quiet_counters(p, tries=10):
    """(stats64, qstats device scope, per queue, ethtool -S) read while no
    counter moved: ethtool -S's per-queue packets and bytes the same before
    and after a qstats snapshot (a frame sent between the two reads, likely
    a neighbour probe, made them differ by one once, 2026-12-02 12:55), or
    None."""
    for _ in range(tries):
        st1 = p.ethtool_stats()
        snap = p.qstats_snapshot(tries=1)
        st2 = p.ethtool_stats()
        if snap and all(st1.get(k) == v for k, v in st2.items() if QUEUE_COUNT.match(k)):
            return snap + (st2,)
        time.sleep(0.5)
    return None


def counters_agree(bench, p):
    """Errors: qstats device vs stats64, per-queue qstats vs ethtool -S."""
    snap = quiet_counters(p)
    if not snap:
        return ["%s: the counters never stood still" % p]
    s64, dev, per_q, st = snap
    errs = []
    for k, d, name in net.QSTATS_STATS64:
        if dev.get(k) != s64.get(d, {}).get(name):
            errs.append("%s: qstats %s %s, stats64 %s %s %s" % (
                p, k, dev.get(k), d, name, s64.get(d, {}).get(name)))
    for q in per_q:
        for what in ("packets", "bytes"):
            key = "%s%d_%s" % (q["queue-type"], q["queue-id"], what)
            if q.get("%s-%s" % (q["queue-type"], what)) != st.get(key):
                errs.append("%s: qstats %s%d %s %s, ethtool -S %s %s" % (
                    p, q["queue-type"], q["queue-id"], what,
                    q.get("%s-%s" % (q["queue-type"], what)), key, st.get(key)))
    if not dev.get("rx-packets") or not dev.get("tx-packets"):
        errs.append("%s: no traffic counted: %s" % (p, dev))
    return errs


def body(bench):
    t = bench.t
    fe.KTAP.diag("soak: %.1f minutes, seed %d (FPGAETH_SOAK_SEED)" % (MINUTES, SEED))
    soak = Soak(bench)
    mark = bench.mark   # a rebind sets the bench up again, with a new mark
    start = time.monotonic()
    soak.run()
    fe.KTAP.diag("soak: %.1f minutes, changes %s; slowest return of the pings %.1f s (%s)" % (
        (time.monotonic() - start) / 60, soak.done, soak.slowest[0], soak.slowest[1]))
    t.check("soak: every change of the kind %s made" % "/".join(Soak.CHANGES),
            all(soak.done.get(c) for c in Soak.CHANGES) or MINUTES < 3,
            "made: %s" % soak.done)
    t.errors("soak: pings both ways back within %d s after every change" % BACK_TIMEOUT,
             soak.errors)
    net.wait_for(lambda: all(p.qstats_snapshot(tries=1) for p in (bench.a, bench.b)), 10, 0.5)
    for p in (bench.a, bench.b):
        t.errors("soak: %s: counters agree (qstats = ip -s, qstats per queue = ethtool -S)"
                 % p, counters_agree(bench, p))
    bench.check_ping("soak: pings answered at the end", bench.a, bench.b.addr4)
    left = bench.pools_drained()
    t.check("soak: no destroyed page pool with pages in flight", not left, "; ".join(left))
    # the kernel log of the whole soak (run_tests.sh checks it too)
    bench.mark = mark
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
