#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""No counter of the driver goes backwards: not across down/up, an MTU
change, the recovery of a halted RX queue (that queue pair alone), nor a
recovery that resets the whole IP (the IP's own counters return to 0 and
the driver must keep its totals).

On fe0's interface, for each event: traffic, snapshot, event, carrier and a
ping answered again, traffic, snapshot. A snapshot is every `ethtool -S`
counter (per-queue software counters, the MAC counters mac_*, page pool
counters), every `ip -s -s link` counter (ndo_get_stats64) and every
device-scope netlink qstats value. Every counter in both snapshots must be
>= its value before, and mac_rx_frames_ok, mac_tx_frames_ok, the stats64
and qstats packet counts must have grown (the snapshots are live).

Events:
  1. ip link set down / up
  2. MTU 1500 -> 9000 (rings rebuilt)
  3. fault rx-desc-error:0 and frames to RX queue 0 (AF_PACKET from fe1,
     a non-IP ethertype: RSS sends those to queue 0): the queue halts, the
     driver recovers that queue pair alone (`queue_resets` + 1)
  4. fault tx-stall on every TX queue and pings from fe0: the service
     check finds the stalled queue and recovers it alone (`queue_resets`
     + 1), or resets the IP if it found several at once (`resets` + 1);
     then `ethtool --reset` resets the whole IP (`resets` + 1). The
     debugfs register dump must then show RX_FRAMES_OK (bits 31:0 of the
     IP's counter) below the driver's mac_rx_frames_ok: the IP's counter
     did restart from 0, so the totals had to be carried over.

Last, the kernel log has no splat.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 8
RESET_TIMEOUT = 90          # the service check (1 s) and the reset work under TCG
MUST_GROW = ("ethtool/mac_rx_frames_ok", "ethtool/mac_tx_frames_ok", "stats64/rx/packets",
             "stats64/tx/packets", "qstats/rx-packets", "qstats/tx-packets")


def snapshot(p):
    out = {"ethtool/" + k: v for k, v in p.ethtool_stats().items()}
    for d, vals in p.stats64().items():
        for k, v in vals.items():
            out["stats64/%s/%s" % (d, k)] = v
    dev = net.qstats(p.ifindex(), ns=p.ns)
    for k, v in (dev[0] if dev else {}).items():
        if k != "ifindex":
            out["qstats/" + k] = v
    return out


def traffic(bench):
    """Pings both ways and some frames of a non-IP type from fe1 to fe0."""
    a, b = bench.a, bench.b
    a.ping(b.addr4, count=5, interval=0.1)
    b.ping(a.addr4, count=5, interval=0.1)
    send_raw(b, a, 5)


def send_raw(snd, rcv, n):
    """n frames of a non-IP type from snd to rcv (RSS: queue 0)."""
    net.send_raw(snd, [net.raw_frame(rcv.mac, snd.mac, 114)] * n, gap=0.01)


def resets(p, which="resets"):
    return p.ethtool_stats().get(which, 0)


def wait_reset(p, before, which="resets"):
    ok, secs = net.wait_for(lambda: resets(p, which) > before, RESET_TIMEOUT, 0.5)
    fe.KTAP.diag("%s: %s %d -> %d after %.1f s" % (p, which, before, resets(p, which), secs))
    return ok


def back_up(bench):
    """Carrier on both ends and pings answered again."""
    a, b = bench.a, bench.b
    ok, _ = net.wait_for(lambda: a.carrier() and b.carrier(), net.CARRIER_TIMEOUT + 20, 0.2)
    return ok and not bench.settle_all([(a, b.addr4)])


def compare(before, after):
    errs = []
    for k in sorted(before):
        if k in after and after[k] < before[k]:
            errs.append("%s went back from %d to %d" % (k, before[k], after[k]))
    for k in MUST_GROW:
        if k not in before or k not in after:
            errs.append("%s missing" % k)
        elif after[k] <= before[k]:
            errs.append("%s did not grow (%d): the snapshots are not live" % (k, after[k]))
    return errs


def event(bench, name, action):
    """Traffic, snapshot, action() (returns an error or None), back up,
    traffic, snapshot: one test case. Returns the snapshot after."""
    a = bench.a
    traffic(bench)
    before = snapshot(a)
    err = action()
    up = back_up(bench)
    traffic(bench)
    after = snapshot(a)
    errs = ([err] if err else []) + ([] if up else ["no carrier or no ping answered after"])
    errs += compare(before, after)
    moved = ["%s +%d" % (k[8:], after[k] - before[k]) for k in
             ("ethtool/mac_rx_frames_ok", "ethtool/mac_tx_frames_ok", "ethtool/resets",
              "ethtool/queue_resets")
             if k in after and k in before]
    fe.KTAP.diag("%s: %s" % (name, ", ".join(moved)))
    bench.t.errors("%s: no counter went backwards" % name, errs)
    return after


def body(bench):
    a, b = bench.a, bench.b
    t = bench.t

    def down_up():
        r = net.ip_batch([["link", "set", "dev", a.ifname, "down"],
                          ["link", "set", "dev", a.ifname, "up"]])
        return None if r else repr(r)

    def mtu():
        r = a.set_mtu(9000)
        r2 = b.set_mtu(9000)
        return None if r and r2 else "%r %r" % (r, r2)

    state = {}

    def rx_fault():
        n, whole = resets(a, "queue_resets"), resets(a)
        bench.fault(a, "rx-desc-error:0")
        send_raw(b, a, 3)
        state["rx"] = wait_reset(a, n, "queue_resets") and resets(a) == whole
        return None if state["rx"] else "no queue recovery within %d s (or an IP reset)" % \
            RESET_TIMEOUT

    def tx_stall():
        n, whole = resets(a, "queue_resets"), resets(a)
        nq = len([q for q in os.listdir("/sys/class/net/%s/queues" % a.ifname)
                  if q.startswith("tx-")])
        for q in range(nq):
            bench.fault(a, "tx-stall:%d" % q)
        # whatever queue the pings take stalls; the service check finds it
        bg = bench.background(net.Port.ping_argv(b.addr4, count=100, interval=0.2, wait=1),
                              name="ping-stall")
        # one stalled pair is recovered alone, several found at once reset
        # the IP: either is a recovery
        stalled, secs = net.wait_for(lambda: resets(a, "queue_resets") > n or
                                     resets(a) > whole, RESET_TIMEOUT, 0.5)
        fe.KTAP.diag("%s: recovered after %.1f s: queue_resets %d -> %d, resets %d -> %d" % (
            a, secs, n, resets(a, "queue_resets"), whole, resets(a)))
        bg.kill()
        bench.fault(a, "clear")
        whole = resets(a)
        r = a.ethtool("--reset", "dedicated")
        state["tx"] = stalled and bool(r) and wait_reset(a, whole)
        return None if state["tx"] else "queue recovery %s, ethtool --reset %r" % (stalled, r)

    event(bench, "down/up", down_up)
    event(bench, "MTU 1500 -> 9000", mtu)
    event(bench, "recovery from rx-desc-error:0", rx_fault)
    t.check("rx-desc-error:0: queue pair 0 recovered alone", state.get("rx"))
    after = event(bench, "recovery from tx-stall, then ethtool --reset", tx_stall)
    t.check("tx-stall recovered, then the IP reset by ethtool --reset",
            state.get("tx"))

    # the IP's counter restarted at the reset: only the driver kept the total
    try:
        regs = fe.Device(a.pdev).debugfs_regs()
        raw = regs["RX_FRAMES_OK_LO"] | regs["RX_FRAMES_OK_HI"] << 32
    except (OSError, ValueError, KeyError) as e:
        raw = None
        fe.KTAP.diag("debugfs regs: %s" % e)
    total = after.get("ethtool/mac_rx_frames_ok", 0)
    fe.KTAP.diag("after the IP reset: RX_FRAMES_OK register %s, driver total %d" % (raw, total))
    # (the programming model documents RX_FRAMES_OK: its absence is a failure)
    t.check("IP counters restarted at the reset, driver totals kept",
            raw is not None and raw < total,
            "no RX_FRAMES_OK_LO/_HI in the debugfs register dump" if raw is None else
            "RX_FRAMES_OK %d, mac_rx_frames_ok %d" % (raw, total))

    for p in (a, b):
        p.set_mtu(1500)
    errs = net.splats(net.dmesg_since(bench.mark))
    t.errors("no WARN/BUG/Oops/call trace in the kernel log", errs)


if __name__ == "__main__":
    net.main(PLAN, body)
