#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Many UDP flows spread over the queues.

fe0 sends 64 UDP flows (distinct source ports, 8 datagrams each) to fe1,
over IPv4 and then over IPv6. On fe1 the device's RSS (Toeplitz hash of
addresses and ports, 128-entry indirection table the driver fills
round-robin) must steer them to every RX queue: each rx<q>_packets counter
of `ethtool -S` moves (with 4 queues, 64 random flows miss a queue with a
probability of 4 x 0.75^64 ~ 1e-8). On fe0 the TX queue is picked by the
stack (XPS if configured, else the socket's flow hash): the spread over
tx<q>_packets is reported, and the datagrams must all be completed on TX.
"""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

FLOWS = 64
PER_FLOW = 8
DPORT = 9        # discard
PLAN = 6


def queue_counters(stats, direction, nq):
    return [stats.get("%s%d_packets" % (direction, q), 0) for q in range(nq)]


PORT_STRIDE = 409          # 64 flows span ports base .. base + 25767


def send_flows(family, src, dst, base_port):
    """FLOWS sockets, each bound to its own source port: errors."""
    errs = []
    payload = b"fpgaeth-rss " * 8
    for i in range(FLOWS):
        s = socket.socket(family, socket.SOCK_DGRAM)
        try:
            # Toeplitz is linear over GF(2): ports that differ only in
            # their low 6 bits can miss a queue for ~5% of random keys;
            # spreading them over ~15 bits makes that ~1e-4.
            s.bind((src, base_port + i * PORT_STRIDE))
            for _ in range(PER_FLOW):
                s.sendto(payload, (dst, DPORT))
        except OSError as e:
            errs.append("flow %d: %s" % (i, e))
        finally:
            s.close()
    return errs


def flows_case(bench, nq, family, what, base_port):
    a, b = bench.a, bench.b
    rx0 = queue_counters(b.ethtool_stats(), "rx", nq)
    tx0 = queue_counters(a.ethtool_stats(), "tx", nq)
    errs = send_flows(family, a.addr4 if family == socket.AF_INET else a.addr6,
                      b.addr4 if family == socket.AF_INET else b.addr6, base_port)
    sent = FLOWS * PER_FLOW

    # wait until the datagrams have arrived (or stopped arriving)
    def arrived():
        return sum(queue_counters(b.ethtool_stats(), "rx", nq)) - sum(rx0) >= sent
    net.wait_for(arrived, 5, 0.3)
    rx = [x - y for x, y in zip(queue_counters(b.ethtool_stats(), "rx", nq), rx0)]
    tx = [x - y for x, y in zip(queue_counters(a.ethtool_stats(), "tx", nq), tx0)]
    fe.KTAP.diag("%s: %d datagrams in %d flows; %s RX per queue %s (total %d); "
                 "%s TX per queue %s (total %d)" % (
                     what, sent, FLOWS, b, rx, sum(rx), a, tx, sum(tx)))
    for e in errs[:5]:
        fe.KTAP.diag(e)
    idle = [q for q in range(nq) if rx[q] <= 0]
    bench.check("rss: %s %d UDP flows reach every RX queue of %s" % (what, FLOWS, b.id),
                not errs and not idle and nq > 1,
                "RX queues %s received nothing: %s" % (idle, rx) if idle else
                (errs[0] if errs else "only %d queue" % nq))
    return sent, tx


def body(bench):
    a, b = bench.a, bench.b
    try:
        nq = int(fe.qom_get(b.qom, "num-queues"))
    except Exception as e:  # noqa: BLE001
        fe.KTAP.diag("QMP num-queues of %s: %s" % (b.qom, e))
        nq = 4
    names = b.ethtool_stats()
    have = [q for q in range(8) if "rx%d_packets" % q in names and
            "tx%d_packets" % q in names]
    bench.check("rss: %s has per-queue counters of the model's queue pairs" % b.id,
                have == list(range(nq)),
                "ethtool -S has queues %s, the model %d" % (have, nq))
    sent4, tx4 = flows_case(bench, nq, socket.AF_INET, "IPv4", 20000)
    sent6, tx6 = flows_case(bench, nq, socket.AF_INET6, "IPv6", 21000)
    xps = []
    for q in range(nq):
        x = net._read("/sys/class/net/%s/queues/tx-%d/xps_cpus" % (a.ifname, q))
        xps.append((x or "?").strip())
    used = [q for q in range(nq) if tx4[q] + tx6[q] > 0]
    fe.KTAP.diag("TX on %s: queues used %s of %d, xps_cpus per queue %s" % (
        a, used, nq, xps))
    bench.check("rss: %s completed every datagram on TX" % a.id,
                sum(tx4) + sum(tx6) >= sent4 + sent6,
                "TX packets %d, sent %d" % (sum(tx4) + sum(tx6), sent4 + sent6))
    ok, _s = a.ping(b.addr4, count=3, interval=0.2)
    bench.check("rss: ping still answered", ok)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
