#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Device-tree and identification variants the two-port bench cannot show.

Runs on its own bench (tools/vm/check's second guest, FPGAETH_DEVICES of
selftests/variants/devices; the instances whose DT is edited are
fpgaeth_dt_props.py's): every instance's variant is read from the
model's properties over QMP (dt-num-queues, dt-fixed-link, ip-id,
ip-version, num-queues), and the driver must:
- fpgaeth,num-queues = N (1 to NUM_QP): bind, use N queue pairs (ethtool -l
  maximum and current N, -L N+1 refused, N q interrupts requested, ethtool -S
  per-queue counters for N queues only);
- fpgaeth,num-queues = 0 or above NUM_QP: refuse to bind, naming the value
  and the range;
- fixed-link: bind without an MDIO bus; the interface gets carrier at
  1000 Mb/s full duplex (ethtool) and two such ports ping each other;
- ID or VERSION major wrong: refuse to bind, dmesg naming the value read
  and the one expected;
- CAP1 without features (the model's features property, e.g. 0: no
  checksum offloads, RSS, loopback, SG, MC_HASH or PAUSE): bind, offer
  none of the matching offloads (ethtool -k: fixed off), refuse -X
  (EOPNOTSUPP) and pause settings, keep CTRL's RSS_EN and RX_CSUM_EN 0,
  filter multicast with CTRL.ALLMULTI (no hash filter); advertise the XDP
  feature ndo-xmit-sg (netdev family's xdp-features) only with TX_SG (a
  frame of more than one descriptor needs it) and rx-sg either way;
- two of those carry traffic: one without TX_CSUM, RX_CSUM and TX_SG (the
  stack checksums and linearises, the driver reports CHECKSUM_NONE) and
  one without RSS (every frame on RX queue 0): 1 MiB of TCP each way
  (iperf3 -n), no TCP checksum error at either end, the first's
  rx<q>_csum_complete unmoved and csum_none grown, the second's
  csum_complete grown;
- a refused instance leaves nothing behind (no netdev, no debugfs
  directory, no interrupt requested), the module unloads without a splat
  and with no interrupt left requested, and a reload gives the same result.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import dtv  # noqa: E402

PLAN = 11
# CAP1 bits 0-6: TX_CSUM, RX_CSUM, RSS, LOOPBACK, TX_SG, MC_HASH, PAUSE
CAP1_V10 = 0x7f
CTRL_ALLMULTI = 1 << 4
CAP1_TX_SG = 1 << 4
# netdev generic netlink family: dev-get, its ifindex and xdp-features
NETDEV_CMD_DEV_GET = 1
XDP_RX_SG, XDP_NDO_XMIT_SG = 1 << 5, 1 << 6
NS = "fpgaeth-dtv"
V4 = ("192.168.79.1", "192.168.79.2")
V4T = ("192.168.80.1", "192.168.80.2")     # the features pair's traffic,
NST = ("fpgaeth-dtf0", "fpgaeth-dtf1")     # each in a namespace of its own:
# with another interface of the bench in the same namespace, that one would
# answer ARP for the address too (arp_ignore 0) and take the traffic
TCP_PORT = 5210
TCP_BYTES = "1M"
PROBE_TIMEOUT = 60


class Inst:
    """One instance: its platform device and the model's properties."""

    def __init__(self, dev, magic):
        self.dev = dev
        self.name = dev.name
        self.id = dev.qom.rsplit("/", 1)[-1]
        self.nqp = int(dev.prop("num-queues"))
        self.dt_nqp = int(dev.prop("dt-num-queues"))
        self.fixed = bool(dev.prop("dt-fixed-link"))
        self.ip_id = int(dev.prop("ip-id"))
        self.ip_version = int(dev.prop("ip-version"))
        self.features = int(dev.prop("features"))
        self.magic = magic
        if self.ip_id != magic:
            self.kind = "bad-id"
        elif self.ip_version >> 16 != 1:
            self.kind = "bad-version"
        elif self.dt_nqp == 0 or self.dt_nqp > self.nqp:
            self.kind = "bad-num-queues"
        elif self.dt_nqp > 0:
            self.kind = "num-queues"
        elif self.fixed:
            self.kind = "fixed-link"
        elif self.features & CAP1_V10 != CAP1_V10:
            self.kind = "features"
        else:
            self.kind = "plain"

    def __repr__(self):
        return "%s (%s, %s)" % (self.id, self.name, self.kind)

    def netdevs(self):
        d = os.path.join(self.dev.sysfs, "net")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def irqs(self):
        """Names of the interrupts requested for this device."""
        return sorted(fe.device_interrupts(self.name))

    def expected_error(self):
        """The regex of the probe error this variant must print."""
        if self.kind == "bad-id":
            return r"bad ID %#010x \(expected %#010x\)" % (self.ip_id, self.magic)
        if self.kind == "bad-version":
            return (r"unsupported programming model version %d\.%d \(driver supports 1\.x\)"
                    % (self.ip_version >> 16, self.ip_version & 0xffff))
        if self.kind == "bad-num-queues":
            return r"fpgaeth,num-queues = %d, the IP has 1 to %d" % (self.dt_nqp, self.nqp)
        return None


