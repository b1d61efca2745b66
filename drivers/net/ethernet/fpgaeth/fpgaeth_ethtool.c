// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth ethtool operations.
 */
#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/phylink.h>
#include <net/page_pool/helpers.h>

#include "fpgaeth.h"
#include "fpgaeth_compat.h"

static void fpgaeth_get_drvinfo(struct net_device *ndev,
				struct ethtool_drvinfo *info)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	snprintf(info->fw_version, sizeof(info->fw_version),
		 "%lu.%lu build %#x",
		 FIELD_GET(FPGAETH_VERSION_MAJOR, priv->version),
		 FIELD_GET(FPGAETH_VERSION_MINOR, priv->version),
		 priv->build_id);
	strscpy(info->bus_info, dev_name(priv->dev), sizeof(info->bus_info));
}

static int fpgaeth_get_link_ksettings(struct net_device *ndev,
				      struct ethtool_link_ksettings *cmd)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return phylink_ethtool_ksettings_get(priv->phylink, cmd);
}

static int fpgaeth_set_link_ksettings(struct net_device *ndev,
				      const struct ethtool_link_ksettings *cmd)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	/*
	 * phylink hands a forced half duplex to the PHY as it is: the IP
	 * has no CSMA/CD (programming model: Half duplex), so refuse it here.
	 */
	if (cmd->base.autoneg == AUTONEG_DISABLE &&
	    cmd->base.duplex != DUPLEX_FULL) {
		netdev_err(ndev, "half duplex is not supported: the IP has no CSMA/CD\n");
		return -EINVAL;
	}
	return phylink_ethtool_ksettings_set(priv->phylink, cmd);
}

static int fpgaeth_nway_reset(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return phylink_ethtool_nway_reset(priv->phylink);
}

struct fpgaeth_ring_stat {
	const char *name;
	size_t offset;
};

