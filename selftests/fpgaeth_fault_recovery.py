#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Recovery from every fault the model can inject, under traffic.

Traffic both ways on every queue pair: UDP datagrams from many source ports
each way, every 20 ms (lighter than Bench.stream_and_floods, which left a
loaded 2-core TCG host seconds behind). The source ports are chosen from the
receiver's RSS key and table (net.rss_ports: FLOWS_PER_QUEUE flows on each
RX queue; Linux draws the key at random once per boot, and a fixed set of
24 ports left an RX queue of 4 without traffic in about 1 % of boots, a
queue pair that then looked dead after its recovery); the TX queue of each
flow is the stack's hash (48 flows: every TX queue of 4 but in about 4 in
a million boots). The case before the faults asserts that every queue pair
of fe0 carries frames both ways; FPGAETH_RSS_KEY (hkey format) sets both
ports' key first, to repeat a run (the key is printed). Frames of a non-IP
type reach RX queue 0 at once.

Each fault is injected into fe0's model (port a) FPGAETH_FAULT_REPEAT times
(default 1) on each queue pair FPGAETH_FAULT_QUEUES names (default "all":
every one in use; or a list, "0,3") or as a whole. Per
injection: the counter a user sees moved (detected); pings both ways are
answered again and, for a queue fault, that queue pair carries frames again
(recovered); the time from the injection to both is reported (diag
"recovery: ..."); for a fault of one queue pair, the whole-IP `resets`
counter, the other pairs' `qN_resets` and the carrier (carrier_changes)
did not move. At the end: no destroyed page pool with pages in flight once
the interfaces are down, no splat in the kernel log.

AF_XDP on a pair that does not stop (slow-drain:500 as in the IDLE case,
fe0's queue 0, the program selftests/bpf/fpgaeth_xsk_redirect.c attached
to fe0): a zero-copy bind fails and the whole IP is reset at once (the
reset waits for that DMA too and fails: the datapath stays stopped until
a down/up); a zero-copy close (the pool's detach, which the core cannot
see fail) does the same and leaves no pointer to the freed pool: no
WARN, and after the down/up the next zero-copy bind on the queue works.

Stalls: tx-stall and rx-stall (an engine that stops without an error) are
reported by the IP itself (CAP1.STALL_WDOG, the driver's time from
CAP0.MAX_FRAME and NUM_QP, 43 ms on the default model): detected
in qN_stalls, that pair alone recovered. With the watchdog off (debugfs
stall_timeout_ms 0) the driver's service check finds them: tx-stall per
pair after 1 s (qN_stalls, qN_resets); rx-stall, which holds the one RX
FIFO for every queue, as the RX FIFO overflowing with no RX queue moving
for 1 s: the whole IP is reset, with a message, counted in `stalls`.

A fault the model refuses (an unknown name) fails its case: the in-tree
model has them all.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402

REPEAT = int(os.environ.get("FPGAETH_FAULT_REPEAT", "1"))
DETECT_TIMEOUT = 10     # s: a fault fires on traffic and is seen
HEAD_LIES = 3           # the driver's FPGAETH_HEAD_LIES
BACK_TIMEOUT = 15       # s: traffic back after detection
FLOWS_PER_QUEUE = 12
UDP_PERIOD = 0.02       # s between two datagrams of a flow
PING_INTERVAL = 0.05
UDP_BASE = 20000

# (fault, how it is detected[, "svc": with the IP's stall watchdog off])
#   detect: "qreset" qN_resets moved; "rxerr" rxN_errors; "stalls" and
#   the other qN_ names: that per-pair counter; else that ethtool -S counter
QUEUE_FAULTS = [
    ("tx-desc-error", "qreset"),
    ("tx-buf-error", "qreset"),
    ("tx-wb-error", "qreset"),
    ("rx-desc-error", "qreset"),
    ("rx-buf-error", "qreset"),
    ("rx-wb-error", "qreset"),
    ("rx-bad-len", "rxerr"),
    ("rx-len-lie", "rxerr"),
    ("tx-stall", "stalls"),
    ("rx-stall", "stalls"),
    ("tx-stall", "stalls", "svc"),
    ("tx-head-lie", "hw_errors"),
    ("irq-lost", "irq_lost"),
]
# faults that act until cleared: cleared once detected
STICKY_LIES = ("tx-head-lie", "tx-head-back", "rx-head-back")
COUNT_FAULTS = [
    ("rx-fifo-overflow:3", "mac_rx_fifo_ovf"),
    ("rx-fcs-error:3", "mac_rx_fcs_err"),
]
PLAN = len(QUEUE_FAULTS) + len(COUNT_FAULTS) + 15
# a disabled queue goes IDLE this late (ms): far past the driver's bound
# (about 4.2 ms at MTU 1500; a bound just past it is met by a guest vCPU
# that did not run for that long) and the soft reset's (10 ms)
XSK_DRAIN_MS = 500
XSK_OBJ = os.path.join(x.REPO, "selftests", "bpf", "build", "fpgaeth_xsk_redirect.o")
XSK_BIN = os.path.join(x.REPO, "selftests", "bpf", "build", "fpgaeth_xsk")


