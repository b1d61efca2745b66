/*
 * fpgaeth: co-simulation with the IP's RTL (the "cosim" property).
 *
 * With cosim=PATH the device is only the IP's pins: its register accesses
 * go over the unix socket PATH to rtl/cosim's shim (the Verilated
 * fe_core), whose AXI4 master is served here with dma_memory_read/write,
 * whose interrupt lines are set from its answers and whose GMII frames go
 * to and come from the netdev.  The model's own registers, engines and
 * faults stay unused.  Messages: fpgaeth-cosim.h.
 *
 * Time: the IP runs in lockstep with what reaches it.  After each command
 * (a register access, a received frame, a link change) the shim runs the
 * RTL until it has been quiet for a while (rtl/cosim/fe_cosim.cpp): a
 * doorbell returns with the frame sent and its interrupt raised, in no
 * virtual time.  The IP's own timers (coalescing USECS, the pause timer,
 * SOFT_RESET's wait) count virtual time only: every command carries the
 * clocks at clk-mhz of the virtual time since the last one (the shim runs
 * them with fe_core's time_en high first, and the command's own clocks
 * with it low), and while one of them counts, the shim says in how many
 * clocks of time the first expires; a timer here sends ADVANCE at that
 * instant, so a 256 us coalescing timer fires 256 us of virtual time after
 * its completion (to the clock), whatever the commands in between.  An
 * idle IP costs nothing: running the RTL in step with the virtual clock
 * all the time is what the host cannot afford (Verilator runs fe_core at
 * about 1 MHz here).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/sockets.h"
#include "qemu/timer.h"
#include "qemu/main-loop.h"
#include "qapi/error.h"
#include "hw/irq.h"
#include "hw/registerfields.h"
#include "hw/net/fpgaeth.h"
#include "net/net.h"
#include "system/dma.h"
#include "fpgaeth-internal.h"
#include "fpgaeth-cosim.h"

/* the next ADVANCE when the shim cannot say when a timer expires */
#define FPGAETH_COSIM_TICK_NS   (100 * SCALE_US)

typedef struct FpgaethCosimFrame {
    QSIMPLEQ_ENTRY(FpgaethCosimFrame) next;
    size_t len;
    uint8_t data[];
} FpgaethCosimFrame;

struct FpgaethCosim {
    int fd;                 /* -1: the shim is gone */
    uint64_t clocks;        /* RTL clocks run */
    QEMUTimer *timer;       /* ADVANCE when a timer of the IP expires */
    int64_t t0_ns;          /* the virtual time at the session's start */
    uint64_t time_clk;      /* clocks of time sent since t0_ns */
    QEMUBH *tx_bh;
    QSIMPLEQ_HEAD(, FpgaethCosimFrame) tx;
    uint8_t buf[FE_COSIM_MAX_DATA];
};

static void cosim_fail(FpgaethState *s, const char *what)
{
    FpgaethCosim *cs = s->cosim;

    if (cs->fd >= 0) {
        error_report("%s: co-simulation: %s (%s); the IP no longer answers",
                     s->name, what, strerror(errno));
        close(cs->fd);
        cs->fd = -1;
    }
}

static bool cosim_io(FpgaethState *s, bool out, void *p, size_t n)
{
    FpgaethCosim *cs = s->cosim;
    uint8_t *b = p;

    while (n && cs->fd >= 0) {
        ssize_t k = out ? send(cs->fd, b, n, MSG_NOSIGNAL)
                        : recv(cs->fd, b, n, 0);

        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            if (k == 0) {
                errno = ECONNRESET;
            }
            cosim_fail(s, out ? "send" : "receive");
            return false;
        }
        b += k;
        n -= k;
    }
    return cs->fd >= 0;
}

