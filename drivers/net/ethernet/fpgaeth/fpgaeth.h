/* SPDX-License-Identifier: GPL-2.0 */
/* fpgaeth: driver-private structures shared by the driver's files. */
#ifndef _FPGAETH_H
#define _FPGAETH_H

#include <linux/circ_buf.h>
#include <linux/debugfs.h>
#include <linux/dim.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/netdevice.h>
#include <linux/phylink.h>
#include <linux/ratelimit.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/page_pool/types.h>
#include <net/xdp.h>

#include "fpgaeth_regs.h"

struct fpgaeth_priv;
struct page_pool;
struct xsk_buff_pool;

/* Descriptors one skb may need: its head and every fragment */
#define FPGAETH_TX_DESC_NEEDED	(MAX_SKB_FRAGS + 1)
/* Stop a TX queue below this many free descriptors, wake it above twice */
#define FPGAETH_TX_STOP_THRESH	FPGAETH_TX_DESC_NEEDED
#define FPGAETH_TX_WAKE_THRESH	(2 * FPGAETH_TX_DESC_NEEDED)

/*
 * Smallest ring the driver uses (TX and RX), a power of two: a TX ring,
 * which holds size - 1 descriptors, must hold more than the wake threshold
 * whatever CONFIG_MAX_SKB_FRAGS is (17 to 45): 64, or 128 above 30.
 */
#define FPGAETH_MIN_RING_SIZE \
	(FPGAETH_TX_WAKE_THRESH < 64 ? 64U : 128U)

/*
 * Every RX buffer is one page: headroom, then up to rx_buf_len bytes, then
 * room for the skb_shared_info. The headroom is XDP's whether or not a
 * program is attached, so that attaching one changes no buffer layout.
 */
#define FPGAETH_RX_HEADROOM	(XDP_PACKET_HEADROOM + NET_IP_ALIGN)

/**
 * struct fpgaeth_desc - a TX or RX descriptor as the driver writes it
 * @addr: bus address of the buffer
 * @len: TX: bytes in the buffer; RX: BUF_LEN, the buffer's size
 * @flags: TX: FLAGS (EOP, CSUM, DONE, ERR); RX: STATUS, written 0
 * @csum_start: TX: CSUM_START
 * @csum_offset: TX: CSUM_OFFSET
 * @rx_posted: RX: the reserved word, FPGAETH_RXD_POSTED (the write-back
 *             zeroes it: &struct fpgaeth_rx_wb's @posted)
 */
struct fpgaeth_desc {
	__le64 addr;
	__le16 len;
	__le16 flags;
	union {
		struct {
			__le16 csum_start;
			__le16 csum_offset;
		};
		__le32 rx_posted;
	};
};

/**
 * struct fpgaeth_rx_wb - an RX descriptor as the device writes it back
 * @rss_hash: RSS_HASH (EOP descriptor only)
 * @csum: CSUM, the frame's one's complement sum (EOP descriptor only)
 * @rsvd0: reserved
 * @len: LEN, bytes written into this descriptor's buffer
 * @status: STATUS (EOP, CSUM_VALID, HASH_TYPE, DONE)
 * @posted: reserved, written 0; while the descriptor is posted and not
 *          written back, the driver's FPGAETH_RXD_POSTED
 */
struct fpgaeth_rx_wb {
	__le32 rss_hash;
	__le16 csum;
	__le16 rsvd0;
	__le16 len;
	__le16 status;
	__le32 posted;
};

/**
 * struct fpgaeth_xdp_buff - a received frame as the XDP program sees it,
 *                           with what the metadata kfuncs read
 *                           (fpgaeth_xdp.c)
 * @xdp: the frame; first, so that the xdp_buff the core passes to a kfunc
 *       is this structure (an AF_XDP zero-copy buffer is one too: the
 *       other members fall into its xdp_buff_xsk's cb)
 * @wb: the frame's EOP descriptor write-back; the descriptor is not
 *      posted again before the program has returned
 * @frame: the frame's first byte as received, where the program's data
 *         started
 * @status: STATUS of @wb as read at its DONE check (fpgaeth_rx_wb_done()),
 *          never read again: a device that lies could change it meanwhile
 */
struct fpgaeth_xdp_buff {
	struct xdp_buff xdp;
	const struct fpgaeth_rx_wb *wb;
	const u8 *frame;
	u16 status;
};

/**
 * enum fpgaeth_tx_type - what a TX frame's first descriptor holds
 * @FPGAETH_TX_SKB: a frame of the stack (@skb), counted by BQL
 * @FPGAETH_TX_XDP_TX: an XDP_TX frame in a page of the queue pair's own
 *                     RX page pool (mapped by the pool)
 * @FPGAETH_TX_XDP_XMIT: an ndo_xdp_xmit frame, mapped by the driver
 * @FPGAETH_TX_XSK: a frame of the ring's AF_XDP socket, in its UMEM
 *                  (zero-copy, mapped by the XSK buffer pool; neither
 *                  @skb nor @xdpf)
 */
