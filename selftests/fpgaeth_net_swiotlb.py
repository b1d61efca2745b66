#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One port takes every bounce buffer; both come back when it gives them up.

The bench guest bounces every streaming DMA mapping through swiotlb
(tools/vm/run: swiotlb=16384,force: 16384 slots of 2 KiB), as a board
whose IP reaches only part of memory does. An RX page mapped by the page
pool holds its slots as long as the pool has it, so fe1 with every RX ring
at the maximum wants more slots than there are (4 queue pairs x 4096 pages
x 2 slots). The soak (README, Reliability) saw the other port stop passing
traffic then; this program asks what a user would:
- fe1's `ethtool -G rx MAX` ends in a consistent state: it succeeds with
  the new size or fails with the old one kept; the slots do run out (the
  test's premise: at least 95 % of them used; a call that failed fails
  it) and fe1 counts the pages it could not get (qstats rx-alloc-fail,
  ethtool -S rxN_alloc_fail) instead of hanging;
- fe1 shrinking its rings back (`ethtool -G rx OLD`) works although no slot
  is free (new rings need coherent memory only, no bounce slot), and within
  BACK_TIMEOUT both ports pass pings both ways again, every RX ring of both
  ports is full again and swiotlb is back under half full. (fe0 keeps the
  pages its rings hold: only its new mappings fail meanwhile, and fe1, out
  of slots, sends it nothing; the refill's retry timer is not what brings
  the rings back here: fpgaeth_mem_pressure.py, debug tier, covers it);
- no splat in the kernel log (the kernel's "swiotlb buffer is full"
  warnings are expected, not splats).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 7
SWIOTLB = "/sys/kernel/debug/swiotlb"
BACK_TIMEOUT = 10           # s: pings answered, rings full again
GROW_TIMEOUT = 300          # s: ethtool -G to the maximum (pages mapped one by one)


def swiotlb():
    """(slots, used) of the default swiotlb pool, or None."""
    try:
        with open(SWIOTLB + "/io_tlb_nslabs") as f:
            n = int(f.read())
        with open(SWIOTLB + "/io_tlb_used") as f:
            return n, int(f.read())
    except (OSError, ValueError):
        return None


def alloc_fail(port, nq):
    """(qstats rx-alloc-fail, sum of ethtool -S rxN_alloc_fail) of port."""
    q = net.qstats(port.ifindex(), ns=port.ns)[0]
    return q.get("rx-alloc-fail", 0), sum(port.queue_counters("rx", "alloc_fail", nq))


def pings_back(bench):
    a, b = bench.a, bench.b
    return all(src.ping(dst.addr4, count=1, wait=1)[0] for src, dst in ((a, b), (b, a)))


def body(bench):
    t, a, b = bench.t, bench.a, bench.b
    sw = swiotlb()
    forced = net.forced_swiotlb_slots() is not None
    rings = b.rings()
    nq = b.channels()[0]
    need = nq * rings["rx-max"] * net.swiotlb_slots_per_page()
    if not sw or not forced or need <= sw[0]:
        for _ in range(PLAN):
            t.skip("swiotlb", "no forced swiotlb smaller than %s's RX rings at their maximum "
                   "(%d slots wanted, swiotlb %s, forced %s)" % (b, need, sw, forced))
        return
    old = rings["rx"]
    fe.KTAP.diag("swiotlb: %d slots, %d used; %s at rx %d x %d queue pairs; rx %d would "
                 "want %d slots" % (sw[0], sw[1], b, old, nq, rings["rx-max"], need))
    bench.check("swiotlb: both ports pass pings before", pings_back(bench))

    f0 = alloc_fail(b, nq)
    r = b.ethtool("-G", "rx", rings["rx-max"], timeout=GROW_TIMEOUT)
    now = b.rings()["rx"]
    bench.check("swiotlb: %s ethtool -G rx %d: the new size, or an error and the old one" % (
        b, rings["rx-max"]), (r.rc == 0 and now == rings["rx-max"]) or
        (r.rc != 0 and now == old), "%r, ring now %s" % (r, now))
    # the refill maps pages until the slots run out: wait for the first failure
    ok, _ = net.wait_for(lambda: alloc_fail(b, nq) != f0, BACK_TIMEOUT, 0.2)
    sw1 = swiotlb()
    f1 = alloc_fail(b, nq)
    fe.KTAP.diag("swiotlb: %d of %d slots used after the change" % (sw1[1], sw1[0]))
    # the premise: the change took every slot (a call that failed leaves
    # nothing to test here and fails too)
    bench.check("swiotlb: the slots run out and %s counts the pages it could not map "
                "(qstats rx-alloc-fail, ethtool -S rxN_alloc_fail)" % b,
                r.rc == 0 and ok and f1[0] > f0[0] and f1[1] > f0[1] and
                sw1[1] >= sw1[0] * 95 // 100,
                "rx-alloc-fail %d -> %d, rxN_alloc_fail %d -> %d, swiotlb %s" % (
                    f0[0], f1[0], f0[1], f1[1], sw1))
    a_ok, _ = a.ping(b.addr4, count=1, wait=1)
    fe.KTAP.diag("swiotlb: while %s holds the slots, %s -> %s ping %s" % (
        b, a, b, "answered" if a_ok else "not answered"))

    r = b.ethtool("-G", "rx", old, timeout=GROW_TIMEOUT)
    bench.check("swiotlb: %s ethtool -G rx %d back with no slot free" % (b, old),
                r.rc == 0 and b.rings()["rx"] == old, "%r" % r)
    ok, secs = net.wait_for(lambda: pings_back(bench), BACK_TIMEOUT, 0.2)
    fe.KTAP.diag("swiotlb: pings both ways answered again %.1f s after the shrink" % secs)
    bench.check("swiotlb: both ports pass pings both ways within %d s" % BACK_TIMEOUT, ok)
    ok, _ = net.wait_for(lambda: not bench.rx_rings_not_full() and
                         swiotlb()[1] < swiotlb()[0] // 2, BACK_TIMEOUT, 0.2)
    bench.check("swiotlb: every RX ring of both ports full again, swiotlb under half full",
                ok, "%s; swiotlb %s" % ("; ".join(bench.rx_rings_not_full()), swiotlb()))
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
