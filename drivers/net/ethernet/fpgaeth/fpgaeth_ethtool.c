// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth ethtool operations.
 */
#include <linux/bitfield.h>
#include <linux/ethtool.h>
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

/* Per-queue software counters, in struct fpgaeth_ring_stats order */
static const char * const fpgaeth_ring_stat_names[] = {
	"packets", "bytes", "errors", "dropped", "alloc_fail",
	"csum_complete", "csum_none", "stop", "wake",
};

#define FPGAETH_RING_STATS	ARRAY_SIZE(fpgaeth_ring_stat_names)

static int fpgaeth_get_sset_count(struct net_device *ndev, int sset)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return 1 + 2 * priv->num_qp * FPGAETH_RING_STATS;
}

static void fpgaeth_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	ethtool_puts(&data, "resets");
	for (q = 0; q < priv->num_qp; q++) {
		for (i = 0; i < FPGAETH_RING_STATS; i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					fpgaeth_ring_stat_names[i]);
		for (i = 0; i < FPGAETH_RING_STATS; i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					fpgaeth_ring_stat_names[i]);
	}
}

static void fpgaeth_ring_stats_read(const struct fpgaeth_ring_stats *s,
				    u64 **data)
{
	u64 v[FPGAETH_RING_STATS];
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		v[0] = s->packets;
		v[1] = s->bytes;
		v[2] = s->errors;
		v[3] = s->dropped;
		v[4] = s->alloc_fail;
		v[5] = s->csum_complete;
		v[6] = s->csum_none;
		v[7] = s->stop;
		v[8] = s->wake;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	memcpy(*data, v, sizeof(v));
	*data += FPGAETH_RING_STATS;
}

static void fpgaeth_get_ethtool_stats(struct net_device *ndev,
				      struct ethtool_stats *stats, u64 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q;

	*data++ = priv->resets;
	for (q = 0; q < priv->num_qp; q++) {
		fpgaeth_ring_stats_read(&priv->qp[q].tx.stats, &data);
		fpgaeth_ring_stats_read(&priv->qp[q].rx.stats, &data);
	}
}

static const struct ethtool_ops fpgaeth_ethtool_ops = {
	.get_drvinfo = fpgaeth_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = fpgaeth_get_link_ksettings,
	.set_link_ksettings = fpgaeth_set_link_ksettings,
	.nway_reset = fpgaeth_nway_reset,
	.get_sset_count = fpgaeth_get_sset_count,
	.get_strings = fpgaeth_get_strings,
	.get_ethtool_stats = fpgaeth_get_ethtool_stats,
};

void fpgaeth_set_ethtool_ops(struct net_device *ndev)
{
	ndev->ethtool_ops = &fpgaeth_ethtool_ops;
}
