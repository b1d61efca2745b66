/*
 * fpgaeth: Ethernet MAC + multi-queue DMA IP (programming model 1.2)
 *
 * The device implements Documentation/fpgaeth/programming-model.rst of the
 * fpgaeth project; see Documentation/fpgaeth/qemu-model.rst for the QEMU
 * specifics (properties, device tree node, fault injection).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_NET_FPGAETH_H
#define HW_NET_FPGAETH_H

#include "hw/sysbus.h"
#include "net/net.h"
#include "qom/object.h"
#include "qemu/queue.h"

#define TYPE_FPGAETH "fpgaeth"
OBJECT_DECLARE_SIMPLE_TYPE(FpgaethState, FPGAETH)

#define FPGAETH_COMPAT          "fpgaeth,eth-1.0"
#define FPGAETH_MMIO_SIZE       0x10000
#define FPGAETH_MAX_QP          8
#define FPGAETH_NUM_STATS       44
#define FPGAETH_MAX_FRAME_LIMIT 16383
#define FPGAETH_FEATURES_ALL    0x1c7f  /* CAP1 bits a build may have */
#define FPGAETH_FEATURES_DEFAULT 0x147f /* all but SPEED_10G */
#define FPGAETH_RING_MAX        4096

/* The co-simulation link to the RTL (fpgaeth-cosim.c) */
typedef struct FpgaethCosim FpgaethCosim;

/* One direction (TX or RX) of a queue pair */
typedef struct FpgaethRing {
    /* registers */
    uint32_t base_lo;
    uint32_t base_hi;
    uint32_t size;
    uint32_t head;
    uint32_t tail;
    uint32_t ctrl;
    uint32_t status;
    uint32_t coal;
    uint64_t err_addr;
    uint32_t drops;         /* TX_DISCARDS or RX_NOBUF */
    unsigned busy;          /* frames of it in the engine (DMA in flight) */
    int64_t drain_until;    /* slow-drain fault: not IDLE before (virtual ns) */
    bool idle_seen;         /* STATUS read with IDLE since the last disable */
    uint32_t gen;           /* bumped at every enable and soft reset */

    /* configuration latched when ENABLE goes 0 -> 1 */
    uint64_t base;
    uint32_t log2;

    /* completion coalescing */
    uint32_t pending;
    QEMUTimer *coal_timer;
    bool coal_timer_armed;

    /* stall watchdog: counting since (virtual ns; -1: not), from HEAD */
    QEMUTimer *wdog_timer;
    int64_t wdog_since;
    uint32_t wdog_head;

    /* back pointers for the timer callback */
    FpgaethState *s;
    unsigned q;
    bool is_tx;
} FpgaethRing;

typedef struct FpgaethQP {
    FpgaethRing tx;
    FpgaethRing rx;
    uint32_t irq_status;
    uint32_t irq_enable;
    bool tx_stalled;        /* tx-stall fault in effect */
    bool rx_stalled;        /* rx-stall fault in effect */
    bool irq_lost;          /* irq-lost: line low until the level drops */
    uint32_t late_clear;    /* irq-clear-late: a held IRQ_STATUS W1C */
} FpgaethQP;

/* A frame in the RX FIFO */
typedef struct FpgaethRxFrame {
    QSIMPLEQ_ENTRY(FpgaethRxFrame) next;
    int64_t ready;          /* virtual ns when its last bit has arrived */
    unsigned q;             /* the queue RSS steered it to */
    uint32_t hash;
    unsigned htype;
    size_t len;
    uint8_t data[];
} FpgaethRxFrame;

/*
 * A TX frame in the engine, from its fetch to its write-back (states in
 * this order; a frame may skip the line). The engine holds up to
 * FPGAETH_TX_INFLIGHT of them, oldest first.
 */
enum {
    TXF_FETCH,      /* being read (until t), then waits for the line */
    TXF_PEER,       /* the frame waits for the peer to take it */
    TXF_WIRE,       /* on the line (until t) */
    TXF_WB,         /* its write-back (until t), or its queue's halt */
};

#define FPGAETH_TX_INFLIGHT 4

typedef struct FpgaethTxFrame {
    int state;
    int64_t t;              /* virtual ns its current step ends */
    unsigned q;             /* the frame's queue ... */
    uint32_t gen;           /* ... and its generation */
    uint32_t n;             /* descriptors */
    size_t len;             /* bytes, padded */
    uint64_t eop_addr;      /* the EOP descriptor's address */
    uint16_t wb_flags;      /* FLAGS it gets written back */
    const char *what;       /* discarded or consumed: why */
    bool cancelled;         /* fetched ahead, its queue disabled: dropped */
    unsigned halt_cause;    /* its fetch failed: the queue halts in turn */
    uint64_t halt_addr;
    uint8_t data[FPGAETH_MAX_FRAME_LIMIT + 64];
} FpgaethTxFrame;

/* RX engine states */
enum {
    RXE_IDLE,
    RXE_DMA,        /* descriptors read, data and write-back under way */
};

/* One pending injected fault (see qemu-model.rst) */
typedef struct FpgaethFault {
    int kind;
    uint32_t arg;           /* queue pair or remaining count */
    uint32_t val;           /* Q:VAL faults: the value (or its default) */
    char *text;             /* as written */
    /* tx-done-unrung: the descriptors from TAIL as the last doorbell found them */
    uint8_t *snap;          /* @snap_n descriptors (NULL: no doorbell yet) */
    uint32_t snap_n;
    uint32_t snap_tail;     /* that doorbell's TAIL */
} FpgaethFault;

