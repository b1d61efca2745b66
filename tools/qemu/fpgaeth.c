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
 * Where the programming model leaves a choice, the model does this:
 *  - a CTRL write with SOFT_RESET = 1 only resets (its other bits are lost);
 *  - MAX_FRAME_LEN resets to MIN(1518, MAX_FRAME);
 *  - without CAP1.TX_SG, TX_MAX_DESCS is 1: a descriptor without EOP is a
 *    frame with too many descriptors (discarded, DONE | ERR on it);
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
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "hw/net/fpgaeth.h"
#include "migration/vmstate.h"
#include "net/eth.h"
#include "net/checksum.h"
#include "hw/net/mii.h"
#include "net/net.h"
#include "exec/address-spaces.h"
#include "system/dma.h"
#include "trace.h"

/* ------------------------------------------------------------------------
 * Register map
 */

#define FPGAETH_ID_MAGIC        0x46504745      /* "FPGE" */
#define FPGAETH_VERSION_1_1     0x00010001
#define FPGAETH_MAX_RING_LOG2   12
#define FPGAETH_MIN_RING_LOG2   3
#define FPGAETH_RSS_KEY_WORDS   10
#define FPGAETH_RSS_INDIR_LOG2  7
#define FPGAETH_TX_MAX_DESCS    32
#define FPGAETH_DEFAULT_MTU_LEN 1518
#define FPGAETH_MIN_FRAME_LEN   64              /* MAX_FRAME_LEN floor */
#define FPGAETH_SOFT_RESET_NS   1000            /* after the last DMA access */
#define FPGAETH_ENGINE_BURST    16              /* frames per bottom half */

REG32(ID, 0x0000)
REG32(VERSION, 0x0004)
REG32(BUILD_ID, 0x0008)
REG32(SCRATCH, 0x000c)
REG32(CAP0, 0x0010)
    FIELD(CAP0, NUM_QP, 0, 4)
    FIELD(CAP0, MAX_RING_LOG2, 8, 4)
    FIELD(CAP0, MAX_FRAME, 16, 16)
REG32(CAP1, 0x0014)
    FIELD(CAP1, TX_CSUM, 0, 1)
    FIELD(CAP1, RX_CSUM, 1, 1)
    FIELD(CAP1, RSS, 2, 1)
    FIELD(CAP1, LOOPBACK, 3, 1)
    FIELD(CAP1, TX_SG, 4, 1)
    FIELD(CAP1, MC_HASH, 5, 1)
    FIELD(CAP1, PAUSE, 6, 1)
    FIELD(CAP1, QUEUE_IDLE, 10, 1)
    FIELD(CAP1, SPEED_10G, 11, 1)
REG32(CAP2, 0x0018)
    FIELD(CAP2, RSS_KEY_WORDS, 0, 8)
    FIELD(CAP2, RSS_INDIR_LOG2, 8, 8)
    FIELD(CAP2, TX_MAX_DESCS, 16, 8)
REG32(CAP3, 0x001c)
    FIELD(CAP3, RX_FIFO_KIB, 0, 8)
    FIELD(CAP3, TX_FIFO_KIB, 8, 8)
    FIELD(CAP3, CLK_MHZ, 16, 16)

REG32(CTRL, 0x0100)
    FIELD(CTRL, SOFT_RESET, 0, 1)
    FIELD(CTRL, TX_EN, 1, 1)
    FIELD(CTRL, RX_EN, 2, 1)
    FIELD(CTRL, PROMISC, 3, 1)
    FIELD(CTRL, ALLMULTI, 4, 1)
    FIELD(CTRL, LOOPBACK, 5, 1)
    FIELD(CTRL, RSS_EN, 6, 1)
    FIELD(CTRL, RX_CSUM_EN, 7, 1)
    FIELD(CTRL, RX_PAUSE_EN, 8, 1)
    FIELD(CTRL, TX_PAUSE_EN, 9, 1)
REG32(MAC_CFG, 0x0104)
    FIELD(MAC_CFG, SPEED, 0, 2)
    FIELD(MAC_CFG, FULL_DUPLEX, 2, 1)
REG32(MAC_ADDR_LO, 0x0108)
REG32(MAC_ADDR_HI, 0x010c)
    FIELD(MAC_ADDR_HI, ADDR, 0, 16)
REG32(MAX_FRAME_LEN, 0x0110)
    FIELD(MAX_FRAME_LEN, LEN, 0, 16)
REG32(MC_HASH_LO, 0x0114)
REG32(MC_HASH_HI, 0x0118)
REG32(PAUSE_QUANTA, 0x011c)
    FIELD(PAUSE_QUANTA, QUANTA, 0, 16)
REG32(PAUSE_CMD, 0x0120)
    FIELD(PAUSE_CMD, XOFF, 0, 1)
    FIELD(PAUSE_CMD, XON, 1, 1)

REG32(MDIO_CMD, 0x0180)
    FIELD(MDIO_CMD, REGAD, 0, 5)
    FIELD(MDIO_CMD, PHYAD, 5, 5)
    FIELD(MDIO_CMD, OP, 10, 2)
    FIELD(MDIO_CMD, START, 31, 1)
REG32(MDIO_DATA, 0x0184)
    FIELD(MDIO_DATA, DATA, 0, 16)
REG32(MDIO_CFG, 0x0188)
    FIELD(MDIO_CFG, DIV, 0, 8)

REG32(MISC_IRQ_STATUS, 0x0200)
    FIELD(MISC_IRQ, LINK, 0, 1)
    FIELD(MISC_IRQ, DMA_ERR, 1, 1)
    FIELD(MISC_IRQ, MDIO_DONE, 2, 1)
    FIELD(MISC_IRQ, RX_FIFO_OVF, 3, 1)
REG32(MISC_IRQ_ENABLE, 0x0204)
REG32(MISC_IRQ_SET, 0x0208)
REG32(QUEUE_IRQ_SUMMARY, 0x020c)

REG32(STATS_CTRL, 0x0300)
    FIELD(STATS_CTRL, CLEAR, 0, 1)

#define A_STATS_BASE            0x0400
#define A_STATS_END             (A_STATS_BASE + 8 * FPGAETH_NUM_STATS)
REG32(RSS_KEY0, 0x0600)
REG32(RSS_INDIR0, 0x0700)
#define RSS_INDIR_MASK          0x07070707u

#define A_QP_BASE               0x1000
#define QP_STRIDE               0x100

/* queue pair registers, offsets within the queue pair's block */
REG32(Q_TX_BASE_LO, 0x00)
REG32(Q_TX_BASE_HI, 0x04)
REG32(Q_TX_SIZE, 0x08)
    FIELD(Q_SIZE, LOG2, 0, 4)
REG32(Q_TX_HEAD, 0x0c)
REG32(Q_TX_TAIL, 0x10)
REG32(Q_TX_CTRL, 0x14)
    FIELD(Q_CTRL, ENABLE, 0, 1)
REG32(Q_TX_STATUS, 0x18)
    FIELD(Q_STATUS, HALTED, 0, 1)
    FIELD(Q_STATUS, IDLE, 1, 1)
    FIELD(Q_STATUS, CAUSE, 8, 4)
REG32(Q_TX_COAL, 0x1c)
    FIELD(Q_COAL, FRAMES, 0, 16)
    FIELD(Q_COAL, USECS, 16, 16)
REG32(Q_TX_ERR_ADDR_LO, 0x20)
REG32(Q_TX_ERR_ADDR_HI, 0x24)
REG32(Q_TX_DISCARDS, 0x28)
#define Q_RX_OFFSET             0x40    /* RX registers: TX's + 0x40 */
REG32(Q_RX_NOBUF, 0x68)
REG32(Q_IRQ_STATUS, 0x80)
    FIELD(Q_IRQ, TX, 0, 1)
    FIELD(Q_IRQ, RX, 1, 1)
REG32(Q_IRQ_ENABLE, 0x84)
REG32(Q_IRQ_SET, 0x88)

#define Q_IRQ_MASK              (R_Q_IRQ_TX_MASK | R_Q_IRQ_RX_MASK)
#define MISC_IRQ_MASK           0xfu

/* halt causes */
enum {
    CAUSE_NONE = 0,
    CAUSE_DESC_READ = 1,
    CAUSE_BUF_ACCESS = 2,
    CAUSE_DESC_WRITE = 3,
    CAUSE_RING_CONFIG = 4,
    CAUSE_DESC_INVALID = 5,
};