enum fpgaeth_tx_type {
	FPGAETH_TX_SKB,
	FPGAETH_TX_XDP_TX,
	FPGAETH_TX_XDP_XMIT,
	FPGAETH_TX_XSK,
};

/**
 * struct fpgaeth_tx_buf - what the driver keeps per TX descriptor
 * @skb: the frame, in the frame's first descriptor only
 * @xdpf: the XDP frame instead of @skb (XDP types)
 * @type: which of the two the first descriptor holds
 * @dma: bus address of the mapped buffer
 * @len: length of the mapping
 * @ndesc: descriptors of the frame (first descriptor only)
 * @bytes: bytes the frame counts for BQL and statistics (first only)
 * @is_page: mapped with skb_frag_dma_map() rather than dma_map_single()
 */
struct fpgaeth_tx_buf {
	struct sk_buff *skb;
	struct xdp_frame *xdpf;
	enum fpgaeth_tx_type type;
	dma_addr_t dma;
	u32 len;
	u16 ndesc;
	bool is_page;
	unsigned int bytes;
};

/**
 * struct fpgaeth_ring_stats - per-ring software counters
 * @packets: frames completed (TX) or delivered to the stack (RX; the
 *           XDP program is its first layer: the frames it took count)
 * @bytes: their bytes
 * @errors: TX: frames the device discarded (DONE | ERR); RX: frames
 *          dropped for a write-back the driver refused
 * @hw_errors: TX: completions the driver refused (DONE in a frame past the
 *             last doorbell); part of the pair's hw_errors in ethtool -S
 * @dropped: TX: frames dropped before reaching the ring (mapping errors)
 * @alloc_fail: RX: page allocations that failed
 * @csum_complete: RX: frames given to the stack with CHECKSUM_COMPLETE
 * @csum_none: RX: frames without a checksum from the device
 * @stop: TX: times the queue was stopped for lack of descriptors
 * @wake: TX: times it was woken again
 * @xdp_drop: RX: frames the XDP program dropped (XDP_DROP)
 * @xdp_tx: RX: frames the XDP program sent back (XDP_TX) and that were
 *          put on the TX ring
 * @xdp_redirect: RX: frames redirected (XDP_REDIRECT) successfully
 * @xdp_errors: RX: frames dropped for XDP_ABORTED, an invalid action or a
 *              failed XDP_TX or redirect
 * @xdp_xmit: TX: frames ndo_xdp_xmit put on the ring
 * @xdp_xmit_errors: TX: frames ndo_xdp_xmit refused (ring full, queue
 *                   stopped, frame too long or in several buffers)
 * @xsk_xmit: TX: frames of an AF_XDP socket's TX ring put on the ring
 *            (zero-copy)
 * @xsk_fill_empty: RX: refills that found the AF_XDP fill ring empty
 *                  (zero-copy)
 * @wb_dup: TX: free descriptors found with DONE, their frame taken before
 *          (its DONE cleared then) or none written: a completion of no
 *          frame handed over (fpgaeth_tx_scan_free()); part of the pair's
 *          hw_errors in ethtool -S
 * @syncp: u64_stats synchronisation of the counters NAPI (or, stopped,
 *         the control path) writes: all but @dropped and @stop
 * @xmit_syncp: that of @dropped, @stop, @xdp_xmit, @xdp_xmit_errors,
 *              @xsk_xmit and @wb_dup, written under the queue's xmit lock
 */
struct fpgaeth_ring_stats {
	u64 packets;
	u64 bytes;
	u64 errors;
	u64 hw_errors;
	u64 dropped;
	u64 alloc_fail;
	u64 csum_complete;
	u64 csum_none;
	u64 stop;
	u64 wake;
	u64 xdp_drop;
	u64 xdp_tx;
	u64 xdp_redirect;
	u64 xdp_errors;
	u64 xdp_xmit;
	u64 xdp_xmit_errors;
	u64 xsk_xmit;
	u64 xsk_fill_empty;
	u64 wb_dup;
	struct u64_stats_sync syncp;
	struct u64_stats_sync xmit_syncp;
};

/**
 * struct fpgaeth_hw_counts - the IP's counters as the driver reports them
 * @mac: the statistics block, index FPGAETH_STAT_IDX(offset)
 * @rx_nobuf: Qq_RX_NOBUF of each queue pair q
 */
struct fpgaeth_hw_counts {
	u64 mac[FPGAETH_STAT_NUM];
	u64 rx_nobuf[FPGAETH_MAX_QP];
};

/**
 * struct fpgaeth_hw_stats - the IP's counters, accumulated across resets
 * @total: what the driver reports: the sum of every increment seen since
 *         probe (a soft reset or STATS_CTRL.CLEAR zeroes the IP's counters,
 *         never these)
 * @last: the raw register values @total was last brought up to
 * @frozen: the IP is being reset: its counters are not read, @last is
 *          set to 0 when the reset is done
 * @lock: serialises reading the registers and accumulating into @total
 * @syncp: lets readers copy @total without @lock
 * @work: reads the 32-bit per-queue counters often enough not to miss a wrap
 */
