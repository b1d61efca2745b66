/* SPDX-License-Identifier: GPL-2.0 */
/* fpgaeth: driver-private structures shared by the driver's files. */
#ifndef _FPGAETH_H
#define _FPGAETH_H

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/types.h>

#include "fpgaeth_regs.h"

struct fpgaeth_priv;

/**
 * struct fpgaeth_qp - one queue pair (a TX and an RX ring, one interrupt)
 * @priv: the device it belongs to
 * @idx: queue pair index q
 * @regs: the queue pair's register block (FPGAETH_QP_BASE(q))
 * @irq: Linux interrupt number of line "q<idx>"
 * @irq_name: name of the interrupt in /proc/interrupts
 */
struct fpgaeth_qp {
	struct fpgaeth_priv *priv;
	unsigned int idx;
	void __iomem *regs;
	int irq;
	const char *irq_name;
};

/**
 * struct fpgaeth_priv - per-device state
 * @dev: the platform device's struct device
 * @regs: the 64 KiB register window
 * @version: VERSION register
 * @build_id: BUILD_ID register
 * @cap0: CAP0 register (NUM_QP, MAX_RING_LOG2, MAX_FRAME)
 * @cap1: CAP1 register (feature bits)
 * @cap2: CAP2 register (RSS and TX limits)
 * @hw_num_qp: queue pairs the IP has (CAP0.NUM_QP)
 * @num_qp: queue pairs the driver uses (the device tree may restrict it)
 * @misc_irq: Linux interrupt number of line "misc"
 * @misc_irq_name: name of the misc interrupt in /proc/interrupts
 * @qp: queue pairs; the first @num_qp are in use
 * @dbg_dir: debugfs directory fpgaeth/<dev_name>
 * @dbg_regset: register list behind the debugfs file "regs"
 */
struct fpgaeth_priv {
	struct device *dev;
	void __iomem *regs;

	u32 version;
	u32 build_id;
	u32 cap0;
	u32 cap1;
	u32 cap2;
	unsigned int hw_num_qp;
	unsigned int num_qp;

	int misc_irq;
	const char *misc_irq_name;
	struct fpgaeth_qp qp[FPGAETH_MAX_QP];

	struct dentry *dbg_dir;
	struct debugfs_regset32 dbg_regset;
};

static inline u32 fpgaeth_rd32(struct fpgaeth_priv *priv, u32 reg)
{
	return readl(priv->regs + reg);
}

static inline void fpgaeth_wr32(struct fpgaeth_priv *priv, u32 reg, u32 val)
{
	writel(val, priv->regs + reg);
}

static inline u32 fpgaeth_qp_rd32(struct fpgaeth_qp *qp, u32 reg)
{
	return readl(qp->regs + reg);
}

static inline void fpgaeth_qp_wr32(struct fpgaeth_qp *qp, u32 reg, u32 val)
{
	writel(val, qp->regs + reg);
}

/* fpgaeth_irq.c */
int fpgaeth_irq_request(struct fpgaeth_priv *priv);
int fpgaeth_irq_selftest(struct fpgaeth_priv *priv);
void fpgaeth_irq_disable(struct fpgaeth_priv *priv);

/* fpgaeth_debugfs.c */
void __init fpgaeth_dbg_init(void);
void fpgaeth_dbg_exit(void);
int fpgaeth_dbg_dev_init(struct fpgaeth_priv *priv);

#endif /* _FPGAETH_H */
