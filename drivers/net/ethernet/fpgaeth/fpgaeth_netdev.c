// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth network interface: open/stop, programming the MAC, RX filters,
 * MTU changes and statistics (recovery: fpgaeth_recovery.c).
 */
#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/of.h>
#include <linux/of_net.h>
#include <linux/rtnetlink.h>
#include <linux/unaligned.h>
#include <net/netdev_queues.h>

#include "fpgaeth.h"
#include "fpgaeth_compat.h"

#define FPGAETH_TX_TIMEOUT		(5 * HZ)
#define FPGAETH_DEFAULT_RING_SIZE	256U
/*
 * Default TX completion coalescing: the smallest ring (64) still holds
 * more than 32 frames before the queue stops; 32 frames of 64 bytes come
 * within 256 us from 125 kpps on.
 */
#define FPGAETH_TX_COAL_FRAMES		32
#define FPGAETH_TX_COAL_USECS		256
#define FPGAETH_MSG_DEFAULT	(NETIF_MSG_DRV | NETIF_MSG_PROBE | \
				 NETIF_MSG_LINK | NETIF_MSG_IFUP | \
				 NETIF_MSG_TX_ERR | NETIF_MSG_HW)

/**
 * fpgaeth_ctrl_update - read-modify-write CTRL
 * @priv: device
 * @clear: bits to clear
 * @set: bits to set
 *
 * CTRL is shared by the RX filter (under the address lock), phylink and
 * open/stop (under RTNL), so it is changed under a lock.
 */
void fpgaeth_ctrl_update(struct fpgaeth_priv *priv, u32 clear, u32 set)
{
	u32 ctrl;

	spin_lock_bh(&priv->ctrl_lock);
	ctrl = fpgaeth_rd32(priv, FPGAETH_CTRL);
	ctrl = (ctrl & ~(clear | FPGAETH_CTRL_SOFT_RESET)) | set;
	fpgaeth_wr32(priv, FPGAETH_CTRL, ctrl);
	spin_unlock_bh(&priv->ctrl_lock);
}

static void fpgaeth_write_mac_addr(struct fpgaeth_priv *priv)
{
	const u8 *a = priv->ndev->dev_addr;

	fpgaeth_wr32(priv, FPGAETH_MAC_ADDR_LO,
		     a[0] | a[1] << 8 | a[2] << 16 | (u32)a[3] << 24);
	fpgaeth_wr32(priv, FPGAETH_MAC_ADDR_HI, a[4] | a[5] << 8);
}

static void fpgaeth_set_rx_mode(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct netdev_hw_addr *ha;
	u32 set = 0;
	u64 hash = 0;

	/* One unicast filter, the station address: more needs promiscuous. */
	if ((ndev->flags & IFF_PROMISC) || netdev_uc_count(ndev))
		set |= FPGAETH_CTRL_PROMISC;
	if ((ndev->flags & IFF_ALLMULTI) ||
	    !(priv->cap1 & FPGAETH_CAP1_MC_HASH))
		set |= FPGAETH_CTRL_ALLMULTI;
	else
		netdev_for_each_mc_addr(ha, ndev)
			hash |= BIT_ULL(ether_crc(ETH_ALEN, ha->addr) >> 26);

	fpgaeth_wr32(priv, FPGAETH_MC_HASH_LO, lower_32_bits(hash));
	fpgaeth_wr32(priv, FPGAETH_MC_HASH_HI, upper_32_bits(hash));
	fpgaeth_ctrl_update(priv, FPGAETH_CTRL_PROMISC | FPGAETH_CTRL_ALLMULTI,
			    set);
}

static int fpgaeth_set_mac_address(struct net_device *ndev, void *addr)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	int err;

	err = eth_mac_addr(ndev, addr);
	if (err)
		return err;
	fpgaeth_write_mac_addr(priv);
	return 0;
}

/**
 * fpgaeth_rss_write - program the RSS key and indirection table
 * @priv: device
 *
 * The device uses each register from its next frame on, so a running
 * interface is reprogrammed in place.
 */
