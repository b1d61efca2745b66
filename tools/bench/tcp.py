#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One bulk TCP stream with the guest's instruction count (the bench's TCP).

    tcp.py server PORT              accept one connection, read to EOF, ack
    tcp.py client HOST PORT BYTES   send BYTES, wait for the ack; prints
                                    "bytes seconds instructions"

The client counts the whole system's instructions (the guest has one CPU)
from the connection's first byte to the server's ack, with the PMU's
instructions event opened by perf_event_open for CPU 0: the window holds
the stream and nothing of python's start-up.  Time is CLOCK_MONOTONIC (guest
time).  iperf3 is not used: trixie's 3.18 `-n 4M` took 1.0-1.4 guest
seconds and about 1e9 instructions on fpgaeth and virtio-net alike (33 and
24 Mbit/s; cause not investigated), which would swamp the driver's share.
"""

import ctypes
import os
import socket
import struct
import sys
import time

NR_PERF_EVENT_OPEN = 241  # arm64 (asm-generic)
CHUNK = 64 * 1024


def instr_counter():
    """fd of a counting PERF_COUNT_HW_INSTRUCTIONS event on CPU 0, all tasks."""
    libc = ctypes.CDLL(None, use_errno=True)
    attr = bytearray(64)  # PERF_ATTR_SIZE_VER0
    struct.pack_into("IIQ", attr, 0, 0, 64, 1)  # HARDWARE, size, INSTRUCTIONS
    buf = ctypes.create_string_buffer(bytes(attr), 64)
    fd = libc.syscall(NR_PERF_EVENT_OPEN, buf, -1, 0, -1, 0)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "perf_event_open")
    return fd


def read_counter(fd):
    return struct.unpack("Q", os.read(fd, 8))[0]


def server(port):
    ls = socket.socket(socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("", port))
    ls.listen(1)
    c, _ = ls.accept()
    buf = bytearray(256 * 1024)
    n = 0
    while True:
        r = c.recv_into(buf)
        if not r:
            break
        n += r
    c.sendall(b"k")
    c.close()
    print(n)


def client(host, port, nbytes):
    fd = instr_counter()
    for _ in range(200):
        try:
            s = socket.create_connection((host, port))
            break
        except ConnectionRefusedError:
            time.sleep(0.05)
    else:
        sys.exit("tcp.py: no server at %s:%d" % (host, port))
    data = b"\0" * CHUNK
    left = nbytes
    c0 = read_counter(fd)
    t0 = time.monotonic_ns()
    while left > 0:
        left -= s.send(data[:min(left, CHUNK)])
    s.shutdown(socket.SHUT_WR)
    if s.recv(1) != b"k":
        sys.exit("tcp.py: no ack from the server")
    t1 = time.monotonic_ns()
    c1 = read_counter(fd)
    print(nbytes, (t1 - t0) / 1e9, c1 - c0)


def main(argv):
    if len(argv) == 3 and argv[1] == "server":
        server(int(argv[2]))
    elif len(argv) == 5 and argv[1] == "client":
        client(argv[2], int(argv[3]), int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
