#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hardware that lies about completions, under traffic.

The bench of selftests/fpgaeth_fault_recovery.py (its Run: UDP flows both
ways on every queue pair of fe0, pings both ways every 50 ms; the same
injection, detection and recovery checks), for the model's faults that
make the IP report nonsense about its rings (Documentation/fpgaeth/
qemu-model.rst, "Fault injection"), each on every queue pair of fe0
(FPGAETH_FAULT_QUEUES, FPGAETH_FAULT_REPEAT as there):

- a missing completion (tx-wb-skip, rx-wb-skip: HEAD moves past a frame
  never written back): the service check sees HEAD past a frame without
  DONE, counts it (qN_hw_errors) and recovers that pair alone; traffic is
  back, nothing else reset;
- HEAD moving backwards (tx-head-back, rx-head-back, until cleared): never
  used as an index; once outside the descriptors handed over it is counted
  (qN_hw_errors) and the pair recovered as for any HEAD outside the ring;
- a duplicate completion (rx-wb-stale on pair 0, once the traffic has
  stopped: see stale_done): a frame's DONE written again into its
  descriptor once the driver posted it again: the DONE without the
  write-back's zeroed reserved word is not taken (nothing of that buffer is
  read) and counted once (rx0_errors); no recovery needed: the device
  writes that descriptor back when it gets there, and the frame is taken
  then;
- DONE beyond TAIL (tx-done-beyond, rx-done-beyond, every pair at once):
  the driver never reads past what it handed over (and posting a
  descriptor overwrites it): nothing counted, no reset, every pair moves;
- EOP on the first descriptor of a frame of several (rx-eop-early, MTU
  9000, 8000-byte pings): the frame's first buffer reaches the stack alone
  (it drops it: a truncated IP datagram), the rest, without EOP, is dropped
  up to the next EOP and counted (rxN_errors); no reset, big pings answered
  again.

At the end: no destroyed page pool with pages in flight, no splat.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_fault_recovery as fr  # noqa: E402

# (fault, counter that moves, the pair is recovered)
QUEUE_LIES = [
    ("tx-wb-skip", "hw_errors", True),
    ("rx-wb-skip", "hw_errors", True),
    ("tx-head-back", "hw_errors", False),
    ("rx-head-back", "hw_errors", False),
]
PLAN = 1 + 1 + 2 * len(QUEUE_LIES) + 2 + 3 + 2
QUIET = 2.0             # s of traffic after a fault that must change nothing
BIG_MTU, BIG_PING = 9000, 8000


def lie_case(r, fault, detect, recovered, queues):
    """fr.Run.case (detected, traffic back, nothing else reset), then: each
    pair recovered alone (qN_resets moved) or none recovered."""
    st0 = r.stats()
    r.case(fault, detect, queues)
    st1 = r.stats()
    moved = [q for q in queues
             if st1.get("q%d_resets" % q, 0) > st0.get("q%d_resets" % q, 0)]
    if recovered:
        r.bench.t.check("%s: each pair recovered (qN_resets)" % fault,
                        moved == list(queues), "recovered: %s of %s" % (moved, queues))
    elif detect == "rxerr":
        r.bench.t.check("%s: no pair recovered (not needed)" % fault, not moved,
                        "recovered: %s" % moved)
    else:
        # a HEAD outside the ring: recovered unless it lied too often
        r.bench.t.check("%s: counted per pair" % fault, all(
            st1.get("q%d_hw_errors" % q, 0) > st0.get("q%d_hw_errors" % q, 0)
            for q in queues), "")


def pending(r):
    return fe.qom_get(r.a.qom, "fault").split()


def error_counters(st, nq):
    keys = ["resets", "hw_errors"] + ["%s%d_errors" % (d, q) for q in range(nq)
                                      for d in ("tx", "rx")]
    keys += ["q%d_resets" % q for q in range(nq)]
    return {k: st.get(k, 0) for k in keys}


