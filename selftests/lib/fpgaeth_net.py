# SPDX-License-Identifier: GPL-2.0
"""The two-port bench of the datapath selftests (selftests/fpgaeth_net_*.py).

The guest has two fpgaeth instances cabled back to back on one QEMU hub
(tools/vm/run's FPGAETH_DEVICES, default fe0 = 52:54:00:fe:00:01 and
fe1 = 52:54:00:fe:00:02). The driver names its interfaces fpgaeth<N> in probe
order, which is not tied to fe0/fe1, so every interface is mapped to its
model instance by the MAC address of its device tree node.

  bench = Bench(t)          # t: a fpgaeth.KTAP
  if not bench.setup():     # load the driver, map the ports, namespace "peer",
      bench.fail_rest(...)  # addresses, carrier, ARP/ND settled
  a, b = bench.a, bench.b   # Port of fe0 (init namespace), of fe1 ("peer")
  ...
  bench.teardown()          # back to the state the next test file expects

or, for a test file whose cases all need the bench, main(PLAN, body) does
the above around body(bench) and finishes the KTAP output.

Set-up: fe1's interface moves to the network namespace "peer"; fe0's gets
10.0.0.1/24 and fd00::1/64, fe1's 10.0.0.2/24 and fd00::2/64 (nodad); both
are set up, then both carriers must be on and a ping from fe0 to each of
fe1's addresses must be answered within a few tries (ARP and ND resolution,
which also teaches fe1 fe0's addresses).

Tear-down: background processes killed, faults cleared and the backends'
links set up again (over QMP), then the driver is reloaded (rmmod, insmod),
so that the next test file finds freshly probed devices (registers at their
reset values, as fpgaeth_regs_reset.py expects; no addresses, MTU 1500,
default offloads), and the namespace deleted. If rmmod fails, the namespace
is deleted (which returns fe1's interface), and both interfaces are set
down, without addresses, MTU 1500, scatter-gather on.

Also: the page pools of the interfaces over the netdev generic netlink family
(page_pools(), to find pools that stay alive with pages in flight after
their interface went away: the kernel only warns about those after 60 s),
and kernel log marks and splat checks.
"""

import ctypes
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fpgaeth as fe  # noqa: E402

NS = "peer"
V4 = ("10.0.0.1", "10.0.0.2")
V6 = ("fd00::1", "fd00::2")
DEFAULT_DEVICES = "fe0=52:54:00:fe:00:01 fe1=52:54:00:fe:00:02"
KTAP_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ktap.sh")

# How long the bench waits for things the protocols or phylib need time for
CARRIER_TIMEOUT = 10        # phylib polls the PHY once a second
SETTLE_TRIES = 10           # pings of 1 s each for ARP/ND to resolve
NETNS_RETURN_TIMEOUT = 15   # the namespace is dismantled by a workqueue
# run()'s limits are guest seconds times this.  rtl/cosim/run sets it: under
# -icount sleep=off the guest's clock jumps from timer to timer while a
# command waits on the host (its binary paged in over 9p), hundreds of guest
# seconds per host second, so a 30 s limit expired on an `ip -batch` that
# took a few host seconds (rtl/cosim/README.md, State)
CMD_TIME_SCALE = float(os.environ.get("FPGAETH_CMD_TIME_SCALE") or 1)


# ------------------------------------------------------------- processes

class Result:
    """Outcome of run(): rc (124 on timeout), out (stdout and stderr)."""

    def __init__(self, argv, rc, out):
        self.argv, self.rc, self.out = argv, rc, out

    def __bool__(self):
        return self.rc == 0

    def __repr__(self):
        return "%s: rc %d%s" % (" ".join(self.argv), self.rc,
                                ": " + self.out.strip()[-300:] if self.out.strip() else "")


