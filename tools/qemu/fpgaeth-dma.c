/*
 * fpgaeth: interrupts and completion coalescing, and the DMA engines.
 *
 * One TX engine serves the enabled TX queues round-robin, on the virtual
 * clock (programming-model.rst "Timing"): it fetches a frame's descriptors
 * and buffers into the TX FIFO (two DMA latencies), puts the frame on the
 * line as soon as the peer takes it (until then it waits, as a MAC waits
 * for the line), keeps the line for the frame's wire time, then writes the
 * EOP descriptor back (one DMA latency), advances HEAD and counts the
 * completion. It overlaps frames: the next one is fetched while one is on
 * the line, and goes on the line while the one before is written back; one
 * DMA port serves the accesses in the order asked. One RX engine drains the
 * RX FIFO into the rings, three DMA latencies a frame. A doorbell only
 * schedules an engine's bottom half; timers only schedule it too, so all
 * DMA runs in a bottom half under the device's reentrancy guard, a burst
 * at a time.
 *
 * All DMA goes through the device's "dma" address space (default: system
 * memory) with dma_memory_*()'s barriers, so the program order of the
 * accesses (the DONE word last) is the order other CPUs see; a transaction
 * that does not complete is a bus error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "hw/irq.h"
#include "hw/registerfields.h"
#include "hw/net/fpgaeth.h"
#include "net/eth.h"
#include "net/net.h"
#include "fpgaeth-internal.h"
#include "trace.h"
#include "net/checksum.h"
#include "system/dma.h"

void fpgaeth_update_irq(FpgaethState *s)
{
    int level = (s->misc_status & s->misc_enable) != 0;

    if (level != s->irq_level[0]) {
        trace_fpgaeth_irq(s->name, -1, level);
        s->irq_level[0] = level;
    }
    qemu_set_irq(s->misc_irq, level);
    for (unsigned q = 0; q < s->num_qp; q++) {
        FpgaethQP *qp = &s->qp[q];

        level = (qp->irq_status & qp->irq_enable) != 0;
        if (level && !s->irq_level[q + 1] &&
            fpgaeth_fault_hit(s, FAULT_IRQ_LOST, q, qp->irq_status)) {
            /* irq-lost: this assertion never reaches the line */
            qp->irq_lost = true;
        }
        if (!level) {
            qp->irq_lost = false;
        }
        if (level != s->irq_level[q + 1]) {
            trace_fpgaeth_irq(s->name, q, level);
            s->irq_level[q + 1] = level;
        }
        /* irq-storm: the line is held high, whatever the status says */
        qemu_set_irq(s->q_irq[q], (level && !qp->irq_lost) ||
                     fpgaeth_fault_find(s, FAULT_IRQ_STORM, q));
    }
}

void fpgaeth_misc_event(FpgaethState *s, uint32_t bits)
{
    s->misc_status |= bits;
    fpgaeth_update_irq(s);
}

/* The device sets the direction's IRQ_STATUS bit (coalescing satisfied). */
static void fpgaeth_coal_fire(FpgaethState *s, unsigned q, bool tx)
{
    FpgaethRing *r = ring_of(s, q, tx);

    s->qp[q].irq_status |= tx ? R_Q_IRQ_TX_MASK : R_Q_IRQ_RX_MASK;
    r->pending = 0;
    if (r->coal_timer_armed) {
        timer_del(r->coal_timer);
        r->coal_timer_armed = false;
    }
    trace_fpgaeth_irq_status(s->name, q, s->qp[q].irq_status);
    fpgaeth_update_irq(s);
}

void fpgaeth_coal_timer_cb(void *opaque)
{
    FpgaethRing *r = opaque;
    FpgaethState *s = r->s;

    r->coal_timer_armed = false;
    if (r->pending) {
        fpgaeth_coal_fire(s, r->q, r->is_tx);
    }
}

/* One frame completed (written back, HEAD advanced) on a ring at @t. */
static void fpgaeth_complete(FpgaethState *s, unsigned q, bool tx, int64_t t)
{
    FpgaethRing *r = ring_of(s, q, tx);
    uint32_t frames = FIELD_EX32(r->coal, Q_COAL, FRAMES);
    uint32_t usecs = FIELD_EX32(r->coal, Q_COAL, USECS);

    r->pending++;
    if ((!frames && !usecs) || (frames && r->pending >= frames)) {
        fpgaeth_coal_fire(s, q, tx);
    } else if (usecs && !r->coal_timer_armed) {
        r->coal_timer_armed = true;
        timer_mod(r->coal_timer, t + (int64_t)usecs * SCALE_US);
        trace_fpgaeth_coal_timer(s->name, dir_name(tx), q, usecs);
    }
}

/* A queue stops on an error until it is disabled and re-enabled. */
void fpgaeth_halt(FpgaethState *s, unsigned q, bool tx, unsigned cause,
                  uint64_t addr)
{
    FpgaethRing *r = ring_of(s, q, tx);

    r->status = FIELD_DP32(0, Q_STATUS, HALTED, 1);
    r->status = FIELD_DP32(r->status, Q_STATUS, CAUSE, cause);
    r->err_addr = addr;
    trace_fpgaeth_halt(s->name, dir_name(tx), q, cause, addr);
    qemu_log_mask(LOG_GUEST_ERROR,
                  "%s: %s queue %u halted, cause %u, address 0x%" PRIx64 "\n",
                  s->name, dir_name(tx), q, cause, addr);
    fpgaeth_misc_event(s, R_MISC_IRQ_DMA_ERR_MASK);
}

