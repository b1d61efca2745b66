#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""AF_XDP on fpgaeth: an AF_XDP socket on RX queue 0 of fe1's interface
(namespace "peer") receives frames from fe0 and sends frames back, in
zero-copy mode (XDP_ZEROCOPY: the device DMAs into and out of the UMEM),
then in copy mode (XDP_COPY), checked byte for byte both ways.

The XDP program selftests/bpf/fpgaeth_xsk_redirect.c, attached natively to
fe1's interface, redirects the marked flow (EtherType 0x88b5, which the
IP does not hash: RX queue 0) to the socket of the receiving queue (its
XSKMAP) and passes everything else. The socket's end is the arm64
program selftests/bpf/user/fpgaeth_xsk.c on libxdp's AF_XDP API and
libbpf (Debian 12's, linked statically by make bpf): it creates the UMEM
and the socket (xsk_umem__create, xsk_socket__create: the bind, with
XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD), puts its socket into the map
(xsk_socket__update_xskmap), says "ready", receives N frames, checks each,
then sends N in batches of 32 and waits for their completions.

Per mode:
- the socket binds with the mode's flag (its XDP_OPTIONS say zero-copy
  in zc mode only) and enters the XSKMAP; the interface's program is
  still the test's (libxdp loaded none);
- RX: fe0 sends N frames of lengths 60..1514 (AF_PACKET): the socket got
  each exactly once, every byte as sent, and the socket's XDP_OPTIONS
  say zero-copy in zc mode only; the program redirected exactly N;
- TX: fe0 receives the socket's N frames, every byte as built, each once;
  all N completed;
- the stack's traffic meanwhile: a ping fe0 -> fe1 during the exchange
  has every reply; UDP flows fe0 -> fe1 that fe1's RSS puts on each of
  its other RX queues (1 to 3, by its key and table: net.rss_ports), and
  as many fe1 -> fe0 (the stack's hash spreads them over the TX queues),
  run from before the socket binds to after the exchange: every other
  queue's rx<q>_packets and tx<q>_packets rose while the socket ran on
  queue 0 (read when it is ready and when it has finished);
- zero-copy only: frames of another type on queue 0, which the program
  passes, reach fe1's stack intact (copied out of the UMEM into skbs);
  tx0_xsk_xmit counted the N frames (they went through
  the driver's zero-copy TX path, not the stack's); binding and closing
  the socket restarted queue pair 0 alone: no whole-IP reset, no carrier
  change; after the close, fe1's queue 0 is back on its page pool: the
  marked frames reach the stack again (an AF_PACKET socket on fe1 gets
  them intact); the UMEM's DMA mapping (the guest bounces every mapping
  through swiotlb: its slots in use) was taken at bind and given back at
  the close;
