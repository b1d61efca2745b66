#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side unit test of the fpgaeth QEMU model through QEMU's qtest
accelerator: no guest, no kernel, a few seconds.

The test drives the registers with qtest readl/writel/readq, puts rings and
buffers in guest RAM with qtest read/write, steps the virtual clock
(coalescing and pause timers are exact), watches the interrupt lines with
irq_intercept_out, and injects faults with QMP qom-set.

    tools/qemu/tests/qtest-model.py [QEMU]     (default: tools/qemu/build)

Ends with "N passed, N failed"; exits 1 if any failed.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BASE = 0x0c000000           # virt's platform bus: first instance
RAM = 0x40000000            # virt's RAM
RING, BUF = RAM + 0x100000, RAM + 0x200000

CTRL, MAC_CFG, MAC_LO, MAC_HI = 0x100, 0x104, 0x108, 0x10c
PAUSE_QUANTA, PAUSE_CMD = 0x11c, 0x120
MISC_STATUS, MISC_ENABLE = 0x200, 0x204
TX_EN, RX_EN, LOOPBACK, RX_PAUSE_EN = 2, 4, 32, 256


def qb(q):
    return 0x1000 + 0x100 * q


class QEMU:
    def __init__(self, qemu, devopts="", extra=()):
        self.dir = tempfile.mkdtemp(prefix="fpgaeth-qtest.")
        self.qmp_path = os.path.join(self.dir, "qmp.sock")
        self.irqs = []
        args = [qemu, "-M", "virt", "-accel", "qtest", "-qtest", "stdio",
                "-display", "none", "-m", "256M",
                "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                "-netdev", "hubport,id=n0,hubid=0",
                "-device", "fpgaeth,netdev=n0,id=fe0" + devopts] + list(extra)
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, universal_newlines=True)
        self.qmp_sock = None

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        while True:
            r = self.p.stdout.readline()
            if not r:
                raise RuntimeError("QEMU died: %s" % self.p.stderr.read())
            r = r.strip()
            if r.startswith("IRQ "):
                _, what, n = r.split()
                self.irqs.append((what, int(n)))
                continue
            if not r.startswith("OK"):
                raise RuntimeError("%s -> %s" % (line, r))
            return r.split()[1] if len(r.split()) > 1 else None

    def rd(self, off):
        return int(self.cmd("readl %#x" % (BASE + off)), 16)

    def rdq(self, off):
        return int(self.cmd("readq %#x" % (BASE + off)), 16)

    def wr(self, off, v):
        self.cmd("writel %#x %#x" % (BASE + off, v))

    def mem_write(self, addr, data):
        self.cmd("write %#x %#x 0x%s" % (addr, len(data), data.hex()))

    def mem_read(self, addr, n):
        return bytes.fromhex(self.cmd("read %#x %#x" % (addr, n))[2:])

    def step(self, ns):
        self.cmd("clock_step %d" % ns)

    def qmp(self, name, **args):
        if not self.qmp_sock:
            self.qmp_sock = socket.socket(socket.AF_UNIX)
            for _ in range(100):
                try:
                    self.qmp_sock.connect(self.qmp_path)
                    break
                except OSError:
                    time.sleep(0.05)
            self.qmp_f = self.qmp_sock.makefile("rw")
            json.loads(self.qmp_f.readline())
            self._qmp_send("qmp_capabilities", {})
        return self._qmp_send(name, args)

    def _qmp_send(self, name, args):
        self.qmp_f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.qmp_f.flush()
        while True:
            r = json.loads(self.qmp_f.readline())
            if "return" in r:
                return r["return"]
            if "error" in r:
                raise RuntimeError(r["error"]["desc"])

    def fault(self, f):
        return self.qmp("qom-set", path="/machine/peripheral/fe0", property="fault", value=f)

    def close(self):
        if self.qmp_sock:
            self.qmp_sock.close()
        self.p.stdin.close()
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))
        os.rmdir(self.dir)


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, errs):
        errs = [e for e in errs if e]
        if errs:
            self.failed += 1
            print("not ok - %s" % name)
            for e in errs:
                print("#   " + e)
        else:
            self.passed += 1
            print("ok - %s" % name)
        sys.stdout.flush()