/* the TX engine's frame @i places after its oldest */
static FpgaethTxFrame *tx_frame_at(FpgaethState *s, unsigned i)
{
    return &s->tx_fr[(s->tx_first + i) % FPGAETH_TX_INFLIGHT];
}

/* virtual time at which the DMA accesses in flight have completed */
int64_t fpgaeth_dma_busy_until(FpgaethState *s)
{
    int64_t t = 0;

    for (unsigned i = 0; i < s->tx_count; i++) {
        FpgaethTxFrame *f = tx_frame_at(s, i);

        /* on the line a frame has no access in flight */
        if (f->state == TXF_FETCH || f->state == TXF_WB) {
            t = MAX(t, f->t);
        }
    }
    if (s->rx_state == RXE_DMA) {
        t = MAX(t, s->rx_deadline);
    }
    return t;
}

/*
 * Stop both engines at once (soft or system reset): the frame in progress
 * is abandoned, the RX FIFO emptied, a frame queued at the peer purged.
 */
void fpgaeth_engines_stop(FpgaethState *s)
{
    FpgaethRxFrame *f;

    s->tx_first = 0;
    s->tx_count = 0;
    s->tx_clock = 0;
    s->tx_port_free = 0;
    s->tx_line_free = 0;
    s->tx_line_held = false;
    if (s->tx_timer) {
        timer_del(s->tx_timer);
        timer_del(s->rx_timer);
        timer_del(s->rx_line_timer);
        qemu_bh_cancel(s->tx_bh);
        qemu_bh_cancel(s->rx_bh);
    }
    if (s->nic) {
        qemu_purge_queued_packets(qemu_get_queue(s->nic));
    }
    s->rx_state = RXE_IDLE;
    g_free(s->rx_cur);
    s->rx_cur = NULL;
    while ((f = QSIMPLEQ_FIRST(&s->rx_fifo))) {
        QSIMPLEQ_REMOVE_HEAD(&s->rx_fifo, next);
        g_free(f);
    }
    s->rx_fifo_bytes = 0;
    s->rx_fifo_frames = 0;
    s->rx_waiting = false;
}

static bool dma_read(FpgaethState *s, uint64_t addr, void *buf, size_t len)
{
    return dma_memory_read(&s->dma_as, addr, buf, len,
                           MEMTXATTRS_UNSPECIFIED) == MEMTX_OK;
}

static bool dma_write(FpgaethState *s, uint64_t addr, const void *buf,
                      size_t len)
{
    return dma_memory_write(&s->dma_as, addr, buf, len,
                            MEMTXATTRS_UNSPECIFIED) == MEMTX_OK;
}

/*
 * Wake an engine: its timer fires now (at the next pass of the main loop,
 * or of a qtest clock_step), it does not run within the caller. The
 * engines keep their own schedule in virtual time (a step ends at its
 * deadline however late the timer runs), so a kick notes when it happened:
 * work it brought starts no earlier.
 */
void fpgaeth_tx_kick(FpgaethState *s)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!s->tx_kicked) {
        s->tx_kicked = true;
        s->tx_kick_at = now;
    }
    timer_mod_anticipate(s->tx_timer, now);
}

void fpgaeth_rx_kick(FpgaethState *s)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!s->rx_kicked) {
        s->rx_kicked = true;
        s->rx_kick_at = now;
    }
    timer_mod_anticipate(s->rx_timer, now);
}

/*
 * An engine's timer: run it under the device's reentrancy guard, as a
 * guarded bottom half would (and leave it to the bottom half if the guard
 * is taken: a DMA access of ours reached our own registers).
 */
static void fpgaeth_engine_timer(FpgaethState *s, QEMUBH *bh,
                                 void (*run)(void *))
{
    MemReentrancyGuard *guard = &DEVICE(s)->mem_reentrancy_guard;

    if (guard->engaged_in_io) {
        qemu_bh_schedule(bh);
        return;
    }
    guard->engaged_in_io = true;
    run(s);
    guard->engaged_in_io = false;
}

/* Write back a TX frame's EOP descriptor FLAGS. */
static bool fpgaeth_tx_writeback(FpgaethState *s, unsigned q, uint64_t daddr,
                                 uint16_t flags)
{
    uint8_t b[2];

    stw_le_p(b, flags);
    if (fpgaeth_fault_hit(s, FAULT_TX_WB_ERROR, q, daddr + TXD_FLAGS) ||
        !dma_write(s, daddr + TXD_FLAGS, b, 2)) {
        fpgaeth_halt(s, q, true, CAUSE_DESC_WRITE, daddr + TXD_FLAGS);
        return false;
    }
    return true;
}

/*
 * Where @q's next frame starts: past the descriptors of its frames in the
 * engine. *@halting: one of them failed its fetch (the queue halts in its
 * turn, nothing more is fetched).
 */
static uint32_t fpgaeth_tx_fetch_pos(FpgaethState *s, unsigned q,
                                     bool *halting)
{
    FpgaethRing *r = &s->qp[q].tx;
    uint32_t pos = r->head;

    *halting = false;
    for (unsigned i = 0; i < s->tx_count; i++) {
        FpgaethTxFrame *f = tx_frame_at(s, i);

        if (f->q == q && f->gen == r->gen) {
            pos += f->n;
            *halting |= f->halt_cause != CAUSE_NONE;
        }
    }
    return pos & ring_mask(r);
}

