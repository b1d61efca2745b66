/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fpgaeth: the kernel API changes between the kernels the driver is built
 * and tested on (6.12 LTS and the newest 7.x, see README.md), one helper
 * each, with the release that changed the API.  Written for this driver,
 * nothing copied from a newer kernel; an upstream submission drops this
 * file and calls the newest API directly.
 */
#ifndef _FPGAETH_COMPAT_H
#define _FPGAETH_COMPAT_H

#include <linux/dim.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <net/xdp.h>
#if KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE
#include <net/netdev_lock.h>
#endif

/**
 * fpgaeth_net_dim - feed one DIM sample
 * @dim: the DIM context
 * @sample: the sample
 *
 * 6.13 changed net_dim() to take the sample by pointer.
 */
static inline void fpgaeth_net_dim(struct dim *dim,
				   const struct dim_sample *sample)
{
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
	net_dim(dim, sample);
#else
	net_dim(dim, *sample);
#endif
}

/**
 * fpgaeth_rtnl_lock_killable - take the RTNL, killable where modules may
 * Return: 0 with the RTNL held, or -EINTR (fatal signal, not held).
 *
 * rtnl_lock_killable() is exported to modules in 6.12 but not in 7.3 (its
 * Module.symvers): there the wait is not killable.  The release that
 * dropped the export is not pinned down here; 7.0 is assumed (a kernel
 * in between fails at modpost, it does not misbehave).
 */
static inline int fpgaeth_rtnl_lock_killable(void)
{
#if KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE
	rtnl_lock();
	return 0;
#else
	return rtnl_lock_killable();
#endif
}

/*
 * fpgaeth_timer_container_of - the structure @t is embedded in as @field
 *
 * 6.16 renamed from_timer() to timer_container_of().
 */
#if KERNEL_VERSION(6, 16, 0) <= LINUX_VERSION_CODE
#define fpgaeth_timer_container_of(var, t, field) \
	timer_container_of(var, t, field)
#else
#define fpgaeth_timer_container_of(var, t, field) from_timer(var, t, field)
#endif

/*
 * FPGAETH_HAVE_GET_RX_RING_COUNT - ethtool_ops has get_rx_ring_count
 *
 * Newer kernels ask for the RX ring count (ETHTOOL_GRXRINGS, the -x/-X
 * and -L checks) through .get_rx_ring_count instead of .get_rxnfc; 7.3
 * does (its ethtool -x answers EOPNOTSUPP otherwise). The release that
 * made the change is not pinned down here; 7.0 is assumed (a kernel in
 * between that already has the op keeps answering through .get_rxnfc).
 */
#define FPGAETH_HAVE_GET_RX_RING_COUNT \
	(KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE)

/*
 * FPGAETH_HAVE_RXFH_FIELDS - ethtool_ops has get_rxfh_fields/set_rxfh_fields
 *
 * Newer kernels read and set the flow hash fields (ETHTOOL_GRXFH and
 * SRXFH, the netlink RSS "flow-hash") through their own ops instead of
 * .get_rxnfc/.set_rxnfc; 7.3 does (its netlink RSS get has no flow-hash
 * otherwise). The ops came with "net: ethtool: add dedicated callbacks for
 * getting and setting rxfh fields" (net-next, June 2025: 6.17), which
 * still fell back to .get_rxnfc; later releases do not.
 */
#define FPGAETH_HAVE_RXFH_FIELDS \
	(KERNEL_VERSION(6, 17, 0) <= LINUX_VERSION_CODE)

/**
 * fpgaeth_xdp_add_frag - append a page-pool buffer to a multi-buffer frame
 * @xdp: the frame, its first buffer prepared
 * @page: the buffer's page (one page, all of it the frag's truesize)
 * @off: offset of the data in @page
 * @len: bytes of data
 *
 * 6.14 added xdp_buff_add_frag(); before it the driver fills the
 * skb_shared_info of the frame's first buffer itself, as its helper does.
 *
 * Return: false if the frame has MAX_SKB_FRAGS frags already.
 */
