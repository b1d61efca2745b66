#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Driver features the other tests do not reach, each checked where it
shows: the registers (debugfs), the frames that reach the stack, the
counters, ethtool.

Frames of the local experimental type 0x88b5, each with a tag, go from fe1
(AF_PACKET) to fe0, where a packet socket records the tags that reached the
stack; a last frame to fe0's own address ends each batch (same queue, same
order: once it is there, the others would have been too).

  1. address filter (CTRL.PROMISC and ALLMULTI clear): frames to fe0's
     address and to broadcast reach the stack, to a foreign unicast and to
     a multicast group outside the hash filter do not, and count in
     mac_rx_filtered
  2. ip link set promisc on: CTRL.PROMISC, the foreign frames reach the
     stack; off: filtered again
  3. ip link set allmulticast on: CTRL.ALLMULTI, the multicast frame
     reaches the stack, the foreign unicast does not; off: filtered again
  4. a secondary unicast address (bridge fdb add ... self permanent): the
     IP has one unicast filter, so the driver sets CTRL.PROMISC (without
     IFF_PROMISC) and frames to that address reach the stack; deleted:
     PROMISC clear
  5. the MAC address changed while up: MAC_ADDR_LO/HI hold it, frames to
     it reach the stack, to the old one are filtered; pings answered after
     fe1 forgot the old neighbour entry; then the old address is back
  6. ethtool -K rx off: CTRL.RX_CSUM_EN clear, received frames count in
     rx<q>_csum_none, not csum_complete; rx on: RX_CSUM_EN set, the
     device's sums used again
  7. ethtool -K tx off (TX checksumming): read back, a TCP stream (iperf3)
     moves 1 MiB and the receiver counts no checksum error; tx on again
  8. MII ioctl (SIOCGMIIPHY, SIOCGMIIREG): the PHY address is the model's
     phy-addr, PHYSID1/2 the phy_id phylib shows in sysfs, BMSR says link up
  9. interface down: ethtool -G rx 256 tx 128 and -L combined 2 read back,
     ethtool -t offline: register and interrupt tests pass, loopback
     ENETDOWN, the interface stays down; up: Q0 RX_SIZE 8, TX_SIZE 7, two
     queue pairs, pings answered; the old values back
 10. ethtool -s speed 10 duplex half autoneg off is refused (the IP has no
     CSMA/CD: programming model, Half duplex) and MAC_CFG keeps its value;
     speed 10 duplex full: MAC_CFG 0x4, ethtool shows it, pings answered
 11. speed 100: half refused, full gives MAC_CFG 0x5, pings answered;
     autoneg on again: 1000 Mb/s full, MAC_CFG 0x6
 12. no splat in the kernel log

FPGAETH_FEATURES_CASES: the groups to run, comma-separated, of filter
(1-4), mac (5), offload (6-7), mii (8), down (9) and speed (10-11); the
log check (12) always runs; default all.  rtl/cosim/check runs "speed" on
the RTL's RGMII build.
"""
import array
import errno
import fcntl
import os
import re
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

ETHERTYPE = 0x88b5
FOREIGN_UC = "02:00:00:00:00:99"
SECONDARY_UC = "02:00:00:00:00:77"
NEW_MAC = "02:00:00:00:00:55"
BCAST = "ff:ff:ff:ff:ff:ff"
CTRL_PROMISC, CTRL_ALLMULTI, CTRL_RX_CSUM_EN = 1 << 3, 1 << 4, 1 << 7
LINK_TIMEOUT = 15
SIOCGMIIPHY, SIOCGMIIREG = 0x8947, 0x8948
MII_BMSR, MII_PHYSID1, MII_PHYSID2 = 1, 2, 3
BMSR_LSTATUS = 1 << 2
TEST_NAMES = ("register", "interrupt", "loopback", "link")


class Sniffer:
    """The tagged 0x88b5 frames that reach port's stack."""

    def __init__(self, port):
        self.s = net.ns_socket(port.ns, socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(ETHERTYPE))
        self.s.bind((port.ifname, ETHERTYPE))
        self.s.settimeout(0.5)

    def until(self, tag, timeout=10):
        """Tags received until tag arrives (or timeout s): (set, seen tag)."""
        got, end = set(), time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                data = self.s.recv(2048)
            except socket.timeout:
                continue
            m = re.match(rb"^fpgaeth-feat (\w+) ", data[14:])
            if m:
                got.add(m.group(1).decode())
                if m.group(1).decode() == tag:
                    return got, True
        return got, False

    def close(self):
        self.s.close()


