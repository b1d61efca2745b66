// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth statistics: the IP's counters accumulated into totals that no
 * reset of the IP takes back, and the netdev queue statistics (qstats).
 *
 * The statistics block holds 64-bit counters that a soft reset (and
 * STATS_CTRL.CLEAR) sets to 0; the queue pairs' RX_NOBUF are 32-bit and
 * wrap. The driver adds every increment it sees to its own 64-bit totals:
 * a reset is bracketed by fpgaeth_hw_stats_freeze() (fold in what the
 * counters hold) and fpgaeth_hw_stats_thaw() (count from 0 again), and a
 * work reads the 32-bit counters often enough to see every wrap.
 */
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netdev_queues.h>
#include <net/page_pool/helpers.h>

#include "fpgaeth.h"

/*
 * A queue's RX_NOBUF wraps after 2^32 frames, at least 48 minutes of
 * minimum-size frames at 1 Gb/s: reading it every minute sees every wrap.
 */
#define FPGAETH_HW_STATS_PERIOD	(60 * HZ)

/*
 * Bring @total up to the registers. Called with hw_stats.lock held. All
 * of them are read first and folded only if the IP still responds after
 * (a read of all ones is no counter: a bitstream load mid-loop would make
 * the totals jump).
 */
static void fpgaeth_hw_stats_update_locked(struct fpgaeth_priv *priv)
{
	struct fpgaeth_hw_stats *hs = &priv->hw_stats;
	u32 nobuf[FPGAETH_MAX_QP];
	u64 mac[FPGAETH_STAT_NUM];
	unsigned int n, q;

	lockdep_assert_held(&hs->lock);
	if (hs->frozen || !fpgaeth_responds(priv))
		return;
	/* LO (latching HI), then HI: the port is 32 bits wide */
	for (n = 0; n < FPGAETH_STAT_NUM; n++)
		mac[n] = lo_hi_readq(priv->regs + FPGAETH_STAT_BASE + 8 * n);
	for (q = 0; q < priv->hw_num_qp; q++)
		nobuf[q] = fpgaeth_qp_rd32(&priv->qp[q], FPGAETH_Q_RX_NOBUF);
	if (!fpgaeth_responds(priv))
		return;

	u64_stats_update_begin(&hs->syncp);
	for (n = 0; n < FPGAETH_STAT_NUM; n++) {
		/*
		 * A 64-bit counter does not wrap: one below its last value
		 * was cleared behind the driver's back and counts from 0.
		 */
		if (mac[n] >= hs->last.mac[n])
			hs->total.mac[n] += mac[n] - hs->last.mac[n];
		else
			hs->total.mac[n] += mac[n];
		hs->last.mac[n] = mac[n];
	}
	for (q = 0; q < priv->hw_num_qp; q++) {
		hs->total.rx_nobuf[q] += (u32)(nobuf[q] -
					       (u32)hs->last.rx_nobuf[q]);
		hs->last.rx_nobuf[q] = nobuf[q];
	}
	u64_stats_update_end(&hs->syncp);
}

static void fpgaeth_hw_stats_update(struct fpgaeth_priv *priv)
{
	unsigned long flags;

	/* ndo_get_stats64 callers may run with interrupts disabled */
	spin_lock_irqsave(&priv->hw_stats.lock, flags);
	fpgaeth_hw_stats_update_locked(priv);
	spin_unlock_irqrestore(&priv->hw_stats.lock, flags);
}

/**
 * fpgaeth_hw_stat_read - one of the IP's 64-bit counters as it reads now
 * @priv: device
 * @reg: its register (LO, HI at @reg + 4)
 *
 * Under the counters' lock, so that no other reader's LO read changes the
 * HI latched for this one.
 *
 * Return: the register's value (all ones if the IP does not respond).
 */
u64 fpgaeth_hw_stat_read(struct fpgaeth_priv *priv, u32 reg)
{
	unsigned long flags;
	u64 v;

	spin_lock_irqsave(&priv->hw_stats.lock, flags);
	v = lo_hi_readq(priv->regs + reg);
	spin_unlock_irqrestore(&priv->hw_stats.lock, flags);
	return v;
}

/**
 * fpgaeth_hw_stats_get - the IP's counters since probe
 * @priv: device
 * @c: filled with the totals, brought up to the registers
 */