/* statistics counters, index n at 0x400 + 8 * n */
enum {
    ST_TX_FRAMES_OK,
    ST_TX_OCTETS_OK,
    ST_TX_UCAST,
    ST_TX_MCAST,
    ST_TX_BCAST,
    ST_TX_PAUSE,
    ST_TX_MAC_CTRL,
    ST_TX_DISCARDS,
    ST_RX_FRAMES_OK,
    ST_RX_OCTETS_OK,
    ST_RX_UCAST,
    ST_RX_MCAST,
    ST_RX_BCAST,
    ST_RX_PAUSE,
    ST_RX_MAC_CTRL,
    ST_RX_UNSUP_OPCODE,
    ST_RX_FCS_ERR,
    ST_RX_ALIGN_ERR,
    ST_RX_LEN_ERR,
    ST_RX_TOO_LONG,
    ST_RX_UNDERSIZE,
    ST_RX_FRAGMENTS,
    ST_RX_JABBERS,
    ST_RX_NOBUF,
    ST_RX_FIFO_OVF,
    ST_RX_FILTERED,
    ST_RX_HIST0,
    ST_TX_HIST0 = ST_RX_HIST0 + 9,
    ST_COUNT = ST_TX_HIST0 + 9,
};
QEMU_BUILD_BUG_ON(ST_COUNT != FPGAETH_NUM_STATS);
QEMU_BUILD_BUG_ON(A_STATS_BASE + 8 * ST_RX_HIST0 != 0x4d0);
QEMU_BUILD_BUG_ON(A_STATS_BASE + 8 * ST_TX_HIST0 != 0x518);

/* descriptors: 16 bytes, little-endian */
#define DESC_SIZE               16
#define TXD_ADDR                0
#define TXD_LEN                 8
#define TXD_FLAGS               10
#define TXD_CSUM_START          12
#define TXD_CSUM_OFFSET         14
#define TXD_FLAG_EOP            (1u << 0)
#define TXD_FLAG_CSUM           (1u << 1)
#define TXD_FLAG_ERR            (1u << 14)
#define TXD_FLAG_DONE           (1u << 15)

#define RXD_ADDR                0
#define RXD_BUF_LEN             8
#define RXD_WB_HASH             0
#define RXD_WB_CSUM             4
#define RXD_WB_LEN              8
#define RXD_STATUS              10
#define RXD_ST_EOP              (1u << 0)
#define RXD_ST_CSUM_VALID       (1u << 1)
#define RXD_ST_HASH_SHIFT       2
#define RXD_ST_DONE             (1u << 15)

enum { HASH_NONE = 0, HASH_IP = 1, HASH_IP_L4 = 2 };

/* Ethernet */
#define ETH_PREAMBLE_LEN        8       /* preamble and SFD */
#define ETH_IFG_LEN             12      /* inter-frame gap */
#define ETH_P_MAC_CTRL          0x8808
#define MAC_CTRL_OP_PAUSE       0x0001
static const uint8_t pause_dest[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 };

/* ------------------------------------------------------------------------
 * The PHY: IEEE 802.3 clause 22, 1000BASE-T, ID 0x4650 0x0001
 */
#define BMCR_RW_MASK            (MII_BMCR_LOOPBACK | MII_BMCR_SPEED100 | \
                                 MII_BMCR_AUTOEN | MII_BMCR_FD | \
                                 MII_BMCR_SPEED1000)
#define BMCR_RENEG_MASK         (MII_BMCR_SPEED100 | MII_BMCR_AUTOEN | \
                                 MII_BMCR_FD | MII_BMCR_SPEED1000)
#define BMCR_DEFAULT            (MII_BMCR_AUTOEN | MII_BMCR_FD | \
                                 MII_BMCR_SPEED1000)

/* 100FD, 100HD, 10FD, 10HD, extended status, preamble suppression, AN able,
 * extended capabilities */
#define BMSR_CAPS               (MII_BMSR_100TX_FD | MII_BMSR_100TX_HD | \
                                 MII_BMSR_10T_FD | MII_BMSR_10T_HD | \
                                 MII_BMSR_EXTSTAT | MII_BMSR_MFPS | \
                                 MII_BMSR_AUTONEG | MII_BMSR_EXTCAP)

#define PHY_ID1                 0x4650
#define PHY_ID2                 0x0001
/* 10/100 half/full, 802.3 */
#define ANAR_DEFAULT            (MII_ANAR_TXFD | MII_ANAR_TX | MII_ANAR_10FD | \
                                 MII_ANAR_10 | MII_ANAR_CSMACD)
#define ANAR_RW_MASK            0x2fff  /* all but reserved [14] and NP... */
/* the link partner: 10/100 half/full + ACK */
#define LPA_ALL                 (MII_ANLPAR_ACK | MII_ANLPAR_TXFD | \
                                 MII_ANLPAR_TX | MII_ANLPAR_10FD | \
                                 MII_ANLPAR_10 | MII_ANLPAR_CSMACD)
#define CTRL1000_DEFAULT        (MII_CTRL1000_FULL | MII_CTRL1000_HALF)
#define CTRL1000_RW_MASK        0xff00
/* local/remote receiver OK, link partner 1000 half/full */
#define STAT1000_ALL            (MII_STAT1000_LOK | MII_STAT1000_ROK | \
                                 MII_STAT1000_FULL | MII_STAT1000_HALF)
#define ESTATUS_1000T           (MII_EXTSTAT_1000T_FD | MII_EXTSTAT_1000T_HD)

/* ------------------------------------------------------------------------
 * Fault injection
 */
enum FpgaethFaultKind {
    FAULT_TX_DESC_ERROR,
    FAULT_RX_DESC_ERROR,
    FAULT_TX_BUF_ERROR,
    FAULT_RX_BUF_ERROR,
    FAULT_RX_WB_ERROR,
    FAULT_RX_BAD_LEN,
    FAULT_RX_FIFO_OVERFLOW,
    FAULT_RX_FCS_ERROR,
    FAULT_TX_STALL,
    FAULT_TX_UNSTALL,
    FAULT_LINK_DOWN,
    FAULT_LINK_UP,
    FAULT_LOOPBACK_CORRUPT,
    FAULT_LOOPBACK_OK,
    FAULT_CLEAR,
};

enum { FARG_NONE, FARG_QUEUE, FARG_COUNT };

static const struct {
    const char *name;
    int arg;
} fault_table[] = {
    [FAULT_TX_DESC_ERROR] = { "tx-desc-error", FARG_QUEUE },
    [FAULT_RX_DESC_ERROR] = { "rx-desc-error", FARG_QUEUE },
    [FAULT_TX_BUF_ERROR] = { "tx-buf-error", FARG_QUEUE },
    [FAULT_RX_BUF_ERROR] = { "rx-buf-error", FARG_QUEUE },
    [FAULT_RX_WB_ERROR] = { "rx-wb-error", FARG_QUEUE },
    [FAULT_RX_BAD_LEN] = { "rx-bad-len", FARG_QUEUE },
    [FAULT_RX_FIFO_OVERFLOW] = { "rx-fifo-overflow", FARG_COUNT },
    [FAULT_RX_FCS_ERROR] = { "rx-fcs-error", FARG_COUNT },
    [FAULT_TX_STALL] = { "tx-stall", FARG_QUEUE },
    [FAULT_TX_UNSTALL] = { "tx-unstall", FARG_QUEUE },
    [FAULT_LINK_DOWN] = { "link-down", FARG_NONE },
    [FAULT_LINK_UP] = { "link-up", FARG_NONE },
    [FAULT_LOOPBACK_CORRUPT] = { "loopback-corrupt", FARG_NONE },
    [FAULT_LOOPBACK_OK] = { "loopback-ok", FARG_NONE },
    [FAULT_CLEAR] = { "clear", FARG_NONE },
};

static void fpgaeth_fault_free(gpointer p)
{
    FpgaethFault *f = p;

    g_free(f->text);
    g_free(f);
}

static FpgaethFault *fault_find(FpgaethState *s, int kind, int q)
{
    for (guint i = 0; i < s->faults->len; i++) {
        FpgaethFault *f = g_ptr_array_index(s->faults, i);

        if (f->kind == kind && (q < 0 || f->arg == q)) {
            return f;
        }
    }
    return NULL;
}

static void fault_remove(FpgaethState *s, FpgaethFault *f)
{
    trace_fpgaeth_fault(s->name, f->text, "consumed");
    g_ptr_array_remove(s->faults, f);
}

/* Take one pending one-shot fault of @kind for queue @q. */
static bool fault_take(FpgaethState *s, int kind, unsigned q)
{
    FpgaethFault *f = fault_find(s, kind, q);

    if (!f) {
        return false;
    }
    fault_remove(s, f);
    return true;
}