def run(argv, ns=None, timeout=30, input=None):
    """Run argv (in network namespace ns), with a bound on its time (timeout
    times CMD_TIME_SCALE); input: text for its stdin."""
    argv = [str(a) for a in argv]
    if ns:
        argv = ["ip", "netns", "exec", ns] + argv
    if timeout:
        timeout *= CMD_TIME_SCALE
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           input=input, stdin=None if input is not None else subprocess.DEVNULL,
                           universal_newlines=True, timeout=timeout)
        return Result(argv, p.returncode, p.stdout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        return Result(argv, 124, out + "\n(timed out after %s s)" % timeout)
    except OSError as e:
        return Result(argv, 127, str(e))


def ip_batch(cmds, ns=None, timeout=30):
    """Several ip commands (argument lists without "ip") in one process."""
    text = "".join(" ".join(str(a) for a in c) + "\n" for c in cmds)
    return run(["ip"] + (["-n", ns] if ns else []) + ["-batch", "-"], timeout=timeout,
               input=text)


class Background:
    """A process running while the test does something else; its output
    goes to a file under /tmp. kill() ends its whole process group."""

    def __init__(self, argv, ns=None, name="bg"):
        argv = [str(a) for a in argv]
        if ns:
            argv = ["ip", "netns", "exec", ns] + argv
        self.argv = argv
        self.path = "/tmp/fpgaeth-net-%s-%d-%d.out" % (name, os.getpid(), id(self))
        self.out_f = open(self.path, "w+")
        self.proc = subprocess.Popen(argv, stdout=self.out_f, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def running(self):
        return self.proc.poll() is None

    def wait(self, timeout):
        """Exit status, or None if still running after timeout seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def send_signal(self, sig):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self, sig=signal.SIGTERM, grace=3):
        """Stop it (sig, then SIGKILL after grace seconds); its exit status."""
        if self.running():
            self.send_signal(sig)
            if self.wait(grace) is None:
                self.send_signal(signal.SIGKILL)
                self.wait(5)
        return self.proc.returncode

    def output(self):
        self.out_f.flush()
        with open(self.path) as f:
            return f.read()

    def close(self):
        self.kill()
        self.out_f.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


SWIOTLB_SLOT = 2048         # IO_TLB_SIZE: the bytes of a swiotlb slot


def forced_swiotlb_slots():
    """The slots of the guest's forced swiotlb (tools/vm/run boots with
    swiotlb=16384,force: every streaming mapping bounces), or None."""
    try:
        with open("/proc/cmdline") as f:
            m = re.search(r"\bswiotlb=(\d+),force\b", f.read())
    except OSError:
        m = None
    return int(m.group(1)) if m else None


def swiotlb_slots_per_page():
    return max(os.sysconf("SC_PAGE_SIZE") // SWIOTLB_SLOT, 1)


def wait_for(cond, timeout, interval=0.1):
    """Poll cond() until it is true or timeout seconds passed: (ok, seconds)."""
    start = time.monotonic()
    while True:
        if cond():
            return True, time.monotonic() - start
        if time.monotonic() - start >= timeout:
            return False, time.monotonic() - start
        time.sleep(interval)


def reg_becomes(port, name, mask, value, timeout):
    """Wait until port's register name & mask == value (phylink applies a
    link change from its workqueue): the last value read."""
    last = [None]

    def match():
        last[0] = port.regs().get(name, 0)
        return last[0] & mask == value
    wait_for(match, timeout, 0.3)
    return last[0]


# --------------------------------------------------------------- the bench

def _read(path, mode="r"):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError:
        return None


def fpgaeth_interfaces():
    """{mac of the DT node: (interface, platform device)} of the fpgaeth
    interfaces visible in this network namespace."""
    out = {}
    for name in sorted(os.listdir("/sys/class/net")):
        dev = "/sys/class/net/%s/device" % name
        drv = os.path.realpath(dev + "/driver")
        if os.path.basename(drv) != "fpgaeth":
            continue
        mac = _read(dev + "/of_node/local-mac-address", "rb")
        if mac and len(mac) == 6:
            mac = ":".join("%02x" % b for b in mac)
        else:       # no DT MAC: the driver used a random one
            mac = (_read("/sys/class/net/%s/address" % name) or "").strip()
        out[mac] = (name, os.path.basename(os.path.realpath(dev)))
    return out


class Port:
    """One end of the cable: a model instance and its interface."""

    def __init__(self, qom_id, mac, addr4, addr6):
        self.id = qom_id            # fe0
        self.mac = mac
        self.addr4, self.addr6 = addr4, addr6
        self.ifname = None          # fpgaeth<N>
        self.pdev = None            # c000000.ethernet
        self.ns = None              # None: the init namespace
        self.sg_changed = False     # set_sg() turned it off: teardown turns it on

    def __repr__(self):
        return "%s (%s%s)" % (self.ifname, self.id, ", netns " + self.ns if self.ns else "")

    @property
    def qom(self):
        return "/machine/peripheral/" + self.id

    @property
    def netdev(self):
        """The QEMU network backend of the instance (tools/vm/run: <id>n)."""
        return self.id + "n"

    def run(self, argv, timeout=30):
        """Run argv in this port's namespace."""
        return run(argv, ns=self.ns, timeout=timeout)

    def ip(self, *args, timeout=15):
        return run(["ip"] + (["-n", self.ns] if self.ns else []) + list(args), timeout=timeout)

    def link(self):
        """`ip -s -s -d -j link show` of the interface (a dict), or None."""
        r = self.ip("-s", "-s", "-d", "-j", "link", "show", "dev", self.ifname)
        try:
            return json.loads(r.out)[0] if r else None
        except (ValueError, IndexError):
            return None

    def carrier(self):
        link = self.link()
        return bool(link) and "LOWER_UP" in link.get("flags", [])

    def stats64(self):
        """{"rx": {...}, "tx": {...}} of `ip -s -j link`."""
        link = self.link()
        return link["stats64"] if link else {"rx": {}, "tx": {}}

    def ethtool_stats(self):
        """{name: value} of `ethtool -S`."""
        out = {}
        r = self.run(["ethtool", "-S", self.ifname])
        for line in r.out.splitlines():
            m = re.match(r"^\s+(\S+): (\d+)$", line)
            if m:
                out[m.group(1)] = int(m.group(2))
        return out

    def queue_counters(self, direction="rx", what="packets", nq=None):
        """[`ethtool -S` <direction><q>_<what> for each queue q] (nq: how
        many; default: every queue pair the counters show)."""
        st = self.ethtool_stats()
        if nq is None:
            nq = len([k for k in st if re.match(r"^%s\d+_%s$" % (direction, what), k)])
        return [st.get("%s%d_%s" % (direction, q, what), 0) for q in range(nq)]

    def num_queues(self):
        """(RX, TX) queues of the interface (sysfs, in its namespace)."""
        r = self.run(["ls", "/sys/class/net/%s/queues" % self.ifname])
        names = r.out.split()
        return (sum(n.startswith("rx-") for n in names),
                sum(n.startswith("tx-") for n in names))

    def qstats_snapshot(self, tries=10):
        """(stats64, netlink qstats device scope, per queue) read while the
        interface's counters did not move (stats64 read before and after
        the dumps), or None if it never went quiet."""
        idx = self.ifindex()
        for _ in range(tries):
            s1 = self.stats64()
            dev = qstats(idx, ns=self.ns)
            per_q = qstats(idx, per_queue=True, ns=self.ns)
            s2 = self.stats64()
            if s1 == s2:
                return s1, dev[0] if dev else {}, per_q
            time.sleep(0.5)
        return None

    def ifindex(self):
        link = self.link()
        return link["ifindex"] if link else None

    def std_stats(self, groups=("eth-mac", "eth-ctrl", "rmon")):
        """The standard statistics groups (`ethtool --json -S --groups`):
        {"eth-mac": {name: value}, ..., "rmon": {..., "rx-pktsNtoM": [{low,
        high, val}...]}}; {} if ethtool failed."""
        r = self.run(["ethtool", "--json", "-S", self.ifname, "--groups"] + list(groups))
        try:
            return json.loads(r.out)[0] if r else {}
        except (ValueError, IndexError):
            return {}

    def pause_stats(self):
        """{tx_pause_frames, rx_pause_frames} of `ethtool -I -a`."""
        r = self.run(["ethtool", "-I", "-a", self.ifname])
        return {m.group(1): int(m.group(2))
                for m in re.finditer(r"^\s+(\w+_pause_frames): (\d+)$", r.out, re.M)}

    def ethtool(self, *args, timeout=60):
        """ethtool ARGS... on this port's interface (the interface name goes
        after the first argument, the option; none: plain `ethtool IF`):
        a Result."""
        args = [str(a) for a in args if str(a)]
        return self.run(["ethtool"] + args[:1] + [self.ifname] + args[1:], timeout=timeout)

    def ethtool_fields(self, opt):
        """`ethtool OPT IF` text as {section: {key: value}}: sections are
        "max" (Pre-set maximums), "cur" (Current hardware settings), or ""
        for outputs without them (-c, -a); values are ints where they parse.
        ethtool 6.1 has no JSON output for -g, -c, -l."""
        r = self.ethtool(opt)
        out, sec = {"": {}}, ""
        for line in r.out.splitlines():
            if line.startswith("Pre-set maximums"):
                sec = "max"
            elif line.startswith("Current hardware settings"):
                sec = "cur"
            m = re.match(r"^([A-Za-z][\w -]*?):\s+(\S+)", line)
            if not m:
                continue
            out.setdefault(sec, {})
            v = m.group(2)
            try:
                v = int(v)
            except ValueError:
                pass
            out[sec][m.group(1)] = v
            # "Adaptive RX: off  TX: off"
            m2 = re.match(r"^Adaptive RX: (\S+)\s+TX: (\S+)", line)
            if m2:
                out[sec]["adaptive-rx"], out[sec]["adaptive-tx"] = m2.groups()
        return out

    def rings(self):
        """{"rx": n, "tx": n, "rx-max": n, "tx-max": n} of ethtool -g."""
        f = self.ethtool_fields("-g")
        return {"rx": f.get("cur", {}).get("RX"), "tx": f.get("cur", {}).get("TX"),
                "rx-max": f.get("max", {}).get("RX"), "tx-max": f.get("max", {}).get("TX")}

    def coalesce(self):
        """{"rx-usecs": n, "rx-frames": n, "tx-usecs": n, "tx-frames": n,
        "adaptive-rx": "on"/"off", "adaptive-tx": ...} of ethtool -c."""
        f = self.ethtool_fields("-c")[""]
        return {k: f.get(k) for k in ("rx-usecs", "rx-frames", "tx-usecs", "tx-frames",
                                      "adaptive-rx", "adaptive-tx")}

    def channels(self):
        """(combined, max combined) of ethtool -l."""
        f = self.ethtool_fields("-l")
        return f.get("cur", {}).get("Combined"), f.get("max", {}).get("Combined")

    def rxfh(self):
        """(indirection table as a list, key as "xx:xx:...", hash functions
        {name: "on"/"off"}) of ethtool -x."""
        r = self.ethtool("-x")
        table, key, funcs, lines = [], None, {}, r.out.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^\s*\d+:((\s+\d+)+)\s*$", line)
            if m:
                table += [int(x) for x in m.group(1).split()]
            elif line.startswith("RSS hash key:") and i + 1 < len(lines):
                key = lines[i + 1].strip()
            m = re.match(r"^\s+(\w+): (on|off)$", line)
            if m:
                funcs[m.group(1)] = m.group(2)
        return table, key, funcs

    def pause(self):
        """{"autoneg": bool, "rx": bool, "tx": bool} of ethtool -a (text:
        ethtool 6.1's --json -a prints true for every attribute present)."""
        f = self.ethtool_fields("-a")[""]
        return {"autoneg": f.get("Autonegotiate") == "on", "rx": f.get("RX") == "on",
                "tx": f.get("TX") == "on"}

    def regs(self):
        """{name: value} of the driver's debugfs register dump."""
        return fe.Device(self.pdev).debugfs_regs()

    def addresses(self):
        """The interface's global addresses, as "addr/prefix"."""
        r = self.ip("-j", "addr", "show", "dev", self.ifname)
        try:
            info = json.loads(r.out)[0]
        except (ValueError, IndexError):
            return []
        return ["%s/%s" % (a["local"], a["prefixlen"]) for a in info.get("addr_info", [])
                if a.get("scope") == "global"]

    @staticmethod
    def ping_argv(dst, count=3, size=None, interval=0.2, wait=2, extra=()):
        argv = ["ping", "-c", count, "-i", interval, "-W", wait]
        if size is not None:
            argv += ["-s", size]
        return argv + list(extra) + [dst]

    def ping(self, dst, count=3, size=None, interval=0.2, wait=2, extra=(), timeout=None):
        """ping from this port: (all replies received, Result)."""
        argv = self.ping_argv(dst, count, size, interval, wait, extra)
        r = self.run(argv, timeout=timeout or count * (interval + wait) + 10)
        m = re.search(r"(\d+) packets transmitted, (\d+) received", r.out)
        ok = bool(r) and bool(m) and m.group(1) == m.group(2) == str(count)
        return ok, r

    def set_mtu(self, mtu):
        return self.ip("link", "set", "dev", self.ifname, "mtu", mtu)

    def set_sg(self, state):
        """Scatter-gather "on" or "off" (ethtool -K), checked with
        ethtool -k: None or an error."""
        if state != "on":
            self.sg_changed = True
        r = self.run(["ethtool", "-K", self.ifname, "sg", state])
        k = self.run(["ethtool", "-k", self.ifname]).out
        if "scatter-gather: %s" % state not in k:
            return "ethtool -K %s sg %s: %r; ethtool -k says %s" % (
                self.ifname, state, r,
                [ln.strip() for ln in k.splitlines() if "scatter-gather:" in ln])
        return None


