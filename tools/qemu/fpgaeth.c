/*
 * fpgaeth: Ethernet MAC + multi-queue DMA IP (programming model 1.1)
 *
 * A model of the fpgaeth project's FPGA Ethernet IP, implementing exactly
 * Documentation/fpgaeth/programming-model.rst, with the QEMU specifics of
 * Documentation/fpgaeth/qemu-model.rst: a dynamic sysbus device for the
 * 'virt' platform bus (its DT node is made in hw/core/sysbus-fdt.c),
 * NUM_QP + 1 level interrupts (misc, q0, q1, ...), one 64 KiB register
 * window, all DMA through the device's address space, and a run-time
 * writable "fault" property for fault injection.
 *
 * The model is split by concern: fpgaeth.c (this file: device, properties,
 * registers, reset), fpgaeth-dma.c, fpgaeth-mac.c, fpgaeth-phy.c,
 * fpgaeth-fault.c; fpgaeth-internal.h is what they share.
 *
 * Where the programming model leaves a choice, the model does this:
 *  - a CTRL write with SOFT_RESET = 1 only resets (its other bits are lost);
 *  - MAX_FRAME_LEN resets to MIN(1518, MAX_FRAME);
 *  - without CAP1.TX_SG, TX_MAX_DESCS is 1: a descriptor without EOP is a
 *    frame with too many descriptors (discarded, DONE | ERR on it);
 *  - an access that crosses a 32-bit word is split at the words, the lower
 *    first, each piece acting as the register port says;
 *  - PAUSE_CMD with XOFF and XON both set sends XOFF, then XON;
 *  - MDIO op codes 0 and 3 start nothing: no MDIO_DONE;
 *  - RX write-back: all bytes but the STATUS words first, then the STATUS
 *    words from the frame's last descriptor to its first; CSUM_VALID and
 *    HASH_TYPE are set in the EOP descriptor only;
 *  - a frame that an RX halt interrupts is counted in RX_NOBUF;
 *  - frames from the line are dropped (uncounted) while the PHY has no link;
 *  - rx-bad-len applies to the frame's EOP descriptor; rx-fifo-overflow and
 *    rx-fcs-error count frames that pass step 1 (RX_EN, not in loopback).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "hw/net/fpgaeth.h"
#include "migration/vmstate.h"
#include "net/eth.h"
#include "net/net.h"
#include "exec/address-spaces.h"
#include "hw/net/mii.h"
#include "fpgaeth-internal.h"
#include "trace.h"

/* the CTRL bits of optional features (CAP1): read-only 0 without them */
#define CTRL_FEATURE_BITS (R_CTRL_LOOPBACK_MASK | R_CTRL_RSS_EN_MASK | \
                           R_CTRL_RX_CSUM_EN_MASK | R_CTRL_RX_PAUSE_EN_MASK | \
                           R_CTRL_TX_PAUSE_EN_MASK)

static uint32_t ctrl_writable(FpgaethState *s)
{
    uint32_t m = R_CTRL_TX_EN_MASK | R_CTRL_RX_EN_MASK |
                 R_CTRL_PROMISC_MASK | R_CTRL_ALLMULTI_MASK;

    if (has_feat(s, R_CAP1_LOOPBACK_MASK)) {
        m |= R_CTRL_LOOPBACK_MASK;
    }
    if (has_feat(s, R_CAP1_RSS_MASK)) {
        m |= R_CTRL_RSS_EN_MASK;
    }
    if (has_feat(s, R_CAP1_RX_CSUM_MASK)) {
        m |= R_CTRL_RX_CSUM_EN_MASK;
    }
    if (has_feat(s, R_CAP1_PAUSE_MASK)) {
        m |= R_CTRL_RX_PAUSE_EN_MASK | R_CTRL_TX_PAUSE_EN_MASK;
    }
    return m;
}

/*
 * The driver broke a rule of the programming model that hardware cannot
 * check (a write during soft reset, BASE/SIZE or ENABLE while a queue is not
 * IDLE, a CTRL bit of an absent feature set): logged with LOG_GUEST_ERROR by the caller, counted here; the
 * "protocol-errors" property reads the count.
 */
static void fpgaeth_protocol_error(FpgaethState *s)
{
    s->protocol_errors++;
}