/* Count one frame against a pending counted fault of @kind. */
static bool fault_take_count(FpgaethState *s, int kind)
{
    FpgaethFault *f = fault_find(s, kind, -1);

    if (!f) {
        return false;
    }
    if (--f->arg == 0) {
        fault_remove(s, f);
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Helpers
 */
static inline bool has_feat(FpgaethState *s, uint32_t mask)
{
    return (s->features & mask) != 0;
}

static inline bool ctrl_on(FpgaethState *s, uint32_t mask)
{
    return (s->ctrl & mask) != 0;
}

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

static inline FpgaethRing *ring_of(FpgaethState *s, unsigned q, bool tx)
{
    return tx ? &s->qp[q].tx : &s->qp[q].rx;
}

static inline const char *dir_name(bool tx)
{
    return tx ? "tx" : "rx";
}

static inline bool ring_enabled(FpgaethRing *r)
{
    return FIELD_EX32(r->ctrl, Q_CTRL, ENABLE);
}

static inline bool ring_halted(FpgaethRing *r)
{
    return FIELD_EX32(r->status, Q_STATUS, HALTED);
}

static inline uint32_t ring_mask(FpgaethRing *r)
{
    return (1u << r->log2) - 1;
}

static inline uint64_t ring_desc_addr(FpgaethRing *r, uint32_t idx)
{
    return r->base + (uint64_t)DESC_SIZE * (idx & ring_mask(r));
}

/* the line rate selected by MAC_CFG.SPEED, in Mb/s */
static uint32_t line_mbps(FpgaethState *s)
{
    switch (FIELD_EX32(s->mac_cfg, MAC_CFG, SPEED)) {
    case 0:
        return 10;
    case 1:
        return 100;
    case 3:
        if (has_feat(s, R_CAP1_SPEED_10G_MASK)) {
            return 10000;
        }
        /* fall through: without SPEED_10G, 3 acts as 2 */
    default:
        return 1000;
    }
}

/* time of @bits bit times at the speed in MAC_CFG, in ns (rounded up) */
static int64_t bits_time_ns(FpgaethState *s, uint64_t bits)
{
    uint32_t mbps = line_mbps(s);

    return (bits * 1000 + mbps - 1) / mbps;
}

static void station_addr(FpgaethState *s, uint8_t *mac)
{
    stl_le_p(mac, s->mac_addr_lo);
    stw_le_p(mac + 4, s->mac_addr_hi);
}

/* ------------------------------------------------------------------------
 * Interrupts
 */
static void fpgaeth_update_irq(FpgaethState *s)
{
    int level = (s->misc_status & s->misc_enable) != 0;

    if (level != s->irq_level[0]) {
        trace_fpgaeth_irq(s->name, -1, level);
        s->irq_level[0] = level;
    }
    qemu_set_irq(s->misc_irq, level);
    for (unsigned q = 0; q < s->num_qp; q++) {
        level = (s->qp[q].irq_status & s->qp[q].irq_enable) != 0;
        if (level != s->irq_level[q + 1]) {
            trace_fpgaeth_irq(s->name, q, level);
            s->irq_level[q + 1] = level;
        }
        qemu_set_irq(s->q_irq[q], level);
    }
}

static void fpgaeth_misc_event(FpgaethState *s, uint32_t bits)
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

static void fpgaeth_coal_timer_cb(void *opaque)
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
static void fpgaeth_halt(FpgaethState *s, unsigned q, bool tx, unsigned cause,
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

/*
 * The driver broke a rule of the programming model that hardware cannot
 * check (a write during soft reset, BASE/SIZE or ENABLE while a queue is not
 * IDLE): logged with LOG_GUEST_ERROR by the caller, counted here; the
 * "protocol-errors" property reads the count.
 */
static void fpgaeth_protocol_error(FpgaethState *s)
{
    s->protocol_errors++;
}

/* virtual time at which the DMA accesses in flight have completed */
static int64_t fpgaeth_dma_busy_until(FpgaethState *s)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), t = 0;

    switch (s->tx_state) {
    case TXE_FETCH:
    case TXE_WB:
        t = s->tx_deadline;
        break;
    case TXE_WIRE:
        /* on the line: no access; in the write-back: that one */
        if (now >= s->tx_deadline - s->dma_latency_ns) {
            t = s->tx_deadline;
        }
        break;
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
static void fpgaeth_engines_stop(FpgaethState *s)
{
    FpgaethRxFrame *f;

    s->tx_state = TXE_IDLE;
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

/* ------------------------------------------------------------------------
 * DMA: everything goes through the device's "dma" address space (default:
 * system memory), with dma_memory_*()'s barriers, so the program order of
 * the accesses (the DONE word last) is the order other CPUs see; a
 * transaction that does not complete is a bus error.
 */
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

/* ------------------------------------------------------------------------
 * Statistics
 */
static inline void stat_inc(FpgaethState *s, int idx)
{
    s->stats[idx]++;
}

static int hist_bin(size_t wire_len)
{
    static const unsigned limits[] = { 64, 127, 255, 511, 1023, 1518, 2047,
                                       4095 };
    int k;

    for (k = 0; k < ARRAY_SIZE(limits); k++) {
        if (wire_len <= limits[k]) {
            return k;
        }
    }
    return 8;
}

static bool is_pause_frame(const uint8_t *buf, size_t len)
{
    return len >= ETH_HLEN + 2 && !memcmp(buf, pause_dest, 6) &&
           lduw_be_p(buf + 12) == ETH_P_MAC_CTRL &&
           lduw_be_p(buf + 14) == MAC_CTRL_OP_PAUSE;
}

static void stats_tx(FpgaethState *s, const uint8_t *buf, size_t len)
{
    size_t wire = len + ETH_FCS_LEN;

    if (lduw_be_p(buf + 12) == ETH_P_MAC_CTRL) {
        stat_inc(s, ST_TX_MAC_CTRL);
        if (is_pause_frame(buf, len)) {
            stat_inc(s, ST_TX_PAUSE);
        }
        return;
    }
    stat_inc(s, ST_TX_FRAMES_OK);
    s->stats[ST_TX_OCTETS_OK] += wire;
    if (is_broadcast_ether_addr(buf)) {
        stat_inc(s, ST_TX_BCAST);
    } else if (is_multicast_ether_addr(buf)) {
        stat_inc(s, ST_TX_MCAST);
    } else {
        stat_inc(s, ST_TX_UCAST);
    }
    stat_inc(s, ST_TX_HIST0 + hist_bin(wire));
}

/* ------------------------------------------------------------------------
 * PHY and MDIO
 */
static bool phy_line_up(FpgaethState *s)
{
    /* before realize (a -device fault= option) there is no backend yet */
    bool backend_down = s->nic && qemu_get_queue(s->nic)->link_down;

    return !backend_down && !fault_find(s, FAULT_LINK_DOWN, -1);
}

static void fpgaeth_update_link(FpgaethState *s)
{
    bool up = (s->phy_bmcr & MII_BMCR_LOOPBACK) || phy_line_up(s);

    if (up == s->link_up) {
        return;
    }
    s->link_up = up;
    if (!up) {
        s->phy_link_latch = false;
    }
    trace_fpgaeth_link(s->name, up);
    fpgaeth_misc_event(s, R_MISC_IRQ_LINK_MASK);
}

/*
 * Negotiation restarted, or the forced speed or duplex changed: as on a
 * real PHY the link drops while the link is brought up again, which here
 * is at once. BMSR's latched link status reads 0 once and the MAC sees a
 * link event, so software notices the new speed.
 */
static void fpgaeth_phy_renegotiate(FpgaethState *s)
{
    if (!s->link_up || (s->phy_bmcr & MII_BMCR_LOOPBACK)) {
        return;
    }
    s->phy_link_latch = false;
    trace_fpgaeth_link(s->name, false);
    fpgaeth_misc_event(s, R_MISC_IRQ_LINK_MASK);
}

static void fpgaeth_phy_reset(FpgaethState *s)
{
    s->phy_bmcr = BMCR_DEFAULT;
    s->phy_anar = ANAR_DEFAULT;
    s->phy_ctrl1000 = CTRL1000_DEFAULT;
}

static bool phy_an_done(FpgaethState *s)
{
    return s->link_up && (s->phy_bmcr & MII_BMCR_AUTOEN);
}

static uint16_t fpgaeth_phy_read(FpgaethState *s, unsigned reg)
{
    uint16_t val;

    switch (reg) {
    case MII_BMCR:
        return s->phy_bmcr;
    case MII_BMSR:
        val = BMSR_CAPS;
        if (s->phy_link_latch) {
            val |= MII_BMSR_LINK_ST;
        }
        if (phy_an_done(s)) {
            val |= MII_BMSR_AN_COMP;
        }
        /* latched low: a read returns to the current state */
        s->phy_link_latch = s->link_up;
        return val;
    case MII_PHYID1:
        return PHY_ID1;
    case MII_PHYID2:
        return PHY_ID2;
    case MII_ANAR:
        return s->phy_anar;
    case MII_ANLPAR:
        return phy_an_done(s) ? LPA_ALL : 0;
    case MII_ANER:
        return phy_an_done(s) ? MII_ANER_NWAY : 0;
    case MII_CTRL1000:
        return s->phy_ctrl1000;
    case MII_STAT1000:
        return phy_an_done(s) ? STAT1000_ALL : 0;
    case MII_EXTSTAT:
        return ESTATUS_1000T;
    default:
        return 0;
    }
}

static void fpgaeth_phy_write(FpgaethState *s, unsigned reg, uint16_t val)
{
    switch (reg) {
    case MII_BMCR:
        if (val & MII_BMCR_RESET) {
            /* self-clearing, completes at once; the link is not lost */
            fpgaeth_phy_reset(s);
        } else {
            uint16_t old = s->phy_bmcr;

            /* MII_BMCR_ANRESTART self-clears: negotiation completes at once */
            s->phy_bmcr = val & BMCR_RW_MASK;
            if ((val & MII_BMCR_ANRESTART) ||
                ((old ^ s->phy_bmcr) & BMCR_RENEG_MASK)) {
                fpgaeth_phy_renegotiate(s);
            }
        }
        fpgaeth_update_link(s);
        break;
    case MII_ANAR:
        s->phy_anar = val & ANAR_RW_MASK;
        break;
    case MII_CTRL1000:
        s->phy_ctrl1000 = val & CTRL1000_RW_MASK;
        break;
    default:
        /* read-only or not implemented */
        break;
    }
}

static void fpgaeth_mdio_cmd(FpgaethState *s, uint32_t val)
{
    unsigned op = FIELD_EX32(val, MDIO_CMD, OP);
    unsigned phy = FIELD_EX32(val, MDIO_CMD, PHYAD);
    unsigned reg = FIELD_EX32(val, MDIO_CMD, REGAD);

    /* the QEMU model completes a command within the write: never busy */
    s->mdio_cmd = val & (R_MDIO_CMD_REGAD_MASK | R_MDIO_CMD_PHYAD_MASK |
                         R_MDIO_CMD_OP_MASK);
    if (!FIELD_EX32(val, MDIO_CMD, START)) {
        return;
    }
    switch (op) {
    case 1: /* write */
        if (phy == s->phy_addr) {
            fpgaeth_phy_write(s, reg, s->mdio_data & 0xffff);
        }
        break;
    case 2: /* read */
        s->mdio_data = phy == s->phy_addr ? fpgaeth_phy_read(s, reg) : 0xffff;
        break;
    default:
        /* op codes 0 and 3 do nothing: no command, no MDIO_DONE */
        qemu_log_mask(LOG_GUEST_ERROR, "%s: MDIO op code %u does nothing\n",
                      s->name, op);
        return;
    }
    trace_fpgaeth_mdio(s->name, op, phy, reg, s->mdio_data);
    fpgaeth_misc_event(s, R_MISC_IRQ_MDIO_DONE_MASK);
}

static void fpgaeth_set_link(NetClientState *nc)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);

    fpgaeth_update_link(s);
}

/* ------------------------------------------------------------------------
 * MAC: transmit side
 *
 * One TX engine serves the enabled TX queues round-robin, one frame at a
 * time, on the virtual clock (programming-model.rst "Timing"): it fetches a
 * frame's descriptors and buffers into the TX FIFO (two DMA latencies),
 * puts the frame on the line as soon as the peer takes it (until then it
 * waits, as a MAC waits for the line), keeps the line for the frame's wire
 * time, then writes the EOP descriptor back (one DMA latency), advances
 * HEAD and counts the completion. A doorbell only schedules the engine's
 * bottom half; timers only schedule it too, so all DMA runs in a bottom
 * half under the device's reentrancy guard, a burst at a time.
 */
static void fpgaeth_rx_frame(FpgaethState *s, const uint8_t *buf, size_t len,
                             bool from_line, int64_t t);
static void fpgaeth_tx_sent(NetClientState *nc, ssize_t len);

enum { XMIT_DROPPED, XMIT_SENT, XMIT_PENDING };

/* the line time of a frame of @len bytes (no FCS): preamble, pad, FCS, IFG */
static int64_t wire_time_ns(FpgaethState *s, size_t len)
{
    return bits_time_ns(s, 8ull * (ETH_PREAMBLE_LEN + MAX(len, ETH_ZLEN) +
                                   ETH_FCS_LEN + ETH_IFG_LEN));
}

/*
 * Wake an engine. The engines keep their own schedule in virtual time (a
 * step ends at its deadline however late the bottom half runs), so a kick
 * notes when it happened: work it brought starts no earlier.
 */
static void fpgaeth_tx_kick(FpgaethState *s)
{
    if (!s->tx_kicked) {
        s->tx_kicked = true;
        s->tx_kick_at = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    }
    qemu_bh_schedule(s->tx_bh);
}

static void fpgaeth_rx_kick(FpgaethState *s)
{
    if (!s->rx_kicked) {
        s->rx_kicked = true;
        s->rx_kick_at = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    }
    qemu_bh_schedule(s->rx_bh);
}

/*
 * Send one frame (at least 60 bytes, no FCS) the way the MAC does: on the
 * line if TX_EN and the link is up, into our own receive path with
 * CTRL.LOOPBACK (whatever the link). With @async (a frame of the TX engine)
 * a peer that cannot take the frame yet makes it XMIT_PENDING: it is counted
 * and the engine goes on when fpgaeth_tx_sent() says the peer took it.
 */
static int fpgaeth_mac_xmit(FpgaethState *s, uint8_t *buf, size_t len,
                            bool async, int64_t now)
{
    if (!ctrl_on(s, R_CTRL_TX_EN_MASK)) {
        return XMIT_DROPPED;
    }
    if (ctrl_on(s, R_CTRL_LOOPBACK_MASK)) {
        stats_tx(s, buf, len);
        if (fault_find(s, FAULT_LOOPBACK_CORRUPT, -1)) {
            buf[ETH_HLEN + (len - ETH_HLEN) / 2] ^= 0xff;
        }
        fpgaeth_rx_frame(s, buf, len, false, now);
        return XMIT_SENT;
    }
    if (!s->link_up) {
        return XMIT_DROPPED;
    }
    if (s->phy_bmcr & MII_BMCR_LOOPBACK) {
        /* PHY loopback: back in through the PHY, nothing on the line */
        stats_tx(s, buf, len);
        fpgaeth_rx_frame(s, buf, len, true, now);
        return XMIT_SENT;
    }
    if (!async) {
        stats_tx(s, buf, len);
        qemu_send_packet(qemu_get_queue(s->nic), buf, len);
        return XMIT_SENT;
    }
    if (!qemu_send_packet_async(qemu_get_queue(s->nic), buf, len,
                                fpgaeth_tx_sent)) {
        return XMIT_PENDING;
    }
    stats_tx(s, buf, len);
    return XMIT_SENT;
}

/* A pause frame with @quanta (MAC control frames bypass a received pause). */
static bool fpgaeth_send_pause(FpgaethState *s, uint16_t quanta)
{
    uint8_t frame[ETH_ZLEN] = { 0 };

    memcpy(frame, pause_dest, 6);
    station_addr(s, frame + 6);
    stw_be_p(frame + 12, ETH_P_MAC_CTRL);
    stw_be_p(frame + 14, MAC_CTRL_OP_PAUSE);
    stw_be_p(frame + 16, quanta);
    trace_fpgaeth_pause(s->name, "send", quanta);
    return fpgaeth_mac_xmit(s, frame, sizeof(frame), false,
                            qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) !=
           XMIT_DROPPED;
}

static void fpgaeth_pause_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    s->tx_paused = false;
    trace_fpgaeth_pause(s->name, "expired", 0);
    fpgaeth_tx_kick(s);
}

/* Write back a TX frame's EOP descriptor FLAGS. */
static bool fpgaeth_tx_writeback(FpgaethState *s, unsigned q, uint64_t daddr,
                                 uint16_t flags)
{
    uint8_t b[2];

    stw_le_p(b, flags);
    if (!dma_write(s, daddr + TXD_FLAGS, b, 2)) {
        fpgaeth_halt(s, q, true, CAUSE_DESC_WRITE, daddr + TXD_FLAGS);
        return false;
    }
    return true;
}

static void fpgaeth_tx_arm(FpgaethState *s, int state, int64_t deadline)
{
    s->tx_state = state;
    s->tx_deadline = deadline;
    timer_mod(s->tx_timer, deadline);
}

/*
 * Start a TX frame of queue @q if a whole one is ready: read its descriptors
 * and (unless it is discarded) its buffers. Returns true if the engine is
 * now busy with it; false if the queue has no frame or halted.
 */
static bool fpgaeth_tx_start(FpgaethState *s, unsigned q, int64_t now)
{
    FpgaethQP *qp = &s->qp[q];
    FpgaethRing *r = &qp->tx;
    uint32_t avail, maxd, n = 0, total = 0, i;
    uint64_t daddr[FPGAETH_TX_MAX_DESCS];
    uint64_t baddr[FPGAETH_TX_MAX_DESCS];
    uint16_t blen[FPGAETH_TX_MAX_DESCS];
    uint16_t flags = 0, first_flags = 0, cs_start = 0, cs_off = 0;
    bool eop = false, bad = false, csum;
    const char *what;
    uint8_t d[DESC_SIZE];

    if (!ring_enabled(r) || ring_halted(r) || qp->tx_stalled) {
        return false;
    }
    avail = (r->tail - r->head) & ring_mask(r);
    if (!avail) {
        return false;
    }
    maxd = has_feat(s, R_CAP1_TX_SG_MASK) ? FPGAETH_TX_MAX_DESCS : 1;

    while (n < avail && n < maxd) {
        daddr[n] = ring_desc_addr(r, r->head + n);
        if (fault_take(s, FAULT_TX_DESC_ERROR, q) ||
            !dma_read(s, daddr[n], d, sizeof(d))) {
            fpgaeth_halt(s, q, true, CAUSE_DESC_READ, daddr[n]);
            return false;
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
    if (!eop && n < maxd) {
        /* the frame's EOP is not handed over yet: wait for a doorbell */
        return false;
    }

    csum = has_feat(s, R_CAP1_TX_CSUM_MASK) && (first_flags & TXD_FLAG_CSUM);
    if (!eop) {
        what = "discarded: too many descriptors";
    } else if (bad) {
        what = "discarded: LEN 0";
    } else if (total > s->max_frame_len) {
        what = "discarded: too long";
    } else if (csum && (uint32_t)cs_start + cs_off + 2 > total) {
        what = "discarded: bad checksum offsets";
    } else {
        what = NULL;
    }

    if (!what) {
        /* gather the frame into the TX FIFO */
        for (i = 0, total = 0; i < n; i++) {
            if (fault_take(s, FAULT_TX_BUF_ERROR, q) ||
                !dma_read(s, baddr[i], s->tx_frame + total, blen[i])) {
                fpgaeth_halt(s, q, true, CAUSE_BUF_ACCESS, baddr[i]);
                return false;
            }
            total += blen[i];
        }
        if (csum) {
            uint16_t c = net_checksum_finish_nozero(
                net_checksum_add(total - cs_start, s->tx_frame + cs_start));

            stw_be_p(s->tx_frame + cs_start + cs_off, c);
        }
        if (total < ETH_ZLEN) {
            memset(s->tx_frame + total, 0, ETH_ZLEN - total);
            total = ETH_ZLEN;
        }
    }

    s->tx_q = q;
    s->tx_gen = r->gen;
    s->tx_n = n;
    s->tx_len = total;
    s->tx_eop_addr = daddr[n - 1];
    /* the write-back keeps the driver's EOP and CSUM; reserved bits read 0 */
    s->tx_wb_flags = (flags & (TXD_FLAG_EOP | TXD_FLAG_CSUM)) | TXD_FLAG_DONE;
    s->tx_what = what;
    r->busy = true;
    if (what) {
        /* descriptor fetch, then the write-back with ERR */
        s->tx_wb_flags |= TXD_FLAG_ERR;
        fpgaeth_tx_arm(s, TXE_WB, now + 2 * (int64_t)s->dma_latency_ns);
    } else {
        /* descriptor fetch, then the buffers */
        fpgaeth_tx_arm(s, TXE_FETCH, now + 2 * (int64_t)s->dma_latency_ns);
    }
    return true;
}

/* The frame is in the TX FIFO: onto the line when the peer takes it. */
static void fpgaeth_tx_to_line(FpgaethState *s, int64_t now)
{
    int x = fpgaeth_mac_xmit(s, s->tx_frame, s->tx_len, true, now);
    int64_t wire = x == XMIT_DROPPED ? 0 : wire_time_ns(s, s->tx_len);

    if (x == XMIT_DROPPED) {
        s->tx_what = "consumed: TX_EN 0 or link down";
    }
    if (x == XMIT_PENDING) {
        trace_fpgaeth_tx_frame(s->name, s->tx_q, s->qp[s->tx_q].tx.head,
                               s->tx_n, s->tx_len, "waits for the peer");
        s->tx_state = TXE_PEER;
        timer_del(s->tx_timer);
        return;
    }
    fpgaeth_tx_arm(s, TXE_WIRE, now + wire + s->dma_latency_ns);
}

/* The peer took the frame the engine waits with: the line is ours. */
static void fpgaeth_tx_sent(NetClientState *nc, ssize_t len)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);

    if (s->tx_state != TXE_PEER) {
        return;     /* abandoned by a soft reset (purged) */
    }
    stats_tx(s, s->tx_frame, s->tx_len);
    fpgaeth_tx_arm(s, TXE_WIRE, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                   wire_time_ns(s, s->tx_len) + s->dma_latency_ns);
}

/* The frame left the line (or was discarded): write back, HEAD, complete. */
static void fpgaeth_tx_finish(FpgaethState *s)
{
    unsigned q = s->tx_q;
    FpgaethRing *r = &s->qp[q].tx;

    s->tx_state = TXE_IDLE;
    s->tx_free_at = s->tx_deadline;
    r->busy = false;
    if (r->gen != s->tx_gen) {
        /* re-enabled meanwhile (a protocol error): abandoned */
        return;
    }
    if (!fpgaeth_tx_writeback(s, q, s->tx_eop_addr, s->tx_wb_flags)) {
        return;
    }
    trace_fpgaeth_tx_frame(s->name, q, r->head, s->tx_n, s->tx_len,
                           s->tx_what ? s->tx_what : "sent");
    if (s->tx_wb_flags & TXD_FLAG_ERR) {
        r->drops++;
        stat_inc(s, ST_TX_DISCARDS);
    }
    r->head = (r->head + s->tx_n) & ring_mask(r);
    fpgaeth_complete(s, q, true, s->tx_deadline);
}

/* Start a frame of the next queue round-robin that has one. */
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

/* The TX engine (bottom half): advance as far as the virtual clock allows. */
static void fpgaeth_tx_bh(void *opaque)
{
    FpgaethState *s = opaque;
    unsigned frames = 0;

    for (;;) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

        switch (s->tx_state) {
        case TXE_IDLE:
            if (s->tx_paused || s->resetting) {
                s->tx_kicked = false;
                return;
            }
            if (frames++ == FPGAETH_ENGINE_BURST) {
                /* let the rest of QEMU run; go on in the next BH */
                qemu_bh_schedule(s->tx_bh);
                return;
            }
            /* the engine is free since tx_free_at, the work here since the kick */
            if (!fpgaeth_tx_pick(s, MAX(s->tx_free_at, s->tx_kicked ?
                                        s->tx_kick_at : now))) {
                s->tx_kicked = false;
                return;
            }
            break;
        case TXE_FETCH:
            if (now < s->tx_deadline) {
                return;
            }
            fpgaeth_tx_to_line(s, s->tx_deadline);
            break;
        case TXE_PEER:
            return;
        default:    /* TXE_WIRE, TXE_WB */
            if (now < s->tx_deadline) {
                return;
            }
            fpgaeth_tx_finish(s);
            break;
        }
    }
}

