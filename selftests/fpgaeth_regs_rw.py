#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Register write/read-back behaviour as the programming model documents it,
through /dev/mem on an instance the driver is unbound from (the last one).

Access types (RW, RO, WO, W1C, SC), implemented-bit masks, TAIL masked by
the ring size, MAX_FRAME_LEN ignoring out-of-range writes, the interrupt
summary, queue enable with an invalid ring size, MDIO, absent queue pair
blocks, the register port (byte, halfword and 64-bit CPU accesses), and
STATS_CTRL.CLEAR / soft reset on counters made non-zero by one frame sent
(in internal loopback if the IP has it, else onto the bench's hub) from a
TX ring in locked user memory.
Every case starts from a soft reset; the driver is bound again at the end.
"""
import ctypes
import mmap
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402

# Offsets: the programming model's register tables (programming-model.rst)
OFF = fe.spec_offsets()
SCRATCH, CAP0, CAP1 = OFF["SCRATCH"], OFF["CAP0"], OFF["CAP1"]
CTRL, MAC_CFG, MAC_ADDR_LO, MAC_ADDR_HI = (OFF[n] for n in (
    "CTRL", "MAC_CFG", "MAC_ADDR_LO", "MAC_ADDR_HI"))
MAX_FRAME_LEN, MC_HASH_LO, MC_HASH_HI, PAUSE_QUANTA, PAUSE_CMD = (OFF[n] for n in (
    "MAX_FRAME_LEN", "MC_HASH_LO", "MC_HASH_HI", "PAUSE_QUANTA", "PAUSE_CMD"))
MDIO_CMD, MDIO_DATA, MDIO_CFG = OFF["MDIO_CMD"], OFF["MDIO_DATA"], OFF["MDIO_CFG"]
MISC_IRQ_STATUS, MISC_IRQ_ENABLE, MISC_IRQ_SET, QUEUE_IRQ_SUMMARY = (OFF[n] for n in (
    "MISC_IRQ_STATUS", "MISC_IRQ_ENABLE", "MISC_IRQ_SET", "QUEUE_IRQ_SUMMARY"))
STATS_CTRL = OFF["STATS_CTRL"]
# queue pair registers: offsets within the pair's block
TX_BASE_LO, TX_BASE_HI, TX_SIZE, TX_HEAD, TX_TAIL, TX_CTRL, TX_STATUS, TX_COAL = (
    OFF["Q_" + n] for n in ("TX_BASE_LO", "TX_BASE_HI", "TX_SIZE", "TX_HEAD", "TX_TAIL",
                            "TX_CTRL", "TX_STATUS", "TX_COAL"))
TX_ERR_ADDR_LO, TX_ERR_ADDR_HI = OFF["Q_TX_ERR_ADDR_LO"], OFF["Q_TX_ERR_ADDR_HI"]
RX_OFF = OFF["Q_RX_BASE_LO"] - OFF["Q_TX_BASE_LO"]    # RX_<X> = TX_<X> + RX_OFF
RX_NOBUF = OFF["Q_RX_NOBUF"]
IRQ_STATUS, IRQ_ENABLE, IRQ_SET = OFF["Q_IRQ_STATUS"], OFF["Q_IRQ_ENABLE"], OFF["Q_IRQ_SET"]
RSS_KEY0, RSS_INDIR0 = OFF["RSS_KEY0"], OFF["RSS_INDIR0"]

CTRL_SOFT_RESET, CTRL_TX_EN, CTRL_RX_EN, CTRL_LOOPBACK = 1, 2, 4, 0x20
# CTRL bits that need a CAP1 feature: LOOPBACK, RSS_EN, RX_CSUM_EN,
# RX_PAUSE_EN, TX_PAUSE_EN
CTRL_FEATURE = {5: 3, 6: 2, 7: 1, 8: 6, 9: 6}
MISC_DMA_ERR, MISC_MDIO_DONE = 2, 4


class Case:
    """Collects mismatches: expect(what, got, want)."""

    def __init__(self):
        self.errs = []

    def expect(self, what, got, want):
        if got != want:
            self.errs.append("%s: read %#x, want %#x" % (what, got, want))


def qb(q):
    return fe.queue_base(q)


def t_scratch(m, c, ctx):
    for v in (0xffffffff, 0xa5a5a5a5, 0x5a5a5a5a, 0x00000001, 0x80000000, 0):
        m.wr(SCRATCH, v)
        c.expect("SCRATCH after writing %#x" % v, m.rd(SCRATCH), v)


def t_ro(m, c, ctx):
    for r in ctx["regs"]:
        if r.access != "RO":
            continue
        before = m.rd(r.offset)
        for v in (0xffffffff, ~before & 0xffffffff, 0):
            m.wr(r.offset, v)
            c.expect("%s (RO) after writing %#x" % (r.name, v), m.rd(r.offset), before)


def t_wo(m, c, ctx):
    for r in ctx["regs"]:
        if r.access == "WO":
            m.wr(r.offset, 0xffffffff)
            c.expect("%s (WO) after writing 0xffffffff" % r.name, m.rd(r.offset), 0)


def t_misc_w1c(m, c, ctx):
    m.wr(MISC_IRQ_SET, 0xf)
    c.expect("MISC_IRQ_STATUS after MISC_IRQ_SET=0xf", m.rd(MISC_IRQ_STATUS), 0xf)
    m.wr(MISC_IRQ_STATUS, 0)
    c.expect("MISC_IRQ_STATUS after writing 0", m.rd(MISC_IRQ_STATUS), 0xf)
    m.wr(MISC_IRQ_STATUS, 0x5)
    c.expect("MISC_IRQ_STATUS after writing 0x5", m.rd(MISC_IRQ_STATUS), 0xa)
    m.wr(MISC_IRQ_STATUS, 0xffffffff)
    c.expect("MISC_IRQ_STATUS after writing 0xffffffff", m.rd(MISC_IRQ_STATUS), 0)
    m.wr(MISC_IRQ_SET, 0xfffffff0)
    c.expect("MISC_IRQ_STATUS after setting reserved bits", m.rd(MISC_IRQ_STATUS), 0)
    for b in range(4):
        m.wr(MISC_IRQ_SET, 1 << b)
        c.expect("MISC_IRQ_STATUS after MISC_IRQ_SET=%#x" % (1 << b),
                 m.rd(MISC_IRQ_STATUS), 1 << b)
        m.wr(MISC_IRQ_STATUS, 1 << b)
        c.expect("MISC_IRQ_STATUS after W1C %#x" % (1 << b), m.rd(MISC_IRQ_STATUS), 0)


def t_queue_w1c(m, c, ctx):
    for q in range(ctx["nq"]):
        st, se = qb(q) + IRQ_STATUS, qb(q) + IRQ_SET
        m.wr(se, 0xffffffff)
        c.expect("Q%d_IRQ_STATUS after IRQ_SET=0xffffffff" % q, m.rd(st), 0x3)
        m.wr(st, 0)
        c.expect("Q%d_IRQ_STATUS after writing 0" % q, m.rd(st), 0x3)
        m.wr(st, 0x1)
        c.expect("Q%d_IRQ_STATUS after W1C TX" % q, m.rd(st), 0x2)
        m.wr(st, 0x2)
        c.expect("Q%d_IRQ_STATUS after W1C RX" % q, m.rd(st), 0)
        m.wr(se, 0x2)
        c.expect("Q%d_IRQ_STATUS after IRQ_SET=RX" % q, m.rd(st), 0x2)
        m.wr(st, 0x3)
        c.expect("Q%d_IRQ_STATUS after W1C 0x3" % q, m.rd(st), 0)


def t_summary(m, c, ctx):
    for q in range(ctx["nq"]):
        st, en, se = qb(q) + IRQ_STATUS, qb(q) + IRQ_ENABLE, qb(q) + IRQ_SET
        bit = 1 << q
        m.wr(se, 0x3)
        c.expect("summary with Q%d STATUS=3 ENABLE=0" % q, m.rd(QUEUE_IRQ_SUMMARY), 0)
        m.wr(en, 0x1)
        c.expect("summary with Q%d STATUS=3 ENABLE=1" % q, m.rd(QUEUE_IRQ_SUMMARY), bit)
        m.wr(st, 0x1)
        c.expect("summary with Q%d STATUS=2 ENABLE=1" % q, m.rd(QUEUE_IRQ_SUMMARY), 0)
        m.wr(en, 0x2)
        c.expect("summary with Q%d STATUS=2 ENABLE=2" % q, m.rd(QUEUE_IRQ_SUMMARY), bit)
        m.wr(en, 0)
        c.expect("summary with Q%d STATUS=2 ENABLE=0" % q, m.rd(QUEUE_IRQ_SUMMARY), 0)
        m.wr(en, 0x3)
        m.wr(st, 0x3)
        c.expect("summary with Q%d STATUS=0 ENABLE=3" % q, m.rd(QUEUE_IRQ_SUMMARY), 0)
        m.wr(en, 0)
    # all lines at once
    for q in range(ctx["nq"]):
        m.wr(qb(q) + IRQ_ENABLE, 0x3)
        m.wr(qb(q) + IRQ_SET, 0x1)
    c.expect("summary with every queue pair raised", m.rd(QUEUE_IRQ_SUMMARY),
             (1 << ctx["nq"]) - 1)


def t_soft_reset(m, c, ctx):
    writes = [(SCRATCH, 0x12345678), (MAC_CFG, 0x1), (MAC_ADDR_LO, 0x04030201),
              (MAC_ADDR_HI, 0x0605), (MAX_FRAME_LEN, 1000), (MC_HASH_LO, 0xffff),
              (PAUSE_QUANTA, 0x10), (MDIO_CFG, 0x3), (MISC_IRQ_ENABLE, 0xf),
              (MISC_IRQ_SET, 0xf), (RSS_KEY0, 0xdeadbeef), (RSS_INDIR0, 0x01020301),
              (CTRL, CTRL_RX_EN)]
    for q in range(ctx["nq"]):
        writes += [(qb(q) + TX_BASE_LO, 0x1000), (qb(q) + RX_OFF + TX_SIZE, 5),
                   (qb(q) + TX_COAL, 0x00100010), (qb(q) + IRQ_ENABLE, 0x3),
                   (qb(q) + IRQ_SET, 0x3)]
    for off, v in writes:
        m.wr(off, v)
    if m.rd(SCRATCH) != 0x12345678:
        c.errs.append("SCRATCH write did not stick before the reset")
    # SOFT_RESET reads 1 until the reset has completed (programming model 1.1)
    if not fe.soft_reset(m):
        c.errs.append("CTRL.SOFT_RESET still reads 1 after 1 s: %#x" % m.rd(CTRL))
    c.expect("CTRL after SOFT_RESET completed", m.rd(CTRL), 0)
    for r in ctx["regs"]:
        c.expect("%s after soft reset" % r.name, m.rd(r.offset), ctx["expect"][r.name])


def t_masks(m, c, ctx):
    feat = ctx["features"]
    ctrl = 0x3fe
    for bit, f in CTRL_FEATURE.items():
        if not feat & (1 << f):
            ctrl &= ~(1 << bit)
    masks = [(SCRATCH, 0xffffffff), (MAC_CFG, 0x7), (MAC_ADDR_LO, 0xffffffff),
             (MAC_ADDR_HI, 0xffff), (MC_HASH_LO, 0xffffffff), (MC_HASH_HI, 0xffffffff),
             (PAUSE_QUANTA, 0xffff), (MDIO_DATA, 0xffff), (MDIO_CFG, 0xff),
             (MISC_IRQ_ENABLE, 0xf), (STATS_CTRL, 0)]
    masks += [(RSS_KEY0 + 4 * i, 0xffffffff) for i in range(10)]
    masks += [(RSS_INDIR0 + 4 * i, 0x07070707) for i in range(32)]
    for q in range(ctx["nq"]):
        for d in (0, RX_OFF):
            masks += [(qb(q) + d + TX_BASE_LO, 0xfffffff0),
                      (qb(q) + d + TX_BASE_HI, 0xffffffff),
                      (qb(q) + d + TX_SIZE, 0xf), (qb(q) + d + TX_COAL, 0xffffffff)]
        masks.append((qb(q) + IRQ_ENABLE, 0x3))
    names = {r.offset: r.name for r in ctx["regs"]}
    for off, mask in masks:
        m.wr(off, 0xffffffff)
        c.expect("%s after writing 0xffffffff" % names[off], m.rd(off), mask)
        m.wr(off, 0)
        c.expect("%s after writing 0" % names[off], m.rd(off), 0)
    # CTRL without SOFT_RESET: the implemented control bits the features allow
    m.wr(CTRL, 0xfffffffe)
    c.expect("CTRL after writing 0xfffffffe (features %#x)" % feat, m.rd(CTRL), ctrl)
    m.wr(CTRL, 0)
    c.expect("CTRL after writing 0", m.rd(CTRL), 0)


def t_tail(m, c, ctx):
    for q in range(ctx["nq"]):
        for d, dn in ((0, "TX"), (RX_OFF, "RX")):
            size, tail = qb(q) + d + TX_SIZE, qb(q) + d + TX_TAIL
            for log2 in (3, 7, 12):
                m.wr(size, log2)
                for v in (0xffffffff, (1 << log2) + 1, (1 << log2) - 1):
                    m.wr(tail, v)
                    c.expect("Q%d_%s_TAIL (SIZE %d) after writing %#x" % (q, dn, log2, v),
                             m.rd(tail), v & ((1 << log2) - 1))
            m.wr(tail, 0)
            m.wr(size, 0)


def t_max_frame(m, c, ctx):
    mf, reset = ctx["max_frame"], ctx["expect"]["MAX_FRAME_LEN"]
    seq = [(63, reset), (64, 64), (0, 64), (mf + 1, 64), (mf, mf), (0xffff, mf),
           (reset, reset)]
    for v, want in seq:
        m.wr(MAX_FRAME_LEN, v)
        c.expect("MAX_FRAME_LEN (MAX_FRAME %d) after writing %d" % (mf, v),
                 m.rd(MAX_FRAME_LEN), want)


def t_ring_config(m, c, ctx):
    q = ctx["nq"] - 1
    for d, dn in ((0, "TX"), (RX_OFF, "RX")):
        b = qb(q) + d
        for bad in (2, 13):
            m.wr(MISC_IRQ_STATUS, 0xf)
            m.wr(b + TX_BASE_LO, 0x12340)
            m.wr(b + TX_BASE_HI, 0x5)
            m.wr(b + TX_SIZE, bad)
            m.wr(b + TX_CTRL, 1)
            w = "Q%d_%s enabled with SIZE %d" % (q, dn, bad)
            c.expect(w + ": STATUS (HALTED, CAUSE RING_CONFIG)", m.rd(b + TX_STATUS), 0x401)
            c.expect(w + ": ERR_ADDR_LO", m.rd(b + TX_ERR_ADDR_LO), 0x12340)
            c.expect(w + ": ERR_ADDR_HI", m.rd(b + TX_ERR_ADDR_HI), 0x5)
            c.expect(w + ": MISC_IRQ_STATUS.DMA_ERR",
                     m.rd(MISC_IRQ_STATUS) & MISC_DMA_ERR, MISC_DMA_ERR)
            m.wr(b + TX_CTRL, 0)
            m.wr(b + TX_SIZE, 3)
            m.wr(b + TX_CTRL, 1)
            w = "Q%d_%s re-enabled with SIZE 3" % (q, dn)
            c.expect(w + ": STATUS", m.rd(b + TX_STATUS), 0)
            c.expect(w + ": ERR_ADDR_LO", m.rd(b + TX_ERR_ADDR_LO), 0)
            c.expect(w + ": HEAD", m.rd(b + TX_HEAD), 0)
            m.wr(b + TX_CTRL, 0)


def t_absent(m, c, ctx):
    offs = [0x0020, 0x00fc, 0x0124, 0x017c, 0x018c, 0x0210, 0x0304, 0x05f8,
            0x0628, 0x0780, 0x0ffc, 0x102c, 0x108c, 0x10fc, 0x1800, 0xfffc]
    for q in range(ctx["nq"], 8):
        offs += [qb(q) + o for o in (TX_BASE_LO, TX_SIZE, TX_COAL, RX_OFF + TX_BASE_LO,
                                     IRQ_ENABLE, IRQ_SET)]
    for off in offs:
        m.wr(off, 0xffffffff)
        c.expect("offset %#06x (no register) after writing 0xffffffff" % off, m.rd(off), 0)
    c.expect("QUEUE_IRQ_SUMMARY after writes to absent queue pairs",
             m.rd(QUEUE_IRQ_SUMMARY), 0)
    c.expect("MISC_IRQ_STATUS after writes to holes", m.rd(MISC_IRQ_STATUS), 0)


def mdio(m, phy, reg):
    m.wr(MDIO_CMD, 1 << 31 | 2 << 10 | phy << 5 | reg)
    end = time.monotonic() + 1
    while m.rd(MDIO_CMD) & (1 << 31) and time.monotonic() < end:
        time.sleep(0.001)
    return m.rd(MDIO_DATA) & 0xffff


def t_mdio(m, c, ctx):
    pa = ctx["phy_addr"]
    c.expect("MDIO read PHY %d reg 2 (PHYSID1)" % pa, mdio(m, pa, 2), 0x4650)
    c.expect("MDIO_CMD.BUSY after the read", m.rd(MDIO_CMD) >> 31, 0)
    c.expect("MISC_IRQ_STATUS.MDIO_DONE after the read",
             m.rd(MISC_IRQ_STATUS) & MISC_MDIO_DONE, MISC_MDIO_DONE)
    c.expect("MDIO read PHY %d reg 3 (PHYSID2)" % pa, mdio(m, pa, 3), 0x0001)
    other = (pa + 1) % 32
    c.expect("MDIO read of address %d (no PHY)" % other, mdio(m, other, 2), 0xffff)


# ------------------------------------------- one frame from a TX ring

class LockedBuffer:
    """A locked page of user memory and its physical address, for the
    device to DMA from (no IOMMU on the bench: bus address = physical)."""

    def __init__(self, size=4096):
        self.size = size
        self.mm = mmap.mmap(-1, size, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.mm.write(b"\0" * size)
        libc = ctypes.CDLL(None, use_errno=True)
        addr = ctypes.addressof(ctypes.c_char.from_buffer(self.mm))
        if libc.mlock(ctypes.c_void_p(addr), ctypes.c_size_t(size)):
            raise OSError(ctypes.get_errno(), "mlock")
        with open("/proc/self/pagemap", "rb") as f:
            f.seek(addr // 4096 * 8)
            ent = struct.unpack("<Q", f.read(8))[0]
        if not ent >> 63 or not ent & ((1 << 55) - 1):
            raise OSError("page not present or PFN hidden: %#x" % ent)
        self.phys = (ent & ((1 << 55) - 1)) * 4096


STAT = {n: OFF[n + "_LO"] for n in ("TX_FRAMES_OK", "TX_OCTETS_OK", "TX_BCAST",
                                     "RX_FRAMES_OK", "RX_OCTETS_OK", "RX_BCAST", "RX_NOBUF",
                                     "RX_HIST0", "TX_HIST0")}


def send_frame(m, buf, loop=True):
    """One 60-byte broadcast frame from queue 0's TX ring: with loop, MAC in
    loopback, RX enabled with no RX queue enabled; else onto the line (the
    bench's hub). Returns an error string or None."""
    ring, frame = 0, 256
    buf.mm[frame:frame + 60] = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + \
        b"\x88\xb5" + bytes(range(46))
    struct.pack_into("<QHHHH", buf.mm, ring, buf.phys + frame, 60, 1, 0, 0)
    m.wr(CTRL, CTRL_TX_EN | (CTRL_RX_EN | CTRL_LOOPBACK if loop else 0))
    m.wr(qb(0) + TX_BASE_LO, (buf.phys + ring) & 0xffffffff)
    m.wr(qb(0) + TX_BASE_HI, (buf.phys + ring) >> 32)
    m.wr(qb(0) + TX_SIZE, 3)
    m.wr(qb(0) + TX_CTRL, 1)
    m.wr(qb(0) + TX_TAIL, 1)
    end = time.monotonic() + 2
    while m.rd(qb(0) + TX_HEAD) != 1 and time.monotonic() < end:
        time.sleep(0.001)
    flags = struct.unpack_from("<H", buf.mm, ring + 10)[0]
    st = m.rd(qb(0) + TX_STATUS)
    m.wr(qb(0) + TX_CTRL, 0)
    m.wr(CTRL, 0)
    if m.rd(qb(0) + TX_HEAD) != 1 or flags & 0xc000 != 0x8000:
        return "frame not sent: TX_HEAD %d, FLAGS %#x, TX_STATUS %#x" % (
            m.rd(qb(0) + TX_HEAD), flags, st)
    return None


def stat(m, off):
    lo = m.rd(off)
    return m.rd(off + 4) << 32 | lo


def counters_nonzero(m):
    return {n: stat(m, o) for n, o in STAT.items() if stat(m, o)}


def all_counters(m, ctx):
    return {r.name: m.rd(r.offset) for r in ctx["regs"] if r.block == "stats"} | \
        {"Q%d_%s" % (q, n): m.rd(qb(q) + o) for q in range(ctx["nq"])
         for n, o in (("TX_DISCARDS", 0x28), ("RX_NOBUF", RX_NOBUF))}


def t_loopback_counted(m, c, ctx):
    err = send_frame(m, ctx["buf"])
    if err:
        c.errs.append(err)
        return
    want = {"TX_FRAMES_OK": 1, "TX_OCTETS_OK": 64, "TX_BCAST": 1, "TX_HIST0": 1,
            "RX_FRAMES_OK": 1, "RX_OCTETS_OK": 64, "RX_BCAST": 1, "RX_HIST0": 1,
            "RX_NOBUF": 1}
    for n, o in STAT.items():
        c.expect(n, stat(m, o), want[n])
    c.expect("Q0_RX_NOBUF", m.rd(qb(0) + RX_NOBUF), 1)


def t_stats_clear(m, c, ctx):
    err = send_frame(m, ctx["buf"], ctx["loop"])
    if err:
        c.errs.append(err)
        return
    if not counters_nonzero(m):
        c.errs.append("no counter counted the frame (link down?): cannot test CLEAR")
        return
    m.wr(STATS_CTRL, 1)
    c.expect("STATS_CTRL after CLEAR (SC)", m.rd(STATS_CTRL), 0)
    for n, v in all_counters(m, ctx).items():
        if n.startswith("Q"):
            continue    # per-queue counters: the spec does not say CLEAR clears them
        c.expect("%s after STATS_CTRL.CLEAR" % n, v, 0)


def t_reset_counters(m, c, ctx):
    err = send_frame(m, ctx["buf"], ctx["loop"])
    if err:
        c.errs.append(err)
        return
    if not counters_nonzero(m):
        c.errs.append("no counter counted the frame (link down?)")
        return
    fe.soft_reset(m)
    for n, v in all_counters(m, ctx).items():
        c.expect("%s after soft reset" % n, v, 0)


def t_port(m, c, ctx):
    """programming-model.rst "Register port" with the CPU's own accesses
    (ldrb/ldrh/ldr x and the stores): a byte or halfword read returns those
    bytes of the word, byte and halfword writes are ignored (no action
    either), a 64-bit access is the two 32-bit ones."""
    u8 = (ctypes.c_uint8 * fe.REGS_SIZE).from_buffer(m.mm)
    u16 = (ctypes.c_uint16 * (fe.REGS_SIZE // 2)).from_buffer(m.mm)
    u64 = (ctypes.c_uint64 * (fe.REGS_SIZE // 8)).from_buffer(m.mm)
    build_id = OFF["BUILD_ID"]          # BUILD_ID (RO), SCRATCH: one 64-bit pair
    try:
        m.wr(SCRATCH, 0x11223344)
        c.expect("byte read of SCRATCH + 1", u8[SCRATCH + 1], 0x33)
        c.expect("halfword read of SCRATCH + 2", u16[(SCRATCH + 2) // 2], 0x1122)
        u8[SCRATCH] = 0
        u16[(SCRATCH + 2) // 2] = 0
        c.expect("SCRATCH after byte and halfword writes", m.rd(SCRATCH), 0x11223344)
        bid = m.rd(build_id)
        c.expect("64-bit read of BUILD_ID, SCRATCH", u64[build_id // 8],
                 0x11223344 << 32 | bid)
        u64[build_id // 8] = 0xa5a5a5a5 << 32 | 0x5a5a5a5a
        c.expect("SCRATCH after a 64-bit write", m.rd(SCRATCH), 0xa5a5a5a5)
        c.expect("BUILD_ID (RO) after it", m.rd(build_id), bid)
        u64[RSS_KEY0 // 8] = 0x0102030405060708
        c.expect("RSS_KEY0, RSS_KEY1 after a 64-bit write",
                 (m.rd(RSS_KEY0), m.rd(RSS_KEY0 + 4)), (0x05060708, 0x01020304))
        u8[CTRL] = CTRL_SOFT_RESET
        c.expect("SCRATCH after a byte write of CTRL.SOFT_RESET (ignored)",
                 m.rd(SCRATCH), 0xa5a5a5a5)
        stat = OFF["TX_FRAMES_OK_LO"]
        c.expect("64-bit read of a counter = LO, HI", u64[stat // 8],
                 m.rd(stat) | m.rd(stat + 4) << 32)
    finally:
        del u8, u16, u64


CASES = [
    ("SCRATCH is read-write", t_scratch, None),
    ("RO registers ignore writes", t_ro, None),
    ("WO registers read 0", t_wo, None),
    ("MISC_IRQ_SET sets, MISC_IRQ_STATUS is W1C", t_misc_w1c, None),
    ("Q<q>_IRQ_SET sets, Q<q>_IRQ_STATUS is W1C", t_queue_w1c, None),
    ("QUEUE_IRQ_SUMMARY follows IRQ_STATUS & IRQ_ENABLE", t_summary, None),
    ("CTRL.SOFT_RESET self-clears and resets every register", t_soft_reset, None),
    ("RW registers implement the documented bits", t_masks, None),
    ("TAIL implements bits [SIZE-1:0]", t_tail, None),
    ("MAX_FRAME_LEN ignores writes below 64 or above MAX_FRAME", t_max_frame, None),
    ("queue ENABLE with an invalid SIZE halts with RING_CONFIG", t_ring_config, None),
    ("offsets without a register and absent queue pairs ignore writes", t_absent, None),
    ("MDIO reads the PHY ID, sets MDIO_DONE", t_mdio, None),
    ("register port: byte, halfword and 64-bit CPU accesses", t_port, None),
    ("a loopback frame is counted", t_loopback_counted, "loop"),
    ("STATS_CTRL.CLEAR self-clears and zeroes the counters", t_stats_clear, "dma"),
    ("soft reset zeroes the counters", t_reset_counters, "dma"),
]


def main():
    fe.setup()
    glob_regs, queue_regs, consts = fe.parse_spec()
    devs = fe.devices()
    qom_errs = fe.match_qom(devs)
    t = fe.KTAP(2 + len(CASES))
    if not devs or qom_errs:
        t.fail("rw: an fpgaeth device matched to the model",
               "; ".join(qom_errs) or "no device")
        for name, _f, _n in CASES + [("binds again", 0, 0)]:
            t.fail("rw: " + name, "no device")
        t.finish()
    d = devs[-1]
    nq = int(d.prop("num-queues"))
    regs = fe.expected_registers(glob_regs, queue_regs, nq)
    ctx = {"nq": nq, "regs": regs, "features": int(d.prop("features")),
           "max_frame": int(d.prop("max-frame")), "phy_addr": int(d.prop("phy-addr")),
           "expect": fe.reset_values(d, regs, consts)}
    fe.unbind(d.name)
    try:
        try:
            mem = fe.DevMem(d.phys)
        except OSError as e:
            t.fail("rw: %s /dev/mem usable once unbound" % d.name, str(e))
            for name, _f, _n in CASES:
                t.fail("rw: " + name, "no /dev/mem")
            fe.bind(d.name)
            t.check("rw: %s binds again" % d.name, d.bound, "bind failed, see dmesg")
            t.finish()
        t.ok("rw: %s (%s) /dev/mem usable once unbound" % (d.name, d.qom))
        # counters need a frame: in loopback if the IP has it, else on the line
        ctx["loop"] = bool(ctx["features"] & (1 << 3))
        skip, broken = {}, {}
        try:
            ctx["buf"] = LockedBuffer()
        except OSError as e:
            # the bench's guest (root, no IOMMU) always has it: a failure
            broken["dma"] = broken["loop"] = "no DMA-able user memory: %s" % e
        if not ctx["loop"]:
            skip["loop"] = "no CAP1.LOOPBACK"
        with mem:
            for name, fn, needs in CASES:
                if needs in broken:
                    t.fail("rw: " + name, broken[needs])
                    continue
                if needs in skip:
                    t.skip("rw: " + name, skip[needs])
                    continue
                if not fe.soft_reset(mem):
                    t.fail("rw: " + name, "soft reset did not complete")
                    continue
                c = Case()
                try:
                    fn(mem, c, ctx)
                except Exception as e:  # a broken case must not stop the others
                    c.errs.append("%s: %s" % (type(e).__name__, e))
                t.errors("rw: " + name, c.errs)
            fe.soft_reset(mem)
    finally:
        fe.bind(d.name)
    t.check("rw: %s binds again" % d.name, d.bound, "bind failed, see dmesg")
    t.finish()


if __name__ == "__main__":
    main()
