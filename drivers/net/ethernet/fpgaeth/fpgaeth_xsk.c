// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth AF_XDP zero-copy: an XSK buffer pool on one queue pair.
 *
 * Binding an AF_XDP socket with XDP_ZEROCOPY to queue q hands the driver
 * the socket's buffer pool (ndo_bpf XDP_SETUP_XSK_POOL). The pool's UMEM
 * is mapped for the device with the kernel's XSK helpers
 * (xsk_pool_dma_map(), DMA_BIDIRECTIONAL, synced by the pool for a bounce
 * buffer), then queue pair q alone is stopped (fpgaeth_qp_halt(): every
 * buffer back), switched and started again; the other pairs keep running.
 * Unbinding does the reverse. While the interface is down only the
 * pointer changes: the rings built at open take priv->xsk_pools[q].
 *
 * RX: the pair's RX descriptors hold UMEM buffers from the socket's fill
 * ring (xsk_buff_alloc()), which the device writes frames into directly.
 * A frame is synced for the CPU (xsk_buff_dma_sync_for_cpu()) and goes to
 * the XDP program: XDP_REDIRECT to the socket passes the buffer on
 * without a copy; XDP_PASS (or no program) copies the frame into an skb
 * and gives the buffer back; XDP_TX copies it into a page and sends that
 * (fpgaeth_xdp_tx_zc()). Frames must fit one buffer: a frame in several
 * is dropped (counted as an RX error).
 *
 * TX: each poll takes descriptors from the socket's TX ring
 * (xsk_tx_peek_desc()) onto the pair's TX ring, the one the stack uses,
 * under the ring's netdev TX queue lock and leaving the stack the same
 * FPGAETH_TX_STOP_THRESH descriptors XDP leaves; the device reads them
 * from the UMEM (xsk_buff_raw_get_dma(), synced for the device).
 * Completions go back in order (xsk_tx_completed()). A frame abandoned by
 * a queue stop is completed too: the socket gets its buffer back.
 *
 * need_wakeup: the RX flag is set while the fill ring could not fill the
 * RX ring, the TX flag always: the socket's poll()/sendto() then call
 * fpgaeth_xsk_wakeup(), which schedules the pair's NAPI.
 */
#include <linux/bpf_trace.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/xdp_sock_drv.h>

#include "fpgaeth.h"

/* Bytes the device may write into one of @pool's buffers (BUF_LEN) */
static unsigned int fpgaeth_xsk_buf_len(struct xsk_buff_pool *pool)
{
	return min(xsk_pool_get_rx_frame_size(pool), U16_MAX);
}

/* Whether a frame of @mtu (with a VLAN tag) fits one of @pool's buffers */
static bool fpgaeth_xsk_pool_fits(struct xsk_buff_pool *pool, unsigned int mtu)
{
	return mtu + ETH_HLEN + VLAN_HLEN <= fpgaeth_xsk_buf_len(pool);
}

/**
 * fpgaeth_xsk_mtu_ok - whether an MTU's frames fit the zero-copy pools
 * @priv: device (under RTNL)
 * @mtu: the MTU
 *
 * Return: true if a frame of that MTU fits one buffer of every AF_XDP
 * zero-copy pool attached (none: true).
 */
bool fpgaeth_xsk_mtu_ok(struct fpgaeth_priv *priv, unsigned int mtu)
{
	unsigned int q;

	for (q = 0; q < FPGAETH_MAX_QP; q++)
		if (priv->xsk_pools[q] &&
		    !fpgaeth_xsk_pool_fits(priv->xsk_pools[q], mtu))
			return false;
	return true;
}

/**
 * fpgaeth_xsk_rxq_mem_model - register an RX ring's XDP memory model
 * @rx: RX ring whose xdp_rxq is registered; @rx->xsk_pool says which
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_xsk_rxq_mem_model(struct fpgaeth_ring *rx)
{
	if (!rx->xsk_pool)
		return xdp_rxq_info_reg_mem_model(&rx->xdp_rxq,
						  MEM_TYPE_PAGE_POOL, rx->pp);
	/*
	 * The pool learns the ring's xdp_rxq in fpgaeth_qp_start(), on the
	 * live ring: this may be a ring of a set still being built, whose
	 * xdp_rxq is copied into the live one and then unregistered.
	 */
	return xdp_rxq_info_reg_mem_model(&rx->xdp_rxq,
					  MEM_TYPE_XSK_BUFF_POOL, NULL);
}