struct FpgaethState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq misc_irq;
    qemu_irq q_irq[FPGAETH_MAX_QP];
    NICState *nic;
    NICConf conf;
    MemoryRegion *dma_mr;       /* "dma" link; NULL: system memory */
    AddressSpace dma_as;
    const char *name;           /* for traces and logs: the device id */
    int irq_level[FPGAETH_MAX_QP + 1];

    /* properties (synthesis parameters) */
    uint32_t num_qp;
    uint32_t max_frame;
    uint32_t max_ring_log2;
    uint32_t build_id;
    uint32_t features;
    uint32_t phy_addr;
    uint32_t id;            /* ID register (default the spec's magic) */
    uint32_t version;       /* VERSION register (default 1.1) */
    uint32_t rx_fifo_kib;   /* CAP3: RX FIFO size */
    uint32_t tx_fifo_kib;   /* CAP3: TX FIFO size */
    uint32_t clk_mhz;       /* CAP3: the IP clock */
    uint32_t dma_latency_ns; /* one DMA access (descriptor, buffer, write) */
    uint32_t protocol_errors; /* driver rule violations seen (QMP, RO) */
    int32_t dt_num_queues;  /* DT fpgaeth,num-queues; -1: omitted */
    bool dt_fixed_link;     /* DT fixed-link instead of MDIO + phy-handle */
    char *cosim_path;       /* "cosim": the RTL shim's socket (fpgaeth-cosim.c) */
    FpgaethCosim *cosim;    /* set: the RTL is the IP, the model is unused */

    /* global registers */
    uint32_t scratch;
    uint32_t ctrl;
    uint32_t mac_cfg;
    uint32_t mac_addr_lo;
    uint32_t mac_addr_hi;
    uint32_t max_frame_len;
    uint32_t mc_hash_lo;
    uint32_t mc_hash_hi;
    uint32_t pause_quanta;
    uint32_t mdio_cmd;
    bool mdio_stuck;            /* mdio-stuck: a command never completes */
    uint32_t mdio_data;
    uint32_t mdio_cfg;
    uint32_t misc_status;
    uint32_t misc_enable;
    uint32_t rss_key[10];
    uint32_t rss_indir[32];
    uint32_t stall_timeout;     /* STALL_TIMEOUT.MS (0: watchdog off) */

    uint64_t stats[FPGAETH_NUM_STATS];
    uint32_t stats_hi_latch[FPGAETH_NUM_STATS];

    FpgaethQP qp[FPGAETH_MAX_QP];

    /* TX engine: a pipeline of frames (fetch, line, write-back) */
    unsigned tx_rr;             /* next TX queue to serve */
    QEMUBH *tx_bh;
    QEMUTimer *tx_timer;        /* schedules tx_bh at the next step's end */
    FpgaethTxFrame tx_fr[FPGAETH_TX_INFLIGHT]; /* a ring, oldest first */
    unsigned tx_first;          /* index of the oldest frame */
    unsigned tx_count;          /* frames in the engine */
    int64_t tx_clock;           /* virtual ns of the last step taken */
    int64_t tx_port_free;       /* the DMA port is free from (virtual ns) */
    int64_t tx_line_free;       /* the line is free from (virtual ns) */
    bool tx_line_held;          /* a frame waited for a pause to end */
    bool tx_kicked;             /* woken since it last found nothing */
    int64_t tx_kick_at;

    /* the line into the RX FIFO, and the RX engine */
    int64_t rx_line_free;       /* virtual ns the last frame has arrived */
    QEMUTimer *rx_line_timer;   /* takes the backend's next frame */
    QSIMPLEQ_HEAD(, FpgaethRxFrame) rx_fifo;
    uint32_t rx_fifo_bytes;
    uint32_t rx_fifo_frames;    /* QOM "rx-fifo-frames" (RO) */
    QEMUBH *rx_bh;
    QEMUTimer *rx_timer;        /* schedules rx_bh */
    int rx_state;
    int64_t rx_deadline;
    FpgaethRxFrame *rx_cur;     /* the frame whose DMA is under way */
    uint32_t rx_n;
    uint32_t rx_gen;
    bool rx_waiting;            /* the head frame waits for buffers */
    int64_t rx_free_at;
    bool rx_kicked;
    int64_t rx_kick_at;

    QEMUTimer *pause_timer;     /* RX pause holds TX until it fires */
    bool tx_paused;
    int64_t last_auto_xoff;     /* virtual ns of the last RX_NOBUF XOFF */
    bool auto_xoff_sent;
    QEMUTimer *reset_timer;     /* SOFT_RESET reads 1 until it fires */
    bool resetting;

    /* PHY (not reset by soft reset) */
    uint16_t phy_bmcr;
    uint16_t phy_anar;
    uint16_t phy_ctrl1000;
    bool phy_link_latch;        /* BMSR link status, latched low */
    bool link_up;               /* link as reported by the PHY */

    /* fault injection: pending FpgaethFault entries, in order written */
    GPtrArray *faults;

    /* frame buffers */
    uint8_t rx_pad[64];
    uint64_t rx_baddr[FPGAETH_RING_MAX];
    uint16_t rx_blen[FPGAETH_RING_MAX];
    uint16_t rx_wlen[FPGAETH_RING_MAX];
};

#endif