/* Every register and the engines to their reset state (the lines aside). */
static void fpgaeth_reset_state(FpgaethState *s)
{
    fpgaeth_engines_stop(s);

    s->scratch = 0;
    s->ctrl = 0;
    s->mac_cfg = FIELD_DP32(0, MAC_CFG, SPEED, 2);
    s->mac_cfg = FIELD_DP32(s->mac_cfg, MAC_CFG, FULL_DUPLEX, 1);
    s->mac_addr_lo = 0;
    s->mac_addr_hi = 0;
    s->max_frame_len = MIN(FPGAETH_DEFAULT_MTU_LEN, s->max_frame);
    s->mc_hash_lo = 0;
    s->mc_hash_hi = 0;
    s->pause_quanta = 0xffff;
    s->mdio_cmd = 0;
    s->mdio_data = 0;
    s->mdio_cfg = 0x3f;
    s->misc_status = 0;
    s->misc_enable = 0;
    memset(s->rss_key, 0, sizeof(s->rss_key));
    memset(s->rss_indir, 0, sizeof(s->rss_indir));
    s->stall_timeout = 0;
    fpgaeth_wdog_restart(s);
    memset(s->stats, 0, sizeof(s->stats));
    memset(s->stats_hi_latch, 0, sizeof(s->stats_hi_latch));

    for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
        FpgaethQP *qp = &s->qp[q];

        for (int t = 0; t < 2; t++) {
            FpgaethRing *r = t ? &qp->tx : &qp->rx;

            r->base_lo = r->base_hi = r->size = 0;
            r->head = r->tail = r->ctrl = r->status = 0;
            r->coal = FIELD_DP32(0, Q_COAL, FRAMES, 1);
            r->err_addr = 0;
            r->drops = 0;
            r->busy = false;
            r->drain_until = 0;
            r->idle_seen = true;
            r->gen++;
            r->base = 0;
            r->log2 = 0;
            r->pending = 0;
            if (r->coal_timer) {
                timer_del(r->coal_timer);
            }
            r->coal_timer_armed = false;
        }
        qp->irq_status = 0;
        qp->irq_enable = 0;
        qp->late_clear = 0;
        if (qp->tx_stalled) {
            FpgaethFault *f;

            while ((f = fpgaeth_fault_find(s, FAULT_TX_STALL, q))) {
                fpgaeth_fault_remove(s, f);
            }
            qp->tx_stalled = false;
        }
        fpgaeth_rx_unstall(s, q);
    }

    s->tx_rr = 0;
    s->tx_paused = false;
    if (s->pause_timer) {
        timer_del(s->pause_timer);
    }
    s->auto_xoff_sent = false;
    s->last_auto_xoff = 0;
}

static void fpgaeth_soft_reset(FpgaethState *s)
{
    trace_fpgaeth_soft_reset(s->name, "start");
    fpgaeth_reset_state(s);
    fpgaeth_update_irq(s);
}

/* Power-on / system reset (ResettableClass): enter, then the lines in hold */
static void fpgaeth_reset_enter(Object *obj, ResetType type)
{
    FpgaethState *s = FPGAETH(obj);

    fpgaeth_reset_state(s);
    s->resetting = false;
    timer_del(s->reset_timer);
    for (unsigned q = 0; q < s->num_qp; q++) {
        s->qp[q].tx_stalled = fpgaeth_fault_find(s, FAULT_TX_STALL, q) != NULL;
        s->qp[q].rx_stalled = fpgaeth_fault_find(s, FAULT_RX_STALL, q) != NULL;
    }
    /* power-on also resets the PHY */
    fpgaeth_phy_reset(s);
    s->link_up = (s->phy_bmcr & MII_BMCR_LOOPBACK) || fpgaeth_phy_line_up(s);
    s->phy_link_latch = s->link_up;
}

static void fpgaeth_reset_hold(Object *obj, ResetType type)
{
    FpgaethState *s = FPGAETH(obj);

    if (s->cosim) {
        fpgaeth_cosim_reset(s);
        return;
    }
    fpgaeth_update_irq(s);
}

/* the slow-drain fault holds a disabled queue's last DMA for a while */
static bool ring_draining(FpgaethRing *r, int64_t now)
{
    return now < r->drain_until;
}

/*
 * What the driver may rely on before it reprograms or re-enables a queue it
 * disabled: the engine is done with it and, on a 1.1 IP, the driver has
 * read STATUS with IDLE set (the spec's procedure: it polls for IDLE).
 */
static bool ring_settled(FpgaethState *s, FpgaethRing *r, int64_t now)
{
    if (r->busy || ring_draining(r, now)) {
        return false;
    }
    return r->idle_seen || !has_feat(s, R_CAP1_QUEUE_IDLE_MASK);
}

static void fpgaeth_ring_enable(FpgaethState *s, unsigned q, bool tx, bool on,
                                int64_t now)
{
    FpgaethRing *r = ring_of(s, q, tx);
    bool was = ring_enabled(r);

    if (on && !was && !ring_settled(s, r, now)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: %s queue %u enabled before it was IDLE (a frame "
                      "of the last enable still in progress)\n",
                      s->name, dir_name(tx), q);
        fpgaeth_protocol_error(s);
    }
    r->ctrl = on ? R_Q_CTRL_ENABLE_MASK : 0;
    if (on != was) {
        /* the engine starts or drops what the queue has */
        if (tx) {
            fpgaeth_tx_kick(s);
        } else {
            fpgaeth_rx_kick(s);
        }
    }
    if (on && !was) {
        r->gen++;
        r->head = 0;
        r->tail = 0;
        r->status = 0;
        r->err_addr = 0;
        r->base = ((uint64_t)r->base_hi << 32) | r->base_lo;
        r->log2 = r->size;
        trace_fpgaeth_queue_enable(s->name, dir_name(tx), q, 1, r->base,
                                   r->log2);
        if (r->log2 < FPGAETH_MIN_RING_LOG2 ||
            r->log2 > s->max_ring_log2) {
            /* HEAD/TAIL masks stay sane while halted */
            r->log2 = 0;
            fpgaeth_halt(s, q, tx, CAUSE_RING_CONFIG, r->base);
        }
    } else if (!on && was) {
        FpgaethFault *slow = fpgaeth_fault_find(s, FAULT_SLOW_DRAIN, -1);

        trace_fpgaeth_queue_enable(s->name, dir_name(tx), q, 0, r->base,
                                   r->log2);
        r->idle_seen = false;
        if (slow) {
            /* a congested interconnect: the last access completes late */
            r->drain_until = now + (int64_t)slow->arg * SCALE_MS;
        }
        if (tx) {
            fpgaeth_tx_queue_off(s, q);
        }
        if (tx && s->qp[q].tx_stalled) {
            FpgaethFault *f;

            while ((f = fpgaeth_fault_find(s, FAULT_TX_STALL, q))) {
                fpgaeth_fault_remove(s, f);
            }
            s->qp[q].tx_stalled = false;
        }
        if (!tx) {
            fpgaeth_rx_unstall(s, q);
        }
    }
}

