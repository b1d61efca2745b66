// SPDX-License-Identifier: GPL-2.0
/*
 * Driver for the fpgaeth Ethernet MAC + multi-queue DMA IP
 * (Documentation/fpgaeth/programming-model.rst): probe and remove.
 */
#include <linux/bitfield.h>
#include <linux/clk.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/rtnetlink.h>

#include "fpgaeth.h"

/**
 * fpgaeth_soft_reset - reset the whole IP, registers and counters
 * @priv: device
 *
 * The IP completes the DMA accesses in flight, abandons the frames in
 * progress and resets; SOFT_RESET reads 1 until it is done, and from then
 * on a 1.1 IP (CAP1.QUEUE_IDLE) makes no DMA access. A 1.0 IP may read 0
 * with accesses still in flight: the driver then waits the queue idle
 * bound. Register writes are ignored meanwhile: the MDIO bus lock keeps
 * MDIO commands (phylib, ioctl) out. The statistics counters return to 0:
 * their values are folded into the driver's totals first, which the driver
 * keeps counting on from. Until a reset completes, the IP may still access
 * memory (@priv->dma_unsafe).
 *
 * Return: 0, or -ETIMEDOUT if SOFT_RESET did not complete.
 */
int fpgaeth_soft_reset(struct fpgaeth_priv *priv)
{
	u32 ctrl;
	int err;

	if (priv->mii)
		mutex_lock(&priv->mii->mdio_lock);
	fpgaeth_hw_stats_freeze(priv);
	fpgaeth_wr32(priv, FPGAETH_CTRL, FPGAETH_CTRL_SOFT_RESET);
	err = readl_poll_timeout(priv->regs + FPGAETH_CTRL, ctrl,
				 !(ctrl & FPGAETH_CTRL_SOFT_RESET), 10,
				 FPGAETH_SOFT_RESET_TIMEOUT_US);
	fpgaeth_hw_stats_thaw(priv);
	if (!err)
		fpgaeth_mdio_set_clock(priv);
	if (priv->mii)
		mutex_unlock(&priv->mii->mdio_lock);
	priv->dma_unsafe = !!err;
	if (err) {
		dev_err(priv->dev, "soft reset timed out (CTRL %#x): the IP may still access memory\n",
			ctrl);
		return err;
	}
	if (!(priv->cap1 & FPGAETH_CAP1_QUEUE_IDLE))
		fsleep(priv->idle_timeout_us);
	return 0;
}

/* Identify the IP and read its capabilities (bring-up step 1). */
static int fpgaeth_hw_identify(struct fpgaeth_priv *priv)
{
	struct device *dev = priv->dev;
	u32 id, major, minor, max_frame;

	id = fpgaeth_rd32(priv, FPGAETH_ID);
	if (id != FPGAETH_ID_MAGIC) {
		dev_err(dev, "bad ID %#010x (expected %#010x): not an fpgaeth IP\n",
			id, FPGAETH_ID_MAGIC);
		return -ENODEV;
	}

	priv->version = fpgaeth_rd32(priv, FPGAETH_VERSION);
	major = FIELD_GET(FPGAETH_VERSION_MAJOR, priv->version);
	minor = FIELD_GET(FPGAETH_VERSION_MINOR, priv->version);
	if (major != FPGAETH_VERSION_MAJOR_SUPPORTED) {
		dev_err(dev, "unsupported programming model version %u.%u (driver supports %u.x)\n",
			major, minor, FPGAETH_VERSION_MAJOR_SUPPORTED);
		return -ENODEV;
	}

	priv->build_id = fpgaeth_rd32(priv, FPGAETH_BUILD_ID);
	priv->cap0 = fpgaeth_rd32(priv, FPGAETH_CAP0);
	priv->cap1 = fpgaeth_rd32(priv, FPGAETH_CAP1);
	priv->cap2 = fpgaeth_rd32(priv, FPGAETH_CAP2);
	priv->cap3 = fpgaeth_rd32(priv, FPGAETH_CAP3);

	priv->hw_num_qp = FIELD_GET(FPGAETH_CAP0_NUM_QP, priv->cap0);
	if (!priv->hw_num_qp || priv->hw_num_qp > FPGAETH_MAX_QP) {
		dev_err(dev, "invalid queue pair count %u (CAP0 %#010x)\n",
			priv->hw_num_qp, priv->cap0);
		return -ENODEV;
	}

	/* A frame of at least one descriptor; the sizes RSS is written with */
	priv->tx_max_descs = FIELD_GET(FPGAETH_CAP2_TX_MAX_DESCS, priv->cap2);
	if (!priv->tx_max_descs) {
		dev_err(dev, "CAP2.TX_MAX_DESCS is 0 (CAP2 %#010x)\n", priv->cap2);
		return -ENODEV;
	}
	/* More than one descriptor per frame only with TX_SG, whatever CAP2 says */
	if (!(priv->cap1 & FPGAETH_CAP1_TX_SG))
		priv->tx_max_descs = 1;
	if ((priv->cap1 & FPGAETH_CAP1_RSS) &&
	    (FIELD_GET(FPGAETH_CAP2_RSS_KEY_WORDS, priv->cap2) !=
	     FPGAETH_RSS_KEY_NUM ||
	     FIELD_GET(FPGAETH_CAP2_RSS_INDIR_LOG2, priv->cap2) !=
	     ilog2(FPGAETH_RSS_INDIR_NUM * 4))) {
		dev_warn(dev, "RSS with a key of %lu words and 2^%lu table entries: the driver supports %u and %u, RSS not used\n",
			 FIELD_GET(FPGAETH_CAP2_RSS_KEY_WORDS, priv->cap2),
			 FIELD_GET(FPGAETH_CAP2_RSS_INDIR_LOG2, priv->cap2),
			 FPGAETH_RSS_KEY_NUM, FPGAETH_RSS_INDIR_NUM * 4);
		priv->cap1 &= ~FPGAETH_CAP1_RSS;
	}

	max_frame = FIELD_GET(FPGAETH_CAP0_MAX_FRAME, priv->cap0);
	priv->idle_timeout_us = FPGAETH_IDLE_TIMEOUT_US(max_frame);
	dev_info(dev, "ID %#010x version %u.%u build %#010x queues %u max-frame %u features %#x\n",
		 id, major, minor, priv->build_id, priv->hw_num_qp, max_frame,
		 priv->cap1);
	return 0;
}