struct fpgaeth_hw_stats {
	struct fpgaeth_hw_counts total;
	struct fpgaeth_hw_counts last;
	bool frozen;
	spinlock_t lock;	/* register read + accumulate */
	struct u64_stats_sync syncp;
	struct delayed_work work;
};

/**
 * struct fpgaeth_ring - a TX or RX descriptor ring
 * @desc: the descriptors (coherent memory)
 * @desc_dma: their bus address
 * @size: number of descriptors, a power of two
 * @head: next descriptor the driver will reclaim
 * @tail: next descriptor the driver will fill (the last TAIL written,
 *        or, on TX with xmit_more, the next one to write)
 * @hw_tail: TX: the last TAIL written (fpgaeth_tx_doorbell()): the device
 *           completes no descriptor from there on
 * @lied: TX: the device completed a frame it was not handed (past
 *        @hw_tail): no completion is taken from the ring until the pair is
 *        recovered (fpgaeth_tx_ring_reclaim() or new ring memory)
 * @tx_buf: TX: per-descriptor state
 * @rx_page: RX: the page posted in each descriptor
 * @rx_xsk: RX with @xsk_pool: the UMEM buffer posted in each descriptor
 * @pp: RX: page pool the buffers come from
 * @skb: RX: frame being assembled from a multi-buffer completion
 * @skb_bad: RX: the frame being assembled is dropped at its EOP
 * @stale_at: RX: 1 + the descriptor whose DONE without a write-back was
 *            counted last (fpgaeth_rx_stale()), 0 when none; it describes
 *            the ring's memory (0 with new memory, or once reclaimed)
 * @xdp: RX: frame being assembled for the XDP program (fpgaeth_xdp.c):
 *       its first buffer, the others as frags; its @wb is that of the
 *       last descriptor taken
 * @xdp_pending: RX: @xdp holds buffers of a frame whose EOP is to come
 * @xdp_rxq: RX: XDP's description of the queue, registered with @pp as its
 *           memory model (with @xsk_pool: the XSK buffer pool)
 * @xsk_pool: the AF_XDP zero-copy buffer pool of the queue pair, or NULL
 *            (fpgaeth_xsk.c); set with the ring's memory
 * @stats: software counters; they outlive the ring memory
 */
struct fpgaeth_ring {
	void *desc;
	dma_addr_t desc_dma;
	unsigned int size;
	unsigned int head;
	unsigned int tail;
	unsigned int hw_tail;
	bool lied;
	union {
		struct fpgaeth_tx_buf *tx_buf;
		struct page **rx_page;
		struct xdp_buff **rx_xsk;
	};
	struct page_pool *pp;
	struct sk_buff *skb;
	bool skb_bad;
	unsigned int stale_at;
	bool xdp_pending;
	struct fpgaeth_xdp_buff xdp;
	struct xdp_rxq_info xdp_rxq;
	struct xsk_buff_pool *xsk_pool;
	struct fpgaeth_ring_stats stats;
};

/**
 * struct fpgaeth_qp - one queue pair (a TX and an RX ring, one interrupt)
 * @priv: the device it belongs to
 * @idx: queue pair index q
 * @regs: the queue pair's register block (FPGAETH_QP_BASE(q))
 * @irq: Linux interrupt number of line "q<idx>"
 * @irq_name: name of the interrupt in /proc/interrupts
 * @napi: NAPI context serving both rings
 * @tx: TX ring
 * @rx: RX ring
 * @tx_dim: adaptive moderation of TX completions (ethtool adaptive-tx)
 * @rx_dim: adaptive moderation of RX completions (ethtool adaptive-rx)
 * @dim_sampling: bit 0: a DIM sample is being taken (its one writer)
 * @dim_events: interrupts served, the event counter of both DIM samples
 * @dim_time: time of the last DIM sample
 * @dim_polls: @polls at the last DIM sample
 * @dim_frames: TX and RX frames completed at the last DIM sample
 * @refill_timer: retries an RX refill the page pool could not complete
 * @wb_dup_rs: rate limit of the pair's wb_dup message, its own so that
 *	other users of net_ratelimit() do not eat it
 * @polls: NAPI polls counted at their start and their end, so odd while
 *	one runs (wraps; the service check compares it)
 * @svc_polls: @polls at the last service check
 * @svc_pending: the last service check saw completions not yet served
 * @svc_tx_head: TX_HEAD at the last service check
 * @svc_tx_still: service checks in a row with TX frames left to send and
 *                TX_HEAD not moving
 * @svc_rx_head: RX_HEAD at the last service check
 * @svc_wb_missing: the last service check saw a HEAD past a frame never
 *	written back (the verdict needs two checks in a row)
 * @head_lie_since: start of the window @head_lies counts in (jiffies)
 * @head_lies: recoveries for a HEAD outside the ring in that window
 * @head_lie_ignore: HEAD lied too often: its verdicts are only counted
 * @resets: times this pair was recovered alone (under RTNL)
 * @stalls: times one of its halves stalled: the IP's stall watchdog halted
 *          it (CAUSE STALL) or, TX, the service check found it still
 * @stops: times this pair's datapath was stopped (NAPI disabled, buffers
 *         taken back): alone (recovery, queue restart) or with every pair
 *         (down, reconfiguration, reset of the IP); under RTNL
 * @irq_lost: times the service check found completions without a poll
 *            and scheduled NAPI itself
 * @hw_errors: register values the driver refused (TX_HEAD or RX_HEAD
 *             outside the descriptors handed over, or past a frame the
 *             device never wrote back); the TX ring's refused completions
 *             are in its @stats.hw_errors (written by NAPI)
 * @irq_unhandled: interrupts in a row with nothing pending (hard IRQ)
 * @irq_unhandled_at: the last of them (jiffies)
 * @irq_storm: the line stormed and is disabled: @storm_timer polls
 * @storm_since: when it was disabled (jiffies)
 * @storm_timer: schedules NAPI while the line is disabled
 * @irq_storms: times the line was found storming and disabled (written in
 *              its hard IRQ handler only, the one writer of @irq_syncp)
 * @irq_syncp: u64_stats synchronisation of @irq_storms
 */
