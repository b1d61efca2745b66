// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth packet path: the descriptor rings, transmit, TX completion and
 * receive. A frame goes fpgaeth_start_xmit() -> TX ring -> doorbell, and
 * comes back in fpgaeth_napi_poll() -> fpgaeth_tx_clean(); a received
 * frame goes interrupt -> fpgaeth_napi_poll() -> fpgaeth_rx_clean() ->
 * napi_gro_receive(), or to the XDP program (fpgaeth_xdp.c) if one is
 * attached. The descriptor formats and the ordering rules are
 * those of Documentation/fpgaeth/programming-model.rst.
 */
#include <linux/bitfield.h>
#include <linux/dim.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>
#include <linux/log2.h>
#include <linux/skbuff.h>
#include <net/netdev_queues.h>
#include <net/page_pool/helpers.h>
#include <net/xdp_sock_drv.h>

#include "fpgaeth.h"
#include "fpgaeth_compat.h"

/* TX frames reclaimed per poll at most */
#define FPGAETH_TX_CLEAN_MAX	256
/* Retry an RX refill the page pool could not complete after this long */
#define FPGAETH_RX_REFILL_RETRY	max(HZ / 100, 1)

/**
 * fpgaeth_tx_unmap - unmap one TX descriptor's buffer, if mapped
 * @dev: the device
 * @buf: the descriptor's state; length 0: nothing mapped by the driver
 */
void fpgaeth_tx_unmap(struct device *dev, struct fpgaeth_tx_buf *buf)
{
	if (!buf->len)
		return;
	if (buf->is_page)
		dma_unmap_page(dev, buf->dma, buf->len, DMA_TO_DEVICE);
	else
		dma_unmap_single(dev, buf->dma, buf->len, DMA_TO_DEVICE);
	buf->len = 0;
}

/* Counters of the transmit path, under the queue's xmit lock */
static void fpgaeth_tx_count(struct fpgaeth_ring *ring, u64 *counter)
{
	u64_stats_update_begin(&ring->stats.xmit_syncp);
	(*counter)++;
	u64_stats_update_end(&ring->stats.xmit_syncp);
}

/**
 * fpgaeth_tx_desc_fill - write one TX descriptor, FLAGS 0, and its state
 * @ring: TX ring
 * @idx: the descriptor
 * @dma: bus address of the buffer
 * @len: bytes in it
 * @is_page: mapped with dma_map_page() rather than dma_map_single()
 */
void fpgaeth_tx_desc_fill(struct fpgaeth_ring *ring, unsigned int idx,
			  dma_addr_t dma, unsigned int len, bool is_page)
{
	struct fpgaeth_desc *desc = fpgaeth_desc(ring, idx);
	struct fpgaeth_tx_buf *buf = &ring->tx_buf[idx];

	buf->dma = dma;
	buf->len = len;
	buf->is_page = is_page;
	desc->addr = cpu_to_le64(dma);
	desc->len = cpu_to_le16(len);
	desc->flags = 0;
	desc->csum_start = 0;
	desc->csum_offset = 0;
}

/*
 * Map a frame into descriptors from the ring's tail on: one per non-empty
 * buffer (the linear part, then each fragment); the first carries the
 * checksum request, the last EOP. Returns the descriptors used, or 0 with
 * nothing left mapped if a mapping failed or the frame is empty.
 */
static unsigned int fpgaeth_tx_map(struct fpgaeth_priv *priv,
				   struct fpgaeth_ring *ring,
				   struct sk_buff *skb)
{
	unsigned int nfrags = skb_shinfo(skb)->nr_frags;
	unsigned int mask = ring->size - 1;
	unsigned int first = ring->tail;
	unsigned int idx = first, ndesc = 0, len, i;
	struct fpgaeth_desc *desc;
	dma_addr_t dma;
	u16 csum = 0;

	len = skb_headlen(skb);
	if (len) {
		dma = dma_map_single(priv->dev, skb->data, len, DMA_TO_DEVICE);
		if (unlikely(dma_mapping_error(priv->dev, dma)))
			return 0;
		fpgaeth_tx_desc_fill(ring, idx, dma, len, false);
		ndesc++;
	}
	for (i = 0; i < nfrags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		len = skb_frag_size(frag);
		if (!len)
			continue;
		if (ndesc)
			idx = (idx + 1) & mask;
		dma = skb_frag_dma_map(priv->dev, frag, 0, len, DMA_TO_DEVICE);
		if (unlikely(dma_mapping_error(priv->dev, dma)))
			goto unmap;
		fpgaeth_tx_desc_fill(ring, idx, dma, len, true);
		ndesc++;
	}
	if (unlikely(!ndesc))
		return 0;

	/*
	 * The first descriptor carries the checksum request, the last ends
	 * the frame: FLAGS stored once each, never read back (an uncached
	 * read on a non-coherent SoC).
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		desc = fpgaeth_desc(ring, first);
		csum = FPGAETH_TXD_CSUM;
		if (idx != first)
			desc->flags = cpu_to_le16(csum);
		desc->csum_start = cpu_to_le16(skb_checksum_start_offset(skb));
		desc->csum_offset = cpu_to_le16(skb->csum_offset);
	}
	desc = fpgaeth_desc(ring, idx);
	desc->flags = cpu_to_le16(csum | FPGAETH_TXD_EOP);
	return ndesc;

unmap:
	/* Undo the mappings of this frame, from its first descriptor on. */
	for (i = first; ndesc--; i = (i + 1) & mask)
		fpgaeth_tx_unmap(priv->dev, &ring->tx_buf[i]);
	return 0;
}

/**
 * fpgaeth_start_xmit - put one frame on its queue's TX ring
 * @skb: the frame
 * @ndev: the interface
 *
 * A frame with more buffers than the IP takes for one frame
 * (CAP2.TX_MAX_DESCS) is linearised first. The doorbell (TX_TAIL) is
 * written once per batch: when the stack has no more frames for us right
 * now (netdev_xmit_more()) or the queue stopped.
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY if the ring was full (which the
 * stop threshold keeps from happening).
 */
netdev_tx_t fpgaeth_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q = skb_get_queue_mapping(skb);
	struct fpgaeth_qp *qp = &priv->qp[q];
	struct fpgaeth_ring *ring = &qp->tx;
	struct netdev_queue *txq = netdev_get_tx_queue(ndev, q);
	unsigned int first = ring->tail, ndesc;

	/* The queue stops with room for the largest frame: never true. */
	if (unlikely(!netif_txq_maybe_stop(txq, fpgaeth_ring_unused(ring),
					   FPGAETH_TX_STOP_THRESH,
					   FPGAETH_TX_WAKE_THRESH))) {
		fpgaeth_tx_count(ring, &ring->stats.stop);
		/* Frames batched before this one still need their doorbell. */
		fpgaeth_tx_doorbell(qp);
		return NETDEV_TX_BUSY;
	}

	if (unlikely(skb_shinfo(skb)->nr_frags >= priv->tx_max_descs) &&
	    skb_linearize(skb))
		goto drop;
	ndesc = fpgaeth_tx_map(priv, ring, skb);
	if (unlikely(!ndesc))
		goto drop;

	ring->tx_buf[first].skb = skb;
	ring->tx_buf[first].type = FPGAETH_TX_SKB;
	ring->tx_buf[first].ndesc = ndesc;
	ring->tx_buf[first].bytes = skb->len;
	skb_tx_timestamp(skb);

	/* Pairs with fpgaeth_tx_unrung_done(). */
	smp_store_release(&ring->tail, (first + ndesc) & (ring->size - 1));

	if (netif_txq_maybe_stop(txq, fpgaeth_ring_unused(ring),
				 FPGAETH_TX_STOP_THRESH,
				 FPGAETH_TX_WAKE_THRESH) != 1)
		fpgaeth_tx_count(ring, &ring->stats.stop);

	/* With xmit_more the frame waits for a later doorbell. */
	if (__netdev_tx_sent_queue(txq, skb->len, netdev_xmit_more()))
		fpgaeth_tx_doorbell(qp);

	return NETDEV_TX_OK;

drop:
	dev_kfree_skb_any(skb);
	fpgaeth_tx_count(ring, &ring->stats.dropped);
	/* Frames batched before this one still need their doorbell. */
	if (!netdev_xmit_more())
		fpgaeth_tx_doorbell(qp);
	return NETDEV_TX_OK;
}