/* A new frame at the end of the engine's pipeline, fetched by @t. */
static FpgaethTxFrame *fpgaeth_tx_add(FpgaethState *s, unsigned q, int64_t t)
{
    FpgaethTxFrame *f = tx_frame_at(s, s->tx_count++);

    f->state = TXF_FETCH;
    f->t = t;
    f->q = q;
    f->gen = s->qp[q].tx.gen;
    f->n = 0;
    f->len = 0;
    f->what = NULL;
    f->cancelled = false;
    f->halt_cause = CAUSE_NONE;
    s->qp[q].tx.busy++;
    return f;
}

/*
 * A fetch of queue @q failed: the queue halts at once if the engine has no
 * frame before it, else in its turn, after their write-backs (a halted
 * queue writes nothing more). Returns true if the engine took it.
 */
static bool fpgaeth_tx_fail(FpgaethState *s, unsigned q, unsigned cause,
                            uint64_t addr, int64_t t)
{
    FpgaethTxFrame *f;

    if (!s->tx_count) {
        fpgaeth_halt(s, q, true, cause, addr);
        return false;
    }
    f = fpgaeth_tx_add(s, q, MAX(t, s->tx_port_free));
    f->halt_cause = cause;
    f->halt_addr = addr;
    f->what = "halts the queue";
    return true;
}

/* the frame on the line, if any */
static FpgaethTxFrame *fpgaeth_tx_on_line(FpgaethState *s)
{
    for (unsigned i = 0; i < s->tx_count; i++) {
        FpgaethTxFrame *f = tx_frame_at(s, i);

        if (f->state == TXF_PEER || f->state == TXF_WIRE) {
            return f;
        }
    }
    return NULL;
}

/*
 * Fetch a TX frame of queue @q if a whole one is ready, from @t on: read
 * its descriptors and (unless it is discarded) its buffers into the TX
 * FIFO, one DMA access each when the DMA port is free. Returns true if the
 * engine took a frame; false if the queue has none or halted.
 */
static bool fpgaeth_tx_start(FpgaethState *s, unsigned q, int64_t t)
{
    FpgaethQP *qp = &s->qp[q];
    FpgaethRing *r = &qp->tx;
    uint32_t avail, maxd, pos, n = 0, total = 0, i;
    uint64_t daddr[FPGAETH_TX_MAX_DESCS];
    uint64_t baddr[FPGAETH_TX_MAX_DESCS];
    uint16_t blen[FPGAETH_TX_MAX_DESCS];
    uint16_t flags = 0, first_flags = 0, cs_start = 0, cs_off = 0;
    bool eop = false, bad = false, csum, halting;
    FpgaethTxFrame *f;
    const char *what;
    uint8_t d[DESC_SIZE];
    int64_t grant;

    if (!ring_enabled(r) || ring_halted(r) || qp->tx_stalled) {
        return false;
    }
    pos = fpgaeth_tx_fetch_pos(s, q, &halting);
    avail = (r->tail - pos) & ring_mask(r);
    if (halting || !avail) {
        return false;
    }
    maxd = has_feat(s, R_CAP1_TX_SG_MASK) ? FPGAETH_TX_MAX_DESCS : 1;

    while (n < avail && n < maxd) {
        daddr[n] = ring_desc_addr(r, pos + n);
        if (fpgaeth_fault_take(s, FAULT_TX_DESC_ERROR, q) ||
            fpgaeth_fault_hit(s, FAULT_BUS_ERROR, -1, daddr[n]) ||
            !dma_read(s, daddr[n], d, sizeof(d))) {
            return fpgaeth_tx_fail(s, q, CAUSE_DESC_READ, daddr[n], t);
        }
        baddr[n] = ldq_le_p(d + TXD_ADDR);
        blen[n] = lduw_le_p(d + TXD_LEN);
        flags = lduw_le_p(d + TXD_FLAGS);
        if (n == 0) {
            first_flags = flags;
            cs_start = lduw_le_p(d + TXD_CSUM_START);
            cs_off = lduw_le_p(d + TXD_CSUM_OFFSET);
        }
        if (blen[n] == 0) {
            bad = true;
        }
        total += blen[n];
        n++;
        if (flags & TXD_FLAG_EOP) {
            eop = true;
            break;
        }
    }
    /* the ring is full when the frames in the engine and these fill it */
    if (!eop && n < maxd &&
        ((pos - r->head) & ring_mask(r)) + avail < ring_mask(r)) {
        /* the frame's EOP can still be handed over: wait for a doorbell */
        return false;
    }

    csum = has_feat(s, R_CAP1_TX_CSUM_MASK) && (first_flags & TXD_FLAG_CSUM);
    if (!eop) {
        /* TX_MAX_DESCS without EOP, or a full ring (n - 1) without EOP */
        what = n < maxd ? "discarded: ring full, no EOP" :
                          "discarded: too many descriptors";
    } else if (bad) {
        what = "discarded: LEN 0";
    } else if (total > s->max_frame_len) {
        what = "discarded: too long";
    } else if (csum && (uint32_t)cs_start + cs_off + 2 > total) {
        what = "discarded: bad checksum offsets";
    } else {
        what = NULL;
    }

    f = tx_frame_at(s, s->tx_count);
    if (!what) {
        /* gather the frame into the TX FIFO */
        for (i = 0, total = 0; i < n; i++) {
            if (fpgaeth_fault_take(s, FAULT_TX_BUF_ERROR, q) ||
                !dma_read(s, baddr[i], f->data + total, blen[i])) {
                return fpgaeth_tx_fail(s, q, CAUSE_BUF_ACCESS, baddr[i], t);
            }
            total += blen[i];
        }
        if (csum) {
            uint16_t c = net_checksum_finish_nozero(
                net_checksum_add(total - cs_start, f->data + cs_start));

            stw_be_p(f->data + cs_start + cs_off, c);
        }
        if (total < ETH_ZLEN) {
            memset(f->data + total, 0, ETH_ZLEN - total);
            total = ETH_ZLEN;
        }
    }

    /* the descriptor read, then the buffers (a discarded frame has none) */
    grant = MAX(t, s->tx_port_free) + s->dma_latency_ns;
    if (!what) {
        grant += s->dma_latency_ns;
    }
    s->tx_port_free = grant;
    f = fpgaeth_tx_add(s, q, grant);
    f->n = n;
    f->len = total;
    f->eop_addr = daddr[n - 1];
    /* the write-back keeps the driver's EOP and CSUM; reserved bits read 0 */
    f->wb_flags = (flags & (TXD_FLAG_EOP | TXD_FLAG_CSUM)) | TXD_FLAG_DONE;
    f->what = what;
    if (what) {
        f->wb_flags |= TXD_FLAG_ERR;
    }
    fpgaeth_fault_dup_replay(s, q, (pos + n - 1) & ring_mask(r));
    return true;
}

