#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The register list tb_regs checks, parsed from the programming model the
way the guest tests parse it (selftests/lib/fpgaeth.py parse_spec and
expected_registers: the global list-table, the statistics counters as
_LO/_HI, the queue pair table expanded for q < NUM_QP), with the `param`
resets computed from the RTL's parameters:

    regtable.py SPEC NUM_QP MAX_FRAME BUILD_ID FEATURES CAP3 > regs.txt

One line per register: NAME OFFSET ACCESS RESET (hex).

While the spec still reads VERSION 1.0, the programming model 1.1 contract
(/work/logs/COMMON.md, being written into the spec) is applied on top:
VERSION 0x00010001, CAP3 at 0x001c (RO, param), TX_STATUS/RX_STATUS reset
0x00000002 (IDLE); a "# " line says so.  Once the spec is 1.1 this changes
nothing.  A 1.2 spec is checked as the RTL implements it: VERSION
0x00010002 and no STALL_TIMEOUT (CAP1.STALL_WDOG is 0: the offset reads 0
and ignores writes, as any hole).
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "selftests", "lib"))
import fpgaeth as fe  # noqa: E402


def main():
    spec = sys.argv[1]
    nq, mf, build_id, features, cap3 = (int(x, 0) for x in sys.argv[2:7])
    glob_regs, queue_regs, consts = fe.parse_spec(spec)
    if not glob_regs or not queue_regs:
        sys.exit("no register tables in %s" % spec)
    ver = next(r for r in glob_regs if r.name == "VERSION")
    if ver.reset == 0x00010000:
        print("# spec %s is 1.0: checking the 1.1 contract (VERSION, CAP3, "
              "STATUS.IDLE) on top" % os.path.basename(spec))
        ver.reset = 0x00010001
        if not any(r.name == "CAP3" for r in glob_regs):
            glob_regs.append(fe.Reg("CAP3", 0x001c, "RO", "param", "global"))
        for r in queue_regs:
            if r.name in ("TX_STATUS", "RX_STATUS") and r.reset == 0:
                r.reset = 0x00000002
    if ver.reset == 0x00010002:
        # the RTL is a 1.2 IP without the stall watchdog (CAP1.STALL_WDOG
        # 0): STALL_TIMEOUT reads 0 and ignores writes, a hole
        print("# spec %s is 1.2: the RTL has no STALL_WDOG (CAP1 bit 12 0), "
              "STALL_TIMEOUT is a hole that reads 0" % os.path.basename(spec))
        glob_regs = [r for r in glob_regs if r.name != "STALL_TIMEOUT"]
    params = {
        "BUILD_ID": build_id,
        "CAP0": nq | consts["MAX_RING_LOG2"] << 8 | mf << 16,
        "CAP1": features,
        "CAP3": cap3,
    }
    for r in fe.expected_registers(glob_regs, queue_regs, nq):
        v = params[r.name] if r.reset == "param" else r.reset
        if re.search(r"or MAX_FRAME if that is\s+smaller", r.desc):
            v = min(v, mf)
        print("%s 0x%04x %s 0x%08x" % (r.name, r.offset, r.access, v))


if __name__ == "__main__":
    main()
