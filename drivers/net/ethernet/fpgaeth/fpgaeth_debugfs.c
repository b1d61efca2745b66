// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth debugfs: /sys/kernel/debug/fpgaeth/<dev_name>/regs lists every
 * register of the programming model by its spec name and current value.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/kernel.h>

#include "fpgaeth.h"

static struct dentry *fpgaeth_dbg_root;

struct fpgaeth_dbg_def {
	const char *name;
	u32 offset;
};

#define FPGAETH_DBG_DEF(r)	{ .name = #r, .offset = FPGAETH_##r }
#define FPGAETH_DBG_STAT(s)	{ .name = #s, .offset = FPGAETH_STAT_##s }
#define FPGAETH_DBG_QDEF(r)	{ .name = #r, .offset = FPGAETH_Q_##r }

/* 32-bit registers outside the statistics, RSS and queue pair blocks */
static const struct fpgaeth_dbg_def fpgaeth_dbg_global[] = {
	FPGAETH_DBG_DEF(ID),
	FPGAETH_DBG_DEF(VERSION),
	FPGAETH_DBG_DEF(BUILD_ID),
	FPGAETH_DBG_DEF(SCRATCH),
	FPGAETH_DBG_DEF(CAP0),
	FPGAETH_DBG_DEF(CAP1),
	FPGAETH_DBG_DEF(CAP2),
	FPGAETH_DBG_DEF(CTRL),
	FPGAETH_DBG_DEF(MAC_CFG),
	FPGAETH_DBG_DEF(MAC_ADDR_LO),
	FPGAETH_DBG_DEF(MAC_ADDR_HI),
	FPGAETH_DBG_DEF(MAX_FRAME_LEN),
	FPGAETH_DBG_DEF(MC_HASH_LO),
	FPGAETH_DBG_DEF(MC_HASH_HI),
	FPGAETH_DBG_DEF(PAUSE_QUANTA),
	FPGAETH_DBG_DEF(PAUSE_CMD),
	FPGAETH_DBG_DEF(MDIO_CMD),
	FPGAETH_DBG_DEF(MDIO_DATA),
	FPGAETH_DBG_DEF(MDIO_CFG),
	FPGAETH_DBG_DEF(MISC_IRQ_STATUS),
	FPGAETH_DBG_DEF(MISC_IRQ_ENABLE),
	FPGAETH_DBG_DEF(MISC_IRQ_SET),
	FPGAETH_DBG_DEF(QUEUE_IRQ_SUMMARY),
	FPGAETH_DBG_DEF(STATS_CTRL),
};

/* 64-bit counters other than the histograms, listed as _LO then _HI */
static const struct fpgaeth_dbg_def fpgaeth_dbg_stats[] = {
	FPGAETH_DBG_STAT(TX_FRAMES_OK),
	FPGAETH_DBG_STAT(TX_OCTETS_OK),
	FPGAETH_DBG_STAT(TX_UCAST),
	FPGAETH_DBG_STAT(TX_MCAST),
	FPGAETH_DBG_STAT(TX_BCAST),
	FPGAETH_DBG_STAT(TX_PAUSE),
	FPGAETH_DBG_STAT(TX_MAC_CTRL),
	FPGAETH_DBG_STAT(TX_DISCARDS),
	FPGAETH_DBG_STAT(RX_FRAMES_OK),
	FPGAETH_DBG_STAT(RX_OCTETS_OK),
	FPGAETH_DBG_STAT(RX_UCAST),
	FPGAETH_DBG_STAT(RX_MCAST),
	FPGAETH_DBG_STAT(RX_BCAST),
	FPGAETH_DBG_STAT(RX_PAUSE),
	FPGAETH_DBG_STAT(RX_MAC_CTRL),
	FPGAETH_DBG_STAT(RX_UNSUP_OPCODE),
	FPGAETH_DBG_STAT(RX_FCS_ERR),
	FPGAETH_DBG_STAT(RX_ALIGN_ERR),
	FPGAETH_DBG_STAT(RX_LEN_ERR),
	FPGAETH_DBG_STAT(RX_TOO_LONG),
	FPGAETH_DBG_STAT(RX_UNDERSIZE),
	FPGAETH_DBG_STAT(RX_FRAGMENTS),
	FPGAETH_DBG_STAT(RX_JABBERS),
	FPGAETH_DBG_STAT(RX_NOBUF),
	FPGAETH_DBG_STAT(RX_FIFO_OVF),
	FPGAETH_DBG_STAT(RX_FILTERED),
};

