/*
 * fpgaeth: what the model's files share (not part of QEMU's API): the
 * register map, descriptor layouts, helpers, and the functions each file
 * provides to the others.
 *
 *   fpgaeth.c         device, properties, registers, reset
 *   fpgaeth-dma.c     interrupts and coalescing, the TX and RX engines
 *   fpgaeth-mac.c     MAC: transmit, receive path, filter, RSS, stats, pause
 *   fpgaeth-phy.c     the PHY and the MDIO master
 *   fpgaeth-fault.c   fault injection (the "fault" property)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_NET_FPGAETH_INTERNAL_H
#define HW_NET_FPGAETH_INTERNAL_H

/* ------------------------------------------------------------------------
 * Register map
 */

#define FPGAETH_ID_MAGIC        0x46504745      /* "FPGE" */
#define FPGAETH_VERSION_1_0     0x00010000
#define FPGAETH_VERSION_1_1     0x00010001
#define FPGAETH_VERSION_1_2     0x00010002
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
    FIELD(CAP1, STALL_WDOG, 12, 1)
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
REG32(STALL_TIMEOUT, 0x0800)
    FIELD(STALL_TIMEOUT, MS, 0, 16)

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
    CAUSE_STALL = 6,
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

/* ------------------------------------------------------------------------
 * Fault injection (fpgaeth-fault.c)
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
    FAULT_SLOW_DRAIN,
    FAULT_TX_WB_ERROR,
    FAULT_RX_LEN_LIE,
    FAULT_TX_HEAD_LIE,
    FAULT_REGS_ALL_ONES,
    FAULT_IRQ_LOST,
    FAULT_IRQ_CLEAR_LATE,
    FAULT_RESET_STUCK,
    FAULT_MDIO_STUCK,
    FAULT_IRQ_STORM,
    FAULT_BUS_ERROR,
    FAULT_TX_HEAD_BACK,
    FAULT_RX_HEAD_BACK,
    FAULT_TX_WB_SKIP,
    FAULT_RX_WB_SKIP,
    FAULT_RX_WB_STALE,
    FAULT_TX_DONE_BEYOND,
    FAULT_RX_DONE_BEYOND,
    FAULT_RX_EOP_EARLY,
    FAULT_RX_HASH_RESERVED,
    FAULT_TX_DONE_UNRUNG,
    FAULT_TX_WB_DUP,
    FAULT_TX_WB_DUP_LATE,
    FAULT_RX_STALL,
    FAULT_RX_UNSTALL,
    FAULT_CLEAR,
};


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

/* ------------------------------------------------------------------------
 * Statistics
 */
static inline void stat_inc(FpgaethState *s, int idx)
{
    s->stats[idx]++;
}

enum { XMIT_DROPPED, XMIT_SENT, XMIT_PENDING };

/* fpgaeth-fault.c */
void fpgaeth_fault_free(gpointer p);
FpgaethFault *fpgaeth_fault_find(FpgaethState *s, int kind, int q);
void fpgaeth_fault_remove(FpgaethState *s, FpgaethFault *f);
bool fpgaeth_fault_take(FpgaethState *s, int kind, unsigned q);
bool fpgaeth_fault_take_count(FpgaethState *s, int kind);
char *fpgaeth_get_fault(Object *obj, Error **errp);
void fpgaeth_fault_remove_all(FpgaethState *s, int kind, int q);
void fpgaeth_set_fault(Object *obj, const char *value, Error **errp);
bool fpgaeth_fault_hit(FpgaethState *s, int kind, int q, uint64_t val);
bool fpgaeth_fault_rx_wb(FpgaethState *s, unsigned q, unsigned k,
                         unsigned nacc);
uint32_t fpgaeth_fault_tx_head(FpgaethState *s, unsigned q, FpgaethRing *r);
bool fpgaeth_fault_head_back(FpgaethState *s, unsigned q, bool tx,
                             uint32_t *val);
void fpgaeth_fault_done_beyond(FpgaethState *s, unsigned q, bool tx,
                               uint16_t word);
void fpgaeth_fault_arm(FpgaethState *s, int kind, unsigned q, uint32_t idx,
                       uint16_t word);
void fpgaeth_fault_stale_rearm(FpgaethState *s, unsigned q, uint32_t old,
                               uint32_t tail);
