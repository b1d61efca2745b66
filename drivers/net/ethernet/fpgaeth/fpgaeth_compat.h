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
#include <linux/rtnetlink.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <net/xdp.h>

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
 * FPGAETH_CORE_QUEUE_OPS - the core gets the driver's queue management ops
 *
 * From 6.15 on a device with netdev_queue_mgmt_ops is "ops locked"
 * (netdev_need_ops_lock(): the core holds its instance lock around every
 * ndo, ethtool and XDP op), and phylib refuses to attach a PHY to such a
 * device (7.3's phy_link_topo_add_phy(): a WARN and -EOPNOTSUPP, "no driver
 * currently mixes the two"): fpgaeth, a phylink driver, could not open.
 * There the driver keeps its per-pair restart (fpgaeth_queue.c) for its
 * own users and does not hand the ops to the core. The release that made
 * phylib refuse is not pinned down here (7.3 has the check, 6.12 not);
 * 6.15, the ops lock's, is assumed. In 7.3: netdev_lock.h:28-30,
 * phy_link_topology.c:39-46, phy_device.c:1815 (the user guide's "Queue
 * restart" says why, and what a fixed-link-only scheme would need).
 */
#define FPGAETH_CORE_QUEUE_OPS	(KERNEL_VERSION(6, 15, 0) > LINUX_VERSION_CODE)

#endif /* _FPGAETH_COMPAT_H */