/* One queue pair's registers, listed as Q<q>_<NAME> */
static const struct fpgaeth_dbg_def fpgaeth_dbg_qp[] = {
	FPGAETH_DBG_QDEF(TX_BASE_LO),
	FPGAETH_DBG_QDEF(TX_BASE_HI),
	FPGAETH_DBG_QDEF(TX_SIZE),
	FPGAETH_DBG_QDEF(TX_HEAD),
	FPGAETH_DBG_QDEF(TX_TAIL),
	FPGAETH_DBG_QDEF(TX_CTRL),
	FPGAETH_DBG_QDEF(TX_STATUS),
	FPGAETH_DBG_QDEF(TX_COAL),
	FPGAETH_DBG_QDEF(TX_ERR_ADDR_LO),
	FPGAETH_DBG_QDEF(TX_ERR_ADDR_HI),
	FPGAETH_DBG_QDEF(TX_DISCARDS),
	FPGAETH_DBG_QDEF(RX_BASE_LO),
	FPGAETH_DBG_QDEF(RX_BASE_HI),
	FPGAETH_DBG_QDEF(RX_SIZE),
	FPGAETH_DBG_QDEF(RX_HEAD),
	FPGAETH_DBG_QDEF(RX_TAIL),
	FPGAETH_DBG_QDEF(RX_CTRL),
	FPGAETH_DBG_QDEF(RX_STATUS),
	FPGAETH_DBG_QDEF(RX_COAL),
	FPGAETH_DBG_QDEF(RX_ERR_ADDR_LO),
	FPGAETH_DBG_QDEF(RX_ERR_ADDR_HI),
	FPGAETH_DBG_QDEF(RX_NOBUF),
	FPGAETH_DBG_QDEF(IRQ_STATUS),
	FPGAETH_DBG_QDEF(IRQ_ENABLE),
	FPGAETH_DBG_QDEF(IRQ_SET),
};

#define FPGAETH_DBG_GLOBAL_NREGS					\
	(ARRAY_SIZE(fpgaeth_dbg_global) +				\
	 2 * (ARRAY_SIZE(fpgaeth_dbg_stats) + 2 * FPGAETH_STAT_HIST_NUM) +	\
	 FPGAETH_RSS_KEY_NUM + FPGAETH_RSS_INDIR_NUM)
#define FPGAETH_DBG_NREGS						\
	(FPGAETH_DBG_GLOBAL_NREGS + FPGAETH_MAX_QP * ARRAY_SIZE(fpgaeth_dbg_qp))
#define FPGAETH_DBG_NAME_LEN	24

/*
 * Every register of the programming model, built at module load and shared
 * by all devices. The queue pair blocks come last, in order, so that a
 * device's regset is the first FPGAETH_DBG_GLOBAL_NREGS + NUM_QP *
 * ARRAY_SIZE(fpgaeth_dbg_qp) entries.
 */
static struct debugfs_reg32 fpgaeth_dbg_regs[FPGAETH_DBG_NREGS] __ro_after_init;
static char fpgaeth_dbg_names[FPGAETH_DBG_NREGS][FPGAETH_DBG_NAME_LEN] __ro_after_init;
static unsigned int fpgaeth_dbg_nregs __initdata;

static __printf(2, 3) void __init fpgaeth_dbg_add(u32 offset, const char *fmt, ...)
{
	unsigned int n = fpgaeth_dbg_nregs;
	va_list args;

	if (WARN_ON(n >= FPGAETH_DBG_NREGS))
		return;
	va_start(args, fmt);
	vsnprintf(fpgaeth_dbg_names[n], FPGAETH_DBG_NAME_LEN, fmt, args);
	va_end(args);
	fpgaeth_dbg_regs[n].name = fpgaeth_dbg_names[n];
	fpgaeth_dbg_regs[n].offset = offset;
	fpgaeth_dbg_nregs++;
}