/*
 * The TX clean stopped at @idx, the last doorbell (@hw_tail as it read it).
 * A frame written there since, not handed over yet (xmit_more defers the
 * doorbell), cannot have been sent: DONE in its EOP is a completion the
 * device made up (programming model, "Completions past TAIL"). Taking it
 * would free buffers the device is still to read once the doorbell comes,
 * and no DONE of the ring can be trusted after it: nothing more is taken,
 * the lie is counted and the pair recovered. Returns true if the doorbell
 * moved meanwhile: the frame was handed over, poll again.
 */
static bool fpgaeth_tx_unrung_done(struct fpgaeth_qp *qp, unsigned int idx)
{
	struct fpgaeth_ring *ring = &qp->tx;
	unsigned int ndesc;
	u16 flags;

	/* Pairs with smp_store_release() in the transmit paths. */
	if (smp_load_acquire(&ring->tail) == idx)
		return false;
	ndesc = ring->tx_buf[idx].ndesc;
	flags = le16_to_cpu(READ_ONCE(fpgaeth_desc(ring, (idx + ndesc - 1) &
						   (ring->size - 1))->flags));
	if (!(flags & FPGAETH_TXD_DONE))
		return false;
	/*
	 * A doorbell written since @hw_tail was read may have handed the frame
	 * over, and the device completed it: the doorbell's @hw_tail was
	 * stored before it, so it is seen after that DONE.
	 */
	rmb();
	if (READ_ONCE(ring->hw_tail) != idx)
		return true;

	ring->lied = true;
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.hw_errors++;
	u64_stats_update_end(&ring->stats.syncp);
	netdev_err(qp->priv->ndev, "TX queue %u: DONE in descriptor %u, past the last doorbell (TAIL %u): completions no longer taken, recovering the pair\n",
		   qp->idx, (idx + ndesc - 1) & (ring->size - 1), idx);
	fpgaeth_schedule_qp_recovery(qp->priv, qp->idx);
	return false;
}

/*
 * Reclaim the frames the device has written back. A frame is done when
 * the device has set DONE in its EOP descriptor, the only descriptor it
 * writes; ERR there means it discarded the frame. Only frames handed over
 * (before @hw_tail) are looked at. Returns true if the budget ran out with
 * completed frames possibly left: a frame still in flight is not work for
 * this poll, its completion raises the interrupt (under the coalescing
 * rules) once IRQ_ENABLE is set again. XDP frames share the ring (see
 * fpgaeth_xdp.c) but not BQL.
 */
static bool fpgaeth_tx_clean(struct fpgaeth_qp *qp, int napi_budget)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct fpgaeth_ring *ring = &qp->tx;
	struct netdev_queue *txq = netdev_get_tx_queue(priv->ndev, qp->idx);
	unsigned int bql_pkts = 0, bql_bytes = 0, pkts = 0, bytes = 0;
	unsigned int frames = 0;
	unsigned int mask = ring->size - 1;
	unsigned int head = ring->head;
	unsigned int hw_tail, errors = 0, xsk_frames = 0;
	bool more = false;

	if (unlikely(ring->lied))
		return false;
	/* Pairs with smp_store_release() in fpgaeth_tx_doorbell(). */
	hw_tail = smp_load_acquire(&ring->hw_tail);
	while (head != hw_tail && frames < FPGAETH_TX_CLEAN_MAX) {
		struct fpgaeth_tx_buf *buf = &ring->tx_buf[head];
		struct sk_buff *skb = buf->skb;
		unsigned int ndesc = buf->ndesc, i;
		struct fpgaeth_desc *eop;
		u16 flags;

		if (WARN_ON_ONCE(!skb && !buf->xdpf &&
				 buf->type != FPGAETH_TX_XSK))
			break;
		/* netpoll may run in hard IRQ: no page pool, XDP waits */
		if (!skb && !napi_budget)
			break;
		eop = fpgaeth_desc(ring, (head + ndesc - 1) & mask);
		flags = le16_to_cpu(READ_ONCE(eop->flags));
		if (!(flags & FPGAETH_TXD_DONE))
			break;
		/* taken: a DONE seen there later is no completion (scan_free) */
		WRITE_ONCE(eop->flags, cpu_to_le16(flags & ~FPGAETH_TXD_DONE));

		if (unlikely(flags & FPGAETH_TXD_ERR)) {
			errors++;
		} else {
			pkts++;
			bytes += buf->bytes;
		}
		frames++;

		for (i = 0; i < ndesc; i++)
			fpgaeth_tx_unmap(priv->dev,
					 &ring->tx_buf[(head + i) & mask]);
		if (skb) {
			bql_pkts++;
			bql_bytes += buf->bytes;
			buf->skb = NULL;
			napi_consume_skb(skb, napi_budget);
		} else if (buf->type == FPGAETH_TX_XSK) {
			buf->type = FPGAETH_TX_SKB;
			xsk_frames++;
		} else {
			fpgaeth_xdp_tx_free(buf, true);
		}
		head = (head + ndesc) & mask;
	}
	if (head == hw_tail)
		more = fpgaeth_tx_unrung_done(qp, head);

	if (!frames)
		return more;
	/* AF_XDP: the socket's frames complete in the order it gave them */
	if (xsk_frames)
		xsk_tx_completed(ring->xsk_pool, xsk_frames);

	/*
	 * Read locklessly by fpgaeth_start_xmit() through fpgaeth_ring_unused();
	 * the DONE bits cleared before: pairs with fpgaeth_tx_scan_free().
	 */
	smp_wmb();
	WRITE_ONCE(ring->head, head);
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.packets += pkts;
	ring->stats.bytes += bytes;
	ring->stats.errors += errors;
	u64_stats_update_end(&ring->stats.syncp);

	/* frames, not bql_pkts: XDP completions may wake the queue too */
	if (!netif_txq_completed_wake(txq, frames, bql_bytes,
				      fpgaeth_ring_unused(ring),
				      FPGAETH_TX_WAKE_THRESH)) {
		u64_stats_update_begin(&ring->stats.syncp);
		ring->stats.wake++;
		u64_stats_update_end(&ring->stats.syncp);
	}

	return more || frames == FPGAETH_TX_CLEAN_MAX;
}

/*
 * Take a DONE that fpgaeth_tx_scan_free() saw in descriptor @idx: under the
 * queue's xmit lock, so that @tail stays and no descriptor is written
 * meanwhile, if @idx is still free (the lockless look may have raced a
 * fill: a frame handed over since gets its DONE rightly) and DONE still
 * set, clear it and count it. Returns whether it was counted.
 */
static bool fpgaeth_tx_take_dup(struct fpgaeth_qp *qp, unsigned int idx)
{
	struct netdev_queue *txq = netdev_get_tx_queue(qp->priv->ndev, qp->idx);
	struct fpgaeth_ring *ring = &qp->tx;
	struct fpgaeth_desc *desc = fpgaeth_desc(ring, idx);
	unsigned int mask = ring->size - 1, head, nfree;
	bool dup = false;
	u16 flags;

	__netif_tx_lock_bh(txq);
	/* the DONE bits of the frames taken are clear before @head moves */
	head = smp_load_acquire(&ring->head);
	nfree = fpgaeth_ring_free_span(ring, ring->tail, head);
	flags = le16_to_cpu(READ_ONCE(desc->flags));
	if (((idx - ring->tail) & mask) < nfree && (flags & FPGAETH_TXD_DONE)) {
		WRITE_ONCE(desc->flags, cpu_to_le16(flags & ~FPGAETH_TXD_DONE));
		fpgaeth_tx_count(ring, &ring->stats.wb_dup);
		dup = true;
	}
	__netif_tx_unlock_bh(txq);
	return dup;
}

/**
 * fpgaeth_tx_scan_free - look for completions in a pair's free TX descriptors
 * @qp: queue pair of a running interface (the service check, under RTNL:
 *      the rings stay as they are)
 *
 * The TX clean clears DONE in the EOP descriptor of each frame it takes, so
 * DONE in a descriptor the driver has not written since (from @tail up to
 * @head) is a write-back of no frame handed over (programming model,
 * "Completions past TAIL"): a second write-back of a frame taken (whose
 * first DONE may have come before the device read its buffers), or DONE
 * past TAIL. Nothing of it is used: it is counted (@wb_dup, in hw_errors),
 * reported and cleared. The look is lockless, so transmit goes on; a hit
 * is taken under the xmit lock (fpgaeth_tx_take_dup()), and reported after.
 * The transmit paths do not read FLAGS (an uncached read per descriptor on
 * a non-coherent SoC), so a DONE the driver overwrites before this check
 * goes unseen.
 */