def stale_done(r):
    """rx-wb-stale on pair 0 of the quiet bench (the traffic stopped):
    frames of a non-IP type (RX queue 0, one at a time) until the device's
    RX_HEAD is at the descriptor with the stale DONE, which the driver,
    caught up, then reaches first. Under traffic the device mostly writes
    that descriptor back before a poll looks at it (the stale DONE is gone
    then, and with it the lie)."""
    bench, a, b = r.bench, r.a, r.b
    dev = fe.Device(a.pdev)
    size = int(a.rings()["rx"])
    frame = net.raw_frame(a.mac, b.mac, 114)

    def head():
        return dev.debugfs_regs()["Q0_RX_HEAD"]
    st0 = r.stats()
    j = head()
    bench.fault(a, "rx-wb-stale:0")
    # the frame it remembers (at j), then the next: the refill after it
    # posts j again, and the fault acts
    sent = 0
    for _ in range(10):
        net.send_raw(b, [frame])
        sent += 1
        if net.wait_for(lambda: not pending(r), 2, 0.05)[0]:
            break
    acted = not pending(r)
    h = head()
    todo = (j - h) % size
    for _ in range(todo):
        net.send_raw(b, [frame])
    sent += todo
    counted, _ = net.wait_for(
        lambda: r.stats().get("rx0_errors", 0) > st0.get("rx0_errors", 0), fr.DETECT_TIMEOUT,
        0.05)
    # the device writes it back with the next frame: taken then
    net.send_raw(b, [frame])
    sent += 1
    got, _ = net.wait_for(lambda: r.stats().get("rx0_packets", 0) - st0.get("rx0_packets", 0)
                          >= sent, fr.DETECT_TIMEOUT, 0.05)
    st1 = r.stats()
    e0, e1 = error_counters(st0, r.nq), error_counters(st1, r.nq)
    changed = {k: (e0[k], e1[k]) for k in e0 if e0[k] != e1[k]}
    bench.t.check("rx-wb-stale:0: the stale DONE not taken, counted once (rx0_errors), every "
                  "frame received, no reset", acted and counted and got and
                  changed == {"rx0_errors": (e0["rx0_errors"], e0["rx0_errors"] + 1)},
                  "acted %s (stale at %d, HEAD %d then, %d frames to it) counted %s; "
                  "frames %d, rx0_packets +%d; changed %s" % (
                      acted, j, h, todo, counted, sent,
                      st1.get("rx0_packets", 0) - st0.get("rx0_packets", 0), changed))


def done_beyond(r, fault):
    """DONE in the descriptor at TAIL of every pair: harmless, unseen."""
    bench, nq = r.bench, r.nq
    st0 = r.stats()
    for q in range(nq):
        bench.fault(r.a, "%s:%d" % (fault, q))
    consumed, _ = net.wait_for(lambda: not pending(r), fr.DETECT_TIMEOUT, 0.05)
    left = pending(r)
    bench.fault(r.a, "clear")
    st1 = r.stats()
    moving = all(r.queue_moves(q, st1, fr.BACK_TIMEOUT) for q in range(nq))
    e0 = error_counters(st0, nq)

    def changed():
        e = error_counters(r.stats(), nq)
        return {k: (e0[k], e[k]) for k in e0 if e0[k] != e[k]}
    # nothing may move: a count would come within a few service checks
    net.wait_for(changed, QUIET, 0.1)
    changed = changed()
    bench.t.check("%s on every pair: nothing counted, no reset, every pair moves" % fault,
                  consumed and moving and not changed,
                  "acted on all %s (left %s); moving %s; changed %s" % (
                      consumed, left, moving, changed))


def big_pings(r, count=3):
    """count 8000-byte pings fe1 -> fe0 (a frame of several RX buffers)."""
    return r.b.ping(r.a.addr4, count, BIG_PING)[0]


def set_mtu(r, mtu):
    return all([p.set_mtu(mtu) for p in (r.a, r.b)])


def eop_early(r):
    """EOP on the first buffer of a frame of several (every RX pair of fe0
    armed; 8000-byte pings until one of them acted)."""
    bench, nq = r.bench, r.nq
    ok = set_mtu(r, BIG_MTU) and big_pings(r)
    bench.t.check("MTU %d on both ports, %d-byte pings answered" % (BIG_MTU, BIG_PING), ok)
    st0 = r.stats()
    for q in range(nq):
        bench.fault(r.a, "rx-eop-early:%d" % q)
    acted, _ = net.wait_for(lambda: len(pending(r)) < nq or not big_pings(r, 1),
                            fr.DETECT_TIMEOUT, 0.2)
    left = pending(r)
    bench.fault(r.a, "clear")
    counted, _ = net.wait_for(lambda: sum(
        r.stats().get("rx%d_errors" % q, 0) - st0.get("rx%d_errors" % q, 0)
        for q in range(nq)) > 0, fr.DETECT_TIMEOUT, 0.1)
    back, _ = net.wait_for(lambda: big_pings(r, 1), fr.BACK_TIMEOUT, 0.1)
    st1 = r.stats()
    e0, e1 = error_counters(st0, nq), error_counters(st1, nq)
    resets = {k: (e0[k], e1[k]) for k in e0 if "resets" in k and e0[k] != e1[k]}
    bench.t.check("rx-eop-early: the rest of the frame dropped and counted (rxN_errors), "
                  "no reset, big pings answered again",
                  acted and counted and back and not resets,
                  "acted %s (left %s) counted %s back %s resets %s" % (
                      acted, left, counted, back, resets))
    bench.t.check("MTU 1500 again", set_mtu(r, 1500))


def body(bench):
    r = fr.Run(bench)
    which = os.environ.get("FPGAETH_FAULT_QUEUES", "all")
    queues = list(range(r.nq)) if which == "all" else \
        [int(q) for q in which.split(",") if int(q) < r.nq]
    fr.start_senders(r)
    r.start_pingers()
    fr.every_pair_moves(r)
    for fault, detect, recovered in QUEUE_LIES:
        lie_case(r, fault, detect, recovered, queues)
    done_beyond(r, "tx-done-beyond")
    done_beyond(r, "rx-done-beyond")
    eop_early(r)
    for p in bench.bg:
        p.kill()
    stale_done(r)
    r.finish()


if __name__ == "__main__":
    net.main(PLAN, body)