static bool cosim_send(FpgaethState *s, uint32_t type, uint64_t a,
                       uint64_t b, const void *data, size_t len)
{
    FeCosimMsg m = { .type = type, .len = len, .a = a, .b = b };

    return cosim_io(s, true, &m, sizeof(m)) &&
           (!len || cosim_io(s, true, (void *)data, len));
}

static void cosim_set_irqs(FpgaethState *s, uint64_t levels)
{
    qemu_set_irq(s->misc_irq, levels & 1);
    for (unsigned q = 0; q < s->num_qp; q++) {
        qemu_set_irq(s->q_irq[q], (levels >> (q + 1)) & 1);
    }
}

/* a request of the RTL's DMA master, within a command */
static bool cosim_dma(FpgaethState *s, FeCosimMsg *m)
{
    FpgaethCosim *cs = s->cosim;
    MemTxResult r;

    if (m->type == FE_COSIM_DMA_RD) {
        if (m->b > sizeof(cs->buf)) {
            errno = EPROTO;
            cosim_fail(s, "DMA read too long");
            return false;
        }
        r = dma_memory_read(&s->dma_as, m->a, cs->buf, m->b,
                            MEMTXATTRS_UNSPECIFIED);
        return cosim_send(s, FE_COSIM_DMA_DATA, r != MEMTX_OK, 0, cs->buf,
                          m->b);
    }
    r = dma_memory_write(&s->dma_as, m->a, cs->buf, m->len,
                         MEMTXATTRS_UNSPECIFIED);
    return cosim_send(s, FE_COSIM_DMA_ACK, r != MEMTX_OK, 0, NULL, 0);
}

/* the clocks of virtual time since the last command (rounded down) */
static uint64_t cosim_time(FpgaethState *s)
{
    FpgaethCosim *cs = s->cosim;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t clk = muldiv64(now - cs->t0_ns, s->clk_mhz, 1000);
    uint64_t d = clk - cs->time_clk;

    cs->time_clk = clk;
    return d;
}

/* after a command: ADVANCE when the first counting timer of the IP expires */
static void cosim_timer_update(FpgaethState *s, uint64_t levels,
                               uint64_t due)
{
    FpgaethCosim *cs = s->cosim;
    int64_t when;

    if (!(levels & FE_COSIM_TIMER_BUSY)) {
        timer_del(cs->timer);
        return;
    }
    if (due == FE_COSIM_DUE_NONE) {
        when = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + FPGAETH_COSIM_TICK_NS;
    } else {
        /* the first instant whose clocks reach time_clk + due */
        when = cs->t0_ns + DIV_ROUND_UP((cs->time_clk + due) * 1000,
                                        s->clk_mhz);
    }
    timer_mod(cs->timer, when);
}

/*
 * One command: send it, serve the RTL's DMA and collect its frames until
 * DONE, then set the interrupt lines.  Returns DONE's result (all ones
 * when the shim is gone).
 */
static uint64_t cosim_cmd(FpgaethState *s, uint32_t type, uint64_t a,
                          uint64_t b, const void *data, size_t len)
{
    FpgaethCosim *cs = s->cosim;
    FeCosimMsg m = { .type = type, .len = len, .a = a, .b = b };

    if (type == FE_COSIM_HELLO) {
        cs->t0_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        cs->time_clk = 0;
    } else {
        m.c = cosim_time(s);
    }
    if (!cosim_io(s, true, &m, sizeof(m)) ||
        (len && !cosim_io(s, true, (void *)data, len))) {
        return UINT64_MAX;
    }
    for (;;) {
        if (!cosim_io(s, false, &m, sizeof(m))) {
            return UINT64_MAX;
        }
        if (m.len > sizeof(cs->buf)) {
            errno = EPROTO;
            cosim_fail(s, "message too long");
            return UINT64_MAX;
        }
        if (m.len && !cosim_io(s, false, cs->buf, m.len)) {
            return UINT64_MAX;
        }
        switch (m.type) {
        case FE_COSIM_DONE:
            cs->clocks = m.c;
            if (type != FE_COSIM_HELLO) {
                cosim_set_irqs(s, m.b);
                cosim_timer_update(s, m.b, m.d);
            }
            if (!QSIMPLEQ_EMPTY(&cs->tx)) {
                qemu_bh_schedule(cs->tx_bh);
            }
            return m.a;
        case FE_COSIM_DMA_RD:
        case FE_COSIM_DMA_WR:
            if (!cosim_dma(s, &m)) {
                return UINT64_MAX;
            }
            break;
        case FE_COSIM_TX: {
            FpgaethCosimFrame *f = g_malloc(sizeof(*f) + m.len);

            f->len = m.len;
            memcpy(f->data, cs->buf, m.len);
            QSIMPLEQ_INSERT_TAIL(&cs->tx, f, next);
            break;
        }
        default:
            errno = EPROTO;
            cosim_fail(s, "unknown message");
            return UINT64_MAX;
        }
    }
}