/*
 * The frame is dead: dropped at a disable, its queue re-enabled, or halted
 * by a frame before it (a failed fetch too: the queue halts once, with the
 * first error's CAUSE and ERR_ADDR).
 */
static bool fpgaeth_tx_dead(FpgaethState *s, FpgaethTxFrame *f)
{
    FpgaethRing *r = &s->qp[f->q].tx;

    return f->cancelled || f->gen != r->gen || ring_halted(r);
}

/*
 * The frame's turn on the line at @t: onto it when the peer takes it. A
 * discarded frame, a failed fetch or a dead frame passes without using it.
 */
static void fpgaeth_tx_to_line(FpgaethState *s, FpgaethTxFrame *f, int64_t t)
{
    int x;

    f->state = TXF_WIRE;
    f->t = t;
    if (f->what || fpgaeth_tx_dead(s, f)) {
        return;
    }
    x = fpgaeth_mac_xmit(s, f->data, f->len, true, t);
    if (x == XMIT_DROPPED) {
        f->what = "consumed: TX_EN 0 or link down";
        return;
    }
    if (x == XMIT_PENDING) {
        trace_fpgaeth_tx_frame(s->name, f->q, s->qp[f->q].tx.head, f->n,
                               f->len, "waits for the peer");
        f->state = TXF_PEER;
        return;
    }
    f->t = t + fpgaeth_wire_time_ns(s, f->len);
    s->tx_line_free = f->t;
}

/* The peer took the frame the engine waits with: the line is ours. */
void fpgaeth_tx_sent(NetClientState *nc, ssize_t len)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);
    FpgaethTxFrame *f = fpgaeth_tx_on_line(s);
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!f || f->state != TXF_PEER) {
        return;     /* abandoned by a soft reset (purged) */
    }
    fpgaeth_stats_tx(s, f->data, f->len);
    f->state = TXF_WIRE;
    f->t = now + fpgaeth_wire_time_ns(s, f->len);
    s->tx_line_free = f->t;
    timer_mod(s->tx_timer, f->t);
}

/*
 * Queue @q was disabled. Its frame in progress goes on: the one on the line
 * (if it waits for the peer, now: the net queue has it), or the one being
 * fetched for an idle line. A frame of it fetched ahead, behind the frame
 * on the line, is dropped: nothing of it is written back.
 */
void fpgaeth_tx_queue_off(FpgaethState *s, unsigned q)
{
    FpgaethTxFrame *line = fpgaeth_tx_on_line(s);

    for (unsigned i = 0; line && i < s->tx_count; i++) {
        FpgaethTxFrame *f = tx_frame_at(s, i);

        if (f->state == TXF_FETCH && f->q == q) {
            f->cancelled = true;
        }
    }
    if (line && line->state == TXF_PEER && line->q == q) {
        fpgaeth_tx_sent(qemu_get_queue(s->nic), line->len);
    }
}

/*
 * The frame left the line: its write-back when the DMA port is free (after
 * the accesses asked for before it), one DMA latency. A failed fetch halts
 * its queue then, without an access; a dead frame has none either.
 */
static void fpgaeth_tx_line_done(FpgaethState *s, FpgaethTxFrame *f)
{
    bool access = !f->halt_cause && !fpgaeth_tx_dead(s, f);

    f->state = TXF_WB;
    f->t = MAX(f->t, s->tx_port_free) + (access ? s->dma_latency_ns : 0);
    s->tx_port_free = f->t;
}