/* implemented bits of TAIL: [SIZE-1:0] */
static uint32_t tail_mask(FpgaethRing *r)
{
    unsigned log2 = ring_enabled(r) ? r->log2 :
                    MIN(r->size, FPGAETH_MAX_RING_LOG2);

    return (1u << log2) - 1;
}

/* STATUS.IDLE: disabled and no DMA access of the queue outstanding */
static bool ring_idle(FpgaethRing *r, int64_t now)
{
    return !ring_enabled(r) && !r->busy && !ring_draining(r, now);
}

static uint64_t fpgaeth_ring_read(FpgaethState *s, FpgaethRing *r,
                                  hwaddr off)
{
    switch (off) {
    case A_Q_TX_BASE_LO:
        return r->base_lo;
    case A_Q_TX_BASE_HI:
        return r->base_hi;
    case A_Q_TX_SIZE:
        return r->size;
    case A_Q_TX_HEAD:
        return r->head;
    case A_Q_TX_TAIL:
        return r->tail;
    case A_Q_TX_CTRL:
        return r->ctrl;
    case A_Q_TX_STATUS:
        if (has_feat(s, R_CAP1_QUEUE_IDLE_MASK) &&
            ring_idle(r, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL))) {
            r->idle_seen = true;
            return r->status | R_Q_STATUS_IDLE_MASK;
        }
        return r->status;
    case A_Q_TX_COAL:
        return r->coal;
    case A_Q_TX_ERR_ADDR_LO:
        return (uint32_t)r->err_addr;
    case A_Q_TX_ERR_ADDR_HI:
        return r->err_addr >> 32;
    case A_Q_TX_DISCARDS:
        return r->drops;
    default:
        return 0;
    }
}

static bool fpgaeth_ring_write(FpgaethState *s, unsigned q, bool tx,
                               hwaddr off, uint32_t val)
{
    FpgaethRing *r = ring_of(s, q, tx);
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    switch (off) {
    case A_Q_TX_BASE_LO:
    case A_Q_TX_BASE_HI:
    case A_Q_TX_SIZE:
        if (ring_enabled(r) || !ring_settled(s, r, now)) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: %s queue %u: ring register 0x%02" HWADDR_PRIx
                          " written while the queue is not IDLE (or before "
                          "the driver saw IDLE)\n",
                          s->name, dir_name(tx), q, off);
            fpgaeth_protocol_error(s);
        }
        break;
    }
    switch (off) {
    case A_Q_TX_BASE_LO:
        r->base_lo = val & ~0xfu;
        return true;
    case A_Q_TX_BASE_HI:
        r->base_hi = val;
        return true;
    case A_Q_TX_SIZE:
        r->size = FIELD_EX32(val, Q_SIZE, LOG2);
        return true;
    case A_Q_TX_TAIL:
        if (tx) {
            fpgaeth_fault_dup_late(s, q, val & tail_mask(r));
        } else {
            fpgaeth_fault_stale_rearm(s, q, r->tail, val & tail_mask(r));
        }
        r->tail = val & tail_mask(r);
        if (tx) {
            fpgaeth_fault_unrung_snap(s, q, r->tail);
        }
        trace_fpgaeth_doorbell(s->name, dir_name(tx), q, r->head, r->tail);
        /* a doorbell schedules the engine; it does not run it */
        if (tx) {
            fpgaeth_tx_kick(s);
        } else {
            fpgaeth_rx_kick(s);
        }
        return true;
    case A_Q_TX_CTRL:
        fpgaeth_ring_enable(s, q, tx, FIELD_EX32(val, Q_CTRL, ENABLE), now);
        return true;
    case A_Q_TX_COAL:
        r->coal = val;
        return true;
    case A_Q_TX_HEAD:
    case A_Q_TX_STATUS:
    case A_Q_TX_ERR_ADDR_LO:
    case A_Q_TX_ERR_ADDR_HI:
    case A_Q_TX_DISCARDS:
        return true;    /* RO: writes ignored */
    default:
        return false;
    }
}

static uint64_t fpgaeth_qp_read(FpgaethState *s, unsigned q, hwaddr off,
                                bool *ok)
{
    FpgaethQP *qp = &s->qp[q];
    uint32_t val;

    *ok = true;
    if (off == A_Q_TX_HEAD && fpgaeth_fault_find(s, FAULT_TX_HEAD_LIE, q)) {
        return fpgaeth_fault_tx_head(s, q, &qp->tx);
    }
    if ((off == A_Q_TX_HEAD || off == A_Q_TX_HEAD + Q_RX_OFFSET) &&
        fpgaeth_fault_head_back(s, q, off == A_Q_TX_HEAD, &val)) {
        return val;
    }
    if (off < Q_RX_OFFSET && off <= A_Q_TX_DISCARDS) {
        return fpgaeth_ring_read(s, &qp->tx, off);
    }
    if (off >= Q_RX_OFFSET && off <= A_Q_RX_NOBUF) {
        return fpgaeth_ring_read(s, &qp->rx, off - Q_RX_OFFSET);
    }
    switch (off) {
    case A_Q_IRQ_STATUS:
        return qp->irq_status;
    case A_Q_IRQ_ENABLE:
        return qp->irq_enable;
    case A_Q_IRQ_SET:
        return 0;
    default:
        *ok = false;
        return 0;
    }
}