struct fpgaeth_qp {
	struct fpgaeth_priv *priv;
	unsigned int idx;
	void __iomem *regs;
	int irq;
	const char *irq_name;
	struct napi_struct napi;
	struct fpgaeth_ring tx;
	struct fpgaeth_ring rx;
	struct dim tx_dim;
	struct dim rx_dim;
	unsigned long dim_sampling;
	u16 dim_events;
	ktime_t dim_time;
	unsigned int dim_polls;
	u64 dim_frames;
	struct timer_list refill_timer;
	struct ratelimit_state wb_dup_rs;
	unsigned int polls;
	unsigned int svc_polls;
	bool svc_pending;
	u32 svc_tx_head;
	unsigned int svc_tx_still;
	u32 svc_rx_head;
	bool svc_wb_missing;
	unsigned long head_lie_since;
	unsigned int head_lies;
	bool head_lie_ignore;
	u64 resets;
	u64 stalls;
	u64 stops;
	u64 irq_lost;
	u64 hw_errors;
	unsigned int irq_unhandled;
	unsigned long irq_unhandled_at;
	bool irq_storm;
	unsigned long storm_since;
	struct timer_list storm_timer;
	u64_stats_t irq_storms;
	struct u64_stats_sync irq_syncp;
};

/**
 * struct fpgaeth_coal - completion coalescing of one direction
 * @usecs: USECS field of the COAL registers
 * @frames: FRAMES field of the COAL registers
 * @adaptive: DIM chooses the values instead (@usecs and @frames are kept
 *            for when it is turned off)
 */
struct fpgaeth_coal {
	u16 usecs;
	u16 frames;
	bool adaptive;
};

/**
 * struct fpgaeth_rings - ring memory of a set of queue pairs, allocated
 * before the rings it replaces are given up (see fpgaeth_rings_alloc())
 * @num_qp: queue pairs whose rings are in @tx and @rx
 * @tx: TX rings (only their memory fields are used)
 * @rx: RX rings
 */
struct fpgaeth_rings {
	unsigned int num_qp;
	struct fpgaeth_ring tx[FPGAETH_MAX_QP];
	struct fpgaeth_ring rx[FPGAETH_MAX_QP];
};

