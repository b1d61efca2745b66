#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`ethtool -t` on the bench: the driver's self-test.

  - `ethtool -t DEV offline` passes on both ports with the four named
    results (register, interrupt, loopback, link) all 0; afterwards the
    interface is as before (up, carrier, MTU, addresses), so are its
    registers (debugfs regs, read at rest before and after: no queue
    pair's NAPI poll pending; not compared: counters, the queues' BASE,
    which point at the new rings, and what moves with any frame or with
    phylib's MDIO polls), and it passes traffic both ways;
  - the loopback frames went through every TX ring in use, some of them in
    several descriptors (scatter-gather: the debugfs tx_ring files show
    descriptors without EOP right after the test);
  - at MTU 9000 the loopback frames span several RX buffers: still passes;
  - with the model's `loopback-corrupt` fault (one payload byte flipped in
    internal loopback) the loopback test fails and the others pass; after
    `loopback-ok` it passes again;
  - `ethtool -t DEV online` passes with link; with the backend's link down
    (carrier off) its link test fails; with the link back, traffic flows.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 2 * 4 + 1 + 2 + 3 + 4 + 1
TESTS = ["Register test  (offline)", "Interrupt test (offline)",
         "Loopback test  (offline)", "Link test   (on/offline)"]
LOOPBACK = TESTS[2]
LINK = TESTS[3]
# registers that change without the self-test doing anything wrong
# (and the statistics counters)
NOT_KEPT = re.compile(r"^(MDIO_CMD|MDIO_DATA|MISC_IRQ_STATUS|QUEUE_IRQ_SUMMARY|"
                      r"Q\d+_(TX_HEAD|TX_TAIL|RX_HEAD|RX_TAIL|IRQ_STATUS|RX_NOBUF|TX_DISCARDS|"
                      r"TX_BASE_LO|TX_BASE_HI|RX_BASE_LO|RX_BASE_HI))$")


def self_test(port, mode):
    """(PASS/FAIL/None, {name: result}, output) of `ethtool -t`."""
    r = port.run(["ethtool", "-t", port.ifname, mode], timeout=120)
    m = re.search(r"The test result is (PASS|FAIL)", r.out)
    res = {}
    for line in r.out.splitlines():
        m2 = re.match(r"^(.*\S)\s+(-?\d+)$", line)
        if m2 and m2.group(1) in TESTS:
            res[m2.group(1)] = int(m2.group(2))
    return (m.group(1) if m else None), res, r.out


def expect(t, name, port, mode, failing=()):
    """ethtool -t passes (failing empty) or fails with exactly the tests in
    failing non-zero; every named result present."""
    verdict, res, out = self_test(port, mode)
    want = "FAIL" if failing else "PASS"
    errs = []
    if verdict != want:
        errs.append("result %s, want %s" % (verdict, want))
    if sorted(res) != sorted(TESTS):
        errs.append("named results %s" % sorted(res))
    for k, v in res.items():
        if (v != 0) != (k in failing):
            errs.append("%r = %d" % (k, v))
    if errs:
        for line in out.strip().splitlines():
            fe.KTAP.diag("ethtool -t: " + line)
    return t.errors(name, errs)


def state(port):
    link = port.link() or {}
    return {"flags": sorted(link.get("flags", [])), "mtu": link.get("mtu"),
            "operstate": link.get("operstate"), "addresses": sorted(port.addresses())}


def regs_at_rest(dev, keep):
    """{name: value} of dev's debugfs regs for which keep(name) is true, read
    at rest: no queue pair's IRQ_ENABLE 0 (it is 0 while the pair's NAPI
    poll is scheduled, whatever frame brought it: the peer's traffic, a
    delayed TX completion) and two reads 0.1 s apart equal. After 3 s the
    last read, as it is: an IRQ_ENABLE the self-test left 0 stays 0."""
    last = None
    for _ in range(30):
        regs = {k: v for k, v in dev.debugfs_regs().items() if keep(k)}
        busy = [k for k, v in regs.items() if re.match(r"^Q\d+_IRQ_ENABLE$", k) and not v]
        if regs == last and not busy:
            break
        last = regs
        time.sleep(0.1)
    return regs