static bool fpgaeth_qp_write(FpgaethState *s, unsigned q, hwaddr off,
                             uint32_t val)
{
    FpgaethQP *qp = &s->qp[q];

    if (off < Q_RX_OFFSET) {
        return fpgaeth_ring_write(s, q, true, off, val);
    }
    if (off <= A_Q_RX_NOBUF) {
        return fpgaeth_ring_write(s, q, false, off - Q_RX_OFFSET, val);
    }
    switch (off) {
    case A_Q_IRQ_STATUS:
        fpgaeth_fault_done_unrung(s, q);
        if (fpgaeth_fault_hit(s, FAULT_IRQ_CLEAR_LATE, q, val)) {
            /* held like a posted write: lands at the next access */
            qp->late_clear |= val & Q_IRQ_MASK;
            return true;
        }
        qp->irq_status &= ~(val & Q_IRQ_MASK);
        break;
    case A_Q_IRQ_ENABLE:
        qp->irq_enable = val & Q_IRQ_MASK;
        break;
    case A_Q_IRQ_SET:
        qp->irq_status |= val & Q_IRQ_MASK;
        break;
    default:
        return false;
    }
    fpgaeth_update_irq(s);
    return true;
}

static uint32_t fpgaeth_cap0(FpgaethState *s)
{
    uint32_t v = FIELD_DP32(0, CAP0, NUM_QP, s->num_qp);

    v = FIELD_DP32(v, CAP0, MAX_RING_LOG2, s->max_ring_log2);
    return FIELD_DP32(v, CAP0, MAX_FRAME, s->max_frame);
}

static uint32_t fpgaeth_cap2(void)
{
    uint32_t v = FIELD_DP32(0, CAP2, RSS_KEY_WORDS, FPGAETH_RSS_KEY_WORDS);

    v = FIELD_DP32(v, CAP2, RSS_INDIR_LOG2, FPGAETH_RSS_INDIR_LOG2);
    return FIELD_DP32(v, CAP2, TX_MAX_DESCS, FPGAETH_TX_MAX_DESCS);
}

static uint32_t fpgaeth_cap3(FpgaethState *s)
{
    uint32_t v = FIELD_DP32(0, CAP3, RX_FIFO_KIB, s->rx_fifo_kib);

    if (s->version == FPGAETH_VERSION_1_0) {
        return 0;       /* CAP3 is new in 1.1 */
    }
    v = FIELD_DP32(v, CAP3, TX_FIFO_KIB, s->tx_fifo_kib);
    return FIELD_DP32(v, CAP3, CLK_MHZ, s->clk_mhz);
}

static uint32_t fpgaeth_queue_summary(FpgaethState *s)
{
    uint32_t v = 0;

    for (unsigned q = 0; q < s->num_qp; q++) {
        if (s->qp[q].irq_status & s->qp[q].irq_enable) {
            v |= 1u << q;
        }
    }
    return v;
}

/* 32-bit register read; *ok = false for an offset that holds no register */
static uint32_t fpgaeth_read32(FpgaethState *s, hwaddr addr, bool *ok)
{
    *ok = true;

    if (addr >= A_STATS_BASE && addr < A_STATS_END) {
        unsigned n = (addr - A_STATS_BASE) / 8;

        if (addr & 4) {
            return s->stats_hi_latch[n];
        }
        s->stats_hi_latch[n] = s->stats[n] >> 32;
        return (uint32_t)s->stats[n];
    }
    if (addr >= A_RSS_KEY0 && addr < A_RSS_KEY0 + 4 * FPGAETH_RSS_KEY_WORDS) {
        return s->rss_key[(addr - A_RSS_KEY0) / 4];
    }
    if (addr >= A_RSS_INDIR0 && addr < A_RSS_INDIR0 + 4 * 32) {
        return s->rss_indir[(addr - A_RSS_INDIR0) / 4];
    }
    if (addr >= A_QP_BASE && addr < A_QP_BASE + QP_STRIDE * FPGAETH_MAX_QP) {
        unsigned q = (addr - A_QP_BASE) / QP_STRIDE;

        if (q >= s->num_qp) {
            *ok = false;
            return 0;
        }
        return fpgaeth_qp_read(s, q, (addr - A_QP_BASE) % QP_STRIDE, ok);
    }

    switch (addr) {
    case A_ID:
        return s->id;
    case A_VERSION:
        return s->version;
    case A_BUILD_ID:
        return s->build_id;
    case A_SCRATCH:
        return s->scratch;
    case A_CAP0:
        return fpgaeth_cap0(s);
    case A_CAP1:
        return s->features;
    case A_CAP2:
        return fpgaeth_cap2();
    case A_CAP3:
        return fpgaeth_cap3(s);
    case A_CTRL:
        return s->resetting ? R_CTRL_SOFT_RESET_MASK : s->ctrl;
    case A_MAC_CFG:
        return s->mac_cfg;
    case A_MAC_ADDR_LO:
        return s->mac_addr_lo;
    case A_MAC_ADDR_HI:
        return s->mac_addr_hi;
    case A_MAX_FRAME_LEN:
        return s->max_frame_len;
    case A_MC_HASH_LO:
        return s->mc_hash_lo;
    case A_MC_HASH_HI:
        return s->mc_hash_hi;
    case A_PAUSE_QUANTA:
        return s->pause_quanta;
    case A_PAUSE_CMD:
        return 0;
    case A_MDIO_CMD:
        return s->mdio_cmd | (s->mdio_stuck ? R_MDIO_CMD_START_MASK : 0);
    case A_MDIO_DATA:
        return s->mdio_data;
    case A_MDIO_CFG:
        return s->mdio_cfg;
    case A_MISC_IRQ_STATUS:
        return s->misc_status;
    case A_MISC_IRQ_ENABLE:
        return s->misc_enable;
    case A_MISC_IRQ_SET:
        return 0;
    case A_QUEUE_IRQ_SUMMARY:
        return fpgaeth_queue_summary(s);
    case A_STATS_CTRL:
        return 0;
    case A_STALL_TIMEOUT:
        return s->stall_timeout;
    default:
        *ok = false;
        return 0;
    }
}

