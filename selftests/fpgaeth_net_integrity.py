#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Data integrity: a file of random bytes sent across with socat over TCP
arrives with the same length and sha256, at MTU 1500 and 9000 (both ends),
with scatter-gather on and off on the sender (`ethtool -K <if> sg off`):
SG on, TCP hands the driver skbs with page fragments (multi-descriptor TX
frames); SG off, linear skbs. At MTU 9000 each received frame spans several
one-page RX buffers. With TX checksum offload the device computes the TCP
checksums, and the receiver takes the device's CHECKSUM_COMPLETE sums, so a
corrupted byte that a wrong checksum would let through shows up here.
Then the same once the other way (fe1 -> fe0) at MTU 9000.

Each case also checks that the receiver used the device's sums: its
rx<q>_csum_complete counters (`ethtool -S`) moved by at least the number
of full-size TCP segments the file needs, and rx<q>_csum_none by no more
than a few frames (ARP, neighbour discovery); a device sum that does not
match the TCP checksum makes the stack print "hw csum failure", which the
kernel log checks catch.  On a device without RX_CSUM (CAP1; the RTL in
`make check-rtl`, rx-checksumming off [fixed]) the receiver's
csum_complete must stay 0 and csum_none count the segments instead.
"""
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

SIZE = int(os.environ.get("FPGAETH_INTEGRITY_BYTES", str(2 << 20)))
PORT = 5301
CASES = [(1500, "on", False), (1500, "off", False), (9000, "on", False),
         (9000, "off", False), (9000, "on", True)]
PLAN = len(CASES) + 1


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def set_mtu(bench, mtu):
    errs = ["%s: %r" % (p, r) for p in (bench.a, bench.b) for r in [p.set_mtu(mtu)] if not r]
    ok, _s = net.wait_for(lambda: bench.a.carrier() and bench.b.carrier(), net.CARRIER_TIMEOUT)
    if not ok:
        errs.append("no carrier after setting MTU %d" % mtu)
    return errs


def transfer(bench, src, dst, path, out):
    """socat src -> dst; errors."""
    if os.path.exists(out):
        os.unlink(out)
    recv = bench.background(["socat", "-u", "TCP-LISTEN:%d,reuseaddr,bind=%s" % (PORT, dst.addr4),
                             "CREATE:" + out], ns=dst.ns, name="socat-recv")
    if not bench.listening(dst, PORT):
        return ["socat receiver does not listen: " + recv.output()]
    r = src.run(["socat", "-u", "OPEN:" + path, "TCP:%s:%d" % (dst.addr4, PORT)], timeout=60)
    errs = [] if r else ["sender: %r" % r]
    rc = recv.wait(30)
    if rc != 0:
        errs.append("receiver: rc %s: %s" % (rc, recv.output().strip()[-300:]))
        recv.kill()
    return errs


CSUM_NONE_MAX = 8       # frames without the device's sum: ARP, ND


def csum_counters(p):
    """(sum of rx<q>_csum_complete, sum of rx<q>_csum_none) of port p."""
    return (sum(p.queue_counters("rx", "csum_complete")),
            sum(p.queue_counters("rx", "csum_none")))


def rx_csum(p):
    """Whether port p's device gives the stack its sums: rx-checksumming
    on (an IP without RX_CSUM in CAP1, such as the RTL, has it off
    [fixed])."""
    return p.ethtool_fields("-k")[""].get("rx-checksumming") == "on"


def csum_errors(dst, before, mtu):
    """The receiver took the device's sum for the file's segments (or,
    without RX_CSUM, none: every frame csum_none)."""
    after = csum_counters(dst)
    complete, none = after[0] - before[0], after[1] - before[1]
    least = -(-SIZE // (mtu - 40 - 12))     # full segments (TCP timestamps)
    fe.KTAP.diag("%s: rx csum_complete +%d, csum_none +%d (at least %d segments)" % (
        dst, complete, none, least))
    if not rx_csum(dst):
        if complete or none < least:
            return ["%s: no RX_CSUM: rx csum_complete +%d (want 0), csum_none +%d "
                    "(at least %d)" % (dst, complete, none, least)]
        return []
    errs = []
    if complete < least:
        errs.append("%s: rx csum_complete +%d, the file needs at least %d segments" % (
            dst, complete, least))
    if none > CSUM_NONE_MAX:
        errs.append("%s: rx csum_none +%d (at most %d)" % (dst, none, CSUM_NONE_MAX))
    return errs


PATH = "/tmp/fpgaeth-integrity-%d.src" % os.getpid()
OUT = "/tmp/fpgaeth-integrity-%d.dst" % os.getpid()


def body(bench):
    path, out = PATH, OUT
    with open(path, "wb") as f:
        f.write(os.urandom(SIZE))
    want = sha256(path)
    mtu_now = 1500
    sg_now = {bench.a.id: None, bench.b.id: None}   # set and checked once
    for mtu, sg, reverse in CASES:
        src, dst = (bench.b, bench.a) if reverse else (bench.a, bench.b)
        name = "integrity: random bytes %s -> %s, MTU %d, sender sg %s" % (
            src.id, dst.id, mtu, sg)
        errs = []
        if mtu != mtu_now:
            errs += set_mtu(bench, mtu)
            mtu_now = mtu
        for p in (bench.a, bench.b):
            state = sg if p is src else "on"
            if sg_now[p.id] != state:
                e = p.set_sg(state)
                if e:
                    errs.append(e)
                sg_now[p.id] = state
        if not errs:
            start = time.monotonic()
            csum0 = csum_counters(dst)
            errs += transfer(bench, src, dst, path, out)
            errs += csum_errors(dst, csum0, mtu)
            fe.KTAP.diag("%s -> %s: %d bytes in %.1f s" % (
                src.id, dst.id, SIZE, time.monotonic() - start))
        if not errs:
            size = os.path.getsize(out)
            got = sha256(out)
            if size != SIZE or got != want:
                errs.append("received %d bytes, sha256 %s; sent %d, sha256 %s" % (
                    size, got, SIZE, want))
                errs += first_difference(path, out)
        for e in errs:
            fe.KTAP.diag(e)
        bench.check(name, not errs, errs[0] if errs else "")
    bench.check_dmesg()


def main():
    try:
        net.main(PLAN, body)
    finally:
        for f in (PATH, OUT):
            if os.path.exists(f):
                os.unlink(f)


def first_difference(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        da, db = fa.read(), fb.read()
    n = min(len(da), len(db))
    for blk in range(0, n, 4096):
        if da[blk:blk + 4096] != db[blk:blk + 4096]:
            i = next(i for i in range(blk, min(blk + 4096, n)) if da[i] != db[i])
            return ["first difference at offset %d: sent %s, received %s" % (
                i, da[i:i + 16].hex(), db[i:i + 16].hex())]
    return []


if __name__ == "__main__":
    main()
