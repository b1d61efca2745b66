#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One queue pair restarted while the others carry traffic (the driver's
netdev_queue_mgmt_ops, fpgaeth_queue.c).

UDP datagrams both ways on every queue pair of fe0 (port a): the source
ports are chosen from the receiver's RSS key and table (net.rss_ports),
FLOWS_PER_QUEUE flows on each RX queue, one datagram per flow every
UDP_PERIOD; the stack's hash spreads them over the TX queues. Then each
way of restarting pairs, one after the other:

- `ethtool -G` (new TX and RX sizes): every pair gets new rings, allocated
  before the first pair stops, one pair after the other;
- a fault that halts one pair (the model's rx-desc-error:Q): the pair is
  recovered alone on new rings (the programming model's per-queue
  "Recovery procedure");
- an AF_XDP zero-copy bind on one queue (the XSK pool attach; the program
  selftests/bpf/fpgaeth_xsk_redirect.c is attached before the traffic
  starts, so every case runs with XDP on), then the socket's close (the
  pool's detach).

Per restart, from just before it to just after (the restarted pair
carrying frames both ways again):
- each pair restarted stopped exactly once, every other pair not at all
  (`qN_stops`: every stop of the pair's datapath, alone or with all the
  pairs), the datapath as a whole was never stopped (`datapath_stops`:
  every pair stopped at once, as a down or a change of the queue count
  does; with it -G's pairs would each stop once too) and the whole IP was
  not reset (`resets`);
- the restarted pair's RX ring has a new page pool and every other pair
  kept its own (netdev netlink page-pool-get: the live pools by NAPI ID,
  mapped to queues by queue-get): no ring of theirs was rebuilt;
- every other pair's tx and rx packet counters and its interrupt count
  (/proc/interrupts, line qN) rose meanwhile;
- the carrier did not change (carrier_changes);
- the restarted pair carries frames both ways afterwards.
At the end, the interfaces down: no destroyed page pool with pages in
flight, nothing in the kernel log.

The kernel's own trigger of a queue restart (netdev_rx_queue_restart())
is binding a memory provider to an RX queue (devmem TCP, io_uring zero-copy
RX): it needs page pools that take unreadable memory (and header split),
which the driver and IP do not have, so it fails before any queue stops
and cannot be used here; on 7.x the driver does not even give the core its
queue ops (fpgaeth_compat.h). The three triggers above are the driver's
own users of the restart, the same code on both kernels.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402

FLOWS_PER_QUEUE = 8
UDP_PERIOD = 0.02       # s between two datagrams of a flow
UDP_BASE = 23000
TIMEOUT = 20            # s: a restart done, a pair's traffic seen
RINGS = (512, 128)      # ethtool -G tx, rx
PLAN = 8
XSK_OBJ = os.path.join(x.REPO, "selftests", "bpf", "build", "fpgaeth_xsk_redirect.o")
XSK_BIN = os.path.join(x.REPO, "selftests", "bpf", "build", "fpgaeth_xsk")


class Snap:
    """What a restart is judged by, on fe0 at one moment."""

    def __init__(self, port, nq):
        self.st = net.ethtool_stats_ioctl(port.ifname)
        irqs = fe.device_interrupts(port.pdev)
        self.irqs = [irqs.get("q%d" % q, (0, 0))[1] for q in range(nq)]
        with open("/sys/class/net/%s/carrier_changes" % port.ifname) as f:
            self.carrier_changes = int(f.read())
        ifindex = port.ifindex()
        napi_q = {q["napi-id"]: q["id"] for q in net.queues(ifindex)
                  if q["type"] == "rx" and "napi-id" in q}
        self.pools = {q: set() for q in range(nq)}
        for p in net.page_pools():
            if p.get("ifindex") == ifindex and "detach-time" not in p and \
               p.get("napi-id") in napi_q:
                self.pools.setdefault(napi_q[p["napi-id"]], set()).add(p["id"])

    def get(self, key):
        return self.st.get(key, 0)


class Run:
    def __init__(self, bench):
        self.bench = bench
        self.a, self.b = bench.a, bench.b
        self.nq = self.a.channels()[0] or 1

    def snap(self):
        return Snap(self.a, self.nq)

    def pair_moves(self, q, s0, timeout=TIMEOUT):
        """Pair q of fe0 sent and received frames since s0."""
        keys = ["tx%d_packets" % q, "rx%d_packets" % q]
        ok, _ = net.wait_for(lambda: all(
            net.ethtool_stats_ioctl(self.a.ifname).get(k, 0) > s0.get(k) for k in keys),
            timeout, 0.05)
        return ok

    def judge(self, what, restarted, s0, s1, errs):
        """Errors of a restart of pairs restarted (a list) from s0 to s1."""
        for q in range(self.nq):
            stops = s1.get("q%d_stops" % q) - s0.get("q%d_stops" % q)
            want = 1 if q in restarted else 0
            if stops != want:
                errs.append("pair %d stopped %d times, not %d" % (q, stops, want))
            if q in restarted:
                if s1.pools[q] & s0.pools[q] or not s1.pools[q]:
                    errs.append("pair %d: page pools %s before, %s after: not new" % (
                        q, sorted(s0.pools[q]), sorted(s1.pools[q])))
                continue
            if s1.pools[q] != s0.pools[q] or not s0.pools[q]:
                errs.append("pair %d: page pools %s before, %s after" % (
                    q, sorted(s0.pools[q]), sorted(s1.pools[q])))
            for k in ("tx%d_packets" % q, "rx%d_packets" % q):
                if s1.get(k) <= s0.get(k):
                    errs.append("%s did not rise (%d)" % (k, s0.get(k)))
            if s1.irqs[q] <= s0.irqs[q]:
                errs.append("interrupts of q%d did not rise (%d)" % (q, s0.irqs[q]))
        if s1.get("resets") != s0.get("resets"):
            errs.append("the whole IP was reset")
        if s1.get("datapath_stops") != s0.get("datapath_stops"):
            errs.append("every pair was stopped at once (datapath_stops %d -> %d)" % (
                s0.get("datapath_stops"), s1.get("datapath_stops")))
        if s1.carrier_changes != s0.carrier_changes:
            errs.append("the carrier changed")
        fe.KTAP.diag("%s: stops %s, rx packets +%s, interrupts +%s" % (
            what, [s1.get("q%d_stops" % q) - s0.get("q%d_stops" % q) for q in range(self.nq)],
            [s1.get("rx%d_packets" % q) - s0.get("rx%d_packets" % q) for q in range(self.nq)],
            [s1.irqs[q] - s0.irqs[q] for q in range(self.nq)]))
        return errs

    def restart(self, what, restarted, action):
        """Snapshot, action() (errors), the restarted pairs moving again,
        snapshot; the case's check."""
        s0 = self.snap()
        t0 = time.monotonic()
        errs = action() or []
        back = [q for q in restarted if not self.pair_moves(q, s0)]
        took = time.monotonic() - t0
        s1 = self.snap()
        if back:
            errs.append("pairs %s carry no traffic both ways within %d s" % (back, TIMEOUT))
        self.judge(what, restarted, s0, s1, errs)
        fe.KTAP.diag("%s: %.2f s to the restarted pairs' traffic" % (what, took))
        self.bench.t.errors("%s: pairs %s restarted alone, the others running, traffic "
                            "back" % (what, restarted), errs)


def start_traffic(r):
    """UDP senders both ways, FLOWS_PER_QUEUE flows on each RX queue of
    the receiver; every pair of fe0 carries frames both ways (a case)."""
    bench, a, b = r.bench, r.a, r.b
    for src, dst in ((a, b), (b, a)):
        ports = net.rss_ports(dst, src.addr4, dst.addr4, FLOWS_PER_QUEUE, UDP_BASE, r.nq)
        bench.udp_sender(src, dst, ports, "fpgaeth-qrestart " * 16, UDP_PERIOD)
    s0 = r.snap()
    idle = [q for q in range(r.nq) if not r.pair_moves(q, s0, 3 * TIMEOUT)]
    bench.t.check("traffic on every queue pair of %s both ways" % a.id,
                  r.nq > 1 and not idle, "pairs %s idle (%d pairs)" % (idle, r.nq))


def ring_change(r):
    a = r.a
    old = a.rings()

    def action():
        rr = a.ethtool("-G", "tx", RINGS[0], "rx", RINGS[1])
        return [] if rr else ["ethtool -G: %r" % rr]
    r.restart("ethtool -G tx %d rx %d" % RINGS, list(range(r.nq)), action)
    fe.KTAP.diag("rings before: %s, after: %s" % (old, a.rings()))


def halt_one(r):
    """The model halts pair q's RX at its next descriptor fetch."""
    q = 1 % r.nq
    a = r.a

    def action():
        st0 = net.ethtool_stats_ioctl(a.ifname)
        key = "q%d_resets" % q
        r.bench.fault(a, "rx-desc-error:%d" % q)
        ok, _ = net.wait_for(lambda: net.ethtool_stats_ioctl(a.ifname).get(key, 0) >
                             st0.get(key, 0), TIMEOUT, 0.05)
        r.bench.fault(a, "clear")
        return [] if ok else ["%s did not move in %d s" % (key, TIMEOUT)]
    r.restart("rx-desc-error:%d" % q, [q], action)


def attach(r):
    """The AF_XDP program on fe0, before the traffic (an attach restarts
    every pair; under a loaded TCG guest with traffic it took more than
    `ip`'s 30 s bound): (Prog, ip's Result)."""
    prog = x.Prog(r.a.ifname)
    t0 = time.monotonic()
    rr = prog.attach(obj=XSK_OBJ)
    fe.KTAP.diag("XDP program attached to %s in %.2f s: %r" % (
        r.a.id, time.monotonic() - t0, rr))
    return prog, rr


def xsk(r, prog, rr):
    """AF_XDP zero-copy on the last pair: the bind, then the close."""
    bench, a, b = r.bench, r.a, r.b
    q = r.nq - 1
    if not rr or "xsks" not in prog.maps:
        for what in ("bind", "close"):
            bench.t.fail("xsk %s on pair %d" % (what, q), "attach: %r" % rr)
        return
    proc = []
    try:
        def bind():
            p = bench.background([XSK_BIN, a.ifname, q, "zc", prog.maps["xsks"], 1, 0,
                                  a.mac, b.mac], name="xsk")
            proc.append(p)
            net.wait_for(lambda: "ready" in p.output() or not p.running(), 60, 0.1)
            return [] if "ready" in p.output() else [
                "zero-copy bind: %s" % p.output().strip()[-200:]]

        def close():
            st0 = net.ethtool_stats_ioctl(a.ifname)
            key = "q%d_stops" % q
            proc[0].kill()
            # the core detaches the pool from a work after the close
            ok, _ = net.wait_for(lambda: net.ethtool_stats_ioctl(a.ifname).get(key, 0) >
                                 st0.get(key, 0), TIMEOUT, 0.05)
            return [] if ok else ["the close did not restart pair %d" % q]
        r.restart("xsk zero-copy bind on queue %d" % q, [q], bind)
        r.restart("xsk zero-copy close on queue %d" % q, [q], close)
    finally:
        for p in proc:
            p.kill()


def body(bench):
    a, b = bench.a, bench.b
    r = Run(bench)
    prog, rr = attach(r)
    start_traffic(r)
    ring_change(r)
    halt_one(r)
    xsk(r, prog, rr)
    ok, _s = a.ping(b.addr4, count=3, interval=0.2)
    bench.check("ping %s -> %s still answered" % (a.id, b.id), ok)
    for p in bench.bg:
        p.kill()
    prog.detach()
    for p in (a, b):
        p.ip("link", "set", "dev", p.ifname, "down")
    bench.check_pools_drained()
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