void fpgaeth_tx_scan_free(struct fpgaeth_qp *qp)
{
	struct fpgaeth_ring *ring = &qp->tx;
	unsigned int mask = ring->size - 1, idx, head, n;
	struct fpgaeth_desc *desc;

	ASSERT_RTNL();
	/* the DONE bits of the frames taken are clear before @head moves */
	head = smp_load_acquire(&ring->head);
	idx = READ_ONCE(ring->tail);
	n = fpgaeth_ring_free_span(ring, idx, head);
	for (; n--; idx = (idx + 1) & mask) {
		desc = fpgaeth_desc(ring, idx);
		if (likely(!(READ_ONCE(desc->flags) &
			     cpu_to_le16(FPGAETH_TXD_DONE))))
			continue;
		if (fpgaeth_tx_take_dup(qp, idx) && __ratelimit(&qp->wb_dup_rs))
			netdev_err(qp->priv->ndev, "TX queue %u: DONE in free descriptor %u: a completion of no frame handed over (written again, or past TAIL)\n",
				   qp->idx, idx);
	}
}

/*
 * Post a page from the pool in every free RX descriptor and ring the
 * doorbell once. If the pool runs dry the ring stays partly filled (or
 * empty): the device drops a frame it has too few buffers for, with no
 * interrupt, so the refill is retried from a timer rather than by polling
 * on (which would spin in softirq while memory is short).
 */
static void fpgaeth_rx_refill(struct fpgaeth_qp *qp)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct fpgaeth_ring *ring = &qp->rx;
	unsigned int n = fpgaeth_ring_unused(ring);
	unsigned int mask = ring->size - 1;
	unsigned int tail = ring->tail;
	bool posted = false;

	if (ring->xsk_pool) {
		fpgaeth_xsk_rx_refill(qp);
		return;
	}
	while (n--) {
		struct fpgaeth_desc *desc = fpgaeth_desc(ring, tail);
		struct page *page;

		page = page_pool_dev_alloc_pages(ring->pp);
		if (unlikely(!page)) {
			u64_stats_update_begin(&ring->stats.syncp);
			ring->stats.alloc_fail++;
			u64_stats_update_end(&ring->stats.syncp);
			mod_timer(&qp->refill_timer,
				  jiffies + FPGAETH_RX_REFILL_RETRY);
			break;
		}
		ring->rx_page[tail] = page;
		desc->addr = cpu_to_le64(page_pool_get_dma_addr(page) +
					 FPGAETH_RX_HEADROOM);
		desc->len = cpu_to_le16(priv->rx_buf_len);
		desc->flags = 0;
		desc->rx_posted = cpu_to_le32(FPGAETH_RXD_POSTED);
		tail = (tail + 1) & mask;
		posted = true;
	}

	if (posted) {
		ring->tail = tail;
		/* writel() orders the descriptors before the doorbell. */
		writel(tail, qp->regs + FPGAETH_Q_RX_TAIL);
	}
}

/* The RX ring could not be filled: poll again, which refills it. */
static void fpgaeth_refill_timer(struct timer_list *t)
{
	struct fpgaeth_qp *qp = fpgaeth_timer_container_of(qp, t, refill_timer);

	napi_schedule(&qp->napi);
}

/**
 * fpgaeth_rx_hash - the IP's RSS hash of a received frame, if it has one
 * @ndev: the interface
 * @wb: the frame's EOP descriptor write-back
 * @status: STATUS of @wb
 * @hash: set to RSS_HASH when the frame has a hash
 *
 * None with rxhash off, for HASH_TYPE 0 (not hashed) or the reserved 3.
 *
 * Return: FPGAETH_RXD_HASH_L3 or FPGAETH_RXD_HASH_L4, or 0 (no hash).
 */
u32 fpgaeth_rx_hash(const struct net_device *ndev,
		    const struct fpgaeth_rx_wb *wb, u16 status, u32 *hash)
{
	u32 hash_type = FIELD_GET(FPGAETH_RXD_HASH_TYPE, status);

	if (!(ndev->features & NETIF_F_RXHASH) ||
	    (hash_type != FPGAETH_RXD_HASH_L3 &&
	     hash_type != FPGAETH_RXD_HASH_L4))
		return 0;
	*hash = le32_to_cpu(wb->rss_hash);
	return hash_type;
}

/**
 * fpgaeth_rx_offloads - the IP's checksum and RSS hash for a received frame
 * @ndev: the interface
 * @skb: the frame
 * @wb: its EOP descriptor's write-back
 * @status: STATUS of @wb
 * @xdp: an XDP program saw the frame and may have moved its start or
 *       rewritten it, so the IP's sum (over the frame as received) no
 *       longer holds: no CHECKSUM_COMPLETE then. The hash is kept (a
 *       rewrite of the addresses would make it stale, which the stack
 *       tolerates: it only steers).
 */
void fpgaeth_rx_offloads(struct net_device *ndev, struct sk_buff *skb,
			 const struct fpgaeth_rx_wb *wb, u16 status, bool xdp)
{
	u32 hash_type, hash;

	if ((ndev->features & NETIF_F_RXCSUM) && !xdp &&
	    (status & FPGAETH_RXD_CSUM_VALID)) {
		/*
		 * CSUM is the sum of big-endian 16-bit words from offset 14
		 * on: in the stack's terms, the be16 of that value.
		 */
		skb->csum = csum_unfold((__force __sum16)
					cpu_to_be16(le16_to_cpu(wb->csum)));
		skb->ip_summed = CHECKSUM_COMPLETE;
	}

	hash_type = fpgaeth_rx_hash(ndev, wb, status, &hash);
	if (hash_type)
		skb_set_hash(skb, hash, hash_type == FPGAETH_RXD_HASH_L4 ?
			     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
}

/*
 * Has the device written RX descriptor @wb back? Its STATUS in *@status,
 * read once: the callers use that value and never read STATUS again.
 * Returns 1 if so; 0 if not yet (no DONE); -1 for a DONE without the
 * write-back (the word the write-back zeroes still holds
 * FPGAETH_RXD_POSTED): a stale DONE, written again after the driver posted
 * the descriptor; the device writes the descriptor back when it uses it.
 */
int fpgaeth_rx_wb_done(const struct fpgaeth_rx_wb *wb, u16 *status)
{
	*status = le16_to_cpu(READ_ONCE(wb->status));
	if (!(*status & FPGAETH_RXD_DONE))
		return 0;
	dma_rmb();	/* the rest of the descriptor after DONE */
	if (unlikely(READ_ONCE(wb->posted) == cpu_to_le32(FPGAETH_RXD_POSTED)))
		return -1;
	return 1;
}

/*
 * A DONE in descriptor @idx that the device never wrote back: not taken;
 * counted (rx errors) once for that descriptor.
 */
void fpgaeth_rx_stale(struct fpgaeth_qp *qp, unsigned int idx)
{
	struct fpgaeth_ring *ring = &qp->rx;

	if (ring->stale_at == idx + 1)
		return;
	ring->stale_at = idx + 1;
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.errors++;
	u64_stats_update_end(&ring->stats.syncp);
	netdev_warn_once(qp->priv->ndev,
			 "RX queue %u: DONE in descriptor %u, which the device did not write back: ignored\n",
			 qp->idx, idx);
}

/**
 * fpgaeth_qp_wb_missing - did the device move HEAD past a frame it never
 *                         wrote back?
 * @qp: queue pair (no poll running)
 * @tx_head: the driver's TX head, read before @tx_hw
 * @tx_hw: TX_HEAD, inside [@tx_head, the last TX doorbell]
 * @rx_head: the driver's RX head, read before @rx_hw
 * @rx_hw: RX_HEAD, inside [@rx_head, RX tail]
 *
 * What it checks: the frame the driver waits for, the one at its head.
 * TX: if TX_HEAD is at or past that frame's end, its EOP descriptor must
 * have DONE. RX: if RX_HEAD is past the descriptor at the driver's head,
 * that descriptor must be written back (fpgaeth_rx_wb_done(): DONE, and
 * not a stale DONE with the POSTED marker still in place).
 *
 * Why: the device writes a frame's descriptors back before HEAD moves
 * past them (programming model, "Ownership and ordering"), and HEAD was
 * read before the descriptor, so a device that tells the truth always
 * passes. A frame HEAD passed without its write-back is a completion that
 * will never come: the datapath goes by DONE alone, and its ring would
 * wait for it for ever (the caller recovers the pair). The caller checks
 * that no poll ran meanwhile: one may have taken that frame and moved the
 * driver's head.
 *
 * Return: true if a completion is missing.
 */
bool fpgaeth_qp_wb_missing(struct fpgaeth_qp *qp, unsigned int tx_head,
			   u32 tx_hw, unsigned int rx_head, u32 rx_hw)
{
	struct fpgaeth_ring *tx = &qp->tx, *rx = &qp->rx;
	unsigned int mask = tx->size - 1, ndesc;
	struct fpgaeth_desc *eop;
	u16 status;

	if (tx_hw != tx_head) {
		ndesc = tx->tx_buf[tx_head].ndesc;
		eop = fpgaeth_desc(tx, (tx_head + ndesc - 1) & mask);
		if (ndesc && ((tx_hw - tx_head) & mask) >= ndesc &&
		    !(le16_to_cpu(READ_ONCE(eop->flags)) & FPGAETH_TXD_DONE))
			return true;
	}
	return rx_hw != rx_head &&
	       fpgaeth_rx_wb_done((struct fpgaeth_rx_wb *)rx->desc + rx_head,
				  &status) <= 0;
}

/*
 * Whether a written-back buffer's length is one the device may write
 * into the frame being assembled (ring->skb NULL: its first buffer).
 */
static bool fpgaeth_rx_len_ok(struct fpgaeth_qp *qp, unsigned int len,
			      bool eop)
{
	struct fpgaeth_priv *priv = qp->priv;
	bool first = !qp->rx.skb && !qp->rx.xdp_pending;

	/*
	 * The device writes whole buffers up to BUF_LEN, never beyond, and
	 * fills every buffer of a frame but the last; the first holds at
	 * least the Ethernet header (eth_type_trans() pulls it).
	 */
	if (unlikely(!len || len > priv->rx_buf_len ||
		     (!eop && len != priv->rx_buf_len) ||
		     (first && len < ETH_HLEN))) {
		netdev_warn_once(priv->ndev,
				 "RX queue %u: write-back length %u, buffer %u: frame dropped\n",
				 qp->idx, len, priv->rx_buf_len);
		return false;
	}
	return true;
}

/*
 * Add one written-back buffer, @len bytes at @off in @page, to the frame
 * being assembled. Returns false if the frame must be dropped.
 */
static bool fpgaeth_rx_add_buf(struct fpgaeth_qp *qp, struct page *page,
			       unsigned int off, unsigned int len)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct fpgaeth_ring *ring = &qp->rx;
	struct sk_buff *skb = ring->skb;

	if (!skb) {
		skb = napi_build_skb(page_address(page), PAGE_SIZE);
		if (unlikely(!skb)) {
			u64_stats_update_begin(&ring->stats.syncp);
			ring->stats.alloc_fail++;
			u64_stats_update_end(&ring->stats.syncp);
			return false;
		}
		skb_mark_for_recycle(skb);
		skb_reserve(skb, off);
		__skb_put(skb, len);
		ring->skb = skb;
		return true;
	}

	if (unlikely(skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS ||
		     skb->len + len > priv->max_frame)) {
		netdev_warn_once(priv->ndev,
				 "RX queue %u: frame longer than %u bytes: dropped\n",
				 qp->idx, priv->max_frame);
		return false;
	}
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, off, len,
			PAGE_SIZE);
	return true;
}