/**
 * fpgaeth_xsk_rx_refill - post UMEM buffers in every free RX descriptor
 * @qp: queue pair with an XSK pool, in its NAPI context (or stopped)
 *
 * If the fill ring runs dry the ring stays partly filled: with
 * need_wakeup the socket is told (and its wakeup polls again), else the
 * refill timer retries.
 */
void fpgaeth_xsk_rx_refill(struct fpgaeth_qp *qp)
{
	struct fpgaeth_ring *ring = &qp->rx;
	struct xsk_buff_pool *pool = ring->xsk_pool;
	unsigned int n = fpgaeth_ring_unused(ring);
	unsigned int len = fpgaeth_xsk_buf_len(pool);
	unsigned int mask = ring->size - 1;
	unsigned int tail = ring->tail;
	bool empty = false;

	while (n--) {
		struct fpgaeth_desc *desc = fpgaeth_desc(ring, tail);
		struct xdp_buff *xdp = xsk_buff_alloc(pool);

		if (!xdp) {
			empty = true;
			break;
		}
		ring->rx_xsk[tail] = xdp;
		desc->addr = cpu_to_le64(xsk_buff_xdp_get_dma(xdp));
		desc->len = cpu_to_le16(len);
		desc->flags = 0;
		/* as fpgaeth_rx_refill(): a DONE the device did not write */
		desc->rx_posted = cpu_to_le32(FPGAETH_RXD_POSTED);
		tail = (tail + 1) & mask;
	}
	if (tail != ring->tail) {
		ring->tail = tail;
		/* writel() orders the descriptors before the doorbell. */
		writel(tail, qp->regs + FPGAETH_Q_RX_TAIL);
	}
	if (empty) {
		u64_stats_update_begin(&ring->stats.syncp);
		ring->stats.xsk_fill_empty++;
		u64_stats_update_end(&ring->stats.syncp);
	}
	if (xsk_uses_need_wakeup(pool)) {
		if (empty)
			xsk_set_rx_need_wakeup(pool);
		else
			xsk_clear_rx_need_wakeup(pool);
	} else if (empty) {
		mod_timer(&qp->refill_timer, jiffies + max(HZ / 100, 1));
	}
}

/**
 * fpgaeth_xsk_rx_put - give every posted UMEM buffer back to the pool
 * @rx: a stopped, idle RX ring with an XSK pool
 */
void fpgaeth_xsk_rx_put(struct fpgaeth_ring *rx)
{
	unsigned int i;

	for (i = 0; i < rx->size; i++) {
		if (rx->rx_xsk[i])
			xsk_buff_free(rx->rx_xsk[i]);
		rx->rx_xsk[i] = NULL;
	}
}

/* XDP_PASS: the frame (and its metadata) copied into an skb */
static struct sk_buff *fpgaeth_xsk_skb(struct fpgaeth_qp *qp,
				       struct xdp_buff *xdp)
{
	unsigned int meta = xdp->data - xdp->data_meta;
	unsigned int len = xdp->data_end - xdp->data_meta;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&qp->napi, len);
	if (likely(skb)) {
		skb_put_data(skb, xdp->data_meta, len);
		if (meta) {
			__skb_pull(skb, meta);
			skb_metadata_set(skb, meta);
		}
	}
	xsk_buff_free(xdp);
	return skb;
}

/*
 * Run the program on a frame in a UMEM buffer. Returns XDP_PASS (the
 * buffer still the caller's), or another action with the buffer consumed.
 */
static u32 fpgaeth_xsk_run(struct fpgaeth_qp *qp, struct bpf_prog *prog,
			   struct xdp_buff *xdp, struct fpgaeth_xdp_counts *c)
{
	struct net_device *ndev = qp->priv->ndev;
	u32 act;