/* The oldest frame's write-back is done: HEAD, completion (or the halt). */
static void fpgaeth_tx_finish(FpgaethState *s, FpgaethTxFrame *f)
{
    FpgaethRing *r = &s->qp[f->q].tx;
    bool dead = fpgaeth_tx_dead(s, f);

    s->tx_first = (s->tx_first + 1) % FPGAETH_TX_INFLIGHT;
    s->tx_count--;
    r->busy--;
    if (!s->tx_kicked) {
        /* its descriptors are the driver's again: look for work */
        s->tx_kicked = true;
        s->tx_kick_at = f->t;
    }
    if (dead) {
        /* re-enabled meanwhile (a protocol error), or halted: abandoned */
        return;
    }
    if (f->halt_cause) {
        fpgaeth_halt(s, f->q, true, f->halt_cause, f->halt_addr);
        return;
    }
    /* tx-wb-skip: the write-back is not made, HEAD moves on */
    if (!fpgaeth_fault_hit(s, FAULT_TX_WB_SKIP, f->q, f->eop_addr) &&
        !fpgaeth_tx_writeback(s, f->q, f->eop_addr, f->wb_flags)) {
        return;
    }
    fpgaeth_fault_done_beyond(s, f->q, true, f->wb_flags);
    fpgaeth_fault_arm(s, FAULT_TX_WB_DUP, f->q,
                      (r->head + f->n - 1) & ring_mask(r), f->wb_flags);
    fpgaeth_fault_arm(s, FAULT_TX_WB_DUP_LATE, f->q,
                      (r->head + f->n - 1) & ring_mask(r), f->wb_flags);
    trace_fpgaeth_tx_frame(s->name, f->q, r->head, f->n, f->len,
                           f->what ? f->what : "sent");
    if (f->wb_flags & TXD_FLAG_ERR) {
        r->drops++;
        stat_inc(s, ST_TX_DISCARDS);
    }
    r->head = (r->head + f->n) & ring_mask(r);
    fpgaeth_complete(s, f->q, true, f->t);
}

/* Fetch a frame of the next queue round-robin that has one. */
static bool fpgaeth_tx_pick(FpgaethState *s, int64_t t)
{
    for (unsigned i = 0; i < s->num_qp; i++) {
        unsigned q = (s->tx_rr + i) % s->num_qp;

        if (fpgaeth_tx_start(s, q, t)) {
            s->tx_rr = (q + 1) % s->num_qp;
            return true;
        }
    }
    return false;
}

/*
 * May the engine fetch another frame? One fetch at a time, into the TX
 * FIFO: when it is empty, or holds only the frame on the line and has room
 * for a MAX_FRAME_LEN frame beside it.
 */
static bool fpgaeth_tx_may_fetch(FpgaethState *s)
{
    unsigned in_fifo = 0;
    FpgaethTxFrame *line = NULL;

    if (!s->tx_kicked || s->resetting ||
        s->tx_count == FPGAETH_TX_INFLIGHT) {
        return false;
    }
    for (unsigned i = 0; i < s->tx_count; i++) {
        FpgaethTxFrame *f = tx_frame_at(s, i);

        if (f->state == TXF_FETCH) {
            return false;
        }
        if (f->state != TXF_WB) {
            in_fifo++;
            line = f->state == TXF_WIRE ? f : line;
        }
    }
    return !in_fifo ||
           (in_fifo == 1 && line &&
            line->len + s->max_frame_len <= s->tx_fifo_kib * 1024);
}

enum { TXEV_NONE, TXEV_FINISH, TXEV_LINE_DONE, TXEV_LINE, TXEV_FETCH };

/*
 * The engine's next step and its time: the oldest frame's write-back done,
 * the frame on the line done, the next frame onto the line (in order, when
 * the line is free and no pause holds it), another fetch. At equal times
 * in this order.
 */
static int fpgaeth_tx_next(FpgaethState *s, FpgaethTxFrame **fp,
                           int64_t *tp)
{
    int ev = TXEV_NONE;
    int64_t t = INT64_MAX;

    for (unsigned i = 0; i < s->tx_count; i++) {
        FpgaethTxFrame *f = tx_frame_at(s, i);

        if (f->state == TXF_WB) {
            if (i == 0) {
                ev = TXEV_FINISH;
                t = f->t;
                *fp = f;
            }
            continue;
        }
        if (f->state == TXF_WIRE && f->t < t) {
            ev = TXEV_LINE_DONE;
            t = f->t;
            *fp = f;
        } else if (f->state == TXF_FETCH) {
            int64_t at = MAX(f->t, s->tx_line_free);

            if (s->tx_paused && !f->what) {
                s->tx_line_held = true;
            } else if (at < t) {
                ev = TXEV_LINE;
                t = at;
                *fp = f;
            }
        }
        /* the line takes the frames in order */
        break;
    }
    if (fpgaeth_tx_may_fetch(s)) {
        int64_t at = MAX(s->tx_clock, s->tx_kick_at);

        if (at < t) {
            ev = TXEV_FETCH;
            t = at;
        }
    }
    *tp = t;
    return ev;
}

/*
 * The TX engine (bottom half): a pipeline, as a DMA engine overlaps the
 * next frame's fetch with the line: while a frame is on the line the next
 * one is fetched into the TX FIFO; when the line is done the frame's
 * write-back and the next frame's line time go on together. One DMA port
 * serves the fetches and write-backs in the order asked. Steps are taken
 * in virtual-time order, each at its own time however late the bottom
 * half runs.
 */
static void fpgaeth_tx_run(FpgaethState *s)
{
    unsigned frames = 0;

    for (;;) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), t;
        FpgaethTxFrame *f = NULL;
        int ev = fpgaeth_tx_next(s, &f, &t);

        if (ev == TXEV_NONE) {
            return;
        }
        if (t > now) {
            timer_mod(s->tx_timer, t);
            return;
        }
        s->tx_clock = MAX(s->tx_clock, t);
        switch (ev) {
        case TXEV_FINISH:
            fpgaeth_tx_finish(s, f);
            break;
        case TXEV_LINE_DONE:
            fpgaeth_tx_line_done(s, f);
            break;
        case TXEV_LINE:
            if (s->tx_line_held) {
                /* held by a pause: the line is free since it ended */
                s->tx_line_held = false;
                t = MAX(t, now);
                s->tx_clock = t;
            }
            fpgaeth_tx_to_line(s, f, t);
            break;
        case TXEV_FETCH:
            if (frames++ == FPGAETH_ENGINE_BURST) {
                /* let the rest of QEMU run; go on in the next BH */
                qemu_bh_schedule(s->tx_bh);
                return;
            }
            if (!fpgaeth_tx_pick(s, t)) {
                s->tx_kicked = false;
            }
            break;
        }
    }
}

