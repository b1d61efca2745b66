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

	if (sset == ETH_SS_TEST)
		return fpgaeth_selftest_count();
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return 1 + priv->num_qp * (ARRAY_SIZE(fpgaeth_tx_stats) +
				   ARRAY_SIZE(fpgaeth_rx_stats));
}

static void fpgaeth_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	unsigned int q, i;

	if (sset == ETH_SS_TEST)
		fpgaeth_selftest_strings(data);
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

static const struct ethtool_ops fpgaeth_ethtool_ops = {
	.get_drvinfo = fpgaeth_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = fpgaeth_get_link_ksettings,
	.set_link_ksettings = fpgaeth_set_link_ksettings,
	.nway_reset = fpgaeth_nway_reset,
	.get_sset_count = fpgaeth_get_sset_count,
	.get_strings = fpgaeth_get_strings,
	.get_ethtool_stats = fpgaeth_get_ethtool_stats,
	.get_regs_len = fpgaeth_get_regs_len,
	.get_regs = fpgaeth_get_regs,
	.self_test = fpgaeth_self_test,
};

void fpgaeth_set_ethtool_ops(struct net_device *ndev)
{
	ndev->ethtool_ops = &fpgaeth_ethtool_ops;
}
