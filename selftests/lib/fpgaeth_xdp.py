# SPDX-License-Identifier: GPL-2.0
"""XDP helpers of the fpgaeth XDP selftests (selftests/fpgaeth_xdp_*.py).

The program is selftests/bpf/fpgaeth_xdp_flow.c, built on the host by the
Makefile (target bpf) into selftests/bpf/build/: it counts the IPv4 UDP
frames to a configured port (the marked flow) and applies the configured
action to them; every other frame is counted apart and passed. It is
attached with `ip link set dev IF xdpdrv obj ... sec xdp`; its maps are
found through the program attached (ip -d link: prog id; bpftool prog
show: map ids) and read and written with bpftool.
"""

import json
import os
import select
import socket
import struct
import time

import fpgaeth as fe
import fpgaeth_net as net

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OBJ = os.path.join(REPO, "selftests", "bpf", "build", "fpgaeth_xdp_flow.o")
# the same program in section "xdp.frags" (multi-buffer frames)
OBJ_MB = os.path.join(REPO, "selftests", "bpf", "build", "fpgaeth_xdp_flow_mb.o")

# enum cfg and enum cnt of fpgaeth_xdp_flow.c
CFG_ACTION, CFG_PORT, CFG_IFINDEX, CFG_NAT_FROM, CFG_NAT_TO, CFG_DEVMAP_PORT = range(6)
CNT_MATCH, CNT_OTHER, CNT_FRAGS = 0, 1, 2
XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT = range(5)

FLOW_PORT = 4791        # the marked flow's UDP destination port
ETH_P_ALL, ETH_P_IP = 0x0003, 0x0800
PACKET_OUTGOING = 4
SO_RCVBUFFORCE = 33
# a received frame takes a page (its truesize): the default 208 KiB of
# socket buffer holds ~45; the tests read after a whole flow
RCVBUF = 8 << 20


def no_bpf():
    """Why this kernel loads no BPF program, or None: the debug kernel is
    built without the bpf syscall (tools/vm/debug-kernel.config), whose
    sysctls are then absent."""
    if not os.path.exists("/proc/sys/kernel/unprivileged_bpf_disabled"):
        return "this kernel has no bpf syscall (CONFIG_BPF_SYSCALL; the debug kernel leaves it out)"
    return None


def run_in(ns, argv, timeout=30):
    return net.run(argv, ns=ns, timeout=timeout)


class Prog:
    """The flow program attached to one interface (ifname in namespace ns)."""

    def __init__(self, ifname, ns=None):
        self.ifname, self.ns = ifname, ns
        self.maps = {}

    def attach(self, obj=OBJ, force=False, sec="xdp"):
        """Attach in native mode (force: replace the program attached): the
        ip Result (its output has the extack message on failure)."""
        r = run_in(self.ns, ["ip"] + (["-force"] if force else []) +
                   ["link", "set", "dev", self.ifname, "xdpdrv", "obj", obj, "sec", sec])
        if r:
            self.maps = self.find_maps()
        return r

    def detach(self):
        return run_in(self.ns, ["ip", "link", "set", "dev", self.ifname, "xdpdrv", "off"])

    def prog_id(self):
        """Id of the native-mode program attached, or None."""
        r = run_in(self.ns, ["ip", "-d", "-j", "link", "show", "dev", self.ifname])
        try:
            xdp = json.loads(r.out)[0].get("xdp", {})
        except (ValueError, IndexError):
            return None
        for a in xdp.get("attached", [xdp]):
            if a.get("mode") == 1 and "prog" in a:
                return a["prog"].get("id")
        return None

    def find_maps(self):
        """{map name: id} of the attached program."""
        pid = self.prog_id()
        if pid is None:
            return {}
        r = run_in(self.ns, ["bpftool", "-j", "prog", "show", "id", str(pid)])
        out = {}
        for mid in json.loads(r.out).get("map_ids", []) if r else []:
            m = run_in(self.ns, ["bpftool", "-j", "map", "show", "id", str(mid)])
            if m:
                out[json.loads(m.out).get("name")] = mid
        return out

    def set(self, key, value):
        """xdp_cfg[key] = value (u32)."""
        kb = " ".join(str(b) for b in struct.pack("<I", key)).split()
        vb = " ".join(str(b) for b in struct.pack("<I", value)).split()
        r = run_in(self.ns, ["bpftool", "map", "update", "id", str(self.maps["xdp_cfg"]),
                             "key"] + kb + ["value"] + vb)
        if not r:
            raise RuntimeError("bpftool map update: %r" % r)

    def entries(self, name):
        """[(key, value)] of the program's map name (u32 keys): a value is
        bytes where bpftool dumps raw bytes, its BTF-formatted JSON value
        where it has the map's BTF."""
        r = run_in(self.ns, ["bpftool", "-j", "map", "dump", "id", str(self.maps[name])])
        out = []
        for e in json.loads(r.out) if r else []:
            if "key" in e and isinstance(e["key"], list):
                out.append((int.from_bytes(bytes(int(x, 16) for x in e["key"]), "little"),
                            bytes(int(x, 16) for x in e["value"])))
            else:
                f = e.get("formatted", e)
                out.append((f["key"], f["value"]))
        return out

    def counts(self, name="xdp_cnt", n=2):
        """The first n u64 entries of the program's array map name: by
        default [xdp_cnt[CNT_MATCH], xdp_cnt[CNT_OTHER]]."""
        out = [0] * n
        for k, v in self.entries(name):
            if k < len(out):
                out[k] = int.from_bytes(v, "little") if isinstance(v, bytes) else v
        return out


