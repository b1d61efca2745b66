#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every ethtool setter of the driver on a running interface: the value set
is the value read back (and reaches the device where it has a register),
and invalid input fails with an error and leaves the previous value.

A refusal is the driver's when its own message (extack, or its errno for
the ioctl-based -X) is in ethtool's output; the ethtool core's refusals
(above a maximum the driver reports, an unsupported parameter, a channel
count the RSS table forbids) are named as such. The driver's -L checks
repeat the core's and cannot be reached from user space.

  -G  rings 512/1024 read back, Q<q>_RX_SIZE/TX_SIZE = log2; the driver
      refuses a size not a power of two, 0, below its 64; the core above
      CAP0's maximum
  -C  rx/tx usecs and frames read back, in Q<q>_RX_COAL/TX_COAL
      (USECS << 16 | FRAMES) of every queue in use; the driver refuses
      usecs or frames above 16 bits, frames > 1 without usecs; the core a
      parameter the driver does not support (rx-usecs-irq); adaptive-rx/tx
      on: the COAL registers hold DIM profiles (EQE: RX frames 256, TX
      frames 128, usecs of the profile table), and under a ping flood DIM's
      work moves one queue away from profile 0 (the one set_coalesce
      programs at once); off: the static values
  -L  combined 2: 2 rx/tx queues in sysfs, RSS table spread over 0-1,
      traffic passes; the netlink qstats device scope (the driver's base
      statistics for the queue pairs out of use, plus queues 0-1) still
      equals the interface counters and does not go back, the last
      queue's packets included (a user table sent fe1's pings there);
      the core refuses 0, above the maximum, fewer queues than a user RSS
      table points at
  -X  a key and a table read back; the driver refuses hfunc xor, the core
      an entry above the queues and a short key; all entries to queue 1 on
      fe1: the UDP flows fe0 sends land on rx1 only (ethtool -S)
  -n/-N rx-flow-hash  the fields the IP hashes (addresses; the ports too
      for TCP and UDP) read back per flow type; the same fields accepted,
      a change refused by the driver (the IP hashes fixed fields)
  -A  autoneg off rx/tx on: CTRL.RX_PAUSE_EN/TX_PAUSE_EN set once the link
      is back, off: cleared
  -s  speed 100 duplex full autoneg off: the link comes back at 100 Mb/s,
      MAC_CFG.SPEED = 1; refused: 10000 Mb/s; autoneg on with every mode
      advertised, -r restarts autonegotiation: back at 1000 Mb/s
  msglvl read back, and a ring change logged only with the ifup class
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 28
LINK_TIMEOUT = 15
RX_DIM_FRAMES, TX_DIM_FRAMES = 256, 128
RX_DIM_USECS, TX_DIM_USECS = (1, 8, 64, 128, 256), (1, 8, 32, 64, 128)
DIM_TIMEOUT = 60
DIM_PORT = 5209
FLOW_FIELDS = ["IP SA", "IP DA", "L4 bytes 0 & 1", "L4 bytes 2 & 3"]


def rejected(bench, port, what, args, get, msg):
    """ethtool ARGS must fail and leave get() unchanged; msg: a regex the
    output must match (the driver's own refusal: its extack message or
    errno), None for a refusal of the ethtool core or of ethtool itself."""
    before = get()
    r = port.ethtool(*args)
    after = get()
    fe.KTAP.diag("%s: ethtool %s: rc %d: %s" % (what, " ".join(str(a) for a in args), r.rc,
                                                 r.out.strip().replace("\n", " | ")[-200:]))
    ok = r.rc != 0 and before == after and (msg is None or re.search(msg, r.out))
    return ok, "rc %d, before %s, after %s%s" % (
        r.rc, before, after, "" if msg is None or re.search(msg, r.out) else
        ", not the driver's refusal (no %r in %r)" % (msg, r.out.strip()[-120:]))