def carrier_changes(p):
    """fe0's (in this namespace: sysfs, no process)."""
    with open("/sys/class/net/%s/carrier_changes" % p.ifname) as f:
        return int(f.read())


def known(bench, fault):
    """Inject; False if the model does not know the fault's name."""
    try:
        bench.fault(bench.a, fault)
        return True
    except Exception as e:  # noqa: BLE001
        fe.KTAP.diag("fault %s: %s" % (fault, e))
        return False


class Run:
    def __init__(self, bench):
        self.bench = bench
        self.a, self.b = bench.a, bench.b
        self.nq = self.a.channels()[0] or 1
        self.slowest = {}
        self.detect = {}
        self.pingers = []

    def start_pingers(self):
        """ping -D both ways every 50 ms: the outage of each recovery."""
        a, b = self.a, self.b
        self.pingers = [
            self.bench.background(["ping", "-D", "-i", PING_INTERVAL, "-W", 1, b.addr4],
                                  ns=a.ns, name="ping-ab"),
            self.bench.background(["ping", "-D", "-i", PING_INTERVAL, "-W", 1, a.addr4],
                                  ns=b.ns, name="ping-ba")]

    def outage(self, since):
        """The longest gap in the replies of either pinger since (epoch s)."""
        gaps = [net.reply_gap(p.output(), since) for p in self.pingers]
        return max(g if g is not None else float("inf") for g in gaps) if gaps else -1

    def stats(self):
        """fe0's ethtool -S counters (through the ioctl, no process)."""
        return net.ethtool_stats_ioctl(self.a.ifname)

    def pings_back(self, timeout, since=None):
        """Both pingers have a reply after since (epoch s; default now)."""
        since = time.time() if since is None else since
        ok, _ = net.wait_for(lambda: all(
            any(t > since for t in net.reply_stamps(p.output()))
            for p in self.pingers), timeout, 0.05)
        return ok

    def queue_moves(self, q, start, timeout):
        a = self.a
        key = ["tx%d_packets" % q, "rx%d_packets" % q]

        def moved():
            st = self.stats()
            return all(st.get(k, 0) > start.get(k, 0) for k in key)
        ok, _ = net.wait_for(moved, timeout, 0.1)
        return ok

    def inject(self, fault, detect, q=None, svc=False):
        """One injection: errors (list of strings)."""
        a, b = self.a, self.b
        st0 = self.stats()
        cc0 = carrier_changes(a)
        name = fault if q is None else "%s:%d" % (fault, q)
        t0 = time.monotonic()
        mark = time.time()
        if not known(self.bench, name):
            return None
        if detect == "qreset":
            key = "q%d_resets" % q
        elif detect == "rxerr":
            key = "rx%d_errors" % q
        elif detect in ("hw_errors", "irq_lost", "stalls"):
            key = "q%d_%s" % (q, detect)
        else:
            key = detect
        if q == 0 or q is None:
            net.send_raw(b, [net.raw_frame(a.mac, b.mac, 114)] * 3, gap=0.01)
        ok, _ = net.wait_for(lambda: self.stats().get(key, 0) > st0.get(key, 0),
                             DETECT_TIMEOUT, 0.05)
        t_det = time.monotonic() - t0
        if fault in STICKY_LIES:
            # it lies until cleared: the driver recovered at least once
            self.bench.fault(a, "clear")
        if not ok:
            self.bench.fault(a, "clear")
            return ["%s: not detected (%s did not move in %d s)" % (name, key, DETECT_TIMEOUT)]
        errs = []
        st1 = self.stats()
        back = self.pings_back(BACK_TIMEOUT, mark + t_det)
        if back and q is not None:
            back = self.queue_moves(q, st1, BACK_TIMEOUT)
        t_back = time.monotonic() - t0 - t_det
        if not back:
            errs.append("%s: traffic not back within %d s" % (name, BACK_TIMEOUT))
        st2 = self.stats()
        if st2.get("resets", 0) != st0.get("resets", 0):
            errs.append("%s: the whole IP was reset (resets %d -> %d)" % (
                name, st0.get("resets", 0), st2.get("resets", 0)))
        for o in range(self.nq):
            k = "q%d_resets" % o
            if o != q and st2.get(k, 0) != st0.get(k, 0):
                errs.append("%s: queue pair %d was reset too" % (name, o))
        if carrier_changes(a) != cc0:
            errs.append("%s: the carrier went down" % name)
        out = self.outage(mark)
        fe.KTAP.diag("recovery: %s detected %.2f s after the injection, pings and the queue "
                     "pair's counters moving %.2f s later; longest ping outage %.2f s" % (
                         name, t_det, t_back, out))
        key = fault + (SVC if svc else "")
        self.slowest[key] = max(self.slowest.get(key, 0), out)
        self.detect[key] = max(self.detect.get(key, 0), t_det)
        return errs

    def finish(self):
        """The end of a run, its traffic stopped: the longest ping outage
        per fault, both ports down, then no destroyed page pool with pages
        in flight and a clean kernel log."""
        fe.KTAP.diag("longest ping outage per fault (s): %s" % ", ".join(
            "%s %.2f" % kv for kv in sorted(self.slowest.items())))
        fe.KTAP.diag("slowest detection per queue fault (s): %s" % ", ".join(
            "%s %.2f" % kv for kv in sorted(self.detect.items())))
        for p in (self.a, self.b):
            p.ip("link", "set", "dev", p.ifname, "down")
        self.bench.check_pools_drained("no destroyed page pool with pages in flight")
        self.bench.check_dmesg()

    def case(self, fault, detect, queues, svc=False):
        errs, skipped = [], False
        old = stall_wdog(self.a, 0) if svc else None
        try:
            for _ in range(REPEAT):
                for q in queues:
                    e = self.inject(fault, detect, q, svc)
                    if e is None:
                        skipped = True
                        break
                    errs += e
                if skipped:
                    break
        finally:
            if svc:
                stall_wdog(self.a, old)
        name = "%s%s: detected, recovered, nothing else reset" % (fault, SVC if svc else "")
        if skipped:
            self.bench.t.check(name, False, "the model has no %s fault" % fault)
        else:
            self.bench.t.errors(name, errs)