class Bench:
    """Two ports on one cable: a (fe0, init namespace), b (fe1, "peer")."""

    def __init__(self, t):
        self.t = t
        devs = os.environ.get("FPGAETH_DEVICES") or DEFAULT_DEVICES
        ids = [d.split("=", 1) for d in devs.split()]
        if len(ids) >= 2 and all(len(i) == 2 for i in ids[:2]):
            (ia, ma), (ib, mb) = ids[:2]
            self.a = Port(ia, ma.split(",")[0].lower(), V4[0], V6[0])
            self.b = Port(ib, mb.split(",")[0].lower(), V4[1], V6[1])
        else:
            self.a = self.b = None
        self.bg = []
        self.mark = None
        self.faults = set()         # ports (qom paths) with faults set
        self.links_off = set()      # backends set_link off

    # -- set-up and tear-down

    def map_ports(self):
        """Find both ports' interfaces (in the init namespace): errors."""
        if not self.a:
            return ["FPGAETH_DEVICES=%r does not name two instances"
                    % os.environ.get("FPGAETH_DEVICES")]
        found = fpgaeth_interfaces()
        errs = []
        for p in (self.a, self.b):
            if p.mac in found:
                p.ifname, p.pdev = found[p.mac]
                p.ns = None
            else:
                errs.append("no fpgaeth interface for %s (mac %s); found %s"
                            % (p.id, p.mac, found or "none"))
        return errs

    def setup(self, mtu=None):
        """Bring the bench up; False (with diagnostics printed) on failure."""
        start = time.monotonic()
        self.mark = dmesg_mark()
        try:
            fe.load_driver()
        except subprocess.CalledProcessError as e:
            fe.KTAP.diag("cannot load the driver: %s" % e.output)
            return False
        fe.ensure_debugfs()
        # a previous program killed before its teardown (run_tests.sh's
        # time bound) left the namespace, and its background processes in
        # it, behind: fe1's interface comes back once both are gone
        if self.map_ports() and os.path.exists("/run/netns/" + NS):
            pids = run(["ip", "netns", "pids", NS]).out.split()
            if pids:
                run(["kill", "-9"] + pids)
            run(["ip", "netns", "del", NS])
        # a previous test's namespace may still be on its way back
        wait_for(lambda: not self.map_ports(), NETNS_RETURN_TIMEOUT, 0.2)
        errs = self.map_ports()
        if errs:
            for e in errs:
                fe.KTAP.diag("setup: " + e)
            return False
        a, b = self.a, self.b
        run(["ip", "netns", "del", NS])
        r = ip_batch([["netns", "add", NS], ["link", "set", "dev", b.ifname, "netns", NS]])
        if not r:
            fe.KTAP.diag("setup: %r" % r)
            return False
        b.ns = NS
        for p in (a, b):
            cmds = [["link", "set", "dev", "lo", "up"]] if p.ns else []
            if mtu:
                cmds.append(["link", "set", "dev", p.ifname, "mtu", mtu])
            cmds += [
                ["addr", "add", p.addr4 + "/24", "dev", p.ifname],
                ["addr", "add", p.addr6 + "/64", "dev", p.ifname, "nodad"],
                ["link", "set", "dev", p.ifname, "up"],
            ]
            r = ip_batch(cmds, ns=p.ns)
            if not r:
                fe.KTAP.diag("setup: %r" % r)
                return False
        t_up = time.monotonic()
        ok, secs = wait_for(lambda: a.carrier() and b.carrier(), CARRIER_TIMEOUT, 0.2)
        if not ok:
            fe.KTAP.diag("setup: no carrier after %d s: %s %s, %s %s" % (
                CARRIER_TIMEOUT, a, a.carrier(), b, b.carrier()))
            self.diag()
            return False
        t_carrier = time.monotonic()
        # fe1 learns fe0's addresses from its ARP request and neighbour
        # solicitation: pings from fe0 settle both ways
        unreached = self.settle_all([(a, b.addr4), (a, b.addr6)])
        if unreached:
            fe.KTAP.diag("setup: no ping answered within %d tries: %s" % (
                SETTLE_TRIES, ", ".join("%s -> %s" % sd for sd in unreached)))
            self.diag()
            return False
        now = time.monotonic()
        fe.KTAP.diag("bench: %s=%s %s (%s), %s=%s %s (%s, netns %s); set up in %.1f s "
                     "(carrier %.1f s, ARP/ND %.1f s)" % (
                         a.id, a.ifname, a.mac, a.pdev, b.id, b.ifname, b.mac, b.pdev, NS,
                         now - start, t_carrier - t_up, now - t_carrier))
        return True

    def settle(self, src, dst, tries=SETTLE_TRIES):
        """One ping from src to dst gets through within `tries` pings of 1 s
        (neighbour resolution may take one)."""
        for _ in range(tries):
            ok, _r = src.ping(dst, count=1, wait=1)
            if ok:
                return True
        return False

    def settle_all(self, pairs, tries=SETTLE_TRIES):
        """settle() for [(src port, dst address)...] at once: the pairs
        that got no answer."""
        left = list(pairs)
        for _ in range(tries):
            procs = [(sd, Background(sd[0].ping_argv(sd[1], count=1, wait=1), ns=sd[0].ns,
                                     name="settle")) for sd in left]
            failed = []
            for sd, bg in procs:
                if bg.wait(10) != 0:
                    failed.append(sd)
                bg.close()
            left = failed
            if not left:
                break
        return left

    def teardown(self):
        """Leave the bench as the next test file expects it (see above)."""
        start = time.monotonic()
        for p in self.bg:
            p.close()
        self.bg = []
        for path in list(self.faults):
            try:
                fe.qmp("qom-set", path=path, property="fault", value="clear")
            except Exception as e:  # noqa: BLE001
                fe.KTAP.diag("teardown: clearing faults of %s: %s" % (path, e))
        self.faults.clear()
        for nd in list(self.links_off):
            try:
                fe.qmp("set_link", name=nd, up=True)
            except Exception as e:  # noqa: BLE001
                fe.KTAP.diag("teardown: set_link %s on: %s" % (nd, e))
        self.links_off.clear()
        # A fresh probe leaves the devices as the other test files expect
        # them (registers at their reset values, no address, MTU 1500,
        # default offloads), and returns fe1 from the namespace.
        reloaded = False
        if os.path.isdir("/sys/module/fpgaeth"):
            r = run(["rmmod", "fpgaeth"], timeout=60)
            reloaded = bool(r)
            if not r:
                fe.KTAP.diag("teardown: %r" % r)
        # a pool the driver destroyed drains as the stack frees its pages;
        # one that does not points at a leak (diagnostics only: the
        # mtu and rmmod tests assert it)
        wait_for(lambda: not self.pools_in_flight(), 3, 0.5)
        for p in self.pools_in_flight():
            fe.KTAP.diag("teardown: destroyed page pool still has pages in flight: %s" % p)
        run(["ip", "netns", "del", NS])
        try:
            fe.load_driver()
        except subprocess.CalledProcessError as e:
            fe.KTAP.diag("teardown: cannot load the driver: %s" % e.output)
        # deleting the namespace returns the interface asynchronously
        ok, _ = wait_for(lambda: not self.map_ports(), NETNS_RETURN_TIMEOUT if self.a else 0, 0.2)
        if not ok:
            fe.KTAP.diag("teardown: %s" % "; ".join(self.map_ports()))
        if not reloaded:
            for p in (self.a, self.b):
                if p and p.ifname and p.ns is None:
                    ip_batch([["link", "set", "dev", p.ifname, "down"],
                              ["addr", "flush", "dev", p.ifname],
                              ["link", "set", "dev", p.ifname, "mtu", 1500]])
                    if p.sg_changed:
                        run(["ethtool", "-K", p.ifname, "sg", "on"])
        for p in (self.a, self.b):
            if p:
                p.sg_changed = False
        fe.KTAP.diag("bench: torn down in %.1f s" % (time.monotonic() - start))

    @staticmethod
    def pools_in_flight(namespaces=(None, NS)):
        """Page pools the driver destroyed that still have pages in flight,
        in the init namespace and "peer" (if it exists)."""
        out = []
        for ns in namespaces:
            if ns and not os.path.exists("/run/netns/" + ns):
                continue
            try:
                out += ["%s: %s" % (ns or "init", p) for p in page_pools(ns)
                        if p.get("detach-time") and p.get("inflight")]
            except OSError as e:
                out.append("netlink page-pool-get in %s: %s" % (ns or "init", e))
        return out

    def fail_rest(self, reason):
        """Fail every case still planned (after a failed set-up)."""
        while self.t.plan is not None and self.t.nr < self.t.plan:
            self.t.fail("case %d" % (self.t.nr + 1), reason)

    # -- the model

    def fault(self, port, fault):
        """Inject a fault into port's model instance (cleared at teardown)."""
        self.faults.add(port.qom)
        fe.qmp("qom-set", path=port.qom, property="fault", value=fault)

    def set_link(self, port, up):
        """The QEMU backend link of port (monitor set_link)."""
        if up:
            self.links_off.discard(port.netdev)
        else:
            self.links_off.add(port.netdev)
        fe.qmp("set_link", name=port.netdev, up=bool(up))

    # -- background traffic

    def background(self, argv, ns=None, name="bg"):
        p = Background(argv, ns=ns, name=name)
        self.bg.append(p)
        return p

    def stream_and_floods(self, secs, tcp_port=5201):
        """Traffic both ways for up to secs seconds: an iperf3 TCP stream
        (JSON result) from a to b, ping floods a -> b over IPv4 and b -> a
        over IPv6: (stream, [flood4, flood6]), Background processes."""
        a, b = self.a, self.b
        self.iperf3_server(b, tcp_port)
        stream = self.background(["iperf3", "-c", b.addr4, "-p", tcp_port, "-t", secs, "-J"],
                                 ns=a.ns, name="iperf3-client")
        floods = [self.background(["ping", "-f", "-q", "-W", "1", "-w", secs, b.addr4],
                                  ns=a.ns, name="flood4"),
                  self.background(["ping", "-f", "-q", "-W", "1", "-w", secs, a.addr6],
                                  ns=b.ns, name="flood6")]
        return stream, floods

    def udp_sender(self, src, dst, ports, payload, period):
        """Background UDP traffic from port src's IPv4 address to dst's, in
        src's namespace: a datagram of payload (str) from each source port
        of ports (flow_port(), rss_ports()) every period seconds, to
        FLOW_DPORT, until killed (UDP_SENDER): a Background."""
        return self.background(["python3", "-c", UDP_SENDER, src.addr4, dst.addr4, period,
                                payload, ",".join(str(p) for p in ports)],
                               ns=src.ns, name="udp-%s" % src.id)

    def iperf3_server(self, port, tcp_port=5201, once=True):
        """An iperf3 server on port's address, in its namespace, listening
        when this returns (a Background), or None (diagnostics printed)."""
        server = self.background(["iperf3", "-s"] + (["-1"] if once else []) +
                                 ["-B", port.addr4, "-p", tcp_port], ns=port.ns,
                                 name="iperf3-server")
        if not self.listening(port, tcp_port):
            fe.KTAP.diag("iperf3 server on %s does not listen: %s" % (
                port, server.output()[-200:]))
            return None
        return server

    def check_pools_drained(self, name="no page pool left with pages in flight", timeout=10):
        """t.check that no page pool the driver destroyed keeps pages in
        flight (pools_drained)."""
        left = self.pools_drained(timeout)
        return self.check(name, not left, "%d pools after %d s: %s" % (
            len(left), timeout, "; ".join(left)) if left else "")

    def pools_drained(self, timeout=10):
        """Wait until no page pool the driver destroyed has pages in flight:
        the pools left (printed as diagnostics)."""
        wait_for(lambda: not self.pools_in_flight(), timeout, 0.5)
        left = self.pools_in_flight()
        for p in left:
            fe.KTAP.diag("page pool: " + p)
        return left

    @staticmethod
    def moves(port, direction="rx", nbytes=1 << 20, timeout=60):
        """Wait until port's interface byte counter (stats64) of direction
        moved by nbytes: (ok, bytes moved, seconds). A condition to wait for,
        not a rate: a loaded host only makes it take longer."""
        start = port.stats64().get(direction, {}).get("bytes", 0)
        last = [0]

        def moved():
            last[0] = port.stats64().get(direction, {}).get("bytes", 0) - start
            return last[0] >= nbytes
        ok, secs = wait_for(moved, timeout, 0.2)
        return ok, last[0], secs

    @staticmethod
    def stream_bytes(port, tcp_port):
        """The payload bytes each established TCP connection of tcp_port
        (either end) in port's namespace received in order
        (tcpi_bytes_received, ss -ti), by "local peer" address pair: what
        streams delivered to port, nothing else on the interface."""
        r = port.run(["ss", "-Htin", "state", "established", "(", "sport", "=",
                      ":%d" % tcp_port, "or", "dport", "=", ":%d" % tcp_port, ")"])
        conns, key, info = {}, None, False
        for line in r.out.splitlines():
            if line and not line[0].isspace():
                key = " ".join(line.split()[-2:])
                conns.setdefault(key, 0)
            elif line.strip():
                info = True
            m = re.search(r"\bbytes_received:(\d+)", line)
            if m and key is not None:
                conns[key] = int(m.group(1))
        if conns and not info:
            # ss fell back to /proc/net/tcp: no tcp_info, no byte counts
            raise RuntimeError("ss -ti shows TCP connections without their tcp_info: "
                               "a kernel without CONFIG_INET_DIAG? (%s)" % r.out.strip()[:200])
        return conns

    @classmethod
    def stream_moves(cls, port, tcp_port, nbytes, timeout=60):
        """Wait until the TCP streams on tcp_port delivered nbytes more to
        port: (ok, bytes, seconds). A connection counts with the most it
        was seen to receive, also after it closed (the count never goes
        down). Unlike moves(), a ping flood on the same interface cannot
        stand in for a stalled stream."""
        start = cls.stream_bytes(port, tcp_port)
        seen = dict(start)
        last = [0]

        def moved():
            for k, v in cls.stream_bytes(port, tcp_port).items():
                seen[k] = max(v, seen.get(k, 0))
            last[0] = sum(v - start.get(k, 0) for k, v in seen.items())
            return last[0] >= nbytes
        ok, secs = wait_for(moved, timeout, 0.3)
        return ok, last[0], secs

    def listening(self, port, tcp_port, timeout=10):
        """Wait until a TCP socket listens on tcp_port in port's namespace."""
        ok, _ = wait_for(lambda: ":%d " % tcp_port in port.run(
            ["ss", "-Hltn", "sport", "=", ":%d" % tcp_port]).out + " ", timeout, 0.2)
        return ok

    # -- results and diagnostics

    def check_ping(self, name, src, dst, **kw):
        """ok if every ping from src to dst is answered (Port.ping's
        arguments); ping's output and the bench's state on failure."""
        ok, r = src.ping(dst, **kw)
        if not ok:
            for line in r.out.strip().splitlines()[-4:]:
                fe.KTAP.diag("ping: " + line)
        m = re.search(r"\d+ packets transmitted, \d+ received[^\n]*", r.out)
        return self.check(name, ok, m.group(0) if m else "rc %d" % r.rc)

    def check(self, name, cond, reason="", diag=True):
        """t.check that prints the bench's state on failure."""
        if not cond and diag:
            self.diag()
        return self.t.check(name, cond, reason)

    def diag(self, regs=True):
        """The state of both ports as KTAP comments: link and counters,
        the driver's per-queue counters that are not 0, the queue
        registers, the end of the kernel log."""
        for p in (self.a, self.b):
            if not p or not p.ifname:
                continue
            link = p.link()
            if not link:
                fe.KTAP.diag("%s: no such interface" % p)
                continue
            fe.KTAP.diag("%s: %s mtu %s operstate %s stats64 %s" % (
                p, ",".join(link.get("flags", [])), link.get("mtu"),
                link.get("operstate"), json.dumps(link.get("stats64"))))
            st = p.ethtool_stats()
            fe.KTAP.diag("%s: ethtool -S (not 0): %s" % (p, " ".join(
                "%s=%d" % kv for kv in st.items() if kv[1])))
            if regs:
                r = _read(os.path.join(fe.DBG, p.pdev, "regs")) or ""
                keep = [ln.replace(" = ", "=") for ln in r.splitlines()
                        if re.match(r"^(CTRL|MISC_IRQ_STATUS|MISC_IRQ_ENABLE|MAX_FRAME_LEN|"
                                    r"Q\d_(TX|RX)_(HEAD|TAIL|CTRL|STATUS)|Q\d_RX_NOBUF|"
                                    r"Q\d_IRQ_(STATUS|ENABLE)) ", ln)]
                if keep:
                    fe.KTAP.diag("%s regs: %s" % (p.pdev, " ".join(keep)))
        tail = dmesg_since(self.mark)[-15:] if self.mark else fe.dmesg()[-15:]
        for line in tail:
            fe.KTAP.diag("dmesg: " + line)

    def rx_rings_not_full(self):
        """["port qN: HEAD h TAIL t, ring of n"...] for the RX rings of
        both ports that are not full (TAIL - HEAD = size - 1 in the IP's
        registers): empty once every ring is refilled."""
        out = []
        for p in (self.a, self.b):
            size = p.rings()["rx"]
            regs = p.regs()
            for q in range(p.channels()[0]):
                head, tail = regs.get("Q%d_RX_HEAD" % q), regs.get("Q%d_RX_TAIL" % q)
                if head is None or tail is None or (tail - head) % size != size - 1:
                    out.append("%s q%d: HEAD %s TAIL %s, ring of %d" % (p, q, head, tail, size))
        return out

    def check_dmesg(self, name="no WARN/BUG/Oops/call trace in the kernel log", extra_re=None):
        """ok if the kernel log since setup has no splat (nor extra_re)."""
        errs = splats(dmesg_since(self.mark), extra_re)
        for e in errs[:12]:
            fe.KTAP.diag("dmesg: " + e)
        return self.t.check(name, not errs, "%d lines: %s" % (len(errs), errs[0]) if errs else "")