void fpgaeth_hw_stats_get(struct fpgaeth_priv *priv,
			  struct fpgaeth_hw_counts *c)
{
	struct fpgaeth_hw_stats *hs = &priv->hw_stats;
	unsigned int start;

	fpgaeth_hw_stats_update(priv);
	do {
		start = u64_stats_fetch_begin(&hs->syncp);
		*c = hs->total;
	} while (u64_stats_fetch_retry(&hs->syncp, start));
}

/**
 * fpgaeth_hw_stats_freeze - before a soft reset: fold the counters in
 * @priv: device
 *
 * Until fpgaeth_hw_stats_thaw() the registers are not read: the totals
 * stay as they are while the IP resets.
 */
void fpgaeth_hw_stats_freeze(struct fpgaeth_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->hw_stats.lock, flags);
	fpgaeth_hw_stats_update_locked(priv);
	priv->hw_stats.frozen = true;
	spin_unlock_irqrestore(&priv->hw_stats.lock, flags);
}

/**
 * fpgaeth_hw_stats_thaw - after a soft reset: the counters start from 0
 * @priv: device
 */
void fpgaeth_hw_stats_thaw(struct fpgaeth_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->hw_stats.lock, flags);
	memset(&priv->hw_stats.last, 0, sizeof(priv->hw_stats.last));
	priv->hw_stats.frozen = false;
	spin_unlock_irqrestore(&priv->hw_stats.lock, flags);
}

static void fpgaeth_hw_stats_work(struct work_struct *work)
{
	struct fpgaeth_priv *priv = container_of(to_delayed_work(work),
						 struct fpgaeth_priv,
						 hw_stats.work);

	fpgaeth_hw_stats_update(priv);
	schedule_delayed_work(&priv->hw_stats.work, FPGAETH_HW_STATS_PERIOD);
}

/**
 * fpgaeth_hw_stats_init - set up the totals, before the probe's soft reset
 * @priv: device
 *
 * The totals start frozen at 0: what the IP counted before the driver's
 * first soft reset is not the interface's.
 */
void fpgaeth_hw_stats_init(struct fpgaeth_priv *priv)
{
	spin_lock_init(&priv->hw_stats.lock);
	u64_stats_init(&priv->hw_stats.syncp);
	priv->hw_stats.frozen = true;
	INIT_DELAYED_WORK(&priv->hw_stats.work, fpgaeth_hw_stats_work);
}

/**
 * fpgaeth_hw_stats_start - read the counters periodically while up
 * @priv: device
 */
void fpgaeth_hw_stats_start(struct fpgaeth_priv *priv)
{
	schedule_delayed_work(&priv->hw_stats.work, FPGAETH_HW_STATS_PERIOD);
}

/**
 * fpgaeth_hw_stats_stop - stop the periodic read, fold the counters in
 * @priv: device
 */
void fpgaeth_hw_stats_stop(struct fpgaeth_priv *priv)
{
	cancel_delayed_work_sync(&priv->hw_stats.work);
	fpgaeth_hw_stats_update(priv);
}

/**
 * fpgaeth_ring_stats_get - a consistent copy of a ring's counters
 * @s: the ring's counters
 * @copy: filled with their values (its @syncp is left alone)
 */
void fpgaeth_ring_stats_get(const struct fpgaeth_ring_stats *s,
			    struct fpgaeth_ring_stats *copy)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		copy->packets = s->packets;
		copy->bytes = s->bytes;
		copy->errors = s->errors;
		copy->hw_errors = s->hw_errors;
		copy->alloc_fail = s->alloc_fail;
		copy->csum_complete = s->csum_complete;
		copy->csum_none = s->csum_none;
		copy->wake = s->wake;
		copy->xdp_drop = s->xdp_drop;
		copy->xdp_tx = s->xdp_tx;
		copy->xdp_redirect = s->xdp_redirect;
		copy->xdp_errors = s->xdp_errors;
		copy->xsk_fill_empty = s->xsk_fill_empty;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	do {
		start = u64_stats_fetch_begin(&s->xmit_syncp);
		copy->dropped = s->dropped;
		copy->stop = s->stop;
		copy->xdp_xmit = s->xdp_xmit;
		copy->xdp_xmit_errors = s->xdp_xmit_errors;
		copy->xsk_xmit = s->xsk_xmit;
		copy->wb_dup = s->wb_dup;
	} while (u64_stats_fetch_retry(&s->xmit_syncp, start));
}

