#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""QEMU's fpgaeth device with cosim=SOCKET against the shim (the Verilated
fe_core), through QEMU's qtest accelerator: no guest, virtual time moves
only with clock_step (and with it a counting timer of the RTL).

    rtl/cosim/qtest-cosim.py SHIM QEMU

Cases: the ID/VERSION/CAP registers (the RTL's build: CAP1 0x47f, CAP3
with the shim's CLK_MHZ), SCRATCH, 64-bit and sub-word accesses split
at the port; SOFT_RESET completing in the RTL; a frame through queue pair
0 in MAC loopback: descriptors and data fetched over QEMU's DMA, the RX
buffer and write-back in guest RAM, the queue's interrupt line raised and
lowered by IRQ_STATUS's W1C, the statistics; a TX coalescing timer of the
RTL firing after its USECS of virtual time (100 us; 256 us to within a
microsecond, with a long frame's commands in between); the MDIO PHY's ID;
properties that do not describe the RTL refused.
Ends with "N passed, N failed, 0 skipped"; exits 1 if any failed.
"""
import importlib.util
import os
import struct
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
spec = importlib.util.spec_from_file_location(
    "qtest_model", os.path.join(TOP, "tools/qemu/tests/qtest-model.py"))
qm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(qm)
expect, qb, ring_setup, rxd, txd = qm.expect, qm.qb, qm.ring_setup, qm.rxd, qm.txd
CTRL, MISC_ENABLE = qm.CTRL, qm.MISC_ENABLE
RING, BUF, FRAME = qm.RING, qm.BUF, qm.FRAME


def soft_reset(q):
    q.wr(CTRL, 1)
    for _ in range(100):
        q.step(1000)
        if not q.rd(CTRL) & 1:
            return None
    return "SOFT_RESET still reads 1 after 100 us"


def wait(q, what, cond, us=20000):
    """Step the virtual clock 10 us at a time until cond() (at most us)."""
    for _ in range(us // 10):
        if cond():
            return None
        q.step(10000)
    return "%s: not after %d us of virtual time" % (what, us)


def t_regs(q, res, clk_mhz):
    errs = [expect("ID", q.rd(0), 0x46504745), expect("VERSION", q.rd(4), 0x10002),
            expect("BUILD_ID", q.rd(8), 0x20261124),
            expect("CAP0 (NUM_QP 4, MAX_RING_LOG2 12, MAX_FRAME 9600)", q.rd(0x10), 0x25800c04),
            expect("CAP1 (the RTL's features)", q.rd(0x14), 0x47f),
            expect("CAP3 (FIFOs 16 KiB, CLK_MHZ)", q.rd(0x1c), clk_mhz << 16 | 0x1010),
            expect("MAX_FRAME_LEN", q.rd(0x110), 1518)]
    q.wr(0x0c, 0x12345678)
    errs += [expect("SCRATCH", q.rd(0x0c), 0x12345678),
             expect("readq ID+VERSION", q.rdq(0), 0x0001000246504745),
             expect("readw at 0x0e", q.rdn(0x0e, 2), 0x1234)]
    q.wrn(0x0c, 2, 0xffff)
    errs.append(expect("SCRATCH after a halfword write (ignored)", q.rd(0x0c), 0x12345678))
    errs.append(soft_reset(q))
    errs.append(expect("SCRATCH after SOFT_RESET", q.rd(0x0c), 0))
    res.check("cosim qtest: ID/VERSION/CAP from the RTL, SCRATCH, 64-bit and sub-word "
              "accesses, SOFT_RESET", errs)


def t_mdio(q, res, clk_mhz):
    div = (clk_mhz * 1000 + 4999) // 5000
    q.wr(0x188, max(div, 1) - 1)
    q.wr(0x180, (1 << 31) | (2 << 10) | (1 << 5) | 2)
    errs = [wait(q, "MDIO command done", lambda: not q.rd(0x180) & (1 << 31))]
    errs.append(expect("PHY ID1 over MDIO", q.rd(0x184), 0x4650))
    res.check("cosim qtest: MDIO read of the PHY's ID1", errs)


def t_loopback(q, res):
    q.cmd("irq_intercept_out /machine/peripheral/fe0 sysbus-irq")
    errs = [soft_reset(q)]
    q.wr(CTRL, 2 | 4 | 32)                  # TX_EN RX_EN LOOPBACK
    ring_setup(q, qb(0), RING, 4)
    ring_setup(q, qb(0) + 0x40, RING + 0x1000, 4)
    q.mem_write(RING + 0x1000, b"".join(rxd(BUF + 0x10000 + 0x800 * i, 0x800)
                                        for i in range(8)))
    q.wr(qb(0) + 0x50, 8)
    q.mem_write(BUF, FRAME)
    q.mem_write(RING, txd(BUF, len(FRAME), 1))
    q.wr(qb(0) + 0x84, 3)                   # TX and RX interrupts of pair 0
    q.irqs.clear()
    q.wr(qb(0) + 0x10, 1)
    errs.append(wait(q, "RX HEAD 1", lambda: q.rd(qb(0) + 0x4c) == 1))
    errs += [expect("TX HEAD", q.rd(qb(0) + 0x0c), 1),
             expect("TX FLAGS written back", struct.unpack("<H", q.mem_read(RING + 10, 2))[0],
                    0x8001),
             expect("RX descriptor written back", q.mem_read(RING + 0x1000, 16),
                    struct.pack("<IHHHHI", 0, 0, 0, len(FRAME), 0x8001, 0)),
             expect("RX data", q.mem_read(BUF + 0x10000, len(FRAME)), FRAME),
             expect("q0 line (sysbus irq 1) raised", q.irqs[:1], [("raise", 1)])]
    q.irqs.clear()
    q.wr(qb(0) + 0x80, 3)
    errs.append(expect("q0 line lowered by W1C", q.irqs, [("lower", 1)]))
    q.wr(MISC_ENABLE, 4)
    q.irqs.clear()
    q.wr(0x208, 4)
    errs.append(expect("misc line (sysbus irq 0) by MISC_IRQ_SET", q.irqs, [("raise", 0)]))
    errs += [expect("TX_FRAMES_OK (readq)", q.rdq(0x400), 1),
             expect("TX_OCTETS_OK", q.rd(0x408), len(FRAME) + 4),
             expect("RX_FRAMES_OK", q.rd(0x440), 1)]
    res.check("cosim qtest: a frame in MAC loopback through QEMU's DMA, write-backs, "
              "interrupt lines, statistics", errs)


def t_coal(q, res):
    """A coalescing timer of the RTL runs with the virtual clock: TX COAL
    USECS 100 (FRAMES 0) raises the TX interrupt 100 us of virtual time
    after the completion, not before."""
    q.wr(qb(0) + 0x1c, 100 << 16)           # TX_COAL: USECS 100
    q.wr(qb(0) + 0x84, 1)                   # TX interrupt only
    q.wr(qb(0) + 0x80, 3)
    q.mem_write(RING + 16, txd(BUF, len(FRAME), 1))
    q.irqs.clear()
    q.wr(qb(0) + 0x10, 2)
    errs = [expect("TX HEAD 2 at once", q.rd(qb(0) + 0x0c), 2),
            expect("no TX interrupt yet", (q.rd(qb(0) + 0x80) & 1, q.irqs), (0, []))]
    q.step(90000)
    errs.append(expect("no TX interrupt after 90 us", (q.rd(qb(0) + 0x80) & 1, q.irqs),
                       (0, [])))
    q.step(20000)
    errs.append(expect("TX interrupt by 110 us", (q.rd(qb(0) + 0x80) & 1, q.irqs[:1]),
                       (1, [("raise", 1)])))
    q.wr(qb(0) + 0x80, 3)
    res.check("cosim qtest: TX COAL USECS 100 raises the interrupt 90-110 us of virtual "
              "time after the completion", errs)


def t_coal_exact(q, res):
    """The RTL's timers count virtual time, to the clock: TX COAL USECS 256
    raises the TX interrupt 256 us after the first completion, though a
    1514-byte frame sent 100 us in runs thousands of the RTL's clocks in
    no virtual time (a fixed 100 us tick fired it at 300 us; a timer that
    counted the commands' clocks fired early)."""
    q.wr(qb(0) + 0x1c, 256 << 16)           # TX_COAL: USECS 256
    q.wr(qb(0) + 0x80, 3)
    big = FRAME[:14] + bytes(i & 0xff for i in range(1500))
    q.mem_write(BUF + 0x1000, big)
    q.mem_write(RING + 32, txd(BUF, len(FRAME), 1) + txd(BUF + 0x1000, len(big), 1))
    q.irqs.clear()
    q.wr(qb(0) + 0x10, 3)
    errs = [expect("TX HEAD 3 at once", q.rd(qb(0) + 0x0c), 3)]
    q.step(100000)
    q.wr(qb(0) + 0x10, 4)
    errs += [expect("TX HEAD 4 at 100 us", q.rd(qb(0) + 0x0c), 4),
             expect("no TX interrupt at 100 us", (q.rd(qb(0) + 0x80) & 1, q.irqs), (0, []))]
    # the line alone, no register access: an access brings the RTL up to
    # the virtual clock by itself; the line must rise with no access
    q.step(155000)
    errs.append(expect("no TX interrupt line at 255 us", q.irqs, []))
    q.step(2000)
    errs += [expect("TX interrupt line raised by 257 us", q.irqs[:1], [("raise", 1)]),
             expect("TX IRQ_STATUS", q.rd(qb(0) + 0x80) & 1, 1)]
    q.wr(qb(0) + 0x80, 3)
    res.check("cosim qtest: TX COAL USECS 256 raises the interrupt 255-257 us of virtual "
              "time after the completion, a 1514-byte frame sent in between", errs)


def t_mismatch(qemu, sock, res):
    """The device's properties must describe the RTL: the model's default
    features (0x147f, with the stall watchdog) are refused at realize."""
    p = subprocess.run([qemu, "-M", "virt", "-accel", "qtest", "-display", "none",
                        "-nodefaults", "-device", "fpgaeth,cosim=" + sock],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True, timeout=60)
    res.check("cosim qtest: properties that do not match the RTL's CAP registers are refused",
              [None if p.returncode and "CAP1 0x0000047f" in p.stdout
               else "rc %d: %s" % (p.returncode, p.stdout.strip())])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: %s SHIM QEMU" % sys.argv[0])
    shim, qemu = sys.argv[1:]
    d = tempfile.mkdtemp(prefix="fe-cosim.")
    sock = os.path.join(d, "fe0.sock")
    sp = subprocess.Popen([shim, sock], stderr=subprocess.DEVNULL)
    res = qm.Results()
    try:
        for _ in range(500):
            if os.path.exists(sock):
                break
            time.sleep(0.01)
        props = subprocess.run([shim, "--props"], stdout=subprocess.PIPE, check=True,
                               universal_newlines=True).stdout.strip()
        q = qm.QEMU(qemu, ",cosim=%s,%s" % (sock, props))
        try:
            clk = q.rd(0x1c) >> 16
            t_regs(q, res, clk)
            t_mdio(q, res, clk)
            t_loopback(q, res)
            t_coal(q, res)
            t_coal_exact(q, res)
        finally:
            q.close()
        t_mismatch(qemu, sock, res)
    finally:
        sp.terminate()
        sp.wait()
        if os.path.exists(sock):
            os.unlink(sock)
        os.rmdir(d)
    print("%d passed, %d failed, 0 skipped" % (res.passed, res.failed))
    sys.exit(1 if res.failed else 0)


if __name__ == "__main__":
    main()