class Frames:
    """Send tagged frames from snd to rcv and see which reach rcv's stack."""

    def __init__(self, bench):
        self.bench, self.n = bench, 0

    def frame(self, dst, tag):
        payload = ("fpgaeth-feat %s " % tag).encode().ljust(46, b".")
        return net.mac_bytes(dst) + net.mac_bytes(self.bench.b.mac) + \
            ETHERTYPE.to_bytes(2, "big") + payload

    def reached(self, dsts, rcv_mac=None):
        """{dst: reached fe0's stack} for each destination address; errors."""
        a, b = self.bench.a, self.bench.b
        self.n += 1
        end = "end%d" % self.n
        tags = {"t%d_%d" % (self.n, i): d for i, d in enumerate(dsts)}
        sn = Sniffer(a)
        try:
            net.send_raw(b, [self.frame(d, t) for t, d in tags.items()] +
                         [self.frame(rcv_mac or a.mac, end)])
            got, ok = sn.until(end)
        finally:
            sn.close()
        errs = [] if ok else ["the closing frame to %s never arrived" % (rcv_mac or a.mac)]
        return {d: t in got for t, d in tags.items()}, errs


def ctrl(port):
    return port.regs().get("CTRL", 0)


def expect(got, want, what):
    """Errors: got {dst: reached} against want {dst: should reach}."""
    return ["%s: a frame to %s %s the stack" % (what, d, "reached" if got.get(d) else
                                                "did not reach")
            for d, w in want.items() if got.get(d) != w]


def filter_cases(bench):
    t, a = bench.t, bench.a
    fr = Frames(bench)
    mc = net.foreign_mc(a)
    kinds = [a.mac, BCAST, FOREIGN_UC, mc]
    base = {a.mac: True, BCAST: True, FOREIGN_UC: False, mc: False}

    filt0 = a.ethtool_stats().get("mac_rx_filtered", 0)
    got, errs = fr.reached(kinds)
    errs += expect(got, base, "filter")
    filt = a.ethtool_stats().get("mac_rx_filtered", 0) - filt0
    if filt < 2:
        errs.append("mac_rx_filtered +%d for 2 filtered frames" % filt)
    c = ctrl(a)
    if c & (CTRL_PROMISC | CTRL_ALLMULTI):
        errs.append("CTRL %#x has PROMISC or ALLMULTI" % c)
    t.errors("filter: own address and broadcast accepted; foreign unicast and "
             "multicast %s dropped (mac_rx_filtered), CTRL.PROMISC/ALLMULTI clear" % mc, errs)

    errs = []
    for flag, bit, want in (("promisc", CTRL_PROMISC, {FOREIGN_UC: True, mc: True}),
                            ("allmulticast", CTRL_ALLMULTI, {FOREIGN_UC: False, mc: True})):
        errs = []
        r = a.ip("link", "set", "dev", a.ifname, flag, "on")
        c = ctrl(a)
        got, e = fr.reached(kinds)
        errs += e + expect(got, dict(base, **want), flag + " on")
        if not r or not c & bit:
            errs.append("%s on: %r, CTRL %#x" % (flag, r, c))
        r = a.ip("link", "set", "dev", a.ifname, flag, "off")
        c = ctrl(a)
        got, e = fr.reached(kinds)
        errs += e + expect(got, base, flag + " off")
        if not r or c & bit:
            errs.append("%s off: %r, CTRL %#x" % (flag, r, c))
        t.errors("filter: ip link set %s on: CTRL bit set, %s; off: cleared, filtered again"
                 % (flag, "foreign unicast and multicast accepted" if flag == "promisc"
                    else "the multicast accepted, the foreign unicast not"), errs)

    errs = []
    r = a.run(["bridge", "fdb", "add", SECONDARY_UC, "dev", a.ifname, "self", "permanent"])
    c = ctrl(a)
    flags = (a.link() or {}).get("flags", [])
    got, e = fr.reached(kinds + [SECONDARY_UC])
    errs += e + expect(got, {SECONDARY_UC: True, a.mac: True}, "secondary unicast")
    if not r or not c & CTRL_PROMISC or "PROMISC" in flags:
        errs.append("fdb add: %r, CTRL %#x, flags %s" % (r, c, flags))
    r = a.run(["bridge", "fdb", "del", SECONDARY_UC, "dev", a.ifname, "self"])
    c = ctrl(a)
    got, e = fr.reached([SECONDARY_UC])
    errs += e + expect(got, {SECONDARY_UC: False}, "secondary unicast deleted")
    if not r or c & CTRL_PROMISC:
        errs.append("fdb del: %r, CTRL %#x" % (r, c))
    t.errors("filter: a secondary unicast address sets CTRL.PROMISC (not IFF_PROMISC), "
             "its frames accepted; deleted: PROMISC clear, filtered", errs)


