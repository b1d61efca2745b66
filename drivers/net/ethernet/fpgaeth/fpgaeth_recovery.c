// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth recovery: a halted or stalled queue pair is recovered alone, as
 * the programming model's "Recovery procedure" says, while the other pairs
 * carry traffic and the link stays up; the whole IP is reset only when
 * several pairs halted at once, the device does not respond or recovering
 * the pair failed. A service check, four times a second while the
 * datapath runs, finds what no interrupt reports: a halt whose DMA_ERR was
 * missed, a TX queue that stopped making progress, an RX engine that
 * stopped, a lost interrupt, a HEAD register outside the ring and a device
 * whose registers read all ones (a bitstream being loaded). An IP with
 * CAP1.STALL_WDOG reports a stalled queue itself, as a halt (CAUSE STALL),
 * within fpgaeth_stall_timeout_ms().
 */
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/phylink.h>
#include <linux/rtnetlink.h>
#include <net/netdev_queues.h>

#include "fpgaeth.h"

#define FPGAETH_SERVICE_PERIOD	(HZ / 4)
/* Service checks with TX frames waiting and TX_HEAD still: a stall (1 s) */
#define FPGAETH_TX_STALL_CHECKS	4
/* ... and with the RX FIFO overflowing, no RX_HEAD moving: an RX stall */
#define FPGAETH_RX_STALL_CHECKS	4
/*
 * Pair recoveries for a HEAD outside the ring (FPGAETH_HEAD_LIES in
 * FPGAETH_HEAD_LIE_WINDOW) after which its HEAD verdicts are only counted
 */
#define FPGAETH_HEAD_LIES	3
#define FPGAETH_HEAD_LIE_WINDOW	(10 * HZ)

/**
 * fpgaeth_responds - whether the IP answers register reads
 * @priv: device
 *
 * ID holds a constant: all ones means nothing answers the bus (a bitstream
 * being loaded, a bridge in reset).
 *
 * Return: true if ID reads its magic value.
 */
bool fpgaeth_responds(struct fpgaeth_priv *priv)
{
	return fpgaeth_rd32(priv, FPGAETH_ID) == FPGAETH_ID_MAGIC;
}

/**
 * fpgaeth_report_halt - report a halted queue's CAUSE and ERR_ADDR
 * @qp: queue pair
 * @tx: its TX half, else its RX half
 *
 * Recovery procedure step 2; nothing is said of a half that is not halted.
 */
void fpgaeth_report_halt(struct fpgaeth_qp *qp, bool tx)
{
	u32 addr_reg = tx ? FPGAETH_Q_TX_ERR_ADDR_LO : FPGAETH_Q_RX_ERR_ADDR_LO;
	u32 status = fpgaeth_qp_rd32(qp, tx ? FPGAETH_Q_TX_STATUS :
					      FPGAETH_Q_RX_STATUS);
	u32 cause = FIELD_GET(FPGAETH_Q_STATUS_CAUSE, status);
	u64 addr;

	if (status == U32_MAX || !(status & FPGAETH_Q_STATUS_HALTED))
		return;
	addr = fpgaeth_qp_rd32(qp, addr_reg) |
	       (u64)fpgaeth_qp_rd32(qp, addr_reg + 4) << 32;
	if (cause == FPGAETH_CAUSE_STALL)
		netdev_err(qp->priv->ndev, "%s queue %u stalled: the IP saw it with work and no completion for %u ms (CAUSE STALL, descriptor at %#llx)\n",
			   tx ? "TX" : "RX", qp->idx,
			   qp->priv->stall_timeout_ms, addr);
	else
		netdev_err(qp->priv->ndev, "%s queue %u halted: CAUSE %s (%u) at %#llx\n",
			   tx ? "TX" : "RX", qp->idx, fpgaeth_cause_name(cause),
			   cause, addr);
}

static bool fpgaeth_qp_halted(struct fpgaeth_qp *qp)
{
	u32 tx = fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_STATUS);
	u32 rx = fpgaeth_qp_rd32(qp, FPGAETH_Q_RX_STATUS);

	if (tx == U32_MAX || rx == U32_MAX)
		return false;
	return (tx | rx) & FPGAETH_Q_STATUS_HALTED;
}