static void fpgaeth_tx_timer_cb(void *opaque)
{
    fpgaeth_tx_kick(opaque);
}

/* ------------------------------------------------------------------------
 * MAC: receive side
 */
static uint32_t toeplitz(FpgaethState *s, uint8_t *in, size_t n)
{
    uint8_t key[4 * FPGAETH_RSS_KEY_WORDS];
    net_toeplitz_key k;
    uint32_t hash = 0;

    for (int i = 0; i < FPGAETH_RSS_KEY_WORDS; i++) {
        stl_le_p(key + 4 * i, s->rss_key[i]);
    }
    /* n is at most 36: the key covers every input byte */
    net_toeplitz_key_init(&k, key);
    net_toeplitz_add(&hash, in, n, &k);
    return hash;
}

/* RSS: hash type and hash of an accepted frame */
static unsigned fpgaeth_rss_hash(FpgaethState *s, const uint8_t *buf,
                                 size_t len, uint32_t *hash)
{
    uint8_t in[36];
    size_t n, l4;
    int proto;

    *hash = 0;
    switch (lduw_be_p(buf + 12)) {
    case ETH_P_IP: {
        const uint8_t *ip = buf + ETH_HLEN;
        size_t ihl;

        if (len < ETH_HLEN + 20 || (ip[0] >> 4) != 4) {
            return HASH_NONE;
        }
        ihl = (ip[0] & 0xf) * 4;
        memcpy(in, ip + 12, 8);
        n = 8;
        proto = ip[9];
        l4 = ETH_HLEN + ihl;
        /* MF or a fragment offset: a fragment has no ports to hash */
        if ((lduw_be_p(ip + 6) & 0x3fff) || ihl < 20) {
            proto = -1;
        }
        break;
    }
    case ETH_P_IPV6: {
        const uint8_t *ip = buf + ETH_HLEN;

        if (len < ETH_HLEN + 40 || (ip[0] >> 4) != 6) {
            return HASH_NONE;
        }
        memcpy(in, ip + 8, 32);
        n = 32;
        proto = ip[6];
        l4 = ETH_HLEN + 40;
        break;
    }
    default:
        return HASH_NONE;
    }
    if ((proto == 6 || proto == 17) && len >= l4 + 4) {
        memcpy(in + n, buf + l4, 4);
        *hash = toeplitz(s, in, n + 4);
        return HASH_IP_L4;
    }
    *hash = toeplitz(s, in, n);
    return HASH_IP;
}

