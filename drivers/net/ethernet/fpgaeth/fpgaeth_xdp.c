// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth native XDP: the program's verdict on each received frame, the
 * XDP_TX and ndo_xdp_xmit transmit path, and attaching a program.
 *
 * Buffers: every RX buffer is a page of the queue pair's page pool with
 * XDP_PACKET_HEADROOM in front and room for the skb_shared_info behind, a
 * program attached or not. A frame must fit one buffer while a program is
 * attached (no multi-buffer XDP): attaching is refused above that MTU, and
 * so is such an MTU while a program is attached. With a program the pools
 * map their pages DMA_BIDIRECTIONAL, since XDP_TX sends a page straight
 * from the pool; attaching a program to a running interface therefore
 * rebuilds the rings through fpgaeth_reconfigure(), which waits for the
 * queues to go idle before anything is freed. Detaching or replacing a
 * program changes only the pointer (the pools stay bidirectional until
 * the next rebuild), so a detach cannot fail.
 *
 * TX: XDP_TX and ndo_xdp_xmit put their frames on the queue pairs' TX
 * rings, the ones the stack transmits on, under the ring's netdev TX queue
 * lock (__netif_tx_lock()), as stmmac and igc do: XDP_TX on its RX queue
 * pair's ring (completion then runs in the NAPI context that owns the
 * page's pool, which takes the page back directly), ndo_xdp_xmit on ring
 * smp_processor_id() % num_qp. An XDP frame takes one descriptor, and XDP
 * always leaves FPGAETH_TX_STOP_THRESH descriptors free: the stack's
 * transmit, which stops the queue below that, never finds the ring full
 * because of XDP, and XDP sends nothing on a stopped queue (full, or
 * stopped by fpgaeth_hw_stop()). XDP frames do not count for BQL.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/dma-mapping.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/page_pool/helpers.h>
#include <net/xdp.h>

#include "fpgaeth.h"

/**
 * fpgaeth_xdp_mtu_ok - whether an MTU's frames fit one RX buffer
 * @priv: device
 * @mtu: the MTU
 *
 * Return: true if a frame of that MTU (with a VLAN tag, as MAX_FRAME_LEN
 * allows) fits one RX buffer, the condition for attaching a program.
 */
bool fpgaeth_xdp_mtu_ok(struct fpgaeth_priv *priv, unsigned int mtu)
{
	return mtu + ETH_HLEN + VLAN_HLEN <= priv->rx_buf_len;
}

/**
 * fpgaeth_xdp_prog - the program to run on an RX ring's frames
 * @qp: queue pair, in its NAPI context
 *
 * Return: the program attached, or NULL if there is none or the ring's
 * pool was built without one (DMA_FROM_DEVICE: its pages cannot be sent;
 * this is the window of an attach while the new rings are being built).
 */
struct bpf_prog *fpgaeth_xdp_prog(struct fpgaeth_qp *qp)
{
	struct bpf_prog *prog = READ_ONCE(qp->priv->xdp_prog);

	if (prog && qp->rx.pp->p.dma_dir != DMA_BIDIRECTIONAL)
		return NULL;
	return prog;
}

/*
 * Put one XDP frame on a TX ring, its queue's xmit lock held; the caller
 * rings the doorbell. Returns 0 or a negative errno, the frame not taken.
 */
static int fpgaeth_xdp_post(struct fpgaeth_priv *priv,
			    struct fpgaeth_ring *ring, struct xdp_frame *xdpf,
			    enum fpgaeth_tx_type type)
{
	unsigned int idx = ring->tail;
	struct fpgaeth_tx_buf *buf = &ring->tx_buf[idx];
	struct fpgaeth_desc *desc = fpgaeth_desc(ring, idx);
	struct page *page;
	dma_addr_t dma;

	if (unlikely(xdp_frame_has_frags(xdpf) || xdpf->len < ETH_HLEN ||
		     xdpf->len > priv->max_frame))
		return -EINVAL;
	if (fpgaeth_ring_unused(ring) <= FPGAETH_TX_STOP_THRESH)
		return -ENOSPC;

