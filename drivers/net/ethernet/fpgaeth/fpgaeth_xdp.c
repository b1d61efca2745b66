// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth native XDP: the program's verdict on each received frame, the
 * XDP_TX and ndo_xdp_xmit transmit path, and attaching a program.
 *
 * Buffers: every RX buffer is a page of the queue pair's page pool with
 * XDP_PACKET_HEADROOM in front and room for the skb_shared_info behind, a
 * program attached or not. A frame longer than one buffer spans several
 * descriptors; the program sees it as a multi-buffer xdp_buff (its first
 * buffer, the others as frags in the first page's skb_shared_info), which
 * only a program loaded with BPF_F_XDP_HAS_FRAGS ("xdp.frags") accepts:
 * another program is refused at an MTU whose frames need more than one
 * buffer, and so is such an MTU while it is attached. With a program the pools
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
 * smp_processor_id() % num_qp. An XDP frame takes one descriptor per
 * non-empty buffer (at most CAP2.TX_MAX_DESCS with CAP1.TX_SG, one
 * without: a multi-buffer frame is then refused), and XDP always leaves
 * FPGAETH_TX_STOP_THRESH descriptors free: the stack's
 * transmit, which stops the queue below that, never finds the ring full
 * because of XDP, and XDP sends nothing on a stopped queue (full, or
 * stopped by fpgaeth_hw_stop()). XDP frames do not count for BQL.
 *
 * Metadata: a program may read the IP's RSS hash of the frame
 * (bpf_xdp_metadata_rx_hash(), fpgaeth_xdp_rx_hash()), on page pool and
 * AF_XDP zero-copy queues alike: every xdp_buff the program sees is a
 * struct fpgaeth_xdp_buff that points at the frame's write-back.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/dma-mapping.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/unaligned.h>
#include <net/page_pool/helpers.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "fpgaeth.h"
#include "fpgaeth_compat.h"

/* whether an MTU's frames (with a VLAN tag, as MAX_FRAME_LEN allows) fit one RX buffer */
static bool fpgaeth_xdp_mtu_ok(struct fpgaeth_priv *priv, unsigned int mtu)
{
	return mtu + ETH_HLEN + VLAN_HLEN <= priv->rx_buf_len;
}

/**
 * fpgaeth_xdp_prog_ok - whether a program may see the frames of an MTU
 * @priv: device
 * @prog: the program, or NULL
 * @mtu: the MTU
 *
 * Return: true if there is no program, it takes multi-buffer frames
 * (BPF_F_XDP_HAS_FRAGS), or a frame of that MTU fits one RX buffer.
 */
bool fpgaeth_xdp_prog_ok(struct fpgaeth_priv *priv, struct bpf_prog *prog,
			 unsigned int mtu)
{
	return !prog || prog->aux->xdp_has_frags ||
	       fpgaeth_xdp_mtu_ok(priv, mtu);
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
 * Map one buffer of an XDP frame into descriptor @idx: XDP_TX buffers are
 * pages of the queue pair's pool, mapped by it DMA_BIDIRECTIONAL (the
 * descriptor's state keeps length 0: nothing to unmap); ndo_xdp_xmit
 * buffers are mapped here (@frag: a frag of the frame, else @data).
 */
static int fpgaeth_xdp_map(struct fpgaeth_priv *priv,
			   struct fpgaeth_ring *ring, unsigned int idx,
			   enum fpgaeth_tx_type type, void *data,
			   const skb_frag_t *frag, unsigned int len)
{
	struct page *page;
	dma_addr_t dma;

	if (type == FPGAETH_TX_XDP_TX) {
		page = frag ? skb_frag_page(frag) : virt_to_page(data);
		dma = page_pool_get_dma_addr(page) +
		      (frag ? skb_frag_off(frag) : offset_in_page(data));
		dma_sync_single_for_device(priv->dev, dma, len,
					   DMA_BIDIRECTIONAL);
		fpgaeth_tx_desc_fill(ring, idx, dma, len, false);
		ring->tx_buf[idx].len = 0;
		return 0;
	}
	if (frag)
		dma = skb_frag_dma_map(priv->dev, frag, 0, len, DMA_TO_DEVICE);
	else
		dma = dma_map_single(priv->dev, data, len, DMA_TO_DEVICE);
	if (unlikely(dma_mapping_error(priv->dev, dma)))
		return -ENOMEM;
	fpgaeth_tx_desc_fill(ring, idx, dma, len, !!frag);
	return 0;
}

/*
 * Whether the device may send an XDP frame: its first buffer holds the
 * Ethernet header, it needs at most priv->tx_max_descs descriptors (one
 * per buffer, one in all without TX_SG; the device would discard a longer
 * frame), no buffer is
 * longer than a descriptor's LEN says, and the whole is at most
 * MAX_FRAME.
 */
static bool fpgaeth_xdp_frame_ok(struct fpgaeth_priv *priv,
				 struct xdp_frame *xdpf, unsigned int nr_frags)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_frame(xdpf);
	unsigned int i;

	if (xdpf->len < ETH_HLEN || nr_frags >= priv->tx_max_descs ||
	    xdp_get_frame_len(xdpf) > priv->max_frame)
		return false;
	for (i = 0; i < nr_frags; i++)
		if (skb_frag_size(&sinfo->frags[i]) > U16_MAX)
			return false;
	return true;
}

/*
 * Put one XDP frame on a TX ring, its queue's xmit lock held: a descriptor
 * per non-empty buffer, EOP on the last; the caller rings the doorbell.
 * Returns 0 or a negative errno, the frame not taken (nothing mapped).
 */
static int fpgaeth_xdp_post(struct fpgaeth_priv *priv,
			    struct fpgaeth_ring *ring, struct xdp_frame *xdpf,
			    enum fpgaeth_tx_type type)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_frame(xdpf);
	unsigned int nr_frags = xdp_frame_has_frags(xdpf) ? sinfo->nr_frags : 0;
	unsigned int mask = ring->size - 1, first = ring->tail;
	unsigned int idx = first, ndesc = 0, i;
	struct fpgaeth_tx_buf *buf = &ring->tx_buf[first];
	int err;

	if (unlikely(!fpgaeth_xdp_frame_ok(priv, xdpf, nr_frags)))
		return -EINVAL;
	if (fpgaeth_ring_unused(ring) < FPGAETH_TX_STOP_THRESH + nr_frags + 1)
		return -ENOSPC;

	err = fpgaeth_xdp_map(priv, ring, idx, type, xdpf->data, NULL,
			      xdpf->len);
	if (unlikely(err))
		return err;
	ndesc++;
	for (i = 0; i < nr_frags; i++) {
		const skb_frag_t *frag = &sinfo->frags[i];

		/* LEN 0 would make the device discard the frame */
		if (!skb_frag_size(frag))
			continue;
		idx = (idx + 1) & mask;
		err = fpgaeth_xdp_map(priv, ring, idx, type, NULL, frag,
				      skb_frag_size(frag));
		if (unlikely(err))
			goto unmap;
		ndesc++;
	}
	fpgaeth_desc(ring, idx)->flags = cpu_to_le16(FPGAETH_TXD_EOP);

	buf->skb = NULL;
	buf->xdpf = xdpf;
	buf->type = type;
	buf->ndesc = ndesc;
	buf->bytes = xdp_get_frame_len(xdpf);
	/* Pairs with fpgaeth_tx_unrung_done(). */
	smp_store_release(&ring->tail, (idx + 1) & mask);
	return 0;

unmap:
	for (i = first; ndesc--; i = (i + 1) & mask)
		fpgaeth_tx_unmap(priv->dev, &ring->tx_buf[i]);
	return err;
}