/* Auto-XOFF: with TX_PAUSE_EN, at most one XOFF per PAUSE_QUANTA period. */
static void fpgaeth_rx_xoff(FpgaethState *s)
{
    int64_t now, period;

    if (!ctrl_on(s, R_CTRL_TX_PAUSE_EN_MASK)) {
        return;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    period = bits_time_ns(s, (uint64_t)s->pause_quanta * 512);
    if (!s->auto_xoff_sent || now - s->last_auto_xoff >= period) {
        if (fpgaeth_send_pause(s, s->pause_quanta)) {
            s->auto_xoff_sent = true;
            s->last_auto_xoff = now;
        }
    }
}

/* An RX frame steered to queue @q is dropped as RX_NOBUF. */
static void fpgaeth_rx_nobuf(FpgaethState *s, unsigned q, size_t len,
                             const char *why)
{
    trace_fpgaeth_rx_drop(s->name, len, why);
    s->qp[q].rx.drops++;
    stat_inc(s, ST_RX_NOBUF);
    fpgaeth_rx_xoff(s);
}

/* Take the frame at the head of the RX FIFO out of it. */
static FpgaethRxFrame *fpgaeth_rx_fifo_pop(FpgaethState *s)
{
    FpgaethRxFrame *f = QSIMPLEQ_FIRST(&s->rx_fifo);

    QSIMPLEQ_REMOVE_HEAD(&s->rx_fifo, next);
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
        if (fault_take(s, FAULT_RX_DESC_ERROR, q) ||
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

    /* the engine is free, the frame in the FIFO (and, if it waited, the
     * buffers posted) */
    now = MAX(MAX(now, f->ready), s->rx_free_at);
    if (s->rx_waiting && s->rx_kicked) {
        now = MAX(now, s->rx_kick_at);
    }
    s->rx_waiting = false;
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
 * The frame's DMA: its data into the buffers, filling each before the next,
 * then the write-back (every byte but the STATUS words, then the STATUS
 * words from the frame's last descriptor to its first), HEAD, completion.
 * Returns the reason the frame was dropped, or NULL.
 */
static const char *fpgaeth_rx_store(FpgaethState *s, FpgaethRxFrame *f)
{
    unsigned q = f->q;
    FpgaethRing *r = &s->qp[q].rx;
    uint32_t n = s->rx_n, i;
    uint16_t csum = 0, status;
    bool csum_valid;
    size_t off;
    uint8_t d[DESC_SIZE];

    for (i = 0, off = 0; i < n; i++) {
        uint16_t chunk = MIN(s->rx_blen[i], f->len - off);

        if (fault_take(s, FAULT_RX_BUF_ERROR, q) ||
            !dma_write(s, s->rx_baddr[i], f->data + off, chunk)) {
            fpgaeth_halt(s, q, false, CAUSE_BUF_ACCESS, s->rx_baddr[i]);
            return "buffer write error";
        }
        s->rx_wlen[i] = chunk;
        off += chunk;
    }

    csum_valid = has_feat(s, R_CAP1_RX_CSUM_MASK) &&
                 ctrl_on(s, R_CTRL_RX_CSUM_EN_MASK);
    if (csum_valid) {
        /* the sum, not complemented */
        csum = ~net_checksum_finish(net_checksum_add(f->len - ETH_HLEN,
                                                     f->data + ETH_HLEN));
    }
    if (fault_take(s, FAULT_RX_BAD_LEN, q)) {
        s->rx_wlen[n - 1] = s->rx_blen[n - 1] + 1;
    }

    /* write-back: every byte but the STATUS words first ... */
    for (i = 0; i < n; i++) {
        uint64_t a = ring_desc_addr(r, r->head + i);

        memset(d, 0, sizeof(d));
        if (i == n - 1) {
            stl_le_p(d + RXD_WB_HASH, f->hash);
            stw_le_p(d + RXD_WB_CSUM, csum);
        }
        stw_le_p(d + RXD_WB_LEN, s->rx_wlen[i]);
        if ((i == 0 && fault_take(s, FAULT_RX_WB_ERROR, q)) ||
            !dma_write(s, a, d, RXD_STATUS) ||
            !dma_write(s, a + RXD_STATUS + 2, d + RXD_STATUS + 2,
                       DESC_SIZE - RXD_STATUS - 2)) {
            fpgaeth_halt(s, q, false, CAUSE_DESC_WRITE, a);
            return "descriptor write-back error";
        }
    }
    /* ... then the STATUS words, the frame's first descriptor last */
    for (i = n; i-- > 0;) {
        uint64_t a = ring_desc_addr(r, r->head + i);

        status = RXD_ST_DONE;
        if (i == n - 1) {
            status |= RXD_ST_EOP | (f->htype << RXD_ST_HASH_SHIFT);
            if (csum_valid) {
                status |= RXD_ST_CSUM_VALID;
            }
        }
        stw_le_p(d, status);
        if (!dma_write(s, a + RXD_STATUS, d, 2)) {
            fpgaeth_halt(s, q, false, CAUSE_DESC_WRITE, a + RXD_STATUS);
            return "descriptor write-back error";
        }
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
static void fpgaeth_rx_bh(void *opaque)
{
    FpgaethState *s = opaque;
    unsigned frames = 0;

    for (;;) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        FpgaethRxFrame *f;

        if (s->rx_state == RXE_DMA) {
            if (now < s->rx_deadline) {
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

static void fpgaeth_rx_timer_cb(void *opaque)
{
    fpgaeth_rx_kick(opaque);
}

static bool fpgaeth_addr_filter(FpgaethState *s, const uint8_t *dst)
{
    uint8_t mac[6];

    if (ctrl_on(s, R_CTRL_PROMISC_MASK) || is_broadcast_ether_addr(dst)) {
        return true;
    }
    if (is_multicast_ether_addr(dst)) {
        if (ctrl_on(s, R_CTRL_ALLMULTI_MASK)) {
            return true;
        }
        if (has_feat(s, R_CAP1_MC_HASH_MASK)) {
            unsigned bit = net_crc32(dst, 6) >> 26;
            uint32_t word = bit < 32 ? s->mc_hash_lo : s->mc_hash_hi;

            return (word >> (bit & 31)) & 1;
        }
        return false;
    }
    station_addr(s, mac);
    return !memcmp(dst, mac, 6);
}

static void fpgaeth_rx_pause(FpgaethState *s, uint16_t quanta, int64_t now)
{
    trace_fpgaeth_pause(s->name, "received", quanta);
    if (!quanta) {
        timer_del(s->pause_timer);
        if (s->tx_paused) {
            s->tx_paused = false;
            fpgaeth_tx_kick(s);
        }
        return;
    }
    s->tx_paused = true;
    timer_mod(s->pause_timer, now + bits_time_ns(s, (uint64_t)quanta * 512));
}

/*
 * The receive path of programming-model.rst "Receive path". @from_line is
 * false for frames looped back inside the MAC (they enter at step 2). The
 * frame occupies the line for its wire time; a frame that passes steps 1
 * to 4 enters the RX FIFO, complete at the end of its wire time, if it fits.
 */
static void fpgaeth_rx_frame(FpgaethState *s, const uint8_t *buf, size_t len,
                             bool from_line, int64_t now)
{
    size_t wire, orig_len = len;
    uint16_t type;
    uint32_t hash = 0;
    unsigned q = 0, htype = HASH_NONE;
    FpgaethRxFrame *f;

    /* 1. RX_EN; in loopback frames from the line are ignored */
    if (!ctrl_on(s, R_CTRL_RX_EN_MASK)) {
        trace_fpgaeth_rx_drop(s->name, len, "RX_EN 0");
        return;
    }
    if (from_line) {
        if (ctrl_on(s, R_CTRL_LOOPBACK_MASK)) {
            trace_fpgaeth_rx_drop(s->name, len, "MAC loopback");
            return;
        }
        if (!s->link_up) {
            trace_fpgaeth_rx_drop(s->name, len, "link down");
            return;
        }
        if (len < ETH_ZLEN) {
            /* as a real line would carry it */
            memcpy(s->rx_pad, buf, len);
            memset(s->rx_pad + len, 0, ETH_ZLEN - len);
            buf = s->rx_pad;
            len = ETH_ZLEN;
        }
    }
    /* the frame is on the line for its wire time */
    s->rx_line_free = MAX(now, s->rx_line_free) + wire_time_ns(s, len);
    if (from_line && fault_take_count(s, FAULT_RX_FIFO_OVERFLOW)) {
        trace_fpgaeth_rx_drop(s->name, len, "FIFO overflow (fault)");
        stat_inc(s, ST_RX_FIFO_OVF);
        fpgaeth_misc_event(s, R_MISC_IRQ_RX_FIFO_OVF_MASK);
        return;
    }
    wire = len + ETH_FCS_LEN;

    /* 2. errored frames */
    if (from_line && fault_take_count(s, FAULT_RX_FCS_ERROR)) {
        trace_fpgaeth_rx_drop(s->name, len, "bad FCS (fault)");
        /* a fragment is short on the line, before any padding */
        if (orig_len + ETH_FCS_LEN < 64) {
            stat_inc(s, ST_RX_FRAGMENTS);
        } else if (len > s->max_frame_len) {
            stat_inc(s, ST_RX_JABBERS);
        } else {
            stat_inc(s, ST_RX_FCS_ERR);
        }
        return;
    }
    if (len > s->max_frame_len) {
        trace_fpgaeth_rx_drop(s->name, len, "too long");
        stat_inc(s, ST_RX_TOO_LONG);
        return;
    }
    if (wire < 64) {
        trace_fpgaeth_rx_drop(s->name, len, "undersize");
        stat_inc(s, ST_RX_UNDERSIZE);
        return;
    }
    type = lduw_be_p(buf + 12);
    if (type < 0x0600) {
        /* 802.3 length field: in-range length error, still delivered */
        size_t payload = len - ETH_HLEN;

        if (type != payload && !(payload == ETH_ZLEN - ETH_HLEN &&
                                 type < payload)) {
            stat_inc(s, ST_RX_LEN_ERR);
        }
    }

    /* 3. MAC control frames */
    if (type == ETH_P_MAC_CTRL) {
        stat_inc(s, ST_RX_MAC_CTRL);
        if (is_pause_frame(buf, len)) {
            stat_inc(s, ST_RX_PAUSE);
            if (ctrl_on(s, R_CTRL_RX_PAUSE_EN_MASK)) {
                fpgaeth_rx_pause(s, lduw_be_p(buf + 16), now);
            }
        } else if (lduw_be_p(buf + 14) != MAC_CTRL_OP_PAUSE) {
            stat_inc(s, ST_RX_UNSUP_OPCODE);
        }
        trace_fpgaeth_rx_drop(s->name, len, "MAC control frame");
        return;
    }

    /* 4. address filter */
    if (!fpgaeth_addr_filter(s, buf)) {
        trace_fpgaeth_rx_drop(s->name, len, "address filter");
        stat_inc(s, ST_RX_FILTERED);
        return;
    }

    /* the RX FIFO: a frame that does not fit is dropped */
    if (s->rx_fifo_bytes + len > s->rx_fifo_kib * 1024) {
        trace_fpgaeth_rx_drop(s->name, len, "RX FIFO overflow");
        stat_inc(s, ST_RX_FIFO_OVF);
        fpgaeth_misc_event(s, R_MISC_IRQ_RX_FIFO_OVF_MASK);
        fpgaeth_rx_xoff(s);
        return;
    }

    /* 5. good frame: count, steer, store */
    stat_inc(s, ST_RX_FRAMES_OK);
    s->stats[ST_RX_OCTETS_OK] += wire;
    if (is_broadcast_ether_addr(buf)) {
        stat_inc(s, ST_RX_BCAST);
    } else if (is_multicast_ether_addr(buf)) {
        stat_inc(s, ST_RX_MCAST);
    } else {
        stat_inc(s, ST_RX_UCAST);
    }
    stat_inc(s, ST_RX_HIST0 + hist_bin(wire));

    if (has_feat(s, R_CAP1_RSS_MASK) && ctrl_on(s, R_CTRL_RSS_EN_MASK)) {
        htype = fpgaeth_rss_hash(s, buf, len, &hash);
    }
    if (htype != HASH_NONE) {
        unsigned e = hash & ((1u << FPGAETH_RSS_INDIR_LOG2) - 1);

        q = (s->rss_indir[e / 4] >> (8 * (e % 4))) & 7;
        if (q >= s->num_qp) {
            q = 0;
        }
    }
    f = g_malloc(sizeof(*f) + len);
    f->ready = s->rx_line_free;
    f->q = q;
    f->hash = hash;
    f->htype = htype;
    f->len = len;
    memcpy(f->data, buf, len);
    QSIMPLEQ_INSERT_TAIL(&s->rx_fifo, f, next);
    s->rx_fifo_bytes += len;
    s->rx_fifo_frames++;
    fpgaeth_rx_kick(s);
}

/* The line is busy with a frame still arriving. */
static bool fpgaeth_line_busy(FpgaethState *s)
{
    if (s->rx_line_free <= qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
        return false;
    }
    /* take the backend's next frame when the line is free */
    timer_mod(s->rx_line_timer, s->rx_line_free);
    return true;
}

static void fpgaeth_rx_line_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    qemu_flush_queued_packets(qemu_get_queue(s->nic));
}

static bool fpgaeth_can_receive(NetClientState *nc)
{
    return !fpgaeth_line_busy(qemu_get_nic_opaque(nc));
}

static ssize_t fpgaeth_receive(NetClientState *nc, const uint8_t *buf,
                               size_t size)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);

    if (s->phy_bmcr & MII_BMCR_LOOPBACK) {
        /* the PHY loops our own frames back and does not listen to the line */
        trace_fpgaeth_rx_drop(s->name, size, "PHY loopback");
        return size;
    }
    /*
     * Frames come from the line one at a time, at the line rate: the
     * backend holds the next one while the line is busy. The MAC drops what
     * it cannot store and counts it (RX FIFO overflow, filters, ...).
     */
    if (fpgaeth_line_busy(s)) {
        return 0;
    }
    fpgaeth_rx_frame(s, buf, size, true, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    return size;
}

/* ------------------------------------------------------------------------
 * Reset
 */
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
        if (qp->tx_stalled) {
            FpgaethFault *f;

            while ((f = fault_find(s, FAULT_TX_STALL, q))) {
                fault_remove(s, f);
            }
            qp->tx_stalled = false;
        }
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
        s->qp[q].tx_stalled = fault_find(s, FAULT_TX_STALL, q) != NULL;
    }
    /* power-on also resets the PHY */
    fpgaeth_phy_reset(s);
    s->link_up = (s->phy_bmcr & MII_BMCR_LOOPBACK) || phy_line_up(s);
    s->phy_link_latch = s->link_up;
}

static void fpgaeth_reset_hold(Object *obj, ResetType type)
{
    fpgaeth_update_irq(FPGAETH(obj));
}

/* ------------------------------------------------------------------------
 * Register access
 */
static void fpgaeth_ring_enable(FpgaethState *s, unsigned q, bool tx, bool on)
{
    FpgaethRing *r = ring_of(s, q, tx);
    bool was = ring_enabled(r);

    if (on && !was && r->busy) {
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
            r->log2 > FPGAETH_MAX_RING_LOG2) {
            /* HEAD/TAIL masks stay sane while halted */
            r->log2 = 0;
            fpgaeth_halt(s, q, tx, CAUSE_RING_CONFIG, r->base);
        }
    } else if (!on && was) {
        trace_fpgaeth_queue_enable(s->name, dir_name(tx), q, 0, r->base,
                                   r->log2);
        if (tx && s->tx_state == TXE_PEER && s->tx_q == q) {
            /* the frame waiting for the peer goes (the net queue has it) */
            fpgaeth_tx_sent(qemu_get_queue(s->nic), s->tx_len);
        }
        if (tx && s->qp[q].tx_stalled) {
            FpgaethFault *f;

            while ((f = fault_find(s, FAULT_TX_STALL, q))) {
                fault_remove(s, f);
            }
            s->qp[q].tx_stalled = false;
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
static bool ring_idle(FpgaethRing *r)
{
    return !ring_enabled(r) && !r->busy;
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
        if (has_feat(s, R_CAP1_QUEUE_IDLE_MASK) && ring_idle(r)) {
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

    switch (off) {
    case A_Q_TX_BASE_LO:
    case A_Q_TX_BASE_HI:
    case A_Q_TX_SIZE:
        if (!ring_idle(r)) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: %s queue %u: ring register 0x%02" HWADDR_PRIx
                          " written while the queue is not IDLE\n",
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
        r->tail = val & tail_mask(r);
        trace_fpgaeth_doorbell(s->name, dir_name(tx), q, r->head, r->tail);
        /* a doorbell schedules the engine; it does not run it */
        if (tx) {
            fpgaeth_tx_kick(s);
        } else {
            fpgaeth_rx_kick(s);
        }
        return true;
    case A_Q_TX_CTRL:
        fpgaeth_ring_enable(s, q, tx, FIELD_EX32(val, Q_CTRL, ENABLE));
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

    *ok = true;
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

    v = FIELD_DP32(v, CAP0, MAX_RING_LOG2, FPGAETH_MAX_RING_LOG2);
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
        return s->mdio_cmd;
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
    default:
        *ok = false;
        return 0;
    }
}

static uint64_t fpgaeth_read(void *opaque, hwaddr addr, unsigned size)
{
    FpgaethState *s = opaque;
    uint64_t val = 0;
    bool ok;

    if (size == 8 && !(addr & 7) && addr >= A_STATS_BASE &&
        addr < A_STATS_END) {
        /* a 64-bit read returns the whole counter at once */
        val = s->stats[(addr - A_STATS_BASE) / 8];
    } else if (size != 4 || (addr & 3)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: bad %u-byte read at 0x%04" HWADDR_PRIx "\n",
                      s->name, size, addr);
    } else {
        val = fpgaeth_read32(s, addr, &ok);
        if (!ok) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: read of unimplemented register 0x%04"
                          HWADDR_PRIx "\n", s->name, addr);
        }
    }
    trace_fpgaeth_reg_read(s->name, addr, val, size);
    return val;
}

/*
 * Soft reset: the registers take their reset values and no DMA starts; the
 * engines abandon their frames after the DMA access in flight (if any), and
 * SOFT_RESET reads 1 until FPGAETH_SOFT_RESET_NS after the last of those.
 */
static void fpgaeth_reset_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    s->resetting = false;
    trace_fpgaeth_soft_reset(s->name, "done");
    /* frames the line held back while the IP was in reset */
    qemu_flush_queued_packets(qemu_get_queue(s->nic));
}

static void fpgaeth_write_ctrl(FpgaethState *s, uint32_t val)
{
    if (FIELD_EX32(val, CTRL, SOFT_RESET)) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        int64_t dma_done = MAX(now, fpgaeth_dma_busy_until(s));

        fpgaeth_soft_reset(s);
        s->resetting = true;
        timer_mod(s->reset_timer, dma_done + FPGAETH_SOFT_RESET_NS);
        return;
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
    default:
        return false;
    }
    return true;
}

static void fpgaeth_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    FpgaethState *s = opaque;

    trace_fpgaeth_reg_write(s->name, addr, val, size);
    if (s->resetting) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: write at 0x%04" HWADDR_PRIx " while SOFT_RESET "
                      "reads 1, ignored\n", s->name, addr);
        fpgaeth_protocol_error(s);
        return;
    }
    if (size != 4 || (addr & 3)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: bad %u-byte write at 0x%04" HWADDR_PRIx "\n",
                      s->name, size, addr);
        return;
    }
    if (!fpgaeth_write32(s, addr, val)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: write of unimplemented register 0x%04"
                      HWADDR_PRIx "\n", s->name, addr);
    }
}

