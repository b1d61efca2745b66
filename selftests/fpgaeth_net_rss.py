#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Many UDP flows spread over the queues, each with its RSS hash and the
device's checksum.

fe0 sends 64 UDP flows (distinct source ports, 8 datagrams each) to fe1,
over IPv4 and then over IPv6. On fe1 the device's RSS (Toeplitz hash of
addresses and ports, 128-entry indirection table the driver fills
round-robin) must steer them to every RX queue: each rx<q>_packets counter
of `ethtool -S` moves (with 4 queues, 64 random flows miss a queue with a
probability of 4 x 0.75^64 ~ 1e-8). On fe0 the TX queue is picked by the
stack (XPS if configured, else the socket's flow hash): the spread over
tx<q>_packets is reported, and the datagrams must all be completed on TX.

What the driver hands the stack is traced (net:napi_gro_receive_entry): for
each family, every datagram of the flows reaches GRO with the skb hash the
programming model defines, Toeplitz over addresses and ports with the key
`ethtool -x` shows, marked L4, on the RX queue INDIR[hash mod 128] names,
and with CHECKSUM_COMPLETE (the stack then checks the device's sum against
the UDP checksum: a wrong one prints "hw csum failure", which the kernel
log check catches).
"""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

FLOWS = 64
PER_FLOW = 8
PAYLOAD = b"fpgaeth-rss " * 8
PLAN = 8
CHECKSUM_COMPLETE = 2       # include/linux/skbuff.h


def flows_case(bench, nq, family, what, base_port, trace):
    a, b = bench.a, bench.b
    v6 = family == socket.AF_INET6
    src, dst = (a.addr6, b.addr6) if v6 else (a.addr4, b.addr4)
    rx0 = b.queue_counters("rx", nq=nq)
    tx0 = a.queue_counters("tx", nq=nq)
    seen0 = len(trace.events(b.ifname))
    flows, errs = net.udp_flows(src, dst, FLOWS, base_port, PER_FLOW, PAYLOAD, ns=a.ns)
    sent = FLOWS * PER_FLOW

    # wait until the datagrams have arrived (or stopped arriving)
    def arrived():
        return sum(b.queue_counters("rx", nq=nq)) - sum(rx0) >= sent
    net.wait_for(arrived, 5, 0.3)
    rx = [x - y for x, y in zip(b.queue_counters("rx", nq=nq), rx0)]
    tx = [x - y for x, y in zip(a.queue_counters("tx", nq=nq), tx0)]
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

    # the hash and the checksum of each datagram, as GRO got them
    table, key, _f = b.rxfh()
    key = bytes(int(x, 16) for x in (key or "").split(":") if x)
    want = {}
    for sport, dport in flows:
        h = net.toeplitz(key, net.rss_input(src, dst, sport, dport))
        want[h] = table[h % len(table)] if table else None
    ip_len = len(PAYLOAD) + 8 + (40 if v6 else 20)
    got = [e for e in trace.events(b.ifname)[seen0:] if e["len"] == ip_len]
    errs = []
    if len(got) != sent:
        errs.append("%d datagrams of %d bytes traced, %d sent" % (len(got), ip_len, sent))
    for e in got:
        if e["hash"] not in want:
            errs.append("hash %#010x is no flow's Toeplitz hash (key %s...)" % (
                e["hash"], key[:4].hex()))
        elif want[e["hash"]] != e["queue"]:
            errs.append("hash %#010x on queue %d, the table says %s" % (
                e["hash"], e["queue"], want[e["hash"]]))
        if not e["l4_hash"]:
            errs.append("hash %#010x not marked L4" % e["hash"])
        if e["ip_summed"] != CHECKSUM_COMPLETE:
            errs.append("hash %#010x: ip_summed %d, not CHECKSUM_COMPLETE" % (
                e["hash"], e["ip_summed"]))
    missing = set(want) - {e["hash"] for e in got}
    if missing:
        errs.append("%d flows never seen with their hash" % len(missing))
    bench.t.errors("rss: %s skb hash = Toeplitz(key, addresses, ports), L4, on "
                   "INDIR[hash %% 128]'s queue, CHECKSUM_COMPLETE" % what, errs)
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
    with net.RxTrace("fpgaeth-rss") as trace:
        sent4, tx4 = flows_case(bench, nq, socket.AF_INET, "IPv4", 20000, trace)
        sent6, tx6 = flows_case(bench, nq, socket.AF_INET6, "IPv6", 21000, trace)
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