/*
 * Take one written-back buffer: into the frame the XDP program will see
 * (fpgaeth_xdp.c) while one is attached, else into the skb being
 * assembled. Returns 1 if XDP consumed the frame, 0 if the buffer was
 * taken, -1 if the frame must be dropped (the page is not taken).
 */
static int fpgaeth_rx_buf(struct fpgaeth_qp *qp, struct bpf_prog *prog,
			  struct page *page, unsigned int len, bool eop,
			  struct fpgaeth_xdp_counts *xc)
{
	struct fpgaeth_ring *ring = &qp->rx;

	if (!fpgaeth_rx_len_ok(qp, len, eop))
		return -1;
	/* The offset is from the pool's .offset, FPGAETH_RX_HEADROOM. */
	page_pool_dma_sync_for_cpu(ring->pp, page, 0, len);

	/* a frame started before a detach ends as it began */
	if (ring->xdp_pending || (prog && !ring->skb))
		return fpgaeth_xdp_rx_buf(qp, prog, page, len, eop, xc);
	return fpgaeth_rx_add_buf(qp, page, FPGAETH_RX_HEADROOM, len) ? 0 : -1;
}

/*
 * Receive up to @budget frames. The device writes a frame's data, then
 * its descriptors with the DONE word last, so once DONE is seen the rest
 * of the descriptor and the data may be read (after dma_rmb()).
 */
static int fpgaeth_rx_clean(struct fpgaeth_qp *qp, int budget)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct fpgaeth_ring *ring = &qp->rx;
	struct net_device *ndev = priv->ndev;
	unsigned int mask = ring->size - 1;
	unsigned int head = ring->head;
	unsigned int pkts = 0, bytes = 0, errors = 0;
	unsigned int csum_complete = 0;
	struct fpgaeth_xdp_counts xc = {};
	struct bpf_prog *prog = fpgaeth_xdp_prog(qp);
	int done = 0, res;

	while (done < budget && head != ring->tail) {
		const struct fpgaeth_rx_wb *wb = (struct fpgaeth_rx_wb *)ring->desc + head;
		struct sk_buff *skb;
		struct page *page;
		u16 status;

		res = fpgaeth_rx_wb_done(wb, &status);
		if (res <= 0) {
			if (res < 0)
				fpgaeth_rx_stale(qp, head);
			break;
		}
		ring->stale_at = 0;

		page = ring->rx_page[head];
		ring->rx_page[head] = NULL;
		head = (head + 1) & mask;
		/* the metadata kfuncs' write-back (fpgaeth_xdp.c): the EOP's */
		ring->xdp.wb = wb;
		ring->xdp.status = status;

		res = ring->skb_bad ? -1 :
		      fpgaeth_rx_buf(qp, prog, page, le16_to_cpu(wb->len),
				     status & FPGAETH_RXD_EOP, &xc);
		if (res > 0) {
			/*
			 * XDP took the frame (at its EOP). XDP is the stack's
			 * first layer: the frame counts as received (rx-packets
			 * of the queue statistics, xc's frames and bytes).
			 */
			done++;
			continue;
		}
		if (res < 0) {
			page_pool_recycle_direct(ring->pp, page);
			ring->skb_bad = true;
		}
		if (!(status & FPGAETH_RXD_EOP))
			continue;

		done++;
		skb = ring->skb;
		ring->skb = NULL;
		if (unlikely(ring->skb_bad)) {
			ring->skb_bad = false;
			if (skb)
				napi_consume_skb(skb, budget);
			fpgaeth_xdp_rx_put(ring, true);
			errors++;
			continue;
		}

		fpgaeth_rx_offloads(ndev, skb, wb, status, !!prog);
		if (skb->ip_summed == CHECKSUM_COMPLETE)
			csum_complete++;
		bytes += skb->len;
		skb->protocol = eth_type_trans(skb, ndev);
		skb_record_rx_queue(skb, qp->idx);
		napi_gro_receive(&qp->napi, skb);
		pkts++;
	}

	ring->head = head;
	if (xc.redirect)
		xdp_do_flush();
	fpgaeth_rx_refill(qp);

	if (pkts || errors || xc.frames) {
		u64_stats_update_begin(&ring->stats.syncp);
		ring->stats.xdp_drop += xc.drop;
		ring->stats.xdp_tx += xc.tx;
		ring->stats.xdp_redirect += xc.redirect;
		ring->stats.xdp_errors += xc.errors;
		ring->stats.packets += pkts + xc.frames;
		ring->stats.bytes += bytes + xc.bytes;
		ring->stats.errors += errors;
		ring->stats.csum_complete += csum_complete;
		ring->stats.csum_none += pkts - csum_complete;
		u64_stats_update_end(&ring->stats.syncp);
	}
	return done;
}

/**
 * fpgaeth_qp_irq - a queue pair's interrupt: TX or RX completions are ready
 * @irq: Linux interrupt number
 * @data: the queue pair
 *
 * Return: IRQ_HANDLED, or IRQ_NONE if the line was not ours or the IP
 * does not respond.
 */