def mac_regs(port):
    regs = port.regs()
    lo, hi = regs.get("MAC_ADDR_LO", 0), regs.get("MAC_ADDR_HI", 0)
    return ":".join("%02x" % b for b in struct.pack("<IH", lo, hi & 0xffff))


def mac_change_case(bench):
    a, b = bench.a, bench.b
    old = a.mac
    fr = Frames(bench)
    errs = []
    r = a.ip("link", "set", "dev", a.ifname, "address", NEW_MAC)
    regs = mac_regs(a)
    if not r or regs != NEW_MAC:
        errs.append("set address: %r, MAC_ADDR registers %s" % (r, regs))
    got, e = fr.reached([NEW_MAC, old], rcv_mac=NEW_MAC)
    errs += e + expect(got, {NEW_MAC: True, old: False}, "new address")
    b.ip("neigh", "flush", "dev", b.ifname)
    if not bench.settle(b, a.addr4, tries=5):
        errs.append("no ping from %s answered with the new address" % b)
    r = a.ip("link", "set", "dev", a.ifname, "address", old)
    regs = mac_regs(a)
    if not r or regs != old:
        errs.append("address back: %r, MAC_ADDR registers %s" % (r, regs))
    b.ip("neigh", "flush", "dev", b.ifname)
    if not bench.settle(b, a.addr4, tries=5):
        errs.append("no ping answered with the old address back")
    bench.t.errors("mac: address changed while up: MAC_ADDR registers, frames to the new "
                   "address accepted and to the old filtered, pings answered; restored", errs)


def csum_sums(p):
    return (sum(p.queue_counters("rx", "csum_complete")),
            sum(p.queue_counters("rx", "csum_none")))


def offload_cases(bench):
    a, b = bench.a, bench.b
    errs = []
    r = a.ethtool("-K", "rx", "off")
    c = ctrl(a)
    s0 = csum_sums(a)
    ok, _r = b.ping(a.addr4, count=5, interval=0.1)
    s1 = csum_sums(a)
    if not r or c & CTRL_RX_CSUM_EN:
        errs.append("-K rx off: %r, CTRL %#x" % (r, c))
    if not ok or s1[0] != s0[0] or s1[1] - s0[1] < 5:
        errs.append("rx off: ping %s, csum_complete +%d, csum_none +%d" % (
            ok, s1[0] - s0[0], s1[1] - s0[1]))
    r = a.ethtool("-K", "rx", "on")
    c = ctrl(a)
    s0 = csum_sums(a)
    ok, _r = b.ping(a.addr4, count=5, interval=0.1)
    s1 = csum_sums(a)
    if not r or not c & CTRL_RX_CSUM_EN:
        errs.append("-K rx on: %r, CTRL %#x" % (r, c))
    if not ok or s1[0] - s0[0] < 5:
        errs.append("rx on: ping %s, csum_complete +%d" % (ok, s1[0] - s0[0]))
    bench.t.errors("-K rx off: CTRL.RX_CSUM_EN clear, frames counted csum_none; on: the "
                   "device's sums used again", errs)

    errs = []
    r = a.ethtool("-K", "tx", "off")
    k = a.ethtool("-k").out
    if not r or "tx-checksumming: off" not in k:
        errs.append("-K tx off: %r; %s" % (r, [ln.strip() for ln in k.splitlines()
                                                if "tx-checksumming" in ln]))
    csum_err0 = tcp_csum_errors(b)
    server = bench.iperf3_server(b, 5202)
    client = bench.background(["iperf3", "-c", b.addr4, "-p", 5202, "-t", 3600],
                              name="iperf3-txoff")
    moving, n, secs = bench.moves(b, "rx", 1 << 20, 60)
    client.kill()
    if server:
        server.kill()
    csum_err = tcp_csum_errors(b) - csum_err0
    if not moving or csum_err:
        errs.append("tx off: %d bytes in %.0f s, %d TCP checksum errors at %s" % (
            n, secs, csum_err, b))
    r = a.ethtool("-K", "tx", "on")
    if not r or "tx-checksumming: on" not in a.ethtool("-k").out:
        errs.append("-K tx on: %r" % r)
    bench.t.errors("-K tx off: read back, a TCP stream moves 1 MiB with no checksum error "
                   "at the receiver; on again", errs)


