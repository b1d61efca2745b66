#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`ethtool -d` and the debugfs regs file agree, on both ports of the bench.

The dump (ETHTOOL_GREGS, also `ethtool -d raw on` and the hex `ethtool -d`)
is an image of the register window up to the end of the IP's last queue pair
block: the register at offset X is at byte X, little-endian, and
regs.version is the IP's VERSION register. For every register of the debugfs
file (names and offsets from Documentation/fpgaeth/programming-model.rst):

  - registers stable at rest must read the same in the dump and in debugfs
    (read before and after the dump);
  - statistics counters can move at any time (the stack sends IPv6 and ARP
    frames of its own): the dump's 64-bit value must lie between the
    debugfs reads before and after it;
  - not compared, because they change at rest without any frame: MDIO_CMD,
    MDIO_DATA and MISC_IRQ_STATUS (phylib polls the PHY over MDIO every
    second: each poll is a new command, new data and MDIO_DONE), and the
    registers that follow frames the stack may send at any time: the queues'
    HEAD, TAIL, IRQ_STATUS, QUEUE_IRQ_SUMMARY, RX_NOBUF and TX_DISCARDS.

Also: the dump's length, every offset that holds no register reads 0 in the
dump, the raw and hex outputs of ethtool are the ioctl's bytes, and debugfs
decodes CTRL's fields (TX_EN and RX_EN of a running interface).
"""
import array
import fcntl
import os
import re
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 2 * 7 + 1
SIOCETHTOOL = 0x8946
ETHTOOL_GREGS = 0x00000004
VOLATILE = re.compile(r"^(MDIO_CMD|MDIO_DATA|MISC_IRQ_STATUS|QUEUE_IRQ_SUMMARY|"
                      r"Q\d+_(TX_HEAD|TX_TAIL|RX_HEAD|RX_TAIL|IRQ_STATUS|"
                      r"RX_NOBUF|TX_DISCARDS))$")


def gregs(port, length):
    """(version, bytes) of ETHTOOL_GREGS on port's interface (in its netns)."""
    buf = array.array("B", struct.pack("<III", ETHTOOL_GREGS, 0, length) + bytes(length))
    addr, _n = buf.buffer_info()
    ifr = struct.pack("16sP16x", port.ifname.encode(), addr)
    s = net.ns_socket(port.ns, socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(s, SIOCETHTOOL, ifr)
    finally:
        s.close()
    _cmd, version, rlen = struct.unpack_from("<III", buf)
    return version, bytes(buf[12:12 + rlen])


def parse_hex(out):
    """The bytes of `ethtool -d` (hex): lines "0x0010:  04 0c 80 25 ..." """
    data = bytearray()
    for line in out.splitlines():
        m = re.match(r"^0x([0-9a-f]+):\s+((?:[0-9a-f]{2} ?)+)$", line.strip())
        if m:
            if int(m.group(1), 16) != len(data):
                raise ValueError("hex dump offset %s after %d bytes" % (m.group(1), len(data)))
            data += bytes(int(x, 16) for x in m.group(2).split())
    return bytes(data)


def check_port(bench, port, glob_regs, queue_regs, nq):
    t = bench.t
    pre = "regs: %s" % port.id
    regs = fe.expected_registers(glob_regs, queue_regs, nq)
    length = 0x1000 + 0x100 * nq
    dev = fe.Device(port.pdev)

    before = dev.debugfs_regs(fields=True)
    try:
        version, dump = gregs(port, length + 64)
    except OSError as e:
        version, dump = None, b""
        fe.KTAP.diag("ETHTOOL_GREGS: %s" % e)
    after = dev.debugfs_regs(fields=True)

    t.check("%s dump length is the window up to the last queue pair block (%#x)"
            % (pre, length), len(dump) == length, "%d bytes" % len(dump))
    t.check("%s regs version is VERSION" % pre,
            version is not None and version == before["VERSION"][0],
            "version %s, VERSION %#x" % (version, before["VERSION"][0]))
    if len(dump) < length:
        for _ in range(5):
            t.fail(pre, "no dump")
        return

    def word(off):
        return struct.unpack_from("<I", dump, off)[0]

    errs, skipped = [], []
    by_name = {r.name: r for r in regs}
    for name, (v0, _f) in before.items():
        r = by_name.get(name)
        if r is None:
            errs.append("debugfs %s is not documented" % name)
            continue
        v1 = after[name][0]
        if r.block == "stats":
            if name.endswith("_HI"):
                continue
            hi = name[:-3] + "_HI"
            lo_off = r.offset
            c0 = v0 | before[hi][0] << 32
            c1 = v1 | after[hi][0] << 32
            c = word(lo_off) | word(lo_off + 4) << 32
            if not c0 <= c <= c1:
                errs.append("%s: dump %d, debugfs %d before and %d after" % (name[:-3], c, c0, c1))
        elif VOLATILE.match(name):
            skipped.append(name)
        elif not v0 == word(r.offset) == v1:
            errs.append("%s: dump %#010x, debugfs %#010x before, %#010x after"
                        % (name, word(r.offset), v0, v1))
    t.errors("%s dump and debugfs agree on every register stable at rest (%d volatile "
             "not compared)" % (pre, len(skipped)), errs)

    holes = set(range(0, length, 4)) - {r.offset for r in regs}
    t.errors("%s offsets without a register are 0 in the dump" % pre,
             ["%#06x = %#010x" % (o, word(o)) for o in sorted(holes) if word(o)])

    argv = ["ethtool", "-d", port.ifname, "raw", "on"]
    if port.ns:
        argv = ["ip", "netns", "exec", port.ns] + argv
    raw = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    rawb = raw.stdout if raw.returncode == 0 else b""
    hexd = port.run(["ethtool", "-d", port.ifname])
    try:
        hexb = parse_hex(hexd.out)
    except ValueError as e:
        hexb = b""
        fe.KTAP.diag(str(e))
    errs = []
    for what, data in (("raw", rawb), ("hex", hexb)):
        if len(data) != length:
            errs.append("ethtool -d %s: %d bytes" % (what, len(data)))
            continue
        for r in regs:
            if r.block != "stats" and not VOLATILE.match(r.name) and \
               data[r.offset:r.offset + 4] != dump[r.offset:r.offset + 4]:
                errs.append("ethtool -d %s: %s %s, ioctl %s" % (
                    what, r.name, data[r.offset:r.offset + 4].hex(),
                    dump[r.offset:r.offset + 4].hex()))
    t.errors("%s ethtool -d raw and hex show the dump" % pre, errs)

    ctrl, fields = after["CTRL"]
    t.check("%s debugfs decodes CTRL (%s)" % (pre, fields),
            ctrl & 6 == 6 and set(fields.split()) >= {"TX_EN", "RX_EN"},
            "CTRL %#x: %r" % (ctrl, fields))
    t.check("%s debugfs VERSION fields" % pre,
            after["VERSION"][1] == "MAJOR=%d MINOR=%d" % (after["VERSION"][0] >> 16,
                                                         after["VERSION"][0] & 0xffff),
            after["VERSION"][1])


def body(bench):
    glob_regs, queue_regs, _consts = fe.parse_spec()
    for port in (bench.a, bench.b):
        nq = int(fe.qom_get(port.qom, "num-queues"))
        check_port(bench, port, glob_regs, queue_regs, nq)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