SVC = " (stall watchdog off: service check)"


def stall_wdog(p, ms):
    """Set port p's debugfs stall_timeout_ms (the IP's stall watchdog,
    0: off); returns the value it had."""
    path = os.path.join(fe.DBG, p.pdev, "stall_timeout_ms")
    with open(path) as f:
        old = int(f.read())
    with open(path, "w") as f:
        f.write("%d\n" % ms)
    return old


def rx_stall_svc(r):
    """rx-stall with the IP's stall watchdog off: the RX engine holds the one
    RX FIFO for every queue, which overflows; no pair can be told from the
    others, so after 1 s of that the service check resets the whole IP, with
    a message, counted in stalls; every pair carries traffic again."""
    bench, a = r.bench, r.a
    name = "rx-stall%s: whole-IP reset with a message, counted, every pair back" % SVC
    errs = []
    old = stall_wdog(a, 0)
    try:
        for _ in range(REPEAT):
            st0, mark = r.stats(), net.dmesg_mark()
            t0 = time.monotonic()
            if not known(bench, "rx-stall:0"):
                bench.t.check(name, False, "no such fault")
                return
            ok, _ = net.wait_for(lambda: r.stats().get("resets", 0) > st0.get("resets", 0),
                                 DETECT_TIMEOUT, 0.05)
            t_det = time.monotonic() - t0
            if not ok:
                bench.fault(a, "clear")
            st1 = r.stats()
            msg = any("RX stalled" in ln for ln in net.dmesg_since(mark))
            back = net.wait_for(a.carrier, BACK_TIMEOUT, 0.1)[0] and \
                r.pings_back(BACK_TIMEOUT, time.time())
            back = back and all(r.queue_moves(q, st1, BACK_TIMEOUT) for q in range(r.nq))
            t_back = time.monotonic() - t0 - t_det
            fe.KTAP.diag("recovery: rx-stall:0%s -> %s %.2f s after the injection, "
                         "every pair's traffic back %.2f s later" % (
                             SVC, "whole-IP reset" if ok else "no reset (cleared)", t_det,
                             t_back))
            r.slowest["rx-stall" + SVC] = max(r.slowest.get("rx-stall" + SVC, 0),
                                              t_det + t_back)
            if not (ok and msg and back and st1.get("stalls", 0) > st0.get("stalls", 0)):
                errs.append("reset %s message %s back %s stalls %d -> %d" % (
                    ok, msg, back, st0.get("stalls", 0), st1.get("stalls", 0)))
    finally:
        stall_wdog(a, old)
    bench.t.errors(name, errs)