	if (type == FPGAETH_TX_XDP_TX) {
		/* the pool's own mapping, DMA_BIDIRECTIONAL */
		page = virt_to_page(xdpf->data);
		dma = page_pool_get_dma_addr(page) +
		      offset_in_page(xdpf->data);
		dma_sync_single_for_device(priv->dev, dma, xdpf->len,
					   DMA_BIDIRECTIONAL);
		buf->len = 0;
	} else {
		dma = dma_map_single(priv->dev, xdpf->data, xdpf->len,
				     DMA_TO_DEVICE);
		if (unlikely(dma_mapping_error(priv->dev, dma)))
			return -ENOMEM;
		buf->dma = dma;
		buf->len = xdpf->len;
		buf->is_page = false;
	}
	buf->skb = NULL;
	buf->xdpf = xdpf;
	buf->type = type;
	buf->ndesc = 1;
	buf->bytes = xdpf->len;

	desc->addr = cpu_to_le64(dma);
	desc->len = cpu_to_le16(xdpf->len);
	desc->flags = cpu_to_le16(FPGAETH_TXD_EOP);
	desc->csum_start = 0;
	desc->csum_offset = 0;
	/* Pairs with smp_load_acquire() in fpgaeth_tx_clean(). */
	smp_store_release(&ring->tail, (idx + 1) & (ring->size - 1));
	return 0;
}

/*
 * Whether XDP may use TX queue pair @q now: the datapath runs, the queue
 * is in use and the driver has not stopped it (full, or by
 * fpgaeth_hw_stop() or a pair's recovery, which stop it under its lock
 * before the ring is reclaimed). BQL's stop (STACK_XOFF) only limits the
 * stack's bytes in flight: XDP frames are outside BQL and the caller keeps
 * FPGAETH_TX_STOP_THRESH descriptors free. Under the queue's lock.
 */
static bool fpgaeth_xdp_txq_ok(struct fpgaeth_priv *priv, unsigned int q,
			       struct netdev_queue *txq)
{
	return READ_ONCE(priv->up) && q < READ_ONCE(priv->num_qp) &&
	       !netif_tx_queue_stopped(txq);
}

/**
 * fpgaeth_xdp_tx_free - give a completed or abandoned XDP frame back
 * @buf: the frame's first (only) descriptor's state
 * @napi: called from the NAPI context of the TX ring's queue pair, which
 *        owns the page pool of its XDP_TX frames
 */
void fpgaeth_xdp_tx_free(struct fpgaeth_tx_buf *buf, bool napi)
{
	if (buf->type == FPGAETH_TX_XDP_TX && napi)
		xdp_return_frame_rx_napi(buf->xdpf);
	else
		xdp_return_frame(buf->xdpf);
	buf->xdpf = NULL;
}

/* XDP_TX: send the frame back out on the queue pair's own TX ring. */
static int fpgaeth_xdp_tx(struct fpgaeth_qp *qp, struct xdp_buff *xdp)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct netdev_queue *txq = netdev_get_tx_queue(priv->ndev, qp->idx);
	struct xdp_frame *xdpf = xdp_convert_buff_to_frame(xdp);
	int err = -ENETDOWN;

	if (unlikely(!xdpf))
		return -EOVERFLOW;

	__netif_tx_lock(txq, smp_processor_id());
	if (fpgaeth_xdp_txq_ok(priv, qp->idx, txq)) {
		err = fpgaeth_xdp_post(priv, &qp->tx, xdpf, FPGAETH_TX_XDP_TX);
		if (!err) {
			/* not a hung queue to the TX watchdog */
			txq_trans_cond_update(txq);
			/* writel() orders the descriptor before the doorbell */
			writel(qp->tx.tail, qp->regs + FPGAETH_Q_TX_TAIL);
		}
	}
	__netif_tx_unlock(txq);
	return err;
}

/**
 * fpgaeth_xdp_rx - run the XDP program on a received single-buffer frame
 * @qp: queue pair, in its NAPI context
 * @prog: the program (fpgaeth_xdp_prog())
 * @page: the frame's page, synced for the CPU
 * @len: the frame's length at FPGAETH_RX_HEADROOM
 * @xdp: filled with the frame as the program left it
 * @c: the verdicts of this poll, one added
 *
 * Return: XDP_PASS (the caller builds the skb from @xdp), or another
 * action with the page consumed: sent, redirected or back in the pool.
 */
int fpgaeth_xdp_rx(struct fpgaeth_qp *qp, struct bpf_prog *prog,
		   struct page *page, unsigned int len,
		   struct xdp_buff *xdp, struct fpgaeth_xdp_counts *c)
{
	struct net_device *ndev = qp->priv->ndev;
	u32 act;