/**
 * fpgaeth_xdp_txq_ok - whether XDP or AF_XDP may use a TX queue now
 * @priv: device
 * @q: queue pair
 * @txq: its netdev TX queue, whose xmit lock the caller holds
 *
 * The datapath runs, the queue is in use and the driver has not stopped
 * it (full, or by fpgaeth_hw_stop() or fpgaeth_qp_halt(), which stop it
 * under its lock before the ring is reclaimed). BQL's stop (STACK_XOFF)
 * only limits the stack's bytes in flight: XDP frames are outside BQL and
 * the caller keeps FPGAETH_TX_STOP_THRESH descriptors free.
 *
 * Return: true if the caller may put frames on the ring.
 */
bool fpgaeth_xdp_txq_ok(struct fpgaeth_priv *priv, unsigned int q,
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

/* Send one XDP frame out on the queue pair's own TX ring. */
static int fpgaeth_xdp_tx_frame(struct fpgaeth_qp *qp, struct xdp_frame *xdpf,
				enum fpgaeth_tx_type type)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct netdev_queue *txq = netdev_get_tx_queue(priv->ndev, qp->idx);
	int err = -ENETDOWN;

	__netif_tx_lock(txq, smp_processor_id());
	if (fpgaeth_xdp_txq_ok(priv, qp->idx, txq)) {
		err = fpgaeth_xdp_post(priv, &qp->tx, xdpf, type);
		if (!err) {
			/* not a hung queue to the TX watchdog */
			txq_trans_cond_update(txq);
			fpgaeth_tx_doorbell(qp);
		}
	}
	__netif_tx_unlock(txq);
	return err;
}