static bool fpgaeth_status_stall(u32 status)
{
	return status != U32_MAX && (status & FPGAETH_Q_STATUS_HALTED) &&
	       FIELD_GET(FPGAETH_Q_STATUS_CAUSE, status) == FPGAETH_CAUSE_STALL;
}

/* Count the halves of a halted pair that the IP's stall watchdog halted. */
static void fpgaeth_qp_count_stalls(struct fpgaeth_qp *qp)
{
	if (fpgaeth_status_stall(fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_STATUS)))
		qp->stalls++;
	if (fpgaeth_status_stall(fpgaeth_qp_rd32(qp, FPGAETH_Q_RX_STATUS)))
		qp->stalls++;
}

/*
 * Stop the stack's transmits to one queue, waiting for one in progress;
 * its timestamp moves so that dev_watchdog does not take the stop for a
 * timeout while the pair is recovered.
 */
static void fpgaeth_txq_stop(struct netdev_queue *txq)
{
	__netif_tx_lock_bh(txq);
	netif_tx_stop_queue(txq);
	txq_trans_cond_update(txq);
	__netif_tx_unlock_bh(txq);
}

/**
 * fpgaeth_qp_halt - stop one queue pair, the others running, and take
 * back every buffer it holds
 * @qp: queue pair of a running interface (under RTNL)
 * @report: log the pair's STATUS (a recovery)
 *
 * Recovery procedure steps 1 to 5: the rings keep their memory and page
 * pool; fpgaeth_qp_resume() starts the pair again.
 *
 * Return: 0, or -ETIMEDOUT if the pair did not go idle (NAPI is enabled
 * again and the buffers stay posted: the caller resets the IP).
 */
int fpgaeth_qp_halt(struct fpgaeth_qp *qp, bool report)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct netdev_queue *txq = netdev_get_tx_queue(priv->ndev, qp->idx);
	int err = 0;

	/*
	 * 1. mask the pair, no poll or refill runs, stop submitting: NAPI
	 * first, as a TX completion would wake the queue stopped here.
	 */
	fpgaeth_qp_wr32(qp, FPGAETH_Q_IRQ_ENABLE, 0);
	napi_disable(&qp->napi);
	fpgaeth_txq_stop(txq);
	fpgaeth_qp_quiet(qp);
	qp->stops++;
	/* 2. */
	if (report) {
		fpgaeth_report_halt(qp, true);
		fpgaeth_report_halt(qp, false);
	}
	/* 3. disable both halves, wait until they no longer access memory */
	fpgaeth_qp_disable(qp);
	if (priv->cap1 & FPGAETH_CAP1_QUEUE_IDLE) {
		err = fpgaeth_qp_wait_idle(qp);
	} else {
		/* a 1.0 IP: the write has arrived, then the bound */
		fpgaeth_qp_rd32(qp, FPGAETH_Q_RX_CTRL);
		fsleep(priv->idle_timeout_us);
	}
	if (err) {
		napi_enable(&qp->napi);
		return err;
	}
	/*
	 * 4. and 5. every buffer back, stale events dropped. They update the
	 * rings' u64_stats, whose other writer is NAPI: with BHs off, as a
	 * 32-bit seqcount writer must be (nothing here sleeps).
	 */
	local_bh_disable();
	fpgaeth_qp_reclaim(qp);
	local_bh_enable();
	return 0;
}

/**
 * fpgaeth_qp_resume - start a queue pair stopped by fpgaeth_qp_halt()
 * @qp: queue pair
 *
 * Recovery procedure step 6, as at start-up: RX buffers posted, NAPI,
 * the TX queue and the interrupt enabled.
 */
