# SPDX-License-Identifier: GPL-2.0
"""Helpers for the fpgaeth selftests (run as root in the guest).

KTAP output, the driver (load, bind, unbind), the device tree, the QEMU
model's properties over QMP, the registers through /dev/mem, and the
register tables of Documentation/fpgaeth/programming-model.rst.
"""

import atexit
import ctypes
import glob
import importlib.machinery
import importlib.util
import mmap
import os
import re
import struct
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KO = os.environ.get("FPGAETH_KO",
                    os.path.join(TOP, "drivers/net/ethernet/fpgaeth/fpgaeth.ko"))
SPEC = os.environ.get("FPGAETH_SPEC",
                      os.path.join(TOP, "Documentation/fpgaeth/programming-model.rst"))
QMP = os.path.join(TOP, "tools/vm/qmp")
DRV = "/sys/bus/platform/drivers/fpgaeth"
DBG = "/sys/kernel/debug/fpgaeth"
COMPAT = "fpgaeth,eth-1.0"
REGS_SIZE = 0x10000


# --------------------------------------------------------------------- KTAP

class KTAP:
    """One test file's KTAP output: plan, results, totals, exit status."""

    def __init__(self, plan=None):
        self.nr = 0
        self.plan = plan
        self.passed = self.failed = self.skipped = 0
        print("TAP version 13")
        if plan is not None:
            print("1..%d" % plan)
        sys.stdout.flush()

    @staticmethod
    def diag(msg):
        for line in str(msg).splitlines() or [""]:
            print("# " + line)
        sys.stdout.flush()

    def ok(self, name):
        self.nr += 1
        self.passed += 1
        print("ok %d %s" % (self.nr, name))
        sys.stdout.flush()

    def fail(self, name, reason=""):
        self.nr += 1
        self.failed += 1
        reason = " ".join(str(reason).split())
        print("not ok %d %s%s" % (self.nr, name, " # " + reason if reason else ""))
        sys.stdout.flush()

    def skip(self, name, reason=""):
        self.nr += 1
        self.skipped += 1
        print("ok %d %s # SKIP %s" % (self.nr, name, reason))
        sys.stdout.flush()

    def check(self, name, cond, reason=""):
        if cond:
            self.ok(name)
        else:
            self.fail(name, reason)
        return cond

    def errors(self, name, errs, limit=12):
        """ok if errs (a list of strings) is empty, else not ok with them."""
        for e in errs[:limit]:
            self.diag(e)
        if len(errs) > limit:
            self.diag("... and %d more" % (len(errs) - limit))
        return self.check(name, not errs, "%d mismatches" % len(errs) +
                          (": " + errs[0] if errs else ""))

    def finish(self):
        if self.plan is None:
            print("1..%d" % self.nr)
        elif self.nr != self.plan:
            self.diag("planned %d tests, ran %d" % (self.plan, self.nr))
            self.failed += 1
        print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0"
              % (self.passed, self.failed, self.skipped))
        sys.stdout.flush()
        sys.exit(1 if self.failed else 0)


# ------------------------------------------------------------------- driver

def sh(cmd, check=True):
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True).stdout


def load_driver():
    """insmod the repository's fpgaeth.ko (dependencies via modprobe)."""
    if os.path.isdir("/sys/module/fpgaeth"):
        return
    deps = sh(["modinfo", "-F", "depends", KO]).strip()
    if deps:
        sh(["modprobe", "-a"] + deps.split(","))
    sh(["insmod", KO])


def ensure_debugfs():
    if not os.path.ismount("/sys/kernel/debug"):
        sh(["mount", "-t", "debugfs", "debugfs", "/sys/kernel/debug"], check=False)


def is_bound(dev):
    return os.path.exists(os.path.join(DRV, dev))


def unbind(dev):
    if is_bound(dev):
        with open(os.path.join(DRV, "unbind"), "w") as f:
            f.write(dev)


def bind(dev):
    if not is_bound(dev):
        with open(os.path.join(DRV, "bind"), "w") as f:
            f.write(dev)