def check_rejects(bench, port, what, cases, get):
    """cases: [(ethtool arguments, the driver's message regex or None)]."""
    errs = []
    for args, msg in cases:
        ok, why = rejected(bench, port, what, args, get, msg)
        if not ok:
            errs.append("%s: %s" % (" ".join(str(a) for a in args), why))
    for e in errs:
        fe.KTAP.diag(e)
    ndrv = sum(1 for _a, m in cases if m)
    bench.check("%s: invalid values refused (%d by the driver with its message, %d by the "
                "ethtool core), previous value kept" % (what, ndrv, len(cases) - ndrv),
                not errs, errs[0] if errs else "")


def dim_moved(values):
    """A COAL register value holds a DIM profile other than index 0."""
    return any(v is not None and (v & 0xffff, v >> 16) in
               ((RX_DIM_FRAMES, u) for u in RX_DIM_USECS[1:]) or
               v is not None and (v & 0xffff, v >> 16) in
               ((TX_DIM_FRAMES, u) for u in TX_DIM_USECS[1:])
               for v in values)


def queue_regs(port, name, nq):
    regs = port.regs()
    return [regs.get("Q%d_%s" % (q, name)) for q in range(nq)]


def link_up(port):
    ok, _ = net.wait_for(port.carrier, LINK_TIMEOUT, 0.3)
    return ok


def rings_case(bench, nq):
    a = bench.a
    r0 = a.rings()
    fe.KTAP.diag("ethtool -g %s: %s" % (a, r0))
    r = a.ethtool("-G", "rx", 512, "tx", 1024)
    got = a.rings()
    sizes = queue_regs(a, "RX_SIZE", nq) + queue_regs(a, "TX_SIZE", nq)
    bench.check("-G rx 512 tx 1024: read back, Q<q>_RX_SIZE 9, TX_SIZE 10",
                r.rc == 0 and got["rx"] == 512 and got["tx"] == 1024 and
                sizes == [9] * nq + [10] * nq,
                "rc %d %s, now %s, SIZE registers %s" % (r.rc, r.out.strip()[-100:], got, sizes))
    ok, _ = a.ping(bench.b.addr4, count=3)
    bench.check("-G: ping answered with the new rings", ok)
    mx = r0["rx-max"] or 4096
    check_rejects(bench, a, "-G", [
        (("-G", "rx", 100), r"RX ring size 100: must be a power of two"),
        (("-G", "rx", 0), r"RX ring size 0: must be a power of two"),
        (("-G", "tx", 32), r"TX ring size 32: must be a power of two"),
        (("-G", "tx", 2 * mx), None), (("-G", "rx", mx + 1), None)], a.rings)
    a.ethtool("-G", "rx", r0["rx"], "tx", r0["tx"])