void fpgaeth_rss_write(struct fpgaeth_priv *priv)
{
	unsigned int i;

	for (i = 0; i < FPGAETH_RSS_KEY_NUM; i++)
		fpgaeth_wr32(priv, FPGAETH_RSS_KEY(i),
			     get_unaligned_le32(priv->rss_key + 4 * i));
	for (i = 0; i < FPGAETH_RSS_INDIR_NUM; i++)
		fpgaeth_wr32(priv, FPGAETH_RSS_INDIR(i),
			     get_unaligned_le32(priv->rss_indir + 4 * i));
}

/**
 * fpgaeth_rss_default_indir - spread the indirection table over the queues
 * @priv: device
 */
void fpgaeth_rss_default_indir(struct fpgaeth_priv *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(priv->rss_indir); i++)
		priv->rss_indir[i] = ethtool_rxfh_indir_default(i, priv->num_qp);
}

static u32 fpgaeth_offload_ctrl(struct fpgaeth_priv *priv)
{
	u32 ctrl = 0;

	if (priv->ndev->features & NETIF_F_RXCSUM)
		ctrl |= FPGAETH_CTRL_RX_CSUM_EN;
	if (priv->cap1 & FPGAETH_CAP1_RSS)
		ctrl |= FPGAETH_CTRL_RSS_EN;
	return ctrl;
}

/**
 * fpgaeth_hw_start - start the datapath on the rings installed
 * @priv: device whose datapath is stopped, its rings installed (under RTNL)
 *
 * Bring the IP from "all queues disabled" to "passing traffic"
 * (programming model, bring-up steps 3-5).
 */
void fpgaeth_hw_start(struct fpgaeth_priv *priv)
{
	struct net_device *ndev = priv->ndev;
	unsigned int q;

	/*
	 * The IP is programmed now: a full reset or pair recovery asked for
	 * before is done (a stale pair bit would turn the next single halt
	 * into a whole-IP reset); one asked for from here on (@up is set
	 * below) is not.
	 */
	clear_bit(0, &priv->full_reset);
	priv->recover_qp = 0;
	fpgaeth_write_mac_addr(priv);
	fpgaeth_wr32(priv, FPGAETH_MAX_FRAME_LEN,
		     ndev->mtu + ETH_HLEN + VLAN_HLEN);
	fpgaeth_rss_write(priv);

	for (q = 0; q < priv->num_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		fpgaeth_qp_start(qp);
		napi_enable(&qp->napi);
		netif_queue_set_napi(ndev, q, NETDEV_QUEUE_TYPE_RX, &qp->napi);
		netif_queue_set_napi(ndev, q, NETDEV_QUEUE_TYPE_TX, &qp->napi);
	}
	priv->up = true;
	for (q = 0; q < priv->num_qp; q++)
		fpgaeth_qp_wr32(&priv->qp[q], FPGAETH_Q_IRQ_ENABLE,
				FPGAETH_Q_IRQ_ALL);

	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_STATUS, FPGAETH_MISC_IRQ_ALL);
	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_ENABLE,
		     FPGAETH_MISC_IRQ_LINK | FPGAETH_MISC_IRQ_DMA_ERR);
	netif_addr_lock_bh(ndev);
	fpgaeth_set_rx_mode(ndev);
	netif_addr_unlock_bh(ndev);
	fpgaeth_ctrl_update(priv, FPGAETH_CTRL_RX_CSUM_EN | FPGAETH_CTRL_RSS_EN,
			    fpgaeth_offload_ctrl(priv) | FPGAETH_CTRL_TX_EN |
			    FPGAETH_CTRL_RX_EN);
	/*
	 * Wake, not start: on a restart (ring or channel change, self-test,
	 * reset) a qdisc may hold frames it tried while the queues were
	 * stopped; waking schedules it, starting would leave them there until
	 * the next frame of that queue.
	 */
	netif_tx_wake_all_queues(ndev);
	fpgaeth_hw_stats_start(priv);
	fpgaeth_service_start(priv);
}