/* One 32-bit read at the port (all strobes), with its read side effect */
/*
 * irq-clear-late: an IRQ_STATUS write held as a write posted in the
 * interconnect is; it lands before the port's next access (the port
 * completes accesses in order), clearing whatever its bits then hold,
 * completions that came meanwhile included.
 */
static void fpgaeth_land_late_clears(FpgaethState *s)
{
    bool landed = false;

    for (unsigned q = 0; q < s->num_qp; q++) {
        FpgaethQP *qp = &s->qp[q];

        if (qp->late_clear) {
            qp->irq_status &= ~qp->late_clear;
            qp->late_clear = 0;
            landed = true;
        }
    }
    if (landed) {
        fpgaeth_update_irq(s);
    }
}

static uint32_t fpgaeth_port_read(FpgaethState *s, hwaddr addr)
{
    uint32_t val;
    bool ok;

    if (fpgaeth_fault_hit(s, FAULT_REGS_ALL_ONES, -1, addr)) {
        /* a bitstream being reloaded: no register answers */
        return UINT32_MAX;
    }
    val = fpgaeth_read32(s, addr, &ok);
    if (!ok) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: read of unimplemented register 0x%04"
                      HWADDR_PRIx "\n", s->name, addr);
    }
    return val;
}

/*
 * The register port (programming-model.rst "Register port"): 32 bits wide.
 * An access reaches it as one 32-bit access per word it touches, the lower
 * address first (an aligned 64-bit access is two of them); a read returns
 * the addressed bytes of each whole word it read.
 */
static uint64_t fpgaeth_read(void *opaque, hwaddr addr, unsigned size)
{
    FpgaethState *s = opaque;
    hwaddr end = addr + size;
    uint64_t val = 0;

    if (s->cosim) {
        return fpgaeth_cosim_read(s, addr, size);
    }
    fpgaeth_land_late_clears(s);

    for (hwaddr w = addr & ~3ull; w < end; w += 4) {
        uint32_t word = fpgaeth_port_read(s, w);
        hwaddr lo = MAX(w, addr), hi = MIN(w + 4, end);

        word = extract32(word, (lo - w) * 8, (hi - lo) * 8);
        val = deposit64(val, (lo - addr) * 8, (hi - lo) * 8, word);
    }
    trace_fpgaeth_reg_read(s->name, addr, val, size);
    return val;
}

/*
 * Soft reset: the registers take their reset values and no DMA starts; the
 * engines abandon their frames after the DMA access in flight (if any), and
 * SOFT_RESET reads 1 until FPGAETH_SOFT_RESET_NS after the last of those.
 */
void fpgaeth_soft_reset_done(FpgaethState *s)
{
    s->resetting = false;
    trace_fpgaeth_soft_reset(s->name, "done");
    /* frames the line held back while the IP was in reset */
    qemu_flush_queued_packets(qemu_get_queue(s->nic));
}

static void fpgaeth_reset_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    if (fpgaeth_fault_hit(s, FAULT_RESET_STUCK, -1, 0)) {
        /* reset-stuck: SOFT_RESET reads 1 until the fault is cleared */
        return;
    }
    fpgaeth_soft_reset_done(s);
}

static void fpgaeth_write_ctrl(FpgaethState *s, uint32_t val)
{
    if (FIELD_EX32(val, CTRL, SOFT_RESET)) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        int64_t dma_done = MAX(now, fpgaeth_dma_busy_until(s));

        for (unsigned q = 0; q < s->num_qp; q++) {
            dma_done = MAX(dma_done, s->qp[q].tx.drain_until);
            dma_done = MAX(dma_done, s->qp[q].rx.drain_until);
        }
        fpgaeth_soft_reset(s);
        if (!has_feat(s, R_CAP1_QUEUE_IDLE_MASK) &&
            !fpgaeth_fault_find(s, FAULT_RESET_STUCK, -1)) {
            /* a 1.0 IP: SOFT_RESET may read 0 at once (the spec) */
            return;
        }
        s->resetting = true;
        timer_mod(s->reset_timer, dma_done + FPGAETH_SOFT_RESET_NS);
        return;
    }
    if (val & CTRL_FEATURE_BITS & ~ctrl_writable(s)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "fpgaeth: CTRL 0x%08x sets a bit of an absent feature"
                      " (CAP1 0x%08x)\n", val, s->features);
        fpgaeth_protocol_error(s);
    }
    /* a pause already received keeps holding TX if RX_PAUSE_EN goes 0 */
    s->ctrl = val & ctrl_writable(s);
}

