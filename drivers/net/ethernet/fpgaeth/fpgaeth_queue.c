// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth queue restart: one queue pair gets new rings while the others
 * run (netdev_queue_mgmt_ops).
 *
 * The IP's queues are pairs (a TX and an RX ring, one interrupt, one
 * NAPI); the kernel's queue management ops are per RX queue. A restart of
 * RX queue q restarts pair q: its TX queue q is stopped with it (the
 * stack's transmits to it wait, its frames in flight are given back as
 * errors, BQL is reset) and starts again on a new TX ring of the same
 * size. No register, NAPI, interrupt or ring of another pair is touched
 * and the MAC (link, filters, RSS) stays as it is.
 *
 * The new rings, page pool and xdp_rxq are allocated first
 * (ndo_queue_mem_alloc); then the pair is stopped as the programming
 * model's "Recovery procedure" stops one pair (ndo_queue_stop:
 * fpgaeth_qp_halt(), its memory handed to the core), started on the new
 * memory (ndo_queue_start: fpgaeth_qp_resume()) and the old memory freed
 * (ndo_queue_mem_free). If the pair does not go idle the IP may still
 * access its buffers: the stop fails and the whole IP is reset. The core
 * gets these ops on kernels before 6.15 only (fpgaeth_compat.h: from then
 * on they would make the device "ops locked", to which phylib attaches no
 * PHY); the driver's own users below work the same on every kernel.
 *
 * The driver uses the same steps itself (fpgaeth_qp_restart()) for an
 * AF_XDP pool attach or detach (fpgaeth_xsk.c), the recovery of one halted
 * pair (fpgaeth_recovery.c) and a ring size change (ethtool -G:
 * fpgaeth_rings_resize(), every pair's new rings allocated before the
 * first pair is restarted, then one pair after the other). The core's
 * netdev_rx_queue_restart() is not exported to modules in 6.12.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netdev_queues.h>
#include <net/page_pool/types.h>

#include "fpgaeth.h"
#include "fpgaeth_compat.h"

/**
 * struct fpgaeth_qp_mem - the memory of one queue pair's rings
 * @tx: TX ring (only its memory fields are used)
 * @rx: RX ring
 * @idx: the queue pair it was allocated for or taken from
 * @unused: allocated and never installed: its page pool is still bound to
 *          the pair's NAPI (fpgaeth_qp_put() pauses it around the free)
 */
struct fpgaeth_qp_mem {
	struct fpgaeth_ring tx;
	struct fpgaeth_ring rx;
	unsigned int idx;
	bool unused;
};

static int fpgaeth_qp_mem_alloc(struct fpgaeth_priv *priv,
				struct fpgaeth_qp_mem *m, unsigned int q,
				unsigned int tx_size, unsigned int rx_size)
{
	int err;

	m->idx = q;
	m->unused = true;
	err = fpgaeth_qp_alloc(priv, q, &m->tx, &m->rx, tx_size, rx_size);
	if (err) {
		fpgaeth_qp_put(priv, q, &m->tx, &m->rx);
		m->unused = false;
	}
	return err;
}

static void fpgaeth_qp_mem_free(struct fpgaeth_priv *priv,
				struct fpgaeth_qp_mem *m)
{
	if (m->unused)
		fpgaeth_qp_put(priv, m->idx, &m->tx, &m->rx);
	else
		fpgaeth_qp_free(priv, &m->tx, &m->rx);
	m->unused = false;
}

/*
 * Stop pair @q and take its ring memory into @m. @recover: a recovery
 * (the pair's STATUS reported, DMA_ERR acknowledged). Returns 0, or
 * -ETIMEDOUT if the pair did not go idle (it keeps running on its rings).
 */
static int fpgaeth_qp_take(struct fpgaeth_priv *priv, unsigned int q,
			   struct fpgaeth_qp_mem *m, bool recover)
{
	struct fpgaeth_qp *qp = &priv->qp[q];
	int err;

	err = fpgaeth_qp_halt(qp, recover);
	if (err)
		return err;
	if (recover)
		fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_STATUS,
			     FPGAETH_MISC_IRQ_DMA_ERR);
	/*
	 * The old pool's pages may come back from anywhere now (its NAPI
	 * runs the new pool): unbind it while that NAPI is disabled.
	 */
	if (qp->rx.pp)
		page_pool_disable_direct_recycling(qp->rx.pp);
	fpgaeth_ring_swap_mem(&qp->tx, &m->tx);
	fpgaeth_ring_swap_mem(&qp->rx, &m->rx);
	m->idx = q;
	m->unused = false;
	return 0;
}

/* Start pair @q, stopped by fpgaeth_qp_take(), on the rings of @m. */
static void fpgaeth_qp_give(struct fpgaeth_priv *priv, unsigned int q,
			    struct fpgaeth_qp_mem *m)
{
	struct fpgaeth_qp *qp = &priv->qp[q];

	fpgaeth_ring_swap_mem(&qp->tx, &m->tx);
	fpgaeth_ring_swap_mem(&qp->rx, &m->rx);
	m->unused = false;
	fpgaeth_qp_resume(qp);
}

/*
 * Put the rings of @m on running pair @q, its old ones into @old (zeroed)
 * and free them. Nothing here allocates, so that a failure can only be
 * -ETIMEDOUT: the pair did not stop, @m and @old are untouched, the
 * caller frees @m.
 */