/**
 * fpgaeth_rings_install - put a set of rings in use, release the old ones
 * @priv: device whose datapath is stopped (under RTNL)
 * @rings: from fpgaeth_rings_alloc(), for @priv->num_qp queue pairs
 *
 * The old rings are freed only if the IP is known not to access them any
 * more; else they are leaked (see @priv->dma_unsafe).
 */
void fpgaeth_rings_install(struct fpgaeth_priv *priv,
			   struct fpgaeth_rings *rings)
{
	fpgaeth_rings_swap(priv, rings);
	if (priv->dma_unsafe) {
		netdev_err(priv->ndev, "the IP may still access the old rings: leaking them\n");
		kfree(rings);
		return;
	}
	/*
	 * The old rings, while NAPI is stopped (a page pool is destroyed
	 * when its NAPI cannot run); the pools go once the stack returns
	 * their pages.
	 */
	fpgaeth_rings_put(priv, rings);
}

/**
 * fpgaeth_up - start the datapath
 * @priv: device whose interface is running, datapath stopped (under RTNL)
 *
 * Allocate the rings and bring the IP from "all queues disabled" to
 * "passing traffic" (programming model, bring-up steps 3-5).
 *
 * Return: 0 or a negative errno (then nothing is allocated).
 */
int fpgaeth_up(struct fpgaeth_priv *priv)
{
	struct fpgaeth_rings *rings;

	/* A reset that did not complete before: the IP may work again now. */
	if (priv->dma_unsafe && fpgaeth_soft_reset(priv)) {
		netdev_err(priv->ndev, "the IP does not stop its DMA: not restarted\n");
		return -EIO;
	}
	rings = fpgaeth_rings_alloc(priv, priv->num_qp, priv->tx_ring_size,
				    priv->rx_ring_size);
	if (IS_ERR(rings)) {
		netdev_err(priv->ndev, "cannot allocate rings: %pe\n", rings);
		return PTR_ERR(rings);
	}
	/* The set returned holds the rings of a stopped interface: none. */
	fpgaeth_rings_install(priv, rings);
	fpgaeth_hw_start(priv);
	return 0;
}

/*
 * A queue did not go idle: reset the IP, which ends its DMA, keeping what
 * phylink programmed (MAC_CFG and the pause enables) so that the link stays
 * as it is; fpgaeth_hw_start() programs the rest.
 */
static void fpgaeth_reset_keep_link(struct fpgaeth_priv *priv)
{
	u32 mac_cfg = fpgaeth_rd32(priv, FPGAETH_MAC_CFG);
	u32 pause = fpgaeth_rd32(priv, FPGAETH_CTRL) &
		    (FPGAETH_CTRL_TX_PAUSE_EN | FPGAETH_CTRL_RX_PAUSE_EN);

	netdev_warn(priv->ndev, "resetting the IP to stop its DMA\n");
	if (fpgaeth_soft_reset(priv))
		return;
	fpgaeth_wr32(priv, FPGAETH_MAC_CFG, mac_cfg);
	fpgaeth_ctrl_update(priv, 0, pause);
}

/**
 * fpgaeth_hw_stop - stop traffic and the IP's DMA
 * @priv: device whose datapath runs (under RTNL)
 * @reset: reset the IP instead of waiting for the queues to go idle (the
 *         caller programs it again from scratch, link settings included)
 *
 * The recovery procedure of the programming model for all queue pairs,
 * steps 1-5: once the queues are idle (or, if one is not within the bound,
 * the IP is reset) the driver owns every buffer and may free it, unless
 * @priv->dma_unsafe says that even the reset did not complete. Hardware
 * counters are folded into the driver's totals, not changed.
 */