static void fpgaeth_pause_cmd(FpgaethState *s, uint32_t val)
{
    if (!has_feat(s, R_CAP1_PAUSE_MASK) || !ctrl_on(s, R_CTRL_TX_EN_MASK)) {
        return;
    }
    if (FIELD_EX32(val, PAUSE_CMD, XOFF)) {
        fpgaeth_send_pause(s, s->pause_quanta);
    }
    if (FIELD_EX32(val, PAUSE_CMD, XON)) {
        fpgaeth_send_pause(s, 0);
    }
}

/* 32-bit register write; returns false for an offset with no register */
static bool fpgaeth_write32(FpgaethState *s, hwaddr addr, uint32_t val)
{
    if (addr >= A_STATS_BASE && addr < A_STATS_END) {
        return true;    /* RO */
    }
    if (addr >= A_RSS_KEY0 && addr < A_RSS_KEY0 + 4 * FPGAETH_RSS_KEY_WORDS) {
        s->rss_key[(addr - A_RSS_KEY0) / 4] = val;
        return true;
    }
    if (addr >= A_RSS_INDIR0 && addr < A_RSS_INDIR0 + 4 * 32) {
        s->rss_indir[(addr - A_RSS_INDIR0) / 4] = val & RSS_INDIR_MASK;
        return true;
    }
    if (addr >= A_QP_BASE && addr < A_QP_BASE + QP_STRIDE * FPGAETH_MAX_QP) {
        unsigned q = (addr - A_QP_BASE) / QP_STRIDE;

        if (q >= s->num_qp) {
            return false;
        }
        return fpgaeth_qp_write(s, q, (addr - A_QP_BASE) % QP_STRIDE, val);
    }

    switch (addr) {
    case A_ID:
    case A_VERSION:
    case A_BUILD_ID:
    case A_CAP0:
    case A_CAP1:
    case A_CAP2:
    case A_CAP3:
    case A_QUEUE_IRQ_SUMMARY:
        break;          /* RO */
    case A_SCRATCH:
        s->scratch = val;
        break;
    case A_CTRL:
        fpgaeth_write_ctrl(s, val);
        break;
    case A_MAC_CFG:
        s->mac_cfg = val & (R_MAC_CFG_SPEED_MASK | R_MAC_CFG_FULL_DUPLEX_MASK);
        break;
    case A_MAC_ADDR_LO:
        s->mac_addr_lo = val;
        break;
    case A_MAC_ADDR_HI:
        s->mac_addr_hi = val & R_MAC_ADDR_HI_ADDR_MASK;
        break;
    case A_MAX_FRAME_LEN: {
        uint32_t len = FIELD_EX32(val, MAX_FRAME_LEN, LEN);

        if (len >= FPGAETH_MIN_FRAME_LEN && len <= s->max_frame) {
            s->max_frame_len = len;
        } else {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: MAX_FRAME_LEN %u out of range, ignored\n",
                          s->name, len);
        }
        break;
    }
    case A_MC_HASH_LO:
        s->mc_hash_lo = val;
        break;
    case A_MC_HASH_HI:
        s->mc_hash_hi = val;
        break;
    case A_PAUSE_QUANTA:
        s->pause_quanta = val & R_PAUSE_QUANTA_QUANTA_MASK;
        break;
    case A_PAUSE_CMD:
        fpgaeth_pause_cmd(s, val);
        break;
    case A_MDIO_CMD:
        fpgaeth_mdio_cmd(s, val);
        break;
    case A_MDIO_DATA:
        s->mdio_data = val & R_MDIO_DATA_DATA_MASK;
        break;
    case A_MDIO_CFG:
        s->mdio_cfg = val & R_MDIO_CFG_DIV_MASK;
        break;
    case A_MISC_IRQ_STATUS:
        s->misc_status &= ~(val & MISC_IRQ_MASK);
        fpgaeth_update_irq(s);
        break;
    case A_MISC_IRQ_ENABLE:
        s->misc_enable = val & MISC_IRQ_MASK;
        fpgaeth_update_irq(s);
        break;
    case A_MISC_IRQ_SET:
        fpgaeth_misc_event(s, val & MISC_IRQ_MASK);
        break;
    case A_STATS_CTRL:
        if (FIELD_EX32(val, STATS_CTRL, CLEAR)) {
            memset(s->stats, 0, sizeof(s->stats));
            memset(s->stats_hi_latch, 0, sizeof(s->stats_hi_latch));
        }
        break;
    case A_STALL_TIMEOUT:
        /* without CAP1.STALL_WDOG: reads 0, writes ignored */
        if (has_feat(s, R_CAP1_STALL_WDOG_MASK)) {
            s->stall_timeout = FIELD_EX32(val, STALL_TIMEOUT, MS);
            fpgaeth_wdog_restart(s);
        }
        break;
    default:
        return false;
    }
    return true;
}

/*
 * Writes: each word the access touches is one write at the port; a word
 * written whole (WSTRB 0b1111) takes effect, a part of a word is ignored.
 */
static void fpgaeth_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    FpgaethState *s = opaque;
    hwaddr end = addr + size;

    trace_fpgaeth_reg_write(s->name, addr, val, size);
    if (s->cosim) {
        fpgaeth_cosim_write(s, addr, val, size);
        return;
    }
    fpgaeth_land_late_clears(s);
    for (hwaddr w = addr & ~3ull; w < end; w += 4) {
        if (w < addr || w + 4 > end) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: %u-byte write at 0x%04" HWADDR_PRIx " does "
                          "not cover the word at 0x%04" HWADDR_PRIx
                          ": that part is ignored\n", s->name, size, addr, w);
            continue;
        }
        if (s->resetting) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: write at 0x%04" HWADDR_PRIx " while "
                          "SOFT_RESET reads 1, ignored\n", s->name, w);
            fpgaeth_protocol_error(s);
            continue;
        }
        if (!fpgaeth_write32(s, w, val >> ((w - addr) * 8))) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: write of unimplemented register 0x%04"
                          HWADDR_PRIx "\n", s->name, w);
        }
    }
    /* a doorbell, an enable or a disable may start or end a queue's work */
    fpgaeth_wdog_update_all(s);
}