/*
 * The device tree may restrict the queue pairs the driver uses with the
 * optional "fpgaeth,num-queues" property (1 to NUM_QP): the most ethtool -L
 * may then select.
 */
static int fpgaeth_num_qp(struct fpgaeth_priv *priv)
{
	struct device *dev = priv->dev;
	u32 n;

	priv->num_qp = priv->hw_num_qp;
	priv->max_qp = priv->num_qp;
	if (device_property_read_u32(dev, "fpgaeth,num-queues", &n))
		return 0;
	if (n < 1 || n > priv->hw_num_qp)
		return dev_err_probe(dev, -EINVAL,
				     "fpgaeth,num-queues = %u, the IP has 1 to %u\n",
				     n, priv->hw_num_qp);
	priv->num_qp = n;
	priv->max_qp = n;
	dev_info(dev, "using %u of %u queue pairs\n", n, priv->hw_num_qp);
	return 0;
}

/*
 * The register window ("reg"): the whole 64 KiB the IP decodes, or a read
 * of a queue pair's registers would fall outside the mapping.
 */
static int fpgaeth_map_regs(struct fpgaeth_priv *priv)
{
	struct platform_device *pdev = to_platform_device(priv->dev);
	struct device *dev = priv->dev;
	struct resource *res;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return dev_err_probe(dev, -EINVAL,
				     "no register window: reg is missing\n");
	if (resource_size(res) < FPGAETH_REGS_SIZE)
		return dev_err_probe(dev, -EINVAL,
				     "reg: a register window of %#llx bytes, the IP decodes %#x\n",
				     (u64)resource_size(res), FPGAETH_REGS_SIZE);
	priv->regs = devm_ioremap_resource(dev, res);
	return PTR_ERR_OR_ZERO(priv->regs);
}

/*
 * The optional clocks, enabled from probe to remove: "axi" (register port
 * and DMA master, so before any register access) and "ref" (the MAC's).
 * clk_get() takes a "clocks" entry it cannot resolve, or "clocks" without
 * "clock-names", for no clock at all: both are refused here, not ignored.
 */
static int fpgaeth_clocks_enable(struct fpgaeth_priv *priv)
{
	static const char * const names[] = { "axi", "ref" };
	struct device *dev = priv->dev;
	struct clk *clk;
	unsigned int i;
	int n;

	if (!of_property_present(dev->of_node, "clocks"))
		return 0;
	n = of_count_phandle_with_args(dev->of_node, "clocks", "#clock-cells");
	if (n < 0)
		return dev_err_probe(dev, n,
				     "clocks: an entry is not a clock provider's phandle\n");
	/* clk_get() by name would find none of them: no clock enabled */
	if (!of_property_present(dev->of_node, "clock-names"))
		return dev_err_probe(dev, -EINVAL,
				     "clocks without clock-names (axi, ref)\n");
	/* nor a clock under another name, which _optional takes for none */
	if (of_property_count_strings(dev->of_node, "clock-names") != n)
		return dev_err_probe(dev, -EINVAL,
				     "clocks has %d entries, clock-names another count\n",
				     n);
	for (i = 0; i < n; i++) {
		const char *name = NULL;

		of_property_read_string_index(dev->of_node, "clock-names", i,
					      &name);
		if (!name || match_string(names, ARRAY_SIZE(names), name) < 0)
			return dev_err_probe(dev, -EINVAL,
					     "clock-names: \"%s\" unknown (axi, ref)\n",
					     name ?: "");
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		clk = devm_clk_get_optional_enabled(dev, names[i]);
		if (IS_ERR(clk))
			return dev_err_probe(dev, PTR_ERR(clk),
					     "clock %s: cannot get or enable it\n",
					     names[i]);
	}
	return 0;
}