void fpgaeth_qp_resume(struct fpgaeth_qp *qp)
{
	struct netdev_queue *txq = netdev_get_tx_queue(qp->priv->ndev, qp->idx);

	/* the RX refill allocates atomically; u64_stats as above */
	local_bh_disable();
	fpgaeth_qp_start(qp);
	local_bh_enable();
	napi_enable(&qp->napi);
	txq_trans_cond_update(txq);
	netif_tx_wake_queue(txq);
	fpgaeth_qp_wr32(qp, FPGAETH_Q_IRQ_ENABLE, FPGAETH_Q_IRQ_ALL);
}

/*
 * The recovery procedure for one queue pair, the others running: the
 * pair restarts on new rings (fpgaeth_queue.c), or on its own if none can
 * be allocated. Returns 0, or -ETIMEDOUT if the pair did not go idle (the
 * caller resets the IP).
 */
static int fpgaeth_qp_recover(struct fpgaeth_qp *qp)
{
	int err;

	err = fpgaeth_qp_restart(qp->priv, qp->idx, true);
	if (err && err != -ETIMEDOUT) {
		err = fpgaeth_qp_halt(qp, true);
		if (err)
			return err;
		fpgaeth_wr32(qp->priv, FPGAETH_MISC_IRQ_STATUS,
			     FPGAETH_MISC_IRQ_DMA_ERR);
		fpgaeth_qp_resume(qp);
	}
	if (!err)
		qp->resets++;
	return err;
}

/*
 * Reset the whole IP (programming model, "Soft reset") and program it
 * again as at open. The new rings are allocated first, so that the
 * interface comes back even with little memory; the old ones are freed
 * only once the reset has ended the IP's DMA. phylink is stopped around it
 * and programs the MAC's link settings again when the link comes back.
 */
static int fpgaeth_restart_ip(struct fpgaeth_priv *priv)
{
	struct fpgaeth_rings *rings;
	int err;

	rings = fpgaeth_rings_alloc(priv, priv->num_qp, priv->tx_ring_size,
				    priv->rx_ring_size);
	phylink_stop(priv->phylink);
	fpgaeth_hw_stop(priv, true);
	if (IS_ERR(rings)) {
		/* free first, then try again */
		fpgaeth_down(priv);
		err = fpgaeth_up(priv);
	} else if (priv->dma_unsafe) {
		fpgaeth_rings_put(priv, rings);
		err = -EIO;
	} else {
		fpgaeth_rings_install(priv, rings);
		fpgaeth_hw_start(priv);
		err = 0;
	}
	phylink_start(priv->phylink);
	return err;
}

/**
 * fpgaeth_reset_ip - reset the whole IP of a running interface now
 * @priv: device whose datapath runs (under RTNL)
 * @why: the reason, for the message
 *
 * Counted in resets. The rings are built again from the device's settings
 * (AF_XDP pools: @priv->xsk_pools); if the reset fails the datapath stays
 * stopped with a message, and the rings in use stay installed when the IP
 * may still access them (@priv->dma_unsafe).
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_reset_ip(struct fpgaeth_priv *priv, const char *why)
{
	struct net_device *ndev = priv->ndev;
	int err;

	netdev_warn(ndev, "resetting the IP: %s\n", why);
	priv->resets++;
	err = fpgaeth_restart_ip(priv);
	if (err)
		netdev_err(ndev, "recovery failed (%d): datapath stopped; set the interface down and up to retry\n",
			   err);
	else
		netif_info(priv, hw, ndev, "IP reset, queues restarted\n");
	return err;
}

/* The queue pairs that halted, and those marked for recovery. */
static unsigned long fpgaeth_qp_to_recover(struct fpgaeth_priv *priv)
{
	unsigned long pending = xchg(&priv->recover_qp, 0);
	unsigned int q;

	for (q = 0; q < priv->num_qp; q++) {
		if (fpgaeth_qp_halted(&priv->qp[q])) {
			fpgaeth_qp_count_stalls(&priv->qp[q]);
			__set_bit(q, &pending);
		}
	}
	return pending & GENMASK(priv->num_qp - 1, 0);
}