	if (!prog)
		return XDP_PASS;
	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		return act;
	case XDP_REDIRECT:
		if (likely(!xdp_do_redirect(ndev, xdp, prog))) {
			c->redirect++;
			return act;
		}
		break;
	case XDP_TX:
		/* consumes the buffer, sent or not */
		if (likely(!fpgaeth_xdp_tx_zc(qp, xdp))) {
			c->tx++;
			return act;
		}
		trace_xdp_exception(ndev, prog, act);
		c->errors++;
		return act;
	case XDP_DROP:
		c->drop++;
		xsk_buff_free(xdp);
		return act;
	default:
		bpf_warn_invalid_xdp_action(ndev, prog, act);
		break;
	case XDP_ABORTED:
		break;
	}
	trace_xdp_exception(ndev, prog, act);
	c->errors++;
	xsk_buff_free(xdp);
	return act;
}

/*
 * Whether a written-back length is one the device may write into a UMEM
 * buffer of the ring, for a frame that fits it.
 */
static bool fpgaeth_xsk_len_ok(struct fpgaeth_qp *qp, unsigned int len,
			       bool eop)
{
	unsigned int max = fpgaeth_xsk_buf_len(qp->rx.xsk_pool);

	if (likely(eop && len >= ETH_HLEN && len <= max))
		return true;
	netdev_warn_once(qp->priv->ndev,
			 "RX queue %u (AF_XDP): write-back length %u%s, buffer %u: frame dropped\n",
			 qp->idx, len, eop ? "" : " without EOP", max);
	return false;
}

/* The stack's frame (XDP_PASS), copied out of the UMEM buffer */
static bool fpgaeth_xsk_pass(struct fpgaeth_qp *qp, struct xdp_buff *xdp,
			     const struct fpgaeth_rx_wb *wb, u16 status)
{
	struct net_device *ndev = qp->priv->ndev;
	struct sk_buff *skb = fpgaeth_xsk_skb(qp, xdp);

	if (unlikely(!skb))
		return false;
	fpgaeth_rx_offloads(ndev, skb, wb, status, true);
	skb->protocol = eth_type_trans(skb, ndev);
	skb_record_rx_queue(skb, qp->idx);
	napi_gro_receive(&qp->napi, skb);
	return true;
}

/* Fold one poll's counts into the ring's counters */
static void fpgaeth_xsk_rx_count(struct fpgaeth_ring *ring, unsigned int pkts,
				 unsigned int bytes, unsigned int passed,
				 unsigned int errors,
				 const struct fpgaeth_xdp_counts *xc)
{
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.packets += pkts;
	ring->stats.bytes += bytes;
	ring->stats.errors += errors;
	ring->stats.csum_none += passed;
	ring->stats.xdp_drop += xc->drop;
	ring->stats.xdp_tx += xc->tx;
	ring->stats.xdp_redirect += xc->redirect;
	ring->stats.xdp_errors += xc->errors;
	u64_stats_update_end(&ring->stats.syncp);
}

/**
 * fpgaeth_xsk_rx_clean - receive up to @budget frames into UMEM buffers
 * @qp: queue pair with an XSK pool, in its NAPI context
 * @budget: frames we may take
 *
 * The ordering rules of fpgaeth_rx_clean(): DONE, dma_rmb(), the rest.
 *
 * Return: frames taken.
 */