static const MemoryRegionOps fpgaeth_ops = {
    .read = fpgaeth_read,
    .write = fpgaeth_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    /* any size and alignment: fpgaeth_read/write split them as the port */
    .valid = {
        .min_access_size = 1,
        .max_access_size = 8,
        .unaligned = true,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = 8,
        .unaligned = true,
    },
};

static NetClientInfo net_fpgaeth_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .receive = fpgaeth_receive,
    .can_receive = fpgaeth_can_receive,
    .link_status_changed = fpgaeth_set_link,
};

static void fpgaeth_realize(DeviceState *dev, Error **errp)
{
    FpgaethState *s = FPGAETH(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (s->num_qp < 1 || s->num_qp > FPGAETH_MAX_QP) {
        error_setg(errp, "fpgaeth: num-queues must be 1 to %d, not %" PRIu32,
                   FPGAETH_MAX_QP, s->num_qp);
        return;
    }
    if (s->max_frame < FPGAETH_MIN_FRAME_LEN ||
        s->max_frame > FPGAETH_MAX_FRAME_LIMIT) {
        error_setg(errp, "fpgaeth: max-frame must be %d to %d, not %" PRIu32,
                   FPGAETH_MIN_FRAME_LEN, FPGAETH_MAX_FRAME_LIMIT,
                   s->max_frame);
        return;
    }
    if (s->max_ring_log2 < FPGAETH_MIN_RING_LOG2 ||
        s->max_ring_log2 > FPGAETH_MAX_RING_LOG2) {
        error_setg(errp, "fpgaeth: max-ring-log2 must be %d to %d, not %"
                   PRIu32, FPGAETH_MIN_RING_LOG2, FPGAETH_MAX_RING_LOG2,
                   s->max_ring_log2);
        return;
    }
    if (s->features & ~FPGAETH_FEATURES_ALL) {
        error_setg(errp, "fpgaeth: features 0x%" PRIx32 " is not a subset "
                   "of 0x%x", s->features, FPGAETH_FEATURES_ALL);
        return;
    }
    if (s->version < FPGAETH_VERSION_1_2) {
        /* the stall watchdog is new in 1.2: CAP1 and STALL_TIMEOUT hide it */
        s->features &= ~R_CAP1_STALL_WDOG_MASK;
    }
    if (s->rx_fifo_kib < 1 || s->rx_fifo_kib > 255 ||
        s->tx_fifo_kib * 1024 < s->max_frame + ETH_FCS_LEN ||
        s->tx_fifo_kib > 255) {
        error_setg(errp, "fpgaeth: rx-fifo-kib must be 1 to 255 and "
                   "tx-fifo-kib must hold MAX_FRAME + 4 bytes, up to 255, "
                   "not %" PRIu32 " and %" PRIu32, s->rx_fifo_kib,
                   s->tx_fifo_kib);
        return;
    }
    if (s->clk_mhz < 1 || s->clk_mhz > 65535) {
        error_setg(errp, "fpgaeth: clk-mhz must be 1 to 65535, not %" PRIu32,
                   s->clk_mhz);
        return;
    }
    if (s->dma_latency_ns > 1000000) {
        error_setg(errp, "fpgaeth: dma-latency must be at most 1000000 ns, "
                   "not %" PRIu32, s->dma_latency_ns);
        return;
    }
    if (s->phy_addr > 31) {
        error_setg(errp, "fpgaeth: phy-addr must be 0 to 31, not %" PRIu32,
                   s->phy_addr);
        return;
    }

    s->name = dev->id ? dev->id : TYPE_FPGAETH;
    address_space_init(&s->dma_as,
                       s->dma_mr ? s->dma_mr : get_system_memory(),
                       "fpgaeth-dma");

    sysbus_init_irq(sbd, &s->misc_irq);
    for (unsigned q = 0; q < s->num_qp; q++) {
        sysbus_init_irq(sbd, &s->q_irq[q]);
    }

    for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
        for (int t = 0; t < 2; t++) {
            FpgaethRing *r = t ? &s->qp[q].tx : &s->qp[q].rx;

            r->s = s;
            r->q = q;
            r->is_tx = t;
            r->coal_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                         fpgaeth_coal_timer_cb, r);
            r->wdog_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                         fpgaeth_wdog_timer_cb, r);
            r->wdog_since = -1;
        }
    }
    s->pause_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, fpgaeth_pause_timer_cb,
                                  s);
    s->reset_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, fpgaeth_reset_timer_cb,
                                  s);
    /* all DMA runs in these, under the same guard as MMIO and receive */
    s->tx_bh = qemu_bh_new_guarded(fpgaeth_tx_bh, s,
                                   &dev->mem_reentrancy_guard);
    s->rx_bh = qemu_bh_new_guarded(fpgaeth_rx_bh, s,
                                   &dev->mem_reentrancy_guard);
    s->tx_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, fpgaeth_tx_timer_cb, s);
    s->rx_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, fpgaeth_rx_timer_cb, s);
    s->rx_line_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                    fpgaeth_rx_line_timer_cb, s);

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&net_fpgaeth_info, &s->conf,
                          object_get_typename(OBJECT(dev)), dev->id,
                          &dev->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);
    if (s->cosim_path && *s->cosim_path) {
        fpgaeth_cosim_realize(s, errp);
    }
}