/* The IP reads all ones: count it once, until it responds again. */
static void fpgaeth_set_not_responding(struct fpgaeth_priv *priv)
{
	if (priv->not_responding)
		return;
	priv->not_responding = true;
	priv->not_responding_events++;
	netdev_err(priv->ndev, "the IP does not respond (register reads all ones): waiting for it\n");
}

static void fpgaeth_reset_work(struct work_struct *work)
{
	struct fpgaeth_priv *priv = container_of(work, struct fpgaeth_priv,
						 reset_work);
	unsigned long pending;
	unsigned int q;

	rtnl_lock();
	clear_bit(0, &priv->reset_pending);
	if (!netif_running(priv->ndev) || !priv->up)
		goto out;
	/*
	 * Nothing to do before it answers: the service check waits for it
	 * and schedules this work again (a full reset stays pending).
	 */
	if (!fpgaeth_responds(priv)) {
		priv->recover_qp = 0;
		fpgaeth_set_not_responding(priv);
		goto out;
	}
	/* A DMA_ERR from now on schedules this work again. */
	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_STATUS, FPGAETH_MISC_IRQ_DMA_ERR);
	pending = fpgaeth_qp_to_recover(priv);
	if (test_and_clear_bit(FPGAETH_FULL_RESET_REGS, &priv->full_reset)) {
		fpgaeth_reset_ip(priv, "its register reads were all ones");
	} else if (test_and_clear_bit(FPGAETH_FULL_RESET_RX_STALL,
				      &priv->full_reset)) {
		fpgaeth_reset_ip(priv, "the RX engine stalled");
	} else if (hweight_long(pending) > 1) {
		for_each_set_bit(q, &pending, priv->num_qp) {
			fpgaeth_report_halt(&priv->qp[q], true);
			fpgaeth_report_halt(&priv->qp[q], false);
		}
		fpgaeth_reset_ip(priv, "several queue pairs to recover");
	} else if (pending) {
		q = __ffs(pending);
		if (fpgaeth_qp_recover(&priv->qp[q]))
			fpgaeth_reset_ip(priv, "a queue pair did not stop");
		else
			netif_info(priv, hw, priv->ndev, "queue pair %u recovered\n",
				   q);
	}
out:
	rtnl_unlock();
}

/* What one soft reset resets: everything of the IP but the PHY */
#define FPGAETH_RESET_IP	(ETH_RESET_DMA | ETH_RESET_FILTER | \
				 ETH_RESET_OFFLOAD | ETH_RESET_MAC)

/**
 * fpgaeth_ethtool_reset - ethtool --reset: reset the whole IP
 * @ndev: the interface
 * @flags: components to reset; those reset are cleared
 *
 * A running interface is reset as a recovery is (counted in resets, the
 * datapath programmed again); a stopped one only gets its soft reset.
 *
 * Return: 0, -EOPNOTSUPP if the IP is not among @flags, or the soft
 * reset's error (the datapath then stays stopped).
 */
int fpgaeth_ethtool_reset(struct net_device *ndev, u32 *flags)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	int err;

	if ((*flags & FPGAETH_RESET_IP) != FPGAETH_RESET_IP)
		return -EOPNOTSUPP;
	if (netif_running(ndev) && priv->up)
		err = fpgaeth_reset_ip(priv, "requested by ethtool");
	else if (!netif_running(ndev))
		err = fpgaeth_soft_reset(priv);
	else
		err = -EIO;
	if (!err)
		*flags &= ~FPGAETH_RESET_IP;
	return err;
}

/**
 * fpgaeth_schedule_reset - recover from what the device reported
 * @priv: device
 *
 * Safe from any context; the work runs under RTNL and finds the halted
 * queue pairs itself.
 */
void fpgaeth_schedule_reset(struct fpgaeth_priv *priv)
{
	if (!test_and_set_bit(0, &priv->reset_pending))
		schedule_work(&priv->reset_work);
}

/**
 * fpgaeth_schedule_full_reset - reset the whole IP once it responds
 * @priv: device
 *
 * For a device whose register reads were all ones; safe from any context.
 */