def coalesce_case(bench, nq):
    a, b = bench.a, bench.b
    fe.KTAP.diag("ethtool -c %s: %s" % (a, a.coalesce()))
    r = a.ethtool("-C", "rx-usecs", 50, "rx-frames", 8, "tx-usecs", 30, "tx-frames", 4)
    got = a.coalesce()
    rx = queue_regs(a, "RX_COAL", nq)
    tx = queue_regs(a, "TX_COAL", nq)
    bench.check("-C rx-usecs 50 rx-frames 8 tx-usecs 30 tx-frames 4: read back, in the "
                "COAL registers", r.rc == 0 and got["rx-usecs"] == 50 and
                got["rx-frames"] == 8 and got["tx-usecs"] == 30 and got["tx-frames"] == 4 and
                rx == [50 << 16 | 8] * nq and tx == [30 << 16 | 4] * nq,
                "rc %d, now %s, RX_COAL %s TX_COAL %s" % (r.rc, got, rx, tx))
    ok, _ = a.ping(b.addr4, count=3)
    bench.check("-C: ping answered with coalescing", ok)
    check_rejects(bench, a, "-C", [
        (("-C", "rx-usecs", 70000), r"rx-usecs 70000: the most is 65535"),
        (("-C", "tx-frames", 65536), r"tx-frames 65536: the most is 65535"),
        (("-C", "rx-usecs", 0, "rx-frames", 8), r"rx-frames 8 needs rx-usecs"),
        (("-C", "tx-usecs", 0, "tx-frames", 2), r"tx-frames 2 needs tx-usecs"),
        (("-C", "rx-usecs-irq", 5), None)], a.coalesce)

    # adaptive: set_coalesce programs DIM's current profile (index 0) at
    # once; only DIM's work, fed by traffic, programs another one: wait,
    # under a TCP stream, until a queue holds a profile other than index 0.
    # (Not a ping flood: one request in flight brings one frame each way
    # per interrupt, which the driver takes for an idle pair, DIM back to
    # profile 0, when the CPU is as slow as under TCG.)
    r = a.ethtool("-C", "adaptive-rx", "on", "adaptive-tx", "on")
    got = a.coalesce()
    server = bench.iperf3_server(b, DIM_PORT)
    flood = bench.background(["iperf3", "-c", b.addr4, "-p", DIM_PORT, "-t", DIM_TIMEOUT + 5],
                             name="stream")
    moved, secs = net.wait_for(lambda: dim_moved(queue_regs(a, "RX_COAL", nq) +
                                                 queue_regs(a, "TX_COAL", nq)),
                               DIM_TIMEOUT, 0.3)
    flood.kill()
    if server:
        server.kill()
    rx = queue_regs(a, "RX_COAL", nq)
    tx = queue_regs(a, "TX_COAL", nq)
    fe.KTAP.diag("adaptive on: RX_COAL %s TX_COAL %s; DIM left profile 0 after %.1f s: %s"
                 % ([hex(x or 0) for x in rx], [hex(x or 0) for x in tx], secs, moved))
    dim_rx = [v is not None and v & 0xffff == RX_DIM_FRAMES and v >> 16 in RX_DIM_USECS
              for v in rx]
    dim_tx = [v is not None and v & 0xffff == TX_DIM_FRAMES and v >> 16 in TX_DIM_USECS
              for v in tx]
    bench.check("-C adaptive-rx on adaptive-tx on: read back, COAL registers hold DIM "
                "profiles, DIM moved one away from profile 0 under a flood",
                r.rc == 0 and got["adaptive-rx"] == "on" and
                got["adaptive-tx"] == "on" and all(dim_rx) and all(dim_tx) and moved,
                "rc %d, now %s, RX_COAL %s TX_COAL %s, profile other than 0 seen %s" % (
                    r.rc, got, rx, tx, moved))
    r = a.ethtool("-C", "adaptive-rx", "off", "adaptive-tx", "off")
    got = a.coalesce()
    rx = queue_regs(a, "RX_COAL", nq)
    tx = queue_regs(a, "TX_COAL", nq)
    bench.check("-C adaptive off: the static values are back in the registers",
                r.rc == 0 and got["adaptive-rx"] == "off" and rx == [50 << 16 | 8] * nq and
                tx == [30 << 16 | 4] * nq,
                "rc %d, now %s, RX_COAL %s TX_COAL %s" % (r.rc, got, rx, tx))
    a.ethtool("-C", "rx-usecs", 0, "rx-frames", 1, "tx-usecs", 0, "tx-frames", 1)