def dmesg():
    return sh(["dmesg"]).splitlines()


def expected_devices():
    """The number of fpgaeth instances the bench starts (tools/vm/run's
    FPGAETH_DEVICES, default two; ktap.sh's fpgaeth_expected_devices)."""
    return len(os.environ.get("FPGAETH_DEVICES", "fe0=x fe1=x").split())


def interrupts():
    """/proc/interrupts as {action name: (Linux irq, count summed over the
    CPUs)}, e.g. {"c000000.ethernet-q0": (45, 12), ...}."""
    out = {}
    with open("/proc/interrupts") as f:
        ncpu = len(f.readline().split())
        for line in f:
            parts = line.split()
            if len(parts) < ncpu + 2 or not parts[0].endswith(":"):
                continue
            try:
                irq = int(parts[0][:-1])
                count = sum(int(x) for x in parts[1:1 + ncpu])
            except ValueError:
                continue        # IPI lines and the like
            out[parts[-1]] = (irq, count)
    return out


def device_interrupts(dev):
    """{interrupt name ("misc", "q0", ...): (Linux irq, count)} of the
    lines requested for platform device dev (named <dev>-<name>)."""
    return {name[len(dev) + 1:]: v for name, v in interrupts().items()
            if name.startswith(dev + "-")}


# ------------------------------------------------------------- device tree

def dt_read(node, prop):
    """Raw bytes of property prop of DT node (a /proc/device-tree path), None if absent."""
    try:
        with open(os.path.join(node, prop), "rb") as f:
            return f.read()
    except OSError:
        return None