#define FPGAETH_RING_STAT(m) \
	{ .name = #m, .offset = offsetof(struct fpgaeth_ring_stats, m) }

/* The per-queue software counters that mean something in each direction */
static const struct fpgaeth_ring_stat fpgaeth_tx_stats[] = {
	FPGAETH_RING_STAT(packets),
	FPGAETH_RING_STAT(bytes),
	FPGAETH_RING_STAT(errors),
	FPGAETH_RING_STAT(dropped),
	FPGAETH_RING_STAT(stop),
	FPGAETH_RING_STAT(wake),
	FPGAETH_RING_STAT(xdp_xmit),
	FPGAETH_RING_STAT(xdp_xmit_errors),
	FPGAETH_RING_STAT(xsk_xmit),
};

static const struct fpgaeth_ring_stat fpgaeth_rx_stats[] = {
	FPGAETH_RING_STAT(packets),
	FPGAETH_RING_STAT(bytes),
	FPGAETH_RING_STAT(errors),
	FPGAETH_RING_STAT(alloc_fail),
	FPGAETH_RING_STAT(csum_complete),
	FPGAETH_RING_STAT(csum_none),
	FPGAETH_RING_STAT(xdp_drop),
	FPGAETH_RING_STAT(xdp_tx),
	FPGAETH_RING_STAT(xdp_redirect),
	FPGAETH_RING_STAT(xdp_errors),
	FPGAETH_RING_STAT(xsk_fill_empty),
};

/*
 * Recovery (fpgaeth_recovery.c): whole-IP resets, then the sums over every
 * queue pair (those that went away included) of the per-pair counters
 * below, the times the IP stopped responding, the times the whole
 * datapath (every pair at once) was stopped, and the stalls (the pairs'
 * and the RX stalls no pair reported). Written under RTNL or by the
 * service work, read under RTNL: plain u64s.
 */
static const char * const fpgaeth_recovery_stats[] = {
	"resets", "queue_resets", "irq_lost", "hw_errors", "not_responding",
	"irq_storms", "datapath_stops", "stalls",
};

static const char * const fpgaeth_qp_recovery_stats[] = {
	"resets", "irq_lost", "hw_errors", "irq_storms", "stops", "stalls",
};

/*
 * A pair's hw_errors: the register values the service check refused, the
 * completions its TX clean refused (a ring counter, written by NAPI) and
 * the completions of no frame the service check found in free TX
 * descriptors (wb_dup, written under the xmit lock).
 */
static u64 fpgaeth_qp_hw_errors(struct fpgaeth_qp *qp)
{
	struct fpgaeth_ring_stats s;

	fpgaeth_ring_stats_get(&qp->tx.stats, &s);
	return qp->hw_errors + s.hw_errors + s.wb_dup;
}

static void fpgaeth_recovery_stats_read(struct fpgaeth_priv *priv,
					u64 **data)
{
	u64 *d = *data;
	unsigned int q;

	d[0] = priv->resets;
	d[1] = 0;
	d[2] = 0;
	d[3] = 0;
	d[5] = 0;
	d[7] = priv->rx_stalls;
	for (q = 0; q < FPGAETH_MAX_QP; q++) {
		d[1] += priv->qp[q].resets;
		d[2] += priv->qp[q].irq_lost;
		d[3] += fpgaeth_qp_hw_errors(&priv->qp[q]);
		d[5] += fpgaeth_irq_storms(&priv->qp[q]);
		d[7] += priv->qp[q].stalls;
	}
	d[4] = priv->not_responding_events;
	d[6] = priv->datapath_stops;
	*data += ARRAY_SIZE(fpgaeth_recovery_stats);
}

/* The IP's statistics counters (0x0400 - 0x055f), in register order */
#define FPGAETH_MAC_STAT(name, str) \
	[FPGAETH_STAT_IDX(FPGAETH_STAT_##name)] = "mac_" str

static const char * const fpgaeth_mac_stat_names[FPGAETH_STAT_NUM] = {
	FPGAETH_MAC_STAT(TX_FRAMES_OK, "tx_frames_ok"),
	FPGAETH_MAC_STAT(TX_OCTETS_OK, "tx_octets_ok"),
	FPGAETH_MAC_STAT(TX_UCAST, "tx_ucast"),
	FPGAETH_MAC_STAT(TX_MCAST, "tx_mcast"),
	FPGAETH_MAC_STAT(TX_BCAST, "tx_bcast"),
	FPGAETH_MAC_STAT(TX_PAUSE, "tx_pause"),
	FPGAETH_MAC_STAT(TX_MAC_CTRL, "tx_mac_ctrl"),
	FPGAETH_MAC_STAT(TX_DISCARDS, "tx_discards"),
	FPGAETH_MAC_STAT(RX_FRAMES_OK, "rx_frames_ok"),
	FPGAETH_MAC_STAT(RX_OCTETS_OK, "rx_octets_ok"),
	FPGAETH_MAC_STAT(RX_UCAST, "rx_ucast"),
	FPGAETH_MAC_STAT(RX_MCAST, "rx_mcast"),
	FPGAETH_MAC_STAT(RX_BCAST, "rx_bcast"),
	FPGAETH_MAC_STAT(RX_PAUSE, "rx_pause"),
	FPGAETH_MAC_STAT(RX_MAC_CTRL, "rx_mac_ctrl"),
	FPGAETH_MAC_STAT(RX_UNSUP_OPCODE, "rx_unsup_opcode"),
	FPGAETH_MAC_STAT(RX_FCS_ERR, "rx_fcs_err"),
	FPGAETH_MAC_STAT(RX_ALIGN_ERR, "rx_align_err"),
	FPGAETH_MAC_STAT(RX_LEN_ERR, "rx_len_err"),
	FPGAETH_MAC_STAT(RX_TOO_LONG, "rx_too_long"),
	FPGAETH_MAC_STAT(RX_UNDERSIZE, "rx_undersize"),
	FPGAETH_MAC_STAT(RX_FRAGMENTS, "rx_fragments"),
	FPGAETH_MAC_STAT(RX_JABBERS, "rx_jabbers"),
	FPGAETH_MAC_STAT(RX_NOBUF, "rx_nobuf"),
	FPGAETH_MAC_STAT(RX_FIFO_OVF, "rx_fifo_ovf"),
	FPGAETH_MAC_STAT(RX_FILTERED, "rx_filtered"),
	/* RX_HIST0-8 and TX_HIST0-8: named from fpgaeth_rmon_ranges */
};

/*
 * The size bins of RX_HIST0-8 and TX_HIST0-8: frame bytes from the
 * destination address to the end of the FCS. The last bin has no upper
 * bound: 65535 is the largest value the range can hold.
 */
static const struct ethtool_rmon_hist_range fpgaeth_rmon_ranges[] = {
	{    0,    64 },
	{   65,   127 },
	{  128,   255 },
	{  256,   511 },
	{  512,  1023 },
	{ 1024,  1518 },
	{ 1519,  2047 },
	{ 2048,  4095 },
	{ 4096, 65535 },
	{ }
};

static_assert(ARRAY_SIZE(fpgaeth_rmon_ranges) == FPGAETH_STAT_HIST_NUM + 1);
static_assert(ARRAY_SIZE(fpgaeth_rmon_ranges) - 1 <= ETHTOOL_RMON_HIST_MAX);
static_assert(FPGAETH_STAT_IDX(FPGAETH_STAT_TX_HIST(FPGAETH_STAT_HIST_NUM)) ==
	      FPGAETH_STAT_NUM);

static void fpgaeth_mac_hist_strings(u8 **data, const char *dir)
{
	const struct ethtool_rmon_hist_range *r;

	for (r = fpgaeth_rmon_ranges; r->high; r++)
		if (r->high == U16_MAX)
			ethtool_sprintf(data, "mac_%s_hist_%u_max", dir, r->low);
		else
			ethtool_sprintf(data, "mac_%s_hist_%u_%u", dir, r->low,
					r->high);
}

static int fpgaeth_get_sset_count(struct net_device *ndev, int sset)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	if (sset == ETH_SS_TEST)
		return fpgaeth_selftest_count();
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(fpgaeth_recovery_stats) +
	       priv->num_qp * (ARRAY_SIZE(fpgaeth_tx_stats) +
			       ARRAY_SIZE(fpgaeth_rx_stats) +
			       ARRAY_SIZE(fpgaeth_qp_recovery_stats)) +
	       FPGAETH_STAT_NUM + page_pool_ethtool_stats_get_count();
}

static void fpgaeth_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q, i;

	if (sset == ETH_SS_TEST)
		fpgaeth_selftest_strings(data);
	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(fpgaeth_recovery_stats); i++)
		ethtool_puts(&data, fpgaeth_recovery_stats[i]);
	for (q = 0; q < priv->num_qp; q++) {
		for (i = 0; i < ARRAY_SIZE(fpgaeth_tx_stats); i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					fpgaeth_tx_stats[i].name);
		for (i = 0; i < ARRAY_SIZE(fpgaeth_rx_stats); i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					fpgaeth_rx_stats[i].name);
		for (i = 0; i < ARRAY_SIZE(fpgaeth_qp_recovery_stats); i++)
			ethtool_sprintf(&data, "q%u_%s", q,
					fpgaeth_qp_recovery_stats[i]);
	}
	for (i = 0; i < FPGAETH_STAT_IDX(FPGAETH_STAT_RX_HIST(0)); i++)
		ethtool_puts(&data, fpgaeth_mac_stat_names[i]);
	fpgaeth_mac_hist_strings(&data, "rx");
	fpgaeth_mac_hist_strings(&data, "tx");
	page_pool_ethtool_stats_get_strings(data);
}

