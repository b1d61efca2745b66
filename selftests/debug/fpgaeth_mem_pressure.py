#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Memory pressure: RX refill and ring reconfiguration when allocations fail.

Needs the debug kernel's fault injection (tools/vm/debug-kernel.config:
FAIL_FUNCTION, FAILSLAB, FAULT_INJECTION_DEBUG_FS); tools/vm/debug-tier
runs it (FPGAETH_TEST_DIR=selftests/debug).

RX refill under traffic: UDP datagrams from UDP_FLOWS source ports fe1 ->
fe0 (as many on each RX queue: net.rss_ports; fe0 sends nothing, so its polls
come from the refill timer and RX interrupts only) while fail_function
makes every page_pool_alloc_pages() fail (the pool's cache too: the call
is the driver's only way to a page):
- the failures are counted: qstats rx-alloc-fail and ethtool -S
  rxN_alloc_fail move, and a ring ran dry (HEAD = TAIL in the IP's
  registers: no buffer posted; the IP then holds the queue's frames in its
  RX FIFO, which sends pause frames or overflows, programming model "RX
  descriptors": nothing is counted as RX_NOBUF for an empty ring);
- the driver does not spin on an empty ring: failures come at most at the
  refill timer's pace (MAX_FAIL_RATE a second for the interface);
- once allocations succeed again, RX comes back by itself: every RX queue
  of fe0 delivers frames again within BACK_TIMEOUT, and, the traffic
  stopped, every RX ring of both ports is full again (TAIL - HEAD = size -
  1 in the IP's registers).

Reconfiguration when an allocation fails, every allocation in turn
(/proc/thread-self/fail-nth: the Nth slab allocation of this thread fails,
for N = 1, 2, ... until the call no longer reaches the Nth): `ethtool -G`
(SRINGPARAM) growing the RX ring, `ethtool -L` (SCHANNELS) growing from 1
to the maximum. Each call either fails and leaves the old setting, or
succeeds with the new one; the interface passes traffic after every
failure (a ping every PING_EVERY attempts and after the last). Slab only:
a failed page allocation prints the kernel's allocation-failure report (a
call trace, which the runner counts as a splat); the ring memory's
dma_alloc_coherent fails into the same error path as the slab allocations
beside it.

At the end the kernel log has no checker report (run_tests.sh), which the
error paths would provoke if they freed a pool with pages out (page_pool),
leaked a mapping (DMA-API) or used freed memory (KASAN).
"""

import ctypes
import fcntl
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

DBG = "/sys/kernel/debug"
FAIL_FN = DBG + "/fail_function"
FAILSLAB = DBG + "/failslab"
SLABS = "/sys/kernel/slab"
# the checkers' own caches, which fault injection must not make fail
CHECKER_CACHES = ("radix_tree_node", "kmemleak_object", "kmemleak_scan_area")
PP_ALLOC = "page_pool_alloc_pages"
UDP_FLOWS = 16
UDP_BASE = 21000
RX_RING = 64            # fe0's RX ring in the refill case
# s: failures counted and a ring dry; the ring runs dry once RX_RING frames
# reached a queue, which at the debug guest's rate under load (a few frames
# a second) takes tens of seconds: a bound, not a wait
DETECT_TIMEOUT = 120
START_TIMEOUT = 60      # s: every RX queue of fe0 gets the sender's frames
RATE_WINDOW = 2.0       # s over which the failure rate is measured
# one failure per refill attempt: the refill timer retries every
# max(HZ / 100, 1) jiffies (8 ms at the debug kernel's HZ 250) per queue
# pair, about 500 a second for 4 pairs; a poll that follows an RX interrupt
# tries once more. A poll that rescheduled itself on an empty ring would
# fail thousands of times a second.
MAX_FAIL_RATE = 1000
BACK_TIMEOUT = 10       # s: every RX queue delivers again
FULL_TIMEOUT = 5        # s: every RX ring full again, traffic stopped
PING_EVERY = 25
MAX_NTH = 1500         # a call with more allocations than this: a failure
PLAN = 8

ETHTOOL_GRINGPARAM, ETHTOOL_SRINGPARAM = 0x10, 0x11
ETHTOOL_GCHANNELS, ETHTOOL_SCHANNELS = 0x3c, 0x3d


def write(path, value):
    with open(path, "w") as f:
        f.write("%s\n" % value)


def fail_function(on):
    """Every page_pool_alloc_pages() returns NULL (on), or none (off)."""
    if on:
        if not os.path.exists(os.path.join(FAIL_FN, PP_ALLOC)):
            write(FAIL_FN + "/inject", PP_ALLOC)
        for k, v in (("verbose", 0), ("interval", 1), ("times", -1), ("probability", 100)):
            write(os.path.join(FAIL_FN, k), v)
    else:
        write(os.path.join(FAIL_FN, "probability"), 0)
        if os.path.exists(os.path.join(FAIL_FN, PP_ALLOC)):
            write(FAIL_FN + "/inject", "")


def failslab_for_fail_nth():
    """failslab counts sleeping allocations too (fail-nth goes through its
    checks) and prints nothing when it fails one. Every slab cache but the
    checkers' own: DMA-API debug's cacheline tracking (radix tree nodes)
    and kmemleak disable themselves when an allocation of theirs fails
    ("DMA-API: cacheline tracking ENOMEM, dma-debug disabled")."""
    for k, v in (("ignore-gfp-wait", "N"), ("verbose", 0), ("probability", 0),
                 ("cache-filter", "Y")):
        write(os.path.join(FAILSLAB, k), v)
    marked = 0
    for cache in sorted(os.listdir(SLABS)):
        if cache in CHECKER_CACHES or not os.path.exists(os.path.join(SLABS, cache, "failslab")):
            continue
        try:
            write(os.path.join(SLABS, cache, "failslab"), 1)
            marked += 1
        except OSError:
            pass        # a merged cache (refcount > 1) refuses; SLUB debug merges none
    fe.KTAP.diag("failslab: %d slab caches may fail, not %s" % (marked, ", ".join(CHECKER_CACHES)))


class Ethtool:
    """SIOCETHTOOL ring and channel get/set on one interface of this
    namespace, through one socket opened beforehand."""

    def __init__(self, ifname):
        self.ifname = ifname
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def prepare(self, words):
        """A call of the command words, its buffers made now: between the
        fail-nth write and the ioctl this thread allocates nothing in the
        kernel but what the ioctl does."""
        buf = ctypes.create_string_buffer(struct.pack("<%dI" % len(words), *words))
        ifr = struct.pack("16sP", self.ifname.encode(), ctypes.addressof(buf))

        def call():
            try:
                fcntl.ioctl(self.sock, net.SIOCETHTOOL, ifr)
            except OSError as e:
                return e.errno, None
            return 0, list(struct.unpack_from("<%dI" % len(words), buf.raw))
        return call

    def rings(self):
        """(rx, tx, rx max, tx max)."""
        _, w = self.prepare([ETHTOOL_GRINGPARAM] + [0] * 8)()
        return w[5], w[8], w[1], w[4]

    def set_rings(self, rx, tx):
        """A prepared SRINGPARAM call: its errno."""
        call = self.prepare([ETHTOOL_SRINGPARAM, 0, 0, 0, 0, rx, 0, 0, tx])
        return lambda: call()[0]

    def channels(self):
        """(combined, max combined)."""
        _, w = self.prepare([ETHTOOL_GCHANNELS] + [0] * 8)()
        return w[8], w[4]

    def set_channels(self, n):
        """A prepared SCHANNELS call: its errno."""
        call = self.prepare([ETHTOOL_SCHANNELS, 0, 0, 0, 0, 0, 0, 0, n])
        return lambda: call()[0]


def fail_nth_sweep(bench, what, call, state, want, old, restore):
    """call() with its 1st, 2nd, ... slab allocation failing, until it no
    longer reaches the Nth: errors (list). A call that succeeds although
    its Nth allocation failed (one it can do without: e.g. the ethtool
    notification) is undone by restore() before the next N, so every N
    runs the same change."""
    a, b = bench.a, bench.b
    errs, failed, absorbed, n = [], 0, 0, 0
    fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
    try:
        for n in range(1, MAX_NTH + 1):
            os.write(fd, b"%d" % n)
            rc = call()
            left = int(os.pread(fd, 16, 0) or b"0")
            os.write(fd, b"0")
            now = state()
            if rc and left:
                errs.append("%s: failed (errno %d) before allocation %d was reached" % (
                    what, rc, n))
            elif rc:
                failed += 1
                if now != old:
                    errs.append("%s: allocation %d failed (errno %d), the setting is %s, "
                                "not the old %s" % (what, n, rc, now, old))
            elif now != want:
                errs.append("%s: allocation %d: call succeeded, setting %s, not %s" % (
                    what, n, now, want))
            elif not left:
                absorbed += 1
                if restore() or state() != old:
                    errs.append("%s: allocation %d: the old setting %s not restored" % (
                        what, n, old))
            if rc and (failed % PING_EVERY == 0):
                ok, _ = a.ping(b.addr4, count=1, wait=3)
                if not ok:
                    errs.append("%s: after allocation %d failed, no ping answered" % (what, n))
            if errs or (not rc and left):
                break
    finally:
        os.close(fd)
    fe.KTAP.diag("%s: %d allocations failed in turn: %d calls failed, %d succeeded without "
                 "the failed one, then it succeeded without reaching allocation %d" % (
                     what, n - 1, failed, absorbed, n))
    if n == MAX_NTH:
        errs.append("%s: still failing at allocation %d" % (what, n))
    if failed == 0:
        errs.append("%s: no allocation failure made the call fail" % what)
    ok, _ = a.ping(b.addr4, count=3, wait=3)
    if not ok:
        errs.append("%s: no ping answered after the sweep" % what)
    return errs


def rx_queues_moving(port, start, nq, timeout):
    """Every RX queue's packet counter moves past start (ethtool -S)."""
    def moved():
        st = port.ethtool_stats()
        return all(st.get("rx%d_packets" % q, 0) > start.get("rx%d_packets" % q, 0)
                   for q in range(nq))
    ok, secs = net.wait_for(moved, timeout, 0.2)
    return ok, secs


def rx_rings_dry(port, nq):
    """["qN"...]: port's RX queues with no buffer posted (HEAD = TAIL)."""
    regs = port.regs()
    return ["q%d" % q for q in range(nq)
            if regs.get("Q%d_RX_HEAD" % q) is not None and
            regs.get("Q%d_RX_HEAD" % q) == regs.get("Q%d_RX_TAIL" % q)]


def sum_counter(st, what, nq):
    return sum(st.get("rx%d_%s" % (q, what), 0) for q in range(nq))


def refill_cases(bench):
    t, a, b = bench.t, bench.a, bench.b
    nq = a.channels()[0]
    idx = a.ifindex()
    # small rings run dry within the time: 4 x 1024 buffers outlasted 10 s
    # of the debug guest's traffic (mac_rx_nobuf stayed 0)
    et = Ethtool(a.ifname)
    rx, tx, _, _ = et.rings()
    et.set_rings(RX_RING, tx)()
    # the same number of flows on each RX queue, by fe0's (random) RSS key
    ports = net.rss_ports(a, b.addr4, a.addr4, max(UDP_FLOWS // nq, 1), UDP_BASE, nq)
    senders = [bench.udp_sender(b, a, ports, "fpgaeth-mem " * 32, 0.005)]
    ok, _ = rx_queues_moving(a, a.ethtool_stats(), nq, START_TIMEOUT)
    if not ok:
        fe.KTAP.diag("before the fault: not every RX queue of %s gets frames: %s" % (
            a, a.queue_counters("rx", nq=nq)))
    st0, q0 = a.ethtool_stats(), net.qstats(idx)[0]
    fail_function(True)
    try:
        dry = []

        def counted():
            st, q = a.ethtool_stats(), net.qstats(idx)[0]
            dry[:] = rx_rings_dry(a, nq)
            return (q.get("rx-alloc-fail", 0) > q0.get("rx-alloc-fail", 0) and
                    sum_counter(st, "alloc_fail", nq) > sum_counter(st0, "alloc_fail", nq) and
                    bool(dry))
        ok, secs = net.wait_for(counted, DETECT_TIMEOUT, 0.2)
        st1, q1 = a.ethtool_stats(), net.qstats(idx)[0]
        t.check("refill: every page allocation fails: qstats rx-alloc-fail and ethtool -S "
                "rxN_alloc_fail move, an RX ring runs dry", ok,
                "in %d s: rx-alloc-fail %d -> %d, alloc_fail %d -> %d, rings dry: %s" % (
                    DETECT_TIMEOUT, q0.get("rx-alloc-fail", 0), q1.get("rx-alloc-fail", 0),
                    sum_counter(st0, "alloc_fail", nq), sum_counter(st1, "alloc_fail", nq),
                    dry or "none"))
        if ok:
            fe.KTAP.diag("refill: dry after %.1f s: %s; mac_rx_fifo_ovf +%d, mac_rx_nobuf +%d" % (
                secs, ", ".join(dry),
                st1.get("mac_rx_fifo_ovf", 0) - st0.get("mac_rx_fifo_ovf", 0),
                st1.get("mac_rx_nobuf", 0) - st0.get("mac_rx_nobuf", 0)))
        start = time.monotonic()
        time.sleep(RATE_WINDOW)     # a rate over a window: nothing to wait for
        q2 = net.qstats(idx)[0]
        rate = (q2.get("rx-alloc-fail", 0) - q1.get("rx-alloc-fail", 0)) / (
            time.monotonic() - start)
        fe.KTAP.diag("refill: %.0f allocation failures a second on %s (%d queue pairs)" % (
            rate, a, nq))
        t.check("refill: no spinning on an empty ring: at most %d failures a second" %
                MAX_FAIL_RATE, 0 < rate <= MAX_FAIL_RATE, "%.0f a second" % rate)
    finally:
        fail_function(False)
    ok, secs = rx_queues_moving(a, a.ethtool_stats(), nq, BACK_TIMEOUT)
    fe.KTAP.diag("refill: every RX queue of %s delivered again %.1f s after allocations "
                 "came back" % (a, secs))
    bench.check("refill: allocations back: every RX queue delivers again within %d s" %
                BACK_TIMEOUT, ok, "RX queues not moving: %s" % a.queue_counters("rx", nq=nq))
    for s in senders:
        s.kill()
    ok, _ = net.wait_for(lambda: not bench.rx_rings_not_full(), FULL_TIMEOUT, 0.2)
    left = bench.rx_rings_not_full()
    bench.check("refill: traffic stopped: every RX ring of both ports is full again",
                ok, "; ".join(left))
    et.set_rings(rx, tx)()


def reconfig_cases(bench):
    t, a = bench.t, bench.a
    failslab_for_fail_nth()
    et = Ethtool(a.ifname)
    rx, tx, rx_max, _ = et.rings()
    grow = min(rx * 2, rx_max)
    errs = fail_nth_sweep(bench, "ethtool -G rx %d (was %d)" % (grow, rx),
                          et.set_rings(grow, tx), lambda: et.rings()[0], grow, rx,
                          et.set_rings(rx, tx))
    t.check("reconfig: ethtool -G rx %d with each slab allocation failing in turn: the "
            "old ring kept on failure, traffic after each" % grow, not errs,
            "; ".join(errs[:3]))
    et.set_rings(rx, tx)()

    n, n_max = et.channels()
    errs = []
    if n_max < 2:
        t.skip("reconfig: ethtool -L growing with each slab allocation failing in turn",
               "one queue pair only")
    else:
        if et.set_channels(1)():
            errs.append("ethtool -L combined 1 failed")
        else:
            errs = fail_nth_sweep(bench, "ethtool -L combined %d (was 1)" % n_max,
                                  et.set_channels(n_max), lambda: et.channels()[0],
                                  n_max, 1, et.set_channels(1))
        t.check("reconfig: ethtool -L 1 -> %d with each slab allocation failing in turn: "
                "the old queues kept on failure, traffic after each" % n_max, not errs,
                "; ".join(errs[:3]))
        et.set_channels(n)()
    bench.check_ping("reconfig: old settings back, pings answered", a, bench.b.addr4)


def body(bench):
    t = bench.t
    missing = [p for p in (FAIL_FN, FAILSLAB, "/proc/thread-self/fail-nth")
               if not os.path.exists(p)]
    if missing:
        for _ in range(PLAN):
            t.skip("memory pressure", "no fault injection in this kernel: %s" % missing)
        return
    refill_cases(bench)
    reconfig_cases(bench)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