/* a timer of the IP expires: the virtual time up to now reaches it */
static void cosim_timer_cb(void *opaque)
{
    cosim_cmd(opaque, FE_COSIM_ADVANCE, 0, 0, NULL, 0);
}

/* frames the RTL sent, outside the command that produced them */
static void cosim_tx_bh(void *opaque)
{
    FpgaethState *s = opaque;
    FpgaethCosim *cs = s->cosim;
    FpgaethCosimFrame *f;

    while ((f = QSIMPLEQ_FIRST(&cs->tx))) {
        QSIMPLEQ_REMOVE_HEAD(&cs->tx, next);
        qemu_send_packet(qemu_get_queue(s->nic), f->data, f->len);
        g_free(f);
    }
}

/* one 32-bit access at the register port at a time, lower address first */
uint64_t fpgaeth_cosim_read(FpgaethState *s, hwaddr addr, unsigned size)
{
    hwaddr end = addr + size;
    uint64_t val = 0;

    for (hwaddr w = addr & ~3ull; w < end; w += 4) {
        uint32_t word = cosim_cmd(s, FE_COSIM_READ, w, 0, NULL, 0);
        hwaddr lo = MAX(w, addr), hi = MIN(w + 4, end);

        word = extract32(word, (lo - w) * 8, (hi - lo) * 8);
        val = deposit64(val, (lo - addr) * 8, (hi - lo) * 8, word);
    }
    return val;
}

/* a part of a word is not written: the port ignores partial writes */
void fpgaeth_cosim_write(FpgaethState *s, hwaddr addr, uint64_t val,
                         unsigned size)
{
    hwaddr end = addr + size;

    for (hwaddr w = addr & ~3ull; w < end; w += 4) {
        if (w < addr || w + 4 > end) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: %u-byte write at 0x%04"
                          HWADDR_PRIx " ignored (partial word)\n", s->name,
                          size, addr);
            continue;
        }
        cosim_cmd(s, FE_COSIM_WRITE, w, (uint32_t)(val >> ((w - addr) * 8)),
                  NULL, 0);
    }
}

ssize_t fpgaeth_cosim_receive(FpgaethState *s, const uint8_t *buf,
                              size_t size)
{
    if (size <= FE_COSIM_MAX_DATA) {
            cosim_cmd(s, FE_COSIM_RX, 0, 0, buf, size);
    }
    return size;
}

void fpgaeth_cosim_set_link(FpgaethState *s, bool up)
{
    cosim_cmd(s, FE_COSIM_LINK, up, 0, NULL, 0);
}

/* power-on / system reset: a new session on a freshly reset RTL */
void fpgaeth_cosim_reset(FpgaethState *s)
{
    FpgaethCosim *cs = s->cosim;

    if (cs->fd < 0) {
        return;
    }
    cosim_cmd(s, FE_COSIM_HELLO, FE_COSIM_MAGIC, 0, NULL, 0);
    cosim_set_irqs(s, 0);
    timer_del(cs->timer);
    if (!fpgaeth_phy_line_up(s)) {
        cosim_cmd(s, FE_COSIM_LINK, 0, 0, NULL, 0);
    }
}