def expect(what, got, want):
    return None if got == want else "%s: got %s, want %s" % (
        what, hex(got) if isinstance(got, int) else repr(got),
        hex(want) if isinstance(want, int) else repr(want))


def txd(addr, ln, flags, cs=0, co=0):
    return struct.pack("<QHHHH", addr, ln, flags, cs, co)


def rxd(addr, ln):
    return struct.pack("<QHHI", addr, ln, 0, 0)


def ring_setup(q, off, ring, log2, coal=None):
    q.wr(off + 0x14, 0)
    q.wr(off + 0x00, ring & 0xffffffff)
    q.wr(off + 0x04, ring >> 32)
    q.wr(off + 0x08, log2)
    if coal is not None:
        q.wr(off + 0x1c, coal)
    q.wr(off + 0x14, 1)


FRAME = b"\xff" * 6 + b"\x02\0\0\0\0\x01" + b"\x88\xb5" + bytes(range(50))


def loopback(q, coal=None, extra=0):
    """Loopback with TX q0 at RING, RX q0 at RING + 0x1000, 8 RX buffers."""
    q.wr(CTRL, 1)
    q.wr(CTRL, TX_EN | RX_EN | LOOPBACK | extra)
    ring_setup(q, qb(0), RING, 4, coal)
    ring_setup(q, qb(0) + 0x40, RING + 0x1000, 4, coal)
    q.mem_write(RING + 0x1000, b"".join(rxd(BUF + 0x10000 + 0x800 * i, 0x800) for i in range(8)))
    q.wr(qb(0) + 0x50, 8)
    q.mem_write(BUF, FRAME)
    q.mem_write(RING, b"".join(txd(BUF, len(FRAME), 1) for _ in range(15)))


def t_ids(qemu, res):
    q = QEMU(qemu, ",num-queues=8,max-frame=2000,build-id=0x1234,features=0x15,phy-addr=7")
    try:
        errs = [expect("ID", q.rd(0), 0x46504745), expect("VERSION", q.rd(4), 0x10001),
                expect("BUILD_ID", q.rd(8), 0x1234),
                expect("CAP0", q.rd(0x10), 0x07d00c08), expect("CAP1", q.rd(0x14), 0x15),
                expect("CAP2", q.rd(0x18), 0x0020070a),
                expect("CAP3 (defaults)", q.rd(0x1c), 0x007d1020),
                expect("Q0 TX_STATUS (IDLE without QUEUE_IDLE)", q.rd(qb(0) + 0x18), 0),
                expect("MAC_CFG", q.rd(MAC_CFG), 6), expect("MAX_FRAME_LEN", q.rd(0x110), 1518),
                expect("PAUSE_QUANTA", q.rd(PAUSE_QUANTA), 0xffff), expect("MDIO_CFG", q.rd(0x188), 0x3f),
                expect("Q7 TX_COAL", q.rd(qb(7) + 0x1c), 1), expect("Q8 (absent)", q.rd(qb(8) + 0x1c), 0)]
        # CTRL bits of absent features (0x15: TX_CSUM, RSS, TX_SG) read 0
        q.wr(CTRL, 0x3fe)
        errs.append(expect("CTRL feature masking", q.rd(CTRL), 0x5e))
        # PHY at 7
        q.wr(0x180, (1 << 31) | (2 << 10) | (7 << 5) | 3)
        errs.append(expect("PHY ID2 at phy-addr 7", q.rd(0x184), 1))
    finally:
        q.close()
    # ip-id and ip-version (the variants bench's wrong IPs)
    q = QEMU(qemu, ",ip-id=0x12345678,ip-version=0x00020003,rx-fifo-kib=8,tx-fifo-kib=20,"
             "clk-mhz=300")
    try:
        errs += [expect("ID (ip-id)", q.rd(0), 0x12345678),
                 expect("VERSION (ip-version)", q.rd(4), 0x20003),
                 expect("CAP1 (default features)", q.rd(0x14), 0x47f),
                 expect("CAP3 (rx-fifo-kib, tx-fifo-kib, clk-mhz)", q.rd(0x1c), 0x012c1408),
                 expect("Q0 TX_STATUS (IDLE)", q.rd(qb(0) + 0x18), 2),
                 expect("Q0 RX_STATUS (IDLE)", q.rd(qb(0) + 0x58), 2)]
    finally:
        q.close()
    res.check("qtest: ID/CAP registers from the properties, reset values, feature masks", errs)