then, program detached: no page pool keeps pages in flight, no splat.
"""
import os
import select
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import fpgaeth as fe  # noqa: E402
import fpgaeth_net as net  # noqa: E402
import fpgaeth_xdp as x  # noqa: E402

MODES = ("zc", "copy")
PLAN = 1 + 7 * len(MODES) + 3 + 5
ETH_P_OTHER = 0x88b6    # not marked, not hashed either: queue 0, passed
# the guest boots with swiotlb=...,force: every DMA mapping takes bounce
# slots (2 KiB each), the UMEM's too (zero-copy)
SWIOTLB_USED = "/sys/kernel/debug/swiotlb/io_tlb_used"
SLOT = 2048
UMEM_SLOTS = 4096 * 2048 // SLOT        # fpgaeth_xsk.c's UMEM: 8 MiB
SLOTS_SLACK = 64                        # transient mappings (a ping, ...)
# at bind the other queues' traffic moves the page pools' count between the
# two reads swiotlb_used() makes (127 slots short seen once, in a CI run
# with a place and route beside it): the UMEM's 4096 slots, less this
BIND_SLACK = 512
N = 256
QUEUE = 0
# the other queues' UDP flows (fpgaeth_queue_restart.py's numbers)
FLOWS_PER_QUEUE = 8
UDP_BASE = 41000
UDP_PERIOD = 0.02
ETH_P_MARKED = 0x88b5
SALT_RX, SALT_TX = 0x00, 0x5a
BUILD = os.path.join(x.REPO, "selftests", "bpf", "build")
OBJ = os.path.join(BUILD, "fpgaeth_xsk_redirect.o")
BIN = os.path.join(BUILD, "fpgaeth_xsk")
CNT_MATCH, CNT_REDIRECT, CNT_OTHER = range(3)


def frame_len(seq):
    return 60 + (seq * 97) % (1514 - 60 + 1)


def frame(seq, dst, src, salt, etype=ETH_P_MARKED):
    """Test frame seq (the layout of fpgaeth_xsk.c)."""
    head = net.mac_bytes(dst) + net.mac_bytes(src) + etype.to_bytes(2, "big")
    head += seq.to_bytes(4, "big")
    return head + bytes((seq * 31 + i * 7 + salt) & 0xff
                        for i in range(len(head), frame_len(seq)))


class RawCapture:
    """The marked frames arriving on an interface (AF_PACKET)."""

    def __init__(self, port, etype=ETH_P_MARKED):
        self.port = port
        self.s = net.ns_socket(port.ns, socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(etype))
        self.s.setsockopt(socket.SOL_SOCKET, x.SO_RCVBUFFORCE, x.RCVBUF)
        self.s.bind((port.ifname, etype))
        self.s.setblocking(False)
        self.frames = []

    def poll(self):
        while select.select([self.s], [], [], 0)[0]:
            data, addr = self.s.recvfrom(65536)
            if addr[2] != x.PACKET_OUTGOING:
                self.frames.append(data)
        return len(self.frames)

    def close(self):
        self.s.close()


def parse_result(out):
    for ln in out.splitlines():
        if ln.startswith("result "):
            return {k: int(v) for k, v in (f.split("=") for f in ln.split()[1:])}
    return None


def check_tx(bench, mode, cap, a, b):
    """fe0 got each of the socket's N frames once, intact."""
    net.wait_for(lambda: cap.poll() >= N, 20, 0.05)
    want = {frame(s, a.mac, b.mac, SALT_TX) for s in range(N)}
    got = cap.frames
    bad = [f for f in got if f not in want]
    bench.check("%s: TX: fe0 received %d of %d frames, each once, intact" % (mode, len(got), N),
                len(got) == N and not bad and len(set(got)) == N,
                "%d received, %d distinct, %d not as sent%s" % (
                    len(got), len(set(got)), len(bad),
                    " (first: %s)" % bad[0][:24].hex() if bad else ""))


def link_state(port):
    """(whole-IP resets, carrier changes) of a port."""
    st = port.ethtool_stats()
    return st.get("resets"), port.stats64()["tx"].get("carrier_changes")