int fpgaeth_xsk_rx_clean(struct fpgaeth_qp *qp, int budget)
{
	struct bpf_prog *prog = READ_ONCE(qp->priv->xdp_prog);
	struct fpgaeth_ring *ring = &qp->rx;
	unsigned int pkts = 0, bytes = 0, passed = 0, errors = 0;
	unsigned int mask = ring->size - 1;
	unsigned int head = ring->head;
	struct fpgaeth_xdp_counts xc = {};
	int done = 0;

	while (done < budget && head != ring->tail) {
		const struct fpgaeth_rx_wb *wb = (struct fpgaeth_rx_wb *)ring->desc + head;
		struct fpgaeth_xdp_buff *ctx;
		struct xdp_buff *xdp;
		unsigned int len;
		u16 status;
		bool eop;
		int res;

		res = fpgaeth_rx_wb_done(wb, &status);
		if (res <= 0) {
			if (res < 0)
				fpgaeth_rx_stale(qp, head);
			break;
		}
		ring->stale_at = 0;

		xdp = ring->rx_xsk[head];
		ring->rx_xsk[head] = NULL;
		head = (head + 1) & mask;
		len = le16_to_cpu(wb->len);
		eop = status & FPGAETH_RXD_EOP;

		/* a frame in several buffers: dropped, up to its EOP */
		if (unlikely(ring->skb_bad || !fpgaeth_xsk_len_ok(qp, len, eop))) {
			xsk_buff_free(xdp);
			ring->skb_bad = !eop;
			if (eop) {
				done++;
				errors++;
			}
			continue;
		}
		done++;
		pkts++;
		bytes += len;
		xsk_buff_set_size(xdp, len);
		xsk_buff_dma_sync_for_cpu(xdp);
		/* for the metadata kfuncs: the buffer is an xdp_buff_xsk */
		XSK_CHECK_PRIV_TYPE(struct fpgaeth_xdp_buff);
		ctx = container_of(xdp, struct fpgaeth_xdp_buff, xdp);
		ctx->wb = wb;
		ctx->status = status;
		ctx->frame = xdp->data;
		if (fpgaeth_xsk_run(qp, prog, xdp, &xc) != XDP_PASS)
			continue;
		if (fpgaeth_xsk_pass(qp, xdp, wb, status))
			passed++;
		else
			errors++;
	}

	ring->head = head;
	if (xc.redirect)
		xdp_do_flush();
	fpgaeth_xsk_rx_refill(qp);
	if (done)
		fpgaeth_xsk_rx_count(ring, pkts, bytes, passed, errors, &xc);
	return done;
}

/* Put one socket frame on the TX ring; the caller rings the doorbell */
static void fpgaeth_xsk_post(struct fpgaeth_ring *ring,
			     struct xsk_buff_pool *pool,
			     const struct xdp_desc *xd)
{
	unsigned int idx = ring->tail;
	struct fpgaeth_tx_buf *buf = &ring->tx_buf[idx];
	struct fpgaeth_desc *desc = fpgaeth_desc(ring, idx);
	dma_addr_t dma = xsk_buff_raw_get_dma(pool, xd->addr);

	xsk_buff_raw_dma_sync_for_device(pool, dma, xd->len);
	fpgaeth_tx_desc_fill(ring, idx, dma, xd->len, false);
	buf->skb = NULL;
	buf->xdpf = NULL;
	buf->type = FPGAETH_TX_XSK;
	buf->len = 0;		/* the pool's mapping: nothing to unmap */
	buf->ndesc = 1;
	buf->bytes = xd->len;
	desc->flags = cpu_to_le16(FPGAETH_TXD_EOP);
	/* Pairs with fpgaeth_tx_unrung_done(). */
	smp_store_release(&ring->tail, (idx + 1) & (ring->size - 1));
}

/**
 * fpgaeth_xsk_xmit - move frames from the socket's TX ring to the pair's
 * @qp: queue pair with an XSK pool, in its NAPI context
 * @budget: frames at most
 *
 * Return: true if the budget ran out (more may be waiting: poll again).
 */