	xdp_init_buff(xdp, PAGE_SIZE, &qp->rx.xdp_rxq);
	xdp_prepare_buff(xdp, page_address(page), FPGAETH_RX_HEADROOM, len,
			 true);

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		return act;
	case XDP_DROP:
		c->drop++;
		page_pool_recycle_direct(qp->rx.pp, page);
		return act;
	case XDP_TX:
		if (likely(!fpgaeth_xdp_tx(qp, xdp))) {
			c->tx++;
			return act;
		}
		break;
	case XDP_REDIRECT:
		if (likely(!xdp_do_redirect(ndev, xdp, prog))) {
			c->redirect++;
			return act;
		}
		break;
	default:
		bpf_warn_invalid_xdp_action(ndev, prog, act);
		break;
	case XDP_ABORTED:
		break;
	}
	trace_xdp_exception(ndev, prog, act);
	c->errors++;
	page_pool_recycle_direct(qp->rx.pp, page);
	return act;
}

/**
 * fpgaeth_xdp_xmit - ndo_xdp_xmit: send frames redirected to the interface
 * @ndev: the interface
 * @n: number of frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH: ring the doorbell (it is rung in any case)
 *
 * Return: frames taken (the caller frees the others), or a negative errno.
 */
int fpgaeth_xdp_xmit(struct net_device *ndev, int n, struct xdp_frame **frames,
		     u32 flags)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q = smp_processor_id() % READ_ONCE(priv->num_qp);
	struct netdev_queue *txq = netdev_get_tx_queue(ndev, q);
	struct fpgaeth_qp *qp = &priv->qp[q];
	struct fpgaeth_ring *ring = &qp->tx;
	int sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	__netif_tx_lock(txq, smp_processor_id());
	if (fpgaeth_xdp_txq_ok(priv, q, txq)) {
		while (sent < n && !fpgaeth_xdp_post(priv, ring, frames[sent],
						     FPGAETH_TX_XDP_XMIT))
			sent++;
		if (sent) {
			txq_trans_cond_update(txq);
			writel(ring->tail, qp->regs + FPGAETH_Q_TX_TAIL);
		}
	}
	u64_stats_update_begin(&ring->stats.xmit_syncp);
	ring->stats.xdp_xmit += sent;
	ring->stats.xdp_xmit_errors += n - sent;
	u64_stats_update_end(&ring->stats.xmit_syncp);
	__netif_tx_unlock(txq);
	return sent;
}

/*
 * Attach, replace or detach the program. Attaching to a running interface
 * rebuilds its rings (see the top of this file).
 */
static int fpgaeth_xdp_setup(struct fpgaeth_priv *priv, struct bpf_prog *prog,
			     struct netlink_ext_ack *extack)
{
	struct net_device *ndev = priv->ndev;
	struct bpf_prog *old = priv->xdp_prog;
	int err;

	ASSERT_RTNL();
	if (prog && !fpgaeth_xdp_mtu_ok(priv, ndev->mtu)) {
		/* at most 80 characters with the module's name */
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "MTU %u too large for single-buffer XDP: %u at most",
				       ndev->mtu,
				       priv->rx_buf_len - ETH_HLEN - VLAN_HLEN);
		return -EOPNOTSUPP;
	}

	WRITE_ONCE(priv->xdp_prog, prog);
	/*
	 * Only an attach rebuilds the rings (their pools must map pages
	 * bidirectionally for XDP_TX); a detach or a replacement swaps the
	 * pointer, so that removing a program cannot fail for want of memory.
	 */
	if (prog && !old && netif_running(ndev) && priv->up) {
		err = fpgaeth_reconfigure(priv, priv->num_qp,
					  priv->tx_ring_size,
					  priv->rx_ring_size, extack);
		if (err) {
			WRITE_ONCE(priv->xdp_prog, old);
			return err;
		}
	}
	/* NAPI reads the pointer under RCU; the program is freed after it */
	if (old)
		bpf_prog_put(old);
	return 0;
}

/**
 * fpgaeth_ndo_bpf - ndo_bpf: attach or detach an XDP program
 * @ndev: the interface
 * @bpf: the command
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_ndo_bpf(struct net_device *ndev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return fpgaeth_xdp_setup(netdev_priv(ndev), bpf->prog,
					 bpf->extack);
	default:
		return -EINVAL;
	}
}