void fpgaeth_hw_stop(struct fpgaeth_priv *priv, bool reset)
{
	struct net_device *ndev = priv->ndev;
	unsigned int q;

	fpgaeth_service_stop(priv);
	priv->datapath_stops++;
	/*
	 * NAPI first: once no poll can run, no TX completion can wake a
	 * queue, so the queues stay stopped while the rings go away.
	 */
	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_ENABLE, 0);
	synchronize_irq(priv->misc_irq);
	for (q = 0; q < priv->num_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		fpgaeth_qp_wr32(qp, FPGAETH_Q_IRQ_ENABLE, 0);
		napi_disable(&qp->napi);
		fpgaeth_qp_quiet(qp);
		qp->stops++;
		netif_queue_set_napi(ndev, q, NETDEV_QUEUE_TYPE_RX, NULL);
		netif_queue_set_napi(ndev, q, NETDEV_QUEUE_TYPE_TX, NULL);
	}
	netif_tx_disable(ndev);
	/*
	 * An idle queue's last transmit may be long ago: without this the
	 * TX watchdog would take a queue stopped here (self-test, ring or
	 * channel change) for a hung one.
	 */
	for (q = 0; q < ndev->num_tx_queues; q++)
		txq_trans_cond_update(netdev_get_tx_queue(ndev, q));

	fpgaeth_ctrl_update(priv, FPGAETH_CTRL_TX_EN | FPGAETH_CTRL_RX_EN, 0);
	fpgaeth_hw_stats_stop(priv);
	for (q = 0; q < priv->num_qp; q++)
		fpgaeth_qp_disable(&priv->qp[q]);
	if (reset)
		fpgaeth_soft_reset(priv);
	else if (fpgaeth_wait_idle(priv, priv->num_qp))
		fpgaeth_reset_keep_link(priv);
	for (q = 0; q < priv->num_qp; q++)
		fpgaeth_qp_stop(&priv->qp[q]);
	priv->up = false;
	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_STATUS, FPGAETH_MISC_IRQ_DMA_ERR);
}

/**
 * fpgaeth_down - stop the datapath
 * @priv: device whose datapath runs (under RTNL)
 *
 * Stop traffic and, once the IP's DMA has stopped, give every buffer
 * back: the recovery procedure of the programming model for all queue
 * pairs. Hardware counters are kept.
 */
void fpgaeth_down(struct fpgaeth_priv *priv)
{
	/* not up after a restart that failed: NAPI is already disabled */
	if (priv->up)
		fpgaeth_hw_stop(priv, false);
	if (priv->dma_unsafe) {
		netdev_err(priv->ndev, "the IP may still access its rings: kept until a reset completes\n");
		return;
	}
	fpgaeth_rings_free(priv);
}

static int fpgaeth_set_num_qp(struct fpgaeth_priv *priv, unsigned int num_qp)
{
	int err;

	err = netif_set_real_num_queues(priv->ndev, num_qp, num_qp);
	if (err)
		return err;
	priv->num_qp = num_qp;
	if (!netif_is_rxfh_configured(priv->ndev))
		fpgaeth_rss_default_indir(priv);
	return 0;
}

/**
 * fpgaeth_reconfigure - change the queue pairs in use and the ring sizes
 * @priv: device
 * @num_qp: queue pairs, 1 to @priv->max_qp
 * @tx_size: TX ring size, a power of two the device supports
 * @rx_size: RX ring size
 * @extack: where to say why it failed
 *
 * A running interface gets its new rings allocated before the old ones are
 * given up, so that on failure it keeps running as it was; it stops
 * passing traffic only while the rings are exchanged. The RSS table is
 * spread again over the queues unless the user set it (the caller refuses
 * a user table pointing at a queue that goes away). The counters of the
 * queue pairs that go away are kept.
 *
 * Return: 0 or a negative errno, the configuration unchanged.
 */
int fpgaeth_reconfigure(struct fpgaeth_priv *priv, unsigned int num_qp,
			unsigned int tx_size, unsigned int rx_size,
			struct netlink_ext_ack *extack)
{
	struct net_device *ndev = priv->ndev;
	unsigned int old_num_qp = priv->num_qp;
	struct fpgaeth_rings *rings;
	int err;