bool fpgaeth_xsk_xmit(struct fpgaeth_qp *qp, unsigned int budget)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct fpgaeth_ring *ring = &qp->tx;
	struct xsk_buff_pool *pool = ring->xsk_pool;
	struct netdev_queue *txq = netdev_get_tx_queue(priv->ndev, qp->idx);
	unsigned int sent = 0;
	struct xdp_desc xd;

	__netif_tx_lock(txq, smp_processor_id());
	if (fpgaeth_xdp_txq_ok(priv, qp->idx, txq)) {
		/* descriptor lengths: the socket layer keeps them in a chunk */
		while (sent < budget &&
		       fpgaeth_ring_unused(ring) > FPGAETH_TX_STOP_THRESH &&
		       xsk_tx_peek_desc(pool, &xd)) {
			fpgaeth_xsk_post(ring, pool, &xd);
			sent++;
		}
	}
	if (sent) {
		xsk_tx_release(pool);
		/* not a hung queue to the TX watchdog */
		txq_trans_cond_update(txq);
		fpgaeth_tx_doorbell(qp);
		u64_stats_update_begin(&ring->stats.xmit_syncp);
		ring->stats.xsk_xmit += sent;
		u64_stats_update_end(&ring->stats.xmit_syncp);
	}
	__netif_tx_unlock(txq);

	if (xsk_uses_need_wakeup(pool))
		xsk_set_tx_need_wakeup(pool);
	return sent == budget;
}

/**
 * fpgaeth_xsk_wakeup - ndo_xsk_wakeup: the socket has work for queue @q
 * @ndev: the interface
 * @q: queue pair
 * @flags: XDP_WAKEUP_RX and/or XDP_WAKEUP_TX (one NAPI serves both)
 *
 * Return: 0, -ENETDOWN if the datapath is stopped, or -EINVAL if the pair
 * has no zero-copy pool.
 */
int fpgaeth_xsk_wakeup(struct net_device *ndev, u32 q, u32 flags)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_qp *qp;

	if (!netif_running(ndev) || !READ_ONCE(priv->up))
		return -ENETDOWN;
	if (q >= READ_ONCE(priv->num_qp))
		return -EINVAL;
	qp = &priv->qp[q];
	if (!READ_ONCE(qp->rx.xsk_pool))
		return -EINVAL;
	/* a running poll polls again; a disabled NAPI is not scheduled */
	if (!napi_if_scheduled_mark_missed(&qp->napi)) {
		local_bh_disable();
		napi_schedule(&qp->napi);
		local_bh_enable();
	}
	return 0;
}

/*
 * Take a pool off rings that keep it after a failed reset (the IP may
 * still access them, fpgaeth_rings_install() keeps them): its RX buffers
 * and TX frames go back to it, and nothing points at it any more. The
 * pair's NAPI is disabled (the datapath stopped).
 */
static void fpgaeth_xsk_forget(struct fpgaeth_qp *qp)
{
	struct fpgaeth_ring *tx = &qp->tx, *rx = &qp->rx;
	unsigned int i, frames = 0;

	if (rx->xsk_pool && rx->rx_xsk)
		fpgaeth_xsk_rx_put(rx);
	for (i = 0; tx->xsk_pool && tx->tx_buf && i < tx->size; i++) {
		if (tx->tx_buf[i].type == FPGAETH_TX_XSK) {
			tx->tx_buf[i].type = FPGAETH_TX_SKB;
			frames++;
		}
	}
	if (frames)
		xsk_tx_completed(tx->xsk_pool, frames);
	WRITE_ONCE(tx->xsk_pool, NULL);
	WRITE_ONCE(rx->xsk_pool, NULL);
}

/*
 * Queue pair @q did not stop for a pool change (fpgaeth_qp_halt() timed
 * out): the IP may still access its buffers. The whole IP is reset now, its
 * rings built again without a pool on @q: an attach then fails, a detach
 * is done (the core frees the pool after it whatever the driver returns,
 * so nothing may keep pointing at it).
 */
static void fpgaeth_xsk_stuck(struct fpgaeth_priv *priv, u16 q)
{
	priv->xsk_pools[q] = NULL;
	if (fpgaeth_reset_ip(priv, "a queue pair did not stop"))
		fpgaeth_xsk_forget(&priv->qp[q]);
}

/*
 * Switch running pair @q, stopped, to @pool on its own rings: a detach
 * for which no new rings could be allocated (it must not fail).
 */
static int fpgaeth_xsk_switch_in_place(struct fpgaeth_priv *priv, u16 q,
				       struct xsk_buff_pool *pool)
{
	struct fpgaeth_qp *qp = &priv->qp[q];
	struct fpgaeth_ring *rx = &qp->rx;
	int err;

