#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ping across the cable both ways, IPv4 and IPv6, small and 65000-byte
(fragmented into ~45 frames at MTU 1500), then at MTU 9000 on both ends
with 9000-byte packets that must not be fragmented (ping -M do): RX frames
then span several buffers (one page each) and TX frames one large one.
Every ping must be answered. The bench: lib/fpgaeth_net.py.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 15


def pings(bench, what, mtu, kw4, kw6):
    a, b = bench.a, bench.b
    for src, dst in ((a, b), (b, a)):
        bench.check_ping("ping: %s IPv4 %s -> %s at MTU %d" % (what, src.id, dst.id, mtu),
                         src, dst.addr4, **kw4)
        bench.check_ping("ping: %s IPv6 %s -> %s at MTU %d" % (what, src.id, dst.id, mtu),
                         src, dst.addr6, **kw6)


def body(bench):
    small = dict(count=3, interval=0.1)
    pings(bench, "56-byte", 1500, small, small)
    big = dict(count=2, size=65000, interval=0.2, wait=5)
    pings(bench, "65000-byte", 1500, big, big)

    a, b = bench.a, bench.b
    errs = ["%s: %r" % (p, r) for p in (a, b) for r in [p.set_mtu(9000)] if not r]
    errs += ["%s: MTU %s" % (p, (p.link() or {}).get("mtu")) for p in (a, b)
             if (p.link() or {}).get("mtu") != 9000]
    ok, _s = net.wait_for(lambda: a.carrier() and b.carrier(), net.CARRIER_TIMEOUT)
    if not ok:
        errs.append("no carrier after the MTU change")
    for e in errs:
        fe.KTAP.diag(e)
    bench.check("ping: MTU 9000 set on both ends, carrier on", not errs,
                "; ".join(errs))
    # 8972 + 8 + 20 and 8952 + 8 + 40: 9000-byte IP packets
    jumbo4 = dict(count=2, size=8972, interval=0.1, extra=["-M", "do"])
    jumbo6 = dict(count=2, size=8952, interval=0.1, extra=["-M", "do"])
    pings(bench, "9000-byte unfragmented", 9000, jumbo4, jumbo6)
    errs = ["%s: %r" % (p, r) for p in (a, b) for r in [p.set_mtu(1500)] if not r]
    bench.check("ping: MTU back to 1500 on both ends", not errs, "; ".join(errs))
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