def ethtool(*args, ns=None):
    return net.run(["ethtool"] + list(args), ns=ns, timeout=30)


def section(text, title):
    """The "Combined:" value under a title of ethtool -l output."""
    m = re.search(re.escape(title) + r".*?Combined:\s*(\d+)", text, re.S)
    return int(m.group(1)) if m else None


def check_refused(inst, lines):
    """Problems with a refused instance: bound, leftovers, no clear error."""
    errs = []
    if inst.dev.bound:
        errs.append("%s: bound" % inst)
    if inst.netdevs():
        errs.append("%s: netdev %s exists" % (inst, inst.netdevs()))
    if os.path.exists(os.path.join(fe.DBG, inst.name)):
        errs.append("%s: debugfs directory %s/%s exists" % (inst, fe.DBG, inst.name))
    if inst.irqs():
        errs.append("%s: interrupts %s still requested" % (inst, inst.irqs()))
    want = re.compile(r"fpgaeth %s: .*%s" % (re.escape(inst.name), inst.expected_error()))
    if not any(want.search(ln) for ln in lines):
        errs.append("%s: no kernel message matching %r" % (inst, want.pattern))
    return errs


def check_num_queues(inst):
    errs = []
    n = inst.dt_nqp
    if not inst.dev.bound or len(inst.netdevs()) != 1:
        return ["%s: not bound or no netdev (%s)" % (inst, inst.netdevs())]
    ifname = inst.netdevs()[0]
    r = ethtool("-l", ifname)
    mx, cur = section(r.out, "Pre-set maximums"), section(r.out, "Current hardware settings")
    if mx != n or cur != n:
        errs.append("%s: ethtool -l combined max %s current %s, want %d" % (inst, mx, cur, n))
    r = ethtool("-L", ifname, "combined", str(n + 1))
    if r.rc == 0:
        errs.append("%s: ethtool -L combined %d accepted" % (inst, n + 1))
    want = ["misc"] + ["q%d" % q for q in range(n)]
    if inst.irqs() != sorted(want):
        errs.append("%s: interrupts %s requested, want %s" % (inst, inst.irqs(), sorted(want)))
    r = ethtool("-S", ifname)
    qs = set()
    for line in r.out.splitlines():
        m = re.match(r"\s*[tr]x(\d+)_\S+:", line)
        if m:
            qs.add(int(m.group(1)))
    if qs != set(range(n)):
        errs.append("%s: ethtool -S has counters of queues %s, want 0..%d"
                    % (inst, sorted(qs), n - 1))
    return errs