def link_flap(r):
    bench, a, b = r.bench, r.a, r.b
    errs = []
    for _ in range(REPEAT):
        res0 = r.stats().get("resets", 0)
        t0 = time.monotonic()
        bench.fault(a, "link-down")
        if not net.wait_for(lambda: not a.carrier(), DETECT_TIMEOUT, 0.05)[0]:
            errs.append("link-down: carrier stayed up")
        bench.fault(a, "link-up")
        ok = net.wait_for(a.carrier, DETECT_TIMEOUT, 0.05)[0] and r.pings_back(BACK_TIMEOUT)
        fe.KTAP.diag("recovery: link-down/up, traffic back after %.2f s" %
                     (time.monotonic() - t0))
        r.slowest["link-down/up"] = max(r.slowest.get("link-down/up", 0),
                                        time.monotonic() - t0)
        if not ok:
            errs.append("link-up: traffic not back")
        if r.stats().get("resets", 0) != res0:
            errs.append("link flap reset the IP")
    bench.t.errors("link-down/up: carrier follows, traffic back, no reset", errs)


def several_halts(r):
    """bus-error: every queue pair halts on its next descriptor read (an
    interconnect refusing the IP's master). Several pairs to recover at
    once: the whole IP is reset, with a message; after clear, pings and
    every pair carry traffic again."""
    bench, a = r.bench, r.a
    st0 = r.stats()
    mark = net.dmesg_mark()
    t0 = time.monotonic()
    if not known(bench, "bus-error"):
        bench.t.check("bus-error: several pairs halted, whole-IP reset", False,
                      "no such fault")
        return
    net.send_raw(r.b, [net.raw_frame(a.mac, r.b.mac, 114)] * 3, gap=0.01)
    ok, _ = net.wait_for(lambda: r.stats().get("resets", 0) > st0.get("resets", 0),
                         DETECT_TIMEOUT, 0.05)
    t_det = time.monotonic() - t0
    bench.fault(a, "clear")
    msg = any("several queue pairs" in ln for ln in net.dmesg_since(mark))
    mark2 = time.time()
    st1 = r.stats()
    back = net.wait_for(a.carrier, BACK_TIMEOUT, 0.1)[0] and r.pings_back(BACK_TIMEOUT, mark2)
    back = back and all(r.queue_moves(q, st1, BACK_TIMEOUT) for q in range(r.nq))
    t_back = time.monotonic() - t0 - t_det
    fe.KTAP.diag("recovery: bus-error (all pairs) -> whole-IP reset %.2f s after the "
                 "injection, every pair's traffic back %.2f s after clear" % (t_det, t_back))
    r.slowest["bus-error (all pairs)"] = t_back
    bench.t.check("bus-error: several pairs halted, whole-IP reset with a message, "
                  "every pair back after clear", ok and msg and back,
                  "reset %s message %s back %s" % (ok, msg, back))


def ip_reset(r):
    """ethtool --reset: the whole IP, as the driver's own recovery does it
    when it must (the time it takes, for comparison)."""
    bench, a = r.bench, r.a
    st0 = r.stats()
    mark = time.time()
    t0 = time.monotonic()
    rr = a.run(["ethtool", "--reset", a.ifname, "dedicated"])
    ok = net.wait_for(a.carrier, BACK_TIMEOUT, 0.05)[0] and r.pings_back(BACK_TIMEOUT)
    st1 = r.stats()
    out = r.outage(mark)
    fe.KTAP.diag("recovery: ethtool --reset (whole IP), traffic back after %.2f s, "
                 "ping outage %.2f s" % (time.monotonic() - t0, out))
    r.slowest["whole-IP reset (ethtool --reset)"] = out
    bench.t.check("ethtool --reset: resets + 1, traffic back",
                  rr.rc == 0 and ok and st1.get("resets", 0) == st0.get("resets", 0) + 1,
                  "%r back %s resets %d -> %d" % (rr, ok, st0.get("resets", 0),
                                                 st1.get("resets", 0)))


