#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The device tree describes every fpgaeth instance of the bench, and the
driver binds each one.

Per DT node (compatible "fpgaeth,eth-1.0"): reg (translated to the address
the platform device is named after), interrupts with interrupt-names "misc",
"q0".."q<N-1>" (N = the model's num-queues), local-mac-address (= the
model's mac), phy-handle (-> a node whose reg is the model's phy-addr).
Then: the driver is registered, binds every node, and each of its
interrupt lines is requested and delivered: the offline self-test
(ethtool -t IF offline, the interface down) raises each line once through
IRQ_SET, its "Interrupt test" must pass and every line's count in
/proc/interrupts must have grown (the probe does not test the lines).
"""
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402

DT = "/proc/device-tree"


def u32(data):
    return struct.unpack(">I", data[:4])[0]


def find_nodes():
    nodes = []
    for root, _dirs, files in os.walk(DT):
        if "compatible" in files:
            compat = fe.dt_read(root, "compatible").decode(errors="replace").split("\0")
            if fe.COMPAT in compat:
                nodes.append(root)
    return sorted(nodes)


def phandles():
    out = {}
    for root, _dirs, files in os.walk(DT):
        if "phandle" in files:
            out[u32(fe.dt_read(root, "phandle"))] = root
    return out


def interrupt_cells(node, handles):
    """#interrupt-cells of the node's interrupt parent."""
    n = node
    while n.startswith(DT):
        ip = fe.dt_read(n, "interrupt-parent")
        if ip:
            parent = handles.get(u32(ip))
            cells = fe.dt_read(parent, "#interrupt-cells") if parent else None
            return u32(cells) if cells else None
        n = os.path.dirname(n)
    return None


def check_node(node, dev, handles):
    """Problems with one node; dev is the fe.Device bound to it (or None)."""
    errs = []
    for prop in ("reg", "interrupts", "interrupt-names", "local-mac-address",
                 "phy-handle"):
        if not fe.dt_read(node, prop):
            errs.append("no %s" % prop)
    if errs:
        return errs

    # reg: one 64 KiB window, at the address the platform device is named for
    if dev is None:
        return ["no platform device for this node"]
    if dev.size != fe.REGS_SIZE:
        errs.append("reg size %#x, want %#x" % (dev.size, fe.REGS_SIZE))
    prefix = dev.name.split(".")[0]
    if int(prefix, 16) != dev.phys:
        errs.append("reg translates to %#x, device is %s" % (dev.phys, dev.name))

    # interrupts and their names: misc, q0..q<N-1>
    names = fe.dt_read(node, "interrupt-names").decode().rstrip("\0").split("\0")
    cells = interrupt_cells(node, handles)
    nirq = len(fe.dt_read(node, "interrupts")) // 4 // cells if cells else None
    if nirq != len(names):
        errs.append("%s interrupts but %d interrupt-names" % (nirq, len(names)))
    nq = int(dev.prop("num-queues")) if dev.qom else None
    want = ["misc"] + ["q%d" % q for q in range(nq if nq is not None else len(names) - 1)]
    if names != want:
        errs.append("interrupt-names %s, want %s" % (names, want))

    # local-mac-address: 6 bytes, unicast, the model's mac
    mac = fe.dt_read(node, "local-mac-address")
    if len(mac) != 6 or mac[0] & 1:
        errs.append("local-mac-address %s is not a unicast MAC" % mac.hex())
    if dev.qom and str(dev.prop("mac")).lower() != dev.mac:
        errs.append("local-mac-address %s, model mac %s" % (dev.mac, dev.prop("mac")))

    # phy-handle: a node, the PHY at the model's phy-addr
    ph = u32(fe.dt_read(node, "phy-handle"))
    phy = handles.get(ph)
    if not phy:
        errs.append("phy-handle %#x points to no node" % ph)
    else:
        reg = fe.dt_read(phy, "reg")
        pa = int(dev.prop("phy-addr")) if dev.qom else None
        if not reg or (pa is not None and u32(reg) != pa):
            errs.append("PHY node %s reg %s, model phy-addr %s" %
                        (phy, reg and u32(reg), pa))
    return errs


def irq_counts():
    """{name: total count} from /proc/interrupts."""
    return {n: c for n, (_irq, c) in fe.interrupts().items()}


def irq_selftest(dev):
    """Run the offline self-test on dev's interface: errors."""
    netdir = os.path.join(dev.sysfs, "net")
    ifs = os.listdir(netdir) if os.path.isdir(netdir) else []
    if not ifs:
        return ["no network interface"]
    r = subprocess.run(["ethtool", "-t", ifs[0], "offline"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    m = re.search(r"Interrupt test \(offline\)\s+(\d+)", r.stdout)
    if not m:
        return ["ethtool -t %s offline: %s" % (ifs[0], r.stdout.strip()[-200:])]
    return [] if m.group(1) == "0" else ["%s: interrupt self-test result %s (see dmesg)"
                                         % (ifs[0], m.group(1))]


def main():
    fe.setup()
    nodes = find_nodes()
    devs = {os.path.realpath(d.node): d for d in fe.devices()}
    qom_errs = fe.match_qom(list(devs.values()))
    expected = fe.expected_devices()
    handles = phandles()

    t = fe.KTAP(3 + 3 * max(len(nodes), expected))
    t.check("dt: %d nodes compatible with %s" % (expected, fe.COMPAT),
            len(nodes) == expected, "found %d: %s" % (len(nodes), nodes))
    t.errors("dt: nodes match the QEMU model's instances (by MAC)", qom_errs)
    t.check("bind: driver registered", os.path.isdir(fe.DRV), "no " + fe.DRV)

    before = irq_counts()
    tested = {name: irq_selftest(d) for name, d in devs.items() if d.bound}
    irqs = irq_counts()
    for i in range(max(len(nodes), expected)):
        if i >= len(nodes):
            for what in ("properties", "bound", "interrupts"):
                t.fail("dt: node %d: %s" % (i, what), "node missing")
            continue
        node = nodes[i]
        dev = devs.get(os.path.realpath(node))
        label = os.path.relpath(node, DT)
        t.errors("dt: %s: reg, interrupts, interrupt-names, local-mac-address, "
                 "phy-handle" % label, check_node(node, dev, handles))
        if dev is None:
            t.fail("bind: %s bound" % label, "no platform device")
            t.fail("irq: %s lines requested and delivered" % label, "no device")
            continue
        t.check("bind: %s bound" % dev.name, dev.bound,
                "not bound to fpgaeth (see dmesg)")
        names = fe.dt_read(node, "interrupt-names").decode().rstrip("\0").split("\0")
        errs = list(tested.get(os.path.realpath(node), ["not bound: not tested"]))
        for n in names:
            key = "%s-%s" % (dev.name, n)
            if key not in irqs:
                errs.append("%s not in /proc/interrupts" % key)
            elif irqs[key] <= before.get(key, 0):
                errs.append("%s did not fire in the self-test" % key)
        t.errors("irq: %s lines %s requested and delivered" % (dev.name, ",".join(names)),
                 errs)
    t.finish()


if __name__ == "__main__":
    main()