def check_fixed(insts):
    """Carrier at 1000/full without an MDIO bus; ping across two of them."""
    errs = []
    ports = []
    for inst in insts:
        if not inst.dev.bound or len(inst.netdevs()) != 1:
            errs.append("%s: not bound or no netdev (%s)" % (inst, inst.netdevs()))
            continue
        mdio = [d for d in os.listdir("/sys/bus/mdio_bus/devices")
                if d.startswith(inst.name)] if os.path.isdir("/sys/bus/mdio_bus/devices") else []
        if mdio:
            errs.append("%s: MDIO devices %s" % (inst, mdio))
        ports.append((inst, inst.netdevs()[0]))
    if errs:
        return errs
    for i, (inst, ifname) in enumerate(ports):
        ns = NS if i == 1 else None
        if ns:
            net.run(["ip", "link", "set", "dev", ifname, "netns", ns])
        net.run(["ip"] + (["-n", ns] if ns else []) + ["addr", "add", V4[i] + "/24",
                                                       "dev", ifname])
        net.run(["ip"] + (["-n", ns] if ns else []) + ["link", "set", ifname, "up"])

        def carrier(ifname=ifname, ns=ns):
            r = net.run(["cat", "/sys/class/net/%s/carrier" % ifname], ns=ns)
            return r.rc == 0 and r.out.strip() == "1"
        if not net.wait_for(carrier, 30)[0]:
            errs.append("%s: %s has no carrier" % (inst, ifname))
            continue
        out = ethtool(ifname, ns=ns).out
        for want in ("Speed: 1000Mb/s", "Duplex: Full", "Link detected: yes"):
            if want not in out:
                errs.append("%s: ethtool %s lacks %r" % (inst, ifname, want))
        fe.KTAP.diag("ethtool %s: %s" % (ifname, ", ".join(
            ln.strip() for ln in out.splitlines()
            if re.match(r"\s*(Speed|Duplex|Link detected):", ln))))
    if errs or len(ports) < 2:
        return errs + ([] if len(ports) >= 2 else ["fewer than two fixed-link ports"])
    r = net.run(["ping", "-c", "3", "-W", "5", V4[1]], timeout=60)
    if r.rc != 0:
        errs.append("ping %s -> %s failed: %s" % (ports[0][1], V4[1], r.out.strip()[-200:]))
    return errs


def check_features(insts):
    """Problems of features-masked instances: an offload it lacks offered,
    -X or -A accepted, CTRL bits of absent features set, no ALLMULTI
    without MC_HASH, the loopback self-test run without LOOPBACK; and, for
    the features it has, the offload not offered or the setting refused."""
    errs = []
    for inst in insts:
        ifs = inst.netdevs()
        if not inst.dev.bound or len(ifs) != 1:
            errs.append("%s: bound %s, netdevs %s" % (inst, inst.dev.bound, ifs))
            continue
        errs += (feature_offloads(inst, ifs[0]) + feature_settings(inst, ifs[0]) +
                 feature_xdp(inst, ifs[0]))
        net.run(["ip", "link", "set", "dev", ifs[0], "up"])
        errs += feature_ctrl(inst)
        if not inst.features & 1 << 3:
            errs += no_loopback(inst, ifs[0])
        net.run(["ip", "link", "set", "dev", ifs[0], "down"])
    return errs


def feature_offloads(inst, ifn):
    """ethtool -k: each offload of a clear CAP1 bit is off [fixed], each of a
    set bit is offered (not fixed) and on by default."""
    errs = []
    k = ethtool("-k", ifn).out
    # (the parent lines tx-checksumming and scatter-gather never say
    # [fixed]: their features do)
    for bit, name in ((0, "tx-checksum-ip-generic"), (1, "rx-checksumming"),
                      (2, "receive-hashing"), (4, "tx-scatter-gather")):
        line = [ln.strip() for ln in k.splitlines() if ln.strip().startswith(name + ":")]
        want = "%s: off [fixed]" % name if not inst.features & 1 << bit else "%s: on" % name
        if line != [want]:
            errs.append("%s: CAP1 bit %d %s, ethtool -k: %s (want %r)" % (
                inst, bit, "set" if inst.features & 1 << bit else "clear", line, want))
    return errs


def feature_xdp(inst, ifn):
    """xdp-features: ndo-xmit-sg exactly with CAP1.TX_SG, rx-sg always."""
    with open("/sys/class/net/%s/ifindex" % ifn) as f:
        idx = int(f.read())
    feats = [d.get("xdp-features", 0) for d in
             net.netdev_dump(NETDEV_CMD_DEV_GET, {1: "ifindex", 3: "xdp-features"})
             if d.get("ifindex") == idx]
    if len(feats) != 1:
        return ["%s: netdev dev-get has %d entries for ifindex %d" % (inst, len(feats), idx)]
    want = XDP_RX_SG | (XDP_NDO_XMIT_SG if inst.features & CAP1_TX_SG else 0)
    if feats[0] & (XDP_RX_SG | XDP_NDO_XMIT_SG) != want:
        return ["%s: CAP1.TX_SG %s, xdp-features %#x (want rx-sg %s ndo-xmit-sg)" % (
            inst, "set" if inst.features & CAP1_TX_SG else "clear", feats[0],
            "with" if want & XDP_NDO_XMIT_SG else "without")]
    fe.KTAP.diag("%s: xdp-features %#x" % (inst, feats[0]))
    return []


