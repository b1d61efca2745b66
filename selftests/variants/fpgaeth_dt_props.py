#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad and unusual device trees, property by property, and the capability
boundaries the two-port bench cannot show.

Runs on the variants bench (tools/vm/check's second guest), whose device
tree tools/vm/dt-make edits as selftests/variants/dt-edits says (one
instance per edit, found by dtv.instances()). After a fresh module load:
- each broken property (reg missing or too small; interrupts or
  interrupt-names missing, short or misnamed; phy-mode unknown or not the
  MAC's; phy-handle dangling, or to a node of the IP's own MDIO bus where
  no PHY answers (refused once the bus is scanned, not deferred for ever);
  fixed-link without speed; a clocks phandle
  that points nowhere, clocks without clock-names): the device is refused with exactly one error-level
  driver message, the expected one, naming the property; nothing is left
  (no netdev, debugfs directory or interrupt);
- an unknown compatible: the driver does not bind and says nothing;
- local-mac-address invalid or missing: bound with a random address
  (addr_assign_type 1, unicast, locally administered) and one warning
  saying why;
- clocks of two fixed-clock nodes: bound, both clocks enabled once while
  bound, disabled after unbind;
- a model with CAP0.MAX_RING_LOG2 = 7: ethtool -g maximum 128, -G 256
  refused, -G 128 accepted;
- interface names in address order (fpgaeth0 at the lowest address);
- the healthy fixed-link pair meanwhile: the largest MTU CAP0.MAX_FRAME
  allows is accepted, one more refused with an extack, frames of that MTU
  pass both ways, and so does a ping at the default MTU;
- no splat.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import dtv  # noqa: E402

PROBE_TIMEOUT = 60
NS = "fpgaeth-dtp"
V4 = ("192.168.78.1", "192.168.78.2")
HDRS = 14 + 4   # Ethernet + VLAN: max_mtu = CAP0.MAX_FRAME - 18

IRQS = "interrupts and interrupt-names must list misc and q0 to q0"
# id: the one error-level message the driver must print for it
REFUSED = {
    "noreg": r"no register window: reg is missing",
    "smreg": r"reg: a register window of 0x100 bytes, the IP decodes 0x10000",
    "noirq": r"interrupt misc missing: " + IRQS,
    "noirqn": r"interrupt misc missing: " + IRQS,
    "shirq": r"interrupt q0 missing: " + IRQS,
    "badirqn": r"interrupt q0 missing: " + IRQS,
    "badmode": r'phy-mode "bogus" unknown',
    "sgmii": r'phy-mode "sgmii" not supported: the MAC has mii, gmii and rgmii',
    "dangphy": r"phy-handle does not point to a node",
    "nophy": r"phy-handle \S+/mdio/ethernet-phy@1: no PHY answers there on the IP's MDIO bus",
    "badfl": r"fixed-link: no speed",
    "dangclk": r"clocks: an entry is not a clock provider's phandle",
    "clknn": r"clocks without clock-names \(axi, ref\)",
    "clkname": r'clock-names: "aclk" unknown \(axi, ref\)',
}
# id: the warning of a random MAC (%s: the address used)
RANDOM_MAC = {
    "badmac": r"local-mac-address 01:02:03:04:05:06 is not a valid unicast address: "
              r"using random %s",
    "nomac": r"no local-mac-address in the device tree: using random %s",
}
CLOCKS = ("fpgaeth-axi-clk", "fpgaeth-ref-clk")
CLK_DBG = "/sys/kernel/debug/clk"
RING_MAX = 128


def ethtool(*args, ns=None):
    return net.run(["ethtool"] + list(args), ns=ns, timeout=30)


def dev_lines(lines, dev, level):
    """The driver's messages about dev at level or more severe (the core's
    "probe with driver ... failed" line aside)."""
    pre = "fpgaeth %s: " % dev.name
    return [t for lv, t in lines if lv <= level and pre in t and
            "probe with driver" not in t]


def check_refused(dev, lines):
    errs = []
    if dev.bound:
        errs.append("bound")
    if dev.netdevs():
        errs.append("netdev %s exists" % dev.netdevs())
    if os.path.exists(os.path.join(fe.DBG, dev.name)):
        errs.append("debugfs directory %s/%s exists" % (fe.DBG, dev.name))
    if dev.irqs():
        errs.append("interrupts %s requested" % dev.irqs())
    got = dev_lines(lines, dev, 3)
    if len(got) != 1 or not re.search(REFUSED[dev.id], got[0]):
        errs.append("error messages %s, want exactly one matching %r" % (got, REFUSED[dev.id]))
    return ["%s: %s" % (dev, e) for e in errs]


def check_compat(dev, lines):
    errs = []
    if dev.bound:
        errs.append("bound")
    if dev_lines(lines, dev, 7):
        errs.append("the driver spoke: %s" % dev_lines(lines, dev, 7))
    return ["%s: %s" % (dev, e) for e in errs]


def read_file(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def check_random_mac(dev, lines):
    ifs = dev.netdevs()
    if not dev.bound or len(ifs) != 1:
        return ["%s: bound %s, netdevs %s" % (dev, dev.bound, ifs)]
    errs = []
    cls = "/sys/class/net/" + ifs[0]
    addr = read_file(cls + "/address")
    if read_file(cls + "/addr_assign_type") != "1":
        errs.append("addr_assign_type %s, want 1 (random)" % read_file(cls + "/addr_assign_type"))
    first = int(addr.split(":")[0], 16)
    if first & 1 or not first & 2:
        errs.append("address %s is not a locally administered unicast one" % addr)
    want = RANDOM_MAC[dev.id] % re.escape(addr)
    got = dev_lines(lines, dev, 4)
    if len(got) != 1 or not re.search(want, got[0]):
        errs.append("warnings %s, want exactly one matching %r" % (got, want))
    return ["%s: %s" % (dev, e) for e in errs]


def clk_counts():
    return [read_file(os.path.join(CLK_DBG, c, "clk_enable_count")) for c in CLOCKS]


def check_clocks(dev):
    if not os.path.isdir(CLK_DBG):
        return ["no %s (debugfs of the common clock framework)" % CLK_DBG]
    errs = []
    if not dev.bound or len(dev.netdevs()) != 1:
        return ["%s: bound %s, netdevs %s" % (dev, dev.bound, dev.netdevs())]
    if clk_counts() != ["1", "1"]:
        errs.append("bound: enable counts of %s: %s, want 1 each" % (CLOCKS, clk_counts()))
    fe.unbind(dev.name)
    if clk_counts() != ["0", "0"]:
        errs.append("unbound: enable counts %s, want 0 each" % clk_counts())
    fe.bind(dev.name)
    if not dev.bound or clk_counts() != ["1", "1"]:
        errs.append("rebound: bound %s, enable counts %s" % (dev.bound, clk_counts()))
    return errs


def check_ring(dev):
    ifs = dev.netdevs()
    if not dev.bound or len(ifs) != 1:
        return ["%s: bound %s, netdevs %s" % (dev, dev.bound, ifs)]
    ifn, errs = ifs[0], []
    r = ethtool("-g", ifn)
    mx = [int(v) for v in re.findall(r"^(?:RX|TX):\s+(\d+)", r.out.split("Current")[0], re.M)]
    if mx != [RING_MAX, RING_MAX]:
        errs.append("ethtool -g maximums RX, TX %s, want %d" % (mx, RING_MAX))
    for d in ("rx", "tx"):
        r = ethtool("-G", ifn, d, RING_MAX * 2)
        if r.rc == 0:
            errs.append("ethtool -G %s %d accepted" % (d, RING_MAX * 2))
    r = ethtool("-G", ifn, "rx", RING_MAX, "tx", RING_MAX)
    cur = ethtool("-g", ifn).out.split("Current")[-1]
    if r.rc or re.findall(r"^(?:RX|TX):\s+(\d+)", cur, re.M) != [str(RING_MAX)] * 2:
        errs.append("ethtool -G rx %d tx %d: rc %d %s, current %s" % (
            RING_MAX, RING_MAX, r.rc, r.out.strip(), cur.split()))
    return errs


def check_names(devs):
    """Bound instances by address: fpgaeth0, fpgaeth1, ... in that order."""
    bound = sorted((d for d in devs if d.bound and d.netdevs()), key=lambda d: d.unit)
    names = [d.netdevs()[0] for d in bound]
    want = ["fpgaeth%d" % i for i in range(len(bound))]
    return [] if names == want else ["by address %s: %s, want %s" % (
        [d.id for d in bound], names, want)]


def check_pair(pair):
    """Largest MTU accepted, one more refused, frames of it pass both
    ways; then a ping at 1500."""
    errs = []
    a, b = pair
    if not (a.bound and b.bound and a.netdevs() and b.netdevs()):
        return ["fixed-link pair %s not bound" % (pair,)]
    ifa, ifb = a.netdevs()[0], b.netdevs()[0]
    max_mtu = int(a.prop("max-frame")) - HDRS
    net.run(["ip", "link", "set", "dev", ifb, "netns", NS])
    for ifn, ns, addr in ((ifa, None, V4[0]), (ifb, NS, V4[1])):
        ip = ["ip"] + (["-n", ns] if ns else [])
        net.run(ip + ["addr", "add", addr + "/24", "dev", ifn])
        r = net.run(ip + ["link", "set", "dev", ifn, "mtu", max_mtu + 1])
        if r.rc == 0 or "mtu greater than device maximum" not in r.out:
            errs.append("%s: MTU %d (max + 1): rc %d %r" % (ifn, max_mtu + 1, r.rc, r.out.strip()))
        r = net.run(ip + ["link", "set", "dev", ifn, "mtu", max_mtu, "up"])
        if r.rc:
            errs.append("%s: MTU %d refused: %s" % (ifn, max_mtu, r.out.strip()))
        mtu = read_file("/sys/class/net/%s/mtu" % ifn) if not ns else \
            net.run(["cat", "/sys/class/net/%s/mtu" % ifn], ns=ns).out.strip()
        if mtu != str(max_mtu):
            errs.append("%s: mtu %s, want %d" % (ifn, mtu, max_mtu))

    def carrier(ifn, ns):
        return net.run(["cat", "/sys/class/net/%s/carrier" % ifn], ns=ns).out.strip() == "1"
    for ifn, ns in ((ifa, None), (ifb, NS)):
        if not net.wait_for(lambda: carrier(ifn, ns), 30)[0]:
            errs.append("%s: no carrier" % ifn)
    if errs:
        return errs
    size = max_mtu - 28     # IPv4 + ICMP headers
    for src, ns, dst in ((ifa, None, V4[1]), (ifb, NS, V4[0])):
        r = net.run(["ping", "-c", "3", "-W", "5", "-M", "do", "-s", size, dst], ns=ns,
                    timeout=60)
        if r.rc:
            errs.append("%s: ping -s %d -M do %s: %s" % (src, size, dst, r.out.strip()[-200:]))
    r = net.run(["ping", "-c", "3", "-W", "5", "-s", 1472, V4[1]], timeout=60)
    if r.rc:
        errs.append("ping -s 1472 %s: %s" % (V4[1], r.out.strip()[-200:]))
    fe.KTAP.diag("fixed-link pair %s/%s: MTU %d accepted, %d refused, %d-byte pings passed" % (
        ifa, ifb, max_mtu, max_mtu + 1, size))
    return errs


def main():
    if os.geteuid() != 0:
        print("TAP version 13\n1..0 # SKIP needs root")
        sys.exit(4)
    ids = list(REFUSED) + ["compat"] + list(RANDOM_MAC) + ["clk", "ring", "fl0", "fl1"]
    t = fe.KTAP(len(REFUSED) + 11)
    # a fresh load (the first program of the bench: no reload needed), the
    # messages below are this probe's
    if os.path.isdir("/sys/module/fpgaeth"):
        net.run(["rmmod", "fpgaeth"], timeout=120)
    mark = net.dmesg_mark()
    fe.load_driver()
    fe.ensure_debugfs()
    devs, errs = dtv.instances()
    by_id = {d.id: d for d in devs}
    missing = [i for i in ids if i not in by_id]
    t.errors("dt-props: every variant has an instance, DT nodes match the instances",
             errs + ["no instance %s" % i for i in missing])
    if missing:
        t.finish()
        return
    good = [d for d in devs if d.id not in REFUSED and d.id != "compat" and
            d.id not in ("bid", "bver", "nq0", "nq3")]
    net.wait_for(lambda: all(d.bound for d in good), PROBE_TIMEOUT)
    lines = dtv.raw_since(mark)
    for i in REFUSED:
        t.errors("dt-props: %s (%s) refused with one message naming it" % (
            i, "; ".join(by_id[i].edits)), check_refused(by_id[i], lines))
    t.errors("dt-props: an unknown compatible does not bind",
             check_compat(by_id["compat"], lines))
    for i in RANDOM_MAC:
        t.errors("dt-props: %s (%s): a random MAC and a warning" % (
            i, "; ".join(by_id[i].edits) or "-"), check_random_mac(by_id[i], lines))
    errs = check_names(devs)
    if errs:
        # the order the probes ran and registered in (deferred probes?)
        for _lv, ln in lines:
            if re.search(r"fpgaeth \S+: ID 0x|fpgaeth\d+: \S+, \d+ queue pairs|defer", ln):
                fe.KTAP.diag(ln)
    t.errors("dt-props: interface names follow the addresses", errs)
    t.errors("dt-props: clocks of fixed-clock nodes enabled while bound",
             check_clocks(by_id["clk"]))
    t.errors("dt-props: CAP0.MAX_RING_LOG2 7: ethtool -g max %d, -G above refused" % RING_MAX,
             check_ring(by_id["ring"]))
    try:
        net.run(["ip", "netns", "add", NS])
        t.errors("dt-props: the fixed-link pair: max MTU accepted, max + 1 refused, frames "
                 "of max MTU and 1500 pass", check_pair((by_id["fl0"], by_id["fl1"])))
    finally:
        net.run(["ip", "netns", "del", NS])
    t.errors("dt-props: the refused instances stay refused after a rebind attempt",
             rebind_refused([d for d in devs if d.id in REFUSED]))
    mark2 = net.dmesg_mark()
    r = net.run(["rmmod", "fpgaeth"], timeout=120)
    t.errors("dt-props: rmmod: no clock left enabled, no splat",
             (["rmmod: %s" % r.out.strip()] if r.rc else []) +
             (["clock enable counts %s after rmmod" % clk_counts()]
              if os.path.isdir(CLK_DBG) and clk_counts() != ["0", "0"] else []) +
             net.splats(net.dmesg_since(mark2)))
    t.errors("dt-props: no splat", net.splats(net.dmesg_since(mark)))
    t.finish()


def rebind_refused(devs):
    """A bind request of each refused device fails again, with the same one
    message, and leaves nothing (one kernel log read for all: a read costs
    a second in the guest)."""
    mark = net.dmesg_mark()
    errs = []
    for dev in devs:
        if not os.path.isdir(dev.sysfs):
            errs.append("%s: no platform device" % dev)
            continue
        # one write (a buffered file retries a failed write when closed)
        fd = os.open(os.path.join(fe.DRV, "bind"), os.O_WRONLY)
        try:
            os.write(fd, dev.name.encode())
        except OSError:
            pass
        finally:
            os.close(fd)
    lines = dtv.raw_since(mark)
    return errs + [e for d in devs if os.path.isdir(d.sysfs) for e in check_refused(d, lines)]


if __name__ == "__main__":
    main()