static void fpgaeth_unrealize(DeviceState *dev)
{
    FpgaethState *s = FPGAETH(dev);

    fpgaeth_cosim_unrealize(s);
    for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
        timer_free(s->qp[q].tx.coal_timer);
        timer_free(s->qp[q].rx.coal_timer);
        timer_free(s->qp[q].tx.wdog_timer);
        timer_free(s->qp[q].rx.wdog_timer);
    }
    timer_free(s->pause_timer);
    timer_free(s->reset_timer);
    fpgaeth_engines_stop(s);
    timer_free(s->tx_timer);
    timer_free(s->rx_timer);
    timer_free(s->rx_line_timer);
    qemu_bh_delete(s->tx_bh);
    qemu_bh_delete(s->rx_bh);
    qemu_del_nic(s->nic);
    address_space_destroy(&s->dma_as);
}

static void fpgaeth_init(Object *obj)
{
    FpgaethState *s = FPGAETH(obj);

    memory_region_init_io(&s->iomem, obj, &fpgaeth_ops, s, TYPE_FPGAETH,
                          FPGAETH_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    s->faults = g_ptr_array_new_with_free_func(fpgaeth_fault_free);
    s->name = TYPE_FPGAETH;
    QSIMPLEQ_INIT(&s->rx_fifo);
    /* how often the driver broke a rule of the programming model */
    object_property_add_uint32_ptr(obj, "protocol-errors",
                                   &s->protocol_errors, OBJ_PROP_FLAG_READ);
    /* frames received and not yet stored (or dropped) by the RX engine */
    object_property_add_uint32_ptr(obj, "rx-fifo-frames",
                                   &s->rx_fifo_frames, OBJ_PROP_FLAG_READ);
}

static void fpgaeth_finalize(Object *obj)
{
    FpgaethState *s = FPGAETH(obj);

    g_ptr_array_free(s->faults, true);
}

static const Property fpgaeth_properties[] = {
    DEFINE_NIC_PROPERTIES(FpgaethState, conf),
    DEFINE_PROP_UINT32("num-queues", FpgaethState, num_qp, 4),
    DEFINE_PROP_UINT32("max-frame", FpgaethState, max_frame, 9600),
    DEFINE_PROP_UINT32("max-ring-log2", FpgaethState, max_ring_log2,
                       FPGAETH_MAX_RING_LOG2),
    DEFINE_PROP_UINT32("build-id", FpgaethState, build_id, 0x20261124),
    DEFINE_PROP_UINT32("features", FpgaethState, features,
                       FPGAETH_FEATURES_DEFAULT),
    DEFINE_PROP_UINT32("phy-addr", FpgaethState, phy_addr, 1),
    DEFINE_PROP_UINT32("ip-id", FpgaethState, id, FPGAETH_ID_MAGIC),
    DEFINE_PROP_UINT32("ip-version", FpgaethState, version,
                       FPGAETH_VERSION_1_2),
    DEFINE_PROP_UINT32("rx-fifo-kib", FpgaethState, rx_fifo_kib, 32),
    DEFINE_PROP_UINT32("tx-fifo-kib", FpgaethState, tx_fifo_kib, 16),
    DEFINE_PROP_UINT32("clk-mhz", FpgaethState, clk_mhz, 125),
    DEFINE_PROP_INT32("dt-num-queues", FpgaethState, dt_num_queues, -1),
    DEFINE_PROP_BOOL("dt-fixed-link", FpgaethState, dt_fixed_link, false),
    DEFINE_PROP_UINT32("dma-latency", FpgaethState, dma_latency_ns, 500),
    DEFINE_PROP_LINK("dma", FpgaethState, dma_mr, TYPE_MEMORY_REGION,
                     MemoryRegion *),
    /* the RTL shim's unix socket (rtl/cosim): the RTL is the IP */
    DEFINE_PROP_STRING("cosim", FpgaethState, cosim_path),
};

static const VMStateDescription vmstate_fpgaeth = {
    .name = TYPE_FPGAETH,
    .unmigratable = 1,
};

static void fpgaeth_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "fpgaeth Ethernet MAC + multi-queue DMA IP (model 1.2)";
    dc->realize = fpgaeth_realize;
    dc->unrealize = fpgaeth_unrealize;
    dc->vmsd = &vmstate_fpgaeth;
    rc->phases.enter = fpgaeth_reset_enter;
    rc->phases.hold = fpgaeth_reset_hold;
    device_class_set_props(dc, fpgaeth_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);

    object_class_property_add_str(klass, "fault", fpgaeth_get_fault,
                                  fpgaeth_set_fault);
    object_class_property_set_description(klass, "fault",
        "fault injection: write one fault (e.g. tx-desc-error:0) or 'clear'; "
        "reads the pending faults");
}

static const TypeInfo fpgaeth_info = {
    .name = TYPE_FPGAETH,
    .parent = TYPE_DYNAMIC_SYS_BUS_DEVICE,
    .instance_size = sizeof(FpgaethState),
    .instance_init = fpgaeth_init,
    .instance_finalize = fpgaeth_finalize,
    .class_init = fpgaeth_class_init,
};

static void fpgaeth_register_types(void)
{
    type_register_static(&fpgaeth_info);
}

type_init(fpgaeth_register_types)