/* XDP_TX: send the frame back out on the queue pair's own TX ring. */
static int fpgaeth_xdp_tx(struct fpgaeth_qp *qp, struct xdp_buff *xdp)
{
	struct xdp_frame *xdpf = xdp_convert_buff_to_frame(xdp);

	if (unlikely(!xdpf))
		return -EOVERFLOW;
	return fpgaeth_xdp_tx_frame(qp, xdpf, FPGAETH_TX_XDP_TX);
}

/**
 * fpgaeth_xdp_tx_zc - XDP_TX of a frame in an AF_XDP zero-copy buffer
 * @qp: queue pair, in its NAPI context
 * @xdp: the frame, in a UMEM buffer of the pair's XSK pool
 *
 * The frame is copied into a page of its own (xdp_convert_buff_to_frame()
 * gives the UMEM buffer back to the pool) and sent as ndo_xdp_xmit's
 * frames are, mapped by the driver: the socket gets its buffer back at
 * once, as it would after an XDP_DROP.
 *
 * Return: 0, or a negative errno; the buffer is consumed either way.
 */
int fpgaeth_xdp_tx_zc(struct fpgaeth_qp *qp, struct xdp_buff *xdp)
{
	struct xdp_frame *xdpf = xdp_convert_buff_to_frame(xdp);
	int err;

	if (unlikely(!xdpf)) {
		xsk_buff_free(xdp);
		return -ENOMEM;
	}
	err = fpgaeth_xdp_tx_frame(qp, xdpf, FPGAETH_TX_XDP_XMIT);
	if (unlikely(err))
		xdp_return_frame(xdpf);
	return err;
}

/*
 * Run the program on a whole frame, in the ring's NAPI context. Returns
 * XDP_PASS, or another action with every buffer of the frame consumed:
 * sent, redirected or back in the pool.
 */
static u32 fpgaeth_xdp_run(struct fpgaeth_qp *qp, struct bpf_prog *prog,
			   struct xdp_buff *xdp, struct fpgaeth_xdp_counts *c)
{
	struct net_device *ndev = qp->priv->ndev;
	unsigned int len = xdp_get_buff_len(xdp);
	u32 act;

	/* the MTU keeps frames in one buffer for such a program */
	if (unlikely(xdp_buff_has_frags(xdp) && !prog->aux->xdp_has_frags)) {
		netdev_warn_once(ndev,
				 "RX queue %u: multi-buffer frame for a program without frags: dropped\n",
				 qp->idx);
		act = XDP_ABORTED;
		goto err;
	}

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		return act;
	case XDP_DROP:
		c->drop++;
		xdp_return_buff(xdp);
		goto out;
	case XDP_TX:
		if (likely(!fpgaeth_xdp_tx(qp, xdp))) {
			c->tx++;
			goto out;
		}
		break;
	case XDP_REDIRECT:
		if (likely(!xdp_do_redirect(ndev, xdp, prog))) {
			c->redirect++;
			goto out;
		}
		break;
	default:
		bpf_warn_invalid_xdp_action(ndev, prog, act);
		break;
	case XDP_ABORTED:
		break;
	}
	trace_xdp_exception(ndev, prog, act);
err:
	c->errors++;
	xdp_return_buff(xdp);
out:
	c->frames++;
	c->bytes += len;
	return act;
}