/* Copy @n counters of @s, consistent with each other, to *@data. */
static void fpgaeth_ring_stats_read(const struct fpgaeth_ring_stats *s,
				    const struct fpgaeth_ring_stat *desc,
				    unsigned int n, u64 **data)
{
	struct fpgaeth_ring_stats copy;
	unsigned int i;

	fpgaeth_ring_stats_get(s, &copy);
	for (i = 0; i < n; i++)
		(*data)[i] = *(const u64 *)((const u8 *)&copy + desc[i].offset);
	*data += n;
}

/* The counters of the page pools in use and of those destroyed before. */
static void fpgaeth_pp_stats_read(struct fpgaeth_priv *priv, u64 *data)
{
#ifdef CONFIG_PAGE_POOL_STATS
	struct page_pool_stats pp = priv->pp_stats;
	unsigned int q;

	for (q = 0; q < priv->num_qp; q++)
		if (priv->qp[q].rx.pp)
			page_pool_get_stats(priv->qp[q].rx.pp, &pp);
	page_pool_ethtool_stats_get(data, &pp);
#endif
}

static void fpgaeth_get_ethtool_stats(struct net_device *ndev,
				      struct ethtool_stats *stats, u64 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_hw_counts hw;
	unsigned int q;

	fpgaeth_recovery_stats_read(priv, &data);
	for (q = 0; q < priv->num_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		fpgaeth_ring_stats_read(&qp->tx.stats, fpgaeth_tx_stats,
					ARRAY_SIZE(fpgaeth_tx_stats), &data);
		fpgaeth_ring_stats_read(&qp->rx.stats, fpgaeth_rx_stats,
					ARRAY_SIZE(fpgaeth_rx_stats), &data);
		*data++ = qp->resets;
		*data++ = qp->irq_lost;
		*data++ = fpgaeth_qp_hw_errors(qp);
		*data++ = fpgaeth_irq_storms(qp);
		*data++ = qp->stops;
		*data++ = qp->stalls;
	}
	fpgaeth_hw_stats_get(priv, &hw);
	memcpy(data, hw.mac, sizeof(hw.mac));
	data += FPGAETH_STAT_NUM;
	fpgaeth_pp_stats_read(priv, data);
}