uint16_t fpgaeth_fault_rx_len(FpgaethState *s, unsigned q, uint16_t buf_len,
                              uint16_t len);
void fpgaeth_fault_rx_status(FpgaethState *s, unsigned q, unsigned n,
                             uint32_t *htype, uint32_t *eop_at);
void fpgaeth_fault_rx_written(FpgaethState *s, unsigned q, uint32_t idx,
                              uint16_t status);
void fpgaeth_fault_unrung_snap(FpgaethState *s, unsigned q, uint32_t tail);
void fpgaeth_fault_done_unrung(FpgaethState *s, unsigned q);
void fpgaeth_fault_dup_replay(FpgaethState *s, unsigned q, uint32_t idx);
void fpgaeth_fault_dup_late(FpgaethState *s, unsigned q, uint32_t tail);
void fpgaeth_rx_unstall(FpgaethState *s, unsigned q);

/* fpgaeth.c */
void fpgaeth_soft_reset_done(FpgaethState *s);

/* fpgaeth-phy.c */
bool fpgaeth_phy_line_up(FpgaethState *s);
void fpgaeth_update_link(FpgaethState *s);
void fpgaeth_phy_reset(FpgaethState *s);
void fpgaeth_mdio_cmd(FpgaethState *s, uint32_t val);
void fpgaeth_set_link(NetClientState *nc);

/* fpgaeth-mac.c */
int64_t fpgaeth_bits_time_ns(FpgaethState *s, uint64_t bits);
void fpgaeth_stats_tx(FpgaethState *s, const uint8_t *buf, size_t len);
int64_t fpgaeth_wire_time_ns(FpgaethState *s, size_t len);
int fpgaeth_mac_xmit(FpgaethState *s, uint8_t *buf, size_t len,
                     bool async, int64_t now);
bool fpgaeth_send_pause(FpgaethState *s, uint16_t quanta);
void fpgaeth_pause_timer_cb(void *opaque);
void fpgaeth_rx_xoff(FpgaethState *s);
void fpgaeth_rx_nobuf(FpgaethState *s, unsigned q, size_t len,
                      const char *why);
void fpgaeth_rx_frame(FpgaethState *s, const uint8_t *buf, size_t len,
                      bool from_line, int64_t now);
void fpgaeth_rx_line_timer_cb(void *opaque);
bool fpgaeth_can_receive(NetClientState *nc);
ssize_t fpgaeth_receive(NetClientState *nc, const uint8_t *buf,
                        size_t size);

/* fpgaeth-cosim.c */
bool fpgaeth_cosim_realize(FpgaethState *s, Error **errp);
void fpgaeth_cosim_unrealize(FpgaethState *s);
void fpgaeth_cosim_reset(FpgaethState *s);
uint64_t fpgaeth_cosim_read(FpgaethState *s, hwaddr addr, unsigned size);
void fpgaeth_cosim_write(FpgaethState *s, hwaddr addr, uint64_t val,
                         unsigned size);
ssize_t fpgaeth_cosim_receive(FpgaethState *s, const uint8_t *buf,
                              size_t size);
void fpgaeth_cosim_set_link(FpgaethState *s, bool up);

/* fpgaeth-dma.c */
void fpgaeth_update_irq(FpgaethState *s);
void fpgaeth_misc_event(FpgaethState *s, uint32_t bits);
void fpgaeth_coal_timer_cb(void *opaque);
void fpgaeth_halt(FpgaethState *s, unsigned q, bool tx, unsigned cause,
                  uint64_t addr);
int64_t fpgaeth_dma_busy_until(FpgaethState *s);
void fpgaeth_engines_stop(FpgaethState *s);
void fpgaeth_tx_kick(FpgaethState *s);
void fpgaeth_rx_kick(FpgaethState *s);
void fpgaeth_tx_sent(NetClientState *nc, ssize_t len);
void fpgaeth_tx_queue_off(FpgaethState *s, unsigned q);
void fpgaeth_tx_bh(void *opaque);
void fpgaeth_tx_timer_cb(void *opaque);
void fpgaeth_rx_bh(void *opaque);
void fpgaeth_rx_timer_cb(void *opaque);
void fpgaeth_wdog_update_all(FpgaethState *s);
void fpgaeth_wdog_restart(FpgaethState *s);
void fpgaeth_wdog_timer_cb(void *opaque);

#endif