void fpgaeth_tx_bh(void *opaque)
{
    FpgaethState *s = opaque;

    fpgaeth_tx_run(s);
    fpgaeth_wdog_update_all(s);
}

void fpgaeth_tx_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    fpgaeth_engine_timer(s, s->tx_bh, fpgaeth_tx_bh);
}

/* Take the frame at the head of the RX FIFO out of it. */
/*
 * The head frame leaves the RX FIFO, taken or dropped (its queue disabled
 * or halted, a STALL halt included): the frame behind it has not waited
 * for buffers yet, so its wait sends XOFF again and the watchdog counts it.
 */
static FpgaethRxFrame *fpgaeth_rx_fifo_pop(FpgaethState *s)
{
    FpgaethRxFrame *f = QSIMPLEQ_FIRST(&s->rx_fifo);

    QSIMPLEQ_REMOVE_HEAD(&s->rx_fifo, next);
    s->rx_waiting = false;
    return f;
}

static void fpgaeth_rx_fifo_free(FpgaethState *s, FpgaethRxFrame *f)
{
    s->rx_fifo_bytes -= f->len;
    s->rx_fifo_frames--;
    g_free(f);
}

/* Drop the frame at the head of the RX FIFO as RX_NOBUF. */
static void fpgaeth_rx_drop_head(FpgaethState *s, const char *why)
{
    FpgaethRxFrame *f = fpgaeth_rx_fifo_pop(s);

    fpgaeth_rx_nobuf(s, f->q, f->len, why);
    fpgaeth_rx_fifo_free(s, f);
}

/*
 * The RX engine takes the frame at the head of the RX FIFO: it reads as many
 * descriptors of its queue as the frame needs and starts the frame's DMA.
 * Returns false if the frame waits for buffers (it stays at the head and
 * every frame behind it waits too, as in one FIFO).
 */
static bool fpgaeth_rx_start(FpgaethState *s, FpgaethRxFrame *f, int64_t now)
{
    unsigned q = f->q;
    FpgaethRing *r = &s->qp[q].rx;
    uint32_t avail, n = 0;
    size_t cap = 0;
    uint8_t d[DESC_SIZE];

    if (!ring_enabled(r)) {
        fpgaeth_rx_drop_head(s, "queue disabled");
        return true;
    }
    if (ring_halted(r)) {
        fpgaeth_rx_drop_head(s, "queue halted");
        return true;
    }
    avail = (r->tail - r->head) & ring_mask(r);
    while (cap < f->len) {
        uint64_t a;

        if (n == avail) {
            if (avail == ring_mask(r)) {
                /* a full ring of buffers does not hold it: it never will */
                fpgaeth_rx_drop_head(s, "frame larger than the ring");
                return true;
            }
            if (!s->rx_waiting) {
                trace_fpgaeth_rx_drop(s->name, f->len, "waits for buffers");
                s->rx_waiting = true;
                fpgaeth_rx_xoff(s);
            }
            return false;
        }
        a = ring_desc_addr(r, r->head + n);
        if (fpgaeth_fault_take(s, FAULT_RX_DESC_ERROR, q) ||
            fpgaeth_fault_hit(s, FAULT_BUS_ERROR, -1, a) ||
            !dma_read(s, a, d, sizeof(d))) {
            fpgaeth_halt(s, q, false, CAUSE_DESC_READ, a);
            fpgaeth_rx_drop_head(s, "descriptor read error");
            return true;
        }
        s->rx_baddr[n] = ldq_le_p(d + RXD_ADDR);
        s->rx_blen[n] = lduw_le_p(d + RXD_BUF_LEN);
        if (!s->rx_blen[n]) {
            fpgaeth_halt(s, q, false, CAUSE_DESC_INVALID, a);
            fpgaeth_rx_drop_head(s, "BUF_LEN 0");
            return true;
        }
        cap += s->rx_blen[n];
        n++;
    }
    if (s->qp[q].rx_stalled) {
        /* rx-stall: the engine hangs on the frame (it has its buffers) */
        fpgaeth_fault_hit(s, FAULT_RX_STALL, q, ring_desc_addr(r, r->head));
        s->rx_waiting = false;
        return false;
    }

    /* the engine is free, the frame in the FIFO (and, if it waited, the
     * buffers posted) */
    now = MAX(MAX(now, f->ready), s->rx_free_at);
    if (s->rx_waiting && s->rx_kicked) {
        now = MAX(now, s->rx_kick_at);
    }
    s->rx_cur = fpgaeth_rx_fifo_pop(s);
    s->rx_n = n;
    s->rx_gen = r->gen;
    r->busy = true;
    /* descriptor fetch, data, write-back: three DMA latencies */
    s->rx_state = RXE_DMA;
    s->rx_deadline = now + 3 * (int64_t)s->dma_latency_ns;
    timer_mod(s->rx_timer, s->rx_deadline);
    return true;
}

/*
 * The frame's data into the engine's buffers, filling each before the
 * next; their lengths into rx_wlen. Returns false on a bus error (the
 * queue halted).
 */