def t_bad_props(qemu, res):
    errs = []
    for opt in (",num-queues=0", ",num-queues=9", ",max-frame=63", ",max-frame=16384",
                ",features=0x80", ",phy-addr=32", ",rx-fifo-kib=0", ",tx-fifo-kib=9",
                ",clk-mhz=0", ",dma-latency=1000001"):
        p = subprocess.run([qemu, "-M", "virt", "-accel", "qtest", "-display", "none", "-nodefaults",
                            "-device", "fpgaeth" + opt], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=30)
        if p.returncode == 0 or "fpgaeth" not in p.stdout:
            errs.append("%s: rc %d: %s" % (opt, p.returncode, p.stdout.strip()))
    res.check("qtest: invalid properties are refused at realize", errs)


def t_loopback_irq(qemu, res):
    q = QEMU(qemu)
    try:
        q.cmd("irq_intercept_out /machine/peripheral/fe0 sysbus-irq")
        loopback(q)
        q.wr(qb(0) + 0x84, 3)
        q.irqs.clear()
        q.wr(qb(0) + 0x10, 1)
        errs = [expect("TX HEAD", q.rd(qb(0) + 0x0c), 1),
                expect("TX FLAGS", struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 0x8001),
                expect("RX desc", q.mem_read(RING + 0x1000, 16),
                       struct.pack("<IHHHHI", 0, 0, 0, len(FRAME), 0x8001, 0)),
                expect("RX data", q.mem_read(BUF + 0x10000, len(FRAME)), FRAME),
                expect("q0 line (sysbus irq 1) raised", q.irqs[:1], [("raise", 1)])]
        q.irqs.clear()
        q.wr(qb(0) + 0x80, 3)
        errs.append(expect("q0 line lowered by W1C", q.irqs, [("lower", 1)]))
        q.wr(MISC_ENABLE, 4)
        q.irqs.clear()
        q.wr(0x208, 4)
        errs.append(expect("misc line (sysbus irq 0)", q.irqs, [("raise", 0)]))
        # statistics: 64-bit read, LO latches HI
        errs.append(expect("TX_FRAMES_OK (readq)", q.rdq(0x400), 1))
        errs.append(expect("TX_OCTETS_OK", q.rd(0x408), len(FRAME) + 4))
        res.check("qtest: loopback frame, write-back, IRQ lines in order misc, q0; 64-bit stats", errs)
    finally:
        q.close()


