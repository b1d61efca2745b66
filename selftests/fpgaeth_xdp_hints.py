#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""XDP RX metadata: bpf_xdp_metadata_rx_hash() on fpgaeth (the driver's
xmo_rx_hash) returns the RSS hash and type the IP wrote back, checked
against the programming model's Toeplitz test vectors (Microsoft's
verification suite, Documentation/fpgaeth/vectors.py).

The program selftests/bpf/fpgaeth_xdp_hints.c, loaded bound to fe0's
interface (bpftool prog load ... xdpmeta_dev: without it the kfunc is the
kernel's stub) and attached natively, records for each frame of the marked
flow (Ethernet source 02:fe:68:69:6e:NN) the kfunc's return value, hash,
type and RX queue under NN, and drops it. fe0's RSS key is set to the
spec's test key; fe1 (namespace "peer") sends raw frames (AF_PACKET) whose
addresses and ports are the vectors':

- the netdev family's xdp-rx-metadata-features of fe0 has hash;
- each IPv4 and IPv6 vector as UDP and TCP: the hash of addresses and
  ports, XDP_RSS_TYPE_L4_IPV{4,6}_{UDP,TCP}; as ICMP / ICMPv6: the hash of
  the addresses, XDP_RSS_TYPE_L3_IPV{4,6};
- the spec's corner cases: IPv4 options (L4), an IPv4 first fragment
  (L3), IPv6 hop-by-hop then TCP (L3); no hash (802.1Q-tagged IPv4 TCP,
  ARP): -ENODATA;
- ethtool -K rxhash off: -ENODATA (the IP still hashes and steers);
  rxhash on again: the hash is back;
- AF_XDP zero-copy (the driver builds those xdp_buffs apart): the table
  sends everything to queue 0, where a zero-copy socket is bound
  (selftests/bpf/user/fpgaeth_xsk.c), vectors of each kind on queue 0
  give the same answers, and the socket then receives a test frame the
  program redirects to it (so it was bound, and in zero-copy mode);

- the reserved HASH_TYPE 3 (the model's rx-hash-reserved fault on every
  queue of fe0, until cleared): -ENODATA; after clear the hash is back;
then detach, no page pool left with pages in flight, no splat.
"""
import errno
import importlib.util
import ipaddress
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402
import fpgaeth_xdp_xsk as xsk  # noqa: E402

PLAN = 22
BUILD = os.path.join(x.REPO, "selftests", "bpf", "build")
OBJ = os.path.join(BUILD, "fpgaeth_xdp_hints.o")
PIN = "/sys/fs/bpf/fpgaeth_xdp_hints"
MARK = "02:fe:68:69:6e:%02x"
# NN of the cases: the vectors and corner cases 0-28, then
NN_RXHASH, NN_HASH3, NN_ZC = 32, 36, 40

# include/net/xdp.h, enum xdp_rss_hash_type
L3_IPV4, L3_IPV6, L4, L4_TCP, L4_UDP = 1, 2, 8, 16, 32
TYPE_NAMES = {0: "NONE", L3_IPV4: "L3_IPV4", L3_IPV6: "L3_IPV6",
              L4: "L4_ANY",
              L3_IPV4 | L4 | L4_TCP: "L4_IPV4_TCP", L3_IPV4 | L4 | L4_UDP: "L4_IPV4_UDP",
              L3_IPV6 | L4 | L4_TCP: "L4_IPV6_TCP", L3_IPV6 | L4 | L4_UDP: "L4_IPV6_UDP"}
TCP, UDP, ICMP, ICMP6, HOPOPT = 6, 17, 1, 58, 0
ENODATA = -errno.ENODATA
# the netdev netlink family: dev-get, its xdp-rx-metadata-features and the
# hash bit (include/uapi/linux/netdev.h)
NETDEV_CMD_DEV_GET, NETDEV_A_DEV_XDP_RX_METADATA_FEATURES = 1, 5
NETDEV_XDP_RX_METADATA_HASH = 2
HINT = struct.Struct("<QiIII")        # struct hint of fpgaeth_xdp_hints.c
HINT_FIELDS = ("frames", "ret", "hash", "rss_type", "queue")


def vectors():
    """The spec's test vectors (Documentation/fpgaeth/vectors.py)."""
    path = os.path.join(x.REPO, "Documentation", "fpgaeth", "vectors.py")
    spec = importlib.util.spec_from_file_location("fpgaeth_vectors", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def l4(proto, sport, dport):
    """A TCP SYN, UDP or ICMP echo header (the IP never checks a sum)."""
    if proto == TCP:
        return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    if proto == UDP:
        return struct.pack("!HHHH", sport, dport, 8 + 32, 0)
    return struct.pack("!BBHHH", 8 if proto == ICMP else 128, 0, 0, 1, 1)


def frame(nn, dst_mac, v, proto, opts=b"", frag=0x4000, hop=False, vlan=False):
    """Frame NN of the marked flow: vector v (src, sport, dst, dport, ...)
    as proto, with IPv4 options opts, IPv4 flags/fragment word frag, an
    IPv6 hop-by-hop header, or an 802.1Q tag."""
    src, sport, dst, dport = v[:4]
    body = l4(proto, sport, dport) + bytes(range(32))
    if ":" in src:
        nh = proto
        if hop:
            body = struct.pack("!BB6s", proto, 0, bytes(6)) + body    # PadN
            nh = HOPOPT
        ip = struct.pack("!IHBB16s16s", 6 << 28, len(body), nh, 64,
                         ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed)
        etype = 0x86dd
    else:
        ihl = 5 + len(opts) // 4
        ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(body), 0, frag, 64,
                         proto, 0, ipaddress.ip_address(src).packed,
                         ipaddress.ip_address(dst).packed) + opts
        ip = ip[:10] + struct.pack("!H", x.ip_csum(ip)) + ip[12:]
        etype = 0x0800
    tag = struct.pack("!HH", 0x8100, 1) if vlan else b""
    return (net.mac_bytes(dst_mac) + net.mac_bytes(MARK % nn) + tag +
            struct.pack("!H", etype) + ip + body)


def arp(nn, dst_mac):
    return (net.mac_bytes(dst_mac) + net.mac_bytes(MARK % nn) + b"\x08\x06" +
            struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + net.mac_bytes(MARK % nn) +
            bytes(4) + bytes(6) + bytes(4) + bytes(18))


class Case:
    """One frame of the marked flow and what the kfunc must answer."""

    def __init__(self, nn, what, data, ret=0, hash_=0, rss_type=0):
        self.nn, self.what, self.frame = nn, what, data
        self.ret, self.hash, self.type = ret, hash_, rss_type

    def errors(self, rec, queue=None):
        if rec is None or not rec["frames"]:
            return ["%s (NN %d): never seen by the program" % (self.what, self.nn)]
        got = (rec["ret"], rec["hash"], rec["rss_type"])
        if self.ret:
            want = (self.ret, 0, 0)
        else:
            want = (0, self.hash, self.type)
        errs = []
        if got != want:
            errs.append("%s: kfunc %d, hash %#010x, type %s; want %d, %#010x, %s" % (
                self.what, got[0], got[1], TYPE_NAMES.get(got[2], got[2]),
                want[0], want[1], TYPE_NAMES.get(want[2], want[2])))
        if queue is not None and rec["queue"] != queue:
            errs.append("%s: on RX queue %d, not %d" % (self.what, rec["queue"], queue))
        return errs


def vector_cases(vec, dst_mac, first):
    """Per family, per protocol: the vectors as Cases, NN from first on."""
    groups, nn = [], first
    for fam, vs, l3 in (("IPv4", vec.MS_IPV4, L3_IPV4), ("IPv6", vec.MS_IPV6, L3_IPV6)):
        for name, proto, rss in (("UDP", UDP, l3 | L4 | L4_UDP), ("TCP", TCP, l3 | L4 | L4_TCP),
                                 ("ICMP" if l3 == L3_IPV4 else "ICMPv6",
                                  ICMP if l3 == L3_IPV4 else ICMP6, l3)):
            cases = []
            for v in vs:
                h = v[5] if rss & L4 else v[4]
                what = ("%s %s %s:%d -> %s:%d" % (fam, name, *v[:4]) if rss & L4 else
                        "%s %s %s -> %s" % (fam, name, v[0], v[2]))
                cases.append(Case(nn, what,
                                  frame(nn, dst_mac, v, proto), 0, h, rss))
                nn += 1
            groups.append(("%s %s" % (fam, name), TYPE_NAMES[rss], cases))
    return groups, nn


def corner_cases(vec, dst_mac, nn):
    """The spec's corner cases with the first IPv4 and IPv6 tuples."""
    v4, v6 = vec.MS_IPV4[0], vec.MS_IPV6[0]
    opts = bytes([1] * 8)       # two NOP words: IHL 7
    return [
        Case(nn, "IPv4 TCP, IHL 7 (options)", frame(nn, dst_mac, v4, TCP, opts=opts), 0,
             v4[5], L3_IPV4 | L4 | L4_TCP),
        Case(nn + 1, "IPv4 TCP, MF set (first fragment)",
             frame(nn + 1, dst_mac, v4, TCP, frag=0x2000), 0, v4[4], L3_IPV4),
        Case(nn + 2, "IPv6 hop-by-hop header, then TCP",
             frame(nn + 2, dst_mac, v6, TCP, hop=True), 0, v6[4], L3_IPV6),
    ], [
        Case(nn + 3, "IPv4 TCP behind an 802.1Q tag", frame(nn + 3, dst_mac, v4, TCP, vlan=True),
             ENODATA),
        Case(nn + 4, "ARP", arp(nn + 4, dst_mac), ENODATA),
    ]


class Hints:
    """The program, bound to and attached on port's interface."""

    def __init__(self, port):
        self.port = port
        self.prog = x.Prog(port.ifname, port.ns)

    def attach(self):
        net.run(["rm", "-f", PIN])
        r = self.port.run(["bpftool", "prog", "load", OBJ, PIN, "xdpmeta_dev",
                           self.port.ifname])
        if not r:
            return r
        r = self.port.ip("link", "set", "dev", self.port.ifname, "xdpdrv", "pinned", PIN)
        if r:
            self.prog.maps = self.prog.find_maps()
        return r

    def detach(self):
        r = self.prog.detach()
        net.run(["rm", "-f", PIN])
        return r

    def records(self):
        """{NN: {"frames", "ret", "hash", "rss_type", "queue"}} of the
        hints map (bpftool's raw bytes, or its BTF-formatted values)."""
        out = {}
        for k, v in self.prog.entries("hints"):
            out[k] = (dict(zip(HINT_FIELDS, HINT.unpack(v[:HINT.size]))) if isinstance(v, bytes)
                      else {n: v[n] for n in HINT_FIELDS})
        return out


def exchange(bench, hints, cases, tries=3):
    """Send each case's frame from fe1 until the program has seen all of
    them (a frame lost on the way is sent again): the records."""
    recs = {}

    def missing():
        return [c for c in cases if not recs.get(c.nn, {}).get("frames")]

    def arrived():
        recs.update(hints.records())
        return not missing()

    for _ in range(tries):
        if not missing():
            break
        net.send_raw(bench.b, [c.frame for c in missing()])
        net.wait_for(arrived, 10, 0.2)
    return recs


def check_group(bench, name, cases, recs, queue=None):
    errs = []
    for c in cases:
        errs += c.errors(recs.get(c.nn), queue)
    return bench.t.errors(name, errs)


def case_vectors(bench, hints, vec):
    a = bench.a
    groups, nn = vector_cases(vec, a.mac, 0)
    hashed, unhashed = corner_cases(vec, a.mac, nn)
    every = [c for _, _, cs in groups for c in cs] + hashed + unhashed
    recs = exchange(bench, hints, every)
    seen = [c for c in every if recs.get(c.nn, {}).get("frames")]
    queues = sorted({recs[c.nn]["queue"] for c in seen})
    bench.check("all %d frames of the marked flow reached the program (RX queues %s)" % (
        len(every), queues), len(seen) == len(every), "%d seen" % len(seen))
    for name, tname, cases in groups:
        check_group(bench, "%s: %d vectors: the spec's hash, %s" % (name, len(cases), tname),
                    cases, recs)
    check_group(bench, "corner cases (IPv4 options, first fragment, IPv6 hop-by-hop): the "
                "spec's hash and type", hashed, recs)
    check_group(bench, "no hash (802.1Q-tagged, ARP): -ENODATA", unhashed, recs)


def case_rxhash_off(bench, hints, vec, nn):
    a = bench.a
    v4, v6 = vec.MS_IPV4[1], vec.MS_IPV6[1]
    off = [Case(nn, "rxhash off: IPv4 UDP", frame(nn, a.mac, v4, UDP), ENODATA),
           Case(nn + 1, "rxhash off: IPv6 TCP", frame(nn + 1, a.mac, v6, TCP), ENODATA)]
    r = a.ethtool("-K", "rxhash", "off")
    recs = exchange(bench, hints, off) if r else {}
    check_group(bench, "ethtool -K rxhash off: the kfunc answers -ENODATA" +
                ("" if r else " (%r)" % r), off, recs)
    r = a.ethtool("-K", "rxhash", "on")
    on = [Case(nn + 2, "rxhash on: IPv4 UDP", frame(nn + 2, a.mac, v4, UDP), 0, v4[5],
               L3_IPV4 | L4 | L4_UDP)]
    recs = exchange(bench, hints, on) if r else {}
    check_group(bench, "rxhash on again: the hash is back", on, recs)


def case_hash_reserved(bench, hints, vec, nn):
    """The IP writes the reserved HASH_TYPE 3 (a model fault on every RX
    queue of fe0): no hash, -ENODATA; after clear the hash is back."""
    a = bench.a
    v4, v6 = vec.MS_IPV4[3], vec.MS_IPV6[0]
    lie = [Case(nn, "HASH_TYPE 3: IPv4 UDP", frame(nn, a.mac, v4, UDP), ENODATA),
           Case(nn + 1, "HASH_TYPE 3: IPv6 TCP", frame(nn + 1, a.mac, v6, TCP), ENODATA)]
    for q in range(a.channels()[0] or 1):
        bench.fault(a, "rx-hash-reserved:%d" % q)
    recs = exchange(bench, hints, lie)
    bench.fault(a, "clear")
    check_group(bench, "the reserved HASH_TYPE 3 (model fault rx-hash-reserved): the kfunc "
                "answers -ENODATA", lie, recs)
    back = [Case(nn + 2, "after clear: IPv4 UDP", frame(nn + 2, a.mac, v4, UDP), 0, v4[5],
                 L3_IPV4 | L4 | L4_UDP)]
    recs = exchange(bench, hints, back)
    check_group(bench, "after clear: the hash is back", back, recs)


def case_zc(bench, hints, vec, nn):
    """The same on an AF_XDP zero-copy queue (queue 0, the only one the
    table then names)."""
    a, b = bench.a, bench.b
    v4, v6 = vec.MS_IPV4[2], vec.MS_IPV6[2]
    cases = [
        Case(nn, "zc: IPv4 UDP", frame(nn, a.mac, v4, UDP), 0, v4[5], L3_IPV4 | L4 | L4_UDP),
        Case(nn + 1, "zc: IPv4 TCP", frame(nn + 1, a.mac, v4, TCP), 0, v4[5],
             L3_IPV4 | L4 | L4_TCP),
        Case(nn + 2, "zc: IPv4 ICMP", frame(nn + 2, a.mac, v4, ICMP), 0, v4[4], L3_IPV4),
        Case(nn + 3, "zc: IPv6 UDP", frame(nn + 3, a.mac, v6, UDP), 0, v6[5],
             L3_IPV6 | L4 | L4_UDP),
        Case(nn + 4, "zc: IPv6 TCP", frame(nn + 4, a.mac, v6, TCP), 0, v6[5],
             L3_IPV6 | L4 | L4_TCP),
        Case(nn + 5, "zc: IPv6 ICMPv6", frame(nn + 5, a.mac, v6, ICMP6), 0, v6[4], L3_IPV6),
        Case(nn + 6, "zc: 802.1Q", frame(nn + 6, a.mac, v4, UDP, vlan=True), ENODATA),
    ]
    r = a.ethtool("-X", "equal", 1)
    p = bench.background([xsk.BIN, a.ifname, 0, "zc", hints.prog.maps["xsks"], 1, 0,
                          a.mac, b.mac], ns=a.ns, name="xsk-zc")
    try:
        ready, _ = net.wait_for(lambda: "ready" in p.output() or not p.running(), 120, 0.1)
        ready = "ready" in p.output()
        bench.check("zc: AF_XDP socket bound to queue 0 (XDP_ZEROCOPY), the table on queue 0",
                    ready and bool(r), "%r; %s" % (r, p.output()[-300:]))
        recs = exchange(bench, hints, cases) if ready else {}
        check_group(bench, "zc: on queue 0, the spec's hash and type, -ENODATA without a hash",
                    cases, recs, queue=0)
        # the socket's one frame: it exits with its result
        net.send_raw(b, [xsk.frame(0, a.mac, b.mac, xsk.SALT_RX)])
        rc = p.wait(60) if ready else None
        res = xsk.parse_result(p.output()) or {}
        bench.check("zc: the socket received its frame in zero-copy mode", rc == 0 and
                    res.get("zc") == 1 and res.get("rx_got") == 1,
                    "exit %s, result %s" % (rc, res))
    finally:
        p.kill()
        p.wait(10)
        a.ethtool("-X", "default")


def body(bench):
    a = bench.a
    if not os.path.exists(OBJ) or not os.path.exists(xsk.BIN):
        bench.fail_rest("%s or %s missing: run make (target bpf) on the host" % (OBJ, xsk.BIN))
        return
    vec = vectors()
    hints = Hints(a)
    r = hints.attach()
    bench.check("program loaded bound to %s (xdpmeta_dev), attached natively, maps found" %
                a.ifname, bool(r) and {"hints", "xsks"} <= set(hints.prog.maps),
                "%r, maps %s" % (r, hints.prog.maps))
    if not r or "hints" not in hints.prog.maps:
        bench.fail_rest("no program")
        return
    idx = x.ifindex(a.ifname)
    feats = [d.get("rx-meta", 0) for d in
             net.netdev_dump(NETDEV_CMD_DEV_GET,
                             {1: "ifindex", NETDEV_A_DEV_XDP_RX_METADATA_FEATURES: "rx-meta"},
                             ns=a.ns) if d.get("ifindex") == idx]
    bench.check("xdp-rx-metadata-features has hash", feats and
                feats[0] & NETDEV_XDP_RX_METADATA_HASH, "%s" % [hex(f) for f in feats])
    key = ":".join("%02x" % k for k in vec.MS_KEY)
    r = a.ethtool("-X", "hkey", key)
    _t, got, _f = a.rxfh()
    bench.check("RSS key set to the spec's test key", bool(r) and got == key,
                "%r, ethtool -x: %s" % (r, got))
    case_vectors(bench, hints, vec)
    case_rxhash_off(bench, hints, vec, NN_RXHASH)
    case_hash_reserved(bench, hints, vec, NN_HASH3)
    case_zc(bench, hints, vec, NN_ZC)
    bench.check("detach", bool(hints.detach()))
    bench.check_pools_drained()
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
