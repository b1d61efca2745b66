#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The driver's debugfs files on the bench (/sys/kernel/debug/fpgaeth/<dev>/).

  - every file is mode 0400 (regs, q<q>/tx_ring, q<q>/rx_ring), with a
    q<q> directory per queue pair of the IP, but stall_timeout_ms (0600,
    the IP's stall watchdog time: NUM_QP x the wait of a MAX_FRAME frame
    at 10 Mb/s with 3 DMA latencies of 1 ms, 43 on the default model);
  - ring files of a running interface: state up, the descriptor table has
    exactly `size` lines (indices 0 to size - 1), size a power of two, the
    driver's and the device's head and tail within the ring, the queue
    enabled and not halted; at rest the driver's indices equal the
    device's, and the RX ring has size - 1 posted buffers (owned by the
    device, distinct non-zero addresses, a page behind each), the TX ring
    none owned by the device;
  - after traffic (pings both ways), each RX ring's head moved by the frames
    its queue received (`ethtool -S` rx<q>_packets, one buffer per frame at
    MTU 1500) and the ring is full of posted buffers again;
  - the files read "state: down" while the interface is down, and reading
    them in a loop while the interface goes down and up, runs `ethtool -t`
    and is unbound and bound again: every step succeeds, every read
    succeeds except ENOENT (or EIO, a file opened as debugfs removed it)
    while the device is unbound, reads work again
    after the bind, the reading thread ends; no splat in the kernel log.