def addr_cfg(addr):
    """An IPv4 address as the program's u32 in network order (Prog.set
    stores it little-endian)."""
    return int.from_bytes(socket.inet_aton(addr), "little")


def xdp_counters(port):
    """{name: sum over queues} of the driver's XDP counters (ethtool -S)."""
    st = port.ethtool_stats()
    out = {}
    for name in ("xdp_drop", "xdp_tx", "xdp_redirect", "xdp_errors", "xdp_xmit",
                 "xdp_xmit_errors"):
        out[name] = sum(v for k, v in st.items()
                        if k.endswith("_" + name) and k[:2] in ("rx", "tx")
                        and k[2:].split("_", 1)[0].isdigit()
                        and k.split("_", 1)[1] == name)
    return out


def delta(after, before):
    return {k: after[k] - before.get(k, 0) for k in after}


def payload(i, size=64):
    """The i-th datagram of a flow: distinct, checkable bytes."""
    head = b"fpgaeth-xdp %08d " % i
    return (head + bytes((i + j) & 0xff for j in range(size)))[:size]


def payload_set(first, n, size=lambda i: 64):
    """The payloads of datagrams first..first+n-1 as send_udp() sends them."""
    return {payload(i, size(i)) for i in range(first, first + n)}


def send_udp(ns, src, dst, n, first=0, port=FLOW_PORT, wait=None, batch=16,
             size=lambda i: 64):
    """Send datagrams first..first+n-1 from src to dst:port in namespace ns
    (payload(i, size(i))), batch at a time; after each batch wait(sent so
    far) must become true (a condition, e.g. the program counted them):
    False if it did not."""
    s = net.ns_socket(ns, socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((src, 0))
        for b0 in range(0, n, batch):
            for i in range(b0, min(n, b0 + batch)):
                s.sendto(payload(first + i, size(first + i)), (dst, port))
            if wait is not None:
                ok, _ = net.wait_for(lambda: wait(min(n, b0 + batch)), 20, 0.05)
                if not ok:
                    return False
    finally:
        s.close()
    return True


def ifindex(name):
    with open("/sys/class/net/%s/ifindex" % name) as f:
        return int(f.read())


def make_veth(names, mtu=None, ns=None):
    """A veth pair in namespace ns (None: the init namespace), both ends up
    (at mtu if given): True if made."""
    extra = ["mtu", str(mtu)] if mtu else []
    r = net.ip_batch([["link", "add", names[0]] + extra + ["type", "veth", "peer", "name",
                                                           names[1]] + extra,
                      ["link", "set", "dev", names[0], "up"],
                      ["link", "set", "dev", names[1], "up"]], ns=ns)
    if not r:
        fe.KTAP.diag("veth: %r" % r)
    return bool(r)


def ip_csum(data):
    """The Internet checksum of data (an even number of bytes): an IPv4
    header's, its checksum field 0."""
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff


def udp_frame(dst_mac, src_mac, src, dst, port, data):
    """An Ethernet frame of an IPv4 UDP datagram (UDP checksum 0)."""
    udp = struct.pack("!HHHH", 40000, port, 8 + len(data), 0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", ip_csum(ip)) + ip[12:]
    return net.mac_bytes(dst_mac) + net.mac_bytes(src_mac) + b"\x08\x00" + ip + udp


class Capture:
    """An AF_PACKET socket on an interface (in namespace ns) that keeps the
    incoming IPv4 UDP frames to a port."""

    def __init__(self, ifname, ns=None, port=FLOW_PORT):
        self.port = port
        self.s = net.ns_socket(ns, socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
        self.s.bind((ifname, 0))
        self.s.setblocking(False)
        self.frames = []

    def poll(self):
        while select.select([self.s], [], [], 0)[0]:
            data, addr = self.s.recvfrom(65536)
            if addr[2] == PACKET_OUTGOING or len(data) < 42:
                continue
            if struct.unpack_from("!H", data, 12)[0] != ETH_P_IP or data[23] != 17:
                continue
            ihl = (data[14] & 0xf) * 4
            if struct.unpack_from("!H", data, 14 + ihl + 2)[0] == self.port:
                self.frames.append(data)
        return len(self.frames)

    def wait(self, n, timeout=20):
        ok, _ = net.wait_for(lambda: self.poll() >= n, timeout, 0.05)
        return ok

    def payloads(self):
        out = []
        for f in self.frames:
            ihl = (f[14] & 0xf) * 4
            ulen = struct.unpack_from("!H", f, 14 + ihl + 4)[0]
            out.append(f[14 + ihl + 8:14 + ihl + ulen])
        return out

    def close(self):
        self.s.close()


def check_frames(bench, name, cap, want, macs=None, ok=True, why=""):
    """One check: cap receives one frame per payload of the set want, every
    payload intact and, if macs (dst, src) is given, every frame with those
    addresses; ok and why add the caller's own condition and its reason."""
    got = cap.wait(len(want))
    frames = cap.frames
    macs_ok = macs is None or all(
        f[0:6] == net.mac_bytes(macs[0]) and f[6:12] == net.mac_bytes(macs[1]) for f in frames)
    pl = set(cap.payloads())
    return bench.check(
        "%s: %d of %d frames received, payloads intact%s" % (
            name, len(frames), len(want), ", addresses right" if macs else ""),
        ok and got and len(frames) == len(want) and macs_ok and pl == want,
        "%scaptured %d, macs ok %s, %d of %d intact, lengths %s" % (
            why, len(frames), macs_ok, len(want & pl), len(want),
            sorted(len(f) for f in frames)[:8]))


def veth_sink(names, obj=OBJ, sec="xdp", ns=None):
    """The veth pair names (in namespace ns) as a redirect target: names[1]
    gets the counting program (obj, sec), passing every frame (a veth end
    takes redirected frames only with an XDP program or GRO), and a capture
    of the marked flow: (program, capture)."""
    vprog = Prog(names[1], ns)
    r = vprog.attach(obj=obj, sec=sec)
    if not r:
        fe.KTAP.diag("veth program: %r" % r)
    vprog.set(CFG_ACTION, XDP_PASS)
    return vprog, Capture(names[1], ns)


def send_veth(name, frames, cap, batch, ns=None):
    """Send frames into the veth end name (in namespace ns), batch by batch,
    each batch once cap has received the previous ones (or 10 s have
    passed)."""
    port = type("VethPort", (), {"ifname": name, "ns": ns})
    for i in range(0, len(frames), batch):
        net.send_raw(port, frames[i:i + batch])
        cap.wait(min(len(frames), i + batch), timeout=10)


class Listener:
    """A UDP socket bound to addr:port in namespace ns: what the stack
    delivers of the flow."""

    def __init__(self, ns, addr, port=FLOW_PORT):
        self.s = net.ns_socket(ns, socket.AF_INET, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
        self.s.bind((addr, port))
        self.s.setblocking(False)
        self.got = []

    def poll(self):
        while select.select([self.s], [], [], 0)[0]:
            self.got.append(self.s.recv(65536))
        return len(self.got)

    def close(self):
        self.s.close()


def trace_exceptions():
    """Number of xdp:xdp_exception events in the trace buffer (tracing must
    have been enabled by enable_exception_trace())."""
    with open("/sys/kernel/tracing/trace") as f:
        return sum("xdp_exception:" in ln for ln in f)


def enable_exception_trace(on=True):
    base = "/sys/kernel/tracing"
    if not os.path.isdir(base + "/events"):
        fe.sh(["mount", "-t", "tracefs", "tracefs", base], check=False)
    with open(base + "/events/xdp/xdp_exception/enable", "w") as f:
        f.write("1" if on else "0")
    with open(base + "/trace", "w") as f:
        f.write("")


def now():
    return time.monotonic()