# ------------------------------------------------------------ traffic

def flood_summary(bg):
    """(sent, answered) of a finished `ping -f -q` Background."""
    m = re.search(r"(\d+) packets transmitted, (\d+) received", bg.output())
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


SIOCETHTOOL = 0x8946
ETHTOOL_GDRVINFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS = 0x03, 0x1b, 0x1d
ETH_SS_STATS = 1
ETH_GSTRING_LEN = 32
DRVINFO_N_STATS = 180       # offsetof(struct ethtool_drvinfo, n_stats)


def _ethtool_ioctl(ifname, buf):
    """SIOCETHTOOL on ifname (in this process's namespace) with buf, a
    ctypes buffer holding the command: buf, filled in."""
    import fcntl
    ifr = struct.pack("16sP", ifname.encode(), ctypes.addressof(buf))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, SIOCETHTOOL, ifr)
    return buf


def ethtool_stats_ioctl(ifname):
    """{name: value} of the driver's ethtool -S counters, read with the
    ioctl in this process (no ethtool process: a loaded TCG guest spawns
    one in tenths of a second) for an interface of this namespace."""
    info = ctypes.create_string_buffer(struct.pack("<I", ETHTOOL_GDRVINFO), 196)
    n = struct.unpack_from("<I", _ethtool_ioctl(ifname, info), DRVINFO_N_STATS)[0]
    gs = ctypes.create_string_buffer(struct.pack("<III", ETHTOOL_GSTRINGS, ETH_SS_STATS, n),
                                     12 + n * ETH_GSTRING_LEN)
    raw = _ethtool_ioctl(ifname, gs).raw[12:]
    names = [raw[i * ETH_GSTRING_LEN:(i + 1) * ETH_GSTRING_LEN].split(b"\0")[0].decode()
             for i in range(n)]
    st = ctypes.create_string_buffer(struct.pack("<II", ETHTOOL_GSTATS, n), 8 + 8 * n)
    vals = struct.unpack_from("<%dQ" % n, _ethtool_ioctl(ifname, st), 8)
    return dict(zip(names, vals))


