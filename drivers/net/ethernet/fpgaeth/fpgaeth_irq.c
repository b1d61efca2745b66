// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth interrupts: one "misc" line and one line "q<q>" per queue pair,
 * level-triggered, each high while its STATUS & ENABLE is not 0.
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/phy.h>
#include <linux/platform_device.h>

#include "fpgaeth.h"

/*
 * How long the interrupt self-test waits for a line to be serviced: delivery
 * takes microseconds, but an emulated CPU on a busy host may not run for
 * a good part of a second (100 ms was seen to be too short under TCG).
 */
#define FPGAETH_IRQ_SELFTEST_TIMEOUT_US	1000000

static irqreturn_t fpgaeth_misc_irq(int irq, void *data)
{
	struct fpgaeth_priv *priv = data;
	struct phy_device *phydev;
	u32 status, pending;

	status = fpgaeth_rd32(priv, FPGAETH_MISC_IRQ_STATUS);
	/*
	 * All ones: the IP does not respond, its events cannot be read. Mask
	 * them (writes may still act) and reset the IP once it answers.
	 * IRQ_NONE: a line that stays high is then the kernel's to disable.
	 */
	if (unlikely(status == U32_MAX)) {
		fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_ENABLE, 0);
		if (READ_ONCE(priv->up))
			fpgaeth_schedule_full_reset(priv);
		return IRQ_NONE;
	}
	pending = status & fpgaeth_rd32(priv, FPGAETH_MISC_IRQ_ENABLE);
	if (!pending)
		return IRQ_NONE;
	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_STATUS, pending);

	/* Before the interface is up only the offline self-test raises these. */
	if (!READ_ONCE(priv->up))
		return IRQ_HANDLED;

	/* The PHY's link changed: run its state machine now, not at the poll. */
	phydev = priv->ndev->phydev;
	if ((pending & FPGAETH_MISC_IRQ_LINK) && phydev)
		phy_mac_interrupt(phydev);
	if (pending & FPGAETH_MISC_IRQ_DMA_ERR)
		fpgaeth_schedule_reset(priv);
	return IRQ_HANDLED;
}

/**
 * fpgaeth_irq_request - look up and request every interrupt line in use
 * @priv: device, with @num_qp set
 *
 * platform_get_irq_byname() reports a missing line itself (through
 * dev_err_probe(), so -EPROBE_DEFER is recorded, not printed).
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_irq_request(struct fpgaeth_priv *priv)
{
	struct platform_device *pdev = to_platform_device(priv->dev);
	struct device *dev = priv->dev;
	char name[12];	/* "q" and any unsigned int */
	unsigned int q;
	int irq, err;

	irq = platform_get_irq_byname(pdev, "misc");
	if (irq < 0)
		return irq;
	priv->misc_irq = irq;
	priv->misc_irq_name = devm_kasprintf(dev, GFP_KERNEL, "%s-misc",
					     dev_name(dev));
	if (!priv->misc_irq_name)
		return -ENOMEM;
	err = devm_request_irq(dev, irq, fpgaeth_misc_irq, 0,
			       priv->misc_irq_name, priv);
	if (err)
		return dev_err_probe(dev, err, "cannot request interrupt misc (%d)\n",
				     irq);

	for (q = 0; q < priv->num_qp; q++) {
		struct fpgaeth_qp *qp = &priv->qp[q];

		snprintf(name, sizeof(name), "q%u", q);
		irq = platform_get_irq_byname(pdev, name);
		if (irq < 0)
			return irq;
		qp->irq = irq;
		qp->irq_name = devm_kasprintf(dev, GFP_KERNEL, "%s-%s",
					      dev_name(dev), name);
		if (!qp->irq_name)
			return -ENOMEM;
		err = devm_request_irq(dev, irq, fpgaeth_qp_irq, 0,
				       qp->irq_name, qp);
		if (err)
			return dev_err_probe(dev, err,
					     "cannot request interrupt %s (%d)\n",
					     name, irq);
	}

	return 0;
}

/*
 * Raise one event through @set_reg with @bits enabled in @enable_reg and
 * wait for the interrupt handler to acknowledge it in @status_reg: proves
 * that the line is wired to the interrupt the device tree names.
 */
static int fpgaeth_irq_test_line(struct fpgaeth_priv *priv, u32 status_reg,
				 u32 enable_reg, u32 set_reg, u32 bits,
				 const char *name, int irq)
{
	u32 status;
	int err;

	fpgaeth_wr32(priv, enable_reg, bits);
	fpgaeth_wr32(priv, set_reg, bits);
	err = readl_poll_timeout(priv->regs + status_reg, status,
				 !(status & bits), 10,
				 FPGAETH_IRQ_SELFTEST_TIMEOUT_US);
	fpgaeth_wr32(priv, enable_reg, 0);
	if (err) {
		fpgaeth_wr32(priv, status_reg, bits);
		dev_err(priv->dev,
			"interrupt %s (%d) not delivered: status %#x\n",
			name, irq, status);
		return -EIO;
	}
	return 0;
}

/**
 * fpgaeth_irq_selftest - check that every requested line is delivered
 * @priv: device whose interrupts are requested and all disabled
 *
 * Uses MISC_IRQ_SET and Q<q>_IRQ_SET; leaves every interrupt disabled.
 *
 * Return: 0, or -EIO if a line did not reach its handler.
 */
int fpgaeth_irq_selftest(struct fpgaeth_priv *priv)
{
	unsigned int q;
	int err;

	err = fpgaeth_irq_test_line(priv, FPGAETH_MISC_IRQ_STATUS,
				    FPGAETH_MISC_IRQ_ENABLE,
				    FPGAETH_MISC_IRQ_SET, FPGAETH_MISC_IRQ_ALL,
				    priv->misc_irq_name, priv->misc_irq);
	if (err)
		return err;

	for (q = 0; q < priv->num_qp; q++) {
		u32 base = FPGAETH_QP_BASE(q);

		err = fpgaeth_irq_test_line(priv, base + FPGAETH_Q_IRQ_STATUS,
					    base + FPGAETH_Q_IRQ_ENABLE,
					    base + FPGAETH_Q_IRQ_SET,
					    FPGAETH_Q_IRQ_ALL,
					    priv->qp[q].irq_name,
					    priv->qp[q].irq);
		if (err)
			return err;
	}
	return 0;
}

/**
 * fpgaeth_irq_disable - mask every interrupt source of the IP
 * @priv: device
 */
void fpgaeth_irq_disable(struct fpgaeth_priv *priv)
{
	unsigned int q;

	fpgaeth_wr32(priv, FPGAETH_MISC_IRQ_ENABLE, 0);
	for (q = 0; q < priv->hw_num_qp; q++)
		fpgaeth_wr32(priv, FPGAETH_QP_BASE(q) + FPGAETH_Q_IRQ_ENABLE, 0);
}
