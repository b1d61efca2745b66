#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every ethtool setter of the driver on a running interface: the value set
is the value read back (and reaches the device where it has a register),
and invalid input fails with an error and leaves the previous value.

  -G  rings 512/1024 read back, Q<q>_RX_SIZE/TX_SIZE = log2; refused: not
      a power of two, 0, above CAP0's 4096, below the driver's 64
  -C  rx/tx usecs and frames read back, in Q<q>_RX_COAL/TX_COAL
      (USECS << 16 | FRAMES) of every queue in use; refused: usecs or
      frames above 16 bits, frames > 1 without usecs, a parameter the
      driver does not support (rx-usecs-irq); adaptive-rx/tx on: after
      traffic the COAL registers hold DIM profiles (EQE: RX frames 256,
      TX frames 128, usecs of the profile table), off: the static values
  -L  combined 2: 2 rx/tx queues in sysfs, RSS table spread over 0-1,
      traffic passes, the interface counters (with rx3's packets from a
      user table sending fe1's pings there) do not go back; refused: 0,
      above the maximum, fewer queues than a user RSS table points at
  -X  a key and a table read back; refused: an entry above the queues,
      hfunc xor, a short key; all entries to queue 2 on fe1: the UDP flows
      fe0 sends land on rx2 only (ethtool -S)
  -A  autoneg off rx/tx on: CTRL.RX_PAUSE_EN/TX_PAUSE_EN set once the link
      is back, off: cleared
  -s  speed 100 duplex full autoneg off: the link comes back at 100 Mb/s,
      MAC_CFG.SPEED = 1; refused: 10000 Mb/s; autoneg on with every mode
      advertised, -r restarts autonegotiation: back at 1000 Mb/s
  msglvl read back
"""
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 24
LINK_TIMEOUT = 15
RX_DIM_FRAMES, TX_DIM_FRAMES = 256, 128
RX_DIM_USECS, TX_DIM_USECS = (1, 8, 64, 128, 256), (1, 8, 32, 64, 128)


def rejected(bench, port, what, args, get):
    """ethtool ARGS must fail and leave get() unchanged."""
    before = get()
    r = port.ethtool(*args)
    after = get()
    fe.KTAP.diag("%s: ethtool %s: rc %d: %s" % (what, " ".join(str(a) for a in args), r.rc,
                                                 r.out.strip().replace("\n", " | ")[-200:]))
    return r.rc != 0 and before == after, "rc %d, before %s, after %s" % (r.rc, before, after)


def check_rejects(bench, port, what, cases, get):
    errs = []
    for args in cases:
        ok, why = rejected(bench, port, what, args, get)
        if not ok:
            errs.append("%s: %s" % (" ".join(str(a) for a in args), why))
    for e in errs:
        fe.KTAP.diag(e)
    bench.check("%s: invalid values refused, previous value kept" % what, not errs,
                errs[0] if errs else "")


def queue_regs(port, name, nq):
    regs = port.regs()
    return [regs.get("Q%d_%s" % (q, name)) for q in range(nq)]


def link_up(port):
    ok, _ = net.wait_for(port.carrier, LINK_TIMEOUT, 0.3)
    return ok


def send_flows(a, b, n=64, per=4, base=30000):
    payload = b"fpgaeth-ethtool " * 4
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind((a.addr4, base + i * 409))
            for _ in range(per):
                s.sendto(payload, (b.addr4, 9))
        finally:
            s.close()
    return n * per


def rx_per_queue(port, nq):
    st = port.ethtool_stats()
    return [st.get("rx%d_packets" % q, 0) for q in range(nq)]


def rings_case(bench):
    a = bench.a
    r0 = a.rings()
    fe.KTAP.diag("ethtool -g %s: %s" % (a, r0))
    r = a.ethtool("-G", "rx", 512, "tx", 1024)
    got = a.rings()
    sizes = queue_regs(a, "RX_SIZE", 4) + queue_regs(a, "TX_SIZE", 4)
    bench.check("-G rx 512 tx 1024: read back, Q<q>_RX_SIZE 9, TX_SIZE 10",
                r.rc == 0 and got["rx"] == 512 and got["tx"] == 1024 and
                sizes == [9] * 4 + [10] * 4,
                "rc %d %s, now %s, SIZE registers %s" % (r.rc, r.out.strip()[-100:], got, sizes))
    ok, _ = a.ping(bench.b.addr4, count=3)
    bench.check("-G: ping answered with the new rings", ok)
    check_rejects(bench, a, "-G", [("-G", "rx", 100), ("-G", "rx", 0), ("-G", "tx", 8192),
                                   ("-G", "tx", 32), ("-G", "rx", 4097)], a.rings)
    a.ethtool("-G", "rx", r0["rx"], "tx", r0["tx"])


def coalesce_case(bench):
    a, b = bench.a, bench.b
    fe.KTAP.diag("ethtool -c %s: %s" % (a, a.coalesce()))
    r = a.ethtool("-C", "rx-usecs", 50, "rx-frames", 8, "tx-usecs", 30, "tx-frames", 4)
    got = a.coalesce()
    rx = queue_regs(a, "RX_COAL", 4)
    tx = queue_regs(a, "TX_COAL", 4)
    bench.check("-C rx-usecs 50 rx-frames 8 tx-usecs 30 tx-frames 4: read back, in the "
                "COAL registers", r.rc == 0 and got["rx-usecs"] == 50 and
                got["rx-frames"] == 8 and got["tx-usecs"] == 30 and got["tx-frames"] == 4 and
                rx == [50 << 16 | 8] * 4 and tx == [30 << 16 | 4] * 4,
                "rc %d, now %s, RX_COAL %s TX_COAL %s" % (r.rc, got, rx, tx))
    ok, _ = a.ping(b.addr4, count=3)
    bench.check("-C: ping answered with coalescing", ok)
    check_rejects(bench, a, "-C", [("-C", "rx-usecs", 70000), ("-C", "tx-frames", 65536),
                                   ("-C", "rx-usecs", 0, "rx-frames", 8),
                                   ("-C", "tx-usecs", 0, "tx-frames", 2),
                                   ("-C", "rx-usecs-irq", 5)], a.coalesce)

    # adaptive: DIM's profiles after some traffic, the static values after
    r = a.ethtool("-C", "adaptive-rx", "on", "adaptive-tx", "on")
    got = a.coalesce()
    flood = bench.background(["ping", "-f", "-q", "-w", 4, b.addr4], name="flood")
    flood.wait(20)
    rx = queue_regs(a, "RX_COAL", 4)
    tx = queue_regs(a, "TX_COAL", 4)
    fe.KTAP.diag("adaptive on: RX_COAL %s TX_COAL %s" % ([hex(x or 0) for x in rx],
                                                          [hex(x or 0) for x in tx]))
    dim_rx = [v is not None and v & 0xffff == RX_DIM_FRAMES and v >> 16 in RX_DIM_USECS
              for v in rx]
    dim_tx = [v is not None and v & 0xffff == TX_DIM_FRAMES and v >> 16 in TX_DIM_USECS
              for v in tx]
    bench.check("-C adaptive-rx on adaptive-tx on: read back, COAL registers hold DIM "
                "profiles", r.rc == 0 and got["adaptive-rx"] == "on" and
                got["adaptive-tx"] == "on" and all(dim_rx) and all(dim_tx),
                "rc %d, now %s, RX_COAL %s TX_COAL %s" % (r.rc, got, rx, tx))
    r = a.ethtool("-C", "adaptive-rx", "off", "adaptive-tx", "off")
    got = a.coalesce()
    rx = queue_regs(a, "RX_COAL", 4)
    tx = queue_regs(a, "TX_COAL", 4)
    bench.check("-C adaptive off: the static values are back in the registers",
                r.rc == 0 and got["adaptive-rx"] == "off" and rx == [50 << 16 | 8] * 4 and
                tx == [30 << 16 | 4] * 4,
                "rc %d, now %s, RX_COAL %s TX_COAL %s" % (r.rc, got, rx, tx))
    a.ethtool("-C", "rx-usecs", 0, "rx-frames", 1, "tx-usecs", 0, "tx-frames", 1)


def channels_case(bench):
    a, b = bench.a, bench.b
    fe.KTAP.diag("ethtool -l %s: %s" % (a, a.channels()))
    # a user table pointing at queue 3 keeps 4 queues; pings from fe1 (one
    # flow) then land on rx3, whose count must survive the queue going away
    r = a.ethtool("-X", "weight", 0, 0, 0, 1)
    table, _k, _f = a.rxfh()
    rx3 = a.ethtool_stats().get("rx3_packets", 0)
    b.ping(a.addr4, count=5, interval=0.1)
    rx3 = a.ethtool_stats().get("rx3_packets", 0) - rx3
    ok, why = rejected(bench, a, "-L", ("-L", "combined", 2), a.channels)
    bench.check("-L combined 2 refused while the user RSS table points at queue 3",
                r.rc == 0 and set(table) == {3} and rx3 >= 5 and ok,
                "table %s, rx3 +%d, %s" % (sorted(set(table)), rx3, why))
    a.ethtool("-X", "default")

    bytes0 = a.stats64().get("rx", {}).get("bytes", 0)
    r = a.ethtool("-L", "combined", 2)
    got = a.channels()
    qs = sorted(os.listdir("/sys/class/net/%s/queues" % a.ifname))
    table, _key, _f = a.rxfh()
    bench.check("-L combined 2: read back, 2 RX and TX queues, RSS table over queues 0-1",
                r.rc == 0 and got == (2, 4) and qs == ["rx-0", "rx-1", "tx-0", "tx-1"] and
                sorted(set(table)) == [0, 1],
                "rc %d %s, now %s, queues %s, table entries %s" % (
                    r.rc, r.out.strip()[-100:], got, qs, sorted(set(table))))
    ok, _ = a.ping(b.addr4, count=3)
    bytes1 = a.stats64().get("rx", {}).get("bytes", 0)
    bench.check("-L: ping answered on 2 queues, interface RX bytes (rx3's included) did not "
                "go back", ok and bytes1 >= bytes0,
                "ping %s, rx bytes %d -> %d" % (ok, bytes0, bytes1))
    check_rejects(bench, a, "-L", [("-L", "combined", 0), ("-L", "combined", 5)], a.channels)
    a.ethtool("-L", "combined", 4)


def rxfh_case(bench):
    a, b = bench.a, bench.b
    key = ":".join("%02x" % ((i * 37 + 11) & 0xff) for i in range(40))
    r = a.ethtool("-X", "equal", 2, "hkey", key)
    table, got_key, funcs = a.rxfh()
    bench.check("-X equal 2 hkey K: table and key read back, Toeplitz on",
                r.rc == 0 and table == [i % 2 for i in range(128)] and got_key == key and
                funcs.get("toeplitz") == "on",
                "rc %d %s, table %s, key %s, funcs %s" % (r.rc, r.out.strip()[-100:], table[:8],
                                                         got_key, funcs))
    check_rejects(bench, a, "-X", [("-X", "equal", 5), ("-X", "hfunc", "xor"),
                                   ("-X", "hkey", "01:02:03:04"),
                                   ("-X", "weight", 1, 1, 1, 1, 1)], a.rxfh)
    a.ethtool("-X", "default")

    # every entry to queue 2 on fe1: every flow lands on rx2
    r = b.ethtool("-X", "weight", 0, 0, 1, 0)
    rx0 = rx_per_queue(b, 4)
    sent = send_flows(a, b)
    net.wait_for(lambda: sum(rx_per_queue(b, 4)) - sum(rx0) >= sent, 5, 0.3)
    rx = [x - y for x, y in zip(rx_per_queue(b, 4), rx0)]
    fe.KTAP.diag("-X weight 0 0 1 0 on %s: %d datagrams, RX per queue %s" % (b, sent, rx))
    bench.check("-X weight 0 0 1 0 on fe1: the flows land on rx2 only",
                r.rc == 0 and rx[2] >= sent and rx[0] == rx[1] == rx[3] == 0,
                "rc %d, RX per queue %s for %d datagrams" % (r.rc, rx, sent))
    b.ethtool("-X", "default")


def reg_becomes(port, name, mask, value):
    """Wait until register name & mask == value (phylink applies a link
    change from its workqueue): the last value read."""
    last = [None]

    def match():
        last[0] = port.regs().get(name, 0)
        return last[0] & mask == value
    net.wait_for(match, LINK_TIMEOUT, 0.3)
    return last[0]


def pause_case(bench):
    a = bench.a
    fe.KTAP.diag("ethtool -a %s: %s" % (a, a.pause()))
    r = a.ethtool("-A", "autoneg", "off", "rx", "on", "tx", "on")
    ctrl = reg_becomes(a, "CTRL", 0x300, 0x300)
    up = link_up(a)
    got = a.pause()
    bench.check("-A autoneg off rx on tx on: read back, CTRL RX_PAUSE_EN and TX_PAUSE_EN",
                r.rc == 0 and up and got == {"autoneg": False, "rx": True, "tx": True} and
                ctrl & 0x300 == 0x300,
                "rc %d %s, link %s, now %s, CTRL %#x" % (r.rc, r.out.strip()[-100:], up, got,
                                                         ctrl))
    r = a.ethtool("-A", "autoneg", "off", "rx", "off", "tx", "off")
    ctrl = reg_becomes(a, "CTRL", 0x300, 0)
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
    cfg = reg_becomes(a, "MAC_CFG", 0x7, 0x5)
    ok = link_up(a)
    bench.check("-s speed 100 duplex full autoneg off: link at 100 Mb/s full, MAC_CFG 0x5",
                r.rc == 0 and ok and link_settings(a) == ("100Mb/s", "Full", "off") and
                cfg == 0x5, "rc %d %s, now %s, MAC_CFG %#x" % (r.rc, r.out.strip()[-100:],
                                                               link_settings(a), cfg))
    # (a speed/duplex pair the MAC lacks, 1000 half, is mapped by phylib to
    # the nearest supported one, as for every phylink driver)
    check_rejects(bench, a, "-s", [("-s", "speed", 10000, "duplex", "full", "autoneg", "off")],
                  lambda: link_settings(a))
    # forcing a speed left only that mode advertised: all of them again
    r = a.ethtool("-s", "autoneg", "on", "advertise", "0x2f")
    r2 = a.ethtool("-r")
    cfg = reg_becomes(a, "MAC_CFG", 0x7, 0x6)
    ok = link_up(a) and link_settings(a)[0] == "1000Mb/s"
    ping, _ = a.ping(b.addr4, count=3)
    bench.check("-s autoneg on advertise 0x2f, -r: link back at 1000 Mb/s full, MAC_CFG 0x6, ping answered",
                r.rc == 0 and r2.rc == 0 and ok and cfg == 0x6 and ping,
                "rc %d/%d, now %s, MAC_CFG %#x, ping %s" % (r.rc, r2.rc, link_settings(a),
                                                            cfg, ping))


def msglevel_case(bench):
    a = bench.a
    r = a.ethtool("-s", "msglvl", 0x7)
    out = a.ethtool("").out
    bench.check("-s msglvl 0x7: read back", r.rc == 0 and "0x00000007" in out,
                "rc %d, %s" % (r.rc, [ln.strip() for ln in out.splitlines()
                                      if "message level" in ln]))


def body(bench):
    rings_case(bench)        # 3
    coalesce_case(bench)     # 5
    channels_case(bench)     # 4
    rxfh_case(bench)         # 3
    pause_case(bench)        # 2
    speed_case(bench)        # 3
    msglevel_case(bench)     # 1
    a, b = bench.a, bench.b
    ok = all(bench.settle(s, d, tries=5) for s, d in ((a, b.addr4), (b, a.addr4)))
    bench.check("ping answered both ways after every setter", ok)
    left = bench.pools_in_flight()
    net.wait_for(lambda: not bench.pools_in_flight(), 10, 0.5)
    left = bench.pools_in_flight()
    for p in left:
        fe.KTAP.diag("page pool: " + p)
    bench.check("no destroyed page pool left with pages in flight", not left)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