/**
 * struct fpgaeth_priv - per-device state
 * @dev: the platform device's struct device
 * @regs: the 64 KiB register window
 * @version: VERSION register
 * @build_id: BUILD_ID register
 * @cap0: CAP0 register (NUM_QP, MAX_RING_LOG2, MAX_FRAME)
 * @cap1: CAP1 register (feature bits)
 * @cap2: CAP2 register (RSS and TX limits)
 * @tx_max_descs: most descriptors one TX frame may use (CAP2.TX_MAX_DESCS
 *                with CAP1.TX_SG, else 1)
 * @cap3: CAP3 register (FIFO sizes, IP clock; 0 on a 1.0 IP)
 * @idle_timeout_us: how long a disabled queue may take to go idle
 * @dma_unsafe: the IP could not be stopped (no IDLE, soft reset timed out):
 *              the rings it may still access are never freed
 * @hw_num_qp: queue pairs the IP has (CAP0.NUM_QP)
 * @max_qp: queue pairs the driver may use (the device tree may restrict
 *          CAP0.NUM_QP); their interrupts and NAPI contexts exist
 * @num_qp: queue pairs in use (ethtool -L), 1 to @max_qp
 * @misc_irq: Linux interrupt number of line "misc"
 * @misc_irq_name: name of the misc interrupt in /proc/interrupts
 * @qp: queue pairs; the first @num_qp are in use; the counters of the
 *      others are kept
 * @dbg_dir: debugfs directory fpgaeth/<dev_name>
 * @ndev: the network interface
 * @phylink: phylink instance for the MAC
 * @phylink_config: its configuration
 * @phy_mode: interface mode from the device tree
 * @mii: MDIO bus of the IP's MDIO master
 * @tx_ring_size: TX descriptors per ring
 * @rx_ring_size: RX descriptors per ring
 * @max_ring_size: largest ring (1 << CAP0.MAX_RING_LOG2)
 * @rx_buf_len: bytes the device may write into one RX buffer (constant)
 * @max_frame: largest frame the IP handles (CAP0.MAX_FRAME)
 * @rss_key: Toeplitz key programmed into RSS_KEY0-9
 * @rss_indir: indirection table programmed into RSS_INDIR0-31
 * @tx_coal: TX completion coalescing (ethtool -C)
 * @rx_coal: RX completion coalescing
 * @msg_enable: netif_msg_* message classes (ethtool msglvl)
 * @up: rings allocated and the IP programmed (under RTNL)
 * @reset_work: recovery from a halted queue, a stalled TX queue or a
 *              device that stopped responding (fpgaeth_recovery.c)
 * @reset_pending: @reset_work is scheduled
 * @recover_qp: bit q: queue pair q is to be recovered alone (its TX half
 *              stopped making progress or reported nonsense)
 * @full_reset: FPGAETH_FULL_RESET_*: the next @reset_work resets the whole
 *              IP (once it responds), for that reason
 * @not_responding: register reads return all ones (the service check
 *                  resets the IP once they no longer do)
 * @service_work: periodic check of a running datapath
 * @svc_rx_pause: RX pause frame counter at the last service check
 * @svc_rx_ovf: RX FIFO overflow counter at the last service check
 * @svc_rx_still: service checks in a row with the RX FIFO overflowing, no
 *                RX_HEAD moving and buffers posted on every pair
 * @stall_timeout_ms: STALL_TIMEOUT the IP's stall watchdog gets (with
 *                    CAP1.STALL_WDOG; 0: off; debugfs stall_timeout_ms)
 * @rx_stalls: RX engine stalls no queue reported (whole-IP resets)
 * @resets: recoveries that reset the whole IP
 * @datapath_stops: times every queue pair was stopped at once
 *                  (fpgaeth_hw_stop(): down, a change of the queue pairs in
 *                  use, a reset of the IP, the self-test)
 * @not_responding_events: times the device stopped responding
 * @ctrl_lock: serialises read-modify-write of CTRL
 * @hw_stats: the IP's counters, accumulated across resets
 * @pp_stats: page pool counters of the pools destroyed so far
 * @xdp_prog: the XDP program attached, or NULL (changed under RTNL)
 * @xsk_pools: the AF_XDP zero-copy buffer pool of each queue pair, or NULL
 *             (changed under RTNL; rings built for pair q take
 *             @xsk_pools[q])
 */
struct fpgaeth_priv {
	struct device *dev;
	void __iomem *regs;
	struct net_device *ndev;
	struct phylink *phylink;
	struct phylink_config phylink_config;
	phy_interface_t phy_mode;
	struct mii_bus *mii;

	unsigned int tx_ring_size;
	unsigned int rx_ring_size;
	unsigned int max_ring_size;
	unsigned int rx_buf_len;
	unsigned int max_frame;
	u8 rss_key[FPGAETH_RSS_KEY_NUM * 4];
	u8 rss_indir[FPGAETH_RSS_INDIR_NUM * 4];
	struct fpgaeth_coal tx_coal;
	struct fpgaeth_coal rx_coal;
	u32 msg_enable;
	bool up;
	struct work_struct reset_work;
	unsigned long reset_pending;
	unsigned long recover_qp;
	unsigned long full_reset;
	bool not_responding;
	struct delayed_work service_work;
	u64 svc_rx_pause;
	u64 svc_rx_ovf;
	unsigned int svc_rx_still;
	unsigned int stall_timeout_ms;
	u64 rx_stalls;
	u64 resets;
	u64 datapath_stops;
	u64 not_responding_events;
	spinlock_t ctrl_lock;	/* CTRL read-modify-write */
	struct fpgaeth_hw_stats hw_stats;
#ifdef CONFIG_PAGE_POOL_STATS
	struct page_pool_stats pp_stats;
#endif
	struct bpf_prog *xdp_prog;
	struct xsk_buff_pool *xsk_pools[FPGAETH_MAX_QP];