void fpgaeth_schedule_full_reset(struct fpgaeth_priv *priv)
{
	set_bit(0, &priv->full_reset);
	fpgaeth_schedule_reset(priv);
}

/**
 * fpgaeth_schedule_qp_recovery - recover one queue pair that stopped
 * @priv: device
 * @q: queue pair (its TX half timed out or reported nonsense)
 */
void fpgaeth_schedule_qp_recovery(struct fpgaeth_priv *priv, unsigned int q)
{
	set_bit(q, &priv->recover_qp);
	fpgaeth_schedule_reset(priv);
}

/*
 * Is @hw inside the window [@head, @tail] of a ring of @size? @head is read
 * before the register, @tail after: a device that tells the truth is
 * always inside.
 */
static bool fpgaeth_head_ok(u32 hw, unsigned int head, unsigned int tail,
			    unsigned int size)
{
	return hw < size &&
	       ((hw - head) & (size - 1)) <= ((tail - head) & (size - 1));
}

static void fpgaeth_kick_napi(struct fpgaeth_qp *qp)
{
	local_bh_disable();
	if (napi_schedule_prep(&qp->napi)) {
		qp->irq_lost++;
		__napi_schedule(&qp->napi);
	}
	local_bh_enable();
}

/*
 * HEAD outside the ring: recover the pair? Not once it lied again after
 * FPGAETH_HEAD_LIES recoveries in a window: the datapath goes by DONE,
 * not HEAD, so a HEAD that keeps lying costs nothing but recoveries.
 */
static bool fpgaeth_head_lie_act(struct fpgaeth_qp *qp)
{
	if (qp->head_lie_ignore)
		return false;
	if (!qp->head_lies ||
	    time_after(jiffies, qp->head_lie_since + FPGAETH_HEAD_LIE_WINDOW)) {
		qp->head_lie_since = jiffies;
		qp->head_lies = 0;
	}
	if (qp->head_lies < FPGAETH_HEAD_LIES) {
		qp->head_lies++;
		return true;
	}
	qp->head_lie_ignore = true;
	netdev_warn(qp->priv->ndev, "queue pair %u: HEAD outside the ring again after %u recoveries in %u s: no longer recovered for it, only counted (hw_errors)\n",
		    qp->idx, FPGAETH_HEAD_LIES,
		    jiffies_to_msecs(FPGAETH_HEAD_LIE_WINDOW) / 1000);
	return false;
}

/*
 * Did the link partner's pause frames hold TX since the last check? A
 * pause received (and obeyed) since then is progress, not a stall.
 */
static bool fpgaeth_rx_paused(struct fpgaeth_priv *priv)
{
	u64 pause, last = priv->svc_rx_pause;

	if (!(fpgaeth_rd32(priv, FPGAETH_CTRL) & FPGAETH_CTRL_RX_PAUSE_EN))
		return false;
	pause = fpgaeth_hw_stat_read(priv, FPGAETH_STAT_RX_PAUSE);
	priv->svc_rx_pause = pause;
	return pause != last;
}

/*
 * One queue pair's check. Returns false if it is to be recovered. A
 * device HEAD that moved while no poll ran since the last check, twice in
 * a row, is an interrupt that was lost: NAPI is scheduled (and counted).
 * @paused: pause frames were received since the last check (TX held).
 */