def feature_settings(inst, ifn):
    """-X (RSS) and -A (PAUSE): refused without the feature, taken with it."""
    errs = []
    f = inst.features
    r = ethtool("-X", ifn, "equal", 1)
    if not f & 1 << 2 and r.rc == 0:
        errs.append("%s: no RSS, ethtool -X accepted" % inst)
    elif f & 1 << 2 and r.rc != 0:
        errs.append("%s: RSS, ethtool -X equal 1 refused: %r" % (inst, r))
    if f & 1 << 2:
        ethtool("-X", ifn, "default")
    r = ethtool("-A", ifn, "autoneg", "off", "rx", "on", "tx", "on")
    if not f & 1 << 6 and r.rc == 0:
        errs.append("%s: no PAUSE, ethtool -A rx on tx on accepted" % inst)
    elif f & 1 << 6 and r.rc != 0:
        errs.append("%s: PAUSE, ethtool -A rx on tx on refused: %r" % (inst, r))
    return errs


def no_loopback(inst, ifn):
    """Without CAP1.LOOPBACK the offline self-test of a running interface
    reports its loopback test failed and says why."""
    mark = net.dmesg_mark()
    r = net.run(["ethtool", "-t", ifn, "offline"], timeout=120)
    lb = re.search(r"^Loopback test\s+\(offline\)\s+(\d+)", r.out, re.M)
    errs = []
    if not lb or int(lb.group(1)) == 0:
        errs.append("%s: no LOOPBACK, ethtool -t loopback line %s" % (
            inst, lb.group(0) if lb else None))
    if not any("no internal loopback" in ln for ln in net.dmesg_since(mark)):
        errs.append("%s: no LOOPBACK, the kernel log does not say why the test failed" % inst)
    return errs


def feature_ctrl(inst):
    """Up: the driver never set a CTRL bit of an absent feature (the IP keeps
    such a bit 0, so only the model's protocol-errors count sees the write:
    programming model, "Queue enable and disable" checks); multicast through
    the hash filter with MC_HASH, through CTRL.ALLMULTI without."""
    errs = []
    f = inst.features
    ctrl = inst.dev.debugfs_regs().get("CTRL", 0)
    perr = int(fe.qmp("qom-get", path=inst.dev.qom, property="protocol-errors"))
    if perr:
        errs.append("%s: protocol-errors %d (a CTRL bit of an absent feature set, or "
                    "another rule broken: -d guest_errors says which)" % (inst, perr))
    if not f & 1 << 5 and not ctrl & CTRL_ALLMULTI:
        errs.append("%s: no MC_HASH but CTRL %#x lacks ALLMULTI" % (inst, ctrl))
    if f & 1 << 5 and ctrl & CTRL_ALLMULTI:
        errs.append("%s: MC_HASH but CTRL %#x has ALLMULTI (no hash filter)" % (inst, ctrl))
    return errs


def csum_counts(ifn, ns=None):
    """(sum of rx<q>_csum_complete, of rx<q>_csum_none) of ethtool -S."""
    out = ethtool("-S", ifn, ns=ns).out
    return tuple(sum(int(v) for v in re.findall(r"^\s*rx\d+_csum_%s: (\d+)" % k, out, re.M))
                 for k in ("complete", "none"))


def tcp_in_csum_errors(ns=None):
    """Tcp InCsumErrors of /proc/net/snmp (in namespace ns)."""
    r = net.run(["cat", "/proc/net/snmp"], ns=ns)
    rows = [ln.split() for ln in r.out.splitlines() if ln.startswith("Tcp:")]
    if len(rows) < 2 or "InCsumErrors" not in rows[0]:
        return None
    return int(rows[1][rows[0].index("InCsumErrors")])


def feature_pair(insts):
    """(A, B): A without TX_CSUM, RX_CSUM and TX_SG, B another one without
    RSS, both bound with one interface; or None."""
    up = [i for i in insts if i.dev.bound and len(i.netdevs()) == 1]
    a = [i for i in up if not i.features & (1 << 0 | 1 << 1 | 1 << 4)]
    b = [i for i in up if not i.features & 1 << 2 and (not a or i is not a[0])]
    return (a[0], b[0]) if a and b else None


