#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side unit test of the fpgaeth QEMU model through QEMU's qtest
accelerator: no guest, no kernel, a few seconds.

The test drives the registers with qtest readl/writel/readq, puts rings and
buffers in guest RAM with qtest read/write, steps the virtual clock
(coalescing and pause timers are exact), watches the interrupt lines with
irq_intercept_out, and injects faults with QMP qom-set.

    tools/qemu/tests/qtest-model.py [QEMU [TEST...]]
        (QEMU default: tools/qemu/build's; TEST: t_* names, default all)

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
import types

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(TOP, "selftests", "lib"))
import fpgaeth as spec  # noqa: E402  (the programming model's tables)

# Register offsets from programming-model.rst's tables, as the guest tests
# take them: R.CTRL, R.Q_TX_TAIL (within a queue pair block), statistics as
# R.<NAME>_LO; a register moved in the spec moves here.
R = types.SimpleNamespace(**spec.spec_offsets())
BASE = 0x0c000000           # virt's platform bus: first instance
RAM = 0x40000000            # virt's RAM
RING, BUF = RAM + 0x100000, RAM + 0x200000

CTRL, MAC_CFG, MAC_LO, MAC_HI = R.CTRL, R.MAC_CFG, R.MAC_ADDR_LO, R.MAC_ADDR_HI
PAUSE_QUANTA, PAUSE_CMD = R.PAUSE_QUANTA, R.PAUSE_CMD
MISC_STATUS, MISC_ENABLE = R.MISC_IRQ_STATUS, R.MISC_IRQ_ENABLE
TX_EN, RX_EN, LOOPBACK, RX_PAUSE_EN = 2, 4, 32, 256


def qb(q):
    return spec.queue_base(q)


L = 500                     # the model's default dma-latency, ns


def wire_ns(n, mbps=1000):
    """Line time of a frame of n bytes (no FCS): preamble 8, pad to 60,
    FCS 4, IFG 12 (programming-model.rst "Timing"), rounded up to ns."""
    bits = 8 * (8 + max(n, 60) + 4 + 12)
    return (bits * 1000 + mbps - 1) // mbps