def reply_stamps(output):
    """The [epoch seconds] of each reply in the output of `ping -D`."""
    return [float(m.group(1)) for m in re.finditer(
        r"^\[(\d+\.\d+)\] \d+ bytes from", output, re.M)]


def reply_gap(output, since, until=None):
    """The longest time without a reply in the output of `ping -D` (each
    reply line starts with [epoch seconds]) between since and until (epoch
    seconds, until defaults to the last reply): how long an interruption of
    the traffic lasted, to the ping's interval. None if no reply came after
    since."""
    stamps = reply_stamps(output)
    before = [t for t in stamps if t < since]
    after = [t for t in stamps if t >= since and (until is None or t <= until)]
    if not after:
        return None
    seq = before[-1:] + after
    return max([b - a for a, b in zip(seq, seq[1:])] or [0.0])


# A flood that crosses ring, queue or MTU changes loses the frames sent
# while an interface restarts; most must still be answered.
FLOOD_MIN_ANSWERED = 0.5


def floods_answered(sums, minimum=FLOOD_MIN_ANSWERED):
    """Errors for [(sent, answered)] of floods: each sent frames and had at
    least `minimum` of them answered."""
    return ["flood %d: %d sent, %d answered (%.0f%%, want %.0f%%)" % (
        i, sent, ans, 100.0 * ans / sent if sent else 0, 100 * minimum)
        for i, (sent, ans) in enumerate(sums) if not sent or ans < minimum * sent]


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def send_raw(port, frames, gap=0.0):
    """Send each frame (bytes, from the destination address on) out of
    port's interface with an AF_PACKET raw socket (in its namespace);
    gap: seconds between frames. Raises OSError on a short send."""
    s = ns_socket(port.ns, socket.AF_PACKET, socket.SOCK_RAW, 0)
    try:
        s.bind((port.ifname, 0))
        for f in frames:
            if s.send(f) != len(f):
                raise OSError("short send of a %d-byte frame" % len(f))
            if gap:
                time.sleep(gap)
    finally:
        s.close()