def head_lie_sticky(r):
    """A HEAD that keeps lying: queue pair 0 is recovered HEAD_LIES times
    (counted since the last whole-IP reset, run it after ip_reset), then
    its verdicts are only counted (hw_errors keeps moving), with a
    message; nothing else reset, traffic back after clear."""
    bench, a = r.bench, r.a
    st0 = r.stats()
    mark = net.dmesg_mark()
    if not known(bench, "tx-head-lie:0"):
        bench.t.check("tx-head-lie sticky: recoveries bounded", False, "no such fault")
        return
    warned = lambda: any("no longer recovered" in ln  # noqa: E731
                         for ln in net.dmesg_since(mark))
    ok1, _ = net.wait_for(warned, 3 * DETECT_TIMEOUT, 0.1)
    st1 = r.stats()
    ok2, _ = net.wait_for(lambda: r.stats().get("q0_hw_errors", 0) >
                          st1.get("q0_hw_errors", 0) + 2, DETECT_TIMEOUT, 0.1)
    st2 = r.stats()
    bench.fault(a, "clear")
    back = r.pings_back(BACK_TIMEOUT)
    qres = st2.get("q0_resets", 0) - st0.get("q0_resets", 0)
    bench.t.check("tx-head-lie sticky: %d recoveries, then only counted, with a message, "
                  "traffic back" % HEAD_LIES,
                  ok1 and ok2 and back and qres == HEAD_LIES and
                  st2.get("resets", 0) == st0.get("resets", 0),
                  "message %s hw_errors moving %s back %s q0_resets +%d resets %d -> %d" % (
                      ok1, ok2, back, qres, st0.get("resets", 0), st2.get("resets", 0)))


def down_up(r):
    """ip link down/up of fe0 (its static IPv6 address added back)."""
    a = r.a
    ok = a.ip("link", "set", "dev", a.ifname, "down") and \
        a.ip("link", "set", "dev", a.ifname, "up")
    # IPv6 drops a static address when the interface goes down
    a.ip("addr", "add", a.addr6 + "/64", "dev", a.ifname, "nodad")
    return bool(ok)


def back_or_down_up(r, mark):
    """Traffic back; if the driver said its recovery failed, after the
    down/up the message asks for (tried until it works: an IP still busy
    refuses it). (back, whether down/up was needed)"""
    a = r.a
    failed = lambda: any("recovery failed" in ln for ln in net.dmesg_since(mark))  # noqa: E731
    if not failed() and net.wait_for(a.carrier, BACK_TIMEOUT, 0.1)[0] and \
            r.pings_back(BACK_TIMEOUT):
        return True, False
    if not failed():
        return False, False
    ok = net.wait_for(lambda: down_up(r), BACK_TIMEOUT, 0.5)[0]
    return ok and net.wait_for(a.carrier, BACK_TIMEOUT, 0.1)[0] and \
        r.pings_back(BACK_TIMEOUT), True


def idle_never(r):
    """A queue pair that does not go IDLE in its recovery: message, the
    whole IP is reset. slow-drain:500: a disabled queue goes IDLE 500 ms
    later, far past the driver's bound (about 10 ms); the soft reset waits
    for that DMA too (the programming model), past its own bound: the
    driver says its recovery failed and a down/up (refused until the DMA
    has ended) brings the interface back."""
    bench, a, b = r.bench, r.a, r.b
    mark = net.dmesg_mark()
    res0 = r.stats().get("resets", 0)
    t0 = time.monotonic()
    bench.fault(a, "slow-drain:500")
    bench.fault(a, "rx-desc-error:0")
    net.send_raw(b, [net.raw_frame(a.mac, b.mac, 114)] * 3, gap=0.01)
    ok, _ = net.wait_for(lambda: r.stats().get("resets", 0) > res0,
                         DETECT_TIMEOUT, 0.05)
    bench.fault(a, "clear")
    msg = any("not idle after" in ln for ln in net.dmesg_since(mark))
    back, updown = back_or_down_up(r, mark)
    fe.KTAP.diag("recovery: queue not idle -> whole-IP reset%s, traffic back after %.2f s" % (
        " (failed: down/up)" if updown else "", time.monotonic() - t0))
    bench.t.check("a queue pair that does not go IDLE: message, whole-IP reset, traffic back",
                  ok and msg and back, "resets moved %s, 'not idle' message %s, back %s" % (
                      ok, msg, back))