irqreturn_t fpgaeth_qp_irq(int irq, void *data)
{
	struct fpgaeth_qp *qp = data;
	u32 status, pending;

	status = fpgaeth_qp_rd32(qp, FPGAETH_Q_IRQ_STATUS);
	/*
	 * All ones: the IP does not respond (see fpgaeth_misc_irq()). No
	 * poll: mask the pair, reset the IP once it answers, and leave a
	 * line that stays high to the kernel's spurious interrupt detector.
	 */
	if (unlikely(status == U32_MAX)) {
		fpgaeth_qp_wr32(qp, FPGAETH_Q_IRQ_ENABLE, 0);
		if (READ_ONCE(qp->priv->up))
			fpgaeth_schedule_full_reset(qp->priv);
		return IRQ_NONE;
	}
	pending = status & fpgaeth_qp_rd32(qp, FPGAETH_Q_IRQ_ENABLE);
	if (!pending)
		return fpgaeth_qp_irq_none(qp);
	qp->irq_unhandled = 0;

	if (unlikely(!READ_ONCE(qp->priv->up))) {
		/* The offline self-test: acknowledge. */
		fpgaeth_qp_wr32(qp, FPGAETH_Q_IRQ_STATUS, pending);
		return IRQ_HANDLED;
	}

	/* Mask the pair; fpgaeth_napi_poll() acknowledges and unmasks. */
	fpgaeth_qp_wr32(qp, FPGAETH_Q_IRQ_ENABLE, 0);
	napi_schedule_irqoff(&qp->napi);
	return IRQ_HANDLED;
}

/*
 * A queue pair whose interrupt, once enabled, stays quiet longer than this
 * is idle. The longest wait a DIM profile can add is 256 us (the largest
 * USECS of net_dim's tables), so under load the pair does not wait this
 * long, even on a slow or emulated CPU (1 ms was seen under TCG with a TCP
 * stream); below 200 interrupts per second their cost does not matter,
 * latency does.
 */
#define FPGAETH_DIM_IDLE_US	5000
/*
 * ... and brought at most this many frames (both directions) since the
 * last sample: a request and its answer, not a backlog. Without it an
 * emulated or overloaded CPU, slow between interrupts, looks idle under a
 * flood.
 */
#define FPGAETH_DIM_IDLE_FRAMES	4

/*
 * The pair was idle: put @dim back on its lowest-latency profile and start
 * it afresh, as if just enabled. DIM cannot find that profile itself: it
 * compares throughput between windows of DIM_NEVENTS interrupts, at idle
 * the throughput does not depend on the profile, and its hill climb turns
 * back and forth (or parks) wherever the last load left it, for example at
 * RX USECS 256, which every lone frame then waits.
 */
static void fpgaeth_dim_rest(struct dim *dim)
{
	dim->tune_state = DIM_GOING_RIGHT;
	dim->steps_left = 0;
	dim->steps_right = 0;
	dim->tired = 0;
	dim->prev_stats = (struct dim_stats){};
	if (dim->profile_ix || dim->state == DIM_APPLY_NEW_PROFILE) {
		/* the work reads profile_ix when it runs, and restarts DIM */
		dim->profile_ix = 0;
		dim->state = DIM_APPLY_NEW_PROFILE;
		schedule_work(&dim->work);
	} else {
		dim->state = DIM_START_MEASURE;
	}
}

static void fpgaeth_dim_feed(struct dim *dim, u64 packets, u64 bytes,
			     u16 events, bool idle)
{
	struct dim_sample sample = {};

	if (idle) {
		fpgaeth_dim_rest(dim);
		return;
	}
	dim_update_sample(events, packets, bytes, &sample);
	fpgaeth_net_dim(dim, &sample);
}

/*
 * Feed DIM one sample per served interrupt, from the poll that completed
 * NAPI. Once napi_complete_done() has returned, a refill timer, a storm
 * poll, the service check or an AF_XDP wakeup may run the next poll on
 * another CPU before this sample is done: @dim_sampling keeps one writer
 * (the other skips its sample, which DIM's averages do not miss). The pair was
 * idle when this interrupt was the first event after FPGAETH_DIM_IDLE_US
 * with the interrupt enabled: one poll since the last sample (several are
 * a busy pair polled with its interrupt masked), that long ago, and at
 * most FPGAETH_DIM_IDLE_FRAMES frames since.
 */
static void fpgaeth_dim_sample(struct fpgaeth_qp *qp)
{
	struct fpgaeth_priv *priv = qp->priv;
	bool tx = READ_ONCE(priv->tx_coal.adaptive);
	bool rx = READ_ONCE(priv->rx_coal.adaptive);
	unsigned int polls;
	ktime_t now;
	u64 frames;
	bool idle;

	if (test_and_set_bit_lock(0, &qp->dim_sampling))
		return;
	/* two counts a poll, its start and its end */
	polls = (qp->polls - qp->dim_polls) / 2;
	frames = qp->tx.stats.packets + qp->rx.stats.packets;
	qp->dim_events++;
	qp->dim_polls = qp->polls;
	if (!tx && !rx)
		goto out;
	now = ktime_get();
	idle = polls == 1 && frames - qp->dim_frames <= FPGAETH_DIM_IDLE_FRAMES &&
	       ktime_us_delta(now, qp->dim_time) > FPGAETH_DIM_IDLE_US;
	qp->dim_time = now;
	qp->dim_frames = frames;
	/* written by the pair's polls: a later one may be a frame ahead */
	if (tx)
		fpgaeth_dim_feed(&qp->tx_dim, qp->tx.stats.packets,
				 qp->tx.stats.bytes, qp->dim_events, idle);
	if (rx)
		fpgaeth_dim_feed(&qp->rx_dim, qp->rx.stats.packets,
				 qp->rx.stats.bytes, qp->dim_events, idle);
out:
	clear_bit_unlock(0, &qp->dim_sampling);
}

/*
 * The end of a poll, counted (its start is too): the service check
 * (fpgaeth_qp_check()) sees @polls move if a poll ran, even one that
 * started before it sampled @polls and ended before it looked again, which
 * may have cleared a DONE (a taken TX frame) under its feet.
 */
static void fpgaeth_poll_mark(struct fpgaeth_qp *qp)
{
	smp_wmb();	/* the ring's writes before the count */
	WRITE_ONCE(qp->polls, qp->polls + 1);
}

/**
 * fpgaeth_napi_poll - serve one queue pair
 * @napi: the queue pair's NAPI context
 * @budget: RX frames we may deliver
 *
 * IRQ_STATUS is cleared before the rings are read, and the clear read
 * back so that it has reached the device before the first descriptor is
 * read: a completion that arrives later raises the line again once
 * IRQ_ENABLE is set, none is lost between the clear and the scan.
 *
 * Return: RX frames delivered, or @budget to be polled again.
 */
int fpgaeth_napi_poll(struct napi_struct *napi, int budget)
{
	struct fpgaeth_qp *qp = container_of(napi, struct fpgaeth_qp, napi);
	bool tx_more;
	int done;

	/* odd while a poll runs: see fpgaeth_poll_mark() */
	WRITE_ONCE(qp->polls, qp->polls + 1);
	writel(FPGAETH_Q_IRQ_ALL, qp->regs + FPGAETH_Q_IRQ_STATUS);
	readl(qp->regs + FPGAETH_Q_IRQ_STATUS);

	tx_more = fpgaeth_tx_clean(qp, budget);
	/* netpoll (budget 0) may run in hard IRQ: no RX, no page pool */
	if (unlikely(!budget)) {
		fpgaeth_poll_mark(qp);
		return 0;
	}
	/* AF_XDP zero-copy (fpgaeth_xsk.c): the socket's TX ring, then RX */
	if (qp->tx.xsk_pool)
		tx_more |= fpgaeth_xsk_xmit(qp, budget);
	if (qp->rx.xsk_pool)
		done = fpgaeth_xsk_rx_clean(qp, budget);
	else
		done = fpgaeth_rx_clean(qp, budget);

	fpgaeth_poll_mark(qp);
	/* Keep polling while work is left; a ring short of buffers is not. */
	if (done >= budget || tx_more)
		return budget;

	if (napi_complete_done(napi, done)) {
		fpgaeth_dim_sample(qp);
		writel(FPGAETH_Q_IRQ_ALL, qp->regs + FPGAETH_Q_IRQ_ENABLE);
	}
	return done;
}

static int fpgaeth_ring_alloc_desc(struct fpgaeth_priv *priv,
				   struct fpgaeth_ring *ring,
				   unsigned int size)
{
	ring->desc = dma_alloc_coherent(priv->dev, size * FPGAETH_DESC_SIZE,
					&ring->desc_dma, GFP_KERNEL);
	if (!ring->desc)
		return -ENOMEM;
	ring->size = size;
	ring->head = 0;
	ring->tail = 0;
	ring->hw_tail = 0;
	/* new ring memory: nothing the device wrote in the old one counts */
	ring->lied = false;
	return 0;
}