static int fpgaeth_qp_replace(struct fpgaeth_priv *priv, unsigned int q,
			      struct fpgaeth_qp_mem *m,
			      struct fpgaeth_qp_mem *old, bool recover)
{
	int err;

	err = fpgaeth_qp_take(priv, q, old, recover);
	if (err)
		return err;
	fpgaeth_qp_give(priv, q, m);
	fpgaeth_qp_mem_free(priv, old);
	return 0;
}

/**
 * fpgaeth_qp_restart - restart one queue pair on new rings, the others
 * running
 * @priv: device whose datapath runs (under RTNL and the ops lock)
 * @q: queue pair in use
 * @recover: the pair halted (recovery procedure): report its STATUS
 *
 * The rings are allocated with the device's sizes and the pair's AF_XDP
 * pool (@priv->xsk_pools[@q]), then replace the pair's.
 *
 * Return: 0; -ETIMEDOUT if the pair did not go idle (it runs on as it was:
 * the caller resets the IP); another negative errno if the new rings
 * could not be allocated (nothing was stopped).
 */
int fpgaeth_qp_restart(struct fpgaeth_priv *priv, unsigned int q,
		       bool recover)
{
	struct fpgaeth_qp_mem *m;
	int err;

	/* m[0]: the new rings; m[1]: the old ones, taken from the pair */
	m = kcalloc(2, sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	err = fpgaeth_qp_mem_alloc(priv, &m[0], q, priv->tx_ring_size,
				   priv->rx_ring_size);
	if (!err) {
		err = fpgaeth_qp_replace(priv, q, &m[0], &m[1], recover);
		fpgaeth_qp_mem_free(priv, &m[0]);
	}
	kfree(m);
	return err;
}

/**
 * fpgaeth_rings_resize - give every pair of a running interface rings of
 * new sizes, one pair after the other (ethtool -G)
 * @priv: device whose datapath runs (under RTNL and the ops lock)
 * @tx_size: descriptors per TX ring
 * @rx_size: descriptors per RX ring
 * @extack: where to say why it failed
 *
 * Every pair's rings, and the room for its old ones, are allocated first:
 * if that fails, nothing changed. Then each pair is restarted alone on its
 * new rings while the others carry traffic; nothing is allocated from
 * there on, so that no failure can leave some pairs at the old sizes. A
 * pair that does not stop has the whole IP reset, which builds every ring
 * at the new sizes.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_rings_resize(struct fpgaeth_priv *priv, unsigned int tx_size,
			 unsigned int rx_size, struct netlink_ext_ack *extack)
{
	unsigned int q, n = priv->num_qp;
	struct fpgaeth_qp_mem *mem;
	int err = 0;

	/* mem[q]: pair q's new rings; mem[n + q]: its old ones */
	mem = kvcalloc(2 * n, sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	for (q = 0; q < n && !err; q++)
		err = fpgaeth_qp_mem_alloc(priv, &mem[q], q, tx_size, rx_size);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot allocate the new rings, the old ones are kept");
		goto out;
	}
	priv->tx_ring_size = tx_size;
	priv->rx_ring_size = rx_size;
	for (q = 0; q < n && !err; q++)
		err = fpgaeth_qp_replace(priv, q, &mem[q], &mem[n + q], false);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "a queue pair did not stop: the IP was reset");
		err = fpgaeth_reset_ip(priv, "a queue pair did not stop");
	}
out:
	for (q = 0; q < n; q++)
		fpgaeth_qp_mem_free(priv, &mem[q]);
	kvfree(mem);
	return err;
}

#if FPGAETH_CORE_QUEUE_OPS
static int fpgaeth_queue_mem_alloc(struct net_device *ndev, void *mem,
				   int idx)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	if (idx < 0 || idx >= priv->max_qp)
		return -EINVAL;
	return fpgaeth_qp_mem_alloc(priv, mem, idx, priv->tx_ring_size,
				    priv->rx_ring_size);
}

static void fpgaeth_queue_mem_free(struct net_device *ndev, void *mem)
{
	fpgaeth_qp_mem_free(netdev_priv(ndev), mem);
}

static int fpgaeth_queue_stop(struct net_device *ndev, void *mem, int idx)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	int err;

	if (!priv->up || idx < 0 || idx >= priv->num_qp)
		return -ENETDOWN;
	err = fpgaeth_qp_take(priv, idx, mem, false);
	if (err)
		fpgaeth_schedule_full_reset(priv);
	return err;
}

static int fpgaeth_queue_start(struct net_device *ndev, void *mem, int idx)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_qp_mem *m = mem;

	/* only after fpgaeth_queue_stop() of the same pair */
	if (WARN_ON_ONCE(!priv->up || idx != m->idx || priv->qp[idx].rx.desc))
		return -EINVAL;
	fpgaeth_qp_give(priv, idx, m);
	return 0;
}

const struct netdev_queue_mgmt_ops fpgaeth_queue_ops = {
	.ndo_queue_mem_size = sizeof(struct fpgaeth_qp_mem),
	.ndo_queue_mem_alloc = fpgaeth_queue_mem_alloc,
	.ndo_queue_mem_free = fpgaeth_queue_mem_free,
	.ndo_queue_start = fpgaeth_queue_start,
	.ndo_queue_stop = fpgaeth_queue_stop,
};
#endif
