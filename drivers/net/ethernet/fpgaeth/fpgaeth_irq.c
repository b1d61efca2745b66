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
#include "fpgaeth_compat.h"

/*
 * How long the interrupt self-test waits for a line to be serviced: delivery
 * takes microseconds, but an emulated CPU on a busy host may not run for
 * a good part of a second (100 ms was seen to be too short under TCG).
 */
#define FPGAETH_IRQ_SELFTEST_TIMEOUT_US	1000000

/*
 * Interrupts in a row with nothing pending after which a queue pair's line
 * is taken as storming (a stuck output, a level/edge mismatch): it is
 * disabled and the pair polled every FPGAETH_STORM_POLL jiffies, for at
 * least FPGAETH_STORM_HOLD, then tried again. The kernel's own detector
 * would take 100000 and then disable the line for good.
 */
#define FPGAETH_IRQ_STORM	1000
#define FPGAETH_STORM_POLL	1
#define FPGAETH_STORM_HOLD	HZ

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

/* The line @name, or a message naming both properties. */
static int fpgaeth_irq_get(struct fpgaeth_priv *priv, const char *name)
{
	int irq;

	irq = platform_get_irq_byname_optional(to_platform_device(priv->dev),
					       name);
	if (irq < 0)
		return dev_err_probe(priv->dev, irq,
				     "interrupt %s missing: interrupts and interrupt-names must list misc and q0 to q%u\n",
				     name, priv->num_qp - 1);
	return irq;
}

/**
 * fpgaeth_qp_irq_none - account for a queue pair interrupt that found
 * nothing pending
 * @qp: queue pair (in its hard IRQ handler)
 *
 * After FPGAETH_IRQ_STORM of them in a row the line storms: disable it,
 * count it, and poll the pair from @qp->storm_timer until the service
 * check tries the line again (fpgaeth_irq_storm_check()).
 *
 * Return: IRQ_NONE.
 */
irqreturn_t fpgaeth_qp_irq_none(struct fpgaeth_qp *qp)
{
	/* in a row: a spurious one now and then, far apart, is no storm */
	if (time_after(jiffies, qp->irq_unhandled_at + HZ / 10))
		qp->irq_unhandled = 0;
	qp->irq_unhandled_at = jiffies;
	if (++qp->irq_unhandled < FPGAETH_IRQ_STORM)
		return IRQ_NONE;
	qp->irq_unhandled = 0;
	disable_irq_nosync(qp->irq);
	u64_stats_update_begin(&qp->irq_syncp);
	u64_stats_inc(&qp->irq_storms);
	u64_stats_update_end(&qp->irq_syncp);
	qp->storm_since = jiffies;
	/* pairs with fpgaeth_irq_storm_check(): storm_since is set first */
	smp_store_release(&qp->irq_storm, true);
	mod_timer(&qp->storm_timer, jiffies + FPGAETH_STORM_POLL);
	if (net_ratelimit())
		netdev_warn(qp->priv->ndev,
			    "queue pair %u: interrupt storm (%u interrupts with nothing pending): line disabled, polling\n",
			    qp->idx, FPGAETH_IRQ_STORM);
	return IRQ_NONE;
}

/* The storming pair's poll, while its line is disabled. */
static void fpgaeth_storm_poll(struct timer_list *t)
{
	struct fpgaeth_qp *qp = fpgaeth_timer_container_of(qp, t, storm_timer);

	/*
	 * NAPI is enabled while the interface is up and the pair in use;
	 * else nothing is polled and the line stays disabled until the
	 * service check starts or stops.
	 */
	if (!READ_ONCE(qp->irq_storm) || !READ_ONCE(qp->priv->up) ||
	    qp->idx >= READ_ONCE(qp->priv->num_qp))
		return;
	napi_schedule(&qp->napi);
	mod_timer(&qp->storm_timer, jiffies + FPGAETH_STORM_POLL);
}

/**
 * fpgaeth_irq_storm_check - give a storming line another chance
 * @qp: queue pair (under RTNL)
 * @force: now (interface going up or down), else once it was disabled
 *         for FPGAETH_STORM_HOLD
 *
 * Enables the line again; if it still storms, fpgaeth_qp_irq_none()
 * disables it again and counts it once more.
 */
void fpgaeth_irq_storm_check(struct fpgaeth_qp *qp, bool force)
{
	/* pairs with fpgaeth_qp_irq_none() */
	if (!smp_load_acquire(&qp->irq_storm))
		return;
	if (!force && time_before(jiffies, qp->storm_since + FPGAETH_STORM_HOLD))
		return;
	WRITE_ONCE(qp->irq_storm, false);
	timer_delete_sync(&qp->storm_timer);
	synchronize_irq(qp->irq);
	qp->irq_unhandled = 0;
	enable_irq(qp->irq);
}

/**
 * fpgaeth_irq_storms - read a queue pair's irq_storms counter
 * @qp: queue pair
 *
 * Return: times its line was found storming.
 */
u64 fpgaeth_irq_storms(struct fpgaeth_qp *qp)
{
	unsigned int start;
	u64 n;

	do {
		start = u64_stats_fetch_begin(&qp->irq_syncp);
		n = u64_stats_read(&qp->irq_storms);
	} while (u64_stats_fetch_retry(&qp->irq_syncp, start));
	return n;
}

/* devm: no storm poll once the line is freed (it is freed first) */
static void fpgaeth_storm_timer_release(void *data)
{
	struct fpgaeth_qp *qp = data;

	timer_shutdown_sync(&qp->storm_timer);
}

/**
 * fpgaeth_irq_request - look up and request every interrupt line in use
 * @priv: device, with @num_qp set
 *
 * A line missing from "interrupts" / "interrupt-names" is reported once,
 * naming both properties (through dev_err_probe(), so -EPROBE_DEFER is
 * recorded, not printed).
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_irq_request(struct fpgaeth_priv *priv)
{
	struct device *dev = priv->dev;
	char name[12];	/* "q" and any unsigned int */
	unsigned int q;
	int irq, err;

	irq = fpgaeth_irq_get(priv, "misc");
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
		irq = fpgaeth_irq_get(priv, name);
		if (irq < 0)
			return irq;
		qp->irq = irq;
		qp->irq_name = devm_kasprintf(dev, GFP_KERNEL, "%s-%s",
					      dev_name(dev), name);
		if (!qp->irq_name)
			return -ENOMEM;
		timer_setup(&qp->storm_timer, fpgaeth_storm_poll, 0);
		err = devm_add_action_or_reset(dev, fpgaeth_storm_timer_release,
					       qp);
		if (err)
			return err;
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
