#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every register reads the reset value Documentation/fpgaeth/programming-model.rst
documents, and the driver's debugfs lists exactly the documented registers.

The register tables are parsed from the document (global list-table, the
statistics counters as <NAME>_LO/_HI, the queue pair table expanded for
q < NUM_QP); `param` resets are computed from the model's properties over
QMP. For each instance:
  - bound: debugfs regs has exactly the documented names, and after probe
    (which soft-resets the IP and enables nothing) every value is the reset
    value, except the traces of the PHY scan on the MDIO bus that probe
    registers (PROBE_MDIO: the last command with BUSY clear, the data read,
    MISC_IRQ_STATUS.MDIO_DONE); /dev/mem is refused while the driver holds
    the region;
  - unbound: through /dev/mem (CONFIG_IO_STRICT_DEVMEM allows it once the
    driver released the region), CTRL.SOFT_RESET completes and reads 0,
    every register reads its reset value, and every other offset of the
    64 KiB window reads 0; then the driver binds again.
FPGAETH_SPEC=path checks another copy of the document.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402

CASES_PER_DEV = 8
# Bits probe may leave changed: registering the MDIO bus scans the PHY.
# MDIO_CMD keeps the last command but never BUSY (bit 31); MDIO_DATA holds
# the value read; MISC_IRQ_STATUS may hold MDIO_DONE (bit 2) and no other.
PROBE_MDIO = {"MDIO_CMD": 0x7fffffff, "MDIO_DATA": 0x0000ffff,
              "MISC_IRQ_STATUS": 0x00000004}


def mdc_div(clk_mhz, reset):
    """MDIO_CFG the driver programs after its soft reset: the smallest DIV
    with clk / (2 * (DIV + 1)) <= 2.5 MHz (programming model: Clocks); a
    1.0 IP (no CAP3 clock) keeps the reset value."""
    if not clk_mhz:
        return reset
    return min(256, -(-clk_mhz * 1000 // 5000)) - 1


def spec_errors(glob_regs, queue_regs, consts):
    errs = []
    for regs, what in ((glob_regs, "global"), (queue_regs, "queue pair")):
        names = [r.name for r in regs]
        offs = [r.offset for r in regs]
        if len(set(names)) != len(names):
            errs.append("%s: duplicate names" % what)
        if len(set(offs)) != len(offs):
            errs.append("%s: duplicate offsets" % what)
        errs += ["%s: %r unaligned" % (what, r) for r in regs if r.offset % 4]
        errs += ["%s: %r has access %s" % (what, r, r.access) for r in regs
                 if r.access not in ("RO", "RW", "W1C", "WO")]
    if not glob_regs or not queue_regs:
        errs.append("no register tables found")
    if any(r.offset >= 0x100 for r in queue_regs):
        errs.append("queue pair register beyond its 0x100 block")
    # the CAP0 description's QEMU default agrees with the parameter table
    if None in consts.values():
        errs.append("constants not found: %s" % consts)
    elif (consts["NUM_QP_DEFAULT"] | consts["MAX_RING_LOG2"] << 8 |
          consts["MAX_FRAME_DEFAULT"] << 16) != consts["CAP0_DEFAULT"]:
        errs.append("CAP0 QEMU default %#x disagrees with NUM_QP %d, MAX_FRAME %d"
                    % (consts["CAP0_DEFAULT"], consts["NUM_QP_DEFAULT"],
                       consts["MAX_FRAME_DEFAULT"]))
    return errs


def mem_errors(mem, regs, expect):
    return ["%s (%#06x) reads %#010x, documented reset %#010x" %
            (r.name, r.offset, mem.rd(r.offset), expect[r.name])
            for r in regs if mem.rd(r.offset) != expect[r.name]]


def hole_errors(mem, regs):
    """Every offset of the window that holds no register reads 0."""
    used = {r.offset for r in regs}
    errs = []
    for off in range(0, fe.REGS_SIZE, 4):
        if off not in used:
            v = mem.rd(off)
            if v:
                errs.append("offset %#06x holds no register but reads %#010x" % (off, v))
    return errs


def devmem_refused(dev):
    try:
        fe.DevMem(dev.phys).close()
    except OSError:
        return True
    return False


def main():
    fe.setup()
    glob_regs, queue_regs, consts = fe.parse_spec()
    devs = fe.devices()
    qom_errs = fe.match_qom(devs)
    expected = fe.expected_devices()
    n = max(len(devs), expected)

    t = fe.KTAP(2 + CASES_PER_DEV * n)
    t.errors("reset: spec register tables parsed (%d global, %d per queue pair)"
             % (len(glob_regs), len(queue_regs)),
             spec_errors(glob_regs, queue_regs, consts))
    t.errors("reset: %d devices matched to the model's instances" % expected,
             qom_errs + ([] if len(devs) == expected else
                         ["%d devices, expected %d" % (len(devs), expected)]))

    for i in range(n):
        if i >= len(devs) or not devs[i].qom:
            for _ in range(CASES_PER_DEV):
                t.fail("reset: device %d" % i, "device missing or unmatched")
            continue
        d = devs[i]
        nq = int(d.prop("num-queues"))
        regs = fe.expected_registers(glob_regs, queue_regs, nq)
        expect = fe.reset_values(d, regs, consts)
        name = "%s (%s)" % (d.name, d.qom.rsplit("/", 1)[-1])

        fe.bind(d.name)
        if not d.bound:
            for _ in range(CASES_PER_DEV):
                t.fail("reset: %s" % name, "does not bind")
            continue
        dbg = d.debugfs_regs()
        want = [r.name for r in regs]
        errs = ["documented %s missing" % x for x in want if x not in dbg]
        errs += ["%s is not documented" % x for x in dbg if x not in expect]
        t.errors("reset: %s debugfs lists exactly the %d documented registers"
                 % (name, len(want)), errs)
        bound = dict(expect)
        bound["MDIO_CFG"] = mdc_div(dbg.get("CAP3", 0) >> 16, expect["MDIO_CFG"])
        t.errors("reset: %s debugfs values after probe are the reset values "
                 "(MDIO_CFG: the driver's MDC divider)" % name,
                 ["%s = %#010x, expected %#010x" % (k, v, bound[k])
                  for k, v in dbg.items()
                  if k in bound and (v ^ bound[k]) & ~PROBE_MDIO.get(k, 0)])
        t.check("reset: %s /dev/mem refused while the driver holds the region" % name,
                devmem_refused(d), "mmap of %#x succeeded while bound" % d.phys)

        fe.unbind(d.name)
        try:
            try:
                mem = fe.DevMem(d.phys)
            except OSError as e:
                t.fail("reset: %s /dev/mem usable once unbound" % name, str(e))
                for _ in range(CASES_PER_DEV - 4):
                    t.fail("reset: %s" % name, "no /dev/mem access")
                continue
            t.ok("reset: %s /dev/mem usable once unbound" % name)
            with mem:
                mem.wr(0x000c, 0x5a5a5a5a)      # SCRATCH: something to reset
                t.check("reset: %s CTRL.SOFT_RESET completes and reads 0" % name,
                        fe.soft_reset(mem), "CTRL reads %#x" % mem.rd(0x100))
                t.errors("reset: %s every register reads its documented reset value"
                         % name, mem_errors(mem, regs, expect))
                t.errors("reset: %s every other offset of the window reads 0" % name,
                         hole_errors(mem, regs))
        finally:
            fe.bind(d.name)
        t.check("reset: %s binds again" % name, d.bound, "bind failed, see dmesg")
    t.finish()


if __name__ == "__main__":
    main()
