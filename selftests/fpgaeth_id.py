#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The driver reports the identification and capabilities the QEMU model
was built with.

For every bound instance, three sources must agree: the driver's probe line
in dmesg, its debugfs regs file (ID, VERSION, BUILD_ID, CAP0, CAP1), and the
model's properties over QMP (build-id, num-queues, max-frame, features);
ID and VERSION are the values the programming model documents.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402

PROBE_RE = re.compile(
    r"fpgaeth (\S+): ID (0x[0-9a-f]+) version (\d+)\.(\d+) build (0x[0-9a-f]+) "
    r"queues (\d+) max-frame (\d+) features (0x[0-9a-f]+)$")
CASES = ("ID", "version", "build id", "queue count", "max frame", "features")


def probe_lines():
    """{device: the fields of its last probe line} from dmesg."""
    out = {}
    for line in fe.dmesg():
        m = PROBE_RE.search(line)
        if m:
            g = m.groups()
            out[g[0]] = dict(id=int(g[1], 16), major=int(g[2]), minor=int(g[3]),
                             build=int(g[4], 16), queues=int(g[5]),
                             max_frame=int(g[6]), features=int(g[7], 16))
    return out


def compare(what, pairs):
    """[(source, value)...] -> mismatch messages (all must equal the first)."""
    ref_src, ref = pairs[0]
    return ["%s: %s says %s, %s says %s" % (what, ref_src, fmt(ref), src, fmt(v))
            for src, v in pairs[1:] if v != ref]


def fmt(v):
    return "%#x" % v if isinstance(v, int) else repr(v)


def main():
    fe.setup()
    glob_regs, _q, _c = fe.parse_spec()
    doc = {r.name: r.reset for r in glob_regs}
    devs = [d for d in fe.devices() if d.bound]
    qom_errs = fe.match_qom(devs)
    expected = fe.expected_devices()

    t = fe.KTAP(1 + len(CASES) * max(len(devs), expected))
    t.errors("id: %d bound devices matched to the model's instances" % expected,
             qom_errs + ([] if len(devs) == expected else
                         ["%d bound, expected %d" % (len(devs), expected)]))
    probes = probe_lines()
    for i in range(max(len(devs), expected)):
        if i >= len(devs) or not devs[i].qom:
            for c in CASES:
                t.fail("id: device %d: %s" % (i, c), "device missing or unmatched")
            continue
        d = devs[i]
        p = probes.get(d.name)
        regs = d.debugfs_regs()
        if p is None:
            fe.KTAP.diag("%s: no probe line in dmesg" % d.name)
            p = {}
        cap0 = regs.get("CAP0", 0)
        ver = regs.get("VERSION", 0)
        name = "%s (%s)" % (d.name, d.qom.rsplit("/", 1)[-1])
        t.errors("id: %s ID" % name, compare("ID", [
            ("spec", doc["ID"]), ("dmesg", p.get("id")), ("debugfs", regs.get("ID"))]))
        t.errors("id: %s version" % name, compare("version", [
            ("spec", (doc["VERSION"] >> 16, doc["VERSION"] & 0xffff)),
            ("dmesg", (p.get("major"), p.get("minor"))),
            ("debugfs", (ver >> 16, ver & 0xffff))]))
        t.errors("id: %s build id" % name, compare("build id", [
            ("model", int(d.prop("build-id"))), ("dmesg", p.get("build")),
            ("debugfs", regs.get("BUILD_ID"))]))
        t.errors("id: %s queue count" % name, compare("queue count", [
            ("model", int(d.prop("num-queues"))), ("dmesg", p.get("queues")),
            ("debugfs", cap0 & 0xf)]))
        t.errors("id: %s max frame" % name, compare("max frame", [
            ("model", int(d.prop("max-frame"))), ("dmesg", p.get("max_frame")),
            ("debugfs", cap0 >> 16)]))
        t.errors("id: %s features" % name, compare("features", [
            ("model", int(d.prop("features"))), ("dmesg", p.get("features")),
            ("debugfs", regs.get("CAP1"))]))
    t.finish()


if __name__ == "__main__":
    main()