def body(bench):
    t = bench.t
    a, b = bench.a, bench.b
    stats = {r.name for r in fe.parse_spec()[0] if r.block == "stats"}

    def kept(name):
        return name not in stats and not NOT_KEPT.match(name)

    for p in (a, b):
        before = state(p)
        dev = fe.Device(p.pdev)
        regs0 = regs_at_rest(dev, kept)
        expect(t, "selftest: %s offline passes, all results 0" % p.id, p, "offline")
        regs1 = regs_at_rest(dev, kept)
        t.errors("selftest: %s registers as before" % p.id,
                 ["%s %#010x -> %#010x" % (k, v, regs1.get(k, -1)) for k, v in regs0.items()
                  if regs1.get(k) != v])
        ok, _s = net.wait_for(lambda: state(p) == before, net.CARRIER_TIMEOUT, 0.2)
        t.check("selftest: %s interface as before (%s)" % (p.id, " ".join(before["flags"])),
                ok, "before %s after %s" % (before, state(p)))
        other = b if p is a else a
        bench.check_ping("selftest: %s passes traffic afterwards" % p.id, p, other.addr4,
                         count=3, interval=0.2)

    # right after a run, the TX rings hold the loopback frames
    nq = int(fe.qom_get(a.qom, "num-queues"))
    verdict, _res, _out = self_test(a, "offline")
    errs = [] if verdict == "PASS" else ["ethtool -t: %s" % verdict]
    for q in range(nq):
        with open(os.path.join(fe.DBG, a.pdev, "q%d" % q, "tx_ring")) as f:
            descs = [ln for ln in f if re.match(r"^\s*\d+ (hw|sw) addr=", ln)]
        used = [ln for ln in descs if "DONE" in ln.split() or "EOP" in ln.split()]
        sg = [ln for ln in descs if re.search(r" len=[1-9]\d* flags=0x0000$", ln.rstrip())]
        if not used or not sg:
            errs.append("q%d: %d descriptors used, %d without EOP" % (q, len(used), len(sg)))
    t.errors("selftest: %s loopback used every TX ring, with multi-descriptor frames" % a.id,
             errs)

    # jumbo frames: loopback through several RX buffers per frame
    r = a.set_mtu(9000)
    expect(t, "selftest: %s offline passes at MTU 9000" % a.id, a, "offline")
    r2 = a.set_mtu(1500)
    t.check("selftest: %s MTU set to 9000 and back" % a.id, bool(r) and bool(r2), "%r %r" % (r, r2))

    bench.fault(a, "loopback-corrupt")
    expect(t, "selftest: %s offline with loopback-corrupt: loopback fails, the rest pass"
           % a.id, a, "offline", failing=(LOOPBACK,))
    bench.fault(a, "loopback-ok")
    expect(t, "selftest: %s offline after loopback-ok passes" % a.id, a, "offline")
    ok, _s = net.wait_for(a.carrier, net.CARRIER_TIMEOUT, 0.2)
    bench.check_ping("selftest: %s passes traffic after the fault" % a.id, a, b.addr4,
                     count=3, interval=0.2)

    expect(t, "selftest: %s online passes with link" % a.id, a, "online")
    bench.set_link(a, False)
    ok, _s = net.wait_for(lambda: not a.carrier(), net.CARRIER_TIMEOUT, 0.2)
    t.check("selftest: %s carrier off with the backend link down" % a.id, ok)
    expect(t, "selftest: %s online with link down: link test fails" % a.id, a, "online",
           failing=(LINK,))
    bench.set_link(a, True)
    ok, _s = net.wait_for(lambda: a.carrier() and b.carrier(), net.CARRIER_TIMEOUT, 0.2)
    bench.check_ping("selftest: %s passes traffic with the link back" % a.id, a, b.addr4,
                     count=3, interval=0.2)
    bench.check_dmesg(extra_re=None)


if __name__ == "__main__":
    net.main(PLAN, body)