#define FPGAETH_HW(c, name)	((c)->mac[FPGAETH_STAT_IDX(FPGAETH_STAT_##name)])

/*
 * The standard groups. Counters the IP does not have are left as the core
 * set them (ETHTOOL_STAT_NOT_SET), so they are not reported.
 */
static void fpgaeth_get_eth_mac_stats(struct net_device *ndev,
				      struct ethtool_eth_mac_stats *s)
{
	struct fpgaeth_hw_counts hw;

	fpgaeth_hw_stats_get(netdev_priv(ndev), &hw);
	s->FramesTransmittedOK = FPGAETH_HW(&hw, TX_FRAMES_OK);
	s->FramesReceivedOK = FPGAETH_HW(&hw, RX_FRAMES_OK);
	s->FrameCheckSequenceErrors = FPGAETH_HW(&hw, RX_FCS_ERR);
	s->AlignmentErrors = FPGAETH_HW(&hw, RX_ALIGN_ERR);
	s->OctetsTransmittedOK = FPGAETH_HW(&hw, TX_OCTETS_OK);
	s->FramesLostDueToIntMACRcvError = FPGAETH_HW(&hw, RX_FIFO_OVF);
	s->OctetsReceivedOK = FPGAETH_HW(&hw, RX_OCTETS_OK);
	s->MulticastFramesXmittedOK = FPGAETH_HW(&hw, TX_MCAST);
	s->BroadcastFramesXmittedOK = FPGAETH_HW(&hw, TX_BCAST);
	s->MulticastFramesReceivedOK = FPGAETH_HW(&hw, RX_MCAST);
	s->BroadcastFramesReceivedOK = FPGAETH_HW(&hw, RX_BCAST);
	s->InRangeLengthErrors = FPGAETH_HW(&hw, RX_LEN_ERR);
	s->FrameTooLongErrors = FPGAETH_HW(&hw, RX_TOO_LONG);
}

static void fpgaeth_get_eth_ctrl_stats(struct net_device *ndev,
				       struct ethtool_eth_ctrl_stats *s)
{
	struct fpgaeth_hw_counts hw;

	fpgaeth_hw_stats_get(netdev_priv(ndev), &hw);
	s->MACControlFramesTransmitted = FPGAETH_HW(&hw, TX_MAC_CTRL);
	s->MACControlFramesReceived = FPGAETH_HW(&hw, RX_MAC_CTRL);
	s->UnsupportedOpcodesReceived = FPGAETH_HW(&hw, RX_UNSUP_OPCODE);
}