def mc_hash_bit(mac):
    """The MC_HASH bit of a multicast address: ether_crc(6, addr) >> 26."""
    crc = zlib.crc32(mac_bytes(mac)) ^ 0xffffffff       # crc32_le(~0, ...)
    crc = int("{:032b}".format(crc)[::-1], 2)            # bitrev32
    return crc >> 26


def maddrs(port):
    """Link-layer multicast addresses of the port (ip maddr show)."""
    r = port.ip("maddr", "show", "dev", port.ifname)
    return [ln.split()[1] for ln in r.out.splitlines() if ln.strip().startswith("link")]


def foreign_mc(port):
    """A multicast address whose hash bit no address of port's list has."""
    bits = {mc_hash_bit(m) for m in maddrs(port)}
    for i in range(2, 200):
        cand = "03:00:00:00:%02x:%02x" % (i >> 8, i & 0xff)
        if mc_hash_bit(cand) not in bits:
            return cand
    raise RuntimeError("no multicast address outside the hash filter")


def raw_frame(dst_mac, src_mac, length, ethertype=0x88b5, fill=0):
    """A frame of length bytes (without FCS) of a local experimental type."""
    hdr = mac_bytes(dst_mac) + mac_bytes(src_mac) + ethertype.to_bytes(2, "big")
    return hdr + bytes((fill + i) & 0xff for i in range(length - len(hdr)))


# UDP flows: source ports spread over ~15 bits (Toeplitz is linear over
# GF(2): ports that differ only in their low bits can miss a queue).
PORT_STRIDE = 409
FLOW_DPORT = 9      # discard: nothing listens, the frames end in the stack


def udp_flows(src, dst, n, base_port, per=1, payload=b"fpgaeth-flow " * 8, ns=None):
    """n UDP flows from address src to dst, each from its own source port
    (base_port + i * PORT_STRIDE) to FLOW_DPORT, per datagrams each, sent
    in namespace ns: (list of (src port, dst port), errors)."""
    family = socket.AF_INET6 if ":" in src else socket.AF_INET
    flows, errs = [], []
    for i in range(n):
        sport = base_port + i * PORT_STRIDE
        s = ns_socket(ns, family, socket.SOCK_DGRAM)
        try:
            s.bind((src, sport))
            for _ in range(per):
                s.sendto(payload, (dst, FLOW_DPORT))
            flows.append((sport, FLOW_DPORT))
        except OSError as e:
            errs.append("flow %d (port %d): %s" % (i, sport, e))
        finally:
            s.close()
    return flows, errs


# The background sender of Bench.udp_sender(): argv src dst period payload
# ports (comma-separated); one socket per source port, a datagram from each
# every period seconds to dst, FLOW_DPORT, until killed (send errors, as a
# link down or a full queue gives, ignored)
UDP_SENDER = r"""
import socket, sys, time
src, dst, period, payload = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4].encode()
fam = socket.AF_INET6 if ":" in src else socket.AF_INET
socks = []
for port in sys.argv[5].split(","):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, int(port)))
    socks.append(s)
while True:
    for s in socks:
        try:
            s.sendto(payload, (dst, %d))
        except OSError:
            pass
    time.sleep(period)
""" % FLOW_DPORT