def regs_all_ones(r):
    bench, a = r.bench, r.a
    st0 = r.stats()
    t0 = time.monotonic()
    if not known(bench, "regs-all-ones"):
        bench.t.check("regs-all-ones: waited for, then whole-IP reset", False, "no such fault")
        return
    ok1, _ = net.wait_for(lambda: r.stats().get("not_responding", 0) >
                          st0.get("not_responding", 0), DETECT_TIMEOUT, 0.05)
    bench.fault(a, "clear")
    ok2, _ = net.wait_for(lambda: r.stats().get("resets", 0) > st0.get("resets", 0),
                          DETECT_TIMEOUT, 0.05)
    back = net.wait_for(a.carrier, BACK_TIMEOUT, 0.1)[0] and r.pings_back(BACK_TIMEOUT)
    fe.KTAP.diag("recovery: regs-all-ones, traffic back after %.2f s" % (time.monotonic() - t0))
    r.slowest["regs-all-ones"] = time.monotonic() - t0
    bench.t.check("regs-all-ones: not_responding counted, whole-IP reset once it answers, "
                  "traffic back", ok1 and ok2 and back,
                  "not_responding %s resets %s back %s" % (ok1, ok2, back))


def reset_stuck(r):
    """A whole-IP reset (ethtool --reset) that never completes: an error and
    a message, the datapath stopped, no hang; after clear, down/up brings
    the interface back."""
    bench, a = r.bench, r.a
    mark = net.dmesg_mark()
    if not known(bench, "reset-stuck"):
        bench.t.check("reset-stuck: message, no hang, down/up recovers", False, "no such fault")
        return
    rr = a.run(["ethtool", "--reset", a.ifname, "dedicated"], timeout=60)
    msg = any("soft reset timed out" in ln for ln in net.dmesg_since(mark)) and \
        any("recovery failed" in ln for ln in net.dmesg_since(mark))
    bench.fault(a, "clear")
    t0 = time.monotonic()
    back, _ = back_or_down_up(r, mark)
    fe.KTAP.diag("recovery: reset-stuck, after clear and down/up traffic back after %.2f s" %
                 (time.monotonic() - t0))
    bench.t.check("reset-stuck: ethtool --reset fails with a message, no hang, down/up "
                  "recovers", rr.rc not in (0, 124) and msg and back,
                  "%r; messages %s; back %s" % (rr, msg, back))


def mii_read(ifname, reg):
    """SIOCGMIIPHY, then SIOCGMIIREG of reg, in this process: the value,
    or -errno."""
    import fcntl
    import socket
    import struct
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            ifr = fcntl.ioctl(s, 0x8947, struct.pack("16sHHHH8x", ifname.encode(), 0, 0, 0, 0))
            phy = struct.unpack("16sHHHH8x", ifr)[1]
            ifr = fcntl.ioctl(s, 0x8948, struct.pack("16sHHHH8x", ifname.encode(), phy, reg,
                                                     0, 0))
            return struct.unpack("16sHHHH8x", ifr)[4]
        except OSError as e:
            return -e.errno


def mdio_stuck(r):
    """The next MDIO command never completes: the read fails with
    ETIMEDOUT and a message; after clear, MDIO works. (Injected, read and
    cleared within this process, in milliseconds: phylib's own poll, once
    a second, would put the PHY in its error state with a WARN if it met
    the stuck bus.)"""
    bench, a = r.bench, r.a
    if "mdio-stuck" in os.environ.get("FPGAETH_FAULT_SKIP", "").split():
        bench.t.skip("mdio-stuck: MII read fails with ETIMEDOUT and a message, works after clear",
                     "FPGAETH_FAULT_SKIP (the debug tier: on that slow kernel phylib's "
                     "1 s poll meets the stuck bus, a WARN)")
        return
    mark = net.dmesg_mark()
    if not known(bench, "mdio-stuck"):
        bench.t.check("mdio-stuck: -ETIMEDOUT and a message", False, "no such fault")
        return
    v = mii_read(a.ifname, 1)
    bench.fault(a, "clear")
    v2 = mii_read(a.ifname, 1)
    msg = any("MDIO read" in ln and "timed out" in ln for ln in net.dmesg_since(mark))
    bench.t.check("mdio-stuck: MII read fails with ETIMEDOUT and a message, works after clear",
                  v == -110 and msg and v2 >= 0,
                  "stuck: %d; message %s; after clear: %d" % (v, msg, v2))