static void __init fpgaeth_dbg_add_stat(u32 offset, const char *name)
{
	fpgaeth_dbg_add(offset + FPGAETH_STAT_LO, "%s_LO", name);
	fpgaeth_dbg_add(offset + FPGAETH_STAT_HI, "%s_HI", name);
}

static void __init fpgaeth_dbg_build_regs(void)
{
	unsigned int i, q;
	char name[FPGAETH_DBG_NAME_LEN];

	for (i = 0; i < ARRAY_SIZE(fpgaeth_dbg_global); i++)
		fpgaeth_dbg_add(fpgaeth_dbg_global[i].offset, "%s",
				fpgaeth_dbg_global[i].name);
	for (i = 0; i < ARRAY_SIZE(fpgaeth_dbg_stats); i++)
		fpgaeth_dbg_add_stat(fpgaeth_dbg_stats[i].offset,
				     fpgaeth_dbg_stats[i].name);
	for (i = 0; i < FPGAETH_STAT_HIST_NUM; i++) {
		snprintf(name, sizeof(name), "RX_HIST%u", i);
		fpgaeth_dbg_add_stat(FPGAETH_STAT_RX_HIST(i), name);
	}
	for (i = 0; i < FPGAETH_STAT_HIST_NUM; i++) {
		snprintf(name, sizeof(name), "TX_HIST%u", i);
		fpgaeth_dbg_add_stat(FPGAETH_STAT_TX_HIST(i), name);
	}
	for (i = 0; i < FPGAETH_RSS_KEY_NUM; i++)
		fpgaeth_dbg_add(FPGAETH_RSS_KEY(i), "RSS_KEY%u", i);
	for (i = 0; i < FPGAETH_RSS_INDIR_NUM; i++)
		fpgaeth_dbg_add(FPGAETH_RSS_INDIR(i), "RSS_INDIR%u", i);
	WARN_ON(fpgaeth_dbg_nregs != FPGAETH_DBG_GLOBAL_NREGS);

	for (q = 0; q < FPGAETH_MAX_QP; q++)
		for (i = 0; i < ARRAY_SIZE(fpgaeth_dbg_qp); i++)
			fpgaeth_dbg_add(FPGAETH_QP_BASE(q) +
					fpgaeth_dbg_qp[i].offset, "Q%u_%s", q,
					fpgaeth_dbg_qp[i].name);
	WARN_ON(fpgaeth_dbg_nregs != FPGAETH_DBG_NREGS);
}

static void fpgaeth_dbg_dev_exit(void *data)
{
	struct fpgaeth_priv *priv = data;

	debugfs_remove_recursive(priv->dbg_dir);
	priv->dbg_dir = NULL;
}

/**
 * fpgaeth_dbg_dev_init - create the device's debugfs directory
 * @priv: device, with @regs and @hw_num_qp set
 *
 * The directory goes away with the device (a devm action). debugfs failures
 * are not errors; only failing to register that action is.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_dbg_dev_init(struct fpgaeth_priv *priv)
{
	struct debugfs_regset32 *regset = &priv->dbg_regset;

	regset->regs = fpgaeth_dbg_regs;
	regset->nregs = FPGAETH_DBG_GLOBAL_NREGS +
			priv->hw_num_qp * ARRAY_SIZE(fpgaeth_dbg_qp);
	regset->base = priv->regs;

	priv->dbg_dir = debugfs_create_dir(dev_name(priv->dev),
					   fpgaeth_dbg_root);
	debugfs_create_regset32("regs", 0400, priv->dbg_dir, regset);

	return devm_add_action_or_reset(priv->dev, fpgaeth_dbg_dev_exit, priv);
}

void __init fpgaeth_dbg_init(void)
{
	fpgaeth_dbg_build_regs();
	fpgaeth_dbg_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void fpgaeth_dbg_exit(void)
{
	debugfs_remove_recursive(fpgaeth_dbg_root);
	fpgaeth_dbg_root = NULL;
}