def _cells(data):
    return list(struct.unpack(">%dI" % (len(data) // 4), data))


def _num(cells):
    v = 0
    for c in cells:
        v = (v << 32) | c
    return v


def _addr_cells(node):
    d = dt_read(node, "#address-cells")
    return _cells(d)[0] if d else 2


def _size_cells(node):
    d = dt_read(node, "#size-cells")
    return _cells(d)[0] if d else 1


def dt_translate(node):
    """CPU physical address and size of a node's first reg entry, following
    the parents' ranges up to the root."""
    parent = os.path.dirname(node)
    ac, sc = _addr_cells(parent), _size_cells(parent)
    reg = _cells(dt_read(node, "reg"))
    addr, size = _num(reg[:ac]), _num(reg[ac:ac + sc])
    while parent != "/proc/device-tree" and parent != "/sys/firmware/devicetree/base":
        ranges = dt_read(parent, "ranges")
        gp = os.path.dirname(parent)
        if ranges is None:
            raise ValueError("%s has no ranges: not translatable" % parent)
        if ranges:
            cac, pac, csc = _addr_cells(parent), _addr_cells(gp), _size_cells(parent)
            r = _cells(ranges)
            step = cac + pac + csc
            for i in range(0, len(r), step):
                c = _num(r[i:i + cac])
                p = _num(r[i + cac:i + cac + pac])
                s = _num(r[i + cac + pac:i + step])
                if c <= addr < c + s:
                    addr = addr - c + p
                    break
            else:
                raise ValueError("%#x not in the ranges of %s" % (addr, parent))
        parent = gp
    return addr, size


class Device:
    """One fpgaeth platform device (bound or not) and its DT node."""

    def __init__(self, name):
        self.name = name
        self.sysfs = os.path.join("/sys/bus/platform/devices", name)
        # the node as /proc/device-tree sees it
        node = os.path.realpath(os.path.join(self.sysfs, "of_node"))
        self.node = node.replace("/sys/firmware/devicetree/base", "/proc/device-tree", 1)
        self.phys, self.size = dt_translate(self.node)
        mac = dt_read(self.node, "local-mac-address") or b""
        self.mac = ":".join("%02x" % b for b in mac)
        self.qom = None     # QOM path, see match_qom()

    def __repr__(self):
        return "%s(%s)" % (self.name, self.qom.rsplit("/", 1)[-1] if self.qom else "?")

    @property
    def bound(self):
        return is_bound(self.name)

    def prop(self, name):
        """The QEMU model's property (QMP qom-get)."""
        return qom_get(self.qom, name)

    def debugfs_regs(self, fields=False):
        """{name: value} from the driver's debugfs regs file, in file order
        (lines "NAME = 0x%08x" and the decoded fields, if any); with
        fields=True, {name: (value, "decoded fields")}."""
        regs = {}
        with open(os.path.join(DBG, self.name, "regs")) as f:
            for line in f:
                m = re.match(r"^(\S+) = 0x([0-9a-f]{8})(?: (\S.*))?$", line.rstrip("\n"))
                if not m:
                    raise ValueError("bad debugfs regs line %r" % line)
                if m.group(1) in regs:
                    raise ValueError("register %s listed twice" % m.group(1))
                val = int(m.group(2), 16)
                regs[m.group(1)] = (val, m.group(3) or "") if fields else val
        return regs


def devices():
    """Every platform device with a fpgaeth DT node, by address."""
    out = []
    for d in sorted(glob.glob("/sys/bus/platform/devices/*")):
        compat = dt_read(os.path.join(d, "of_node"), "compatible")
        if compat and COMPAT in compat.decode(errors="replace").split("\0"):
            out.append(Device(os.path.basename(d)))
    out.sort(key=lambda d: d.phys)
    return out


# -------------------------------------------------------------------- QEMU

_qmp_conn = None
_qom_cache = {}


def _qmp():
    """One QMP connection per process, through tools/vm/qmp's client (a
    subprocess per query costs seconds of python start-up in a TCG guest)."""
    global _qmp_conn
    if _qmp_conn is None:
        loader = importlib.machinery.SourceFileLoader("fpgaeth_vm_qmp", QMP)
        spec = importlib.util.spec_from_loader(loader.name, loader)
        mod = importlib.util.module_from_spec(spec)
        loader.exec_module(mod)
        path = os.environ.get("FPGAETH_QMP_SOCKET") or mod.find_guest_port()
        if not path:
            raise OSError("no QMP port (virtio-serial %s)" % mod.PORT_NAME)
        _qmp_conn = mod.QMP(path)
        atexit.register(_qmp_conn.close)
    return _qmp_conn


def qmp(cmd, **args):
    return _qmp().execute(cmd, args)


def qom_get(path, prop):
    """A QOM property; the model's properties do not change at run time
    (except fault, never cached)."""
    key = (path, prop)
    if prop == "fault" or key not in _qom_cache:
        _qom_cache[key] = qmp("qom-get", path=path, property=prop)
    return _qom_cache[key]


def qom_instances():
    """QOM paths of the fpgaeth instances under /machine/peripheral."""
    return ["/machine/peripheral/" + c["name"]
            for c in qmp("qom-list", path="/machine/peripheral")
            if c.get("type") == "child<fpgaeth>"]


def match_qom(devs):
    """Pair each Device with its QOM instance by MAC (DT local-mac-address =
    the model's mac property). Returns the list of problems."""
    errs = []
    by_mac = {}
    try:
        for path in qom_instances():
            by_mac[str(qom_get(path, "mac")).lower()] = path
    except Exception as e:  # noqa: BLE001 (QMPError is tools/vm/qmp's)
        return ["QMP: %s: %s" % (type(e).__name__, e)]
    for d in devs:
        d.qom = by_mac.pop(d.mac, None)
        if not d.qom:
            errs.append("%s: no QOM fpgaeth instance with mac %s" % (d.name, d.mac))
    errs += ["QOM instance %s (mac %s) has no DT node" % (p, m) for m, p in by_mac.items()]
    return errs


# ------------------------------------------------------------ registers

class DevMem:
    """The register window through /dev/mem, 32-bit accesses only. Usable
    only while no driver holds the region (CONFIG_IO_STRICT_DEVMEM)."""

    def __init__(self, phys, size=REGS_SIZE):
        self.fd = os.open("/dev/mem", os.O_RDWR | os.O_SYNC)
        try:
            self.mm = mmap.mmap(self.fd, size, mmap.MAP_SHARED,
                                mmap.PROT_READ | mmap.PROT_WRITE, offset=phys)
        except OSError:
            os.close(self.fd)
            raise
        self.words = (ctypes.c_uint32 * (size // 4)).from_buffer(self.mm)

    def rd(self, off):
        assert off % 4 == 0
        return self.words[off // 4]

    def wr(self, off, val):
        assert off % 4 == 0
        self.words[off // 4] = val & 0xffffffff

    def close(self):
        del self.words
        self.mm.close()
        os.close(self.fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def soft_reset(mem, timeout=1.0):
    """CTRL.SOFT_RESET = 1, wait for it to read 0. Returns success."""
    mem.wr(0x100, 1)
    end = time.monotonic() + timeout
    while mem.rd(0x100) & 1:
        if time.monotonic() > end:
            return False
        time.sleep(0.001)
    return True


class Reg:
    def __init__(self, name, offset, access, reset, block, desc=""):
        self.name, self.offset, self.access = name, offset, access
        self.reset = reset      # int, or "param"
        self.block = block      # "global", "stats" or "queue"
        self.desc = desc

    def __repr__(self):
        return "%s@%#06x" % (self.name, self.offset)


def _list_tables(text):
    """(section title, rows) for every list-table; rows are lists of cells."""
    lines = text.splitlines()
    tables = []
    title = None
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and re.match(r"^-{3,}$|^={3,}$", lines[i + 1]) and lines[i].strip():
            title = lines[i].strip()
        if lines[i].startswith(".. list-table::"):
            rows, cell = [], None
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                line = lines[i]
                m = re.match(r"^   \* - (.*)$", line)
                m2 = re.match(r"^     - (.*)$", line)
                if m:
                    rows.append([m.group(1).strip()])
                elif m2 and rows:
                    rows[-1].append(m2.group(1).strip())
                elif rows and line.startswith("       ") and line.strip():
                    rows[-1][-1] += " " + line.strip()
                i += 1
            tables.append((title, rows))
            continue
        i += 1
    return tables


def _expand(name, offset):
    """'RSS_KEY\\ *i* (i = 0 to 9)', '0x0600 + 4 * i' -> [(RSS_KEY0, 0x600), ...]"""
    m = re.match(r"^(\w+)\\ \*(\w)\* \((\w) = (\d+) to (\d+)\)$", name)
    if not m:
        return [(name, int(offset, 16))]
    base, var, var2, lo, hi = m.groups()
    mo = re.match(r"^(0x[0-9a-fA-F]+) \+ (\d+) \* (\w)$", offset)
    if var != var2 or not mo or mo.group(3) != var:
        raise ValueError("cannot expand %r at %r" % (name, offset))
    start, stride = int(mo.group(1), 16), int(mo.group(2))
    return [("%s%d" % (base, k), start + stride * k) for k in range(int(lo), int(hi) + 1)]


def parse_spec(path=SPEC):
    """The registers the programming model documents.

    Returns (global_regs, queue_regs, consts): global_regs include the
    statistics counters as <NAME>_LO/_HI (RO, reset 0, as the text says);
    queue_regs are offsets within a queue pair block; consts holds values the
    descriptions state (MAX_RING_LOG2, the CAP0 QEMU default).
    """
    with open(path) as f:
        text = f.read()
    glob_regs, queue_regs = [], []
    consts = {}
    for title, rows in _list_tables(text):
        if not rows:
            continue
        header = rows[0]
        if header[:4] == ["Offset", "Name", "Access", "Reset"]:
            block = "queue" if title.startswith("Queue pair") else "global"
            for row in rows[1:]:
                offset, name, access, reset = row[:4]
                reset = reset if reset == "param" else int(reset, 16)
                for n, off in _expand(name, offset):
                    r = Reg(n, off, access, reset, block, " ".join(row[4:]))
                    (queue_regs if block == "queue" else glob_regs).append(r)
                if name == "CAP0":
                    m = re.search(r"MAX_RING_LOG2 = (\d+)", row[4])
                    consts["MAX_RING_LOG2"] = int(m.group(1)) if m else None
                    m = re.search(r"QEMU default (0x[0-9a-fA-F]+)", row[4])
                    consts["CAP0_DEFAULT"] = int(m.group(1), 16) if m else None
        elif header[:3] == ["Offset", "Name", "Counts"]:
            # "Each has a _LO register ... and a _HI register at offset + 4,
            # both RO with reset 0x00000000"
            for row in rows[1:]:
                for n, off in _expand(row[1], row[0]):
                    glob_regs.append(Reg(n + "_LO", off, "RO", 0, "stats"))
                    glob_regs.append(Reg(n + "_HI", off + 4, "RO", 0, "stats"))
    m = re.search(r"^NUM_QP\s+(\d+)\s", text, re.M)
    consts["NUM_QP_DEFAULT"] = int(m.group(1)) if m else None
    m = re.search(r"^MAX_FRAME\s+(\d+)\s", text, re.M)
    consts["MAX_FRAME_DEFAULT"] = int(m.group(1)) if m else None
    return glob_regs, queue_regs, consts


def spec_offsets(path=SPEC):
    """{register name: offset} of the programming model's tables: the global
    registers (statistics as <NAME>_LO/_HI) at their absolute offsets, the
    queue pair registers as Q_<NAME> at their offset within a block."""
    glob_regs, queue_regs, _c = parse_spec(path)
    out = {r.name: r.offset for r in glob_regs}
    out.update({"Q_" + r.name: r.offset for r in queue_regs})
    return out


def queue_base(q):
    return 0x1000 + 0x100 * q


def expected_registers(glob_regs, queue_regs, num_qp):
    """Every register of a device with num_qp queue pairs: list of Reg, with
    the queue pair registers expanded as Q<q>_<NAME> at absolute offsets."""
    regs = list(glob_regs)
    for q in range(num_qp):
        for r in queue_regs:
            regs.append(Reg("Q%d_%s" % (q, r.name), queue_base(q) + r.offset,
                            r.access, r.reset, "queue"))
    return regs


def param_resets(dev, consts):
    """Reset values of the `param` registers from the model's properties."""
    nq, mf = int(dev.prop("num-queues")), int(dev.prop("max-frame"))
    return {
        "BUILD_ID": int(dev.prop("build-id")) & 0xffffffff,
        "CAP0": nq | (consts["MAX_RING_LOG2"] << 8) | (mf << 16),
        "CAP1": int(dev.prop("features")),
        "CAP3": int(dev.prop("rx-fifo-kib")) | int(dev.prop("tx-fifo-kib")) << 8 |
        int(dev.prop("clk-mhz")) << 16,
    }


def reset_values(dev, regs, consts):
    """{name: reset value} for a device: the documented values, `param`
    ones from the model's properties, and a reset that the description
    bounds by MAX_FRAME ("..., or MAX_FRAME if that is smaller")."""
    params = param_resets(dev, consts)
    mf = int(dev.prop("max-frame"))
    queue_idle = params["CAP1"] >> 10 & 1
    out = {}
    for r in regs:
        v = params[r.name] if r.reset == "param" else r.reset
        if re.search(r"or MAX_FRAME if that is\s+smaller", r.desc):
            v = min(v, mf)
        if re.search(r"\[1\] IDLE", r.desc) and not queue_idle:
            v &= ~2         # a status bit whose feature bit is 0 reads 0
        out[r.name] = v
    return out


def setup():
    """Common start of a python test: root, module loaded, debugfs."""
    if os.geteuid() != 0:
        print("TAP version 13\n1..0 # SKIP needs root")
        sys.exit(4)
    load_driver()
    ensure_debugfs()