def irq_storm(r):
    """irq-storm on the last queue pair (its line held high with nothing
    pending): the driver disables the line and polls the pair, counted in
    qN_irq_storms, with a message; the pair carries traffic meanwhile; the
    line is tried again after 1 s (still storming: disabled and counted
    again); after clear it delivers interrupts again and the counting
    stops. No reset, and not the kernel's own "nobody cared"."""
    bench, a = r.bench, r.a
    q = r.nq - 1
    key, line = "q%d_irq_storms" % q, "q%d" % q
    st0 = r.stats()
    mark = net.dmesg_mark()
    if not known(bench, "irq-storm:%d" % q):
        bench.t.check("irq-storm: line disabled, pair polled, line back after clear",
                      False, "no such fault")
        return
    t0 = time.monotonic()
    storms = lambda: r.stats().get(key, 0) - st0.get(key, 0)  # noqa: E731
    det, _ = net.wait_for(lambda: storms() > 0, DETECT_TIMEOUT, 0.05)
    t_det = time.monotonic() - t0
    st1 = r.stats()
    moving = r.queue_moves(q, st1, BACK_TIMEOUT) and r.pings_back(BACK_TIMEOUT)
    again, _ = net.wait_for(lambda: storms() > 1, DETECT_TIMEOUT, 0.1)
    bench.fault(a, "clear")
    count = lambda: fe.device_interrupts(a.pdev).get(line, (0, 0))[1]  # noqa: E731
    c0 = count()
    back, _ = net.wait_for(lambda: count() > c0 + 20, BACK_TIMEOUT, 0.1)
    n1, c1 = storms(), count()
    calm, _ = net.wait_for(lambda: count() > c1 + 20, BACK_TIMEOUT, 0.1)
    calm = calm and storms() == n1
    st2 = r.stats()
    log = net.dmesg_since(mark)
    msg = any("interrupt storm" in ln for ln in log)
    nobody = [ln for ln in log if "nobody cared" in ln or "Disabling IRQ" in ln]
    resets = st2.get("resets", 0) - st0.get("resets", 0) + sum(
        st2.get("q%d_resets" % o, 0) - st0.get("q%d_resets" % o, 0) for o in range(r.nq))
    fe.KTAP.diag("recovery: irq-storm:%d detected %.2f s after the injection, %d times "
                 "disabled while it lasted" % (q, t_det, n1))
    r.slowest["irq-storm"] = t_det
    bench.t.check("irq-storm: line disabled and counted with a message, the pair polled, "
                  "tried again, interrupts back after clear, no reset",
                  det and msg and moving and again and back and calm and not nobody and
                  not resets,
                  "detected %s message %s traffic meanwhile %s again %s line back %s calm %s "
                  "resets %d %s" % (det, msg, moving, again, back, calm, resets, nobody[:1]))


def every_pair_moves(r):
    """Before the faults: every queue pair of fe0 carries frames both ways
    (else a pair's recovery cannot be judged)."""
    st0 = r.stats()
    keys = ["%s%d_packets" % (d, q) for q in range(r.nq) for d in ("tx", "rx")]
    # the senders' python starts meanwhile: seconds under TCG
    ok, _ = net.wait_for(lambda: all(r.stats().get(k, 0) > st0.get(k, 0) for k in keys),
                         2 * DETECT_TIMEOUT, 0.2)
    st1 = r.stats()
    still = [k for k in keys if st1.get(k, 0) <= st0.get(k, 0)]
    r.bench.t.check("traffic on every queue pair of fe0 both ways before the faults", ok,
                    "no frame in %d s on %s" % (2 * DETECT_TIMEOUT, ", ".join(still)))


def start_senders(r):
    """UDP senders both ways, FLOWS_PER_QUEUE flows on each RX queue of the
    receiver (after FPGAETH_RSS_KEY, if set, is given to both ports)."""
    bench, a, b = r.bench, r.a, r.b
    key = os.environ.get("FPGAETH_RSS_KEY")
    for p in (a, b) if key else ():
        rr = p.ethtool("-X", "hkey", key)
        if not rr:
            fe.KTAP.diag("FPGAETH_RSS_KEY: %r" % rr)
    fe.KTAP.diag("RSS key of %s: %s" % (a.id, a.rxfh()[1]))
    for src, dst in ((a, b), (b, a)):
        ports = net.rss_ports(dst, src.addr4, dst.addr4, FLOWS_PER_QUEUE, UDP_BASE, r.nq)
        bench.udp_sender(src, dst, ports, "fpgaeth-fault " * 16, UDP_PERIOD)


