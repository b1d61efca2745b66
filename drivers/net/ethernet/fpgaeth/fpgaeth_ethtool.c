// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth ethtool operations.
 */
#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/phylink.h>

#include "fpgaeth.h"

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
};

static const struct fpgaeth_ring_stat fpgaeth_rx_stats[] = {
	FPGAETH_RING_STAT(packets),
	FPGAETH_RING_STAT(bytes),
	FPGAETH_RING_STAT(errors),
	FPGAETH_RING_STAT(alloc_fail),
	FPGAETH_RING_STAT(csum_complete),
	FPGAETH_RING_STAT(csum_none),
};

static int fpgaeth_get_sset_count(struct net_device *ndev, int sset)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return 1 + priv->num_qp * (ARRAY_SIZE(fpgaeth_tx_stats) +
				   ARRAY_SIZE(fpgaeth_rx_stats));
}

static void fpgaeth_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	ethtool_puts(&data, "resets");
	for (q = 0; q < priv->num_qp; q++) {
		for (i = 0; i < ARRAY_SIZE(fpgaeth_tx_stats); i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					fpgaeth_tx_stats[i].name);
		for (i = 0; i < ARRAY_SIZE(fpgaeth_rx_stats); i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					fpgaeth_rx_stats[i].name);
	}
}

/* Copy @n counters of @s, consistent with each other, to *@data. */
static void fpgaeth_ring_stats_read(const struct fpgaeth_ring_stats *s,
				    const struct fpgaeth_ring_stat *desc,
				    unsigned int n, u64 **data)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		for (i = 0; i < n; i++)
			(*data)[i] = *(const u64 *)((const u8 *)s +
						    desc[i].offset);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	*data += n;
}

static void fpgaeth_get_ethtool_stats(struct net_device *ndev,
				      struct ethtool_stats *stats, u64 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q;

	*data++ = priv->resets;
	for (q = 0; q < priv->num_qp; q++) {
		fpgaeth_ring_stats_read(&priv->qp[q].tx.stats, fpgaeth_tx_stats,
					ARRAY_SIZE(fpgaeth_tx_stats), &data);
		fpgaeth_ring_stats_read(&priv->qp[q].rx.stats, fpgaeth_rx_stats,
					ARRAY_SIZE(fpgaeth_rx_stats), &data);
	}
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

static int fpgaeth_get_rxnfc(struct net_device *ndev,
			     struct ethtool_rxnfc *cmd, u32 *rule_locs)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = priv->num_qp;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
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
	.get_pauseparam = fpgaeth_get_pauseparam,
	.set_pauseparam = fpgaeth_set_pauseparam,
	.get_ringparam = fpgaeth_get_ringparam,
	.set_ringparam = fpgaeth_set_ringparam,
	.get_coalesce = fpgaeth_get_coalesce,
	.set_coalesce = fpgaeth_set_coalesce,
	.get_channels = fpgaeth_get_channels,
	.set_channels = fpgaeth_set_channels,
	.get_rxnfc = fpgaeth_get_rxnfc,
	.get_rxfh_key_size = fpgaeth_get_rxfh_key_size,
	.get_rxfh_indir_size = fpgaeth_get_rxfh_indir_size,
	.get_rxfh = fpgaeth_get_rxfh,
	.set_rxfh = fpgaeth_set_rxfh,
	.get_sset_count = fpgaeth_get_sset_count,
	.get_strings = fpgaeth_get_strings,
	.get_ethtool_stats = fpgaeth_get_ethtool_stats,
};

void fpgaeth_set_ethtool_ops(struct net_device *ndev)
{
	ndev->ethtool_ops = &fpgaeth_ethtool_ops;
}