	err = fpgaeth_qp_halt(qp, false);
	if (err) {
		fpgaeth_xsk_stuck(priv, q);
		return pool ? err : 0;
	}
	priv->xsk_pools[q] = pool;
	WRITE_ONCE(qp->tx.xsk_pool, pool);
	WRITE_ONCE(rx->xsk_pool, pool);
	xdp_rxq_info_unreg_mem_model(&rx->xdp_rxq);
	err = fpgaeth_xsk_rxq_mem_model(rx);
	if (err) {
		/* back to the page pool, which cannot fail to register */
		priv->xsk_pools[q] = NULL;
		WRITE_ONCE(qp->tx.xsk_pool, NULL);
		WRITE_ONCE(rx->xsk_pool, NULL);
		xdp_rxq_info_reg_mem_model(&rx->xdp_rxq, MEM_TYPE_PAGE_POOL,
					   rx->pp);
	}
	fpgaeth_qp_resume(qp);
	return err;
}

/*
 * Give queue pair @q the pool @pool (NULL: none). A running pair is
 * restarted on new rings built with the pool (fpgaeth_qp_restart()), the
 * others keep running; a pair that does not stop: fpgaeth_xsk_stuck().
 */
static int fpgaeth_xsk_switch(struct fpgaeth_priv *priv, u16 q,
			      struct xsk_buff_pool *pool)
{
	struct xsk_buff_pool *old = priv->xsk_pools[q];
	int err;

	priv->xsk_pools[q] = pool;
	if (!netif_running(priv->ndev) || !priv->up || q >= priv->num_qp)
		return 0;
	err = fpgaeth_qp_restart(priv, q, false);
	if (err == -ETIMEDOUT) {
		fpgaeth_xsk_stuck(priv, q);
		return pool ? err : 0;
	}
	if (err && pool) {
		priv->xsk_pools[q] = old;
		return err;
	}
	return err ? fpgaeth_xsk_switch_in_place(priv, q, pool) : 0;
}

/**
 * fpgaeth_xsk_pool_setup - ndo_bpf XDP_SETUP_XSK_POOL: attach or detach
 * an AF_XDP zero-copy buffer pool on a queue pair
 * @priv: device
 * @pool: the pool, or NULL to detach the pair's pool
 * @q: queue pair
 * @extack: for the reason of a refusal
 *
 * Under RTNL. A detach does not fail: the core frees the pool after it.
 * If the pair does not stop, the whole IP is reset at once, without the
 * pool; an attach then fails.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_xsk_pool_setup(struct fpgaeth_priv *priv,
			   struct xsk_buff_pool *pool, u16 q,
			   struct netlink_ext_ack *extack)
{
	struct net_device *ndev = priv->ndev;
	struct xsk_buff_pool *old;
	int err;

	ASSERT_RTNL();
	if (q >= priv->max_qp || q >= ndev->real_num_rx_queues ||
	    q >= ndev->real_num_tx_queues) {
		NL_SET_ERR_MSG_MOD(extack, "no such queue");
		return -EINVAL;
	}
	old = priv->xsk_pools[q];
	if (!pool) {
		if (!old)
			return -EINVAL;
		/*
		 * The pair is off the pool even if its XDP memory model could
		 * not be registered again: the reset rebuilds that with the
		 * rings.
		 */
		if (fpgaeth_xsk_switch(priv, q, NULL))
			fpgaeth_schedule_full_reset(priv);
		xsk_pool_dma_unmap(old, 0);
		return 0;
	}

	if (old)
		return -EBUSY;
	if (!fpgaeth_xsk_pool_fits(pool, ndev->mtu)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "UMEM frames of %u bytes too small for MTU %u",
				       xsk_pool_get_rx_frame_size(pool),
				       ndev->mtu);
		return -EOPNOTSUPP;
	}
	err = xsk_pool_dma_map(pool, priv->dev, 0);
	if (err)
		return err;
	err = fpgaeth_xsk_switch(priv, q, pool);
	if (err)
		xsk_pool_dma_unmap(pool, 0);
	return err;
}