def check_feature_traffic(insts):
    """TCP both ways between an instance without checksum offloads and SG
    and one without RSS: delivered, no checksum error, the RX checksum
    counters as each instance's CAP1 says."""
    pair = feature_pair(insts)
    if not pair:
        return ["no bound pair of features instances (no csum/SG, no RSS) among %s" % insts]
    (a, ifa), (b, ifb) = ((i, i.netdevs()[0]) for i in pair)
    try:
        for ns in NST:
            net.run(["ip", "netns", "add", ns])
        return feature_traffic(a, ifa, b, ifb)
    finally:
        for ns in NST:
            net.run(["ip", "netns", "del", ns])
        for ifn in (ifa, ifb):
            net.wait_for(lambda ifn=ifn: os.path.isdir("/sys/class/net/" + ifn), 10)
            net.run(["ip", "link", "set", "dev", ifn, "down"])


def feature_traffic(a, ifa, b, ifb):
    """check_feature_traffic's exchange, A's interface in NST[0], B's in
    NST[1]."""
    errs = []
    for ifn, ns, addr in ((ifa, NST[0], V4T[0]), (ifb, NST[1], V4T[1])):
        net.run(["ip", "link", "set", "dev", ifn, "netns", ns])
        net.run(["ip", "-n", ns, "addr", "add", addr + "/24", "dev", ifn])
        net.run(["ip", "-n", ns, "link", "set", "dev", ifn, "up"])
        if not net.wait_for(lambda ifn=ifn, ns=ns: net.run(
                ["cat", "/sys/class/net/%s/carrier" % ifn], ns=ns).out.strip() == "1", 30)[0]:
            errs.append("%s: %s has no carrier" % (a if ns == NST[0] else b, ifn))
    if errs:
        return errs
    c0 = (csum_counts(ifa, NST[0]), csum_counts(ifb, NST[1]))
    e0 = tuple(tcp_in_csum_errors(ns) for ns in NST)
    srv = net.Background(["iperf3", "-s", "-B", V4T[1], "-p", TCP_PORT], ns=NST[1],
                         name="iperf3-server")
    try:
        net.wait_for(lambda: ":%d " % TCP_PORT in net.run(["ss", "-Hltn"], ns=NST[1]).out, 10)
        for rev in ([], ["-R"]):
            r = net.run(["iperf3", "-c", V4T[1], "-p", TCP_PORT, "-n", TCP_BYTES] + rev,
                        ns=NST[0], timeout=120)
            if r.rc:
                errs.append("iperf3 -n %s %s: rc %d %s" % (TCP_BYTES, " ".join(rev) or
                                                           "(A -> B)", r.rc, r.out.strip()[-200:]))
    finally:
        srv.kill()
    c1 = (csum_counts(ifa, NST[0]), csum_counts(ifb, NST[1]))
    e1 = tuple(tcp_in_csum_errors(ns) for ns in NST)
    if e1 != e0:
        errs.append("Tcp InCsumErrors (A, B) %s -> %s" % (e0, e1))
    da = [y - x for x, y in zip(c0[0], c1[0])]
    db = [y - x for x, y in zip(c0[1], c1[1])]
    # 1 MiB each way: more than 700 full segments received at each end
    if da[0] != 0 or da[1] < 700:
        errs.append("%s (no RX_CSUM): csum_complete +%d, csum_none +%d" % (a, *da))
    if b.features & 1 << 1 and db[0] < 700:
        errs.append("%s (RX_CSUM): csum_complete +%d, csum_none +%d" % (b, *db))
    fe.KTAP.diag("features traffic %s/%s: csum complete/none +%s on %s, +%s on %s" % (
        ifa, ifb, da, a.id, db, b.id))
    return errs


def refused_all(insts, lines):
    errs = []
    for inst in insts:
        errs += check_refused(inst, lines)
    return errs