static const MemoryRegionOps fpgaeth_ops = {
    .read = fpgaeth_read,
    .write = fpgaeth_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    /* bad sizes and alignments are logged and read as 0 / ignored */
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

/* ------------------------------------------------------------------------
 * The "fault" property
 */
static char *fpgaeth_get_fault(Object *obj, Error **errp)
{
    FpgaethState *s = FPGAETH(obj);
    GString *str = g_string_new("");

    for (guint i = 0; i < s->faults->len; i++) {
        FpgaethFault *f = g_ptr_array_index(s->faults, i);

        if (i) {
            g_string_append_c(str, ' ');
        }
        g_string_append(str, f->text);
    }
    return g_string_free(str, false);
}

static void fault_add(FpgaethState *s, int kind, uint32_t arg,
                      const char *text)
{
    FpgaethFault *f = g_new0(FpgaethFault, 1);

    f->kind = kind;
    f->arg = arg;
    f->text = g_strdup(text);
    g_ptr_array_add(s->faults, f);
}

static void fault_remove_all(FpgaethState *s, int kind, int q)
{
    FpgaethFault *f;

    while ((f = fault_find(s, kind, q))) {
        fault_remove(s, f);
    }
}

static void fpgaeth_set_fault(Object *obj, const char *value, Error **errp)
{
    FpgaethState *s = FPGAETH(obj);
    g_autofree char *name = g_strdup(value);
    char *colon = strchr(name, ':');
    const char *argstr = NULL;
    unsigned int arg;
    int kind;

    if (colon) {
        *colon = '\0';
        argstr = colon + 1;
    }
    for (kind = 0; kind < ARRAY_SIZE(fault_table); kind++) {
        if (!strcmp(name, fault_table[kind].name)) {
            break;
        }
    }
    if (kind == ARRAY_SIZE(fault_table)) {
        error_setg(errp, "%s: unknown fault '%s'", s->name, value);
        return;
    }

    switch (fault_table[kind].arg) {
    case FARG_NONE:
        if (argstr) {
            error_setg(errp, "%s: fault '%s' takes no argument", s->name,
                       name);
            return;
        }
        arg = 0;
        break;
    case FARG_QUEUE:
        arg = 0;
        if (argstr && qemu_strtoui(argstr, NULL, 0, &arg) < 0) {
            error_setg(errp, "%s: bad queue pair '%s' in fault '%s'",
                       s->name, argstr, value);
            return;
        }
        if (arg >= s->num_qp) {
            error_setg(errp, "%s: fault '%s': no queue pair %u (NUM_QP %u)",
                       s->name, value, arg, s->num_qp);
            return;
        }
        break;
    default:
        arg = 1;
        if (argstr && (qemu_strtoui(argstr, NULL, 0, &arg) < 0 || !arg)) {
            error_setg(errp, "%s: bad count '%s' in fault '%s'", s->name,
                       argstr, value);
            return;
        }
        break;
    }

    trace_fpgaeth_fault(s->name, value, "set");
    if (!DEVICE(obj)->realized) {
        /*
         * -device fpgaeth,fault=...: record the fault; the engines and the
         * link are set up at realize and reset, which read the faults.
         */
        switch (kind) {
        case FAULT_CLEAR:
            g_ptr_array_set_size(s->faults, 0);
            break;
        case FAULT_TX_UNSTALL:
            fault_remove_all(s, FAULT_TX_STALL, arg);
            break;
        case FAULT_LINK_UP:
            fault_remove_all(s, FAULT_LINK_DOWN, -1);
            break;
        case FAULT_LOOPBACK_OK:
            fault_remove_all(s, FAULT_LOOPBACK_CORRUPT, -1);
            break;
        default:
            if (fault_table[kind].arg == FARG_COUNT ||
                !fault_find(s, kind, fault_table[kind].arg == FARG_QUEUE ?
                            (int)arg : -1)) {
                fault_add(s, kind, arg, value);
            }
            break;
        }
        return;
    }
    switch (kind) {
    case FAULT_CLEAR:
        while (s->faults->len) {
            fault_remove(s, g_ptr_array_index(s->faults, 0));
        }
        for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
            s->qp[q].tx_stalled = false;
        }
        fpgaeth_update_link(s);
        fpgaeth_tx_kick(s);
        break;
    case FAULT_TX_STALL:
        if (!s->qp[arg].tx_stalled) {
            fault_add(s, kind, arg, value);
            s->qp[arg].tx_stalled = true;
        }
        break;
    case FAULT_TX_UNSTALL:
        fault_remove_all(s, FAULT_TX_STALL, arg);
        s->qp[arg].tx_stalled = false;
        fpgaeth_tx_kick(s);
        break;
    case FAULT_LINK_DOWN:
        if (!fault_find(s, kind, -1)) {
            fault_add(s, kind, arg, value);
        }
        fpgaeth_update_link(s);
        break;
    case FAULT_LINK_UP:
        fault_remove_all(s, FAULT_LINK_DOWN, -1);
        fpgaeth_update_link(s);
        break;
    case FAULT_LOOPBACK_CORRUPT:
        if (!fault_find(s, kind, -1)) {
            fault_add(s, kind, arg, value);
        }
        break;
    case FAULT_LOOPBACK_OK:
        fault_remove_all(s, FAULT_LOOPBACK_CORRUPT, -1);
        break;
    default:
        fault_add(s, kind, arg, value);
        break;
    }
}