	ASSERT_RTNL();

	if (!netif_running(ndev) || !priv->up) {
		err = fpgaeth_set_num_qp(priv, num_qp);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "cannot change the number of queues");
			return err;
		}
		priv->tx_ring_size = tx_size;
		priv->rx_ring_size = rx_size;
		return 0;
	}

	/* new ring sizes only: one pair after the other, the others running */
	if (num_qp == old_num_qp) {
		err = fpgaeth_rings_resize(priv, tx_size, rx_size, extack);
		if (!err)
			netif_info(priv, ifup, ndev, "rings TX %u RX %u\n",
				   tx_size, rx_size);
		return err;
	}

	rings = fpgaeth_rings_alloc(priv, num_qp, tx_size, rx_size);
	if (IS_ERR(rings)) {
		NL_SET_ERR_MSG_MOD(extack, "cannot allocate the new rings, the old ones are kept");
		return PTR_ERR(rings);
	}

	fpgaeth_hw_stop(priv, false);
	if (priv->dma_unsafe) {
		NL_SET_ERR_MSG_MOD(extack, "the IP does not stop: interface stopped");
		fpgaeth_rings_put(priv, rings);
		return -EIO;
	}
	err = fpgaeth_set_num_qp(priv, num_qp);
	if (err) {
		/*
		 * Only growing can fail (the stack's queue objects). Rings
		 * stopped with frames in flight are not restarted as they
		 * are: build the old configuration again.
		 */
		NL_SET_ERR_MSG_MOD(extack, "cannot add queues to the stack");
		fpgaeth_rings_put(priv, rings);
		fpgaeth_down(priv);
		if (fpgaeth_up(priv))
			netdev_err(ndev, "cannot restart with %u queue pairs either: interface stopped\n",
				   old_num_qp);
		return err;
	}
	fpgaeth_rings_install(priv, rings);
	priv->tx_ring_size = tx_size;
	priv->rx_ring_size = rx_size;
	fpgaeth_hw_start(priv);

	netif_info(priv, ifup, ndev,
		   "%u queue pairs (were %u), rings TX %u RX %u\n", num_qp,
		   old_num_qp, tx_size, rx_size);
	return 0;
}

static int fpgaeth_open(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	int err;

	err = phylink_of_phy_connect(priv->phylink, priv->dev->of_node, 0);
	if (err) {
		netdev_err(ndev, "cannot connect the PHY: %d\n", err);
		return err;
	}

	err = fpgaeth_up(priv);
	if (err) {
		phylink_disconnect_phy(priv->phylink);
		return err;
	}
	phylink_start(priv->phylink);
	return 0;
}

static int fpgaeth_stop(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	phylink_stop(priv->phylink);
	fpgaeth_down(priv);
	phylink_disconnect_phy(priv->phylink);
	return 0;
}

/*
 * RX buffers are pages whatever the MTU (a longer frame spans several): a
 * new MTU only changes the IP's MAX_FRAME_LEN, which applies from the next
 * frame on; nothing is stopped or rebuilt. An XDP program without frags
 * support needs frames that fit one buffer (fpgaeth_xdp.c).
 */
static int fpgaeth_change_mtu(struct net_device *ndev, int new_mtu)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	if (!fpgaeth_xdp_prog_ok(priv, priv->xdp_prog, new_mtu)) {
		netdev_err(ndev, "MTU %d too large for the XDP program attached, which does not take multi-buffer frames (xdp.frags): MTU %u at most\n",
			   new_mtu, priv->rx_buf_len - ETH_HLEN - VLAN_HLEN);
		return -EINVAL;
	}
	/* AF_XDP zero-copy: frames must fit the sockets' UMEM buffers */
	if (!fpgaeth_xsk_mtu_ok(priv, new_mtu)) {
		netdev_err(ndev, "MTU %d too large for the UMEM frames of an AF_XDP zero-copy socket\n",
			   new_mtu);
		return -EINVAL;
	}

	WRITE_ONCE(ndev->mtu, new_mtu);
	if (priv->up)
		fpgaeth_wr32(priv, FPGAETH_MAX_FRAME_LEN,
			     new_mtu + ETH_HLEN + VLAN_HLEN);
	return 0;
}