/*
 * An skb on a passed frame's buffers, as the program left them: the first
 * buffer's page is the head (its skb_shared_info already holds the frags),
 * every page goes back to its pool when the skb is freed.
 */
static struct sk_buff *fpgaeth_xdp_build_skb(struct xdp_buff *xdp)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	unsigned int meta = xdp->data - xdp->data_meta;
	u8 nr_frags = xdp_buff_has_frags(xdp) ? sinfo->nr_frags : 0;
	struct sk_buff *skb;

	/* read before napi_build_skb() clears the shared info's count */
	skb = napi_build_skb(xdp->data_hard_start, xdp->frame_sz);
	if (unlikely(!skb))
		return NULL;
	skb_mark_for_recycle(skb);
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	__skb_put(skb, xdp->data_end - xdp->data);
	if (meta)
		skb_metadata_set(skb, meta);
	if (nr_frags)
		fpgaeth_xdp_skb_frags(skb, xdp, nr_frags);
	return skb;
}

/**
 * fpgaeth_xdp_rx_put - give back the buffers of a frame being assembled
 * @ring: RX ring whose @xdp holds buffers (@xdp_pending), or none
 * @napi: in the ring's NAPI context
 */
void fpgaeth_xdp_rx_put(struct fpgaeth_ring *ring, bool napi)
{
	struct xdp_buff *xdp = &ring->xdp.xdp;
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	unsigned int i;

	if (!ring->xdp_pending)
		return;
	ring->xdp_pending = false;
	if (xdp_buff_has_frags(xdp))
		for (i = 0; i < sinfo->nr_frags; i++)
			page_pool_put_full_page(ring->pp,
						skb_frag_page(&sinfo->frags[i]),
						napi);
	page_pool_put_full_page(ring->pp, virt_to_page(xdp->data_hard_start),
				napi);
}

/* Add a buffer to the frame being assembled; false: the page not taken */
static bool fpgaeth_xdp_rx_add(struct fpgaeth_qp *qp, struct page *page,
			       unsigned int len)
{
	struct fpgaeth_ring *ring = &qp->rx;
	struct xdp_buff *xdp = &ring->xdp.xdp;

	if (!ring->xdp_pending) {
		xdp_init_buff(xdp, PAGE_SIZE, &ring->xdp_rxq);
		xdp_prepare_buff(xdp, page_address(page), FPGAETH_RX_HEADROOM,
				 len, true);
		ring->xdp.frame = xdp->data;
		ring->xdp_pending = true;
		return true;
	}
	if (unlikely(xdp_get_buff_len(xdp) + len > qp->priv->max_frame ||
		     !fpgaeth_xdp_add_frag(xdp, page, FPGAETH_RX_HEADROOM,
					   len))) {
		netdev_warn_once(qp->priv->ndev,
				 "RX queue %u: frame longer than %u bytes: dropped\n",
				 qp->idx, qp->priv->max_frame);
		return false;
	}
	return true;
}

/**
 * fpgaeth_xdp_rx_buf - take one received buffer for the XDP program
 * @qp: queue pair, in its NAPI context
 * @prog: the program (fpgaeth_xdp_prog()), or NULL if it was detached
 *        while the frame was being assembled: the frame passes
 * @page: the buffer's page, synced for the CPU
 * @len: bytes at FPGAETH_RX_HEADROOM, checked against the buffer's size
 * @eop: the frame's last buffer: the program runs on the whole frame
 * @c: the verdicts of this poll
 *
 * The buffers of a frame are assembled in the ring's @xdp, across polls
 * if need be. On XDP_PASS the frame becomes the ring's @skb, which the
 * caller delivers at this EOP.
 *
 * Return: 1 if the program consumed the frame, 0 if the buffer was taken
 * (the frame is complete with the ring's @skb set or @skb_bad set, or
 * more buffers are to come), -1 if the frame must be dropped (@page not
 * taken).
 */
int fpgaeth_xdp_rx_buf(struct fpgaeth_qp *qp, struct bpf_prog *prog,
		       struct page *page, unsigned int len, bool eop,
		       struct fpgaeth_xdp_counts *c)
{
	struct fpgaeth_ring *ring = &qp->rx;
	struct xdp_buff *xdp = &ring->xdp.xdp;

	if (!fpgaeth_xdp_rx_add(qp, page, len))
		return -1;
	if (!eop)
		return 0;