	u32 version;
	u32 build_id;
	u32 cap0;
	u32 cap1;
	u32 cap2;
	u32 cap3;
	unsigned int tx_max_descs;
	unsigned int idle_timeout_us;
	bool dma_unsafe;
	unsigned int hw_num_qp;
	unsigned int max_qp;
	unsigned int num_qp;

	int misc_irq;
	const char *misc_irq_name;
	struct fpgaeth_qp qp[FPGAETH_MAX_QP];

	struct dentry *dbg_dir;
};

static inline u32 fpgaeth_rd32(struct fpgaeth_priv *priv, u32 reg)
{
	return readl(priv->regs + reg);
}

static inline void fpgaeth_wr32(struct fpgaeth_priv *priv, u32 reg, u32 val)
{
	writel(val, priv->regs + reg);
}

static inline u32 fpgaeth_qp_rd32(struct fpgaeth_qp *qp, u32 reg)
{
	return readl(qp->regs + reg);
}

static inline void fpgaeth_qp_wr32(struct fpgaeth_qp *qp, u32 reg, u32 val)
{
	writel(val, qp->regs + reg);
}

static inline struct fpgaeth_desc *fpgaeth_desc(const struct fpgaeth_ring *ring,
						unsigned int idx)
{
	return (struct fpgaeth_desc *)ring->desc + idx;
}

/**
 * fpgaeth_tx_doorbell - hand the TX ring's descriptors up to its tail over
 * @qp: queue pair, its TX queue's xmit lock held
 *
 * @hw_tail is set before the doorbell: once the device sees it, it may
 * complete those frames, and fpgaeth_tx_clean() takes them up to @hw_tail.
 */
static inline void fpgaeth_tx_doorbell(struct fpgaeth_qp *qp)
{
	struct fpgaeth_ring *ring = &qp->tx;

	/* Pairs with smp_load_acquire() in fpgaeth_tx_clean(). */
	smp_store_release(&ring->hw_tail, ring->tail);
	/*
	 * The descriptors must reach memory before the device sees the
	 * doorbell: writel() orders all prior memory writes before the MMIO
	 * write (it is dma_wmb() + writel_relaxed() on arm64).
	 */
	writel(ring->tail, qp->regs + FPGAETH_Q_TX_TAIL);
}

/* Unused descriptors of a ring: the ring holds at most size - 1 */
static inline unsigned int fpgaeth_ring_unused(const struct fpgaeth_ring *ring)
{
	return CIRC_SPACE(ring->tail, READ_ONCE(ring->head), ring->size);
}

/*
 * Descriptors from @tail up to @head, which the device does not own: the
 * unused ones and the one the ring keeps back (1 to size; size when the
 * ring is empty)
 */
static inline unsigned int fpgaeth_ring_free_span(const struct fpgaeth_ring *ring,
						  unsigned int tail,
						  unsigned int head)
{
	return CIRC_SPACE(tail, head, ring->size) + 1;
}

/* fpgaeth_txrx.c */
netdev_tx_t fpgaeth_start_xmit(struct sk_buff *skb, struct net_device *ndev);
irqreturn_t fpgaeth_qp_irq(int irq, void *data);
int fpgaeth_napi_poll(struct napi_struct *napi, int budget);
struct fpgaeth_rings *fpgaeth_rings_alloc(struct fpgaeth_priv *priv,
					  unsigned int num_qp,
					  unsigned int tx_size,
					  unsigned int rx_size);
void fpgaeth_rings_swap(struct fpgaeth_priv *priv, struct fpgaeth_rings *rings);
void fpgaeth_rings_put(struct fpgaeth_priv *priv, struct fpgaeth_rings *rings);
void fpgaeth_rings_free(struct fpgaeth_priv *priv);
int fpgaeth_qp_alloc(struct fpgaeth_priv *priv, unsigned int q,
		     struct fpgaeth_ring *tx, struct fpgaeth_ring *rx,
		     unsigned int tx_size, unsigned int rx_size);
void fpgaeth_qp_put(struct fpgaeth_priv *priv, unsigned int q,
		    struct fpgaeth_ring *tx, struct fpgaeth_ring *rx);
void fpgaeth_qp_free(struct fpgaeth_priv *priv, struct fpgaeth_ring *tx,
		     struct fpgaeth_ring *rx);
void fpgaeth_ring_swap_mem(struct fpgaeth_ring *a, struct fpgaeth_ring *b);
void fpgaeth_qp_start(struct fpgaeth_qp *qp);
void fpgaeth_qp_disable(struct fpgaeth_qp *qp);
int fpgaeth_wait_idle(struct fpgaeth_priv *priv, unsigned int num_qp);
void fpgaeth_qp_quiet(struct fpgaeth_qp *qp);
void fpgaeth_qp_stop(struct fpgaeth_qp *qp);
int fpgaeth_qp_wait_idle(struct fpgaeth_qp *qp);
void fpgaeth_qp_reclaim(struct fpgaeth_qp *qp);
void fpgaeth_qp_write_coal(struct fpgaeth_qp *qp);
void fpgaeth_dim_init(struct fpgaeth_qp *qp);
struct fpgaeth_rx_wb;
void fpgaeth_tx_unmap(struct device *dev, struct fpgaeth_tx_buf *buf);
void fpgaeth_tx_scan_free(struct fpgaeth_qp *qp);
void fpgaeth_tx_desc_fill(struct fpgaeth_ring *ring, unsigned int idx,
			  dma_addr_t dma, unsigned int len, bool is_page);