static int fpgaeth_set_features(struct net_device *ndev,
				netdev_features_t features)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	if ((features ^ ndev->features) & NETIF_F_RXCSUM)
		fpgaeth_ctrl_update(priv, FPGAETH_CTRL_RX_CSUM_EN,
				    features & NETIF_F_RXCSUM ?
				    FPGAETH_CTRL_RX_CSUM_EN : 0);
	return 0;
}

#define FPGAETH_HW(c, name)	((c)->mac[FPGAETH_STAT_IDX(FPGAETH_STAT_##name)])

static void fpgaeth_get_stats64(struct net_device *ndev,
				struct rtnl_link_stats64 *stats)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_ring_stats tx, rx;
	struct fpgaeth_hw_counts hw;
	unsigned int q;

	/* Every queue pair: those that went away (ethtool -L) count too. */
	for (q = 0; q < FPGAETH_MAX_QP; q++) {
		fpgaeth_ring_stats_get(&priv->qp[q].tx.stats, &tx);
		fpgaeth_ring_stats_get(&priv->qp[q].rx.stats, &rx);
		stats->tx_packets += tx.packets;
		stats->tx_bytes += tx.bytes;
		stats->tx_errors += tx.errors;
		stats->tx_dropped += tx.dropped;
		stats->rx_packets += rx.packets;
		stats->rx_bytes += rx.bytes;
		stats->rx_dropped += rx.errors;
	}

	/* The MAC's counters, accumulated across resets of the IP */
	fpgaeth_hw_stats_get(priv, &hw);
	stats->multicast = FPGAETH_HW(&hw, RX_MCAST);
	stats->rx_crc_errors = FPGAETH_HW(&hw, RX_FCS_ERR);
	stats->rx_frame_errors = FPGAETH_HW(&hw, RX_ALIGN_ERR);
	stats->rx_length_errors = FPGAETH_HW(&hw, RX_TOO_LONG) +
				  FPGAETH_HW(&hw, RX_UNDERSIZE) +
				  FPGAETH_HW(&hw, RX_FRAGMENTS) +
				  FPGAETH_HW(&hw, RX_JABBERS);
	stats->rx_fifo_errors = FPGAETH_HW(&hw, RX_FIFO_OVF);
	stats->rx_missed_errors = FPGAETH_HW(&hw, RX_NOBUF);
	stats->rx_errors = stats->rx_crc_errors + stats->rx_frame_errors +
			   stats->rx_length_errors + stats->rx_fifo_errors;
}

static void fpgaeth_tx_timeout(struct net_device *ndev, unsigned int txqueue)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_qp *qp;

	/* a stopped datapath (a restart failed) or a queue not in use */
	if (!priv->up || txqueue >= priv->num_qp) {
		netif_err(priv, tx_err, ndev, "TX queue %u timed out, datapath stopped\n",
			  txqueue);
		return;
	}
	qp = &priv->qp[txqueue];
	netif_err(priv, tx_err, ndev, "TX queue %u timed out: driver head %u tail %u, device head %u status %#x\n",
		  txqueue, qp->tx.head, qp->tx.tail,
		  fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_HEAD),
		  fpgaeth_qp_rd32(qp, FPGAETH_Q_TX_STATUS));
	fpgaeth_schedule_qp_recovery(priv, txqueue);
}

static int fpgaeth_ioctl(struct net_device *ndev, struct ifreq *ifr, int cmd)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return phylink_mii_ioctl(priv->phylink, ifr, cmd);
}

