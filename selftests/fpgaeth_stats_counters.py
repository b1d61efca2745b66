#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The IP's MAC counters, the standard statistics groups and the interface
counters move by exactly the frames a test sends.

The bench runs at MTU 9000 (frames up to 9014 bytes reach every size bin).
It is first made silent: no IPv4 address and IPv6 disabled on both ports
(no ARP, ND, MLD, router solicitations), and each port joins the link-layer
multicast group 03:00:00:00:00:01 (ip maddr). The test then checks that no
frame crosses the cable for a few seconds; from there on every frame on the
cable is one the test sent.

Each direction (fe1 -> fe0, then fe0 -> fe1) sends, with an AF_PACKET raw
socket, ethertype 0x88b5 (local experimental: the stack answers nothing),
frames of 42 to 9014 bytes (without FCS; sizes on both sides of every
histogram bin edge), each size to: the receiver's address, the joined
multicast group, broadcast, a foreign unicast address and a multicast
address outside the receiver's hash filter; plus extra unicast frames so
that no two bins receive the same count. By the programming model
(frame sizes and octets count from the destination address to the end of
the FCS; the MAC pads frames below 60 bytes to 60), the deltas must be
exactly:

  sender   ethtool -S mac_tx_*: frames, octets, ucast/mcast/bcast, the 9
           size bins; every other mac_* counter 0
  receiver ethtool -S mac_rx_*: the accepted frames (ucast, joined mcast,
           bcast), their octets and bins; mac_rx_filtered the other two
           kinds; every other mac_* counter 0
  both     ethtool -S --groups eth-mac eth-ctrl rmon (rmon ranges equal to
           the spec's bins) and ethtool -I -a pause statistics, same values
  both     ip -s link (ndo_get_stats64): sender tx packets/bytes (skb
           length, unpadded), receiver rx packets/bytes (padded frame
           without FCS) and multicast

Cases:
  1. the bench is silent; the standard groups report exactly the counters
     the IP has (no others) and the rmon ranges are the spec's bins
  2-6.  fe1 -> fe0: sender MAC counters, receiver MAC counters, sender
        standard groups, receiver standard groups, interface counters
  7-11. fe0 -> fe1: the same
  12. exact across a recovery and a reset of the IP: fe1 sends K frames to
      fe0 (nothing reads fe0's counters meanwhile), then one more after the
      fault rx-desc-error:0, on which RX queue 0 halts (the frame counts in
      RX_FRAMES_OK and RX_NOBUF); the driver recovers queue pair 0 alone
      (queue_resets + 1, the IP's counters untouched); then `ethtool
      --reset` resets the whole IP (its counters restart at 0; the test
      waits for the carrier to go down and up, from sysfs, which reads no
      counter); then M frames. fe0's mac_* counters must have moved by
      exactly K + 1 + M frames (octets, ucast, bin), rx_nobuf by 1, resets
      by 1, queue_resets by 1, nothing else (skipped on a co-simulated
      IP, `make check-rtl`: the RTL has no fault injection)
  13. no WARN/BUG/Oops in the kernel log
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402

PLAN = 13
MTU = 9000
ETHERTYPE = 0x88b5
MC_JOIN = "03:00:00:00:00:01"
FOREIGN_UC = "02:00:00:00:00:99"
BCAST = "ff:ff:ff:ff:ff:ff"
# frame lengths without FCS: on both sides of each bin edge (wire = len + 4)
SIZES = (42, 60, 61, 123, 124, 251, 252, 507, 508, 1019, 1020, 1514, 1515,
         2043, 2044, 4091, 4092, 9014)
# RX_HIST/TX_HIST bins of the programming model, wire bytes (FCS included)
BINS = ((0, 64), (65, 127), (128, 255), (256, 511), (512, 1023), (1024, 1518),
        (1519, 2047), (2048, 4095), (4096, 65535))
HIST_NAMES = ["%d_%s" % (lo, "max" if hi == 65535 else hi) for lo, hi in BINS]
# what the standard groups report: the counters the IP has, no other
STD_KEYS = {"eth-mac/" + k for k in (
    "FramesTransmittedOK", "FramesReceivedOK", "FrameCheckSequenceErrors", "AlignmentErrors",
    "OctetsTransmittedOK", "OctetsReceivedOK", "FramesLostDueToIntMACRcvError",
    "MulticastFramesXmittedOK", "BroadcastFramesXmittedOK", "MulticastFramesReceivedOK",
    "BroadcastFramesReceivedOK", "InRangeLengthErrors", "FrameTooLongErrors")} | {
    "eth-ctrl/" + k for k in ("MACControlFramesTransmitted", "MACControlFramesReceived",
                              "UnsupportedOpcodesReceived")} | {
    "rmon/" + k for k in ("etherStatsUndersizePkts", "etherStatsOversizePkts",
                          "etherStatsFragments", "etherStatsJabbers", "rx-pktsNtoM",
                          "tx-pktsNtoM")} | {"pause/tx_pause_frames", "pause/rx_pause_frames"}
QUIET_SECONDS = 3
SETTLE_EXTRA = 1    # s after the expected counts: time for an excess to show
DELIVERY_TIMEOUT = 30


mac_bytes = net.mac_bytes


def wire(length):
    return max(length, 60) + 4


def bin_of(wire_len):
    for k, (lo, hi) in enumerate(BINS):
        if lo <= wire_len <= hi:
            return k
    raise ValueError(wire_len)


foreign_mc = net.foreign_mc


def quiesce(bench):
    """No IPv4 address, IPv6 off, the multicast group joined, on both ports."""
    errs = []
    for p in (bench.a, bench.b):
        for argv in (["ip", "addr", "flush", "dev", p.ifname],
                     ["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % p.ifname],
                     ["ip", "maddr", "add", MC_JOIN, "dev", p.ifname]):
            r = p.run(argv)
            if not r:
                errs.append(repr(r))
    return errs


def mac_counters(p):
    return {k: v for k, v in p.ethtool_stats().items() if k.startswith("mac_")}


def flat_std(p):
    """Standard groups and pause statistics as one {name: value}."""
    out = {}
    for group, vals in p.std_stats().items():
        if not isinstance(vals, dict):
            continue
        for k, v in vals.items():
            if isinstance(v, list):
                for e in v:
                    out["%s/%s/%d-%d" % (group, k, e["low"], e["high"])] = e["val"]
            else:
                out["%s/%s" % (group, k)] = v
    for k, v in p.pause_stats().items():
        out["pause/" + k] = v
    return out


def ranges(p):
    std = p.std_stats(("rmon",)).get("rmon", {})
    return {k: [(e["low"], e["high"]) for e in std.get(k, [])]
            for k in ("rx-pktsNtoM", "tx-pktsNtoM")}


def silent(bench):
    """(ok, moved): no MAC frame counter of either port moves for
    QUIET_SECONDS, tried a few times."""
    moved = {}
    for _ in range(5):
        before = {p.id: mac_counters(p) for p in (bench.a, bench.b)}
        time.sleep(QUIET_SECONDS)
        after = {p.id: mac_counters(p) for p in (bench.a, bench.b)}
        moved = {"%s %s" % (i, k): after[i][k] - before[i].get(k, 0)
                 for i in after for k in after[i] if after[i][k] != before[i].get(k, 0)}
        if not moved:
            return True, {}
    return False, moved


def build_frames(snd, rcv):
    """[(kind, dst, length, frame bytes)]."""
    src = mac_bytes(snd.mac)
    kinds = (("ucast", rcv.mac), ("mcast", MC_JOIN), ("bcast", BCAST),
             ("foreign_ucast", FOREIGN_UC), ("foreign_mcast", foreign_mc(rcv)))
    frames = []
    for n, length in enumerate(SIZES):
        # every bin gets its own count: a bin reported in another's place shows
        for kind, dst in kinds + (("ucast", rcv.mac),) * (bin_of(wire(length)) + n % 2):
            hdr = mac_bytes(dst) + src + ETHERTYPE.to_bytes(2, "big")
            payload = bytes((n + i) & 0xff for i in range(length - len(hdr)))
            frames.append((kind, dst, length, hdr + payload))
    return frames


def expected(frames):
    """Expected deltas: sender mac_*, receiver mac_*, sender std, receiver
    std, sender stats64, receiver stats64."""
    tx = {"mac_tx_frames_ok": 0, "mac_tx_octets_ok": 0, "mac_tx_ucast": 0,
          "mac_tx_mcast": 0, "mac_tx_bcast": 0}
    rx = {"mac_rx_frames_ok": 0, "mac_rx_octets_ok": 0, "mac_rx_ucast": 0,
          "mac_rx_mcast": 0, "mac_rx_bcast": 0, "mac_rx_filtered": 0}
    s_tx = {"tx_packets": 0, "tx_bytes": 0}
    s_rx = {"rx_packets": 0, "rx_bytes": 0, "multicast": 0}
    for kind, dst, length, _f in frames:
        w = wire(length)
        cast = "bcast" if dst == BCAST else "mcast" if int(dst[:2], 16) & 1 else "ucast"
        tx["mac_tx_frames_ok"] += 1
        tx["mac_tx_octets_ok"] += w
        tx["mac_tx_" + cast] += 1
        h = "mac_tx_hist_" + HIST_NAMES[bin_of(w)]
        tx[h] = tx.get(h, 0) + 1
        s_tx["tx_packets"] += 1
        s_tx["tx_bytes"] += length
        if kind.startswith("foreign"):
            rx["mac_rx_filtered"] += 1
            continue
        rx["mac_rx_frames_ok"] += 1
        rx["mac_rx_octets_ok"] += w
        rx["mac_rx_" + cast] += 1
        h = "mac_rx_hist_" + HIST_NAMES[bin_of(w)]
        rx[h] = rx.get(h, 0) + 1
        s_rx["rx_packets"] += 1
        s_rx["rx_bytes"] += max(length, 60)
        s_rx["multicast"] += cast == "mcast"

    def std(mac, direction):
        d = "Transmitted" if direction == "tx" else "Received"
        x = "Xmitted" if direction == "tx" else "Received"
        out = {"eth-mac/Frames%sOK" % d: mac["mac_%s_frames_ok" % direction],
               "eth-mac/Octets%sOK" % d: mac["mac_%s_octets_ok" % direction],
               "eth-mac/MulticastFrames%sOK" % x: mac["mac_%s_mcast" % direction],
               "eth-mac/BroadcastFrames%sOK" % x: mac["mac_%s_bcast" % direction]}
        for k, (lo, hi) in enumerate(BINS):
            v = mac.get("mac_%s_hist_%s" % (direction, HIST_NAMES[k]), 0)
            if v:
                out["rmon/%s-pktsNtoM/%d-%d" % (direction, lo, hi)] = v
        return out

    return tx, rx, std(tx, "tx"), std(rx, "rx"), s_tx, s_rx


def stats64(p):
    st = p.stats64()
    rx, tx = st.get("rx", {}), st.get("tx", {})
    return {"rx_packets": rx.get("packets", 0), "rx_bytes": rx.get("bytes", 0),
            "multicast": rx.get("multicast", 0), "tx_packets": tx.get("packets", 0),
            "tx_bytes": tx.get("bytes", 0)}


def compare(before, after, want, what):
    """Errors: every counter of after must be before + want (0 if absent)."""
    errs = []
    for k in sorted(set(after) | set(want)):
        if k not in after:
            errs.append("%s: %s missing" % (what, k))
            continue
        d = after[k] - before.get(k, 0)
        if d != want.get(k, 0):
            errs.append("%s: %s moved by %d, expected %d" % (what, k, d, want.get(k, 0)))
    return errs


def send(snd, frames):
    net.send_raw(snd, [f for _kind, _dst, _length, f in frames], gap=0.005)


def direction(bench, snd, rcv):
    t = bench.t
    what = "%s -> %s" % (snd.id, rcv.id)
    frames = build_frames(snd, rcv)
    want_tx, want_rx, want_std_tx, want_std_rx, want_s_tx, want_s_rx = expected(frames)
    fe.KTAP.diag("%s: %d frames of %d sizes, %d accepted, %d filtered, foreign multicast %s"
                 % (what, len(frames), len(SIZES), want_rx["mac_rx_frames_ok"],
                    want_rx["mac_rx_filtered"], frames[4][1]))

    b_mac = {p.id: mac_counters(p) for p in (snd, rcv)}
    b_std = {p.id: flat_std(p) for p in (snd, rcv)}
    b_s64 = {p.id: stats64(p) for p in (snd, rcv)}
    try:
        send(snd, frames)
        err = None
    except OSError as e:
        err = "sending: %s" % e
    done = lambda: (mac_counters(snd).get("mac_tx_frames_ok", 0)  # noqa: E731
                    - b_mac[snd.id].get("mac_tx_frames_ok", 0) >= len(frames) and
                    mac_counters(rcv).get("mac_rx_frames_ok", 0)
                    - b_mac[rcv.id].get("mac_rx_frames_ok", 0) >= want_rx["mac_rx_frames_ok"])
    net.wait_for(done, DELIVERY_TIMEOUT, 0.5)
    # not synchronisation: the counters reached what was sent; a second
    # more lets a counter that moves too much (a frame counted twice)
    # show it (an absence cannot be waited for)
    time.sleep(SETTLE_EXTRA)
    a_mac = {p.id: mac_counters(p) for p in (snd, rcv)}
    a_std = {p.id: flat_std(p) for p in (snd, rcv)}
    a_s64 = {p.id: stats64(p) for p in (snd, rcv)}

    def case(name, errs):
        if err:
            errs = [err] + errs
        t.errors("%s: %s" % (what, name), errs)

    case("sender MAC counters (ethtool -S mac_*) moved exactly",
         compare(b_mac[snd.id], a_mac[snd.id], want_tx, snd.ifname))
    case("receiver MAC counters (ethtool -S mac_*) moved exactly",
         compare(b_mac[rcv.id], a_mac[rcv.id], want_rx, rcv.ifname))
    case("sender standard groups (eth-mac, eth-ctrl, rmon, pause) moved exactly",
         compare(b_std[snd.id], a_std[snd.id], want_std_tx, snd.ifname))
    case("receiver standard groups (eth-mac, eth-ctrl, rmon, pause) moved exactly",
         compare(b_std[rcv.id], a_std[rcv.id], want_std_rx, rcv.ifname))
    case("interface counters (stats64) moved exactly",
         compare(b_s64[snd.id], a_s64[snd.id], want_s_tx, snd.ifname + " stats64") +
         compare(b_s64[rcv.id], a_s64[rcv.id], want_s_rx, rcv.ifname + " stats64"))


def across_reset(bench, k=10, m=7, length=100):
    """Case 12 (see the docstring)."""
    a, b = bench.a, bench.b
    if fe.qom_get(a.qom, "cosim"):
        # the RTL (make check-rtl) is the IP: the model's faults do not act
        bench.t.skip("%s: MAC counters exact across a queue recovery and a reset of the IP"
                     % a, "co-simulated IP: no rx-desc-error fault in the RTL")
        return
    frame = (mac_bytes(a.mac) + mac_bytes(b.mac) + ETHERTYPE.to_bytes(2, "big")
             + bytes(length - 14))
    carrier_changes = "/sys/class/net/%s/carrier_changes" % a.ifname
    before = a.ethtool_stats()
    errs = []
    try:
        send(b, [("ucast", a.mac, length, frame)] * k)
        # the k frames are counted before the fault (ethtool -S before the
        # reset is what the driver's totals keep)
        if not net.wait_for(lambda: a.ethtool_stats().get("mac_rx_frames_ok", 0) -
                            before.get("mac_rx_frames_ok", 0) >= k, 10, 0.2)[0]:
            errs.append("the %d frames before the fault were not counted in 10 s" % k)
        mark = net.dmesg_mark()
        bench.fault(a, "rx-desc-error:0")
        send(b, [("ucast", a.mac, length, frame)])
        # the kernel log says when queue pair 0 is recovered (reading
        # ethtool -S would fold the counters before the reset)
        ok, secs = net.wait_for(lambda: any("queue pair 0 recovered" in ln
                                            for ln in net.dmesg_since(mark)), 30, 0.2)
        if not ok:
            errs.append("no 'queue pair 0 recovered' in the kernel log within 30 s")
        changes = int(open(carrier_changes).read())
        r = a.run(["ethtool", "--reset", a.ifname, "dedicated"])
        if not r:
            errs.append("ethtool --reset: %r" % r)
        ok, secs = net.wait_for(
            lambda: int(open(carrier_changes).read()) >= changes + 2 and
            open("/sys/class/net/%s/carrier" % a.ifname).read().strip() == "1", 90, 0.2)
        fe.KTAP.diag("IP reset: carrier down and up again after %.1f s" % secs)
        if not ok:
            errs.append("no carrier flap within 90 s: no recovery?")
        send(b, [("ucast", a.mac, length, frame)] * m)
        net.wait_for(lambda: a.ethtool_stats().get("mac_rx_frames_ok", 0) -
                     before.get("mac_rx_frames_ok", 0) >= k + 1 + m, 10, 0.5)
        time.sleep(SETTLE_EXTRA)  # as in direction(): over-counting shows
    except OSError as e:
        errs.append("sending: %s" % e)
    after = a.ethtool_stats()
    n = k + 1 + m
    want = {"mac_rx_frames_ok": n, "mac_rx_octets_ok": n * wire(length), "mac_rx_ucast": n,
            "mac_rx_hist_" + HIST_NAMES[bin_of(wire(length))]: n, "mac_rx_nobuf": 1,
            "resets": 1, "queue_resets": 1}
    keep = ("resets", "queue_resets")
    errs += compare({k_: v for k_, v in before.items() if k_.startswith("mac_") or
                     k_ in keep},
                    {k_: v for k_, v in after.items() if k_.startswith("mac_") or
                     k_ in keep}, want, a.ifname)
    bench.t.errors("%s: MAC counters exact across a queue recovery and a reset of the IP "
                   "(%d + 1 + %d frames)"
                   % (a, k, m), errs)


def body(bench):
    t, a, b = bench.t, bench.a, bench.b
    errs = quiesce(bench)
    ok, moved = silent(bench) if not errs else (False, {})
    for p in (a, b):
        std = flat_std(p)
        keys = {k.rsplit("/", 1)[0] if k.startswith("rmon/") and "pktsNtoM" in k else k
                for k in std}
        if keys != STD_KEYS:
            errs.append("%s: standard counters reported %s, the IP has %s (missing %s, extra %s)"
                        % (p, len(keys), len(STD_KEYS), sorted(STD_KEYS - keys),
                           sorted(keys - STD_KEYS)))
        rg = ranges(p)
        want = [tuple(x) for x in BINS]
        if rg["rx-pktsNtoM"] != want or rg["tx-pktsNtoM"] != want:
            errs.append("%s: rmon ranges %s, the spec's bins are %s" % (p, rg, want))
    t.errors("bench silent (no address, IPv6 off, %s joined); standard groups report "
             "the IP's counters, rmon ranges = spec bins"
             % MC_JOIN, errs + (["frames still crossing: %s" % moved] if not ok else []))
    direction(bench, b, a)
    direction(bench, a, b)
    across_reset(bench)
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body, mtu=MTU)
