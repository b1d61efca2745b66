#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Set up the two-port bench for the kernel's own driver tests and leave it
up: fe0's interface in the init namespace (NETIF), fe1's in the namespace
"peer" (the remote, REMOTE_TYPE=netns), addresses, carrier, ARP/ND settled
(lib/fpgaeth_net.py Bench.setup).  Prints the environment the tests of
tools/testing/selftests/drivers/net read (README.rst there), one
NAME=value per line; exits 1 when the bench does not come up.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fpgaeth_net as net  # noqa: E402


def main():
    bench = net.Bench(None)    # set-up only: no KTAP document of its own
    if not bench.setup():
        return 1
    a, b = bench.a, bench.b
    print("NETIF=%s" % a.ifname)
    print("LOCAL_V4=%s" % a.addr4)
    print("REMOTE_V4=%s" % b.addr4)
    print("LOCAL_V6=%s" % a.addr6)
    print("REMOTE_V6=%s" % b.addr6)
    print("REMOTE_TYPE=netns")
    print("REMOTE_ARGS=%s" % b.ns)
    print("FPGAETH_REMOTE_IF=%s" % b.ifname)
    return 0


if __name__ == "__main__":
    sys.exit(main())
