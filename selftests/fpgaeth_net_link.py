#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Link down and up through the QEMU model.

The PHY's link follows the network backend's link (monitor `set_link`) and
the `link-down`/`link-up` faults (Documentation/fpgaeth/qemu-model.rst).
For each way of taking the link down: the interface's carrier goes off
within CARRIER_DOWN s (phylib polls the PHY once a second, and the driver
also gets MISC_IRQ_STATUS.LINK, which must have raised the instance's misc
interrupt), pings are not answered while it is off; then the link comes
back, the carrier is on again within CARRIER_UP s, and pings are answered
again (after a few tries at most, for ARP).

  1. set_link fe0n off / on      (fe0's backend)
  2. fault link-down / link-up   on fe0
  3. fault link-down / link-up   on fe1 (the interface in the namespace)
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

CARRIER_DOWN = 5
CARRIER_UP = 10
PLAN = 3 * 5 + 1


def misc_irqs(port):
    """Interrupts delivered on port's misc line (/proc/interrupts)."""
    return fe.device_interrupts(port.pdev).get("misc", (None, None))[1]


def cycle(bench, what, port, down, up):
    """Take port's link down with down(), back up with up()."""
    other = bench.b if port is bench.a else bench.a
    irq0 = misc_irqs(port)
    start = time.monotonic()
    err = None
    try:
        down()
    except Exception as e:  # noqa: BLE001
        err = "QMP: %s" % e
    ok, secs = net.wait_for(lambda: not port.carrier(), CARRIER_DOWN, 0.1)
    if not err and not ok:
        err = "%s still has carrier after %d s" % (port, CARRIER_DOWN)
    fe.KTAP.diag("%s: %s carrier off after %.1f s" % (what, port, secs) if ok else
                 "%s: %s" % (what, err))
    bench.check("link: %s: carrier off on %s within %d s" % (what, port.id, CARRIER_DOWN),
                not err, err or "")
    irq1 = misc_irqs(port)
    bench.check("link: %s: %s misc interrupt raised (MISC_IRQ_STATUS.LINK)" % (what, port.id),
                irq0 is not None and irq1 is not None and irq1 > irq0,
                "misc interrupts %s -> %s" % (irq0, irq1), diag=False)
    # the wire must be dead too: frames are consumed without being sent
    dead, _r = other.ping(port.addr4, count=1, wait=1)
    bench.check("link: %s: no ping answered while the link is down" % what, not dead,
                "a ping from %s was answered" % other, diag=False)

    err = None
    start = time.monotonic()
    try:
        up()
    except Exception as e:  # noqa: BLE001
        err = "QMP: %s" % e
    ok, secs = net.wait_for(port.carrier, CARRIER_UP, 0.1)
    if not err and not ok:
        err = "%s has no carrier %d s after the link came back" % (port, CARRIER_UP)
    fe.KTAP.diag("%s: %s carrier on after %.1f s" % (what, port, secs) if ok else
                 "%s: %s" % (what, err))
    bench.check("link: %s: carrier on again on %s within %d s" % (what, port.id, CARRIER_UP),
                not err, err or "")
    ok = bench.settle(other, port.addr4, tries=5) and bench.settle(port, other.addr6, tries=5)
    fe.KTAP.diag("%s: pings answered %.1f s after link up" % (what, time.monotonic() - start)
                 if ok else "%s: no ping answered" % what)
    bench.check("link: %s: pings answered again both ways" % what, ok)


def body(bench):
    a, b = bench.a, bench.b
    cycle(bench, "set_link %s off/on" % a.netdev, a,
          lambda: bench.set_link(a, False), lambda: bench.set_link(a, True))
    cycle(bench, "fault link-down/link-up on %s" % a.id, a,
          lambda: bench.fault(a, "link-down"), lambda: bench.fault(a, "link-up"))
    cycle(bench, "fault link-down/link-up on %s" % b.id, b,
          lambda: bench.fault(b, "link-down"), lambda: bench.fault(b, "link-up"))
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