static void fpgaeth_ring_free_desc(struct fpgaeth_priv *priv,
				   struct fpgaeth_ring *ring)
{
	if (!ring->desc)
		return;
	dma_free_coherent(priv->dev, ring->size * FPGAETH_DESC_SIZE,
			  ring->desc, ring->desc_dma);
	ring->desc = NULL;
}

static void fpgaeth_tx_ring_free(struct fpgaeth_priv *priv,
				 struct fpgaeth_ring *ring)
{
	unsigned int i, xsk_frames = 0;

	if (ring->tx_buf) {
		for (i = 0; i < ring->size; i++) {
			struct fpgaeth_tx_buf *buf = &ring->tx_buf[i];

			fpgaeth_tx_unmap(priv->dev, buf);
			if (buf->skb)
				dev_kfree_skb_any(buf->skb);
			else if (buf->xdpf)
				fpgaeth_xdp_tx_free(buf, false);
			else if (buf->type == FPGAETH_TX_XSK)
				xsk_frames++;
		}
		/* the socket gets back the frames it gave */
		if (xsk_frames)
			xsk_tx_completed(ring->xsk_pool, xsk_frames);
		kfree(ring->tx_buf);
		ring->tx_buf = NULL;
	}
	fpgaeth_ring_free_desc(priv, ring);
}

static void fpgaeth_rx_ring_free(struct fpgaeth_priv *priv,
				 struct fpgaeth_ring *ring)
{
	unsigned int i;

	if (ring->skb) {
		dev_kfree_skb_any(ring->skb);
		ring->skb = NULL;
	}
	ring->skb_bad = false;
	fpgaeth_xdp_rx_put(ring, false);
	if (ring->xsk_pool && ring->rx_xsk)
		fpgaeth_xsk_rx_put(ring);
	if (ring->rx_page) {
		for (i = 0; i < ring->size; i++)
			if (ring->rx_page[i])
				page_pool_put_full_page(ring->pp,
							ring->rx_page[i],
							false);
		kfree(ring->rx_page);
		ring->rx_page = NULL;
	}
	/* drops the reference it took on the pool */
	if (xdp_rxq_info_is_reg(&ring->xdp_rxq))
		xdp_rxq_info_unreg(&ring->xdp_rxq);
	if (ring->pp) {
		fpgaeth_pp_stats_fold(priv, ring->pp);
		page_pool_destroy(ring->pp);
		ring->pp = NULL;
	}
	fpgaeth_ring_free_desc(priv, ring);
}

/**
 * fpgaeth_qp_alloc - allocate the rings of one queue pair
 * @priv: device
 * @q: queue pair
 * @tx: zeroed ring that gets the TX ring's memory
 * @rx: zeroed ring that gets the RX ring's memory, page pool (bound to
 *      the pair's NAPI) and registered xdp_rxq
 * @tx_size: descriptors of the TX ring, a power of two
 * @rx_size: descriptors of the RX ring, a power of two
 *
 * The rings take the pair's AF_XDP pool, @priv->xsk_pools[@q]. On failure
 * what was allocated stays in @tx and @rx: fpgaeth_qp_put() frees it.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_qp_alloc(struct fpgaeth_priv *priv, unsigned int q,
		     struct fpgaeth_ring *tx, struct fpgaeth_ring *rx,
		     unsigned int tx_size, unsigned int rx_size)
{
	struct page_pool_params pp = {
		.order = 0,
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.pool_size = rx_size,
		.nid = NUMA_NO_NODE,
		.dev = priv->dev,
		.napi = &priv->qp[q].napi,
		.netdev = priv->ndev,
		.queue_idx = q,
		/* XDP_TX sends from the pool's pages: fpgaeth_xdp.c */
		.dma_dir = priv->xdp_prog ? DMA_BIDIRECTIONAL :
					    DMA_FROM_DEVICE,
		.offset = FPGAETH_RX_HEADROOM,
		.max_len = priv->rx_buf_len,
	};
	int err;

	err = fpgaeth_ring_alloc_desc(priv, tx, tx_size);
	if (err)
		return err;
	tx->tx_buf = kcalloc(tx->size, sizeof(*tx->tx_buf), GFP_KERNEL);
	if (!tx->tx_buf)
		return -ENOMEM;

	err = fpgaeth_ring_alloc_desc(priv, rx, rx_size);
	if (err)
		return err;
	rx->rx_page = kcalloc(rx->size, sizeof(*rx->rx_page), GFP_KERNEL);
	if (!rx->rx_page)
		return -ENOMEM;
	rx->pp = page_pool_create(&pp);
	if (IS_ERR(rx->pp)) {
		err = PTR_ERR(rx->pp);
		rx->pp = NULL;
		return err;
	}
	/*
	 * A frag may grow (bpf_xdp_adjust_tail) up to the end of its
	 * buffer, the part of the page the pool syncs for the device.
	 */
	err = __xdp_rxq_info_reg(&rx->xdp_rxq, priv->ndev, q,
				 priv->qp[q].napi.napi_id,
				 FPGAETH_RX_HEADROOM + priv->rx_buf_len);
	if (err)
		return err;
	/* the pair's AF_XDP zero-copy pool, if any: fpgaeth_xsk.c */
	tx->xsk_pool = priv->xsk_pools[q];
	rx->xsk_pool = priv->xsk_pools[q];
	return fpgaeth_xsk_rxq_mem_model(rx);
}

/**
 * fpgaeth_rings_free - release the rings, buffers and page pools in use
 * @priv: device whose queues are disabled and whose NAPI is stopped
 */
void fpgaeth_rings_free(struct fpgaeth_priv *priv)
{
	unsigned int q;

	for (q = 0; q < priv->num_qp; q++) {
		fpgaeth_tx_ring_free(priv, &priv->qp[q].tx);
		fpgaeth_rx_ring_free(priv, &priv->qp[q].rx);
	}
}

/**
 * fpgaeth_rings_put - release a set of rings and everything in it
 * @priv: device
 * @rings: set from fpgaeth_rings_alloc(), or holding the rings that
 *         fpgaeth_rings_swap() took off the device; may be NULL
 */
void fpgaeth_rings_put(struct fpgaeth_priv *priv, struct fpgaeth_rings *rings)
{
	unsigned int q;

	if (!rings)
		return;
	for (q = 0; q < FPGAETH_MAX_QP; q++) {
		fpgaeth_tx_ring_free(priv, &rings->tx[q]);
		fpgaeth_rx_ring_free(priv, &rings->rx[q]);
	}
	kfree(rings);
}

/**
 * fpgaeth_qp_put - release the rings of one queue pair never installed
 * @priv: device
 * @q: the queue pair they were allocated for
 * @tx: TX ring from fpgaeth_qp_alloc()
 * @rx: RX ring from fpgaeth_qp_alloc()
 *
 * The RX ring's page pool is bound to the pair's NAPI, which runs while the
 * pair is in use, and a pool may only be destroyed while its NAPI cannot
 * run (page_pool_destroy() asserts it): a running NAPI is paused around
 * it, then scheduled once for an interrupt it may have missed meanwhile.
 */
void fpgaeth_qp_put(struct fpgaeth_priv *priv, unsigned int q,
		    struct fpgaeth_ring *tx, struct fpgaeth_ring *rx)
{
	struct napi_struct *napi = &priv->qp[q].napi;
	bool live = rx->pp && priv->up && q < priv->num_qp;

	if (live)
		napi_disable(napi);
	fpgaeth_tx_ring_free(priv, tx);
	fpgaeth_rx_ring_free(priv, rx);
	if (live) {
		napi_enable(napi);
		local_bh_disable();
		napi_schedule(napi);
		local_bh_enable();
	}
}

/**
 * fpgaeth_qp_free - release the rings a queue pair no longer uses
 * @priv: device
 * @tx: TX ring taken off the pair, disabled and idle
 * @rx: RX ring taken off the pair, its page pool no longer bound to a
 *      running NAPI
 */
void fpgaeth_qp_free(struct fpgaeth_priv *priv, struct fpgaeth_ring *tx,
		     struct fpgaeth_ring *rx)
{
	fpgaeth_tx_ring_free(priv, tx);
	fpgaeth_rx_ring_free(priv, rx);
}

/* Release a set of rings that was never installed. */
static void fpgaeth_rings_put_unused(struct fpgaeth_priv *priv,
				     struct fpgaeth_rings *rings)
{
	unsigned int q;