def toeplitz(key, data):
    """The Toeplitz hash of data (bytes) with key (bytes, 40 for RSS)."""
    k, klen, h = int.from_bytes(key, "big"), len(key) * 8, 0
    for i, byte in enumerate(data):
        for b in range(8):
            if byte & (0x80 >> b):
                h ^= (k >> (klen - 32 - (i * 8 + b))) & 0xffffffff
    return h


def rss_input(src, dst, sport=None, dport=None):
    """The RSS hash input of the programming model: addresses, then the
    ports (network byte order)."""
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    data = socket.inet_pton(fam, src) + socket.inet_pton(fam, dst)
    if sport is not None:
        data += struct.pack(">HH", sport, dport)
    return data


def flow_port(base_port, i):
    """The source port of flow i: base_port + i * PORT_STRIDE, kept among
    the unprivileged ports (PORT_STRIDE is prime: no two flows of the
    64512 share one)."""
    return 1024 + (base_port - 1024 + i * PORT_STRIDE) % (65536 - 1024)


def rss_ports(port, src, dst, per_queue, base_port, nq):
    """Source ports for UDP flows from address src to dst, FLOW_DPORT, that
    port's RSS puts per_queue on each of its RX queues 0 to nq - 1, by the
    key and indirection table it has now (ethtool -x; Linux draws the key
    at random once per boot: a fixed list of ports misses a queue of 4 in
    about 1 % of boots with 24 flows). The flows are flow_port(base_port,
    i) for the first i that serve, listed queue by queue; a queue the
    table does not name gets none (the list is then shorter)."""
    table, key, _f = port.rxfh()
    key = bytes.fromhex((key or "").replace(":", ""))
    byq = {q: [] for q in range(nq)}
    for i in range(64 * per_queue * nq):
        if all(len(v) >= per_queue for v in byq.values()) or not table or not key:
            break
        sport = flow_port(base_port, i)
        h = toeplitz(key, rss_input(src, dst, sport, FLOW_DPORT))
        q = table[h % len(table)]
        q = q if q < nq else 0
        if len(byq[q]) < per_queue:
            byq[q].append(sport)
    return [p for q in range(nq) for p in byq[q]]


class RxTrace:
    """The skbs the driver hands to GRO (tracepoint net:napi_gro_receive_entry,
    in a trace instance of its own): dev, queue (the RX queue: the traced
    queue_mapping minus 1, as skb_record_rx_queue() stores it), ip_summed
    (2 is CHECKSUM_COMPLETE), hash, l4_hash, len of each. Use as a context
    manager; events() while or after it runs."""

    TRACEFS = "/sys/kernel/tracing"
    EVENT = "events/net/napi_gro_receive_entry"
    LINE = re.compile(r"napi_gro_receive_entry: dev=(\S+) .*?queue_mapping=(\d+) .*?"
                      r"ip_summed=(\d+) hash=0x([0-9a-f]+) l4_hash=(\d+) len=(\d+)")

    def __init__(self, name="fpgaeth"):
        self.dir = os.path.join(self.TRACEFS, "instances", "%s-%d" % (name, os.getpid()))

    def _w(self, rel, val):
        with open(os.path.join(self.dir, rel), "w") as f:
            f.write(val)

    def __enter__(self):
        if not os.path.isdir(self.TRACEFS + "/events"):
            fe.sh(["mount", "-t", "tracefs", "tracefs", self.TRACEFS], check=False)
        os.mkdir(self.dir)
        self._w("buffer_size_kb", "1024")
        self._w(self.EVENT + "/enable", "1")
        return self

    def events(self, dev=None):
        with open(os.path.join(self.dir, "trace")) as f:
            text = f.read()
        out = []
        for m in self.LINE.finditer(text):
            if dev is None or m.group(1) == dev:
                out.append({"dev": m.group(1), "queue": int(m.group(2)) - 1,
                            "ip_summed": int(m.group(3)), "hash": int(m.group(4), 16),
                            "l4_hash": int(m.group(5)), "len": int(m.group(6))})
        return out

    def __exit__(self, *exc):
        try:
            self._w(self.EVENT + "/enable", "0")
        finally:
            os.rmdir(self.dir)


# ------------------------------------------------------------- kernel log


def dmesg_mark():
    """Write a unique line to the kernel log and return it."""
    mark = "fpgaeth-selftest: %s %d %d" % (os.path.basename(sys.argv[0]), os.getpid(),
                                           time.monotonic_ns())
    with open("/dev/kmsg", "w") as f:
        f.write(mark + "\n")
    return mark


def dmesg_since(mark):
    lines = fe.dmesg()
    for i in range(len(lines) - 1, -1, -1):
        if mark in lines[i]:
            return lines[i + 1:]
    return lines


_splat_re = None


def splat_re():
    """The splat regex of the shell helpers (ktap.sh FPGAETH_SPLAT_RE), so
    that shell and python tests look for the same things."""
    global _splat_re
    if _splat_re is None:
        m = re.search(r"^FPGAETH_SPLAT_RE='([^']*)'", _read(KTAP_SH) or "", re.M)
        _splat_re = re.compile(m.group(1) if m else r"WARNING:|BUG:|Oops|Call [Tt]race")
    return _splat_re


def splats(lines, extra_re=None):
    extra = re.compile(extra_re) if extra_re else None
    return [ln for ln in lines if splat_re().search(ln) or (extra and extra.search(ln))]


# ------------------------------------------------------------- page pools

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
# the netdev family (include/uapi/linux/netdev.h of 6.12)
NETDEV_CMD_PAGE_POOL_GET = 5
NETDEV_CMD_PAGE_POOL_STATS_GET = 9
NETDEV_CMD_QUEUE_GET = 10
NETDEV_CMD_NAPI_GET = 11
NETDEV_CMD_QSTATS_GET = 12
PP_ATTRS = {1: "id", 2: "ifindex", 3: "napi-id", 4: "inflight", 5: "inflight-mem",
            6: "detach-time"}
PP_STATS_ATTRS = {8: "alloc-fast", 9: "alloc-slow", 10: "alloc-slow-high-order",
                  11: "alloc-empty", 12: "alloc-refill", 13: "alloc-waive",
                  14: "recycle-cached", 15: "recycle-cache-full", 16: "recycle-ring",
                  17: "recycle-ring-full", 18: "recycle-released-refcnt"}
PP_STATS_INFO = 1
NAPI_ATTRS = {1: "ifindex", 2: "id", 3: "irq", 4: "pid"}
QUEUE_ATTRS = {1: "id", 2: "ifindex", 3: "type", 4: "napi-id"}
QUEUE_TYPES = {0: "rx", 1: "tx"}
QSTATS_ATTRS = {1: "ifindex", 2: "queue-type", 3: "queue-id",
                8: "rx-packets", 9: "rx-bytes", 10: "tx-packets", 11: "tx-bytes",
                12: "rx-alloc-fail", 13: "rx-hw-drops", 14: "rx-hw-drop-overruns",
                15: "rx-csum-complete", 16: "rx-csum-unnecessary", 17: "rx-csum-none",
                18: "rx-csum-bad", 19: "rx-hw-gro-packets", 20: "rx-hw-gro-bytes",
                21: "rx-hw-gro-wire-packets", 22: "rx-hw-gro-wire-bytes",
                23: "rx-hw-drop-ratelimits", 24: "tx-hw-drops", 25: "tx-hw-drop-errors",
                26: "tx-csum-none", 27: "tx-needs-csum", 28: "tx-hw-gso-packets",
                29: "tx-hw-gso-bytes", 30: "tx-hw-gso-wire-packets",
                31: "tx-hw-gso-wire-bytes", 32: "tx-hw-drop-ratelimits", 33: "tx-stop",
                34: "tx-wake"}