def tcp_csum_errors(port):
    """TcpExtTCPCsumErrors + Tcp InCsumErrors of port's namespace."""
    r = port.run(["cat", "/proc/net/snmp"])
    lines = [ln.split() for ln in r.out.splitlines() if ln.startswith("Tcp:")]
    if len(lines) >= 2 and "InCsumErrors" in lines[0]:
        return int(lines[1][lines[0].index("InCsumErrors")])
    return 0


def mii_case(bench):
    a = bench.a
    errs = []
    s = net.ns_socket(a.ns, socket.AF_INET, socket.SOCK_DGRAM)
    try:
        ifr = array.array("B", struct.pack("16sHHHH16x", a.ifname.encode(), 0, 0, 0, 0))
        fcntl.ioctl(s, SIOCGMIIPHY, ifr)
        phy = struct.unpack_from("H", ifr, 16)[0]
        regs = {}
        for reg in (MII_BMSR, MII_PHYSID1, MII_PHYSID2):
            ifr = array.array("B", struct.pack("16sHHHH16x", a.ifname.encode(), phy, reg, 0, 0))
            fcntl.ioctl(s, SIOCGMIIREG, ifr)
            regs[reg] = struct.unpack_from("H", ifr, 22)[0]
    except OSError as e:
        errs.append("MII ioctl: %s" % e)
        phy, regs = None, {}
    finally:
        s.close()
    want_addr = int(fe.qom_get(a.qom, "phy-addr"))
    sysfs = (net._read("/sys/class/net/%s/phydev/phy_id" % a.ifname) or "").strip()
    got_id = "0x%04x%04x" % (regs.get(MII_PHYSID1, 0), regs.get(MII_PHYSID2, 0))
    fe.KTAP.diag("MII: PHY %s, PHYSID %s (sysfs %s), BMSR %#x" % (
        phy, got_id, sysfs, regs.get(MII_BMSR, 0)))
    if not errs:
        if phy != want_addr:
            errs.append("SIOCGMIIPHY: PHY %s, the model's phy-addr %d" % (phy, want_addr))
        if not sysfs or int(sysfs, 16) != int(got_id, 16):
            errs.append("PHYSID1/2 %s, sysfs phy_id %r" % (got_id, sysfs))
        if not regs.get(MII_BMSR, 0) & BMSR_LSTATUS:
            errs.append("BMSR %#x: no link" % regs.get(MII_BMSR, 0))
    bench.t.errors("mii ioctl: SIOCGMIIPHY = phy-addr, SIOCGMIIREG PHYSID = sysfs phy_id, "
                   "BMSR link up", errs)


def down_case(bench):
    a, b = bench.a, bench.b
    r0, (ch0, _mx) = a.rings(), a.channels()
    errs = []
    a.ip("link", "set", "dev", a.ifname, "down")
    rg = a.ethtool("-G", "rx", 256, "tx", 128)
    ch = a.ethtool("-L", "combined", 2)
    if not rg or not ch or a.rings()["rx"] != 256 or a.rings()["tx"] != 128 or \
            a.channels()[0] != 2:
        errs.append("while down: -G %r, -L %r, now %s %s" % (rg, ch, a.rings(), a.channels()))
    tr = a.ethtool("-t", "offline", timeout=120)
    res = {}
    for name in TEST_NAMES:
        m = re.search(r"^%s[^\n]*?\s(\d+)\s*$" % name.capitalize(), tr.out, re.M | re.I)
        res[name] = int(m.group(1)) if m else None
    fe.KTAP.diag("ethtool -t offline while down: %s" % res)
    if res["register"] != 0 or res["interrupt"] != 0 or res["loopback"] != errno.ENETDOWN:
        errs.append("-t offline while down: %s (want register 0, interrupt 0, loopback %d)"
                    % (res, errno.ENETDOWN))
    if "UP" in (a.link() or {}).get("flags", []):
        errs.append("-t brought the interface up")
    a.ip("link", "set", "dev", a.ifname, "up")
    net.wait_for(a.carrier, LINK_TIMEOUT, 0.2)
    regs = a.regs()
    qs = a.num_queues()
    if (regs.get("Q0_RX_SIZE"), regs.get("Q0_TX_SIZE")) != (8, 7) or qs != (2, 2):
        errs.append("up: Q0 RX_SIZE %s TX_SIZE %s, queues %s" % (
            regs.get("Q0_RX_SIZE"), regs.get("Q0_TX_SIZE"), qs))
    if not bench.settle(a, b.addr4, tries=5):
        errs.append("no ping answered after up")
    a.ethtool("-G", "rx", r0["rx"], "tx", r0["tx"])
    a.ethtool("-L", "combined", ch0)
    bench.t.errors("while down: -G and -L read back and apply at up, -t offline: register "
                   "and interrupt pass, loopback ENETDOWN, stays down", errs)