static bool fpgaeth_qp_check(struct fpgaeth_qp *qp, bool paused)
{
	struct fpgaeth_priv *priv = qp->priv;
	unsigned int tx_head, rx_head, tx_tail, rx_tail, polls;
	u32 tx_hw, rx_hw;
	bool busy, pending, stalled, missing;

	/*
	 * The driver's heads, then the device's, then the tails, in this
	 * order (rmb() orders the memory reads against the MMIO reads): a
	 * device that tells the truth is inside [head, tail] then, unless a
	 * poll moved head and tail meanwhile (past each other's old values
	 * on a full ring): no verdict on HEAD then.
	 */
	busy = napi_is_scheduled(&qp->napi);
	polls = READ_ONCE(qp->polls);
	tx_head = READ_ONCE(qp->tx.head);
	rx_head = READ_ONCE(qp->rx.head);
	rmb();	/* the driver's heads before the device's */
	tx_hw = fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_HEAD);
	rx_hw = fpgaeth_qp_rd32(qp, FPGAETH_Q_RX_HEAD);
	rmb();	/* the device's heads before the tails */
	/* TX: the last doorbell, not frames written ahead of it */
	tx_tail = READ_ONCE(qp->tx.hw_tail);
	rx_tail = READ_ONCE(qp->rx.tail);
	missing = fpgaeth_head_ok(tx_hw, tx_head, tx_tail, qp->tx.size) &&
		  fpgaeth_head_ok(rx_hw, rx_head, rx_tail, qp->rx.size) &&
		  fpgaeth_qp_wb_missing(qp, tx_head, tx_hw, rx_head, rx_hw);
	rmb();	/* the snapshot before the second look at NAPI */
	busy |= napi_is_scheduled(&qp->napi);
	smp_rmb();	/* a poll's end count is written before it completes */
	busy |= polls != READ_ONCE(qp->polls);
	if (!busy && (!fpgaeth_head_ok(tx_hw, tx_head, tx_tail, qp->tx.size) ||
		      !fpgaeth_head_ok(rx_hw, rx_head, rx_tail, qp->rx.size))) {
		qp->hw_errors++;
		if (net_ratelimit())
			netdev_err(priv->ndev, "queue pair %u: TX_HEAD %u (ring %u..%u) or RX_HEAD %u (ring %u..%u) outside the descriptors handed over\n",
				   qp->idx, tx_hw, tx_head, tx_tail, rx_hw,
				   rx_head, rx_tail);
		/* a HEAD that lies says nothing of stalls or lost IRQs */
		qp->svc_tx_still = 0;
		qp->svc_wb_missing = false;
		return !fpgaeth_head_lie_act(qp);
	}

	/*
	 * A HEAD past a frame without DONE, twice in a row: a write-back lost
	 * stays lost (the driver's head waits at it), while a HEAD that lied
	 * once may land inside the window a doorbell rung after the HEAD read
	 * widened, and then look the same for one check.
	 */
	if (!busy && missing && !qp->svc_wb_missing) {
		qp->svc_wb_missing = true;
		return true;
	}
	if (!busy)
		qp->svc_wb_missing = false;
	if (!busy && missing) {
		qp->hw_errors++;
		netdev_err(priv->ndev, "queue pair %u: TX_HEAD %u or RX_HEAD %u past a frame never written back (ring heads %u, %u)\n",
			   qp->idx, tx_hw, rx_hw, tx_head, rx_head);
		qp->svc_tx_still = 0;
		return false;
	}

	pending = tx_hw != tx_head || rx_hw != rx_head;
	if (pending && qp->svc_pending && polls == qp->svc_polls)
		fpgaeth_kick_napi(qp);
	qp->svc_pending = pending;
	qp->svc_polls = polls;

	/* frames handed over, the link up, and the engine not moving */
	stalled = !paused && tx_hw != fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_TAIL) &&
		  tx_hw == qp->svc_tx_head && netif_carrier_ok(priv->ndev);
	qp->svc_tx_head = tx_hw;
	qp->svc_tx_still = stalled ? qp->svc_tx_still + 1 : 0;
	if (qp->svc_tx_still >= FPGAETH_TX_STALL_CHECKS) {
		qp->stalls++;
		netdev_err(priv->ndev, "TX queue %u stalled: HEAD %u for %u ms with descriptors to send\n",
			   qp->idx, tx_hw,
			   jiffies_to_msecs(FPGAETH_TX_STALL_CHECKS *
					    FPGAETH_SERVICE_PERIOD));
		return false;
	}
	return true;
}

/* RX buffers one frame of the MTU takes */
static unsigned int fpgaeth_rx_frame_descs(struct fpgaeth_priv *priv)
{
	return DIV_ROUND_UP(priv->ndev->mtu + ETH_HLEN + VLAN_HLEN,
			    priv->rx_buf_len);
}