static const struct net_device_ops fpgaeth_netdev_ops = {
	.ndo_open = fpgaeth_open,
	.ndo_stop = fpgaeth_stop,
	.ndo_start_xmit = fpgaeth_start_xmit,
	.ndo_set_rx_mode = fpgaeth_set_rx_mode,
	.ndo_set_mac_address = fpgaeth_set_mac_address,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_change_mtu = fpgaeth_change_mtu,
	.ndo_set_features = fpgaeth_set_features,
	.ndo_get_stats64 = fpgaeth_get_stats64,
	.ndo_tx_timeout = fpgaeth_tx_timeout,
	.ndo_eth_ioctl = fpgaeth_ioctl,
	.ndo_bpf = fpgaeth_ndo_bpf,
	.ndo_xdp_xmit = fpgaeth_xdp_xmit,
	.ndo_xsk_wakeup = fpgaeth_xsk_wakeup,
};

/*
 * The station address: "local-mac-address" (or "mac-address", nvmem), or
 * a random one with a warning that says why, as other drivers do.
 */
static int fpgaeth_dt_mac_address(struct fpgaeth_priv *priv)
{
	struct device_node *np = priv->dev->of_node;
	struct net_device *ndev = priv->ndev;
	u8 dt[ETH_ALEN];
	int err, len;

	err = of_get_ethdev_address(np, ndev);
	if (err == -EPROBE_DEFER)
		return err;
	if (!err)
		return 0;
	eth_hw_addr_random(ndev);
	len = of_property_count_u8_elems(np, "local-mac-address");
	if (len == ETH_ALEN &&
	    !of_property_read_u8_array(np, "local-mac-address", dt, len))
		dev_warn(priv->dev, "local-mac-address %pM is not a valid unicast address: using random %pM\n",
			 dt, ndev->dev_addr);
	else if (len > 0)
		dev_warn(priv->dev, "local-mac-address of %d bytes, not %u: using random %pM\n",
			 len, ETH_ALEN, ndev->dev_addr);
	else
		dev_warn(priv->dev, "no local-mac-address in the device tree: using random %pM\n",
			 ndev->dev_addr);
	return 0;
}

/**
 * fpgaeth_netdev_setup - describe the interface before it is registered
 * @priv: device with its capabilities read and @ndev allocated
 *
 * Return: 0 or a negative errno (-EPROBE_DEFER from an nvmem MAC address).
 */