	for (q = 0; q < FPGAETH_MAX_QP; q++)
		fpgaeth_qp_put(priv, q, &rings->tx[q], &rings->rx[q]);
	kfree(rings);
}

/**
 * fpgaeth_rings_alloc - allocate rings for queue pairs 0 to @num_qp - 1
 * @priv: device
 * @num_qp: queue pairs
 * @tx_size: descriptors per TX ring, a power of two
 * @rx_size: descriptors per RX ring, a power of two
 *
 * The rings in use are not touched: a running interface keeps them until
 * fpgaeth_rings_swap() installs the new ones, and keeps running if this
 * fails.
 *
 * Return: the set, or an ERR_PTR() with nothing left allocated.
 */
struct fpgaeth_rings *fpgaeth_rings_alloc(struct fpgaeth_priv *priv,
					  unsigned int num_qp,
					  unsigned int tx_size,
					  unsigned int rx_size)
{
	struct fpgaeth_rings *rings;
	unsigned int q;
	int err;

	rings = kzalloc(sizeof(*rings), GFP_KERNEL);
	if (!rings)
		return ERR_PTR(-ENOMEM);
	rings->num_qp = num_qp;
	for (q = 0; q < num_qp; q++) {
		err = fpgaeth_qp_alloc(priv, q, &rings->tx[q], &rings->rx[q],
				       tx_size, rx_size);
		if (err) {
			fpgaeth_rings_put_unused(priv, rings);
			return ERR_PTR(err);
		}
	}
	return rings;
}

/**
 * fpgaeth_ring_swap_mem - exchange the memory of two rings
 * @a: a ring
 * @b: another ring
 *
 * Descriptors, buffers, page pool, xdp_rxq and AF_XDP pool change places,
 * with what the driver knows of the descriptors (indices, a stale DONE
 * counted, a device that lied); the counters stay where they are.
 */
void fpgaeth_ring_swap_mem(struct fpgaeth_ring *a, struct fpgaeth_ring *b)
{
	swap(a->desc, b->desc);
	swap(a->desc_dma, b->desc_dma);
	swap(a->size, b->size);
	swap(a->head, b->head);
	swap(a->tail, b->tail);
	swap(a->hw_tail, b->hw_tail);
	swap(a->lied, b->lied);
	swap(a->stale_at, b->stale_at);
	swap(a->tx_buf, b->tx_buf);	/* and rx_page, its union member */
	swap(a->pp, b->pp);
	swap(a->skb, b->skb);
	swap(a->skb_bad, b->skb_bad);
	swap(a->xdp_pending, b->xdp_pending);
	swap(a->xdp, b->xdp);
	swap(a->xdp_rxq, b->xdp_rxq);
	swap(a->xsk_pool, b->xsk_pool);
}

/**
 * fpgaeth_rings_swap - install a set of rings, taking the ones in use
 * @priv: device whose queues are disabled and whose NAPI is stopped
 * @rings: the new rings; on return, the old ones (and their count)
 *
 * The caller sets @priv->num_qp to the number the set held.
 */
void fpgaeth_rings_swap(struct fpgaeth_priv *priv, struct fpgaeth_rings *rings)
{
	unsigned int q;

	for (q = 0; q < FPGAETH_MAX_QP; q++) {
		fpgaeth_ring_swap_mem(&priv->qp[q].tx, &rings->tx[q]);
		fpgaeth_ring_swap_mem(&priv->qp[q].rx, &rings->rx[q]);
	}
	rings->num_qp = priv->num_qp;
}

static void fpgaeth_ring_program(struct fpgaeth_qp *qp,
				 struct fpgaeth_ring *ring, u32 base)
{
	writel(lower_32_bits(ring->desc_dma), qp->regs + base + FPGAETH_Q_TX_BASE_LO);
	writel(upper_32_bits(ring->desc_dma), qp->regs + base + FPGAETH_Q_TX_BASE_HI);
	writel(ilog2(ring->size), qp->regs + base + FPGAETH_Q_TX_SIZE);
	/* Enabling sets HEAD and TAIL to 0, as the driver's indices are. */
	writel(FPGAETH_Q_CTRL_ENABLE, qp->regs + base + FPGAETH_Q_TX_CTRL);
}

/**
 * fpgaeth_qp_start - program and enable a queue pair's rings
 * @qp: queue pair with freshly allocated rings
 *
 * The RX half gets its buffers; the interrupt stays masked (the caller
 * sets IRQ_ENABLE once NAPI is enabled).
 */
void fpgaeth_qp_start(struct fpgaeth_qp *qp)
{
	/* The RX registers sit at the same offsets as TX, 0x40 further. */
	fpgaeth_ring_program(qp, &qp->tx, 0);
	fpgaeth_ring_program(qp, &qp->rx,
			     FPGAETH_Q_RX_BASE_LO - FPGAETH_Q_TX_BASE_LO);
	writel(FPGAETH_Q_IRQ_ALL, qp->regs + FPGAETH_Q_IRQ_STATUS);
	fpgaeth_qp_write_coal(qp);
	/* the pool's buffers point at the xdp_rxq of the ring in use */
	if (qp->rx.xsk_pool)
		xsk_pool_set_rxq_info(qp->rx.xsk_pool, &qp->rx.xdp_rxq);
	fpgaeth_rx_refill(qp);
}

/**
 * fpgaeth_qp_disable - mask a queue pair and clear its ENABLE bits
 * @qp: queue pair
 *
 * Recovery procedure steps 1 and 3. The queues stop after the frame in
 * progress: the device may still access the rings and buffers until
 * fpgaeth_wait_idle() says it is done.
 */
void fpgaeth_qp_disable(struct fpgaeth_qp *qp)
{
	writel(0, qp->regs + FPGAETH_Q_IRQ_ENABLE);
	writel(0, qp->regs + FPGAETH_Q_TX_CTRL);
	writel(0, qp->regs + FPGAETH_Q_RX_CTRL);
}

/*
 * IDLE of both halves of a queue pair (CAP1.QUEUE_IDLE); a read of all
 * ones is a device that does not respond, not an idle queue.
 */
static u32 fpgaeth_qp_idle(struct fpgaeth_qp *qp)
{
	u32 tx = readl(qp->regs + FPGAETH_Q_TX_STATUS);
	u32 rx = readl(qp->regs + FPGAETH_Q_RX_STATUS);

	if (tx == U32_MAX || rx == U32_MAX)
		return 0;
	return tx & rx & FPGAETH_Q_STATUS_IDLE;
}

/**
 * fpgaeth_wait_idle - wait until disabled queues no longer access memory
 * @priv: device
 * @num_qp: queue pairs 0 to @num_qp - 1, disabled by fpgaeth_qp_disable()
 *
 * With CAP1.QUEUE_IDLE each pair's TX_STATUS and RX_STATUS must read IDLE;
 * a 1.0 IP has no such bit: the driver reads the last ENABLE write back
 * (so that it has reached the device) and waits the bound the programming
 * model gives for the frame in progress to finish.
 *
 * Return: 0 once the device touches none of the queues' descriptors or
 * buffers, or -ETIMEDOUT if a queue did not go idle in time.
 */
int fpgaeth_wait_idle(struct fpgaeth_priv *priv, unsigned int num_qp)
{
	unsigned int q;
	int err;

	if (!(priv->cap1 & FPGAETH_CAP1_QUEUE_IDLE)) {
		for (q = 0; q < num_qp; q++)
			fpgaeth_qp_rd32(&priv->qp[q], FPGAETH_Q_RX_CTRL);
		fsleep(priv->idle_timeout_us);
		return 0;
	}

	/* The queues drain together: the first wait covers the others. */
	for (q = 0; q < num_qp; q++) {
		err = fpgaeth_qp_wait_idle(&priv->qp[q]);
		if (err)
			return err;
	}
	return 0;
}

/**
 * fpgaeth_qp_wait_idle - wait until one disabled queue pair is idle
 * @qp: queue pair disabled by fpgaeth_qp_disable(), on a CAP1.QUEUE_IDLE IP
 *
 * A device that does not respond times out like a queue that never stops.
 *
 * Return: 0 or -ETIMEDOUT.
 */
int fpgaeth_qp_wait_idle(struct fpgaeth_qp *qp)
{
	struct fpgaeth_priv *priv = qp->priv;
	u32 idle;
	int err;

	err = readx_poll_timeout(fpgaeth_qp_idle, qp, idle, idle, 10,
				 priv->idle_timeout_us);
	if (err)
		netdev_warn(priv->ndev, "queue pair %u not idle after %u us: TX_STATUS %#x RX_STATUS %#x\n",
			    qp->idx, priv->idle_timeout_us,
			    fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_STATUS),
			    fpgaeth_qp_rd32(qp, FPGAETH_Q_RX_STATUS));
	return err;
}

