#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP throughput both ways with iperf3 (10 s each, the server in the
namespace "peer", iperf3 -J for the results), and the interface byte
counters (`ip -s -j link`, the driver's ndo_get_stats64) of both ends
consistent with what iperf3 moved.

For each direction, with P_rcv the payload bytes the receiving iperf3 read
and P_snd (+ retransmitted segments x MSS) the payload the sending TCP put on
the wire, the counters that moved during the run must satisfy:

  P_rcv <= sender TX bytes <= 1.10 x P_snd + 1 MiB
  P_rcv <= receiver RX bytes <= 1.10 x P_snd + 1 MiB
  receiver RX bytes <= sender TX bytes + 64 KiB

Lower bound: every payload byte the receiver read crossed both interfaces.
Upper bound: the counters count whole frames without FCS, so a full segment
of MSS 1448 carries 66 bytes of headers (Ethernet 14, IPv4 20, TCP 32 with
timestamps), 4.6 %; 10 % leaves room for shorter segments; 1 MiB covers the
iperf3 control connection, ARP/ND and the connection set-up. A driver that
counts a frame twice, or counts descriptors or buffer sizes instead of frame
bytes, lands far above. The last line: the cable has no other sender, so the
receiver cannot count more than the sender sent (the slack covers padding of
short frames to 60 bytes). The TCP sender's ACK traffic and retransmissions
are reported, not asserted.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

SECONDS = int(os.environ.get("FPGAETH_IPERF_SECONDS", "10"))
PORT = 5201
PLAN = 7


def counters(p):
    st = p.stats64()
    rx, tx = st.get("rx", {}), st.get("tx", {})
    return {"rx": rx.get("bytes", 0), "tx": tx.get("bytes", 0),
            "rxp": rx.get("packets", 0), "txp": tx.get("packets", 0),
            "missed": rx.get("missed_errors", 0), "dropped": rx.get("dropped", 0)}


def one_direction(bench, reverse):
    """iperf3 client on a (fe0), server on b (fe1); reverse: b sends."""
    t, a, b = bench.t, bench.a, bench.b
    snd, rcv = (b, a) if reverse else (a, b)
    what = "%s -> %s" % (snd.id, rcv.id)
    before = {p.id: counters(p) for p in (a, b)}
    server = bench.iperf3_server(b, PORT)
    if server is None:
        for c in ("TCP", "sender TX bytes", "receiver RX bytes"):
            t.fail("iperf3: %s %s" % (what, c), "the iperf3 server does not listen")
        return
    argv = ["iperf3", "-c", b.addr4, "-p", PORT, "-t", SECONDS, "-J"] + (["-R"] if reverse else [])
    start = time.monotonic()
    r = a.run(argv, timeout=SECONDS + 30)
    server.wait(10)
    fe.KTAP.diag("iperf3 %s ran %.1f s" % (what, time.monotonic() - start))
    after = {p.id: counters(p) for p in (a, b)}
    try:
        res = json.loads(r.out)
        end = res["end"]
        sent, recv = end["sum_sent"]["bytes"], end["sum_received"]["bytes"]
        retrans = end["sum_sent"].get("retransmits", 0)
        mss = res["start"].get("tcp_mss_default", 1448)
        err = res.get("error")
    except (ValueError, KeyError, TypeError) as e:
        sent = recv = retrans = 0
        mss = 1448
        err = "no iperf3 result (%s: %s): %s" % (type(e).__name__, e, r.out.strip()[-300:])
    ok = not err and r.rc == 0 and recv > 0
    if ok:
        fe.KTAP.diag("iperf3 %s: sent %d, received %d bytes in %d s: %.1f Mbit/s, "
                     "%d retransmits, MSS %d" % (what, sent, recv, SECONDS,
                                                 recv * 8 / SECONDS / 1e6, retrans, mss))
    else:
        fe.KTAP.diag("iperf3 %s: rc %d %s" % (what, r.rc, err or ""))
    bench.check("iperf3: %s TCP for %d s" % (what, SECONDS), ok, err or "rc %d" % r.rc)

    d = {p: {k: after[p][k] - before[p][k] for k in after[p]} for p in after}
    upper = int(1.10 * (sent + retrans * mss)) + (1 << 20)
    tx, rx = d[snd.id]["tx"], d[rcv.id]["rx"]
    fe.KTAP.diag("counters %s: %s TX %d bytes/%d frames, %s RX %d bytes/%d frames "
                 "(TX/payload %.3f), RX missed (no buffer) %d, dropped %d; reverse (ACKs): "
                 "%s TX %d bytes, %s RX %d bytes" % (
                     what, snd.id, tx, d[snd.id]["txp"], rcv.id, rx, d[rcv.id]["rxp"],
                     tx / recv if recv else 0, d[rcv.id]["missed"], d[rcv.id]["dropped"],
                     rcv.id, d[rcv.id]["tx"], snd.id, d[snd.id]["rx"]))
    bench.check("iperf3: %s sender TX bytes within the payload bounds" % what,
                ok and recv <= tx <= upper,
                "%s TX %d bytes, bounds [%d, %d]" % (snd.ifname, tx, recv, upper))
    bench.check("iperf3: %s receiver RX bytes within the payload bounds, <= sender TX + 64 KiB"
                % what, ok and recv <= rx <= upper and rx <= tx + (64 << 10),
                "%s RX %d bytes, bounds [%d, %d], sender TX %d" % (rcv.ifname, rx, recv,
                                                                  upper, tx))


def body(bench):
    one_direction(bench, reverse=False)
    one_direction(bench, reverse=True)
    st = bench.a.ethtool_stats()
    fe.KTAP.diag("%s TX queues used: %s" % (bench.a, " ".join(
        "tx%d=%d" % (q, st.get("tx%d_packets" % q, 0)) for q in range(8)
        if "tx%d_packets" % q in st)))
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
