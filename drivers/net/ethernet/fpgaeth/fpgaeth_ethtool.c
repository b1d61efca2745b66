// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth ethtool operations.
 */
#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/phylink.h>
#include <net/page_pool/helpers.h>

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

/* Needed by the core for the pause statistics (ethtool -I -a) */
static void fpgaeth_get_pauseparam(struct net_device *ndev,
				   struct ethtool_pauseparam *pause)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	phylink_ethtool_get_pauseparam(priv->phylink, pause);
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
	return 1 + priv->num_qp * (ARRAY_SIZE(fpgaeth_tx_stats) +
				   ARRAY_SIZE(fpgaeth_rx_stats)) +
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
	ethtool_puts(&data, "resets");
	for (q = 0; q < priv->num_qp; q++) {
		for (i = 0; i < ARRAY_SIZE(fpgaeth_tx_stats); i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					fpgaeth_tx_stats[i].name);
		for (i = 0; i < ARRAY_SIZE(fpgaeth_rx_stats); i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					fpgaeth_rx_stats[i].name);
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
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		for (i = 0; i < n; i++)
			(*data)[i] = *(const u64 *)((const u8 *)s +
						    desc[i].offset);
	} while (u64_stats_fetch_retry(&s->syncp, start));
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

	*data++ = priv->resets;
	for (q = 0; q < priv->num_qp; q++) {
		fpgaeth_ring_stats_read(&priv->qp[q].tx.stats, fpgaeth_tx_stats,
					ARRAY_SIZE(fpgaeth_tx_stats), &data);
		fpgaeth_ring_stats_read(&priv->qp[q].rx.stats, fpgaeth_rx_stats,
					ARRAY_SIZE(fpgaeth_rx_stats), &data);
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

static const struct ethtool_ops fpgaeth_ethtool_ops = {
	.get_drvinfo = fpgaeth_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = fpgaeth_get_link_ksettings,
	.set_link_ksettings = fpgaeth_set_link_ksettings,
	.nway_reset = fpgaeth_nway_reset,
	.get_pauseparam = fpgaeth_get_pauseparam,
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