/*
 * Is pair @qp's RX half still: RX_HEAD where it was at the last check,
 * with the @need buffers of a frame posted? Notes RX_HEAD.
 */
static bool fpgaeth_qp_rx_still(struct fpgaeth_qp *qp, unsigned int need)
{
	u32 hw = fpgaeth_qp_rd32(qp, FPGAETH_Q_RX_HEAD);
	bool still = hw == qp->svc_rx_head && hw < qp->rx.size &&
		     CIRC_CNT(READ_ONCE(qp->rx.tail), hw, qp->rx.size) >= need;

	qp->svc_rx_head = hw;
	return still;
}

/*
 * An RX engine that stopped with no queue halted (an IP without the stall
 * watchdog, or with it off): for FPGAETH_RX_STALL_CHECKS checks in a row the
 * RX FIFO overflowed while no pair's RX_HEAD moved and every pair had the
 * buffers of a frame posted. An idle link overflows nothing; a pair short
 * of buffers holds the FIFO legitimately. Which queue's frame the engine is
 * stuck on, the driver cannot know (the one FIFO holds every queue's
 * frames behind it): the whole IP is reset.
 */
static void fpgaeth_rx_stall_check(struct fpgaeth_priv *priv)
{
	u64 ovf = fpgaeth_hw_stat_read(priv, FPGAETH_STAT_RX_FIFO_OVF);
	unsigned int need = fpgaeth_rx_frame_descs(priv), q;
	bool still = ovf != priv->svc_rx_ovf;

	priv->svc_rx_ovf = ovf;
	for (q = 0; q < priv->num_qp; q++)
		still &= fpgaeth_qp_rx_still(&priv->qp[q], need);
	priv->svc_rx_still = still ? priv->svc_rx_still + 1 : 0;
	if (priv->svc_rx_still < FPGAETH_RX_STALL_CHECKS)
		return;
	priv->svc_rx_still = 0;
	priv->rx_stalls++;
	netdev_err(priv->ndev, "RX stalled: for %u ms the RX FIFO overflowed, no RX queue moved and every queue pair had buffers posted\n",
		   jiffies_to_msecs(FPGAETH_RX_STALL_CHECKS *
				    FPGAETH_SERVICE_PERIOD));
	set_bit(FPGAETH_FULL_RESET_RX_STALL, &priv->full_reset);
	fpgaeth_schedule_reset(priv);
}

static void fpgaeth_service_check(struct fpgaeth_priv *priv)
{
	unsigned int q;
	bool paused;

	if (!fpgaeth_responds(priv)) {
		fpgaeth_set_not_responding(priv);
		return;
	}
	if (priv->not_responding) {
		priv->not_responding = false;
		netdev_info(priv->ndev, "the IP responds again\n");
		fpgaeth_schedule_full_reset(priv);
		return;
	}
	/* one an interrupt asked for while the reset work could not act */
	if (test_bit(0, &priv->full_reset)) {
		fpgaeth_schedule_reset(priv);
		return;
	}

	paused = fpgaeth_rx_paused(priv);
	for (q = 0; q < priv->num_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		fpgaeth_irq_storm_check(qp, false);
		fpgaeth_tx_scan_free(qp);
		if (fpgaeth_qp_halted(qp)) {
			fpgaeth_schedule_reset(priv);
		} else if (!fpgaeth_qp_check(qp, paused)) {
			qp->svc_tx_still = 0;
			fpgaeth_schedule_qp_recovery(priv, q);
		}
	}
	fpgaeth_rx_stall_check(priv);
}

static void fpgaeth_service_work(struct work_struct *work)
{
	struct fpgaeth_priv *priv = container_of(to_delayed_work(work),
						 struct fpgaeth_priv,
						 service_work);

	/*
	 * RTNL keeps recovery and reconfiguration out; they cancel this work
	 * holding it, so it is only tried: a busy RTNL skips one check.
	 */
	if (rtnl_trylock()) {
		if (priv->up)
			fpgaeth_service_check(priv);
		rtnl_unlock();
	}
	schedule_delayed_work(&priv->service_work, FPGAETH_SERVICE_PERIOD);
}

