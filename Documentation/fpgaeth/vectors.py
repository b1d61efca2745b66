#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Test vectors of the fpgaeth programming model's hashes.

Computes, from the bit-level definitions of programming-model.rst
("Multicast hash" and "Toeplitz hash"), the vectors the spec lists, checks
the Toeplitz ones against Microsoft's RSS verification suite, and prints the
spec's tables:

    Documentation/fpgaeth/vectors.py               print the vectors
    Documentation/fpgaeth/vectors.py --model QEMU  also send each vector
                                                   through the QEMU model
                                                   (qtest, MAC loopback)

The model check loops frames through the model (tools/qemu/fpgaeth.c) and
compares the RSS_HASH and HASH_TYPE it writes back, and the MC_HASH_LO/HI
bit that lets a multicast frame through the filter, with the values below.
Exits 1 if a vector disagrees. Uses only the standard library.
"""
import importlib.util
import ipaddress
import os
import struct
import sys

# ---------------------------------------------------------------- hashes --


def mc_crc(addr):
    """The multicast hash CRC, as the spec defines it bit by bit.

    A 32-bit register, all ones at the start; for each destination byte in
    wire order, for each of its bits from bit 0 (first on the wire) to bit 7:
    feedback = register[31] XOR data bit; register <<= 1 (32 bits);
    if feedback: register ^= 0x04c11db7. No final complement or reflection.
    """
    crc = 0xffffffff
    for byte in addr:
        for b in range(8):
            fb = ((crc >> 31) ^ (byte >> b)) & 1
            crc = (crc << 1) & 0xffffffff
            if fb:
                crc ^= 0x04c11db7
    return crc


def mc_index(addr):
    """Filter bit index: register bits [31:26]."""
    return mc_crc(addr) >> 26


def toeplitz(key, data):
    """Toeplitz hash, as the spec defines it.

    Input bits are numbered from 0: bit 8*i + j is bit (7 - j) of input byte i
    (most significant bit first); key bits likewise, bits past the key's end
    are 0. For every input bit k that is 1, the key bits k to k+31, the
    first of them as the most significant, are XORed into the result.
    """
    kbits = int.from_bytes(key, "big")
    klen = 8 * len(key)
    h = 0
    for k in range(8 * len(data)):
        if data[k // 8] >> (7 - k % 8) & 1:
            # key bits k..k+31 as a 32-bit number, zeros past the key's end
            window = (kbits << 32) >> (klen - k) if klen >= k else 0
            h ^= window & 0xffffffff
    return h


def toeplitz_model(key_words, data):
    """The same hash the way tools/qemu/fpgaeth.c toeplitz() computes it:
    RSS_KEYi little-endian (byte 4i in [7:0]), a 32-bit window shifted left
    one key bit per input bit. Kept to show the two agree."""
    key = b"".join(struct.pack("<I", w) for w in key_words)
    v = int.from_bytes(key[:4], "big")
    kbit, h = 32, 0
    for byte in data:
        for b in range(7, -1, -1):
            if byte >> b & 1:
                h ^= v
            v = (v << 1) & 0xffffffff
            if kbit < 8 * len(key):
                v |= key[kbit // 8] >> (7 - kbit % 8) & 1
            kbit += 1
    return h


# Microsoft's verification key and suite ("Verifying the RSS Hash
# Calculation"): (source, source port, destination, destination port,
# hash over the addresses, hash over addresses and ports).
MS_KEY = bytes.fromhex("6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b4"
                       "77cb2da38030f20c6a42b73bbeac01fa")
MS_IPV4 = [
    ("66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178),
    ("199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea),
    ("24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a),
    ("38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f),
    ("153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2),
]
MS_IPV6 = [
    ("3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
     0x2cc18cd5, 0x40207d3d),
    ("3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
     0x0f0c461c, 0xdde51bbf),
    ("3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, "fe80::200:f8ff:fe21:67cf",
     38024, 0x4b61e985, 0x02d1feef),
]

MC_ADDRS = ["01:00:5e:00:00:01", "01:00:5e:00:00:fb", "01:00:5e:7f:ff:fa",
            "01:80:c2:00:00:0e", "33:33:00:00:00:01", "33:33:00:00:00:fb",
            "33:33:ff:00:00:01", "01:00:0c:cc:cc:cc"]


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def hash_input(src, sport, dst, dport, ports):
    b = ipaddress.ip_address(src).packed + ipaddress.ip_address(dst).packed
    if ports:
        b += struct.pack(">HH", sport, dport)
    return b


def key_words(key):
    return [struct.unpack_from("<I", key, 4 * i)[0] for i in range(len(key) // 4)]


def compute():
    """All vectors, checked against the published values and the model's
    formulation; returns (mc rows, rss rows, errors)."""
    errs = []
    mc = [(a, mc_crc(mac(a)), mc_index(mac(a))) for a in MC_ADDRS]
    rss = []
    kw = key_words(MS_KEY)
    for suite in (MS_IPV4, MS_IPV6):
        for src, sp, dst, dp, h_ip, h_l4 in suite:
            for ports, want in ((False, h_ip), (True, h_l4)):
                data = hash_input(src, sp, dst, dp, ports)
                got = toeplitz(MS_KEY, data)
                if got != want:
                    errs.append("toeplitz %s %s: %#010x, Microsoft %#010x"
                                % (src, dst, got, want))
                if toeplitz_model(kw, data) != got:
                    errs.append("model formulation differs for %s" % src)
                rss.append((src, sp, dst, dp, ports, got))
    return mc, rss, errs


def print_tables(mc, rss):
    print("Multicast hash (CRC register after the 6 bytes, bit = [31:26]):")
    for a, crc, idx in mc:
        reg = "MC_HASH_LO" if idx < 32 else "MC_HASH_HI"
        print("  %s  crc 0x%08x  bit %2d  (%s bit %d)" % (a, crc, idx, reg, idx % 32))
    print("RSS key (RSS_KEY0-9):", " ".join("0x%08x" % w for w in key_words(MS_KEY)))
    print("Toeplitz (Microsoft's suite; TCP and UDP hash alike):")
    for src, sp, dst, dp, ports, h in rss:
        what = "%s:%d -> %s:%d" % (src, sp, dst, dp) if ports else "%s -> %s" % (src, dst)
        print("  %-66s 0x%08x  HASH_TYPE %d" % (what, h, 2 if ports else 1))


# ------------------------------------------------- through the QEMU model --

def load_qtest():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                        "tools", "qemu", "tests", "qtest-model.py")
    spec = importlib.util.spec_from_file_location("qtest_model", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ip4_frame(dst_mac, src, dst, proto, l4, ihl=5, frag=0, total=None):
    opts = b"\x01" * (4 * ihl - 20)            # NOP options
    tl = total if total is not None else 4 * ihl + len(l4)
    hdr = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, tl, 1, frag, 64, proto, 0,
                      ipaddress.ip_address(src).packed,
                      ipaddress.ip_address(dst).packed) + opts
    return dst_mac + b"\x02\0\0\0\0\x01" + b"\x08\x00" + hdr + l4


def ip6_frame(dst_mac, src, dst, nh, payload):
    hdr = struct.pack(">IHBB16s16s", 0x60000000, len(payload), nh, 64,
                      ipaddress.ip_address(src).packed,
                      ipaddress.ip_address(dst).packed)
    return dst_mac + b"\x02\0\0\0\0\x01" + b"\x86\xdd" + hdr + payload


def corner_cases():
    """(name, frame, expected hash, expected HASH_TYPE): the RSS corner
    cases the spec lists, with what the spec says the IP does."""
    bc = b"\xff" * 6
    s, sp, d, dp = MS_IPV4[0][:4]
    ports = struct.pack(">HH", sp, dp) + b"\0" * 16
    h_ip, h_l4 = MS_IPV4[0][4:6]
    s6, sp6, d6, dp6, h6_ip, h6_l4 = MS_IPV6[0]
    p6 = struct.pack(">HH", sp6, dp6) + b"\0" * 16
    tagged = ip4_frame(bc, s, d, 6, ports)
    tagged = tagged[:12] + b"\x81\x00\x00\x05" + tagged[12:]
    hbh = bytes([6, 0]) + b"\x01\x04\0\0\0\0" + p6     # hop-by-hop, then TCP
    return [
        ("IPv4 TCP, IHL 5", ip4_frame(bc, s, d, 6, ports), h_l4, 2),
        ("IPv4 UDP, IHL 5", ip4_frame(bc, s, d, 17, ports), h_l4, 2),
        ("IPv4 TCP, IHL 7 (ports after the options)",
         ip4_frame(bc, s, d, 6, ports, ihl=7), h_l4, 2),
        ("IPv4 TCP, DF set (not a fragment)",
         ip4_frame(bc, s, d, 6, ports, frag=0x4000), h_l4, 2),
        ("IPv4 TCP, MF set (first fragment)",
         ip4_frame(bc, s, d, 6, ports, frag=0x2000), h_ip, 1),
        ("IPv4 TCP, fragment offset 185",
         ip4_frame(bc, s, d, 6, ports, frag=185), h_ip, 1),
        ("IPv4 ICMP", ip4_frame(bc, s, d, 1, ports), h_ip, 1),
        ("IPv4 TCP, IHL 4 (malformed)",
         ip4_frame(bc, s, d, 6, ports, ihl=4), h_ip, 1),
        ("IPv4 TCP, IHL 15, frame ends before the ports",
         ip4_frame(bc, s, d, 6, b"", ihl=15, total=64), h_ip, 1),
        ("IPv4 TCP behind an 802.1Q tag", tagged, 0, 0),
        ("IPv6 TCP", ip6_frame(bc, s6, d6, 6, p6), h6_l4, 2),
        ("IPv6 UDP", ip6_frame(bc, s6, d6, 17, p6), h6_l4, 2),
        ("IPv6 hop-by-hop header, then TCP",
         ip6_frame(bc, s6, d6, 0, hbh), h6_ip, 1),
        ("IPv6 fragment header, then TCP",
         ip6_frame(bc, s6, d6, 44, bytes([6, 0, 0, 1, 0, 0, 0, 1]) + p6), h6_ip, 1),
        ("ARP", bc + b"\x02\0\0\0\0\x01\x08\x06" + b"\0" * 46, 0, 0),
        ("type 0x0800, IP version 6 (malformed)",
         bc + b"\x02\0\0\0\0\x01\x08\x00\x60" + b"\0" * 45, 0, 0),
    ]


def suite_frames():
    """Microsoft's suite as frames: TCP and UDP (HASH_TYPE 2), and the same
    addresses with no ports to hash (IPv4 ICMP, IPv6 No Next Header: 1)."""
    bc = b"\xff" * 6
    out = []
    for src, sp, dst, dp, h_ip, h_l4 in MS_IPV4 + MS_IPV6:
        l4 = struct.pack(">HH", sp, dp) + b"\0" * 16
        v6 = ":" in src
        for proto, h, ty in ((6, h_l4, 2), (17, h_l4, 2), (1 if not v6 else 59, h_ip, 1)):
            f = ip6_frame(bc, src, dst, proto, l4) if v6 else ip4_frame(bc, src, dst, proto, l4)
            out.append(("%s -> %s, protocol %d" % (src, dst, proto), f, h, ty))
    return out


def check_model(qemu, mc, verbose=True):
    """Loop the vectors through the model at @qemu; returns the mismatches.
    (qtest-model.py can call this: compute() then check_model(qemu, mc,
    False).)"""
    qt = load_qtest()
    # qtest logs every command to stderr unless told otherwise: a pipe that
    # nobody reads fills up and QEMU blocks
    q = qt.QEMU(qemu, ",num-queues=1", extra=("-qtest-log", "none"))
    errs = []
    ring_tx, ring_rx, buf = qt.RING, qt.RING + 0x1000, qt.BUF
    rxbuf = qt.BUF + 0x10000
    RSS_EN, RSS_KEY0 = 64, 0x600
    try:
        def send(frame, expect_rx):
            """Loop @frame through the MAC; returns the RX write-back or None."""
            nonlocal tx_i, rx_i
            q.mem_write(buf, frame)
            q.mem_write(ring_tx + 16 * tx_i, qt.txd(buf, len(frame), 1))
            q.mem_write(ring_rx + 16 * rx_i, qt.rxd(rxbuf, 0x800))
            q.wr(qt.qb(0) + 0x50, (rx_i + 1) % 256)
            tx_i = (tx_i + 1) % 256
            q.wr(qt.qb(0) + 0x10, tx_i)
            # a timed model takes virtual time: step (10 us at a time, up
            # to 10 ms) until TX completes, then until RX does
            for _ in range(1000):
                if q.rd(qt.qb(0) + 0x0c) == tx_i:
                    break
                q.step(10000)
            got = q.rd(qt.qb(0) + 0x4c) != rx_i
            for _ in range(1000 if expect_rx else 10):
                if got:
                    break
                q.step(10000)
                got = q.rd(qt.qb(0) + 0x4c) != rx_i
            if not got:
                return None
            wb = struct.unpack("<IHHHHI", q.mem_read(ring_rx + 16 * rx_i, 16))
            rx_i = (rx_i + 1) % 256
            return wb

        tx_i = rx_i = 0
        q.wr(qt.CTRL, 1)
        for _ in range(1000):
            if not q.rd(qt.CTRL) & 1:
                break
            q.step(1000)
        q.wr(qt.CTRL, qt.TX_EN | qt.RX_EN | qt.LOOPBACK | RSS_EN)
        qt.ring_setup(q, qt.qb(0), ring_tx, 8)
        qt.ring_setup(q, qt.qb(0) + 0x40, ring_rx, 8)
        for i, w in enumerate(key_words(MS_KEY)):
            q.wr(RSS_KEY0 + 4 * i, w)
        for name, frame, h, ty in suite_frames() + corner_cases():
            wb = send(frame, True)
            got = (wb[0], wb[4] >> 2 & 3) if wb else None
            if got != (h, ty):
                errs.append("RSS %s: model %s, spec (%#010x, %d)"
                            % (name, "(%#010x, %d)" % got if got else "no frame", h, ty))
            else:
                if verbose:
                    print("  model: %-50s 0x%08x  HASH_TYPE %d" % (name, h, ty))
        # multicast filter: only the spec's bit lets the frame in
        q.wr(qt.CTRL, qt.TX_EN | qt.RX_EN | qt.LOOPBACK)
        for a, _, idx in mc:
            frame = mac(a) + b"\x02\0\0\0\0\x01\x88\xb5" + bytes(46)
            bits = 1 << idx
            for hash64, want in ((bits, True), (~bits & (2**64 - 1), False)):
                q.wr(0x114, hash64 & 0xffffffff)
                q.wr(0x118, hash64 >> 32)
                if (send(frame, want) is not None) != want:
                    errs.append("MC %s: bit %d %s" % (a, idx,
                                "did not pass" if want else "was not needed"))
            if verbose:
                print("  model: multicast %s passes on bit %d alone" % (a, idx))
    finally:
        q.close()
    return errs


def main():
    mc, rss, errs = compute()
    print_tables(mc, rss)
    print("RSS corner cases (spec):")
    for name, _, h, ty in corner_cases():
        print("  %-50s 0x%08x  HASH_TYPE %d" % (name, h, ty))
    if len(sys.argv) == 3 and sys.argv[1] == "--model":
        errs += check_model(sys.argv[2], mc)
    elif len(sys.argv) != 1:
        sys.exit(__doc__)
    for e in errs:
        print("MISMATCH:", e)
    print("%d mismatches" % len(errs))
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()
