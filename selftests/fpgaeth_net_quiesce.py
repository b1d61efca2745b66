#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The driver never reprograms or frees a queue the IP is still working on.

Programming model 1.1: clearing a queue's ENABLE lets the frame in progress
finish; TX_STATUS/RX_STATUS.IDLE says when the engine has no DMA of the
queue outstanding, and only then may the driver unmap or free what the
queue's descriptors point at. The model cannot see a free, but it sees what
a driver that frees early does next: it programs BASE/SIZE or sets ENABLE
again while the queue is not IDLE, or writes registers while SOFT_RESET
reads 1. Each is counted in the model's read-only QOM property
protocol-errors.

A queue must stay busy long after its disable for a driver that does not
wait to be caught (at 1 Gb/s a 1514-byte frame is done in 12 us, before
any driver has freed and reprogrammed anything): fe0 gets the model's
slow-drain:5 fault (every disabled queue becomes IDLE only 5 ms later, as
behind a congested interconnect; the driver's bound is about 11.7 ms), is
forced to 10 Mb/s and both ends run at MTU 9000, so that a TX frame also
takes 7.2 ms on the line. Then,
with an iperf3 stream and ping floods running both ways, fe0 goes through
every path that stops its queues: MTU 9000 and back, ethtool -G, ethtool -L,
the offline self-test, ip link down/up, a recovery (an RX descriptor bus
error halts queue 0: queue pair 0 alone is disabled, waited for, reclaimed
and restarted) and a reset of the whole IP (ethtool --reset). After each, the
protocol-errors of both instances must not have moved, and the kernel log
must not say that a queue failed to go idle (the driver's fallback, a
soft reset, is for broken hardware, not for the model). Traffic still
flows at the end.

On a model without protocol-errors (before 1.1) every case is skipped.
"""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PORT = 5203
PLAN = 4
RECOVERY_TIMEOUT = 20   # s: carrier back after the IP reset
TRAFFIC_BYTES = 256 << 10  # moved on the wire before each step: the queues are busy
TRAFFIC_SECS = 600  # stream and floods outlast the steps (killed after them)


def protocol_errors(port):
    try:
        return int(fe.qmp("qom-get", path=port.qom, property="protocol-errors"))
    except Exception:   # noqa: BLE001 - no such property: an older model
        return None


def body(bench):
    a, b = bench.a, bench.b
    if protocol_errors(a) is None:
        for _ in range(PLAN):
            bench.t.check("quiesce", False, "the model has no protocol-errors property")
        return
    num_q = a.channels()[0] or 4
    ring = a.rings()["tx"] or 256

    def recovery():
        resets0 = a.ethtool_stats().get("queue_resets", 0)
        bench.fault(a, "rx-desc-error:0")
        # frames of a non-IP type are not hashed: they take RX queue 0, so the
        # fault fires now and not whenever the streams' hashes happen to hit it
        net.send_raw(b, [net.raw_frame(a.mac, b.mac, 114)] * 3, gap=0.01)
        ok, _ = net.wait_for(lambda: a.ethtool_stats().get("queue_resets", 0) > resets0,
                             RECOVERY_TIMEOUT, 0.2)
        net.wait_for(a.carrier, RECOVERY_TIMEOUT, 0.2)
        return ok

    def link_down_up():
        ok = a.ip("link", "set", "dev", a.ifname, "down") and \
            a.ip("link", "set", "dev", a.ifname, "up")
        # IPv6 drops a static address when the interface goes down
        # (keep_addr_on_down 0): add it back
        a.ip("addr", "add", a.addr6 + "/64", "dev", a.ifname, "nodad")
        return ok

    steps = [
        ("mtu 1500", lambda: a.set_mtu(1500)),
        ("mtu 9000", lambda: a.set_mtu(9000)),
        ("ethtool -G %d" % (ring // 2), lambda: a.ethtool("-G", "tx", ring // 2,
                                                      "rx", ring // 2)),
        ("ethtool -G %d" % ring, lambda: a.ethtool("-G", "tx", ring, "rx", ring)),
        ("ethtool -L 1", lambda: a.ethtool("-L", "combined", 1)),
        ("ethtool -L %d" % num_q, lambda: a.ethtool("-L", "combined", num_q)),
        ("ethtool -t offline", lambda: a.ethtool("-t", "offline")),
        ("link down/up", link_down_up),
        ("recovery", recovery),
        ("ethtool --reset", lambda: a.ethtool("--reset", "dedicated") and
         net.wait_for(a.carrier, RECOVERY_TIMEOUT, 0.2)[0]),
    ]

    for p in (a, b):
        p.set_mtu(9000)
    r = a.ethtool("-s", "speed", 10, "duplex", "full", "autoneg", "off")
    if not r or not net.wait_for(lambda: a.carrier() and b.carrier(), RECOVERY_TIMEOUT,
                                 0.2)[0]:
        fe.KTAP.diag("cannot force 10 Mb/s: %r" % r)
    fe.KTAP.diag("%s MAC_CFG %#x (SPEED 0: 10 Mb/s)" % (a, a.regs().get("MAC_CFG", -1)))
    bench.fault(a, "slow-drain:5")
    try:
        steps_under_traffic(bench, steps)
    finally:
        bench.fault(a, "clear")
        a.ethtool("-s", "autoneg", "on")
        for p in (a, b):
            p.set_mtu(1500)


def steps_under_traffic(bench, steps):
    a, b = bench.a, bench.b
    stream, floods = bench.stream_and_floods(TRAFFIC_SECS, PORT)
    bad, failed = [], []
    # the traffic runs: b receives the stream, a the IPv6 flood; a step
    # without traffic proves nothing (case 1 fails)
    for port in (b, a):
        ok, moved, secs = bench.moves(port, "rx", TRAFFIC_BYTES, RECOVERY_TIMEOUT)
        if not ok:
            failed.append("no traffic before the first step: %s received %d bytes in %.0f s, "
                          "want %d" % (port, moved, secs, TRAFFIC_BYTES))
    flowing = not failed
    mark = net.dmesg_mark()
    base = {p.id: protocol_errors(p) for p in (a, b)}
    for name, step in steps:
        r = step()
        if not r:
            failed.append("%s: %r" % (name, r))
        now = {p.id: protocol_errors(p) for p in (a, b)}
        for p in (a, b):
            if now[p.id] != base[p.id]:
                bad.append("%s: %s protocol-errors %d -> %d" % (name, p.id, base[p.id],
                                                               now[p.id]))
        base = now
        # the traffic fills the queues again before the next stop (once it
        # did not, the later steps are not waited for again)
        if flowing:
            flowing, moved, secs = bench.moves(b, "rx", TRAFFIC_BYTES, RECOVERY_TIMEOUT)
            if not flowing:
                failed.append("no traffic after %s: %s received %d bytes in %.0f s, want %d"
                              % (name, b, moved, secs, TRAFFIC_BYTES))
    for bg in floods + [stream]:
        bg.kill(signal.SIGINT)
    for e in failed:
        fe.KTAP.diag(e)
    bench.check("quiesce: every step succeeded under traffic", not failed,
                failed[0] if failed else "")
    for e in bad:
        fe.KTAP.diag(e)
    bench.check("quiesce: no protocol error (queue reprogrammed or re-enabled before "
                "IDLE, write during a soft reset) on either instance", not bad,
                "%d steps with errors" % len(bad))
    lines = [l for l in net.dmesg_since(mark)
             if re.search(r"not idle after|resetting the IP to stop|soft reset timed out", l)]
    for l in lines:
        fe.KTAP.diag(l)
    bench.check("quiesce: every queue went idle within the bound (no fallback reset)",
                not lines, lines[0] if lines else "")
    net.wait_for(lambda: a.carrier() and b.carrier(), RECOVERY_TIMEOUT, 0.2)
    lost = ["%s -> %s" % sd for sd in ((a, b.addr4), (b, a.addr6))
            if not bench.settle(*sd, tries=10)]
    bench.check("quiesce: pings answered both ways afterwards", not lost,
                "unanswered: %s" % ", ".join(lost))


if __name__ == "__main__":
    net.main(PLAN, body)