static void fpgaeth_get_rmon_stats(struct net_device *ndev,
				   struct ethtool_rmon_stats *s,
				   const struct ethtool_rmon_hist_range **ranges)
{
	struct fpgaeth_hw_counts hw;
	unsigned int k;

	fpgaeth_hw_stats_get(netdev_priv(ndev), &hw);
	s->undersize_pkts = FPGAETH_HW(&hw, RX_UNDERSIZE);
	s->oversize_pkts = FPGAETH_HW(&hw, RX_TOO_LONG);
	s->fragments = FPGAETH_HW(&hw, RX_FRAGMENTS);
	s->jabbers = FPGAETH_HW(&hw, RX_JABBERS);
	for (k = 0; k < FPGAETH_STAT_HIST_NUM; k++) {
		s->hist[k] = hw.mac[FPGAETH_STAT_IDX(FPGAETH_STAT_RX_HIST(k))];
		s->hist_tx[k] = hw.mac[FPGAETH_STAT_IDX(FPGAETH_STAT_TX_HIST(k))];
	}
	*ranges = fpgaeth_rmon_ranges;
}

static void fpgaeth_get_pause_stats(struct net_device *ndev,
				    struct ethtool_pause_stats *s)
{
	struct fpgaeth_hw_counts hw;

	fpgaeth_hw_stats_get(netdev_priv(ndev), &hw);
	s->tx_pause_frames = FPGAETH_HW(&hw, TX_PAUSE);
	s->rx_pause_frames = FPGAETH_HW(&hw, RX_PAUSE);
}

static u32 fpgaeth_get_msglevel(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return priv->msg_enable;
}

static void fpgaeth_set_msglevel(struct net_device *ndev, u32 level)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	priv->msg_enable = level;
}

static void fpgaeth_get_pauseparam(struct net_device *ndev,
				   struct ethtool_pauseparam *pause)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	phylink_ethtool_get_pauseparam(priv->phylink, pause);
}

static int fpgaeth_set_pauseparam(struct net_device *ndev,
				  struct ethtool_pauseparam *pause)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return phylink_ethtool_set_pauseparam(priv->phylink, pause);
}

static void fpgaeth_get_ringparam(struct net_device *ndev,
				  struct ethtool_ringparam *ring,
				  struct kernel_ethtool_ringparam *kring,
				  struct netlink_ext_ack *extack)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	ring->rx_max_pending = priv->max_ring_size;
	ring->tx_max_pending = priv->max_ring_size;
	ring->rx_pending = priv->rx_ring_size;
	ring->tx_pending = priv->tx_ring_size;
}

static int fpgaeth_check_ring_size(struct fpgaeth_priv *priv, const char *dir,
				   u32 size, struct netlink_ext_ack *extack)
{
	/* The core has checked the maximum we report. */
	if (size < FPGAETH_MIN_RING_SIZE || size > priv->max_ring_size ||
	    !is_power_of_2(size)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s ring size %u: must be a power of two from %u to %u",
				       dir, size, FPGAETH_MIN_RING_SIZE,
				       priv->max_ring_size);
		return -EINVAL;
	}
	return 0;
}

static int fpgaeth_set_ringparam(struct net_device *ndev,
				 struct ethtool_ringparam *ring,
				 struct kernel_ethtool_ringparam *kring,
				 struct netlink_ext_ack *extack)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	int err;

	err = fpgaeth_check_ring_size(priv, "RX", ring->rx_pending, extack);
	if (!err)
		err = fpgaeth_check_ring_size(priv, "TX", ring->tx_pending,
					      extack);
	if (err)
		return err;
	if (ring->rx_pending == priv->rx_ring_size &&
	    ring->tx_pending == priv->tx_ring_size)
		return 0;
	return fpgaeth_reconfigure(priv, priv->num_qp, ring->tx_pending,
				   ring->rx_pending, extack);
}

static int fpgaeth_get_coalesce(struct net_device *ndev,
				struct ethtool_coalesce *ec,
				struct kernel_ethtool_coalesce *kec,
				struct netlink_ext_ack *extack)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	ec->tx_coalesce_usecs = priv->tx_coal.usecs;
	ec->tx_max_coalesced_frames = priv->tx_coal.frames;
	ec->use_adaptive_tx_coalesce = priv->tx_coal.adaptive;
	ec->rx_coalesce_usecs = priv->rx_coal.usecs;
	ec->rx_max_coalesced_frames = priv->rx_coal.frames;
	ec->use_adaptive_rx_coalesce = priv->rx_coal.adaptive;
	return 0;
}