def swiotlb_used():
    """Bounce slots in use less those of the page pools' pages (each page
    a pool holds, posted, cached or in flight, stays mapped): the other
    mappings, the UMEM's among them; None if unknown."""
    try:
        with open(SWIOTLB_USED) as f:
            used = int(f.read())
        pages = sum(p.get("inflight", 0) for ns in (None, net.NS)
                    for p in net.page_pools(ns))
    except (OSError, ValueError) as e:
        fe.KTAP.diag("swiotlb: %s" % e)
        return None
    return used - pages * (os.sysconf("SC_PAGE_SIZE") // SLOT)


def check_zc_pass(bench):
    """XDP_PASS on the zero-copy queue: frames the program does not
    redirect are copied out of the UMEM into skbs."""
    a, b = bench.a, bench.b
    cap = RawCapture(b, ETH_P_OTHER)
    try:
        want = [frame(s, b.mac, a.mac, SALT_RX, ETH_P_OTHER) for s in range(16)]
        net.send_raw(a, want)
        net.wait_for(lambda: cap.poll() >= 16, 20, 0.05)
        bench.check("zc: XDP_PASS on the zero-copy queue: 16 frames of another type reach "
                    "fe1's stack intact", sorted(cap.frames) == sorted(want),
                    "%d received, %d intact" % (len(cap.frames),
                                                len(set(want) & set(cap.frames))))
    finally:
        cap.close()


def check_zc(bench, before):
    """The zero-copy extras: the driver's XSK TX counter, queue pair 0
    restarted alone, queue 0 back on the page pool after the close."""
    a, b = bench.a, bench.b
    st = b.ethtool_stats()
    xmit = st.get("tx%d_xsk_xmit" % QUEUE, 0) - before["xsk_xmit"]
    bench.check("zc: tx%d_xsk_xmit counted %d" % (QUEUE, N), xmit == N,
                "tx%d_xsk_xmit +%d" % (QUEUE, xmit))
    after = link_state(b)
    bench.check("zc: pool attach and detach restarted queue pair %d alone (resets, carrier "
                "changes %s -> %s)" % (QUEUE, before["link"], after),
                after == before["link"] and after[0] is not None)
    # the UMEM's mapping: taken at bind, released at close
    t0, t1 = before["swiotlb"], before.get("swiotlb_bound")
    ok, _ = net.wait_for(lambda: t0 is not None and
                         abs((swiotlb_used() or 0) - t0) <= SLOTS_SLACK, 10, 0.2)
    t2 = swiotlb_used()
    bench.check("zc: the UMEM's DMA mapping (%d bounce slots) taken at bind, released at "
                "close: %s before, %s bound, %s after (page pools' pages not counted)" % (
                    UMEM_SLOTS, t0, t1, t2),
                ok and t1 is not None and t1 - t0 >= UMEM_SLOTS - BIND_SLACK,
                "%s missing" % SWIOTLB_USED if t0 is None else "")
    # the socket is closed: queue 0 receives into its page pool again and
    # the program passes the marked frames (no socket in the map)
    cap = RawCapture(b)
    try:
        net.send_raw(a, [frame(s, b.mac, a.mac, SALT_RX) for s in range(32)])
        net.wait_for(lambda: cap.poll() >= 32, 20, 0.05)
        want = {frame(s, b.mac, a.mac, SALT_RX) for s in range(32)}
        bench.check("zc: after the close, 32 marked frames reach fe1's stack intact",
                    set(cap.frames) == want and len(cap.frames) == 32,
                    "%d received, %d intact" % (len(cap.frames), len(want & set(cap.frames))))
    finally:
        cap.close()


def blocked_tasks(p):
    """Diagnostics of a program that did not get ready: its kernel stack
    and the blocked tasks (sysrq w) in the kernel log."""
    try:
        with open("/proc/%d/stack" % p.proc.pid) as f:
            fe.KTAP.diag("program stack: " + " | ".join(f.read().split("\n")[:12]))
    except OSError as e:
        fe.KTAP.diag("program stack: %s" % e)
    mark = net.dmesg_mark()
    try:
        with open("/proc/sysrq-trigger", "w") as f:
            f.write("w")
    except OSError:
        return
    for ln in net.dmesg_since(mark)[:60]:
        fe.KTAP.diag("sysrq: " + ln)


def other_queues_traffic(bench):
    """UDP flows fe0 -> fe1 on each of fe1's RX queues but QUEUE (its RSS
    key and table), as many fe1 -> fe0: (the queues, their senders)."""
    a, b = bench.a, bench.b
    nq = b.num_queues()[0]
    others = [q for q in range(nq) if q != QUEUE]
    ports = net.rss_ports(b, a.addr4, b.addr4, FLOWS_PER_QUEUE, UDP_BASE, nq)
    # rss_ports lists FLOWS_PER_QUEUE ports queue by queue: keep the others'
    byq = [ports[i:i + FLOWS_PER_QUEUE] for i in range(0, len(ports), FLOWS_PER_QUEUE)]
    mine = [p for q, pq in enumerate(byq) if q != QUEUE for p in pq]
    back = [net.flow_port(UDP_BASE + 7, i) for i in range(len(mine) or 1)]
    return others, [bench.udp_sender(a, b, mine, "fpgaeth-xsk-other " * 8, UDP_PERIOD),
                    bench.udp_sender(b, a, back, "fpgaeth-xsk-back " * 8, UDP_PERIOD)]


def queue_snap(b):
    return b.queue_counters("rx"), b.queue_counters("tx")


def check_other_queues(bench, mode, others, s0, s1):
    """Every queue in others received and sent between snapshots s0, s1."""
    still = ["rx%d" % q for q in others if s1[0][q] <= s0[0][q]]
    still += ["tx%d" % q for q in others if s1[1][q] <= s0[1][q]]
    bench.check("%s: the stack's UDP flows on fe1's queues %s moved both ways while the "
                "socket ran on queue %d" % (mode, others, QUEUE), others and not still,
                "no packets on %s: rx %s -> %s, tx %s -> %s" % (
                    still or "(no other queue)", s0[0], s1[0], s0[1], s1[1]))
    fe.KTAP.diag("%s: fe1 rx per queue +%s, tx +%s" % (
        mode, [c - c0 for c, c0 in zip(s1[0], s0[0])],
        [c - c0 for c, c0 in zip(s1[1], s0[1])]))


def run_mode(bench, prog, mode):
    a, b = bench.a, bench.b
    before = {"xsk_xmit": b.ethtool_stats().get("tx%d_xsk_xmit" % QUEUE, 0),
              "link": link_state(b), "swiotlb": swiotlb_used()}
    cap = RawCapture(a)
    base = prog.counts("xsk_cnt", 3)
    prog_id = prog.prog_id()
    others, senders = other_queues_traffic(bench)
    p = bench.background([BIN, b.ifname, QUEUE, mode, prog.maps["xsks"], N, N, b.mac, a.mac],
                         ns=b.ns, name="xsk-" + mode)
    try:
        _, secs = net.wait_for(lambda: "ready" in p.output() or not p.running(), 120, 0.1)
        ready = "ready" in p.output()
        fe.KTAP.diag("%s: program %s after %.1f s" % (mode, "ready" if ready else "not ready",
                                                     secs))
        if not ready:
            blocked_tasks(p)
        now_id = prog.prog_id() if ready else None
        # "ready zc=Z": the socket's XDP_OPTIONS right after the bind
        said = "ready zc=%d" % (mode == "zc")
        bench.check("%s: socket bound to queue %d (XDP_%s: \"%s\") and in the XSKMAP, fe1's "
                    "XDP program still the test's (id %s, now %s)" % (
                        mode, QUEUE, "ZEROCOPY" if mode == "zc" else "COPY", said, prog_id,
                        now_id),
                    said in p.output() and now_id == prog_id, p.output()[-300:])
        if not ready:
            for _ in range(6 + (5 if mode == "zc" else 0)):
                bench.t.fail("%s: not run" % mode, "no socket")
            return
        before["swiotlb_bound"] = swiotlb_used()
        s0 = queue_snap(b)
        if mode == "zc":
            check_zc_pass(bench)
        ping = bench.background(net.Port.ping_argv(b.addr4, count=10, interval=0.2),
                                ns=a.ns, name="ping-" + mode)
        net.send_raw(a, [frame(s, b.mac, a.mac, SALT_RX) for s in range(N)])
        rc = p.wait(240)
        check_other_queues(bench, mode, others, s0, queue_snap(b))
        res = parse_result(p.output()) or {}
        fe.KTAP.diag("%s: exit %s, %s" % (mode, rc, p.output().strip()[-400:]))
        bench.check("%s: RX: the socket (zero-copy: %s) got each of %d frames once, intact" % (
            mode, "yes" if mode == "zc" else "no", N),
            res.get("rx_got") == N and not res.get("rx_bad") and not res.get("rx_dup")
            and res.get("zc") == (mode == "zc"), "result %s" % res)
        d = [c - c0 for c, c0 in zip(prog.counts("xsk_cnt", 3), base)]
        bench.check("%s: the program redirected %d marked frames" % (mode, N),
                    d[CNT_MATCH] == N and d[CNT_REDIRECT] == N, "counter deltas %s" % d)
        check_tx(bench, mode, cap, a, b)
        bench.check("%s: TX: %d completions, no invalid descriptor" % (mode, N),
                    res.get("tx_completed") == N and not res.get("tx_invalid")
                    and rc == 0, "exit %s, result %s" % (rc, res))
        prc = ping.wait(30)
        bench.check("%s: a ping fe0 -> fe1 meanwhile had every reply" % mode, prc == 0,
                    "ping exit %s: %s" % (prc, ping.output().strip()[-200:]))
    finally:
        p.kill()
        p.wait(10)
        for s in senders:
            s.kill()
        cap.close()
    if mode == "zc":
        check_zc(bench, before)


def body(bench):
    b = bench.b
    prog = x.Prog(b.ifname, b.ns)
    r = prog.attach(obj=OBJ)
    bench.check("XDP program attached to fe1 natively, XSKMAP found",
                bool(r) and "xsks" in prog.maps, "%r, maps %s" % (r, prog.maps))
    if not r or "xsks" not in prog.maps:
        bench.fail_rest("no program")
        return
    for mode in MODES:
        run_mode(bench, prog, mode)
    bench.check("detach", bool(prog.detach()))
    bench.check_pools_drained()
    bench.check_dmesg()


if __name__ == "__main__":
    net.main(PLAN, body)