int fpgaeth_rx_wb_done(const struct fpgaeth_rx_wb *wb, u16 *status);
void fpgaeth_rx_stale(struct fpgaeth_qp *qp, unsigned int idx);
u32 fpgaeth_rx_hash(const struct net_device *ndev,
		    const struct fpgaeth_rx_wb *wb, u16 status, u32 *hash);
void fpgaeth_rx_offloads(struct net_device *ndev, struct sk_buff *skb,
			 const struct fpgaeth_rx_wb *wb, u16 status, bool xdp);
bool fpgaeth_qp_wb_missing(struct fpgaeth_qp *qp, unsigned int tx_head,
			   u32 tx_hw, unsigned int rx_head, u32 rx_hw);

/* fpgaeth_netdev.c */
int fpgaeth_netdev_setup(struct fpgaeth_priv *priv);
int fpgaeth_up(struct fpgaeth_priv *priv);
void fpgaeth_down(struct fpgaeth_priv *priv);
void fpgaeth_hw_start(struct fpgaeth_priv *priv);
void fpgaeth_hw_stop(struct fpgaeth_priv *priv, bool reset);
void fpgaeth_rings_install(struct fpgaeth_priv *priv,
			   struct fpgaeth_rings *rings);
void fpgaeth_ctrl_update(struct fpgaeth_priv *priv, u32 clear, u32 set);
int fpgaeth_reconfigure(struct fpgaeth_priv *priv, unsigned int num_qp,
			unsigned int tx_size, unsigned int rx_size,
			struct netlink_ext_ack *extack);
void fpgaeth_rss_write(struct fpgaeth_priv *priv);
void fpgaeth_rss_default_indir(struct fpgaeth_priv *priv);

/* fpgaeth_queue.c: queue restart */
extern const struct netdev_queue_mgmt_ops fpgaeth_queue_ops; /* < 6.15 */
int fpgaeth_qp_restart(struct fpgaeth_priv *priv, unsigned int q,
		       bool recover);
int fpgaeth_rings_resize(struct fpgaeth_priv *priv, unsigned int tx_size,
			 unsigned int rx_size, struct netlink_ext_ack *extack);

/* fpgaeth_recovery.c */
#define FPGAETH_FULL_RESET_REGS		0	/* register reads were all ones */
#define FPGAETH_FULL_RESET_RX_STALL	1	/* the RX engine stalled */
void fpgaeth_stall_wdog_start(struct fpgaeth_priv *priv);
void fpgaeth_recovery_init(struct fpgaeth_priv *priv);
void fpgaeth_schedule_reset(struct fpgaeth_priv *priv);
void fpgaeth_schedule_qp_recovery(struct fpgaeth_priv *priv, unsigned int q);
void fpgaeth_schedule_full_reset(struct fpgaeth_priv *priv);
int fpgaeth_reset_ip(struct fpgaeth_priv *priv, const char *why);
int fpgaeth_qp_halt(struct fpgaeth_qp *qp, bool report);
void fpgaeth_qp_resume(struct fpgaeth_qp *qp);
void fpgaeth_report_halt(struct fpgaeth_qp *qp, bool tx);
void fpgaeth_service_start(struct fpgaeth_priv *priv);
void fpgaeth_service_stop(struct fpgaeth_priv *priv);
bool fpgaeth_responds(struct fpgaeth_priv *priv);
int fpgaeth_ethtool_reset(struct net_device *ndev, u32 *flags);

/* fpgaeth_xdp.c */

/**
 * struct fpgaeth_xdp_counts - XDP verdicts of one RX poll
 * @drop: XDP_DROP
 * @tx: XDP_TX put on the ring
 * @redirect: XDP_REDIRECT done
 * @errors: frames dropped for an error
 * @frames: frames the program consumed (every verdict but XDP_PASS)
 * @bytes: their bytes as received, all buffers
 */
struct fpgaeth_xdp_counts {
	unsigned int drop;
	unsigned int tx;
	unsigned int redirect;
	unsigned int errors;
	unsigned int frames;
	unsigned int bytes;
};

int fpgaeth_xdp_rx_buf(struct fpgaeth_qp *qp, struct bpf_prog *prog,
		       struct page *page, unsigned int len, bool eop,
		       struct fpgaeth_xdp_counts *c);