	ring->xdp_pending = false;
	if (prog && fpgaeth_xdp_run(qp, prog, xdp, c) != XDP_PASS)
		return 1;
	ring->skb = fpgaeth_xdp_build_skb(xdp);
	if (unlikely(!ring->skb)) {
		u64_stats_update_begin(&ring->stats.syncp);
		ring->stats.alloc_fail++;
		u64_stats_update_end(&ring->stats.syncp);
		xdp_return_buff(xdp);
		ring->skb_bad = true;
	}
	return 0;
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
			fpgaeth_tx_doorbell(qp);
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
	if (!fpgaeth_xdp_prog_ok(priv, prog, ndev->mtu)) {
		/* at most 80 characters with the module's name */
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "MTU %u needs a program with frags (xdp.frags): %u at most",
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

/*
 * The xdp_rss_hash_type of a frame the IP hashed (@hash_type 1 or 2), from
 * the fields it hashed by (programming model, "RSS"): the EtherType and IP
 * version, the IPv4 protocol or IPv6 Next Header. The IP writes back only
 * "addresses" or "addresses and ports"; the rest is read from the frame as
 * received (bytes 12 to 23, inside any RX buffer: the program may have
 * moved its data, not the buffer). A frame whose header the program
 * rewrote in place gets only what the write-back says.
 */
static enum xdp_rss_hash_type fpgaeth_xdp_rss_type(const u8 *frame,
						   u32 hash_type)
{
	u16 proto = get_unaligned_be16(frame + 2 * ETH_ALEN);
	u8 version = frame[ETH_HLEN] >> 4;
	enum xdp_rss_hash_type type;
	u8 l4;

	if (proto == ETH_P_IP && version == 4) {
		type = XDP_RSS_L3_IPV4;
		l4 = frame[ETH_HLEN + offsetof(struct iphdr, protocol)];
	} else if (proto == ETH_P_IPV6 && version == 6) {
		type = XDP_RSS_L3_IPV6;
		l4 = frame[ETH_HLEN + offsetof(struct ipv6hdr, nexthdr)];
	} else {
		return hash_type == FPGAETH_RXD_HASH_L4 ? XDP_RSS_TYPE_L4_ANY :
							  XDP_RSS_TYPE_NONE;
	}
	if (hash_type != FPGAETH_RXD_HASH_L4)
		return type;
	type |= XDP_RSS_L4;
	if (l4 == IPPROTO_TCP)
		type |= XDP_RSS_L4_TCP;
	else if (l4 == IPPROTO_UDP)
		type |= XDP_RSS_L4_UDP;
	return type;
}

/*
 * xmo_rx_hash, bpf_xdp_metadata_rx_hash(): the RSS hash the IP wrote back
 * for the frame, and its type. -ENODATA if the IP computed none (HASH_TYPE
 * 0: not IP, VLAN-tagged, RSS absent), if HASH_TYPE is the reserved 3, or
 * if rxhash is off (ethtool -K ... rxhash off: the IP still steers).
 */
static int fpgaeth_xdp_rx_hash(const struct xdp_md *_ctx, u32 *hash,
			       enum xdp_rss_hash_type *rss_type)
{
	const struct fpgaeth_xdp_buff *ctx = (void *)_ctx;
	u32 hash_type;

	hash_type = fpgaeth_rx_hash(ctx->xdp.rxq->dev, ctx->wb, ctx->status,
				    hash);
	if (!hash_type)
		return -ENODATA;
	*rss_type = fpgaeth_xdp_rss_type(ctx->frame, hash_type);
	return 0;
}

const struct xdp_metadata_ops fpgaeth_xdp_metadata_ops = {
	.xmo_rx_hash = fpgaeth_xdp_rx_hash,
};

/**
 * fpgaeth_ndo_bpf - ndo_bpf: attach or detach an XDP program or an
 * AF_XDP zero-copy buffer pool (fpgaeth_xsk.c)
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
	case XDP_SETUP_XSK_POOL:
		return fpgaeth_xsk_pool_setup(netdev_priv(ndev),
					      bpf->xsk.pool,
					      bpf->xsk.queue_id,
					      bpf->extack);
	default:
		return -EINVAL;
	}
}