def main():
    fe.setup()
    t = fe.KTAP(PLAN)
    glob_regs, _q, _c = fe.parse_spec()
    magic = {r.name: r.reset for r in glob_regs}["ID"]
    # (the instances whose DT FPGAETH_DT_EDITS changes: fpgaeth_dt_props.py)
    devs, errs = dtv.instances()
    insts = [Inst(d, magic) for d in devs if not d.edits]
    by_kind = {}
    for i in insts:
        by_kind.setdefault(i.kind, []).append(i)
    fe.KTAP.diag("instances: %s" % insts)
    kinds = ("num-queues", "bad-num-queues", "fixed-link", "features", "bad-id",
             "bad-version")
    missing = [k for k in kinds if k not in by_kind]
    t.errors("dt-variants: every variant has an instance", errs +
             ["no %s instance" % k for k in missing] +
             (["%d fixed-link instances, need 2" % len(by_kind.get("fixed-link", []))]
              if len(by_kind.get("fixed-link", [])) < 2 else []))

    def settle():
        return all(i.dev.bound for k in ("num-queues", "fixed-link", "features", "plain")
                   for i in by_kind.get(k, []))
    net.wait_for(settle, PROBE_TIMEOUT)
    lines = fe.dmesg()
    t.errors("dt-variants: fpgaeth,num-queues below NUM_QP restricts the queues",
             [e for i in by_kind.get("num-queues", []) for e in check_num_queues(i)] or
             ([] if by_kind.get("num-queues") else ["no instance"]))
    t.errors("dt-variants: fpgaeth,num-queues 0 or above NUM_QP is refused",
             refused_all(by_kind.get("bad-num-queues", []), lines) or
             ([] if by_kind.get("bad-num-queues") else ["no instance"]))
    t.errors("dt-variants: CAP1 without features: bound, none of their offloads, -X and "
             "-A refused, CTRL bits 0, ALLMULTI without MC_HASH, ndo-xmit-sg only with TX_SG",
             check_features(by_kind.get("features", [])) or
             ([] if by_kind.get("features") else ["no instance"]))
    t.errors("dt-variants: a bad ID is refused",
             refused_all(by_kind.get("bad-id", []), lines) or
             ([] if by_kind.get("bad-id") else ["no instance"]))
    t.errors("dt-variants: a bad VERSION major is refused",
             refused_all(by_kind.get("bad-version", []), lines) or
             ([] if by_kind.get("bad-version") else ["no instance"]))
    try:
        net.run(["ip", "netns", "add", NS])
        t.errors("dt-variants: fixed-link has carrier at 1000/full and passes traffic",
                 check_fixed(by_kind.get("fixed-link", [])))
        t.errors("dt-variants: CAP1 without checksum offloads and SG, and without RSS: "
                 "TCP both ways, no checksum error, RX checksum counters as CAP1 says",
                 check_feature_traffic(by_kind.get("features", [])))
    finally:
        net.run(["ip", "netns", "del", NS])

    # unload: nothing of the refused instances may be in the way
    mark = net.dmesg_mark()
    r = net.run(["rmmod", "fpgaeth"], timeout=120)
    gone = net.wait_for(lambda: not os.path.isdir("/sys/module/fpgaeth"), 30)[0]
    left = [n for n in (os.listdir(fe.DBG) if os.path.isdir(fe.DBG) else [])]
    spl = net.splats(net.dmesg_since(mark))
    irqs = ["%s: interrupts %s still requested" % (i, i.irqs()) for i in insts if i.irqs()]
    t.errors("dt-variants: the module unloads cleanly",
             (["rmmod: %s" % r.out.strip()] if r.rc else []) +
             ([] if gone else ["module still loaded"]) +
             (["debugfs %s left: %s" % (fe.DBG, left)] if left or os.path.isdir(fe.DBG)
              else []) + irqs + spl)

    # reload: the same instances bind, the same ones are refused again
    mark = net.dmesg_mark()
    fe.load_driver()
    net.wait_for(settle, PROBE_TIMEOUT)
    lines = net.dmesg_since(mark)
    bad = [i for k in ("bad-num-queues", "bad-id", "bad-version") for i in by_kind.get(k, [])]
    good = [i for k in ("num-queues", "fixed-link", "features", "plain")
            for i in by_kind.get(k, [])]
    t.errors("dt-variants: a reload refuses the same instances",
             refused_all(bad, lines) + ["%s: not bound after reload" % i
                                        for i in good if not i.dev.bound])
    t.errors("dt-variants: no splat", net.splats(fe.dmesg()))
    t.finish()


if __name__ == "__main__":
    main()