static bool fpgaeth_rx_store_data(FpgaethState *s, FpgaethRxFrame *f)
{
    size_t off = 0;

    for (uint32_t i = 0; i < s->rx_n; i++) {
        uint16_t chunk = MIN(s->rx_blen[i], f->len - off);

        if (fpgaeth_fault_take(s, FAULT_RX_BUF_ERROR, f->q) ||
            !dma_write(s, s->rx_baddr[i], f->data + off, chunk)) {
            fpgaeth_halt(s, f->q, false, CAUSE_BUF_ACCESS, s->rx_baddr[i]);
            return false;
        }
        s->rx_wlen[i] = chunk;
        off += chunk;
    }
    return true;
}

/* The STATUS word of descriptor @i of the frame (EOP in descriptor @eop_at) */
static uint16_t fpgaeth_rx_status(FpgaethState *s, unsigned i,
                                  uint32_t eop_at, uint32_t htype,
                                  bool csum_valid)
{
    uint16_t status = RXD_ST_DONE | (i == eop_at ? RXD_ST_EOP : 0);

    if (i == s->rx_n - 1) {
        status |= htype << RXD_ST_HASH_SHIFT;
        if (csum_valid) {
            status |= RXD_ST_CSUM_VALID;
        }
    }
    return status;
}

/*
 * The frame's write-back from descriptor HEAD on: every byte but the STATUS
 * words first, then the STATUS words, the frame's first descriptor last.
 * Returns false on a bus error (the queue halted).
 */
static bool fpgaeth_rx_writeback(FpgaethState *s, FpgaethRxFrame *f,
                                 uint16_t csum, bool csum_valid)
{
    unsigned q = f->q, n = s->rx_n;
    FpgaethRing *r = &s->qp[q].rx;
    uint32_t htype = f->htype, eop_at = n - 1;
    uint16_t status = 0;
    uint8_t d[DESC_SIZE];

    fpgaeth_fault_rx_status(s, q, n, &htype, &eop_at);
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = ring_desc_addr(r, r->head + i);

        memset(d, 0, sizeof(d));
        if (i == n - 1) {
            stl_le_p(d + RXD_WB_HASH, f->hash);
            stw_le_p(d + RXD_WB_CSUM, csum);
        }
        stw_le_p(d + RXD_WB_LEN, s->rx_wlen[i]);
        if (fpgaeth_fault_rx_wb(s, q, i, 2 * n) ||
            !dma_write(s, a, d, RXD_STATUS) ||
            !dma_write(s, a + RXD_STATUS + 2, d + RXD_STATUS + 2,
                       DESC_SIZE - RXD_STATUS - 2)) {
            fpgaeth_halt(s, q, false, CAUSE_DESC_WRITE, a);
            return false;
        }
    }
    for (unsigned i = n; i-- > 0;) {
        uint64_t a = ring_desc_addr(r, r->head + i);

        status = fpgaeth_rx_status(s, i, eop_at, htype, csum_valid);
        stw_le_p(d, status);
        if (fpgaeth_fault_rx_wb(s, q, 2 * n - 1 - i, 2 * n) ||
            !dma_write(s, a + RXD_STATUS, d, 2)) {
            fpgaeth_halt(s, q, false, CAUSE_DESC_WRITE, a + RXD_STATUS);
            return false;
        }
    }
    /* status: the first descriptor's */
    fpgaeth_fault_rx_written(s, q, r->head, status);
    return true;
}

/*
 * The frame's DMA: its data into the buffers, then the write-back, HEAD,
 * completion. Returns the reason the frame was dropped, or NULL.
 */
static const char *fpgaeth_rx_store(FpgaethState *s, FpgaethRxFrame *f)
{
    unsigned q = f->q, n = s->rx_n;
    FpgaethRing *r = &s->qp[q].rx;
    uint16_t csum = 0;
    bool csum_valid;

    if (!fpgaeth_rx_store_data(s, f)) {
        return "buffer write error";
    }
    csum_valid = has_feat(s, R_CAP1_RX_CSUM_MASK) &&
                 ctrl_on(s, R_CTRL_RX_CSUM_EN_MASK);
    if (csum_valid) {
        /* the sum, not complemented */
        csum = ~net_checksum_finish(net_checksum_add(f->len - ETH_HLEN,
                                                     f->data + ETH_HLEN));
    }
    s->rx_wlen[n - 1] = fpgaeth_fault_rx_len(s, q, s->rx_blen[n - 1],
                                             s->rx_wlen[n - 1]);
    /* rx-wb-skip: no write-back at all, HEAD moves on */
    if (!fpgaeth_fault_hit(s, FAULT_RX_WB_SKIP, q, ring_desc_addr(r, r->head)) &&
        !fpgaeth_rx_writeback(s, f, csum, csum_valid)) {
        return "descriptor write-back error";
    }
    trace_fpgaeth_rx_frame(s->name, q, r->head, n, f->len, f->hash, f->htype);
    r->head = (r->head + n) & ring_mask(r);
    fpgaeth_complete(s, q, false, s->rx_deadline);
    return NULL;
}

/* The DMA of the engine's frame has taken its time: finish it. */
static void fpgaeth_rx_finish(FpgaethState *s)
{
    FpgaethRxFrame *f = s->rx_cur;
    FpgaethRing *r = &s->qp[f->q].rx;
    const char *why = NULL;

    s->rx_cur = NULL;
    s->rx_state = RXE_IDLE;
    s->rx_free_at = s->rx_deadline;
    r->busy = false;
    if (r->gen != s->rx_gen) {
        why = "queue re-enabled while busy";
    } else {
        why = fpgaeth_rx_store(s, f);
    }
    if (why) {
        fpgaeth_rx_nobuf(s, f->q, f->len, why);
    }
    fpgaeth_rx_fifo_free(s, f);
}