class QEMU:
    def __init__(self, qemu, devopts="", extra=(), netdev="hubport,id=n0,hubid=0"):
        self.dir = tempfile.mkdtemp(prefix="fpgaeth-qtest.")
        self.qmp_path = os.path.join(self.dir, "qmp.sock")
        self.irqs = []
        # (-qtest-log: the protocol log would fill the stderr pipe nobody reads)
        args = [qemu, "-M", "virt", "-accel", "qtest", "-qtest", "stdio", "-qtest-log", "/dev/null",
                "-display", "none", "-m", "256M",
                "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                "-netdev", netdev,
                # a hub port without a peer takes every frame (the line is
                # never busy): a hub with only our port would hold them
                "-netdev", "hubport,id=nsink,hubid=0",
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

    def rdn(self, off, size):
        """A read of 1, 2, 4 or 8 bytes at any offset."""
        cmd = {1: "readb", 2: "readw", 4: "readl", 8: "readq"}[size]
        return int(self.cmd("%s %#x" % (cmd, BASE + off)), 16)

    def wrn(self, off, size, v):
        cmd = {1: "writeb", 2: "writew", 4: "writel", 8: "writeq"}[size]
        self.cmd("%s %#x %#x" % (cmd, BASE + off, v))

    def mem_write(self, addr, data):
        self.cmd("write %#x %#x 0x%s" % (addr, len(data), data.hex()))

    def mem_read(self, addr, n):
        return bytes.fromhex(self.cmd("read %#x %#x" % (addr, n))[2:])

    def step(self, ns):
        """Advance the virtual clock by ns; returns the new time."""
        return int(self.cmd("clock_step %d" % ns))

    def qmp(self, name, **args):
        if not self.qmp_sock:
            self.qmp_sock = socket.socket(socket.AF_UNIX)
            # make check runs this at nice 10 beside a guest: allow a minute
            for _ in range(1200):
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

    def prop(self, name):
        return self.qmp("qom-get", path="/machine/peripheral/fe0", property=name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

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
    q.wr(off + R.Q_TX_CTRL, 0)
    q.wr(off + R.Q_TX_BASE_LO, ring & 0xffffffff)
    q.wr(off + R.Q_TX_BASE_HI, ring >> 32)
    q.wr(off + R.Q_TX_SIZE, log2)
    if coal is not None:
        q.wr(off + R.Q_TX_COAL, coal)
    q.wr(off + R.Q_TX_CTRL, 1)


FRAME = b"\xff" * 6 + b"\x02\0\0\0\0\x01" + b"\x88\xb5" + bytes(range(50))


def loopback(q, coal=None, extra=0, rx_blen=0x800):
    """Loopback with TX q0 at RING, RX q0 at RING + 0x1000, 8 RX buffers
    of rx_blen bytes."""
    q.wr(CTRL, 1)
    q.step(1000)                            # SOFT_RESET takes 1 us
    q.wr(CTRL, TX_EN | RX_EN | LOOPBACK | extra)
    ring_setup(q, qb(0), RING, 4, coal)
    ring_setup(q, qb(0) + R.Q_RX_BASE_LO, RING + 0x1000, 4, coal)
    q.mem_write(RING + 0x1000, b"".join(rxd(BUF + 0x10000 + 0x800 * i, rx_blen)
                                        for i in range(8)))
    q.wr(qb(0) + R.Q_RX_TAIL, 8)
    q.mem_write(BUF, FRAME)
    q.mem_write(RING, b"".join(txd(BUF, len(FRAME), 1) for _ in range(15)))


def t_ids(qemu, res):
    with QEMU(qemu, ",num-queues=8,max-frame=2000,build-id=0x1234,features=0x15,phy-addr=7") as q:
        errs = [expect("ID", q.rd(R.ID), 0x46504745), expect("VERSION", q.rd(R.VERSION), 0x10002),
                expect("BUILD_ID", q.rd(R.BUILD_ID), 0x1234),
                expect("CAP0", q.rd(R.CAP0), 0x07d00c08), expect("CAP1", q.rd(R.CAP1), 0x15),
                expect("CAP2", q.rd(R.CAP2), 0x0020070a),
                expect("CAP3 (defaults)", q.rd(R.CAP3), 0x007d1020),
                expect("Q0 TX_STATUS (IDLE without QUEUE_IDLE)", q.rd(qb(0) + R.Q_TX_STATUS), 0),
                expect("MAC_CFG", q.rd(MAC_CFG), 6), expect("MAX_FRAME_LEN", q.rd(R.MAX_FRAME_LEN), 1518),
                expect("PAUSE_QUANTA", q.rd(PAUSE_QUANTA), 0xffff), expect("MDIO_CFG", q.rd(R.MDIO_CFG), 0x3f),
                expect("Q7 TX_COAL", q.rd(qb(7) + R.Q_TX_COAL), 1), expect("Q8 (absent)", q.rd(qb(8) + R.Q_TX_COAL), 0)]
        # CTRL bits of absent features (0x15: TX_CSUM, RSS, TX_SG) read 0
        q.wr(CTRL, 0x3fe)
        errs.append(expect("CTRL feature masking", q.rd(CTRL), 0x5e))
        # setting them is a driver error the model counts; the others are not
        errs.append(expect("protocol-errors after CTRL bits of absent features",
                           q.prop("protocol-errors"), 1))
        q.wr(CTRL, 0x5e)
        errs.append(expect("protocol-errors after CTRL bits of present features",
                           q.prop("protocol-errors"), 1))
        # PHY at 7
        q.wr(R.MDIO_CMD, (1 << 31) | (2 << 10) | (7 << 5) | 3)
        errs.append(expect("PHY ID2 at phy-addr 7", q.rd(R.MDIO_DATA), 1))
    # ip-id and ip-version (the variants bench's wrong IPs)
    with QEMU(qemu, ",ip-id=0x12345678,ip-version=0x00020003,rx-fifo-kib=8,tx-fifo-kib=20,"
              "clk-mhz=300") as q:
        errs += [expect("ID (ip-id)", q.rd(R.ID), 0x12345678),
                 expect("VERSION (ip-version)", q.rd(R.VERSION), 0x20003),
                 expect("CAP1 (default features)", q.rd(R.CAP1), 0x147f),
                 expect("CAP3 (rx-fifo-kib, tx-fifo-kib, clk-mhz)", q.rd(R.CAP3), 0x012c1408),
                 expect("Q0 TX_STATUS (IDLE)", q.rd(qb(0) + R.Q_TX_STATUS), 2),
                 expect("Q0 RX_STATUS (IDLE)", q.rd(qb(0) + R.Q_RX_STATUS), 2)]
    # a 1.1 IP with the default features: no STALL_WDOG (new in 1.2)
    with QEMU(qemu, ",ip-version=0x00010001") as q:
        errs.append(expect("1.1: CAP1 (default features without STALL_WDOG)",
                           q.rd(R.CAP1), 0x47f))
    # a 1.0 IP: no CAP3, no IDLE, SOFT_RESET may read 0 at once
    with QEMU(qemu, ",ip-version=0x00010000,features=0x7f") as q:
        q.wr(CTRL, 1)
        errs += [expect("1.0: CAP3", q.rd(R.CAP3), 0),
                 expect("1.0: TX_STATUS (no IDLE)", q.rd(qb(0) + R.Q_TX_STATUS), 0),
                 expect("1.0: SOFT_RESET reads 0 at once", q.rd(CTRL), 0)]
    # max-ring-log2: CAP0 says it, a larger ring halts with RING_CONFIG
    with QEMU(qemu, ",max-ring-log2=7") as q:
        errs.append(expect("CAP0 (max-ring-log2=7)", q.rd(R.CAP0), 0x25800704))
        ring_setup(q, qb(0), RING, 8)
        errs.append(expect("TX STATUS (SIZE 8 > 7: halted, RING_CONFIG)",
                           q.rd(qb(0) + R.Q_TX_STATUS), 0x401))
        ring_setup(q, qb(0), RING, 7)
        errs.append(expect("TX STATUS (SIZE 7: running, not halted)",
                           q.rd(qb(0) + R.Q_TX_STATUS) & 0xf01, 0))
    res.check("qtest: ID/CAP registers from the properties, reset values, feature masks "
              "(setting an absent feature's CTRL bit counted), a 1.1 and a 1.0 IP, max-ring-log2", errs)


def t_bad_props(qemu, res):
    errs = []
    for opt in (",num-queues=0", ",num-queues=9", ",max-frame=63", ",max-frame=16384",
                ",features=0x80", ",phy-addr=32", ",rx-fifo-kib=0", ",tx-fifo-kib=9",
                ",clk-mhz=0", ",dma-latency=1000001", ",max-ring-log2=2",
                ",max-ring-log2=13"):
        p = subprocess.run([qemu, "-M", "virt", "-accel", "qtest", "-display", "none", "-nodefaults",
                            "-device", "fpgaeth" + opt], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=120)
        if p.returncode == 0 or "fpgaeth" not in p.stdout:
            errs.append("%s: rc %d: %s" % (opt, p.returncode, p.stdout.strip()))
    res.check("qtest: invalid properties are refused at realize", errs)


def t_loopback_irq(qemu, res):
    with QEMU(qemu) as q:
        q.cmd("irq_intercept_out /machine/peripheral/fe0 sysbus-irq")
        loopback(q)
        q.wr(qb(0) + R.Q_IRQ_ENABLE, 3)
        q.irqs.clear()
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(10000)
        errs = [expect("TX HEAD", q.rd(qb(0) + R.Q_TX_HEAD), 1),
                expect("TX FLAGS", struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 0x8001),
                expect("RX desc", q.mem_read(RING + 0x1000, 16),
                       struct.pack("<IHHHHI", 0, 0, 0, len(FRAME), 0x8001, 0)),
                expect("RX data", q.mem_read(BUF + 0x10000, len(FRAME)), FRAME),
                expect("q0 line (sysbus irq 1) raised", q.irqs[:1], [("raise", 1)])]
        q.irqs.clear()
        q.wr(qb(0) + R.Q_IRQ_STATUS, 3)
        errs.append(expect("q0 line lowered by W1C", q.irqs, [("lower", 1)]))
        q.wr(MISC_ENABLE, 4)
        q.irqs.clear()
        q.wr(R.MISC_IRQ_SET, 4)
        errs.append(expect("misc line (sysbus irq 0)", q.irqs, [("raise", 0)]))
        # statistics: 64-bit read, LO latches HI
        errs.append(expect("TX_FRAMES_OK (readq)", q.rdq(R.TX_FRAMES_OK_LO), 1))
        errs.append(expect("TX_OCTETS_OK", q.rd(R.TX_OCTETS_OK_LO), len(FRAME) + 4))
        res.check("qtest: loopback frame, write-back, IRQ lines in order misc, q0; 64-bit stats", errs)


def t_register_port(qemu, res):
    """programming-model.rst "Register port": a read returns the addressed
    bytes of the whole words it touches (with their side effects), a write
    takes effect only for the words it covers whole, a 64-bit access is two
    32-bit ones, the lower first."""
    K0, K1, K2 = 0x600, 0x604, 0x608            # RSS_KEY words: plain RW
    SCRATCH = 0x0c
    with QEMU(qemu) as q:
        loopback(q)
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(10000)
        errs = []
        for k, v in ((K0, 0x11223344), (K1, 0x55667788), (K2, 0x99aabbcc)):
            q.wr(k, v)
        errs += [expect("readb KEY0+1", q.rdn(K0 + 1, 1), 0x33),
                 expect("readb KEY0+3", q.rdn(K0 + 3, 1), 0x11),
                 expect("readw KEY0+2", q.rdn(K0 + 2, 2), 0x1122),
                 expect("readw KEY0+1 (within the word)", q.rdn(K0 + 1, 2), 0x2233),
                 expect("readl KEY0+2 (two words)", q.rdn(K0 + 2, 4), 0x77881122),
                 expect("readq KEY0", q.rdn(K0, 8), 0x5566778811223344),
                 expect("readq KEY0+4 (4-aligned)", q.rdn(K1, 8), 0x99aabbcc55667788),
                 expect("readq KEY0+3 (three words)", q.rdn(K0 + 3, 8), 0xaabbcc5566778811)]
        # sub-word and unaligned writes are ignored as a whole
        for off, size in ((K0, 1), (K0 + 1, 1), (K0, 2), (K0 + 2, 2), (K0 + 2, 4)):
            q.wrn(off, size, 0)
        errs += [expect("KEY0 after byte/halfword/unaligned writes", q.rd(K0), 0x11223344),
                 expect("KEY1 after the unaligned writel", q.rd(K1), 0x55667788)]
        q.wrn(K0 + 2, 8, 0xdeadbeefcafef00d)    # covers KEY1 whole only
        errs += [expect("KEY0 after an unaligned writeq", q.rd(K0), 0x11223344),
                 expect("KEY1 after an unaligned writeq", q.rd(K1), 0xbeefcafe),
                 expect("KEY2 after an unaligned writeq", q.rd(K2), 0x99aabbcc)]
        q.wrn(K0, 8, 0x0102030405060708)
        errs += [expect("KEY0 after writeq", q.rd(K0), 0x05060708),
                 expect("KEY1 after writeq", q.rd(K1), 0x01020304)]
        q.wrn(0x08, 8, 0xa5a5a5a5 << 32 | 0x12345678)   # BUILD_ID (RO), SCRATCH
        errs += [expect("SCRATCH: the upper half of a writeq at 0x08", q.rd(SCRATCH), 0xa5a5a5a5),
                 expect("BUILD_ID unchanged", q.rd(R.BUILD_ID), 0x20261124)]
        # no action starts from a part of a word: soft reset, W1C, doorbell
        ctrl = q.rd(CTRL)
        q.wrn(CTRL, 1, 1)
        q.wrn(CTRL, 2, 1)
        errs.append(expect("CTRL after byte/halfword SOFT_RESET writes", q.rd(CTRL), ctrl))
        errs.append(expect("SCRATCH kept (no soft reset)", q.rd(SCRATCH), 0xa5a5a5a5))
        errs.append(expect("q0 IRQ_STATUS before", q.rd(qb(0) + R.Q_IRQ_STATUS), 3))
        q.wrn(qb(0) + R.Q_IRQ_STATUS, 1, 3)
        q.wrn(qb(0) + R.Q_IRQ_STATUS, 2, 3)
        errs.append(expect("q0 IRQ_STATUS after byte/halfword W1C", q.rd(qb(0) + R.Q_IRQ_STATUS), 3))
        q.wrn(qb(0) + R.Q_TX_TAIL, 2, 2)
        q.step(10000)
        errs += [expect("TX_TAIL after a halfword doorbell", q.rd(qb(0) + R.Q_TX_TAIL), 1),
                 expect("TX_HEAD after a halfword doorbell", q.rd(qb(0) + R.Q_TX_HEAD), 1)]
        # counters: TX_FRAMES_OK 1, TX_OCTETS_OK 64 + 4 (FCS)
        octets = len(FRAME) + 4
        errs += [expect("readq TX_FRAMES_OK", q.rdn(0x400, 8), 1),
                 expect("readb TX_OCTETS_OK_LO", q.rdn(0x408, 1), octets),
                 expect("readw TX_OCTETS_OK_LO+2", q.rdn(0x40a, 2), 0),
                 expect("readq at TX_FRAMES_OK_HI: HI (latch), then TX_OCTETS_OK_LO",
                        q.rdn(0x404, 8), octets << 32),
                 expect("TX_OCTETS_OK_HI (latched by that read)", q.rd(R.TX_OCTETS_OK_HI), 0)]
        q.wrn(0x400, 8, 0xffffffffffffffff)
        errs.append(expect("TX_FRAMES_OK after a writeq (RO)", q.rdn(0x400, 8), 1))
        res.check("qtest: register port: sub-word reads, sub-word writes ignored, 64-bit = "
                  "LO then HI, unaligned accesses split by word", errs)


def t_coalescing_timer(qemu, res):
    with QEMU(qemu) as q:
        loopback(q, coal=100 << 16)          # USECS 100, FRAMES 0
        # two 64-byte frames back to back: the second is fetched while the
        # first is on the line, and the first's write-back waits for that
        # fetch (one DMA port, accesses in the order asked)
        w = wire_ns(len(FRAME))
        tx_done = 2 * L + max(w, 2 * L) + L             # first TX completion
        tx_done2 = 4 * L + w + L                        # the second's
        q.wr(qb(0) + R.Q_TX_TAIL, 2)               # second completion does not restart the timer
        errs = [expect("no status at once", q.rd(qb(0) + R.Q_IRQ_STATUS), 0)]
        q.step(tx_done + 100000 - 1)
        errs.append(expect("TX: 100 us after the first completion - 1 ns",
                           q.rd(qb(0) + R.Q_IRQ_STATUS) & 1, 0))
        q.step(1)
        errs.append(expect("TX: 100 us after the first completion", q.rd(qb(0) + R.Q_IRQ_STATUS) & 1, 1))
        q.step(L + 2 * L)                   # RX completes 3 DMA latencies after its wire time
        errs.append(expect("and RX", q.rd(qb(0) + R.Q_IRQ_STATUS), 3))
        # FRAMES 2 and USECS 100: the count wins first
        q.wr(qb(0) + R.Q_IRQ_STATUS, 3)
        q.wr(qb(0) + R.Q_TX_COAL, (100 << 16) | 2)
        q.wr(qb(0) + R.Q_TX_TAIL, 4)
        q.step(tx_done2 - 1)
        errs.append(expect("FRAMES 2: one frame is not enough", q.rd(qb(0) + R.Q_IRQ_STATUS) & 1, 0))
        q.step(1)
        errs.append(expect("FRAMES 2 reached", q.rd(qb(0) + R.Q_IRQ_STATUS) & 1, 1))
        q.wr(qb(0) + R.Q_IRQ_STATUS, 3)
        q.step(200000)
        errs.append(expect("timer stopped when the bit was set", q.rd(qb(0) + R.Q_IRQ_STATUS) & 1, 0))
        res.check("qtest: coalescing timer on the virtual clock (exact), not restarted, stopped", errs)


def t_pause(qemu, res):
    with QEMU(qemu) as q:
        loopback(q, extra=RX_PAUSE_EN)       # 1000 Mb/s: a quantum is 512 ns
        pf = bytes([1, 0x80, 0xc2, 0, 0, 1]) + b"\x02\0\0\0\0\x01" + b"\x88\x08" + \
            struct.pack(">HH", 1, 1000) + b"\0" * 42
        q.mem_write(BUF + 0x1000, pf)
        q.mem_write(RING, txd(BUF + 0x1000, 60, 1))
        q.wr(qb(0) + R.Q_TX_TAIL, 3)
        # the pause frame goes on the line after its fetch (2 L) and is
        # received at once (MAC loopback): TX holds from then, between
        # frames. The next frame is fetched meanwhile (its fetch delays the
        # pause frame's write-back: 64-byte frames are shorter on the line
        # than 2 L), waits in the TX FIFO and goes on the line when the
        # pause ends; its write-back waits for the frame after it's fetch,
        # which then goes on the line at once.
        held = 2 * L
        w = wire_ns(len(FRAME))
        pf_done = 2 * L + max(wire_ns(60), 2 * L) + L
        frame = max(w, 2 * L) + L
        q.step(pf_done)
        errs = [expect("held after the pause", q.rd(qb(0) + R.Q_TX_HEAD), 1)]
        q.step(held + 512000 + frame - 1 - pf_done)
        errs.append(expect("512 us + a frame - 1 ns", q.rd(qb(0) + R.Q_TX_HEAD), 1))
        q.step(1)
        errs.append(expect("512 us + a frame: released", q.rd(qb(0) + R.Q_TX_HEAD), 2))
        q.step(w + L + max(w, 2 * L) - frame)
        errs.append(expect("and the next frame", q.rd(qb(0) + R.Q_TX_HEAD), 3))
        # 100 Mb/s: ten times longer
        q.wr(MAC_CFG, 5)
        q.mem_write(RING + 16 * 3, txd(BUF + 0x1000, 60, 1))
        q.wr(qb(0) + R.Q_TX_TAIL, 5)
        # the frame after the pause frame was fetched during its line time
        frame100 = wire_ns(len(FRAME), 100) + L
        q.step(held + 5120000 + frame100 - 1)
        errs.append(expect("100 Mb/s: held 5.12 ms", q.rd(qb(0) + R.Q_TX_HEAD), 4))
        q.step(1)
        errs.append(expect("100 Mb/s: released", q.rd(qb(0) + R.Q_TX_HEAD), 5))
        res.check("qtest: received pause holds TX for quanta x 512 bit times (virtual clock)", errs)


def t_faults(qemu, res):
    with QEMU(qemu) as q:
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
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(1)
        errs += [expect("TX_STATUS", q.rd(qb(0) + R.Q_TX_STATUS), 0x101),
                 expect("ERR_ADDR", q.rd(qb(0) + R.Q_TX_ERR_ADDR_LO) | q.rd(qb(0) + R.Q_TX_ERR_ADDR_HI) << 32, RING),
                 expect("DMA_ERR", q.rd(MISC_STATUS), 2)]
        # disable + enable recovers
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        errs.append(expect("re-enabled", q.rd(qb(0) + R.Q_TX_STATUS), 0))
        q.fault("clear")
        # soft reset: everything, stats included, back to reset values
        q.wr(R.SCRATCH, 0x55)
        q.wr(CTRL, 1)
        errs += [expect("SOFT_RESET reads 1 at once", q.rd(CTRL), 1)]
        q.step(999)
        errs += [expect("SOFT_RESET reads 1 at 999 ns", q.rd(CTRL), 1)]
        q.step(1)
        errs += [expect("SOFT_RESET done at 1 us", q.rd(CTRL), 0),
                 expect("SCRATCH", q.rd(R.SCRATCH), 0),
                 expect("TX_ENABLE", q.rd(qb(0) + R.Q_TX_CTRL), 0)]
        res.check("qtest: fault property errors, read-back, DESC_READ halt, recovery, soft reset", errs)


def t_phy_loopback(qemu, res):
    with QEMU(qemu) as q:
        loopback(q)
        q.wr(CTRL, TX_EN | RX_EN)                # MAC loopback off
        q.wr(R.MDIO_DATA, 0x4000 | 0x0140)             # BMCR: loopback, 1000 full
        q.wr(R.MDIO_CMD, (1 << 31) | (1 << 10) | (1 << 5) | 0)
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(10000)
        errs = [expect("PHY loopback: received", q.rd(qb(0) + R.Q_RX_HEAD), 1),
                expect("RX_FRAMES_OK", q.rd(R.RX_FRAMES_OK_LO), 1)]
        q.wr(R.MDIO_DATA, 0x1140)
        q.wr(R.MDIO_CMD, (1 << 31) | (1 << 10) | (1 << 5) | 0)
        q.wr(qb(0) + R.Q_TX_TAIL, 2)
        q.step(10000)
        errs.append(expect("PHY loopback off: on the line", q.rd(qb(0) + R.Q_RX_HEAD), 1))
        res.check("qtest: PHY (BMCR) loopback", errs)


def t_phy_renegotiate(qemu, res):
    with QEMU(qemu) as q:
        def mdio(op, reg, val=0):
            q.wr(R.MDIO_DATA, val)
            q.wr(R.MDIO_CMD, (1 << 31) | (op << 10) | (1 << 5) | reg)
            return q.rd(R.MDIO_DATA) & 0xffff

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


def line_setup(q, log2=9, frames=(), spacing=0x800, extra=0):
    """TX queue 0 at RING onto the line (no loopback), frames[i] in buffer
    BUF + spacing * i, descriptor i. Returns nothing; TAIL not written."""
    q.wr(CTRL, TX_EN | RX_EN | extra)
    ring_setup(q, qb(0), RING, log2)
    for i, f in enumerate(frames):
        q.mem_write(BUF + spacing * i, f)
    if frames:
        q.mem_write(RING, b"".join(txd(BUF + spacing * i, len(f), 1)
                                   for i, f in enumerate(frames)))


def big_frame(n, seq=0):
    return b"\xff" * 6 + b"\x02\0\0\0\0\x01" + b"\x88\xb5" + \
        struct.pack(">I", seq) + bytes((i * 7 + seq) & 0xff for i in range(n - 18))


def t_timing(qemu, res):
    """A frame's completion time is 2 DMA latencies (descriptor, buffer), its
    wire time (preamble, FCS, IFG) at MAC_CFG.SPEED, then 1 DMA latency
    (write-back); exact on the virtual clock."""
    errs = []
    cases = [("1000 Mb/s, 64 bytes", "", 6, 64, 1000),
             ("1000 Mb/s, 1514 bytes", "", 6, 1514, 1000),
             ("100 Mb/s, 1514 bytes", "", 5, 1514, 100),
             ("10 Mb/s, 60 bytes", "", 4, 60, 10),
             ("10 Gb/s (SPEED_10G), 1514 bytes", ",features=0xc7f", 7, 1514, 10000),
             ("SPEED 3 without SPEED_10G acts as 1000 Mb/s", "", 7, 1514, 1000),
             ("dma-latency=100, 1000 Mb/s, 1514 bytes", ",dma-latency=100", 6, 1514, 1000)]
    for name, opts, mac_cfg, n, mbps in cases:
        with QEMU(qemu, opts) as q:
            lat = 100 if "dma-latency=100" in opts else L
            line_setup(q, 3, [big_frame(n)])
            q.wr(MAC_CFG, mac_cfg)
            done = 2 * lat + wire_ns(n, mbps) + lat
            q.wr(qb(0) + R.Q_TX_TAIL, 1)
            q.step(done - 1)
            errs.append(expect("%s: HEAD at %d ns - 1" % (name, done), q.rd(qb(0) + R.Q_TX_HEAD), 0))
            errs.append(expect("%s: FLAGS before" % name,
                               struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 1))
            q.step(1)
            errs.append(expect("%s: HEAD at %d ns" % (name, done), q.rd(qb(0) + R.Q_TX_HEAD), 1))
            errs.append(expect("%s: FLAGS DONE" % name,
                               struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 0x8001))
            errs.append(expect("%s: TX_FRAMES_OK" % name, q.rdq(R.TX_FRAMES_OK_LO), 1))
    # RX in MAC loopback: the frame is in the RX FIFO at the end of its wire
    # time, then 3 DMA latencies (descriptors, data, write-back)
    with QEMU(qemu) as q:
        loopback(q)
        rx_done = 2 * L + wire_ns(len(FRAME)) + 3 * L
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(rx_done - 1)
        errs.append(expect("loopback RX HEAD at %d ns - 1" % rx_done, q.rd(qb(0) + R.Q_RX_HEAD), 0))
        q.step(1)
        errs.append(expect("loopback RX HEAD at %d ns" % rx_done, q.rd(qb(0) + R.Q_RX_HEAD), 1))
        errs.append(expect("RX data", q.mem_read(BUF + 0x10000, len(FRAME)), FRAME))
    res.check("qtest: completion time = 2 DMA latencies + wire time (1G, 100M, 10M, 10G) "
              "+ write-back; RX = wire + 3 DMA latencies", errs)


def t_tx_pipeline(qemu, res):
    """Back to back the TX engine overlaps frames: the next frame is fetched
    while one is on the line and goes on the line during the write-back
    before it. 1514-byte frames at 1000 Mb/s complete one wire time apart
    (line rate: the k-th at 3 DMA latencies + k wire times); 60-byte frames
    every 3 DMA latencies (the DMA port: 2 reads and a write-back each, in
    the order asked). A jumbo frame leaves no room in the 16 KiB TX FIFO:
    no overlap behind it."""
    errs = []
    n_big = 1514
    w = wire_ns(n_big)
    cases = [("1514 bytes", n_big, 6, "", [3 * L + k * w for k in range(1, 7)]),
             # F1's write-back waits for F2's fetch (asked for first)
             ("60 bytes", 60, 6, "", [5 * L + 3 * L * k for k in range(5)]),
             ("9000 bytes, MAX_FRAME_LEN 9018", 9000, 3, "",
              [k * (3 * L + wire_ns(9000)) for k in range(1, 4)])]
    for name, n, count, opts, dones in cases:
        with QEMU(qemu, opts) as q:
            line_setup(q, 4, [big_frame(n, i) for i in range(count)], spacing=0x2400)
            if n > 1518:
                q.wr(R.MAX_FRAME_LEN, n + 18)             # MAX_FRAME_LEN
            q.wr(qb(0) + R.Q_TX_TAIL, count)
            t = 0
            for k, done in enumerate(dones):
                q.step(done - 1 - t)
                errs.append(expect("%s: HEAD 1 ns before completion %d (%d ns)" % (name, k + 1, done),
                                   q.rd(qb(0) + R.Q_TX_HEAD), k))
                q.step(1)
                errs.append(expect("%s: HEAD at completion %d (%d ns)" % (name, k + 1, done),
                                   q.rd(qb(0) + R.Q_TX_HEAD), k + 1))
                t = done
            q.step(100000)
            errs.append(expect("%s: all sent" % name, q.rdq(R.TX_FRAMES_OK_LO), count))
    res.check("qtest: TX pipeline: 1514-byte frames at line rate, 60-byte frames every "
              "3 DMA latencies, none behind a jumbo frame", errs)


def t_tx_ring_full(qemu, res):
    """programming-model.rst "Frames that can never complete": a full ring
    (n - 1 descriptors ready) without EOP, n - 1 < TX_MAX_DESCS, is discarded
    (DONE | ERR in the last, HEAD past them, TX_DISCARDS 1); fewer ready
    without EOP wait; the next descriptor starts a new frame."""
    with QEMU(qemu) as q:
        q.wr(CTRL, 1)
        q.step(1000)
        q.wr(CTRL, TX_EN)
        ring_setup(q, qb(0), RING, 3)           # 8 descriptors: at most 7 handed over
        q.mem_write(BUF, FRAME)
        q.mem_write(RING, b"".join(txd(BUF + 8 * i, 8, 0) for i in range(7)) +
                    txd(BUF, len(FRAME), 1))
        q.wr(qb(0) + R.Q_TX_TAIL, 6)
        q.step(100000)
        errs = [expect("6 of 8 without EOP: the engine waits (HEAD)", q.rd(qb(0) + R.Q_TX_HEAD), 0),
                expect("6 of 8 without EOP: TX_DISCARDS", q.rd(qb(0) + R.Q_TX_DISCARDS), 0)]
        q.wr(qb(0) + R.Q_TX_TAIL, 7)                   # the ring is full
        q.step(2 * L - 1)
        errs.append(expect("full ring: HEAD 2 DMA latencies - 1 ns after the doorbell",
                           q.rd(qb(0) + R.Q_TX_HEAD), 0))
        q.step(1)
        flags = [struct.unpack("<H", q.mem_read(RING + 16 * i + 10, 2))[0] for i in range(7)]
        errs += [expect("full ring without EOP: HEAD past the 7", q.rd(qb(0) + R.Q_TX_HEAD), 7),
                 expect("FLAGS of the 7 (DONE | ERR in the last only)", flags,
                        [0] * 6 + [0xc000]),
                 expect("queue TX_DISCARDS", q.rd(qb(0) + R.Q_TX_DISCARDS), 1),
                 expect("TX_DISCARDS (global)", q.rdq(R.TX_DISCARDS_LO), 1),
                 expect("not halted", q.rd(qb(0) + R.Q_TX_STATUS) & 1, 0),
                 expect("TX_FRAMES_OK", q.rdq(R.TX_FRAMES_OK_LO), 0)]
        q.wr(qb(0) + R.Q_TX_TAIL, 0)                   # descriptor 7: a frame of its own
        q.step(2 * L + wire_ns(len(FRAME)) + L)
        errs += [expect("next frame: HEAD", q.rd(qb(0) + R.Q_TX_HEAD), 0),
                 expect("next frame: FLAGS", struct.unpack(
                     "<H", q.mem_read(RING + 16 * 7 + 10, 2))[0], 0x8001),
                 expect("next frame: TX_FRAMES_OK", q.rdq(R.TX_FRAMES_OK_LO), 1)]
        res.check("qtest: TX: a full ring without EOP is discarded (ERR, TX_DISCARDS), "
                  "fewer wait, the next descriptor is a new frame", errs)


def t_idle_drain(qemu, res):
    """Clearing ENABLE lets the frame in progress finish; IDLE comes only
    after its write-back; the driver rules are checked (protocol-errors)."""
    errs = []
    with QEMU(qemu) as q:
        n = 1514
        line_setup(q, 3, [big_frame(n, i) for i in range(3)])
        done = 2 * L + wire_ns(n) + L
        q.wr(qb(0) + R.Q_TX_TAIL, 3)
        q.step(2 * L + 100)                 # on the line
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        errs.append(expect("TX_STATUS right after disable (not IDLE)", q.rd(qb(0) + R.Q_TX_STATUS), 0))
        errs.append(expect("protocol-errors before", q.prop("protocol-errors"), 0))
        q.wr(qb(0) + R.Q_TX_SIZE, 3)               # SIZE while draining: a protocol error
        errs.append(expect("protocol-errors after SIZE while not IDLE",
                           q.prop("protocol-errors"), 1))
        q.step(done - (2 * L + 100) - 1)
        errs.append(expect("TX_STATUS 1 ns before the frame is done", q.rd(qb(0) + R.Q_TX_STATUS), 0))
        errs.append(expect("HEAD 1 ns before", q.rd(qb(0) + R.Q_TX_HEAD), 0))
        q.step(1)
        errs.append(expect("TX_STATUS IDLE when the frame is done", q.rd(qb(0) + R.Q_TX_STATUS), 2))
        errs.append(expect("HEAD: the frame in progress completed", q.rd(qb(0) + R.Q_TX_HEAD), 1))
        errs.append(expect("FLAGS DONE", struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 0x8001))
        q.step(10 * done)
        errs.append(expect("no frame after the disable", q.rd(qb(0) + R.Q_TX_HEAD), 1))
        errs.append(expect("next descriptor untouched",
                           struct.unpack("<H", q.mem_read(RING + 16 + 10, 2))[0], 1))
        errs.append(expect("TX_FRAMES_OK", q.rdq(R.TX_FRAMES_OK_LO), 1))
        # IDLE: programming is no error
        q.wr(qb(0) + R.Q_TX_SIZE, 3)
        errs.append(expect("protocol-errors after SIZE when IDLE", q.prop("protocol-errors"), 1))
        # re-enable while draining: a protocol error
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(2 * L + 100)
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        errs.append(expect("protocol-errors after ENABLE while not IDLE",
                           q.prop("protocol-errors"), 2))
        # soft reset on the line: no DMA in flight, 1 us
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(2 * L + 100)
        q.wr(CTRL, 1)
        q.step(999)
        errs.append(expect("SOFT_RESET on the line: 1 at 999 ns", q.rd(CTRL), 1))
        q.wr(R.SCRATCH, 0x55)                   # ignored, counted
        errs.append(expect("SCRATCH written during reset", q.rd(R.SCRATCH), 0))
        errs.append(expect("protocol-errors after a write during reset",
                           q.prop("protocol-errors"), 3))
        q.step(1)
        errs.append(expect("SOFT_RESET on the line: 0 at 1 us", q.rd(CTRL), 0))
        # soft reset during the descriptor/buffer fetch: 1 us after it ends
        line_setup(q, 3, [big_frame(n)])
        q.wr(qb(0) + R.Q_TX_TAIL, 1)
        q.step(200)
        q.wr(CTRL, 1)
        q.step(2 * L - 200 + 1000 - 1)
        errs.append(expect("SOFT_RESET in the fetch: 1 until 1 us after it", q.rd(CTRL), 1))
        q.step(1)
        errs.append(expect("SOFT_RESET in the fetch: then 0", q.rd(CTRL), 0))
        errs.append(expect("abandoned frame not written back",
                           struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 1))
    res.check("qtest: disable drains the frame in progress, IDLE after it; soft reset "
              "time; protocol-errors counts driver rule violations", errs)


def t_slow_drain(qemu, res):
    """The slow-drain:MS fault holds a disabled queue's IDLE for MS ms; the
    driver must have read STATUS with IDLE before it reprograms the queue
    (protocol-errors counts a write of SIZE without it)."""
    errs = []
    with QEMU(qemu) as q:
        line_setup(q, 3)
        q.fault("slow-drain:2")
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        q.step(2000000 - 1)
        errs.append(expect("TX_STATUS 1 ns before the drain ends", q.rd(qb(0) + R.Q_TX_STATUS), 0))
        q.wr(qb(0) + R.Q_TX_SIZE, 3)
        errs.append(expect("protocol-errors: SIZE while draining", q.prop("protocol-errors"), 1))
        q.step(1)
        errs.append(expect("TX_STATUS IDLE when the drain ends", q.rd(qb(0) + R.Q_TX_STATUS), 2))
        q.wr(qb(0) + R.Q_TX_SIZE, 3)
        errs.append(expect("protocol-errors: SIZE after IDLE was read", q.prop("protocol-errors"), 1))
        q.fault("clear")
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        q.step(1000)
        q.wr(qb(0) + R.Q_TX_SIZE, 3)
        errs.append(expect("protocol-errors: SIZE of an idle queue whose IDLE was never read",
                           q.prop("protocol-errors"), 2))
        q.rd(qb(0) + R.Q_TX_STATUS)
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        errs.append(expect("protocol-errors: ENABLE after IDLE was read", q.prop("protocol-errors"), 2))
    res.check("qtest: slow-drain holds IDLE for its time; reprogramming before IDLE was "
              "read is a protocol error", errs)


def t_backpressure(qemu, res):
    """A peer that cannot take frames (a stream socket nobody reads) holds
    the TX engine: HEAD stops, nothing is counted sent, nothing is lost."""
    d = tempfile.mkdtemp(prefix="fpgaeth-bp.")
    path = os.path.join(d, "peer.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(120)
    errs = []
    conn = None
    try:
        with QEMU(qemu, netdev="stream,id=n0,server=off,addr.type=unix,addr.path=" + path) as q:
            conn, _ = srv.accept()
            conn.setblocking(False)
            total, n = 400, 1514
            frames = [big_frame(n, i) for i in range(total)]
            line_setup(q, 9, frames)
            q.wr(qb(0) + R.Q_TX_TAIL, total)
            per = 2 * L + wire_ns(n) + L
            head, last = -1, None
            for _ in range(100):
                q.step(per * 20)
                head = q.rd(qb(0) + R.Q_TX_HEAD)
                if head == last:
                    break
                last = head
            q.step(per * 50)
            errs.append(expect("HEAD stays while the peer is blocked", q.rd(qb(0) + R.Q_TX_HEAD), head))
            if not 0 < head < total:
                errs.append("HEAD %d: the peer never pushed back (socket buffers too big?)" % head)
            errs.append(expect("TX_FRAMES_OK = frames the peer took (HEAD)", q.rdq(R.TX_FRAMES_OK_LO), head))
            # drain the peer: every frame arrives, in order, intact
            buf, got = b"", []
            for _ in range(5000):
                try:
                    while True:
                        c = conn.recv(1 << 16)
                        if not c:
                            break
                        buf += c
                except BlockingIOError:
                    pass
                while len(buf) >= 4 and len(buf) >= 4 + struct.unpack(">I", buf[:4])[0]:
                    ln = struct.unpack(">I", buf[:4])[0]
                    got.append(buf[4:4 + ln])
                    buf = buf[4 + ln:]
                if len(got) >= total:
                    break
                q.step(per * 4)
            errs.append(expect("frames received by the peer", len(got), total))
            errs.append(expect("frames intact and in order", [g == f for g, f in zip(got, frames)],
                               [True] * min(len(got), total)))
            q.step(per * 4)
            errs.append(expect("HEAD at the end", q.rd(qb(0) + R.Q_TX_HEAD), total))
            errs.append(expect("TX_FRAMES_OK at the end", q.rdq(R.TX_FRAMES_OK_LO), total))
    finally:
        if conn:
            conn.close()
        srv.close()
        os.unlink(path)
        os.rmdir(d)
    res.check("qtest: TX backpressure: a blocked peer holds the frame; none lost or "
              "counted early", errs)


def t_fifo_overflow(qemu, res):
    """Frames arriving at line rate while the RX ring has no buffers fill
    the RX FIFO (RX_FIFO_KIB); the rest are dropped as RX_FIFO_OVF; the
    frames held are delivered once buffers are posted."""
    errs = []
    for name, fifo_kib, post, want_ovf in (("32 KiB FIFO, ring empty", 32, 0, 8),
                                           ("2 KiB FIFO, ring empty", 2, 0, 38),
                                           ("32 KiB FIFO, buffers posted", 32, 63, 0)):
        with QEMU(qemu, ",rx-fifo-kib=%d" % fifo_kib) as q:
            total, n = 40, 1000
            frames = [big_frame(n, i) for i in range(total)]
            q.wr(CTRL, 1)
            q.step(1000)
            q.wr(CTRL, TX_EN | RX_EN | LOOPBACK)
            ring_setup(q, qb(0), RING, 6)
            ring_setup(q, qb(0) + R.Q_RX_BASE_LO, RING + 0x1000, 6)
            q.mem_write(RING + 0x1000, b"".join(rxd(BUF + 0x40000 + 0x800 * i, 0x800)
                                                for i in range(63)))
            q.wr(qb(0) + R.Q_RX_TAIL, post)
            for i, f in enumerate(frames):
                q.mem_write(BUF + 0x800 * i, f)
            q.mem_write(RING, b"".join(txd(BUF + 0x800 * i, n, 1) for i in range(total)))
            q.wr(qb(0) + R.Q_TX_TAIL, total)
            q.step(total * (2 * L + wire_ns(n) + L) + 100000)
            fits = fifo_kib * 1024 // n
            errs.append(expect("%s: TX HEAD" % name, q.rd(qb(0) + R.Q_TX_HEAD), total))
            errs.append(expect("%s: RX_FIFO_OVF" % name, q.rdq(R.RX_FIFO_OVF_LO), want_ovf))
            errs.append(expect("%s: MISC RX_FIFO_OVF" % name, q.rd(MISC_STATUS) >> 3 & 1,
                               1 if want_ovf else 0))
            errs.append(expect("%s: RX_FRAMES_OK" % name, q.rdq(R.RX_FRAMES_OK_LO), total - want_ovf))
            errs.append(expect("%s: RX_NOBUF" % name, q.rdq(R.RX_NOBUF_LO), 0))
            if not post:
                errs.append(expect("%s: frames the FIFO holds" % name, fits, total - want_ovf))
                errs.append(expect("%s: RX HEAD before buffers" % name, q.rd(qb(0) + R.Q_RX_HEAD), 0))
                q.wr(qb(0) + R.Q_RX_TAIL, 63)
                q.step(100000)
            errs.append(expect("%s: RX HEAD" % name, q.rd(qb(0) + R.Q_RX_HEAD), total - want_ovf))
            errs.append(expect("%s: data of the last frame held" % name,
                               q.mem_read(BUF + 0x40000 + 0x800 * (total - want_ovf - 1), n),
                               frames[total - want_ovf - 1]))
    res.check("qtest: RX FIFO overflow from rate: an empty ring for longer than the FIFO "
              "lasts drops (RX_FIFO_OVF), the FIFO's frames are kept", errs)


# queue pair registers (offsets in the block; RX = TX + 0x40)
HEAD, TAIL, QSTATUS, ERR_LO, RXO = 0x0c, 0x10, 0x18, 0x20, 0x40
IRQ_STATUS, IRQ_ENABLE = 0x80, 0x84
HALT_DESC_WRITE = 0x301                 # STATUS: HALTED, CAUSE 3
RXD0 = RING + 0x1000                    # loopback()'s RX ring


def rx_status(q, i):
    return struct.unpack("<H", q.mem_read(RXD0 + 16 * i + 10, 2))[0]


def rx_len(q, i):
    return struct.unpack("<H", q.mem_read(RXD0 + 16 * i + 8, 2))[0]


def tx_wb_halted(q):
    """The expectations of TX queue 0 halted by descriptor 0's write-back."""
    return [expect("TX STATUS", q.rd(qb(0) + QSTATUS), HALT_DESC_WRITE),
            expect("TX ERR_ADDR", q.rd(qb(0) + ERR_LO), RING + 10),
            expect("TX HEAD", q.rd(qb(0) + HEAD), 0)]


def t_fault_tx_wb(qemu, res):
    """tx-wb-error:Q: the frame is sent and counted, its write-back is a bus
    error: halt, CAUSE DESC_WRITE, ERR_ADDR = descriptor + 10, HEAD stays."""
    with QEMU(qemu) as q:
        loopback(q)
        q.wr(MISC_ENABLE, 2)
        q.fault("tx-wb-error:0")
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        errs = tx_wb_halted(q) + [
                expect("FLAGS not written", struct.unpack("<H", q.mem_read(RING + 10, 2))[0], 1),
                expect("TX_FRAMES_OK (sent, counted)", q.rdq(R.TX_FRAMES_OK_LO), 1),
                expect("received by the loopback", rx_status(q, 0), 0x8001),
                expect("MISC DMA_ERR", q.rd(MISC_STATUS) & 2, 2),
                expect("consumed", q.prop("fault"), "")]
        res.check("qtest: tx-wb-error: sent and counted, write-back bus error halts "
                  "(DESC_WRITE, ERR_ADDR = descriptor + 10)", errs)


def t_fault_tx_wb_then_fetch(qemu, res):
    """tx-wb-error:Q with the next frame's fetch failing behind it (its
    buffer not on the bus, read while the first is on the line): the queue
    halts once, with the first error (DESC_WRITE at descriptor 0 + 10); the
    failed fetch behind it is dead and neither halts it again nor changes
    CAUSE or ERR_ADDR (the RTL's fe_dma_tx does the same)."""
    with QEMU(qemu) as q:
        line_setup(q, 4, [big_frame(1514)])
        q.mem_write(RING + 16, txd(0xdead00000000, 60, 1))
        q.wr(MISC_ENABLE, 2)
        q.fault("tx-wb-error:0")
        q.wr(qb(0) + TAIL, 2)
        q.step(100000)
        errs = tx_wb_halted(q) + [
                expect("TX_FRAMES_OK (the first sent)", q.rdq(R.TX_FRAMES_OK_LO), 1)]
        res.check("qtest: tx-wb-error with a failed fetch behind: one halt, the first error's "
                  "CAUSE and ERR_ADDR", errs)


def t_fault_rx_wb(qemu, res):
    """rx-wb-error:Q[:K]: write-back access K of the next frame fails (0..n-1
    the descriptors' bodies, n..2n-1 the STATUS words, last descriptor
    first; default 0, beyond the frame: its last)."""
    errs = []
    with QEMU(qemu) as q:
        # 64-byte frame into 32-byte buffers: descriptors 0 and 1
        for k, err_addr, st in ((None, RXD0, (0, 0)), (1, RXD0 + 16, (0, 0)),
                                (2, RXD0 + 16 + 10, (0, 0)), (3, RXD0 + 10, (0, 0x8001)),
                                (99, RXD0 + 10, (0, 0x8001))):
            loopback(q, rx_blen=32)
            q.mem_write(RXD0, bytes(16 * 8))
            q.mem_write(RXD0, b"".join(rxd(BUF + 0x10000 + 0x800 * i, 32) for i in range(8)))
            q.fault("rx-wb-error:0" + ("" if k is None else ":%d" % k))
            q.wr(qb(0) + TAIL, 1)
            q.step(10000)
            name = "K=%s" % k
            errs += [expect("%s: RX STATUS" % name, q.rd(qb(0) + RXO + QSTATUS), HALT_DESC_WRITE),
                     expect("%s: RX ERR_ADDR" % name, q.rd(qb(0) + RXO + ERR_LO), err_addr),
                     expect("%s: STATUS words" % name, (rx_status(q, 0), rx_status(q, 1)), st),
                     expect("%s: RX HEAD" % name, q.rd(qb(0) + RXO + HEAD), 0),
                     expect("%s: consumed" % name, q.prop("fault"), "")]
        # a one-descriptor frame: K=1 is its STATUS (the body was written)
        loopback(q)
        q.fault("rx-wb-error:0:1")
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        errs += [expect("one descriptor, K=1: ERR_ADDR", q.rd(qb(0) + RXO + ERR_LO), RXD0 + 10),
                 expect("one descriptor, K=1: LEN written", rx_len(q, 0), len(FRAME)),
                 expect("one descriptor, K=1: no DONE", rx_status(q, 0), 0)]
        res.check("qtest: rx-wb-error:Q[:K] fails the frame's K-th write-back (bodies, "
                  "then STATUS last descriptor first), halts DESC_WRITE", errs)


def t_fault_rx_len_lie(qemu, res):
    """rx-len-lie:Q[:LEN]: the next frame's EOP descriptor reports LEN (default
    0xffff), larger than its buffer; the rest of the write-back is normal."""
    with QEMU(qemu) as q:
        loopback(q)
        q.fault("rx-len-lie:0")
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        errs = [expect("LEN (default)", rx_len(q, 0), 0xffff),
                expect("STATUS", rx_status(q, 0), 0x8001),
                expect("RX HEAD", q.rd(qb(0) + RXO + HEAD), 1),
                expect("not halted", q.rd(qb(0) + RXO + QSTATUS) & 1, 0),
                expect("consumed", q.prop("fault"), "")]
        q.fault("rx-len-lie:0:5000")
        q.wr(qb(0) + TAIL, 3)
        q.step(20000)
        errs += [expect("LEN 5000", rx_len(q, 1), 5000),
                 expect("the frame after it", rx_len(q, 2), len(FRAME))]
        for bad in ("rx-len-lie:0:0x10000", "rx-len-lie:0:x", "rx-len-lie:9"):
            try:
                q.fault(bad)
                errs.append("fault %r accepted" % bad)
            except RuntimeError:
                pass
        res.check("qtest: rx-len-lie:Q[:LEN]: the EOP descriptor's LEN lies (0xffff or LEN)",
                  errs)


def t_fault_tx_head_lie(qemu, res):
    """tx-head-lie:Q: TX_HEAD reads TAIL + 1 (outside [HEAD, TAIL]); on a full
    ring TAIL + the ring size; until clear. The engine is unaffected."""
    with QEMU(qemu) as q:
        loopback(q)
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        q.fault("tx-head-lie:0")
        q.fault("tx-head-lie:0")
        errs = [expect("HEAD 1 TAIL 1: reads", q.rd(qb(0) + HEAD), 2),
                expect("set once", q.prop("fault"), "tx-head-lie:0"),
                expect("RX_HEAD unaffected", q.rd(qb(0) + RXO + HEAD), 1)]
        q.fault("tx-stall:0")
        q.mem_write(RING + 16 * 15, txd(BUF, len(FRAME), 1))
        q.wr(qb(0) + TAIL, 0)                   # 15 of 16: the ring is full
        q.step(10000)
        errs.append(expect("full ring (HEAD 1, TAIL 0): reads", q.rd(qb(0) + HEAD), 16))
        q.fault("clear")
        q.step(100000)
        errs.append(expect("after clear: the real HEAD", q.rd(qb(0) + HEAD), 0))
        res.check("qtest: tx-head-lie: TX_HEAD reads beyond TAIL until clear", errs)


def tx_flags(q, i):
    return struct.unpack("<H", q.mem_read(RING + 16 * i + 10, 2))[0]


def t_fault_head_back(qemu, res):
    """tx-head-back:Q, rx-head-back:Q: each read of the ring's HEAD returns
    the read before it less one (the first: HEAD - 1), mod the ring size;
    until clear. The engines are unaffected."""
    with QEMU(qemu) as q:
        loopback(q)
        q.wr(qb(0) + TAIL, 3)
        q.step(20000)
        q.fault("tx-head-back:0")
        q.fault("tx-head-back:0")
        errs = [expect("TX_HEAD reads (HEAD 3)", [q.rd(qb(0) + HEAD) for _ in range(5)],
                       [2, 1, 0, 15, 14]),
                expect("set once", q.prop("fault"), "tx-head-back:0"),
                expect("RX_HEAD unaffected", q.rd(qb(0) + RXO + HEAD), 3)]
        q.fault("rx-head-back:0")
        errs += [expect("RX_HEAD reads (HEAD 3)", [q.rd(qb(0) + RXO + HEAD) for _ in range(2)],
                        [2, 1]),
                 expect("TX_HEAD goes on backwards", q.rd(qb(0) + HEAD), 13)]
        q.wr(qb(0) + TAIL, 4)
        q.step(20000)
        errs.append(expect("the engine goes on", q.rdq(R.TX_FRAMES_OK_LO), 4))
        q.fault("clear")
        errs += [expect("after clear: TX_HEAD", q.rd(qb(0) + HEAD), 4),
                 expect("after clear: RX_HEAD", q.rd(qb(0) + RXO + HEAD), 4)]
        res.check("qtest: tx-head-back, rx-head-back: HEAD moves backwards a read until clear",
                  errs)


def t_fault_wb_skip(qemu, res):
    """tx-wb-skip:Q, rx-wb-skip:Q: the next frame's write-back is not made
    (no byte of its descriptors), HEAD moves on, the completion counts."""
    with QEMU(qemu) as q:
        loopback(q)
        q.fault("tx-wb-skip:0")
        q.fault("rx-wb-skip:0")
        q.wr(qb(0) + TAIL, 2)
        q.step(20000)
        errs = [expect("TX HEAD", q.rd(qb(0) + HEAD), 2),
                expect("TX FLAGS 0 not written", tx_flags(q, 0), 1),
                expect("TX FLAGS 1 written", tx_flags(q, 1), 0x8001),
                expect("RX HEAD", q.rd(qb(0) + RXO + HEAD), 2),
                expect("RX 0 not written (STATUS, BUF_LEN)", (rx_status(q, 0), rx_len(q, 0)),
                       (0, 0x800)),
                expect("RX 1 written", (rx_status(q, 1), rx_len(q, 1)), (0x8001, len(FRAME))),
                expect("completions (IRQ_STATUS)", q.rd(qb(0) + IRQ_STATUS), 3),
                expect("not halted", (q.rd(qb(0) + QSTATUS), q.rd(qb(0) + RXO + QSTATUS)),
                       (0, 0)),
                expect("consumed", q.prop("fault"), "")]
        res.check("qtest: tx-wb-skip, rx-wb-skip: a frame's write-back skipped, HEAD moves on",
                  errs)


def t_fault_done_beyond(qemu, res):
    """tx-done-beyond:Q, rx-done-beyond:Q: with the next write-back, its DONE
    word also lands in the descriptor at TAIL (never handed over)."""
    with QEMU(qemu) as q:
        loopback(q)
        q.mem_write(RING + 16, txd(BUF, len(FRAME), 0))
        q.mem_write(RXD0 + 16 * 8, bytes(16))
        q.fault("tx-done-beyond:0")
        q.fault("rx-done-beyond:0")
        q.wr(qb(0) + TAIL, 1)
        q.step(20000)
        errs = [expect("TX HEAD", q.rd(qb(0) + HEAD), 1),
                expect("TX FLAGS at TAIL 1", tx_flags(q, 1), 0x8001),
                expect("sent: one frame", q.rdq(R.TX_FRAMES_OK_LO), 1),
                expect("RX HEAD", q.rd(qb(0) + RXO + HEAD), 1),
                expect("RX STATUS at TAIL 8", rx_status(q, 8), 0x8001),
                expect("RX 1 untouched", rx_status(q, 1), 0),
                expect("consumed", q.prop("fault"), "")]
        res.check("qtest: tx-done-beyond, rx-done-beyond: DONE in the descriptor at TAIL", errs)


def t_fault_rx_wb_stale(qemu, res):
    """rx-wb-stale:Q: the next frame's first descriptor STATUS is written
    again when an RX_TAIL write hands that descriptor over again."""
    with QEMU(qemu) as q:
        loopback(q)
        q.fault("rx-wb-stale:0")
        q.wr(qb(0) + TAIL, 1)
        q.step(20000)
        errs = [expect("written back", rx_status(q, 0), 0x8001),
                expect("pending after the write-back", q.prop("fault"), "rx-wb-stale:0")]
        q.mem_write(RXD0, b"".join(rxd(BUF + 0x10000 + 0x800 * i, 0x800) for i in range(16)))
        q.wr(qb(0) + RXO + TAIL, 10)           # hands 8, 9 over: not 0
        q.step(1000)
        errs += [expect("TAIL 8 -> 10: descriptor 0", rx_status(q, 0), 0),
                 expect("TAIL 8 -> 10: pending", q.prop("fault"), "rx-wb-stale:0")]
        q.wr(qb(0) + RXO + TAIL, 1)            # 10..15 and 0
        q.step(1000)
        errs += [expect("TAIL 10 -> 1: stale DONE in descriptor 0", rx_status(q, 0), 0x8001),
                 expect("RX HEAD", q.rd(qb(0) + RXO + HEAD), 1),
                 expect("consumed", q.prop("fault"), "")]
        res.check("qtest: rx-wb-stale: a frame's DONE written again once re-armed", errs)


def t_fault_tx_done_unrung(qemu, res):
    """tx-done-unrung:Q: at a write to IRQ_STATUS, a frame the driver wrote
    from TAIL on since the last doorbell, not handed over, gets a sent
    frame's write-back (its EOP's FLAGS, DONE set); pending while there is
    none: before any doorbell, and while the descriptor at TAIL is as the
    last doorbell found it (a stale frame of an earlier lap, LEN not 0 and
    EOP, is not one). The doorbell then sends it."""
    with QEMU(qemu) as q:
        loopback(q)                                 # 0..14: stale EOP frames
        q.wr(qb(0) + TAIL, 1)
        q.step(20000)
        q.fault("tx-done-unrung:0")
        q.wr(qb(0) + IRQ_STATUS, 3)
        errs = [expect("no doorbell since armed: FLAGS 1", tx_flags(q, 1), 1),
                expect("no doorbell since armed: pending", q.prop("fault"),
                       "tx-done-unrung:0")]
        q.wr(qb(0) + TAIL, 1)                       # a doorbell, nothing new
        q.step(20000)
        q.wr(qb(0) + IRQ_STATUS, 3)
        errs += [expect("stale frame at TAIL: FLAGS 1", tx_flags(q, 1), 1),
                 expect("stale frame at TAIL: pending", q.prop("fault"), "tx-done-unrung:0"),
                 expect("stale frame at TAIL: HEAD", q.rd(qb(0) + HEAD), 1)]
        q.mem_write(RING + 16, txd(BUF, len(FRAME), 3, 14, 16))    # EOP | CSUM
        q.wr(qb(0) + IRQ_STATUS, 3)
        errs += [expect("written, not handed over: FLAGS 1", tx_flags(q, 1), 0x8003),
                 expect("FLAGS 2 untouched", tx_flags(q, 2), 1),
                 expect("HEAD", q.rd(qb(0) + HEAD), 1),
                 expect("sent: one frame", q.rdq(R.TX_FRAMES_OK_LO), 1),
                 expect("consumed", q.prop("fault"), "")]
        q.wr(qb(0) + TAIL, 2)
        q.step(20000)
        errs += [expect("after the doorbell: HEAD", q.rd(qb(0) + HEAD), 2),
                 expect("after the doorbell: sent", q.rdq(R.TX_FRAMES_OK_LO), 2)]
        res.check("qtest: tx-done-unrung: DONE in a frame written past TAIL since the "
                  "last doorbell, not in a stale one", errs)


def tx_wb_first(q, fault):
    """TX queue 0 (16 descriptors, each a FRAME) set up, fault set, the
    first frame sent and written back."""
    q.wr(CTRL, 1)
    q.step(1000)
    q.wr(CTRL, TX_EN)
    ring_setup(q, qb(0), RING, 4)
    q.mem_write(BUF, FRAME)
    q.mem_write(RING, b"".join(txd(BUF, len(FRAME), 1) for _ in range(16)))
    q.fault(fault)
    q.wr(qb(0) + TAIL, 1)
    q.step(20000)


def t_fault_tx_wb_dup(qemu, res):
    """tx-wb-dup:Q: the next TX write-back is made again when the engine has
    fetched the frame the driver wrote in that descriptor a lap later (DONE
    before that frame's own write-back, which completes it once more)."""
    with QEMU(qemu) as q:
        tx_wb_first(q, "tx-wb-dup:0")
        errs = [expect("written back", tx_flags(q, 0), 0x8001),
                expect("pending after the write-back", q.prop("fault"), "tx-wb-dup:0")]
        q.wr(qb(0) + TAIL, 15)
        q.step(100000)
        errs.append(expect("HEAD 15: pending", q.prop("fault"), "tx-wb-dup:0"))
        q.mem_write(RING, txd(BUF, len(FRAME), 1))      # descriptor 0 a lap later
        q.wr(qb(0) + TAIL, 1)
        heads = []
        for _ in range(40):
            q.step(100)
            heads.append((q.rd(qb(0) + HEAD), tx_flags(q, 0)))
        early = [h for h, fl in heads if fl == 0x8001 and h != 1]
        errs += [expect("DONE in descriptor 0 before HEAD passed it", bool(early), True),
                 expect("HEAD", q.rd(qb(0) + HEAD), 1),
                 expect("sent once each", q.rdq(R.TX_FRAMES_OK_LO), 17),
                 expect("consumed", q.prop("fault"), "")]
        res.check("qtest: tx-wb-dup: a write-back replayed a lap later", errs)


def t_fault_tx_wb_dup_late(qemu, res):
    """tx-wb-dup-late:Q: the next TX write-back is made again at a TX_TAIL
    write once the driver has taken the frame (DONE clear, the descriptor
    not handed over again); not while DONE is still set."""
    with QEMU(qemu) as q:
        tx_wb_first(q, "tx-wb-dup-late:0")
        errs = [expect("written back", tx_flags(q, 0), 0x8001)]
        q.wr(qb(0) + TAIL, 2)
        q.step(20000)
        errs.append(expect("DONE still set: pending", q.prop("fault"), "tx-wb-dup-late:0"))
        q.mem_write(RING, txd(BUF, len(FRAME), 1))      # taken: DONE cleared
        q.wr(qb(0) + TAIL, 3)
        errs += [expect("DONE written again", tx_flags(q, 0), 0x8001),
                 expect("consumed", q.prop("fault"), "")]
        q.step(20000)
        errs += [expect("HEAD", q.rd(qb(0) + HEAD), 3),
                 expect("sent once each", q.rdq(R.TX_FRAMES_OK_LO), 3)]
        res.check("qtest: tx-wb-dup-late: a write-back made again once the driver took the frame",
                  errs)


def t_fault_rx_eop_early(qemu, res):
    """rx-eop-early:Q: the next frame of several descriptors has EOP in its
    first descriptor and none in its last."""
    with QEMU(qemu) as q:
        loopback(q, rx_blen=32)
        q.fault("rx-eop-early:0")
        q.wr(qb(0) + TAIL, 2)
        q.step(20000)
        errs = [expect("STATUS 0, 1", (rx_status(q, 0), rx_status(q, 1)), (0x8001, 0x8000)),
                expect("LEN 0, 1", (rx_len(q, 0), rx_len(q, 1)), (32, 32)),
                expect("the next frame", (rx_status(q, 2), rx_status(q, 3)), (0x8000, 0x8001)),
                expect("RX HEAD", q.rd(qb(0) + RXO + HEAD), 4),
                expect("consumed", q.prop("fault"), "")]
        res.check("qtest: rx-eop-early: EOP in the first descriptor, not the last", errs)


def t_fault_rx_hash_reserved(qemu, res):
    """rx-hash-reserved:Q: every frame of queue Q reports HASH_TYPE 3, until
    clear."""
    with QEMU(qemu) as q:
        loopback(q)
        q.fault("rx-hash-reserved:0")
        q.wr(qb(0) + TAIL, 2)
        q.step(20000)
        errs = [expect("STATUS 0, 1", (rx_status(q, 0), rx_status(q, 1)), (0x800d, 0x800d)),
                expect("sticky", q.prop("fault"), "rx-hash-reserved:0")]
        q.fault("clear")
        q.wr(qb(0) + TAIL, 3)
        q.step(20000)
        errs.append(expect("after clear", rx_status(q, 2), 0x8001))
        res.check("qtest: rx-hash-reserved: HASH_TYPE 3 until clear", errs)


def t_fault_regs_all_ones(qemu, res):
    """regs-all-ones: every register read returns 0xffffffff (no side
    effect) until clear; writes still act."""
    with QEMU(qemu) as q:
        q.wr(R.SCRATCH, 0x1234)
        q.fault("regs-all-ones")
        errs = [expect("ID", q.rd(R.ID), 0xffffffff),
                expect("SCRATCH", q.rd(R.SCRATCH), 0xffffffff),
                expect("readq counter", q.rdq(R.TX_FRAMES_OK_LO), 0xffffffffffffffff),
                expect("readb", q.rdn(0x1, 1), 0xff),
                expect("q0 IRQ_STATUS", q.rd(qb(0) + IRQ_STATUS), 0xffffffff)]
        q.wr(R.SCRATCH, 0x5678)
        q.fault("clear")
        errs += [expect("ID after clear", q.rd(R.ID), 0x46504745),
                 expect("SCRATCH written meanwhile", q.rd(R.SCRATCH), 0x5678)]
        res.check("qtest: regs-all-ones: reads return all ones until clear", errs)


def t_fault_irq_lost(qemu, res):
    """irq-lost:Q: the next assertion of queue Q's line does not happen
    (IRQ_STATUS set, line low until the level drops); the next one does."""
    with QEMU(qemu) as q:
        q.cmd("irq_intercept_out /machine/peripheral/fe0 sysbus-irq")
        loopback(q)
        q.wr(qb(0) + IRQ_ENABLE, 3)
        q.fault("irq-lost:0")
        q.irqs.clear()
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        errs = [expect("IRQ_STATUS", q.rd(qb(0) + IRQ_STATUS), 3),
                expect("QUEUE_IRQ_SUMMARY", q.rd(R.QUEUE_IRQ_SUMMARY), 1),
                expect("q0 line never raised", [i for i in q.irqs if i[1] == 1], []),
                expect("consumed", q.prop("fault"), "")]
        q.wr(qb(0) + IRQ_STATUS, 3)
        q.irqs.clear()
        q.wr(qb(0) + TAIL, 2)
        q.step(10000)
        errs.append(expect("next frame: q0 line raised", q.irqs[:1], [("raise", 1)]))
        res.check("qtest: irq-lost: status set, line not raised; the next one is", errs)


def t_fault_irq_storm(qemu, res):
    """irq-storm:Q: queue Q's line goes high at once with nothing pending
    (IRQ_ENABLE 0) and stays high until clear; the other lines do not."""
    with QEMU(qemu) as q:
        q.cmd("irq_intercept_out /machine/peripheral/fe0 sysbus-irq")
        q.irqs.clear()
        q.fault("irq-storm:1")
        status = q.rd(qb(1) + IRQ_STATUS)       # (reads the IRQ messages too)
        errs = [expect("q1 line raised at once", q.irqs[-1:], [("raise", 2)]),
                expect("IRQ_STATUS", status, 0),
                expect("IRQ_ENABLE", q.rd(qb(1) + IRQ_ENABLE), 0),
                expect("other lines", [i for i in q.irqs if i[1] != 2], []),
                expect("sticky", q.prop("fault"), "irq-storm:1")]
        q.step(10000)
        q.wr(qb(1) + IRQ_STATUS, 3)
        errs.append(expect("still high (no lower)", [i for i in q.irqs if i[0] == "lower"], []))
        q.fault("clear")
        q.rd(qb(1) + IRQ_STATUS)
        errs.append(expect("clear lowers it", q.irqs[-1:], [("lower", 2)]))
        res.check("qtest: irq-storm: line high with nothing pending until clear", errs)


def t_fault_bus_error(qemu, res):
    """bus-error: the descriptor reads of every queue fail (TX q0 and q1
    halt with DESC_READ, each at its own descriptor) until clear; re-enabled
    meanwhile, a queue halts again; after clear it sends."""
    with QEMU(qemu) as q:
        loopback(q)
        ring_setup(q, qb(1), RING + 0x2000, 4)
        q.mem_write(RING + 0x2000, b"".join(txd(BUF, len(FRAME), 1) for _ in range(15)))
        q.fault("bus-error")
        q.wr(qb(0) + TAIL, 1)
        q.wr(qb(1) + TAIL, 1)
        q.step(10000)
        errs = [expect("q0 TX_STATUS", q.rd(qb(0) + QSTATUS), 0x101),
                expect("q1 TX_STATUS", q.rd(qb(1) + QSTATUS), 0x101),
                expect("q1 ERR_ADDR", q.rd(qb(1) + ERR_LO), (RING + 0x2000) & 0xffffffff),
                expect("sticky", q.prop("fault"), "bus-error")]
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        errs.append(expect("q0 re-enabled: halts again", q.rd(qb(0) + QSTATUS), 0x101))
        q.fault("clear")
        q.wr(qb(0) + R.Q_TX_CTRL, 0)
        q.wr(qb(0) + R.Q_TX_CTRL, 1)
        q.wr(qb(0) + TAIL, 1)
        q.step(100000)
        errs += [expect("after clear: q0 TX_STATUS", q.rd(qb(0) + QSTATUS) & 0x1, 0),
                 expect("after clear: q0 HEAD", q.rd(qb(0) + HEAD), 1)]
        res.check("qtest: bus-error: every queue's descriptor read fails until clear", errs)


def t_fault_irq_clear_late(qemu, res):
    """irq-clear-late:Q: an IRQ_STATUS W1C lands at the port's next access;
    a completion in between has its status bit cleared by it (lost), unless
    that access is a read-back right after the write."""
    with QEMU(qemu) as q:
        q.cmd("irq_intercept_out /machine/peripheral/fe0 sysbus-irq")
        loopback(q)
        q.wr(qb(0) + IRQ_ENABLE, 3)
        q.fault("irq-clear-late:0")
        q.wr(qb(0) + TAIL, 1)
        q.step(10000)
        errs = [expect("frame 1: IRQ_STATUS", q.rd(qb(0) + IRQ_STATUS), 3)]
        # the clear is held: the line stays high until the next access
        q.irqs.clear()
        q.wr(qb(0) + IRQ_STATUS, 3)
        q.step(10000)
        errs.append(expect("held clear: line unchanged", q.irqs, []))
        errs.append(expect("landed at the read", q.rd(qb(0) + IRQ_STATUS), 0))
        errs.append(expect("line lowered", q.irqs, [("lower", 1)]))
        # frame 2 completes between a clear and the next access: lost
        q.wr(qb(0) + TAIL, 2)
        q.wr(qb(0) + IRQ_STATUS, 3)
        q.step(10000)
        errs.append(expect("frame 2 done: IRQ_STATUS lost", q.rd(qb(0) + IRQ_STATUS), 0))
        # read back at once: the clear lands before frame 3 completes
        q.wr(qb(0) + TAIL, 3)
        q.wr(qb(0) + IRQ_STATUS, 3)
        q.rd(qb(0) + IRQ_STATUS)
        q.step(10000)
        errs.append(expect("frame 3 with a read-back: IRQ_STATUS", q.rd(qb(0) + IRQ_STATUS), 3))
        errs.append(expect("sticky", q.prop("fault"), "irq-clear-late:0"))
        res.check("qtest: irq-clear-late: W1C lands at the next access; a completion "
                  "before it is lost, not with a read-back", errs)


def t_fault_reset_stuck(qemu, res):
    """reset-stuck: CTRL.SOFT_RESET reads 1 (writes ignored) until clear,
    which ends the reset."""
    with QEMU(qemu) as q:
        q.fault("reset-stuck")
        q.wr(R.SCRATCH, 0x1234)
        q.wr(CTRL, 1)
        q.step(1000000)
        errs = [expect("CTRL after 1 ms", q.rd(CTRL), 1)]
        pe = q.prop("protocol-errors")
        q.wr(R.SCRATCH, 0x5678)
        errs += [expect("SCRATCH write ignored", q.rd(R.SCRATCH), 0),
                 expect("and counted", q.prop("protocol-errors"), pe + 1),
                 expect("pending", q.prop("fault"), "reset-stuck")]
        q.fault("clear")
        errs.append(expect("CTRL after clear", q.rd(CTRL), 0))
        q.wr(R.SCRATCH, 0x5678)
        errs.append(expect("SCRATCH after clear", q.rd(R.SCRATCH), 0x5678))
        q.wr(CTRL, 1)
        q.step(1000)
        errs.append(expect("a later reset takes 1 us", q.rd(CTRL), 0))
        res.check("qtest: reset-stuck: SOFT_RESET stays 1 until clear", errs)


def t_fault_mdio_stuck(qemu, res):
    """mdio-stuck: the next MDIO command never completes: MDIO_CMD.START
    (BUSY) reads 1, no MDIO_DONE, later commands ignored; clear abandons it."""
    rd_bmsr = (1 << 31) | (2 << 10) | (1 << 5) | 1
    with QEMU(qemu) as q:
        q.wr(R.MDIO_DATA, 0)
        q.fault("mdio-stuck")
        q.wr(R.MDIO_CMD, rd_bmsr)
        errs = [expect("MDIO_CMD (BUSY)", q.rd(R.MDIO_CMD), rd_bmsr),
                expect("MDIO_DATA not read", q.rd(R.MDIO_DATA), 0),
                expect("no MDIO_DONE", q.rd(MISC_STATUS) & 4, 0)]
        q.wr(R.MDIO_CMD, (1 << 31) | (2 << 10) | (1 << 5) | 2)
        q.wr(CTRL, 1)
        q.step(1000)
        errs += [expect("a second command ignored, soft reset: still BUSY",
                        q.rd(R.MDIO_CMD), 1 << 31),
                 expect("pending", q.prop("fault"), "mdio-stuck")]
        q.fault("clear")
        errs += [expect("after clear: not BUSY", q.rd(R.MDIO_CMD) >> 31, 0),
                 expect("after clear: no MDIO_DONE", q.rd(MISC_STATUS) & 4, 0)]
        q.wr(R.MDIO_CMD, rd_bmsr)
        errs += [expect("a new command completes", q.rd(MISC_STATUS) & 4, 4),
                 expect("BMSR read", q.rd(R.MDIO_DATA) >> 2 & 1, 1)]
        res.check("qtest: mdio-stuck: BUSY stays 1, no DONE, until clear", errs)


HALT_STALL = 0x601                      # STATUS: HALTED, CAUSE 6 (STALL)
MS = 1000000


def stall_recover(q, off):
    """Recovery procedure steps 3 and 6 for one half: disable, poll IDLE,
    enable. Returns STATUS after the enable."""
    q.wr(off + R.Q_TX_CTRL, 0)
    q.rd(off + QSTATUS)                 # IDLE at once: nothing in flight
    q.wr(off + R.Q_TX_CTRL, 1)
    return q.rd(off + QSTATUS)


def t_stall_wdog(qemu, res):
    """STALL_TIMEOUT (CAP1.STALL_WDOG): a queue with work that completes
    nothing for STALL_TIMEOUT ms halts with CAUSE STALL (ERR_ADDR: the
    descriptor at HEAD, MISC DMA_ERR), not before; the recovery procedure
    (disable, enable) clears it and ends tx-stall / rx-stall; an idle queue,
    a queue whose frames complete and an RX queue without buffers never
    stall; without the feature the register reads 0 and nothing halts."""
    errs = []
    with QEMU(qemu) as q:
        loopback(q)
        errs.append(expect("CAP1 STALL_WDOG (default)", q.rd(R.CAP1) >> 12 & 1, 1))
        errs.append(expect("STALL_TIMEOUT reset", q.rd(R.STALL_TIMEOUT), 0))
        q.wr(R.STALL_TIMEOUT, 0xffff0005)
        errs.append(expect("STALL_TIMEOUT [15:0]", q.rd(R.STALL_TIMEOUT), 5))
        q.wr(MISC_ENABLE, 2)
        q.wr(qb(0) + TAIL, 1)               # completes: no stall
        q.step(20 * MS)
        errs += [expect("working queue: TX STATUS", q.rd(qb(0) + QSTATUS), 0),
                 expect("working queue: RX STATUS", q.rd(qb(0) + RXO + QSTATUS), 0)]
        # TX: tx-stall with a frame handed over
        q.fault("tx-stall:0")
        q.wr(qb(0) + TAIL, 2)
        q.step(5 * MS - 1000)
        errs.append(expect("tx-stall: not before 5 ms", q.rd(qb(0) + QSTATUS), 0))
        q.step(2000)
        errs += [expect("tx-stall: STATUS after 5 ms", q.rd(qb(0) + QSTATUS), HALT_STALL),
                 expect("tx-stall: ERR_ADDR (HEAD 1)", q.rd(qb(0) + ERR_LO), RING + 16),
                 expect("tx-stall: MISC DMA_ERR", q.rd(MISC_STATUS) & 2, 2),
                 expect("tx-stall: RX half", q.rd(qb(0) + RXO + QSTATUS), 0)]
        q.wr(MISC_STATUS, 2)
        errs += [expect("tx: STATUS after disable/enable", stall_recover(q, qb(0)), 0),
                 expect("tx: the disable ended tx-stall", q.prop("fault"), "")]
        q.wr(qb(0) + TAIL, 1)
        q.step(20 * MS)
        errs += [expect("tx: frame sent after recovery", q.rd(qb(0) + HEAD), 1),
                 expect("tx: no stall after recovery", q.rd(qb(0) + QSTATUS), 0)]
        # RX: rx-stall, frames looped back with buffers posted
        rx_head = q.rd(qb(0) + RXO + HEAD)
        nobuf = q.rdq(R.RX_NOBUF_LO)
        q.fault("rx-stall:0")
        q.wr(qb(0) + TAIL, 4)
        q.step(100000)
        errs += [expect("rx-stall: frames wait in the FIFO", q.prop("rx-fifo-frames"), 3),
                 expect("rx-stall: RX HEAD", q.rd(qb(0) + RXO + HEAD), rx_head)]
        q.step(5 * MS - 100000 - 5000)
        errs.append(expect("rx-stall: not before 5 ms", q.rd(qb(0) + RXO + QSTATUS), 0))
        q.step(10000)
        errs += [expect("rx-stall: STATUS after 5 ms", q.rd(qb(0) + RXO + QSTATUS), HALT_STALL),
                 expect("rx-stall: ERR_ADDR", q.rd(qb(0) + RXO + ERR_LO), RXD0 + 16 * rx_head),
                 expect("rx-stall: the FIFO drained", q.prop("rx-fifo-frames"), 0),
                 expect("rx-stall: dropped as RX_NOBUF", q.rdq(R.RX_NOBUF_LO), nobuf + 3)]
        errs += [expect("rx: STATUS after disable/enable",
                        stall_recover(q, qb(0) + RXO), 0),
                 expect("rx: the disable ended rx-stall", q.prop("fault"), "")]
        q.mem_write(RXD0, b"".join(rxd(BUF + 0x10000 + 0x800 * i, 0x800) for i in range(8)))
        q.wr(qb(0) + RXO + TAIL, 8)
        q.wr(qb(0) + TAIL, 5)
        q.step(20 * MS)
        errs += [expect("rx: frame received after recovery", q.rd(qb(0) + RXO + HEAD), 1),
                 expect("rx: no stall after recovery", q.rd(qb(0) + RXO + QSTATUS), 0)]
        # RX without buffers: the frame waits for them, not a stall
        stall_recover(q, qb(0) + RXO)
        q.wr(qb(0) + TAIL, 6)
        q.step(20 * MS)
        errs += [expect("no buffers: the frame waits", q.prop("rx-fifo-frames"), 1),
                 expect("no buffers: not a stall", q.rd(qb(0) + RXO + QSTATUS), 0)]
        # STALL_TIMEOUT 0: off
        q.wr(R.STALL_TIMEOUT, 0)
        q.fault("tx-stall:0")
        q.wr(qb(0) + TAIL, 7)
        q.step(100 * MS)
        errs.append(expect("STALL_TIMEOUT 0: no stall", q.rd(qb(0) + QSTATUS), 0))
    # without the feature, or on a 1.1 IP with the default features (a 1.2
    # feature the model hides below 1.2)
    for opts in (",features=0x47f", ",ip-version=0x00010001"):
        with QEMU(qemu, opts) as q:
            loopback(q)
            errs.append(expect("%s: CAP1 STALL_WDOG" % opts, q.rd(R.CAP1) >> 12 & 1, 0))
            q.wr(R.STALL_TIMEOUT, 5)
            errs.append(expect("%s: STALL_TIMEOUT reads 0" % opts, q.rd(R.STALL_TIMEOUT), 0))
            q.fault("tx-stall:0")
            q.wr(qb(0) + TAIL, 1)
            q.step(100 * MS)
            errs.append(expect("%s: no stall" % opts, q.rd(qb(0) + QSTATUS), 0))
    res.check("qtest: stall watchdog: CAUSE STALL after STALL_TIMEOUT of work without a "
              "completion (tx-stall, rx-stall), not before; recovery clears it; idle, "
              "working and buffer-less queues never stall; absent without STALL_WDOG and "
              "below 1.2", errs)


TX_PAUSE_EN = 512


def rx_wait(q, tail):
    """TX TAIL to tail: the frame looped back to RX queue 0, which has no
    buffers, waits at the head of the RX FIFO. Returns TX_PAUSE then."""
    q.wr(qb(0) + TAIL, tail)
    q.step(20000)
    return q.rdq(R.TX_PAUSE_LO)


def rx_requeue(q):
    """Recovery of RX queue 0: disabled (the frame at the FIFO's head is
    dropped as the disabled queue's), enabled again without buffers."""
    q.wr(qb(0) + RXO + R.Q_TX_CTRL, 0)
    q.step(10000)
    q.wr(qb(0) + RXO + R.Q_TX_CTRL, 1)


def t_rx_wait_xoff(qemu, res):
    """With TX_PAUSE_EN, a frame that has to wait for buffers sends XOFF;
    when the waiting frame is dropped (its queue disabled, or halted by
    the stall watchdog after an rx-stall), the next frame that waits sends
    XOFF again: the wait ended with the frame."""
    errs = []
    with QEMU(qemu) as q:
        loopback(q, extra=TX_PAUSE_EN)
        q.wr(PAUSE_QUANTA, 1)               # an XOFF period of 512 ns
        rx_requeue(q)                       # no RX buffers
        p0 = q.rdq(R.TX_PAUSE_LO)
        p1 = rx_wait(q, 1)
        errs += [expect("a frame waits for buffers", q.prop("rx-fifo-frames"), 1),
                 expect("its wait: XOFF", p1 - p0, 1)]
        rx_requeue(q)
        p2 = q.rdq(R.TX_PAUSE_LO)
        errs += [expect("queue disabled: the waiting frame dropped", q.prop("rx-fifo-frames"), 0),
                 expect("the next frame's wait: XOFF", rx_wait(q, 2) - p2, 1)]
        # the frame that waits is taken by rx-stall once buffers come, the
        # watchdog halts the queue, the recovery ends it
        q.wr(R.STALL_TIMEOUT, 5)
        q.fault("rx-stall:0")
        q.mem_write(RXD0, b"".join(rxd(BUF + 0x10000 + 0x800 * i, 0x800) for i in range(8)))
        q.wr(qb(0) + RXO + TAIL, 8)
        q.step(6 * MS)
        errs += [expect("rx-stall: STALL halt", q.rd(qb(0) + RXO + QSTATUS), HALT_STALL),
                 expect("rx-stall: the frame dropped", q.prop("rx-fifo-frames"), 0)]
        rx_requeue(q)
        p3 = q.rdq(R.TX_PAUSE_LO)
        errs += [expect("recovered: rx-stall ended", q.prop("fault"), ""),
                 expect("after the stall: a wait sends XOFF", rx_wait(q, 3) - p3, 1)]
    res.check("qtest: a frame that waits for buffers sends XOFF (TX_PAUSE_EN), and so does "
              "the next one once the waiting frame was dropped (queue disabled, rx-stall "
              "halted by the watchdog)", errs)


def t_cmdline_fault(qemu, res):
    """-device fpgaeth,...,fault=link-down does not crash QEMU; the link is
    down from the start (BMSR)."""
    with QEMU(qemu, ",fault=link-down") as q:
        q.wr(R.MDIO_CMD, (1 << 31) | (2 << 10) | (1 << 5) | 1)
        errs = [expect("BMSR link status", q.rd(R.MDIO_DATA) >> 2 & 1, 0),
                expect("fault pending", q.prop("fault"), "link-down")]
        q.fault("link-up")
        q.wr(R.MDIO_CMD, (1 << 31) | (2 << 10) | (1 << 5) | 1)
        q.wr(R.MDIO_CMD, (1 << 31) | (2 << 10) | (1 << 5) | 1)
        errs.append(expect("BMSR link status after link-up", q.rd(R.MDIO_DATA) >> 2 & 1, 1))
    res.check("qtest: fault=link-down on the command line (set before realize)", errs)


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else subprocess.run(
        [os.path.join(TOP, "tools/qemu/build")], check=True, stdout=subprocess.PIPE,
        universal_newlines=True).stdout.splitlines()[-1]
    only = sys.argv[2:]
    res = Results()
    for t in (t_ids, t_register_port, t_bad_props, t_loopback_irq, t_coalescing_timer, t_pause, t_faults,
              t_phy_loopback, t_phy_renegotiate, t_timing, t_tx_pipeline, t_tx_ring_full, t_idle_drain, t_slow_drain, t_backpressure,
              t_fifo_overflow, t_cmdline_fault, t_fault_tx_wb, t_fault_tx_wb_then_fetch, t_fault_rx_wb,
              t_fault_rx_len_lie, t_fault_tx_head_lie, t_fault_regs_all_ones, t_fault_irq_lost,
              t_fault_irq_clear_late, t_fault_irq_storm, t_fault_bus_error,
              t_fault_reset_stuck, t_fault_mdio_stuck, t_fault_head_back, t_fault_wb_skip,
              t_fault_done_beyond, t_fault_rx_wb_stale, t_fault_rx_eop_early,
              t_fault_rx_hash_reserved, t_fault_tx_done_unrung, t_fault_tx_wb_dup,
              t_fault_tx_wb_dup_late,
              t_stall_wdog, t_rx_wait_xoff):
        if only and t.__name__ not in only:
            continue
        try:
            t(qemu, res)
        except Exception as e:  # noqa: BLE001
            res.failed += 1
            print("not ok - %s # %s: %s" % (t.__name__, type(e).__name__, e))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