def t_coalescing_timer(qemu, res):
    q = QEMU(qemu)
    try:
        loopback(q, coal=100 << 16)          # USECS 100, FRAMES 0
        q.wr(qb(0) + 0x10, 1)
        errs = [expect("no status at once", q.rd(qb(0) + 0x80), 0)]
        q.wr(qb(0) + 0x10, 2)               # second completion does not restart the timer
        q.step(99999)
        errs.append(expect("99.999 us", q.rd(qb(0) + 0x80), 0))
        q.step(1)
        errs.append(expect("100 us: TX and RX", q.rd(qb(0) + 0x80), 3))
        # FRAMES 2 and USECS 100: the count wins first
        q.wr(qb(0) + 0x80, 3)
        q.wr(qb(0) + 0x1c, (100 << 16) | 2)
        q.wr(qb(0) + 0x10, 3)
        q.wr(qb(0) + 0x10, 4)
        errs.append(expect("FRAMES 2 reached", q.rd(qb(0) + 0x80) & 1, 1))
        q.wr(qb(0) + 0x80, 3)
        q.step(200000)
        errs.append(expect("timer stopped when the bit was set", q.rd(qb(0) + 0x80) & 1, 0))
        res.check("qtest: coalescing timer on the virtual clock (exact), not restarted, stopped", errs)
    finally:
        q.close()


def t_pause(qemu, res):
    q = QEMU(qemu)
    try:
        loopback(q, extra=RX_PAUSE_EN)       # 1000 Mb/s: a quantum is 512 ns
        pf = bytes([1, 0x80, 0xc2, 0, 0, 1]) + b"\x02\0\0\0\0\x01" + b"\x88\x08" + \
            struct.pack(">HH", 1, 1000) + b"\0" * 42
        q.mem_write(BUF + 0x1000, pf)
        q.mem_write(RING, txd(BUF + 0x1000, 60, 1))
        q.wr(qb(0) + 0x10, 3)
        errs = [expect("held after the pause", q.rd(qb(0) + 0x0c), 1)]
        q.step(511999)
        errs.append(expect("511.999 us", q.rd(qb(0) + 0x0c), 1))
        q.step(1)
        errs.append(expect("512 us: released", q.rd(qb(0) + 0x0c), 3))
        # 100 Mb/s: ten times longer
        q.wr(MAC_CFG, 5)
        q.mem_write(RING + 16 * 3, txd(BUF + 0x1000, 60, 1))
        q.wr(qb(0) + 0x10, 5)
        q.step(5119999)
        errs.append(expect("100 Mb/s: held 5.12 ms", q.rd(qb(0) + 0x0c), 4))
        q.step(1)
        errs.append(expect("100 Mb/s: released", q.rd(qb(0) + 0x0c), 5))
        res.check("qtest: received pause holds TX for quanta x 512 bit times (virtual clock)", errs)
    finally:
        q.close()


def t_faults(qemu, res):
    q = QEMU(qemu)
    try:
        errs = []
        for bad in ("nope", "tx-desc-error:4", "tx-stall:-1", "rx-fcs-error:0",
                    "link-down:0", "tx-desc-error:0 rx-desc-error:0"):
            try:
                q.fault(bad)
                errs.append("fault %r accepted" % bad)
            except RuntimeError:
                pass
        errs.append(expect("nothing pending", q.qmp("qom-get", path="/machine/peripheral/fe0",
                                                    property="fault"), ""))
        loopback(q)
        q.wr(MISC_ENABLE, 2)
        q.fault("tx-desc-error:0")
        q.fault("rx-fcs-error:3")
        errs.append(expect("read back", q.qmp("qom-get", path="/machine/peripheral/fe0",
                                              property="fault"), "tx-desc-error:0 rx-fcs-error:3"))
        q.wr(qb(0) + 0x10, 1)
        errs += [expect("TX_STATUS", q.rd(qb(0) + 0x18), 0x101),
                 expect("ERR_ADDR", q.rd(qb(0) + 0x20) | q.rd(qb(0) + 0x24) << 32, RING),
                 expect("DMA_ERR", q.rd(MISC_STATUS), 2)]
        # disable + enable recovers
        q.wr(qb(0) + 0x14, 0)
        q.wr(qb(0) + 0x14, 1)
        errs.append(expect("re-enabled", q.rd(qb(0) + 0x18), 0))
        q.fault("clear")
        # soft reset: everything, stats included, back to reset values
        q.wr(0x00c, 0x55)
        q.wr(CTRL, 1)
        errs += [expect("SOFT_RESET reads 1 at once", q.rd(CTRL), 1)]
        q.step(999)
        errs += [expect("SOFT_RESET reads 1 at 999 ns", q.rd(CTRL), 1)]
        q.step(1)
        errs += [expect("SOFT_RESET done at 1 us", q.rd(CTRL), 0),
                 expect("SCRATCH", q.rd(0x00c), 0),
                 expect("TX_ENABLE", q.rd(qb(0) + 0x14), 0)]
        res.check("qtest: fault property errors, read-back, DESC_READ halt, recovery, soft reset", errs)
    finally:
        q.close()