# qstats device-scope values and the stats64 counters they must equal
QSTATS_STATS64 = (("rx-packets", "rx", "packets"), ("rx-bytes", "rx", "bytes"),
                  ("tx-packets", "tx", "packets"), ("tx-bytes", "tx", "bytes"),
                  ("rx-hw-drops", "rx", "missed_errors"))
QSTATS_IFINDEX, QSTATS_SCOPE, QSTATS_SCOPE_QUEUE = 1, 4, 1
NLM_F_REQUEST, NLM_F_DUMP = 1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
CLONE_NEWNET = 0x40000000


def ns_socket(ns, family, type_, proto=0):
    """socket.socket(family, type_, proto) created in network namespace ns
    (None: this one); the thread returns to its own namespace."""
    if not ns:
        return socket.socket(family, type_, proto)
    libc = ctypes.CDLL(None, use_errno=True)
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    other = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(other, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + ns)
        try:
            return socket.socket(family, type_, proto)
        finally:
            if libc.setns(own, CLONE_NEWNET):
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(own)
        os.close(other)


def _nl_socket(ns=None):
    """A generic netlink socket in network namespace ns."""
    s = ns_socket(ns, socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.settimeout(5)
    s.bind((0, 0))
    return s


def _attrs(data):
    out = {}
    while len(data) >= 4:
        alen, atype = struct.unpack_from("<HH", data)
        if alen < 4:
            break
        out[atype & 0x3fff] = data[4:alen]
        data = data[(alen + 3) & ~3:]
    return out


def _genl_request(s, family, cmd, flags, attrs=b""):
    """Send one request, return the payloads (after the genl header) of the
    replies."""
    seq = int(time.monotonic_ns() & 0x7fffffff)
    body = struct.pack("<BBH", cmd, 1, 0) + attrs
    s.send(struct.pack("<IHHII", 16 + len(body), family, NLM_F_REQUEST | flags, seq, 0) + body)
    msgs = []
    while True:
        data = s.recv(1 << 16)
        while len(data) >= 16:
            mlen, mtype, _fl, mseq, _pid = struct.unpack_from("<IHHII", data)
            msg, data = data[16:mlen], data[(mlen + 3) & ~3:]
            if mseq != seq:
                continue
            if mtype == NLMSG_DONE:
                return msgs
            if mtype == NLMSG_ERROR:
                err = struct.unpack_from("<i", msg)[0]
                if err:
                    raise OSError(-err, "netlink request %d" % cmd)
                return msgs
            msgs.append(msg[4:])
            if not flags & NLM_F_DUMP:
                return msgs


def main(plan, body, **setup_kw):
    """The main() of a bench test file: KTAP plan, bench set-up (setup_kw
    passed on), body(bench) unless the set-up failed (then every planned
    case fails), tear-down whatever happened, KTAP totals."""
    fe.setup()
    t = fe.KTAP(plan)
    bench = Bench(t)
    try:
        if not bench.setup(**setup_kw):
            bench.fail_rest("bench set-up failed")
        else:
            body(bench)
    finally:
        bench.teardown()
    t.finish()


def _nla(atype, payload):
    """One netlink attribute, padded to 4 bytes."""
    a = struct.pack("<HH", 4 + len(payload), atype) + payload
    return a + b"\0" * (-len(a) % 4)


def _netdev_family(s):
    reply = _genl_request(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
                          _nla(CTRL_ATTR_FAMILY_NAME, b"netdev\0"))
    return struct.unpack("<H", _attrs(reply[0])[CTRL_ATTR_FAMILY_ID][:2])[0]


def _uint(v):
    return int.from_bytes(v[:8], "little")


def netdev_dump(cmd, names, attrs=b"", ns=None):
    """A dump of the netdev generic netlink family in namespace ns: one
    dict per reply message, {names[attr type]: unsigned value} (attributes
    not in names are left out)."""
    s = _nl_socket(ns)
    try:
        family = _netdev_family(s)
        return [{names[k]: _uint(v) for k, v in _attrs(msg).items() if k in names}
                for msg in _genl_request(s, family, cmd, NLM_F_DUMP, attrs)]
    finally:
        s.close()


def qstats(ifindex, per_queue=False, ns=None):
    """netdev qstats-get of one interface: [one dict for the device] or,
    per_queue, one dict per queue with queue-type ("rx"/"tx") and queue-id."""
    attrs = _nla(QSTATS_IFINDEX, struct.pack("<I", ifindex))
    if per_queue:
        attrs += _nla(QSTATS_SCOPE, struct.pack("<I", QSTATS_SCOPE_QUEUE))
    out = netdev_dump(NETDEV_CMD_QSTATS_GET, QSTATS_ATTRS, attrs, ns)
    for q in out:
        if "queue-type" in q:
            q["queue-type"] = QUEUE_TYPES.get(q["queue-type"], q["queue-type"])
    return out


def queues(ifindex, ns=None):
    """netdev queue-get dump of one interface: dicts with id, type ("rx"/"tx"),
    napi-id (absent when no NAPI instance is linked)."""
    out = netdev_dump(NETDEV_CMD_QUEUE_GET, QUEUE_ATTRS,
                      _nla(2, struct.pack("<I", ifindex)), ns)
    for q in out:
        q["type"] = QUEUE_TYPES.get(q.get("type"), q.get("type"))
    return out


def napis(ifindex, ns=None):
    """netdev napi-get dump of one interface: dicts with id, irq (absent when
    none is set), pid (of a threaded NAPI)."""
    return netdev_dump(NETDEV_CMD_NAPI_GET, NAPI_ATTRS,
                       _nla(1, struct.pack("<I", ifindex)), ns)


def page_pool_stats(ns=None):
    """netdev page-pool-stats-get dump: {pool id: {counter: value}}."""
    s = _nl_socket(ns)
    try:
        family = _netdev_family(s)
        out = {}
        for msg in _genl_request(s, family, NETDEV_CMD_PAGE_POOL_STATS_GET, NLM_F_DUMP):
            a = _attrs(msg)
            info = _attrs(a.get(PP_STATS_INFO, b""))
            pid = _uint(info[1]) if 1 in info else None
            out[pid] = {PP_STATS_ATTRS[k]: _uint(v) for k, v in a.items()
                        if k in PP_STATS_ATTRS}
            if 2 in info:
                out[pid]["ifindex"] = _uint(info[2])
        return out
    finally:
        s.close()


def page_pools(ns=None):
    """The page pools of network namespace ns (netdev netlink family,
    page-pool-get dump): a list of dicts with id, ifindex (absent once the
    interface is gone: the pool then hangs off the loopback device),
    inflight (pages handed out and not returned), detach-time (set once
    the driver destroyed the pool)."""
    return netdev_dump(NETDEV_CMD_PAGE_POOL_GET, PP_ATTRS, ns=ns)