/* ------------------------------------------------------------------------
 * Device
 */
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
    if (s->features & ~FPGAETH_FEATURES_ALL) {
        error_setg(errp, "fpgaeth: features 0x%" PRIx32 " is not a subset "
                   "of 0x%x", s->features, FPGAETH_FEATURES_ALL);
        return;
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
}

static void fpgaeth_unrealize(DeviceState *dev)
{
    FpgaethState *s = FPGAETH(dev);

    for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
        timer_free(s->qp[q].tx.coal_timer);
        timer_free(s->qp[q].rx.coal_timer);
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
    DEFINE_PROP_UINT32("build-id", FpgaethState, build_id, 0x20261124),
    DEFINE_PROP_UINT32("features", FpgaethState, features,
                       FPGAETH_FEATURES_DEFAULT),
    DEFINE_PROP_UINT32("phy-addr", FpgaethState, phy_addr, 1),
    DEFINE_PROP_UINT32("ip-id", FpgaethState, id, FPGAETH_ID_MAGIC),
    DEFINE_PROP_UINT32("ip-version", FpgaethState, version,
                       FPGAETH_VERSION_1_1),
    DEFINE_PROP_UINT32("rx-fifo-kib", FpgaethState, rx_fifo_kib, 32),
    DEFINE_PROP_UINT32("tx-fifo-kib", FpgaethState, tx_fifo_kib, 16),
    DEFINE_PROP_UINT32("clk-mhz", FpgaethState, clk_mhz, 125),
    DEFINE_PROP_INT32("dt-num-queues", FpgaethState, dt_num_queues, -1),
    DEFINE_PROP_BOOL("dt-fixed-link", FpgaethState, dt_fixed_link, false),
    DEFINE_PROP_UINT32("dma-latency", FpgaethState, dma_latency_ns, 500),
    DEFINE_PROP_LINK("dma", FpgaethState, dma_mr, TYPE_MEMORY_REGION,
                     MemoryRegion *),
};

static const VMStateDescription vmstate_fpgaeth = {
    .name = TYPE_FPGAETH,
    .unmigratable = 1,
};

static void fpgaeth_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "fpgaeth Ethernet MAC + multi-queue DMA IP (model 1.1)";
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