/*
 * USECS and FRAMES are 16-bit fields. FRAMES above 1 without USECS would
 * hold the last completions of a burst until more traffic comes: refused.
 */
static int fpgaeth_check_coal(const char *dir, u32 usecs, u32 frames,
			      struct netlink_ext_ack *extack)
{
	if (usecs > U16_MAX) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s-usecs %u: the most is %u",
				       dir, usecs, U16_MAX);
		return -EINVAL;
	}
	if (frames > U16_MAX) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s-frames %u: the most is %u",
				       dir, frames, U16_MAX);
		return -EINVAL;
	}
	if (frames > 1 && !usecs) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s-frames %u needs %s-usecs to bound the wait for the last frames",
				       dir, frames, dir);
		return -EINVAL;
	}
	return 0;
}

/* Turn a direction's adaptive moderation on or off. */
static void fpgaeth_set_adaptive(struct fpgaeth_priv *priv,
				 struct fpgaeth_coal *coal, bool tx, bool on)
{
	unsigned int q;

	if (coal->adaptive == on)
		return;
	WRITE_ONCE(coal->adaptive, on);
	for (q = 0; q < priv->max_qp; q++) {
		struct dim *dim = tx ? &priv->qp[q].tx_dim : &priv->qp[q].rx_dim;

		/* A running work saw "on": let it finish before our write. */
		if (!on)
			cancel_work_sync(&dim->work);
		dim->state = DIM_START_MEASURE;
	}
}

static int fpgaeth_set_coalesce(struct net_device *ndev,
				struct ethtool_coalesce *ec,
				struct kernel_ethtool_coalesce *kec,
				struct netlink_ext_ack *extack)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q;
	int err;

	err = fpgaeth_check_coal("tx", ec->tx_coalesce_usecs,
				 ec->tx_max_coalesced_frames, extack);
	if (!err)
		err = fpgaeth_check_coal("rx", ec->rx_coalesce_usecs,
					 ec->rx_max_coalesced_frames, extack);
	if (err)
		return err;

	priv->tx_coal.usecs = ec->tx_coalesce_usecs;
	priv->tx_coal.frames = ec->tx_max_coalesced_frames;
	priv->rx_coal.usecs = ec->rx_coalesce_usecs;
	priv->rx_coal.frames = ec->rx_max_coalesced_frames;
	fpgaeth_set_adaptive(priv, &priv->tx_coal, true,
			     ec->use_adaptive_tx_coalesce);
	fpgaeth_set_adaptive(priv, &priv->rx_coal, false,
			     ec->use_adaptive_rx_coalesce);

	/* The registers of the queue pairs not in use are set at start. */
	if (priv->up)
		for (q = 0; q < priv->num_qp; q++)
			fpgaeth_qp_write_coal(&priv->qp[q]);
	return 0;
}

static void fpgaeth_get_channels(struct net_device *ndev,
				 struct ethtool_channels *ch)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	ch->max_combined = priv->max_qp;
	ch->combined_count = priv->num_qp;
}

static int fpgaeth_set_channels(struct net_device *ndev,
				struct ethtool_channels *ch)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int i;

	/* The core refuses counts above the maxima: rx, tx, other are 0. */
	if (!ch->combined_count || ch->combined_count > priv->max_qp ||
	    ch->rx_count || ch->tx_count || ch->other_count)
		return -EINVAL;
	if (ch->combined_count == priv->num_qp)
		return 0;
	/* The core checks this too; a table we cannot keep stays refused. */
	if (netif_is_rxfh_configured(ndev))
		for (i = 0; i < ARRAY_SIZE(priv->rss_indir); i++)
			if (priv->rss_indir[i] >= ch->combined_count) {
				netdev_err(ndev, "RSS table entry %u is queue %u: reset the table (ethtool -X %s default) first\n",
					   i, priv->rss_indir[i], ndev->name);
				return -EINVAL;
			}
	return fpgaeth_reconfigure(priv, ch->combined_count,
				   priv->tx_ring_size, priv->rx_ring_size,
				   NULL);
}

static u32 fpgaeth_get_rx_ring_count(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return priv->num_qp;
}