void fpgaeth_xdp_rx_put(struct fpgaeth_ring *ring, bool napi);
struct bpf_prog *fpgaeth_xdp_prog(struct fpgaeth_qp *qp);
void fpgaeth_xdp_tx_free(struct fpgaeth_tx_buf *buf, bool napi);
bool fpgaeth_xdp_prog_ok(struct fpgaeth_priv *priv, struct bpf_prog *prog,
			 unsigned int mtu);
int fpgaeth_ndo_bpf(struct net_device *ndev, struct netdev_bpf *bpf);
int fpgaeth_xdp_xmit(struct net_device *ndev, int n, struct xdp_frame **frames,
		     u32 flags);
int fpgaeth_xdp_tx_zc(struct fpgaeth_qp *qp, struct xdp_buff *xdp);
extern const struct xdp_metadata_ops fpgaeth_xdp_metadata_ops;
bool fpgaeth_xdp_txq_ok(struct fpgaeth_priv *priv, unsigned int q,
			struct netdev_queue *txq);

/* fpgaeth_xsk.c: AF_XDP zero-copy */
int fpgaeth_xsk_pool_setup(struct fpgaeth_priv *priv,
			   struct xsk_buff_pool *pool, u16 q,
			   struct netlink_ext_ack *extack);
int fpgaeth_xsk_wakeup(struct net_device *ndev, u32 q, u32 flags);
bool fpgaeth_xsk_mtu_ok(struct fpgaeth_priv *priv, unsigned int mtu);
int fpgaeth_xsk_rxq_mem_model(struct fpgaeth_ring *rx);
void fpgaeth_xsk_rx_refill(struct fpgaeth_qp *qp);
int fpgaeth_xsk_rx_clean(struct fpgaeth_qp *qp, int budget);
void fpgaeth_xsk_rx_put(struct fpgaeth_ring *rx);
bool fpgaeth_xsk_xmit(struct fpgaeth_qp *qp, unsigned int budget);

/* fpgaeth_mdio.c */
int fpgaeth_mdio_register(struct fpgaeth_priv *priv);
void fpgaeth_mdio_set_clock(struct fpgaeth_priv *priv);
int fpgaeth_phylink_create(struct fpgaeth_priv *priv);

/* fpgaeth_main.c */
int fpgaeth_soft_reset(struct fpgaeth_priv *priv);

/* fpgaeth_stats.c */
extern const struct netdev_stat_ops fpgaeth_stat_ops;
void fpgaeth_hw_stats_init(struct fpgaeth_priv *priv);
void fpgaeth_hw_stats_start(struct fpgaeth_priv *priv);
void fpgaeth_hw_stats_stop(struct fpgaeth_priv *priv);
void fpgaeth_hw_stats_freeze(struct fpgaeth_priv *priv);
void fpgaeth_hw_stats_thaw(struct fpgaeth_priv *priv);
u64 fpgaeth_hw_stat_read(struct fpgaeth_priv *priv, u32 reg);
void fpgaeth_hw_stats_get(struct fpgaeth_priv *priv,
			  struct fpgaeth_hw_counts *c);
void fpgaeth_ring_stats_get(const struct fpgaeth_ring_stats *s,
			    struct fpgaeth_ring_stats *copy);
void fpgaeth_pp_stats_fold(struct fpgaeth_priv *priv, struct page_pool *pp);

/* fpgaeth_ethtool.c */
void fpgaeth_set_ethtool_ops(struct net_device *ndev);

/* fpgaeth_irq.c */
int fpgaeth_irq_request(struct fpgaeth_priv *priv);
int fpgaeth_irq_selftest(struct fpgaeth_priv *priv);
irqreturn_t fpgaeth_qp_irq_none(struct fpgaeth_qp *qp);
void fpgaeth_irq_storm_check(struct fpgaeth_qp *qp, bool force);
u64 fpgaeth_irq_storms(struct fpgaeth_qp *qp);
void fpgaeth_irq_disable(struct fpgaeth_priv *priv);

/* fpgaeth_debugfs.c */
void __init fpgaeth_dbg_init(void);
void fpgaeth_dbg_exit(void);
int fpgaeth_dbg_dev_init(struct fpgaeth_priv *priv);

/* fpgaeth_regs.c */
struct ethtool_regs;
struct seq_file;
int fpgaeth_get_regs_len(struct net_device *ndev);
void fpgaeth_get_regs(struct net_device *ndev, struct ethtool_regs *regs,
		      void *p);
const char *fpgaeth_cause_name(u32 cause);
void fpgaeth_regs_show(struct fpgaeth_priv *priv, struct seq_file *s);
void fpgaeth_regs_show_fields(struct seq_file *s, u32 offset, u32 val);
int fpgaeth_regs_test(struct fpgaeth_priv *priv);

/* fpgaeth_selftest.c */
struct ethtool_test;
int fpgaeth_selftest_count(void);
void fpgaeth_selftest_strings(u8 *data);
void fpgaeth_self_test(struct net_device *ndev, struct ethtool_test *etest,
		       u64 *data);

#endif /* _FPGAETH_H */