def t_phy_loopback(qemu, res):
    q = QEMU(qemu)
    try:
        loopback(q)
        q.wr(CTRL, TX_EN | RX_EN)                # MAC loopback off
        q.wr(0x184, 0x4000 | 0x0140)             # BMCR: loopback, 1000 full
        q.wr(0x180, (1 << 31) | (1 << 10) | (1 << 5) | 0)
        q.wr(qb(0) + 0x10, 1)
        errs = [expect("PHY loopback: received", q.rd(qb(0) + 0x4c), 1),
                expect("RX_FRAMES_OK", q.rd(0x440), 1)]
        q.wr(0x184, 0x1140)
        q.wr(0x180, (1 << 31) | (1 << 10) | (1 << 5) | 0)
        q.wr(qb(0) + 0x10, 2)
        errs.append(expect("PHY loopback off: on the line", q.rd(qb(0) + 0x4c), 1))
        res.check("qtest: PHY (BMCR) loopback", errs)
    finally:
        q.close()


def t_phy_renegotiate(qemu, res):
    q = QEMU(qemu)
    try:
        def mdio(op, reg, val=0):
            q.wr(0x184, val)
            q.wr(0x180, (1 << 31) | (op << 10) | (1 << 5) | reg)
            return q.rd(0x184) & 0xffff

        def bmsr_link():
            return mdio(2, 1) >> 2 & 1
        bmsr_link()
        q.wr(MISC_STATUS, 0xf)
        errs = [expect("BMSR link before", bmsr_link(), 1)]
        mdio(1, 0, 0x1140)                       # BMCR as it is: nothing happens
        errs += [expect("same BMCR: LINK event", q.rd(MISC_STATUS) & 1, 0),
                 expect("same BMCR: BMSR link", bmsr_link(), 1)]
        mdio(1, 0, 0x2100)                       # forced 100 full
        errs += [expect("forced 100: LINK event", q.rd(MISC_STATUS) & 1, 1),
                 expect("forced 100: BMSR link, first read", bmsr_link(), 0),
                 expect("forced 100: BMSR link, second read", bmsr_link(), 1)]
        q.wr(MISC_STATUS, 0xf)
        mdio(1, 0, 0x1140 | 0x0200)              # autoneg on and restart
        errs += [expect("restart: LINK event", q.rd(MISC_STATUS) & 1, 1),
                 expect("restart: BMSR link, first read", bmsr_link(), 0),
                 expect("restart: BMSR link, second read", bmsr_link(), 1),
                 expect("restart: BMCR self-clears", mdio(2, 0), 0x1140)]
        res.check("qtest: PHY renegotiation drops the link once (BMSR latch, LINK event)", errs)
    finally:
        q.close()


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else subprocess.run(
        [os.path.join(TOP, "tools/qemu/build")], check=True, stdout=subprocess.PIPE,
        universal_newlines=True).stdout.splitlines()[-1]
    res = Results()
    for t in (t_ids, t_bad_props, t_loopback_irq, t_coalescing_timer, t_pause, t_faults,
              t_phy_loopback, t_phy_renegotiate):
        try:
            t(qemu, res)
        except Exception as e:  # noqa: BLE001
            res.failed += 1
            print("not ok - %s # %s: %s" % (t.__name__, type(e).__name__, e))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
