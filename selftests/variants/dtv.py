# SPDX-License-Identifier: GPL-2.0
"""The variants bench's instances, found without trusting their DT nodes.

fpgaeth.devices() pairs a DT node with its QEMU instance by compatible and
local-mac-address, and needs "reg": the DT variants (FPGAETH_DT_EDITS)
remove or change exactly those. Here the pairing is by order: QEMU's
platform bus places the instances in FPGAETH_DEVICES order at increasing
addresses and tools/vm/dt-make lists the nodes in address order, so the
N-th ethernet@ node under the platform bus is the N-th instance.
"""
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fpgaeth as fe  # noqa: E402

DT = "/sys/firmware/devicetree/base"


class VDev(fe.Device):
    """An instance: QOM id, DT node, platform device (None if the kernel
    made none) and the DT edits it got."""

    def __init__(self, ident, node, pdev, edits):
        self.id = ident
        self.name = pdev or "(no device: %s)" % os.path.basename(node)
        self.sysfs = os.path.join("/sys/bus/platform/devices", self.name)
        self.node = node
        self.unit = int(node.rsplit("@", 1)[1], 16)
        mac = fe.dt_read(node, "local-mac-address") or b""
        self.mac = ":".join("%02x" % b for b in mac)
        self.qom = "/machine/peripheral/" + ident
        self.edits = edits

    def __repr__(self):
        return "%s(%s)" % (self.id, self.name)

    def netdevs(self):
        d = os.path.join(self.sysfs, "net")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def irqs(self):
        return sorted(fe.device_interrupts(self.name))


def bench_ids():
    return [d.split("=", 1)[0] for d in os.environ.get("FPGAETH_DEVICES", "").split()]


def dt_edits():
    """{id: [edit line, ...]} of FPGAETH_DT_EDITS (a path in the repository)."""
    path = os.environ.get("FPGAETH_DT_EDITS")
    out = {}
    if not path:
        return out
    with open(os.path.join(fe.TOP, path) if not os.path.isabs(path) else path) as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                ident, rest = line.split(None, 1)
                out.setdefault(ident, []).append(rest.strip())
    return out


def instances():
    """([VDev in FPGAETH_DEVICES order], [problems])."""
    nodes = []
    for bus in glob.glob(DT + "/platform-bus@*"):
        nodes += [n for n in glob.glob(bus + "/ethernet@*")]
    nodes.sort(key=lambda n: int(n.rsplit("@", 1)[1], 16))
    pdevs = {}
    for d in glob.glob("/sys/bus/platform/devices/*"):
        if os.path.exists(os.path.join(d, "of_node")):
            pdevs[os.path.realpath(os.path.join(d, "of_node"))] = os.path.basename(d)
    ids = bench_ids()
    errs = []
    if len(nodes) != len(ids):
        errs.append("%d ethernet@ nodes on the platform bus, FPGAETH_DEVICES has %d"
                    % (len(nodes), len(ids)))
    edits = dt_edits()
    devs = [VDev(i, n, pdevs.get(os.path.realpath(n)), edits.get(i, []))
            for i, n in zip(ids, nodes)]
    for d in devs:
        # where the DT still names the MAC, it must be the instance's
        if not d.edits or not any("local-mac-address" in e for e in d.edits):
            want = str(d.prop("mac")).lower()
            if d.mac != want:
                errs.append("%s: node %s has MAC %r, the instance %r" % (d, d.node, d.mac, want))
    return devs, errs


def raw_dmesg():
    """[(level, text)] of the kernel log (dmesg -r: <facility*8+level>)."""
    out = subprocess.run(["dmesg", "-r"], stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    lines = []
    for ln in out.splitlines():
        m = re.match(r"<(\d+)>(.*)$", ln)
        if m:
            lines.append((int(m.group(1)) & 7, m.group(2)))
    return lines


def raw_since(mark):
    lines = raw_dmesg()
    for i in range(len(lines) - 1, -1, -1):
        if mark in lines[i][1]:
            return lines[i + 1:]
    return lines