def channels_case(bench, nq):
    a, b = bench.a, bench.b
    fe.KTAP.diag("ethtool -l %s: %s" % (a, a.channels()))
    # a user table pointing at the last queue keeps every queue; pings
    # from fe1 (one flow) then land there, and that queue's count must
    # survive the queue going away
    last = nq - 1
    r = a.ethtool("-X", "weight", *([0] * last + [1]))
    table, _k, _f = a.rxfh()
    rxl = a.ethtool_stats().get("rx%d_packets" % last, 0)
    b.ping(a.addr4, count=5, interval=0.1)
    rxl = a.ethtool_stats().get("rx%d_packets" % last, 0) - rxl
    ok, why = rejected(bench, a, "-L", ("-L", "combined", 2), a.channels, None)
    bench.check("-L combined 2 refused (by the ethtool core) while the user RSS table "
                "points at queue %d" % last,
                r.rc == 0 and set(table) == {last} and rxl >= 5 and ok,
                "table %s, rx%d +%d, %s" % (sorted(set(table)), last, rxl, why))
    a.ethtool("-X", "default")

    snap0 = a.qstats_snapshot()
    r = a.ethtool("-L", "combined", 2)
    got = a.channels()
    qs = sorted(os.listdir("/sys/class/net/%s/queues" % a.ifname))
    table, _key, _f = a.rxfh()
    bench.check("-L combined 2: read back, 2 RX and TX queues, RSS table over queues 0-1",
                r.rc == 0 and got == (2, nq) and qs == ["rx-0", "rx-1", "tx-0", "tx-1"] and
                sorted(set(table)) == [0, 1],
                "rc %d %s, now %s, queues %s, table entries %s" % (
                    r.rc, r.out.strip()[-100:], got, qs, sorted(set(table))))
    ok, _ = a.ping(b.addr4, count=3)
    # the netlink device scope is the driver's base statistics (the queue
    # pairs out of use) plus queues 0-1: it must still equal the interface
    # counters, which count every queue pair, and must not go back
    snap1 = a.qstats_snapshot()
    errs = [] if ok else ["ping not answered on 2 queues"]
    if not snap0 or not snap1:
        errs.append("the interface never went quiet for a qstats snapshot")
    else:
        for k, d, n in net.QSTATS_STATS64:
            if snap1[1].get(k) != snap1[0].get(d, {}).get(n):
                errs.append("after -L 2: qstats %s %s, stats64 %s %s %s" % (
                    k, snap1[1].get(k), d, n, snap1[0].get(d, {}).get(n)))
            if (snap1[1].get(k) or 0) < (snap0[1].get(k) or 0):
                errs.append("qstats %s went back from %s to %s" % (
                    k, snap0[1].get(k), snap1[1].get(k)))
    bench.t.errors("-L: ping answered on 2 queues; netlink qstats device scope (base "
                   "stats of queues %d-%d + queues 0-1) = stats64, did not go back"
                   % (2, nq - 1), errs)
    # (the driver's own checks of -L repeat the core's: unreachable)
    check_rejects(bench, a, "-L", [(("-L", "combined", 0), None),
                                   (("-L", "combined", nq + 1), None)], a.channels)
    a.ethtool("-L", "combined", nq)


def rxfh_case(bench, nq):
    a, b = bench.a, bench.b
    key = ":".join("%02x" % ((i * 37 + 11) & 0xff) for i in range(40))
    r = a.ethtool("-X", "equal", 2, "hkey", key)
    table, got_key, funcs = a.rxfh()
    bench.check("-X equal 2 hkey K: table and key read back, Toeplitz on",
                r.rc == 0 and table == [i % 2 for i in range(128)] and got_key == key and
                funcs.get("toeplitz") == "on",
                "rc %d %s, table %s, key %s, funcs %s" % (r.rc, r.out.strip()[-100:], table[:8],
                                                         got_key, funcs))
    check_rejects(bench, a, "-X", [(("-X", "hfunc", "xor"), r"Operation not supported"),
                                   (("-X", "equal", nq + 1), None),
                                   (("-X", "hkey", "01:02:03:04"), None),
                                   (("-X", "weight") + (1,) * (nq + 1), None)], a.rxfh)
    a.ethtool("-X", "default")
    flow_hash_case(bench)

    # every entry to the second queue on fe1: every flow lands there
    weights = [0] * nq
    weights[1] = 1
    r = b.ethtool("-X", "weight", *weights)
    rx0 = b.queue_counters("rx", nq=nq)
    _flows, errs = net.udp_flows(a.addr4, b.addr4, 64, 30000, per=4, ns=a.ns)
    sent = 64 * 4
    net.wait_for(lambda: sum(b.queue_counters("rx", nq=nq)) - sum(rx0) >= sent, 5, 0.3)
    rx = [x - y for x, y in zip(b.queue_counters("rx", nq=nq), rx0)]
    fe.KTAP.diag("-X weight %s on %s: %d datagrams, RX per queue %s" % (weights, b, sent, rx))
    bench.check("-X weight %s on fe1: the flows land on rx1 only" % " ".join(map(str, weights)),
                r.rc == 0 and not errs and rx[1] >= sent and sum(rx) == rx[1],
                "rc %d, RX per queue %s for %d datagrams %s" % (r.rc, rx, sent, errs[:1]))
    b.ethtool("-X", "default")