/*
 * The fields the IP hashes for a flow type (programming model, "Hash
 * input"): fixed, nothing to configure. The addresses of every IPv4 and
 * IPv6 packet, and the ports of TCP and UDP ones that are not fragments;
 * nothing without the RSS feature.
 */
static u32 fpgaeth_rxfh_fields(struct fpgaeth_priv *priv, u32 flow_type)
{
	if (!(priv->cap1 & FPGAETH_CAP1_RSS))
		return 0;
	switch (flow_type) {
	case TCP_V4_FLOW:
	case UDP_V4_FLOW:
	case TCP_V6_FLOW:
	case UDP_V6_FLOW:
		return RXH_IP_SRC | RXH_IP_DST | RXH_L4_B_0_1 | RXH_L4_B_2_3;
	case SCTP_V4_FLOW:
	case AH_ESP_V4_FLOW:
	case AH_V4_FLOW:
	case ESP_V4_FLOW:
	case IPV4_FLOW:
	case SCTP_V6_FLOW:
	case AH_ESP_V6_FLOW:
	case AH_V6_FLOW:
	case ESP_V6_FLOW:
	case IPV6_FLOW:
		return RXH_IP_SRC | RXH_IP_DST;
	default:
		return 0;
	}
}

/* A change is refused: only the fields the IP hashes are accepted. */
static int fpgaeth_check_rxfh_fields(struct fpgaeth_priv *priv,
				     u32 flow_type, u32 data,
				     struct netlink_ext_ack *extack)
{
	if (data == fpgaeth_rxfh_fields(priv, flow_type))
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "the IP hashes fixed fields: addresses, and the ports of TCP and UDP");
	netif_info(priv, drv, priv->ndev,
		   "flow type %#x: fields %#x refused, the IP hashes %#x\n",
		   flow_type, data, fpgaeth_rxfh_fields(priv, flow_type));
	return -EOPNOTSUPP;
}

#if FPGAETH_HAVE_RXFH_FIELDS
static int fpgaeth_get_rxfh_fields(struct net_device *ndev,
				   struct ethtool_rxfh_fields *f)
{
	f->data = fpgaeth_rxfh_fields(netdev_priv(ndev), f->flow_type);
	return 0;
}

static int fpgaeth_set_rxfh_fields(struct net_device *ndev,
				   const struct ethtool_rxfh_fields *f,
				   struct netlink_ext_ack *extack)
{
	return fpgaeth_check_rxfh_fields(netdev_priv(ndev), f->flow_type,
					 f->data, extack);
}
#endif

static int fpgaeth_get_rxnfc(struct net_device *ndev,
			     struct ethtool_rxnfc *cmd, u32 *rule_locs)
{
	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = fpgaeth_get_rx_ring_count(ndev);
		return 0;
	case ETHTOOL_GRXFH:
		/* FLOW_RSS: context 0, the only one (the core refuses others) */
		cmd->data = fpgaeth_rxfh_fields(netdev_priv(ndev),
						cmd->flow_type & ~FLOW_RSS);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int fpgaeth_set_rxnfc(struct net_device *ndev,
			     struct ethtool_rxnfc *cmd)
{
	if (cmd->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	return fpgaeth_check_rxfh_fields(netdev_priv(ndev),
					 cmd->flow_type & ~FLOW_RSS, cmd->data,
					 NULL);
}

static u32 fpgaeth_get_rxfh_key_size(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return priv->cap1 & FPGAETH_CAP1_RSS ? sizeof(priv->rss_key) : 0;
}

static u32 fpgaeth_get_rxfh_indir_size(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return priv->cap1 & FPGAETH_CAP1_RSS ? sizeof(priv->rss_indir) : 0;
}

static int fpgaeth_get_rxfh(struct net_device *ndev,
			    struct ethtool_rxfh_param *rxfh)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int i;

	if (!(priv->cap1 & FPGAETH_CAP1_RSS))
		return -EOPNOTSUPP;
	rxfh->hfunc = ETH_RSS_HASH_TOP;
	if (rxfh->indir)
		for (i = 0; i < ARRAY_SIZE(priv->rss_indir); i++)
			rxfh->indir[i] = priv->rss_indir[i];
	if (rxfh->key)
		memcpy(rxfh->key, priv->rss_key, sizeof(priv->rss_key));
	return 0;
}

static int fpgaeth_set_rxfh(struct net_device *ndev,
			    struct ethtool_rxfh_param *rxfh,
			    struct netlink_ext_ack *extack)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int i;