/**
 * fpgaeth_pp_stats_fold - keep the counters of a page pool about to go
 * @priv: device
 * @pp: the pool, before page_pool_destroy()
 *
 * ethtool -S reports the pools of the running rings plus these, so the
 * page pool counters do not drop when the rings are rebuilt (under RTNL).
 */
void fpgaeth_pp_stats_fold(struct fpgaeth_priv *priv, struct page_pool *pp)
{
#ifdef CONFIG_PAGE_POOL_STATS
	ASSERT_RTNL();
	page_pool_get_stats(pp, &priv->pp_stats);
#endif
}

/*
 * Queue statistics (netdev netlink qstats-get). The counters of a queue
 * pair live in priv->qp[] whatever the number of channels, so a queue that
 * goes away (ethtool -L) leaves its counters to the base statistics, and
 * base + the active queues never goes backwards.
 */
static void fpgaeth_qstats_rx_add(struct fpgaeth_priv *priv, unsigned int q,
				  const struct fpgaeth_hw_counts *hw,
				  struct netdev_queue_stats_rx *rx)
{
	struct fpgaeth_ring_stats s;

	fpgaeth_ring_stats_get(&priv->qp[q].rx.stats, &s);
	rx->packets += s.packets;
	rx->bytes += s.bytes;
	rx->alloc_fail += s.alloc_fail;
	rx->csum_none += s.csum_none;
	rx->hw_drops += hw->rx_nobuf[q];
}

static void fpgaeth_qstats_tx_add(struct fpgaeth_priv *priv, unsigned int q,
				  struct netdev_queue_stats_tx *tx)
{
	struct fpgaeth_ring_stats s;

	fpgaeth_ring_stats_get(&priv->qp[q].tx.stats, &s);
	tx->packets += s.packets;
	tx->bytes += s.bytes;
	tx->hw_drop_errors += s.errors;
	tx->stop += s.stop;
	tx->wake += s.wake;
}

static void fpgaeth_qstats_rx_zero(struct netdev_queue_stats_rx *rx)
{
	rx->packets = 0;
	rx->bytes = 0;
	rx->alloc_fail = 0;
	rx->csum_none = 0;
	rx->hw_drops = 0;
}

static void fpgaeth_qstats_tx_zero(struct netdev_queue_stats_tx *tx)
{
	tx->packets = 0;
	tx->bytes = 0;
	tx->hw_drop_errors = 0;
	tx->stop = 0;
	tx->wake = 0;
}

static void fpgaeth_get_queue_stats_rx(struct net_device *ndev, int idx,
				       struct netdev_queue_stats_rx *rx)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_hw_counts hw;

	fpgaeth_hw_stats_get(priv, &hw);
	fpgaeth_qstats_rx_zero(rx);
	fpgaeth_qstats_rx_add(priv, idx, &hw, rx);
}

static void fpgaeth_get_queue_stats_tx(struct net_device *ndev, int idx,
				       struct netdev_queue_stats_tx *tx)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	fpgaeth_qstats_tx_zero(tx);
	fpgaeth_qstats_tx_add(priv, idx, tx);
}

static void fpgaeth_get_base_stats(struct net_device *ndev,
				   struct netdev_queue_stats_rx *rx,
				   struct netdev_queue_stats_tx *tx)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_hw_counts hw;
	unsigned int q;

	fpgaeth_hw_stats_get(priv, &hw);
	fpgaeth_qstats_rx_zero(rx);
	fpgaeth_qstats_tx_zero(tx);
	for (q = ndev->real_num_rx_queues; q < FPGAETH_MAX_QP; q++)
		fpgaeth_qstats_rx_add(priv, q, &hw, rx);
	for (q = ndev->real_num_tx_queues; q < FPGAETH_MAX_QP; q++)
		fpgaeth_qstats_tx_add(priv, q, tx);
}

const struct netdev_stat_ops fpgaeth_stat_ops = {
	.get_queue_stats_rx = fpgaeth_get_queue_stats_rx,
	.get_queue_stats_tx = fpgaeth_get_queue_stats_tx,
	.get_base_stats = fpgaeth_get_base_stats,
};