/**
 * fpgaeth_stall_wdog_start - give the IP's stall watchdog its time
 * @priv: device whose IP is programmed (under RTNL)
 *
 * STALL_TIMEOUT only exists with CAP1.STALL_WDOG; a write restarts every
 * queue's watchdog.
 */
void fpgaeth_stall_wdog_start(struct fpgaeth_priv *priv)
{
	if (priv->cap1 & FPGAETH_CAP1_STALL_WDOG)
		fpgaeth_wr32(priv, FPGAETH_STALL_TIMEOUT,
			     FIELD_PREP(FPGAETH_STALL_TIMEOUT_MS,
					priv->stall_timeout_ms));
}

/**
 * fpgaeth_service_start - start the service check of a running datapath
 * @priv: device (under RTNL), programmed: the stall watchdog is started too
 */
void fpgaeth_service_start(struct fpgaeth_priv *priv)
{
	unsigned int q;

	/* a reset of the IP for an RX stall asked for before is done */
	clear_bit(FPGAETH_FULL_RESET_RX_STALL, &priv->full_reset);
	priv->svc_rx_still = 0;
	priv->svc_rx_ovf = fpgaeth_hw_stat_read(priv, FPGAETH_STAT_RX_FIFO_OVF);
	fpgaeth_stall_wdog_start(priv);
	priv->not_responding = false;
	for (q = 0; q < priv->num_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		qp->svc_pending = false;
		qp->svc_tx_still = 0;
		qp->svc_tx_head = 0;
		qp->svc_rx_head = U32_MAX;
		qp->svc_wb_missing = false;
		qp->head_lies = 0;
		qp->head_lie_ignore = false;
		fpgaeth_irq_storm_check(qp, true);
	}
	schedule_delayed_work(&priv->service_work, FPGAETH_SERVICE_PERIOD);
}

/**
 * fpgaeth_service_stop - stop the service check
 * @priv: device (under RTNL)
 */
void fpgaeth_service_stop(struct fpgaeth_priv *priv)
{
	unsigned int q;

	cancel_delayed_work_sync(&priv->service_work);
	/* every pair with a line: a storm may have begun on one not in use */
	for (q = 0; q < priv->max_qp; q++)
		fpgaeth_irq_storm_check(&priv->qp[q], true);
}

/*
 * The time the IP's stall watchdog gets (programming model, "Stall
 * watchdog"): the longest wait of a working TX engine, its queue's turn
 * behind a frame of every other pair of the IP and then its own frame,
 * each the wire time of a CAP0.MAX_FRAME frame at 10 Mb/s plus three DMA
 * latencies of 1 ms (FPGAETH_FRAME_TIME_MAX_US). It is the slowest speed's,
 * whatever the link runs at, and every pair's, whatever ethtool -L uses:
 * a time below a working queue's wait halts it and loses its frames, while
 * a time above it only delays finding a queue that is broken anyway; one
 * value also needs no reprogramming, and no ordering against the MAC_CFG
 * write, on each link speed or channel change.
 */
static unsigned int fpgaeth_stall_timeout_ms(const struct fpgaeth_priv *priv)
{
	u32 us = priv->hw_num_qp * FPGAETH_FRAME_TIME_MAX_US(priv->max_frame);

	return clamp_t(u32, DIV_ROUND_UP(us, USEC_PER_MSEC), 1,
		       FIELD_MAX(FPGAETH_STALL_TIMEOUT_MS));
}

/**
 * fpgaeth_recovery_init - set up the recovery and service works
 * @priv: device, with its capabilities read (@hw_num_qp, @max_frame)
 */
void fpgaeth_recovery_init(struct fpgaeth_priv *priv)
{
	INIT_WORK(&priv->reset_work, fpgaeth_reset_work);
	INIT_DELAYED_WORK(&priv->service_work, fpgaeth_service_work);
	priv->stall_timeout_ms = fpgaeth_stall_timeout_ms(priv);
}