/* Leave the IP with no interrupt enabled and no DMA running. */
static void fpgaeth_quiesce(struct fpgaeth_priv *priv)
{
	fpgaeth_irq_disable(priv);
	fpgaeth_soft_reset(priv);
}

static int fpgaeth_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct fpgaeth_priv *priv;
	struct net_device *ndev;
	unsigned int q;
	int err;

	ndev = devm_alloc_etherdev_mqs(dev, sizeof(*priv), FPGAETH_MAX_QP,
				       FPGAETH_MAX_QP);
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, dev);
	priv = netdev_priv(ndev);
	priv->ndev = ndev;
	priv->dev = dev;
	platform_set_drvdata(pdev, priv);

	err = fpgaeth_map_regs(priv);
	if (err)
		return err;

	err = fpgaeth_clocks_enable(priv);
	if (err)
		return err;

	err = fpgaeth_hw_identify(priv);
	if (err)
		return err;

	err = fpgaeth_num_qp(priv);
	if (err)
		return err;
	for (q = 0; q < priv->hw_num_qp; q++) {
		priv->qp[q].priv = priv;
		priv->qp[q].idx = q;
		priv->qp[q].regs = priv->regs + FPGAETH_QP_BASE(q);
	}

	/* Bring-up step 2: from here on every register holds its reset value. */
	fpgaeth_hw_stats_init(priv);
	err = fpgaeth_soft_reset(priv);
	if (err)
		return err;

	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (err)
		err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (err)
		return dev_err_probe(dev, err, "no usable DMA configuration\n");

	err = fpgaeth_irq_request(priv);
	if (err)
		return err;

	err = fpgaeth_netdev_setup(priv);
	if (err)
		return dev_err_probe(dev, err, "cannot set up the interface\n");

	err = fpgaeth_mdio_register(priv);
	if (err)
		return err;

	err = fpgaeth_phylink_create(priv);
	if (err)
		return err;

	err = fpgaeth_dbg_dev_init(priv);
	if (err)
		return err;

	err = register_netdev(ndev);
	if (err)
		return dev_err_probe(dev, err, "cannot register the interface\n");
	netdev_info(ndev, "%pM, %u queue pairs, %s\n", ndev->dev_addr,
		    priv->num_qp, phy_modes(priv->phy_mode));
	return 0;
}

static void fpgaeth_remove(struct platform_device *pdev)
{
	struct fpgaeth_priv *priv = platform_get_drvdata(pdev);

	/* Closing the interface stops the DMA before the rings are freed. */
	unregister_netdev(priv->ndev);
	cancel_work_sync(&priv->reset_work);
	/* Interrupts, the register window and the netdev go with devm. */
	fpgaeth_quiesce(priv);
}

/*
 * Reboot, power-off, kexec: the next kernel must not find the IP writing
 * into memory it now owns. Closing the interface waits for the queues to
 * go idle; the reset leaves every register at its reset value.
 */
static void fpgaeth_shutdown(struct platform_device *pdev)
{
	struct fpgaeth_priv *priv = platform_get_drvdata(pdev);

	if (!priv)
		return;
	rtnl_lock();
	netif_device_detach(priv->ndev);
	if (netif_running(priv->ndev))
		dev_close(priv->ndev);
	rtnl_unlock();
	cancel_work_sync(&priv->reset_work);
	fpgaeth_quiesce(priv);
}

static const struct of_device_id fpgaeth_of_match[] = {
	{ .compatible = "fpgaeth,eth-1.0" },
	{ }
};
MODULE_DEVICE_TABLE(of, fpgaeth_of_match);

static struct platform_driver fpgaeth_driver = {
	.probe = fpgaeth_probe,
	.remove = fpgaeth_remove,
	.shutdown = fpgaeth_shutdown,
	.driver = {
		.name = KBUILD_MODNAME,
		.of_match_table = fpgaeth_of_match,
	},
};

static int __init fpgaeth_init(void)
{
	int err;

	fpgaeth_dbg_init();
	err = platform_driver_register(&fpgaeth_driver);
	if (err)
		fpgaeth_dbg_exit();
	return err;
}
module_init(fpgaeth_init);

static void __exit fpgaeth_exit(void)
{
	platform_driver_unregister(&fpgaeth_driver);
	fpgaeth_dbg_exit();
}
module_exit(fpgaeth_exit);

MODULE_DESCRIPTION("fpgaeth Ethernet MAC + DMA IP driver");
MODULE_LICENSE("GPL");