"""
import errno
import os
import re
import stat
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 2 * 2 + 2 + 2 + 1 + 1 + 1


def read_ring(path):
    """{header key: value, "desc": [(index, owner, fields)]} of a ring file."""
    with open(path) as f:
        text = f.read()
    ring = {"desc": [], "text": text}
    for line in text.splitlines():
        m = re.match(r"^\s*(\d+) (hw|sw) (.*)$", line)
        if m:
            ring["desc"].append((int(m.group(1)), m.group(2), m.group(3)))
            continue
        m = re.match(r"^(\w+): (.*)$", line)
        if m:
            v = m.group(2).split()[0]
            ring[m.group(1)] = int(v, 0) if re.match(r"^(0x)?[0-9a-f]+$", v) else m.group(2)
            ring[m.group(1) + "_text"] = m.group(2)
    return ring


def ring_errors(ring, what, rx, at_rest):
    errs = []
    size = ring.get("size")
    if ring.get("state") != "up":
        return ["%s: state %r" % (what, ring.get("state"))]
    if not isinstance(size, int) or size < 8 or size & (size - 1):
        return ["%s: size %r" % (what, size)]
    idx = [d[0] for d in ring["desc"]]
    if idx != list(range(size)):
        errs.append("%s: %d descriptor lines for size %d" % (what, len(idx), size))
    for k in ("sw_head", "sw_tail", "hw_head", "hw_tail"):
        if not isinstance(ring.get(k), int) or not 0 <= ring[k] < size:
            errs.append("%s: %s %r not within the ring" % (what, k, ring.get(k)))
    if "ENABLE" not in ring.get("hw_ctrl_text", "").split():
        errs.append("%s: queue not enabled: %r" % (what, ring.get("hw_ctrl_text")))
    if "HALTED" in ring.get("hw_status_text", "").split():
        errs.append("%s: halted: %r" % (what, ring.get("hw_status_text")))
    if errs or not at_rest:
        return errs
    if (ring["sw_head"], ring["sw_tail"]) != (ring["hw_head"], ring["hw_tail"]):
        errs.append("%s: at rest sw head/tail %d/%d, hw %d/%d" % (
            what, ring["sw_head"], ring["sw_tail"], ring["hw_head"], ring["hw_tail"]))
    owned = [d for d in ring["desc"] if d[1] == "hw"]
    marks = {k: [d[0] for d in ring["desc"] if "<" + k in d[2].split()]
             for k in ("sw_head", "sw_tail", "hw_head", "hw_tail")}
    for k, v in marks.items():
        if v != [ring[k]]:
            errs.append("%s: %s marked at %s, header %d" % (what, k, v, ring[k]))
    if rx:
        if len(owned) != size - 1:
            errs.append("%s: %d descriptors owned by the device, want %d" % (
                what, len(owned), size - 1))
        addrs = []
        for i, _o, f in owned:
            m = re.match(r"^posted addr=0x([0-9a-f]+) buf_len=(\d+) status=0x0000 page", f)
            if not m or not int(m.group(1), 16) or not int(m.group(2)):
                errs.append("%s: descriptor %d owned by the device is %r" % (what, i, f))
            else:
                addrs.append(m.group(1))
        if len(set(addrs)) != len(addrs):
            errs.append("%s: posted buffers share addresses" % what)
    elif owned:
        errs.append("%s: %d TX descriptors owned by the device at rest" % (what, len(owned)))
    return errs


def port_rings(port, nq):
    base = os.path.join(fe.DBG, port.pdev)
    return {(q, d): read_ring(os.path.join(base, "q%d" % q, "%s_ring" % d))
            for q in range(nq) for d in ("tx", "rx")}


def settle(port, nq):
    """Rings at rest: sw == hw for every ring (frames may be in flight)."""
    def rest():
        rings = port_rings(port, nq)
        return all(r.get("sw_head") == r.get("hw_head") and r.get("sw_tail") == r.get("hw_tail")
                   for r in rings.values())
    net.wait_for(rest, 10, 0.3)
    return port_rings(port, nq)


def rx_counts(port, nq):
    return port.queue_counters("rx", nq=nq)


def quiet_snapshot(port, nq, tries=20):
    """Rings at rest and the per-queue RX frame counters, read with no frame
    received in between (a stray frame, e.g. IPv6 neighbour discovery,
    would otherwise count on one side of the pair only): (rings, counts)."""
    for _ in range(tries):
        before = rx_counts(port, nq)
        rings = settle(port, nq)
        after = rx_counts(port, nq)
        if before == after:
            break
    return rings, after


def stall_timeout_ms(p):
    """The stall watchdog time the programming model gives for port p's
    model: NUM_QP x (the wire time of a MAX_FRAME frame at 10 Mb/s, 0.8 us
    a byte with preamble, FCS and gap, plus 3 DMA latencies of 1 ms), in
    whole ms."""
    nq = int(fe.qom_get(p.qom, "num-queues"))
    frame_us = -(-(int(fe.qom_get(p.qom, "max-frame")) + 24) * 8 // 10) + 3000
    return min(max(-(-nq * frame_us // 1000), 1), 0xffff)


def body(bench):
    t = bench.t
    a, b = bench.a, bench.b

    for p in (a, b):
        nq = int(fe.qom_get(p.qom, "num-queues"))
        base = os.path.join(fe.DBG, p.pdev)
        want = {"regs", "stall_timeout_ms"} | {"q%d/%s_ring" % (q, d) for q in range(nq)
                                                for d in ("tx", "rx")}
        found, errs = set(), []
        for root, _dirs, files in os.walk(base):
            for f in files:
                rel = os.path.relpath(os.path.join(root, f), base)
                found.add(rel)
                mode = stat.S_IMODE(os.stat(os.path.join(root, f)).st_mode)
                if mode != (0o600 if rel == "stall_timeout_ms" else 0o400):
                    errs.append("%s mode %o" % (rel, mode))
        if "stall_timeout_ms" in found:
            with open(os.path.join(base, "stall_timeout_ms")) as f:
                ms = f.read().strip()
            want_ms = stall_timeout_ms(p)
            if ms != str(want_ms):
                errs.append("stall_timeout_ms reads %r, not %d" % (ms, want_ms))
        errs += ["missing %s" % x for x in sorted(want - found)]
        errs += ["unexpected %s" % x for x in sorted(found - want)]
        t.errors("debugfs: %s files are exactly regs and q<q>/{tx,rx}_ring, mode 0400, "
                 "and stall_timeout_ms, 0600, the bound from MAX_FRAME and NUM_QP" % p.id, errs)

        rings = settle(p, nq)
        errs = []
        for (q, d), r in sorted(rings.items()):
            errs += ring_errors(r, "q%d/%s_ring" % (q, d), d == "rx", True)
        t.errors("debugfs: %s ring files at rest: sane indices, size lines, RX full of "
                 "posted buffers" % p.id, errs)

    # traffic: RX heads move by the frames received
    nq = int(fe.qom_get(a.qom, "num-queues"))
    snap0 = {p.id: quiet_snapshot(p, nq) for p in (a, b)}
    ok4 = bench.check_ping("debugfs: traffic a -> b", a, b.addr4, count=20, interval=0.05)
    ok6 = bench.check_ping("debugfs: traffic b -> a", b, a.addr6, count=20, interval=0.05)
    for p in (a, b):
        rings1, rx1 = quiet_snapshot(p, nq)
        rings0, rx0 = snap0[p.id]
        errs, moved = [], 0
        for q in range(nq):
            r0, r1 = rings0[(q, "rx")], rings1[(q, "rx")]
            errs += ring_errors(r1, "q%d/rx_ring" % q, True, True)
            size = r1.get("size") or 1
            frames = rx1[q] - rx0[q]
            delta = (r1.get("hw_head", 0) - r0.get("hw_head", 0)) % size
            moved += frames
            if delta != frames % size:
                errs.append("q%d: RX head %s -> %s (moved %d), %d frames received" % (
                    q, r0.get("hw_head"), r1.get("hw_head"), delta, frames))
        if moved < 20:
            errs.append("only %d frames received" % moved)
        t.errors("debugfs: %s RX ring heads follow the %d frames received; rings refilled"
                 % (p.id, moved), errs if ok4 and ok6 else errs + ["traffic failed"])

    # down: the files say so; then read in a loop through down/up, the
    # self-test and unbind/bind
    r = a.ip("link", "set", "dev", a.ifname, "down")
    down = port_rings(a, nq)
    errs = ["%s: %r" % (k, v.get("state")) for k, v in down.items() if v.get("state") != "down"]
    a.ip("link", "set", "dev", a.ifname, "up")
    t.errors("debugfs: %s ring files say \"state: down\" while the interface is down" % a.id,
             errs if r else ["ip link set down: %r" % r])

    stress(bench, a, nq)


READ_STRESS_JOIN = 60


def stress(bench, a, nq):
    """Read every debugfs file of a in a loop (another thread) while the
    interface goes down and up, `ethtool -t` runs, and the device is
    unbound and bound again: every step succeeds, every read succeeds but
    while the device is unbound (the files are gone: ENOENT, or EIO for one
    opened as it went), reads succeed
    again after the bind, the reader ends, the kernel log has no splat."""
    stop = threading.Event()
    phase = ["up"]
    reads, errors = {}, []
    rels = ["regs"] + ["q%d/%s_ring" % (q, d) for q in range(nq) for d in ("tx", "rx")]

    def reader():
        while not stop.is_set():
            for rel in rels:
                ph = phase[0]
                try:
                    with open(os.path.join(fe.DBG, a.pdev, rel)) as f:
                        f.read()
                    reads[ph] = reads.get(ph, 0) + 1
                except OSError as e:
                    # while unbound (and racing the unbind or the bind) a
                    # file may be gone: ENOENT, or EIO for a file opened
                    # just before debugfs removed it (debugfs_file_get());
                    # never anything else
                    if not (ph in ("unbind", "unbound", "bind") and
                            e.errno in (errno.ENOENT, errno.ENODEV, errno.EIO)):
                        errors.append("%s during %s: %s" % (rel, ph, e))
    th = threading.Thread(target=reader)
    th.start()
    steps = []
    try:
        for i in range(3):
            phase[0] = "down/up %d" % i
            for st in ("down", "up"):
                r = a.ip("link", "set", "dev", a.ifname, st)
                steps.append(("ip link set %s" % st, bool(r), r))
        # (its link test wants the carrier back)
        net.wait_for(a.carrier, net.CARRIER_TIMEOUT, 0.2)
        phase[0] = "ethtool -t"
        r = a.run(["ethtool", "-t", a.ifname, "offline"], timeout=120)
        steps.append(("ethtool -t offline", bool(r), r))
        phase[0] = "unbind"
        fe.unbind(a.pdev)
        phase[0] = "unbound"
        steps.append(("unbind", not fe.is_bound(a.pdev), "still bound"))
        phase[0] = "bind"
        fe.bind(a.pdev)
        steps.append(("bind", fe.is_bound(a.pdev), "not bound"))
        phase[0] = "bound again"
        ok, _s = net.wait_for(lambda: reads.get("bound again", 0) >= len(rels), 30, 0.2)
        steps.append(("reads after the bind", ok, "%d reads" % reads.get("bound again", 0)))
    finally:
        stop.set()
        th.join(READ_STRESS_JOIN)
    errs = ["%s failed: %r" % (what, why) for what, ok, why in steps if not ok]
    if th.is_alive():
        errs.append("the reader did not end within %d s (a read blocks)" % READ_STRESS_JOIN)
    errs += errors
    fe.KTAP.diag("debugfs: reads per phase %s" % reads)
    if sum(reads.values()) < len(rels):
        errs.append("only %d reads" % sum(reads.values()))
    bench.t.errors("debugfs: reads succeed through down/up, ethtool -t, unbind (ENOENT/EIO only) "
                   "and bind; every step succeeded, the reader ended", errs)
    bench.check_dmesg("debugfs: no splat reading the files through down/up, ethtool -t, "
                      "unbind and bind")


if __name__ == "__main__":
    net.main(PLAN, body)