def flow_hash(port, flow):
    """The fields `ethtool -n IF rx-flow-hash FLOW` lists, or None."""
    r = port.ethtool("-n", "rx-flow-hash", flow)
    if r.rc != 0:
        return None
    out = r.out.split("Hash flow key:", 1)[-1]
    return [f for f in FLOW_FIELDS if f in out]


def flow_hash_case(bench):
    """rx-flow-hash: the fields the IP hashes ("Hash input"), fixed."""
    a = bench.a
    want = {f: FLOW_FIELDS if f in ("tcp4", "udp4", "tcp6", "udp6") else FLOW_FIELDS[:2]
            for f in ("tcp4", "udp4", "tcp6", "udp6", "sctp4", "ah4", "esp6", "sctp6")}
    got = {f: flow_hash(a, f) for f in want}
    bench.check("-n rx-flow-hash: addresses for every IP flow type, ports too for TCP and UDP",
                got == want, "got %s" % {f: v for f, v in got.items() if v != want[f]})
    r = a.ethtool("-N", "rx-flow-hash", "tcp4", "sdfn")
    bench.check("-N rx-flow-hash tcp4 sdfn (the fields hashed): accepted, unchanged",
                r.rc == 0 and flow_hash(a, "tcp4") == FLOW_FIELDS,
                "rc %d %s, fields %s" % (r.rc, r.out.strip()[-100:], flow_hash(a, "tcp4")))
    check_rejects(bench, a, "-N rx-flow-hash", [
        (("-N", "rx-flow-hash", "tcp4", "sd"), r"Operation not supported"),
        (("-N", "rx-flow-hash", "udp6", "sdfnv"), r"Operation not supported")],
        lambda: flow_hash(a, "tcp4"))


def pause_case(bench):
    a = bench.a
    fe.KTAP.diag("ethtool -a %s: %s" % (a, a.pause()))
    r = a.ethtool("-A", "autoneg", "off", "rx", "on", "tx", "on")
    ctrl = net.reg_becomes(a, "CTRL", 0x300, 0x300, LINK_TIMEOUT)
    up = link_up(a)
    got = a.pause()
    bench.check("-A autoneg off rx on tx on: read back, CTRL RX_PAUSE_EN and TX_PAUSE_EN",
                r.rc == 0 and up and got == {"autoneg": False, "rx": True, "tx": True} and
                ctrl & 0x300 == 0x300,
                "rc %d %s, link %s, now %s, CTRL %#x" % (r.rc, r.out.strip()[-100:], up, got,
                                                         ctrl))
    r = a.ethtool("-A", "autoneg", "off", "rx", "off", "tx", "off")
    ctrl = net.reg_becomes(a, "CTRL", 0x300, 0, LINK_TIMEOUT)
    up = link_up(a)
    got = a.pause()
    bench.check("-A rx off tx off: read back, CTRL pause bits cleared",
                r.rc == 0 and up and got == {"autoneg": False, "rx": False, "tx": False} and
                ctrl & 0x300 == 0, "rc %d, link %s, now %s, CTRL %#x" % (r.rc, up, got, ctrl))
    a.ethtool("-A", "autoneg", "on", "rx", "on", "tx", "on")


def link_settings(port):
    """(speed, duplex, autoneg) of plain `ethtool IF`."""
    out = port.ethtool().out
    got = []
    for key in ("Speed", "Duplex", "Auto-negotiation"):
        m = re.search(r"^\s+%s: (\S+)" % key, out, re.M)
        got.append(m.group(1) if m else None)
    return tuple(got)