/*
 * The device's properties describe the IP to the device tree and the
 * tests (QOM): they must say what the RTL's build says.
 */
static bool cosim_check_build(FpgaethState *s, Error **errp)
{
    uint32_t cap0 = cosim_cmd(s, FE_COSIM_READ, 0x10, 0, NULL, 0);
    uint32_t cap1 = cosim_cmd(s, FE_COSIM_READ, 0x14, 0, NULL, 0);
    uint32_t cap3 = cosim_cmd(s, FE_COSIM_READ, 0x1c, 0, NULL, 0);
    uint32_t want0 = s->max_frame << 16 | s->max_ring_log2 << 8 | s->num_qp;
    uint32_t want3 = s->clk_mhz << 16 | s->tx_fifo_kib << 8 | s->rx_fifo_kib;

    if (cap0 != want0 || cap1 != s->features || cap3 != want3) {
        error_setg(errp, "fpgaeth: the RTL at %s reads CAP0 0x%08" PRIx32
                   " CAP1 0x%08" PRIx32 " CAP3 0x%08" PRIx32 "; the "
                   "properties say 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08"
                   PRIx32 " (set max-frame, max-ring-log2, num-queues, "
                   "features, clk-mhz, tx-fifo-kib, rx-fifo-kib to match)",
                   s->cosim_path, cap0, cap1, cap3, want0, s->features,
                   want3);
        return false;
    }
    return true;
}

bool fpgaeth_cosim_realize(FpgaethState *s, Error **errp)
{
    FpgaethCosim *cs = g_new0(FpgaethCosim, 1);
    FeCosimMsg m = { .type = FE_COSIM_HELLO, .a = FE_COSIM_MAGIC };

    cs->fd = unix_connect(s->cosim_path, errp);
    if (cs->fd < 0) {
        g_free(cs);
        return false;
    }
    s->cosim = cs;
    cs->t0_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    if (!cosim_io(s, true, &m, sizeof(m)) ||
        !cosim_io(s, false, &m, sizeof(m)) || m.type != FE_COSIM_DONE) {
        error_setg(errp, "fpgaeth: no HELLO answer from the shim at %s",
                   s->cosim_path);
        goto fail;
    }
    if (m.a != s->num_qp) {
        error_setg(errp, "fpgaeth: the shim at %s has NUM_QP %" PRIu64
                   "; this device num-queues %" PRIu32, s->cosim_path,
                   (uint64_t)m.a, s->num_qp);
        goto fail;
    }
    cs->clocks = m.c;
    QSIMPLEQ_INIT(&cs->tx);
    cs->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, cosim_timer_cb, s);
    /* before the first command: cosim_cmd() may schedule it */
    cs->tx_bh = qemu_bh_new(cosim_tx_bh, s);
    if (!cosim_check_build(s, errp)) {
        goto fail;
    }
    return true;

fail:
    if (cs->tx_bh) {
        qemu_bh_delete(cs->tx_bh);
    }
    timer_free(cs->timer);
    close(cs->fd);
    g_free(cs);
    s->cosim = NULL;
    return false;
}

void fpgaeth_cosim_unrealize(FpgaethState *s)
{
    FpgaethCosim *cs = s->cosim;
    FpgaethCosimFrame *f;

    if (!cs) {
        return;
    }
    timer_free(cs->timer);
    qemu_bh_delete(cs->tx_bh);
    while ((f = QSIMPLEQ_FIRST(&cs->tx))) {
        QSIMPLEQ_REMOVE_HEAD(&cs->tx, next);
        g_free(f);
    }
    if (cs->fd >= 0) {
        close(cs->fd);
    }
    g_free(cs);
    s->cosim = NULL;
}
