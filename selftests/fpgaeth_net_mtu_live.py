#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An MTU change rebuilds nothing: the rings, page pools and link stay.

RX buffers are one page whatever the MTU (a longer frame spans several), so
a new MTU only has to change the IP's MAX_FRAME_LEN. On fe0, with a ping
flood from fe1 running, the MTU goes 1500 -> 9000 -> 1500 -> 9000: the
page pools of the interface (netdev netlink page-pool-get: their ids) are
the same before and after (a driver that rebuilds its rings destroys them
and creates new ones), the carrier never drops, the MAX_FRAME_LEN register
follows (MTU + 18: Ethernet header and a VLAN tag), and a 9000-byte
unfragmented ping crosses right after the change to 9000. Both ends go
back to 1500 at the end.
"""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 4
FLOOD_BYTES = 64 << 10  # received from the flood before the first change
FLOOD_TIMEOUT = 30


def pool_ids(port):
    ifindex = port.ifindex()
    return sorted(p.get("id") for p in net.page_pools(port.ns)
                  if p.get("ifindex") == ifindex and "detach-time" not in p)


def body(bench):
    a, b = bench.a, bench.b
    flood = bench.background(["ping", "-f", "-q", "-W", "1", "-w", "60", a.addr6],
                             ns=b.ns, name="flood6")
    b.set_mtu(9000)
    carrier_lost, regs, errs, jumbo = [], [], [], []
    # the flood runs before the first change: without it the changes are
    # not made on a live interface (case 1 fails)
    ok, moved, secs = bench.moves(a, "rx", FLOOD_BYTES, FLOOD_TIMEOUT)
    if not ok:
        errs.append("no flood before the changes: %s received %d bytes in %.0f s, want %d"
                    % (a, moved, secs, FLOOD_BYTES))
    pools0 = pool_ids(a)
    for mtu in (9000, 1500, 9000):
        r = a.set_mtu(mtu)
        if not r:
            errs.append("mtu %d: %r" % (mtu, r))
        if not a.carrier():
            carrier_lost.append(mtu)
        reg = a.regs().get("MAX_FRAME_LEN")
        if reg is not None and reg != mtu + 18:
            regs.append("mtu %d: MAX_FRAME_LEN %#x" % (mtu, reg))
        if mtu == 9000:
            _ok, r = a.ping(b.addr4, count=3, size=8972, interval=0.1, wait=2,
                            extra=["-M", "do"])
            if not re.search(r" [1-9]\d* received", r.out):
                jumbo.append(r.out.strip()[-200:])
    pools1 = pool_ids(a)
    flood.kill(signal.SIGINT)
    for p in (a, b):
        p.set_mtu(1500)
    fe.KTAP.diag("%s page pools %s before, %s after" % (a, pools0, pools1))
    for e in errs:
        fe.KTAP.diag(e)
    bench.check("mtu live: MTU 9000, 1500, 9000 set on a running interface under a flood",
                not errs, errs[0] if errs else "")
    bench.check("mtu live: the page pools are the same (no ring rebuilt)",
                pools0 and pools0 == pools1, "%s -> %s" % (pools0, pools1))
    bench.check("mtu live: carrier kept, MAX_FRAME_LEN = MTU + 18",
                not carrier_lost and not regs,
                "carrier lost at %s; %s" % (carrier_lost, regs))
    bench.check("mtu live: a 9000-byte ping crosses after each change to 9000", not jumbo,
                jumbo[0] if jumbo else "")


if __name__ == "__main__":
    net.main(PLAN, body)