def speed_case(bench):
    a, b = bench.a, bench.b
    r = a.ethtool("-s", "speed", 100, "duplex", "full", "autoneg", "off")
    cfg = net.reg_becomes(a, "MAC_CFG", 0x7, 0x5, LINK_TIMEOUT)
    ok = link_up(a)
    bench.check("-s speed 100 duplex full autoneg off: link at 100 Mb/s full, MAC_CFG 0x5",
                r.rc == 0 and ok and link_settings(a) == ("100Mb/s", "Full", "off") and
                cfg == 0x5, "rc %d %s, now %s, MAC_CFG %#x" % (r.rc, r.out.strip()[-100:],
                                                               link_settings(a), cfg))
    # (a speed/duplex pair the MAC lacks, 1000 half, is mapped by phylib to
    # the nearest supported one, as for every phylink driver)
    # (refused by phylink: a speed the MAC does not have)
    check_rejects(bench, a, "-s", [(("-s", "speed", 10000, "duplex", "full", "autoneg", "off"),
                                    None)],
                  lambda: link_settings(a))
    # forcing a speed left only that mode advertised: all of them again
    r = a.ethtool("-s", "autoneg", "on", "advertise", "0x2f")
    r2 = a.ethtool("-r")
    cfg = net.reg_becomes(a, "MAC_CFG", 0x7, 0x6, LINK_TIMEOUT)
    ok = link_up(a) and link_settings(a)[0] == "1000Mb/s"
    ping, _ = a.ping(b.addr4, count=3)
    bench.check("-s autoneg on advertise 0x2f, -r: link back at 1000 Mb/s full, MAC_CFG 0x6, ping answered",
                r.rc == 0 and r2.rc == 0 and ok and cfg == 0x6 and ping,
                "rc %d/%d, now %s, MAC_CFG %#x, ping %s" % (r.rc, r2.rc, link_settings(a),
                                                            cfg, ping))


def ring_message(a, level):
    """msglvl level, then a ring change and back (-G rx half, then the old
    size): whether the driver logged its "rings TX ... RX ..." line (class
    ifup)."""
    rx = a.rings()["rx"]
    a.ethtool("-s", "msglvl", level)
    mark = net.dmesg_mark()
    r1 = a.ethtool("-G", "rx", rx // 2)
    r2 = a.ethtool("-G", "rx", rx)
    said = any("rings TX" in ln for ln in net.dmesg_since(mark))
    return r1.rc == 0 and r2.rc == 0, said


def msglevel_case(bench):
    """msglvl is read back, and it selects messages: the ifup class (0x20)
    on, a ring change is logged; off (0x7), it is not."""
    a = bench.a
    r = a.ethtool("-s", "msglvl", 0x7)
    out = a.ethtool("").out
    bench.check("-s msglvl 0x7: read back", r.rc == 0 and "0x00000007" in out,
                "rc %d, %s" % (r.rc, [ln.strip() for ln in out.splitlines()
                                      if "message level" in ln]))
    ok_on, on = ring_message(a, 0x27)
    ok_off, off = ring_message(a, 0x7)
    a.ethtool("-s", "msglvl", 0x20a7)
    bench.check("msglvl: with ifup a ring change is logged, without it not",
                ok_on and ok_off and on and not off,
                "-G done %s/%s; logged with ifup %s, without %s" % (ok_on, ok_off, on, off))


def body(bench):
    nq = int(fe.qom_get(bench.a.qom, "num-queues"))
    rings_case(bench, nq)        # 3
    coalesce_case(bench, nq)     # 5
    channels_case(bench, nq)     # 4
    rxfh_case(bench, nq)         # 6
    pause_case(bench)        # 2
    speed_case(bench)        # 3
    msglevel_case(bench)     # 2
    a, b = bench.a, bench.b
    ok = all(bench.settle(s, d, tries=5) for s, d in ((a, b.addr4), (b, a.addr4)))
    bench.check("ping answered both ways after every setter", ok)
    bench.check_pools_drained("no destroyed page pool left with pages in flight", 10)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