static inline bool fpgaeth_xdp_add_frag(struct xdp_buff *xdp,
					struct page *page, unsigned int off,
					unsigned int len)
{
#if KERNEL_VERSION(6, 14, 0) <= LINUX_VERSION_CODE
	return xdp_buff_add_frag(xdp, page_to_netmem(page), off, len,
				 PAGE_SIZE);
#else
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);

	if (!xdp_buff_has_frags(xdp)) {
		xdp_buff_set_frags_flag(xdp);
		sinfo->nr_frags = 0;
		sinfo->xdp_frags_size = 0;
	} else if (sinfo->nr_frags == MAX_SKB_FRAGS) {
		return false;
	}
	__skb_fill_page_desc_noacc(sinfo, sinfo->nr_frags++, page, off, len);
	sinfo->xdp_frags_size += len;
	if (page_is_pfmemalloc(page))
		xdp_buff_set_frag_pfmemalloc(xdp);
	return true;
#endif
}

/**
 * fpgaeth_xdp_skb_frags - give an skb built on a frame's first buffer the
 * frame's other buffers
 * @skb: built on @xdp's first buffer (its skb_shared_info is @xdp's)
 * @xdp: the multi-buffer frame
 * @nr_frags: the frame's frags, read before the skb was built (building
 *            it cleared the count in the shared info)
 *
 * xdp_update_skb_shared_info() became xdp_update_skb_frags_info(), taking
 * the frame's flags, after 6.12. The release that made the change is not
 * pinned down here; 7.0 is assumed (a kernel in between fails to build).
 */
static inline void fpgaeth_xdp_skb_frags(struct sk_buff *skb,
					 struct xdp_buff *xdp, u8 nr_frags)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);

#if KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE
	xdp_update_skb_frags_info(skb, nr_frags, sinfo->xdp_frags_size,
				  nr_frags * PAGE_SIZE,
				  xdp_buff_get_skb_flags(xdp));
#else
	xdp_update_skb_shared_info(skb, nr_frags, sinfo->xdp_frags_size,
				   nr_frags * PAGE_SIZE,
				   xdp_buff_is_frag_pfmemalloc(xdp));
#endif
}

/*
 * FPGAETH_OPS_LOCKED - the core holds the device's instance lock around
 * its ops
 *
 * A device with queue management ops (netdev_queue_mgmt_ops) has its
 * ndo, ethtool and XDP ops called with the netdev instance lock held from
 * 6.15 on ("ops lock", netdev_need_ops_lock()); napi_enable() and
 * napi_disable() take that lock themselves (6.14), so under it the driver
 * calls their _locked forms, and its own works take the lock after the
 * RTNL as the core does. Before 6.15 the RTNL alone serialises them.
 */
#define FPGAETH_OPS_LOCKED	(KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE)

/**
 * fpgaeth_napi_enable - napi_enable() from the driver's ops and works
 * @napi: the NAPI context
 */
static inline void fpgaeth_napi_enable(struct napi_struct *napi)
{
#if FPGAETH_OPS_LOCKED
	napi_enable_locked(napi);
#else
	napi_enable(napi);
#endif
}

/**
 * fpgaeth_napi_disable - napi_disable() from the driver's ops and works
 * @napi: the NAPI context
 */
static inline void fpgaeth_napi_disable(struct napi_struct *napi)
{
#if FPGAETH_OPS_LOCKED
	napi_disable_locked(napi);
#else
	napi_disable(napi);
#endif
}

/**
 * fpgaeth_ops_lock - take what the core holds around the device's ops
 * @ndev: the device
 *
 * For the driver's own works that stop and start queues: the RTNL, then
 * (FPGAETH_OPS_LOCKED) the instance lock.
 */
static inline void fpgaeth_ops_lock(struct net_device *ndev)
{
	rtnl_lock();
#if FPGAETH_OPS_LOCKED
	netdev_lock(ndev);
#endif
}

/**
 * fpgaeth_ops_unlock - release what fpgaeth_ops_lock() took
 * @ndev: the device
 */
static inline void fpgaeth_ops_unlock(struct net_device *ndev)
{
#if FPGAETH_OPS_LOCKED
	netdev_unlock(ndev);
#endif
	rtnl_unlock();
}

/*
 * FPGAETH_HAVE_QUEUE_CFG - the queue management ops take a queue config
 *
 * ndo_queue_mem_alloc() and ndo_queue_start() gained a struct
 * netdev_queue_config argument (the per-queue RX buffer size) after 6.12;
 * 7.3 has it. The release is not pinned down here; 7.0 is assumed (a
 * kernel in between fails to build).
 */
#define FPGAETH_HAVE_QUEUE_CFG	(KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE)

#endif /* _FPGAETH_COMPAT_H */