	if (!(priv->cap1 & FPGAETH_CAP1_RSS))
		return -EOPNOTSUPP;
	if (rxfh->hfunc != ETH_RSS_HASH_NO_CHANGE &&
	    rxfh->hfunc != ETH_RSS_HASH_TOP) {
		NL_SET_ERR_MSG_MOD(extack, "the device hashes with Toeplitz only");
		return -EOPNOTSUPP;
	}
	/* The core checked the sizes and the entries against GRXRINGS. */
	if (rxfh->indir)
		for (i = 0; i < ARRAY_SIZE(priv->rss_indir); i++)
			if (rxfh->indir[i] >= priv->num_qp) {
				NL_SET_ERR_MSG_FMT_MOD(extack,
						       "table entry %u: queue %u of %u",
						       i, rxfh->indir[i],
						       priv->num_qp);
				return -EINVAL;
			}
	if (rxfh->indir)
		for (i = 0; i < ARRAY_SIZE(priv->rss_indir); i++)
			priv->rss_indir[i] = rxfh->indir[i];
	if (rxfh->key)
		memcpy(priv->rss_key, rxfh->key, sizeof(priv->rss_key));
	if (priv->up)
		fpgaeth_rss_write(priv);
	return 0;
}

static const struct ethtool_ops fpgaeth_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_USECS |
				     ETHTOOL_COALESCE_MAX_FRAMES |
				     ETHTOOL_COALESCE_USE_ADAPTIVE,
	.get_drvinfo = fpgaeth_get_drvinfo,
	.get_msglevel = fpgaeth_get_msglevel,
	.set_msglevel = fpgaeth_set_msglevel,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = fpgaeth_get_link_ksettings,
	.set_link_ksettings = fpgaeth_set_link_ksettings,
	.nway_reset = fpgaeth_nway_reset,
	.reset = fpgaeth_ethtool_reset,
	.get_pauseparam = fpgaeth_get_pauseparam,
	.set_pauseparam = fpgaeth_set_pauseparam,
	.get_ringparam = fpgaeth_get_ringparam,
	.set_ringparam = fpgaeth_set_ringparam,
	.get_coalesce = fpgaeth_get_coalesce,
	.set_coalesce = fpgaeth_set_coalesce,
	.get_channels = fpgaeth_get_channels,
	.set_channels = fpgaeth_set_channels,
	.get_rxnfc = fpgaeth_get_rxnfc,
	.set_rxnfc = fpgaeth_set_rxnfc,
#if FPGAETH_HAVE_GET_RX_RING_COUNT
	.get_rx_ring_count = fpgaeth_get_rx_ring_count,
#endif
#if FPGAETH_HAVE_RXFH_FIELDS
	.get_rxfh_fields = fpgaeth_get_rxfh_fields,
	.set_rxfh_fields = fpgaeth_set_rxfh_fields,
#endif
	.get_rxfh_key_size = fpgaeth_get_rxfh_key_size,
	.get_rxfh_indir_size = fpgaeth_get_rxfh_indir_size,
	.get_rxfh = fpgaeth_get_rxfh,
	.set_rxfh = fpgaeth_set_rxfh,
	.get_sset_count = fpgaeth_get_sset_count,
	.get_strings = fpgaeth_get_strings,
	.get_ethtool_stats = fpgaeth_get_ethtool_stats,
	.get_eth_mac_stats = fpgaeth_get_eth_mac_stats,
	.get_eth_ctrl_stats = fpgaeth_get_eth_ctrl_stats,
	.get_rmon_stats = fpgaeth_get_rmon_stats,
	.get_pause_stats = fpgaeth_get_pause_stats,
	.get_regs_len = fpgaeth_get_regs_len,
	.get_regs = fpgaeth_get_regs,
	.self_test = fpgaeth_self_test,
};

void fpgaeth_set_ethtool_ops(struct net_device *ndev)
{
	ndev->ethtool_ops = &fpgaeth_ethtool_ops;
}