def xsk_bind(r, prog):
    """An AF_XDP zero-copy socket on fe0's queue 0 that waits for a frame
    (RX_N 1) until killed: (Background, whether it said "ready")."""
    a, b = r.a, r.b
    p = r.bench.background([XSK_BIN, a.ifname, 0, "zc", prog.maps["xsks"], 1, 0, a.mac,
                            b.mac], name="xsk")
    net.wait_for(lambda: "ready" in p.output() or not p.running(), 60, 0.1)
    return p, "ready" in p.output()


def xsk_reset_seen(r, st0, mark):
    """The whole IP was reset for a pair that did not stop, and traffic
    and queue pair 0 are back (after the down/up a failed reset asks
    for): (ok, what was seen)."""
    reset = r.stats().get("resets", 0) > st0.get("resets", 0)
    log = net.dmesg_since(mark)
    msg = any("not idle after" in ln for ln in log) and \
        any("a queue pair did not stop" in ln for ln in log)
    back, updown = back_or_down_up(r, mark)
    back = back and r.queue_moves(0, r.stats(), BACK_TIMEOUT)
    return reset and msg and back, "reset %s messages %s back %s%s" % (
        reset, msg, back, " (after down/up)" if updown else "")


def xsk_stuck(r):
    """Pool attach and detach on a pair that does not go IDLE."""
    bench, a = r.bench, r.a
    why = x.no_bpf()
    if why:
        for what in ("attach", "detach"):
            bench.t.skip("xsk %s on a pair that does not stop" % what, why)
        return
    prog = x.Prog(a.ifname)
    rr = prog.attach(obj=XSK_OBJ)
    if not rr or "xsks" not in prog.maps:
        for what in ("attach", "detach"):
            bench.t.fail("xsk %s on a pair that does not stop" % what, "%r" % rr)
        return
    try:
        # attach: the bind fails, the IP is reset now (the pair was left
        # disabled before)
        st0, mark = r.stats(), net.dmesg_mark()
        bench.fault(a, "slow-drain:%d" % XSK_DRAIN_MS)
        p, ready = xsk_bind(r, prog)
        bench.fault(a, "clear")
        p.kill()
        ok, seen = xsk_reset_seen(r, st0, mark)
        bench.t.check("xsk: a zero-copy bind on a pair that does not stop fails, the whole "
                      "IP is reset, traffic back", ok and not ready,
                      "bound %s; %s: %s" % (ready, seen, p.output().strip()[-200:]))
        # detach: done (the core frees the pool whatever the driver says),
        # the IP reset; the queue takes a new pool afterwards
        p, ready = xsk_bind(r, prog)
        st0, mark = r.stats(), net.dmesg_mark()
        bench.fault(a, "slow-drain:%d" % XSK_DRAIN_MS)
        p.kill()
        # the core detaches the pool from a work after the close
        net.wait_for(lambda: r.stats().get("resets", 0) > st0.get("resets", 0),
                     DETECT_TIMEOUT, 0.05)
        bench.fault(a, "clear")
        ok, seen = xsk_reset_seen(r, st0, mark)
        warn = [ln for ln in net.dmesg_since(mark) if "Failed to disable zero-copy" in ln]
        p2, again = xsk_bind(r, prog)
        p2.kill()
        bench.t.check("xsk: a zero-copy close on a pair that does not stop resets the whole "
                      "IP, no WARN, the queue takes a new pool", ready and ok and again and
                      not warn, "first bind %s; %s; %s; bind again %s: %s" % (
                          ready, seen, warn[:1], again, p2.output().strip()[-200:]))
    finally:
        prog.detach()


def body(bench):
    r = Run(bench)
    which = os.environ.get("FPGAETH_FAULT_QUEUES", "all")
    if which == "all":
        queues = list(range(r.nq))
    else:
        queues = [int(q) for q in which.split(",") if int(q) < r.nq]
    start_senders(r)
    r.start_pingers()
    every_pair_moves(r)
    for fault, detect, *svc in QUEUE_FAULTS:
        r.case(fault, detect, queues, bool(svc))
    rx_stall_svc(r)
    for fault, key in COUNT_FAULTS:
        r.case(fault, key, [None])
    link_flap(r)
    several_halts(r)
    ip_reset(r)
    head_lie_sticky(r)
    idle_never(r)
    regs_all_ones(r)
    reset_stuck(r)
    irq_storm(r)
    xsk_stuck(r)
    # last: phylib's poll meeting the stuck bus (a loaded guest widens the
    # window) leaves the PHY in its error state, the link down
    mdio_stuck(r)
    for p in bench.bg:
        p.kill()
    r.finish()


if __name__ == "__main__":
    net.main(PLAN, body)