def link_settings(port):
    out = port.ethtool().out
    got = []
    for key in ("Speed", "Duplex"):
        m = re.search(r"^\s+%s: (\S+)" % key, out, re.M)
        got.append(m.group(1) if m else None)
    return tuple(got)


def speed_cases(bench):
    a, b = bench.a, bench.b
    for speed, cfg, name in ((10, 0x4, "10Mb/s"), (100, 0x5, "100Mb/s")):
        errs = []
        before = a.regs().get("MAC_CFG", 0)
        r = a.ethtool("-s", "speed", speed, "duplex", "half", "autoneg", "off")
        after = a.regs().get("MAC_CFG", 0)
        if r or after != before:
            errs.append("duplex half: rc %d (want refused), MAC_CFG %#x -> %#x" % (
                r.rc, before, after))
        r = a.ethtool("-s", "speed", speed, "duplex", "full", "autoneg", "off")
        got = net.reg_becomes(a, "MAC_CFG", 0x7, cfg, LINK_TIMEOUT)
        net.wait_for(a.carrier, LINK_TIMEOUT, 0.2)
        ok = bench.settle(a, b.addr4, tries=5)
        if not r or got & 0x7 != cfg or link_settings(a) != (name, "Full") or not ok:
            errs.append("rc %d, MAC_CFG %#x (want %#x), ethtool %s, ping %s" % (
                r.rc, got, cfg, link_settings(a), ok))
        if speed == 100:
            r = a.ethtool("-s", "autoneg", "on", "advertise", "0x2a")
            got = net.reg_becomes(a, "MAC_CFG", 0x7, 0x6, LINK_TIMEOUT)
            net.wait_for(a.carrier, LINK_TIMEOUT, 0.2)
            if not r or got & 0x7 != 0x6 or link_settings(a) != ("1000Mb/s", "Full") or \
                    not bench.settle(a, b.addr4, tries=5):
                errs.append("autoneg on: rc %d, MAC_CFG %#x, ethtool %s" % (
                    r.rc, got, link_settings(a)))
        bench.t.errors("speed %d: duplex half refused, full forced: MAC_CFG %#x, ethtool %s "
                       "Full, pings answered%s" % (speed, cfg, name,
                                                   "; autoneg on: 1000 full, MAC_CFG 0x6"
                                                   if speed == 100 else ""), errs)


# (name, function, its results)
GROUPS = (("filter", filter_cases, 4), ("mac", mac_change_case, 1),
          ("offload", offload_cases, 2), ("mii", mii_case, 1), ("down", down_case, 1),
          ("speed", speed_cases, 2))


def selected_groups():
    """GROUPS that FPGAETH_FEATURES_CASES names (all when unset or empty)."""
    want = [w for w in os.environ.get("FPGAETH_FEATURES_CASES", "").split(",") if w]
    unknown = set(want) - {g[0] for g in GROUPS}
    if unknown:
        sys.exit("FPGAETH_FEATURES_CASES: no group %s (groups: %s)" % (
            ", ".join(sorted(unknown)), ", ".join(g[0] for g in GROUPS)))
    return [g for g in GROUPS if not want or g[0] in want]


def body(bench, groups):
    for _name, fn, _n in groups:
        fn(bench)
    bench.check_dmesg()         # 1


if __name__ == "__main__":
    GROUPS_RUN = selected_groups()
    net.main(sum(g[2] for g in GROUPS_RUN) + 1, lambda bench: body(bench, GROUPS_RUN))