/**
 * fpgaeth_qp_quiet - stop a queue pair's software activity
 * @qp: queue pair whose interrupt is masked and whose NAPI is disabled
 *
 * After this nothing of the driver writes the pair's registers until it
 * is started again: no interrupt handler, DIM work or refill timer runs.
 */
void fpgaeth_qp_quiet(struct fpgaeth_qp *qp)
{
	synchronize_irq(qp->irq);
	/* only a poll arms it */
	timer_delete_sync(&qp->refill_timer);
	cancel_work_sync(&qp->tx_dim.work);
	cancel_work_sync(&qp->rx_dim.work);
	/* a cancelled work left DIM waiting for it to apply a profile */
	qp->tx_dim.state = DIM_START_MEASURE;
	qp->rx_dim.state = DIM_START_MEASURE;
}

/**
 * fpgaeth_qp_stop - forget a stopped queue pair's pending events
 * @qp: queue pair, disabled and idle (recovery procedure step 5)
 *
 * After this the driver owns every descriptor and buffer of the pair.
 */
void fpgaeth_qp_stop(struct fpgaeth_qp *qp)
{
	writel(FPGAETH_Q_IRQ_ALL, qp->regs + FPGAETH_Q_IRQ_STATUS);
	/* The frames left on the ring are freed, never completed. */
	netdev_tx_reset_queue(netdev_get_tx_queue(qp->priv->ndev, qp->idx));
}

/*
 * Give back every buffer of a stopped, idle TX ring (recovery procedure
 * step 4): its frames were not sent, or their completion was not seen;
 * they count as errors. The ring restarts empty, at index 0.
 */
static void fpgaeth_tx_ring_reclaim(struct fpgaeth_priv *priv,
				    struct fpgaeth_ring *ring)
{
	unsigned int i, frames = 0, xsk_frames = 0;

	for (i = 0; i < ring->size; i++) {
		struct fpgaeth_tx_buf *buf = &ring->tx_buf[i];

		fpgaeth_tx_unmap(priv->dev, buf);
		if (buf->skb) {
			dev_kfree_skb_any(buf->skb);
			buf->skb = NULL;
			frames++;
		} else if (buf->xdpf) {
			fpgaeth_xdp_tx_free(buf, false);
			frames++;
		} else if (buf->type == FPGAETH_TX_XSK) {
			buf->type = FPGAETH_TX_SKB;
			xsk_frames++;
		}
	}
	/* the socket gets back the frames it gave, as if sent */
	if (xsk_frames)
		xsk_tx_completed(ring->xsk_pool, xsk_frames);
	frames += xsk_frames;
	memset(ring->desc, 0, ring->size * FPGAETH_DESC_SIZE);
	ring->head = 0;
	ring->tail = 0;
	ring->hw_tail = 0;
	ring->lied = false;
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.errors += frames;
	u64_stats_update_end(&ring->stats.syncp);
}

/*
 * Return every page posted to a stopped, idle RX ring to its page pool,
 * the frame being assembled included: nothing the device wrote is read.
 */
static void fpgaeth_rx_ring_reclaim(struct fpgaeth_ring *ring)
{
	unsigned int i;

	if (ring->skb) {
		dev_kfree_skb_any(ring->skb);
		ring->skb = NULL;
	}
	ring->skb_bad = false;
	fpgaeth_xdp_rx_put(ring, false);
	if (ring->xsk_pool)
		fpgaeth_xsk_rx_put(ring);
	for (i = 0; i < ring->size; i++) {
		if (ring->rx_page[i])
			page_pool_put_full_page(ring->pp, ring->rx_page[i],
						false);
		ring->rx_page[i] = NULL;
	}
	memset(ring->desc, 0, ring->size * FPGAETH_DESC_SIZE);
	ring->head = 0;
	ring->tail = 0;
	ring->stale_at = 0;
}

/**
 * fpgaeth_qp_reclaim - take back every buffer of a stopped queue pair
 * @qp: queue pair, disabled and idle, its NAPI disabled and its TX queue
 *      stopped (recovery procedure step 4)
 *
 * The rings keep their memory and page pool; fpgaeth_qp_start() programs
 * and fills them again.
 */
void fpgaeth_qp_reclaim(struct fpgaeth_qp *qp)
{
	fpgaeth_tx_ring_reclaim(qp->priv, &qp->tx);
	fpgaeth_rx_ring_reclaim(&qp->rx);
	fpgaeth_qp_stop(qp);
}

static u32 fpgaeth_coal_reg(u16 usecs, u16 frames)
{
	return FIELD_PREP(FPGAETH_Q_COAL_USECS, usecs) |
	       FIELD_PREP(FPGAETH_Q_COAL_FRAMES, frames);
}

/**
 * fpgaeth_qp_write_coal - program a queue pair's COAL registers
 * @qp: queue pair
 *
 * With adaptive moderation on, a direction gets DIM's current profile,
 * else the ethtool values. A write takes effect at the next completion.
 */
void fpgaeth_qp_write_coal(struct fpgaeth_qp *qp)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct dim_cq_moder m;

	if (READ_ONCE(priv->tx_coal.adaptive)) {
		m = net_dim_get_tx_moderation(qp->tx_dim.mode,
					      qp->tx_dim.profile_ix);
		writel(fpgaeth_coal_reg(m.usec, m.pkts),
		       qp->regs + FPGAETH_Q_TX_COAL);
	} else {
		writel(fpgaeth_coal_reg(priv->tx_coal.usecs,
					priv->tx_coal.frames),
		       qp->regs + FPGAETH_Q_TX_COAL);
	}
	if (READ_ONCE(priv->rx_coal.adaptive)) {
		m = net_dim_get_rx_moderation(qp->rx_dim.mode,
					      qp->rx_dim.profile_ix);
		writel(fpgaeth_coal_reg(m.usec, m.pkts),
		       qp->regs + FPGAETH_Q_RX_COAL);
	} else {
		writel(fpgaeth_coal_reg(priv->rx_coal.usecs,
					priv->rx_coal.frames),
		       qp->regs + FPGAETH_Q_RX_COAL);
	}
}

/*
 * DIM picked a new profile for one direction: program it, unless adaptive
 * moderation was turned off meanwhile (set_coalesce then waits for this
 * work before it writes the static values).
 */
static void fpgaeth_dim_work(struct work_struct *work, bool tx)
{
	struct dim *dim = container_of(work, struct dim, work);
	struct fpgaeth_qp *qp;
	struct dim_cq_moder m;

	if (tx) {
		qp = container_of(dim, struct fpgaeth_qp, tx_dim);
		if (READ_ONCE(qp->priv->tx_coal.adaptive)) {
			m = net_dim_get_tx_moderation(dim->mode,
						      dim->profile_ix);
			writel(fpgaeth_coal_reg(m.usec, m.pkts),
			       qp->regs + FPGAETH_Q_TX_COAL);
		}
	} else {
		qp = container_of(dim, struct fpgaeth_qp, rx_dim);
		if (READ_ONCE(qp->priv->rx_coal.adaptive)) {
			m = net_dim_get_rx_moderation(dim->mode,
						      dim->profile_ix);
			writel(fpgaeth_coal_reg(m.usec, m.pkts),
			       qp->regs + FPGAETH_Q_RX_COAL);
		}
	}
	dim->state = DIM_START_MEASURE;
}

static void fpgaeth_tx_dim_work(struct work_struct *work)
{
	fpgaeth_dim_work(work, true);
}

static void fpgaeth_rx_dim_work(struct work_struct *work)
{
	fpgaeth_dim_work(work, false);
}

/**
 * fpgaeth_dim_init - set up a queue pair's DIM and refill timer
 * @qp: queue pair
 *
 * The COAL timer starts at the first pending completion and later ones do
 * not restart it: DIM's "start from EQE" period mode.
 */
void fpgaeth_dim_init(struct fpgaeth_qp *qp)
{
	timer_setup(&qp->refill_timer, fpgaeth_refill_timer, 0);
	INIT_WORK(&qp->tx_dim.work, fpgaeth_tx_dim_work);
	INIT_WORK(&qp->rx_dim.work, fpgaeth_rx_dim_work);
	qp->tx_dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_EQE;
	qp->rx_dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_EQE;
}