/* The RX engine (bottom half): drain the RX FIFO at DMA pace. */
static void fpgaeth_rx_run(FpgaethState *s)
{
    unsigned frames = 0;

    for (;;) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        FpgaethRxFrame *f;

        if (s->rx_state == RXE_DMA) {
            if (now < s->rx_deadline) {
                timer_mod(s->rx_timer, s->rx_deadline);
                return;
            }
            fpgaeth_rx_finish(s);
            continue;
        }
        f = QSIMPLEQ_FIRST(&s->rx_fifo);
        if (!f || s->resetting) {
            s->rx_kicked = false;
            return;
        }
        if (f->ready > now) {
            /* still arriving from the line */
            timer_mod(s->rx_timer, f->ready);
            return;
        }
        if (frames++ == FPGAETH_ENGINE_BURST) {
            qemu_bh_schedule(s->rx_bh);
            return;
        }
        if (!fpgaeth_rx_start(s, f, 0)) {
            s->rx_kicked = false;
            return;
        }
    }
}

void fpgaeth_rx_bh(void *opaque)
{
    FpgaethState *s = opaque;

    fpgaeth_rx_run(s);
    fpgaeth_wdog_update_all(s);
}

void fpgaeth_rx_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    fpgaeth_engine_timer(s, s->rx_bh, fpgaeth_rx_bh);
}

/*
 * The stall watchdog (programming-model.rst "Stall watchdog"): does queue
 * @q's engine have work at @now? TX: descriptors handed over and the
 * transmitter not held (a pause, the peer not taking a frame); RX: the
 * frame in the engine, or the one at the head of the RX FIFO, is the
 * queue's, has arrived and does not wait for buffers.
 */
static bool fpgaeth_wdog_work(FpgaethState *s, FpgaethRing *r, int64_t now)
{
    FpgaethTxFrame *line;
    FpgaethRxFrame *f;

    if (!ring_enabled(r) || ring_halted(r)) {
        return false;
    }
    if (r->is_tx) {
        line = fpgaeth_tx_on_line(s);
        return r->head != r->tail && !s->tx_paused &&
               !(line && line->state == TXF_PEER);
    }
    if (s->rx_state == RXE_DMA) {
        return s->rx_cur->q == r->q;
    }
    f = QSIMPLEQ_FIRST(&s->rx_fifo);
    return f && f->q == r->q && f->ready <= now && !s->rx_waiting;
}

static int64_t fpgaeth_wdog_ns(FpgaethState *s)
{
    return (int64_t)s->stall_timeout * SCALE_MS;
}

/* Start, restart (HEAD moved) or stop a queue's watchdog at @now. */
static void fpgaeth_wdog_update(FpgaethState *s, FpgaethRing *r, int64_t now)
{
    if (!fpgaeth_wdog_work(s, r, now)) {
        if (r->wdog_since >= 0) {
            r->wdog_since = -1;
            timer_del(r->wdog_timer);
        }
        return;
    }
    if (r->wdog_since < 0 || r->head != r->wdog_head) {
        r->wdog_since = now;
        r->wdog_head = r->head;
        timer_mod(r->wdog_timer, now + fpgaeth_wdog_ns(s));
        trace_fpgaeth_wdog_start(s->name, dir_name(r->is_tx), r->q, r->head,
                                 s->stall_timeout);
    }
}

/* After anything that may start or end a queue's work, or move HEAD. */
void fpgaeth_wdog_update_all(FpgaethState *s)
{
    int64_t now;

    if (!s->stall_timeout) {
        return;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    for (unsigned q = 0; q < s->num_qp; q++) {
        fpgaeth_wdog_update(s, &s->qp[q].tx, now);
        fpgaeth_wdog_update(s, &s->qp[q].rx, now);
    }
}

/* STALL_TIMEOUT written, or a reset: every watchdog counts from 0. */
void fpgaeth_wdog_restart(FpgaethState *s)
{
    for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
        for (int t = 0; t < 2; t++) {
            FpgaethRing *r = ring_of(s, q, t);

            r->wdog_since = -1;
            if (r->wdog_timer) {
                timer_del(r->wdog_timer);
            }
        }
    }
    fpgaeth_wdog_update_all(s);
}

/*
 * A watchdog's time is up: a queue that still has work and completed
 * nothing halts with CAUSE STALL (ERR_ADDR: the descriptor at HEAD); its
 * engine drops what it held (an RX frame: as the halted queue's).
 */
void fpgaeth_wdog_timer_cb(void *opaque)
{
    FpgaethRing *r = opaque;
    FpgaethState *s = r->s;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!s->stall_timeout) {
        return;
    }
    fpgaeth_wdog_update(s, r, now);
    if (r->wdog_since < 0 || now - r->wdog_since < fpgaeth_wdog_ns(s)) {
        return;
    }
    trace_fpgaeth_wdog_stall(s->name, dir_name(r->is_tx), r->q, r->head,
                             s->stall_timeout);
    r->wdog_since = -1;
    fpgaeth_halt(s, r->q, r->is_tx, CAUSE_STALL, ring_desc_addr(r, r->head));
    if (r->is_tx) {
        fpgaeth_tx_kick(s);
    } else {
        fpgaeth_rx_kick(s);
    }
}