int fpgaeth_netdev_setup(struct fpgaeth_priv *priv)
{
	struct net_device *ndev = priv->ndev;
	netdev_features_t hw = 0;
	unsigned int q, max_frame, ring_log2;
	int err;

	strscpy(ndev->name, "fpgaeth%d", sizeof(ndev->name));
	ndev->netdev_ops = &fpgaeth_netdev_ops;
	fpgaeth_set_ethtool_ops(ndev);
	ndev->watchdog_timeo = FPGAETH_TX_TIMEOUT;
	ndev->priv_flags |= IFF_LIVE_ADDR_CHANGE;

	err = fpgaeth_dt_mac_address(priv);
	if (err)
		return err;

	if (priv->cap1 & FPGAETH_CAP1_TX_SG)
		hw |= NETIF_F_SG;
	if (priv->cap1 & FPGAETH_CAP1_TX_CSUM)
		hw |= NETIF_F_HW_CSUM;
	if (priv->cap1 & FPGAETH_CAP1_RX_CSUM)
		hw |= NETIF_F_RXCSUM;
	if (priv->cap1 & FPGAETH_CAP1_RSS)
		hw |= NETIF_F_RXHASH;
	ndev->hw_features = hw;
	ndev->features = hw;
	/*
	 * XDP with multi-buffer frames, a redirect target for them too (with
	 * TX_SG: fpgaeth_xdp_frame_ok() refuses a multi-buffer frame without),
	 * and AF_XDP zero-copy (fpgaeth_xsk.c: single-buffer frames)
	 */
	ndev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			     NETDEV_XDP_ACT_NDO_XMIT | NETDEV_XDP_ACT_RX_SG |
			     NETDEV_XDP_ACT_XSK_ZEROCOPY;
	if (priv->tx_max_descs > 1)
		ndev->xdp_features |= NETDEV_XDP_ACT_NDO_XMIT_SG;
	ndev->xdp_metadata_ops = &fpgaeth_xdp_metadata_ops;

	max_frame = FIELD_GET(FPGAETH_CAP0_MAX_FRAME, priv->cap0);
	if (max_frame < ETH_MIN_MTU + ETH_HLEN + VLAN_HLEN) {
		dev_err(priv->dev, "CAP0.MAX_FRAME %u: below the smallest MTU, %u, with its headers\n",
			max_frame, ETH_MIN_MTU);
		return -ENODEV;
	}
	priv->max_frame = max_frame;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = max_frame - ETH_HLEN - VLAN_HLEN;
	ndev->mtu = min(ndev->mtu, ndev->max_mtu);

	/* Never trust the hardware with more than its 4-bit field can say. */
	ring_log2 = FIELD_GET(FPGAETH_CAP0_MAX_RING_LOG2, priv->cap0);
	priv->max_ring_size = 1U << ring_log2;
	if (priv->max_ring_size < FPGAETH_MIN_RING_SIZE) {
		dev_err(priv->dev, "CAP0.MAX_RING_LOG2 %u: rings of %u descriptors are too small\n",
			ring_log2, priv->max_ring_size);
		return -ENODEV;
	}
	priv->tx_ring_size = min(FPGAETH_DEFAULT_RING_SIZE, priv->max_ring_size);
	/* A page per buffer, room for the skb_shared_info behind the data */
	priv->rx_buf_len = min_t(unsigned int, U16_MAX,
				 SKB_WITH_OVERHEAD(PAGE_SIZE -
						   FPGAETH_RX_HEADROOM));
	priv->rx_ring_size = priv->tx_ring_size;

	/*
	 * RX keeps the device's reset coalescing, an interrupt per frame (a
	 * frame waits for nothing). A TX completion only gives buffers back:
	 * one interrupt per FPGAETH_TX_COAL_FRAMES under load, a lone frame's
	 * completion after FPGAETH_TX_COAL_USECS at most.
	 */
	priv->tx_coal.frames = FPGAETH_TX_COAL_FRAMES;
	priv->tx_coal.usecs = FPGAETH_TX_COAL_USECS;
	priv->rx_coal.frames = 1;
	priv->msg_enable = FPGAETH_MSG_DEFAULT;

	netdev_rss_key_fill(priv->rss_key, sizeof(priv->rss_key));
	fpgaeth_rss_default_indir(priv);

	spin_lock_init(&priv->ctrl_lock);
	fpgaeth_recovery_init(priv);

	ndev->stat_ops = &fpgaeth_stat_ops;
#if FPGAETH_CORE_QUEUE_OPS
	ndev->queue_mgmt_ops = &fpgaeth_queue_ops;
#endif
	for (q = 0; q < FPGAETH_MAX_QP; q++) {
		u64_stats_init(&priv->qp[q].tx.stats.syncp);
		u64_stats_init(&priv->qp[q].tx.stats.xmit_syncp);
		u64_stats_init(&priv->qp[q].rx.stats.syncp);
		u64_stats_init(&priv->qp[q].irq_syncp);
	}
	for (q = 0; q < priv->max_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		netif_napi_add(ndev, &qp->napi, fpgaeth_napi_poll);
		netif_napi_set_irq(&qp->napi, qp->irq);
		fpgaeth_dim_init(qp);
		ratelimit_state_init(&qp->wb_dup_rs, DEFAULT_RATELIMIT_INTERVAL,
				     DEFAULT_RATELIMIT_BURST);
	}

	err = netif_set_real_num_tx_queues(ndev, priv->num_qp);
	if (err)
		return err;
	return netif_set_real_num_rx_queues(ndev, priv->num_qp);
}
