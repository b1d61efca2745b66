// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth MDIO master (clause 22) and the MAC side of phylink.
 */
#include <linux/bitfield.h>
#include <linux/iopoll.h>
#include <linux/of.h>
#include <linux/of_mdio.h>
#include <linux/of_net.h>
#include <linux/phy.h>
#include <linux/phylink.h>

#include "fpgaeth.h"

/* 64 MDC cycles at the slowest divider take well under 10 ms */
#define FPGAETH_MDIO_TIMEOUT_US	10000

/*
 * Wait until the MDIO master is idle: 0, -ETIMEDOUT (a command that does
 * not end), or -ENODEV when MDIO_CMD reads all ones: the IP stopped
 * responding (a bitstream being loaded), perhaps after the caller checked.
 */
static int fpgaeth_mdio_wait(struct fpgaeth_priv *priv)
{
	u32 cmd;
	int err;

	err = readl_poll_timeout(priv->regs + FPGAETH_MDIO_CMD, cmd,
				 cmd == U32_MAX || !(cmd & FPGAETH_MDIO_CMD_START),
				 1, FPGAETH_MDIO_TIMEOUT_US);
	if (!err && cmd == U32_MAX)
		return -ENODEV;
	if (err)
		dev_err_ratelimited(priv->dev, "MDIO busy for %u us (MDIO_CMD %#x): no access\n",
				    FPGAETH_MDIO_TIMEOUT_US, cmd);
	return err;
}

static int fpgaeth_mdio_xfer(struct fpgaeth_priv *priv, int addr, int reg,
			     u32 op)
{
	int err;

	fpgaeth_wr32(priv, FPGAETH_MDIO_CMD,
		     FIELD_PREP(FPGAETH_MDIO_CMD_REGAD, reg) |
		     FIELD_PREP(FPGAETH_MDIO_CMD_PHYAD, addr) |
		     FIELD_PREP(FPGAETH_MDIO_CMD_OP, op) |
		     FPGAETH_MDIO_CMD_START);
	err = fpgaeth_mdio_wait(priv);
	if (err == -ETIMEDOUT)
		dev_err(priv->dev, "MDIO %s of PHY %d register %d timed out\n",
			op == FPGAETH_MDIO_CMD_OP_READ ? "read" : "write",
			addr, reg);
	return err;
}

/*
 * An IP that does not respond (its registers read all ones, e.g. a
 * bitstream being loaded), checked before the access or found during it,
 * is a bus with nothing on it: a read returns all ones (phylib then sees
 * the link down rather than an error) and a write is lost, as a write to
 * an absent PHY is on a real bus.
 */
static int fpgaeth_mdio_read(struct mii_bus *bus, int addr, int reg)
{
	struct fpgaeth_priv *priv = bus->priv;
	int err;

	if (!fpgaeth_responds(priv))
		return 0xffff;
	err = fpgaeth_mdio_wait(priv);
	if (!err)
		err = fpgaeth_mdio_xfer(priv, addr, reg,
					FPGAETH_MDIO_CMD_OP_READ);
	if (err == -ENODEV)
		return 0xffff;
	if (err)
		return err;
	return FIELD_GET(FPGAETH_MDIO_DATA_DATA,
			 fpgaeth_rd32(priv, FPGAETH_MDIO_DATA));
}

static int fpgaeth_mdio_write(struct mii_bus *bus, int addr, int reg, u16 val)
{
	struct fpgaeth_priv *priv = bus->priv;
	int err;

	err = fpgaeth_mdio_wait(priv);
	if (!err) {
		fpgaeth_wr32(priv, FPGAETH_MDIO_DATA, val);
		err = fpgaeth_mdio_xfer(priv, addr, reg,
					FPGAETH_MDIO_CMD_OP_WRITE);
	}
	return err == -ENODEV ? 0 : err;
}

/* The fastest MDC that IEEE 802.3 clause 22 allows */
#define FPGAETH_MDC_MAX_KHZ	2500

/**
 * fpgaeth_mdio_set_clock - program the MDC divider from the IP's clock
 * @priv: device, just reset (MDIO_CFG holds its reset value)
 *
 * MDC = CLK_MHZ / (2 * (DIV + 1)) must not exceed 2.5 MHz: DIV is the
 * smallest divider that keeps it there. A 1.0 IP does not report its clock
 * (CAP3 reads 0): MDIO_CFG keeps its reset value, the slowest MDC the
 * board designer sized the IP for.
 */
void fpgaeth_mdio_set_clock(struct fpgaeth_priv *priv)
{
	u32 mhz = FIELD_GET(FPGAETH_CAP3_CLK_MHZ, priv->cap3);
	u32 div;

	if (!mhz)
		return;
	div = DIV_ROUND_UP(mhz * 1000, 2 * FPGAETH_MDC_MAX_KHZ);
	div = clamp(div, 1U, FIELD_MAX(FPGAETH_MDIO_CFG_DIV) + 1U) - 1;
	fpgaeth_wr32(priv, FPGAETH_MDIO_CFG, FIELD_PREP(FPGAETH_MDIO_CFG_DIV, div));
}

/**
 * fpgaeth_mdio_register - register the MDIO bus described by the "mdio" node
 * @priv: device
 *
 * A device without an "mdio" child (a fixed-link board) has no bus.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_mdio_register(struct fpgaeth_priv *priv)
{
	struct device *dev = priv->dev;
	struct device_node *np;
	struct mii_bus *bus;
	int err;

	np = of_get_child_by_name(dev->of_node, "mdio");
	if (!np)
		return 0;

	bus = devm_mdiobus_alloc(dev);
	if (!bus) {
		of_node_put(np);
		return -ENOMEM;
	}
	bus->name = "fpgaeth MDIO";
	snprintf(bus->id, MII_BUS_ID_SIZE, "%s", dev_name(dev));
	bus->priv = priv;
	bus->parent = dev;
	bus->read = fpgaeth_mdio_read;
	bus->write = fpgaeth_mdio_write;

	err = devm_of_mdiobus_register(dev, bus, np);
	of_node_put(np);
	if (err)
		return dev_err_probe(dev, err, "cannot register the MDIO bus\n");
	priv->mii = bus;
	return 0;
}

static struct fpgaeth_priv *fpgaeth_from_config(struct phylink_config *config)
{
	return netdev_priv(to_net_dev(config->dev));
}

static void fpgaeth_mac_config(struct phylink_config *config,
			       unsigned int mode,
			       const struct phylink_link_state *state)
{
	/* The MAC needs no set-up per interface mode. */
}

static void fpgaeth_mac_link_down(struct phylink_config *config,
				  unsigned int mode, phy_interface_t interface)
{
	/* Frames sent without link are consumed by the IP (spec: TX). */
}

static void fpgaeth_mac_link_up(struct phylink_config *config,
				struct phy_device *phy, unsigned int mode,
				phy_interface_t interface, int speed,
				int duplex, bool tx_pause, bool rx_pause)
{
	struct fpgaeth_priv *priv = fpgaeth_from_config(config);
	u32 cfg, pause = 0;

	switch (speed) {
	case SPEED_10:
		cfg = FPGAETH_MAC_CFG_SPEED_10;
		break;
	case SPEED_100:
		cfg = FPGAETH_MAC_CFG_SPEED_100;
		break;
	case SPEED_10000:
		/* only offered with CAP1.SPEED_10G (fpgaeth_phylink_create) */
		cfg = FPGAETH_MAC_CFG_SPEED_10000;
		break;
	default:
		cfg = FPGAETH_MAC_CFG_SPEED_1000;
		break;
	}
	cfg = FIELD_PREP(FPGAETH_MAC_CFG_SPEED, cfg);
	if (duplex == DUPLEX_FULL)
		cfg |= FPGAETH_MAC_CFG_FULL_DUPLEX;
	fpgaeth_wr32(priv, FPGAETH_MAC_CFG, cfg);

	if (tx_pause)
		pause |= FPGAETH_CTRL_TX_PAUSE_EN;
	if (rx_pause)
		pause |= FPGAETH_CTRL_RX_PAUSE_EN;
	fpgaeth_ctrl_update(priv, FPGAETH_CTRL_TX_PAUSE_EN |
			    FPGAETH_CTRL_RX_PAUSE_EN, pause);
}

static const struct phylink_mac_ops fpgaeth_phylink_ops = {
	.mac_config = fpgaeth_mac_config,
	.mac_link_down = fpgaeth_mac_link_down,
	.mac_link_up = fpgaeth_mac_link_up,
};

static void fpgaeth_phylink_destroy(void *data)
{
	phylink_destroy(data);
}

/* The 10 Gb/s option: MAC_CFG.SPEED = 3, on the MAC's XGMII. */
static bool fpgaeth_has_10g(struct fpgaeth_priv *priv)
{
	return priv->cap1 & FPGAETH_CAP1_SPEED_10G;
}

/* "phy-mode": known to the kernel and one the MAC has. */
static int fpgaeth_dt_phy_mode(struct fpgaeth_priv *priv)
{
	struct device *dev = priv->dev;
	const char *mode = NULL;

	if (of_get_phy_mode(dev->of_node, &priv->phy_mode)) {
		if (of_property_read_string(dev->of_node, "phy-mode", &mode))
			return dev_err_probe(dev, -EINVAL, "phy-mode missing\n");
		return dev_err_probe(dev, -EINVAL, "phy-mode \"%s\" unknown\n",
				     mode);
	}
	if (!test_bit(priv->phy_mode, priv->phylink_config.supported_interfaces))
		return dev_err_probe(dev, -EINVAL,
				     "phy-mode \"%s\" not supported: the MAC has mii, gmii and rgmii(-id, -rxid, -txid)%s\n",
				     phy_modes(priv->phy_mode),
				     fpgaeth_has_10g(priv) ? ", and xgmii" : "");
	return 0;
}

/* "fixed-link", node or 5-cell legacy form: a speed and duplex we have. */
static int fpgaeth_dt_fixed_link(struct fpgaeth_priv *priv,
				 struct device_node *fl)
{
	struct device *dev = priv->dev;
	struct device_node *np = dev->of_node;
	u32 speed, legacy[5];
	bool full;
	int n;

	if (fl) {
		if (of_property_read_u32(fl, "speed", &speed))
			return dev_err_probe(dev, -EINVAL, "fixed-link: no speed\n");
		full = of_property_read_bool(fl, "full-duplex");
	} else {
		n = of_property_count_u32_elems(np, "fixed-link");
		if (n != ARRAY_SIZE(legacy))
			return dev_err_probe(dev, -EINVAL,
					     "fixed-link: a property of %d cells (the legacy form has 5) and no fixed-link node\n",
					     n);
		of_property_read_u32_array(np, "fixed-link", legacy, n);
		full = legacy[1];
		speed = legacy[2];
	}
	if (speed != SPEED_10 && speed != SPEED_100 && speed != SPEED_1000 &&
	    !(speed == SPEED_10000 && fpgaeth_has_10g(priv)))
		return dev_err_probe(dev, -EINVAL,
				     "fixed-link: speed %u, the MAC has 10, 100 and 1000%s\n",
				     speed,
				     fpgaeth_has_10g(priv) ? " and 10000" : "");
	if (!full)
		return dev_err_probe(dev, -EINVAL,
				     "fixed-link: half duplex, the MAC is full duplex only\n");
	return 0;
}

/*
 * Whether @phy is a node of the IP's own MDIO bus: registering that bus
 * scanned it (of_mdiobus_register()), so a PHY it has no device for did
 * not answer and never will.
 */
static bool fpgaeth_phy_on_own_bus(struct fpgaeth_priv *priv,
				   struct device_node *phy)
{
	struct device_node *bus = of_get_parent(phy);
	bool own = priv->mii && bus && bus == priv->mii->dev.of_node;

	of_node_put(bus);
	return own;
}

/*
 * The link the DT describes, checked before phylink reads it (phylink
 * fails only when the interface is opened, or with a message that does not
 * name the property): a "fixed-link" the MAC can do, or a "phy-handle" to a
 * PHY device (one on another bus may not have probed yet: deferred; one on
 * the IP's own bus, already scanned, is missing: refused).
 */
static int fpgaeth_dt_link(struct fpgaeth_priv *priv)
{
	struct device *dev = priv->dev;
	struct device_node *np = dev->of_node, *fl, *phy;
	struct phy_device *phydev;
	int err;

	fl = of_get_child_by_name(np, "fixed-link");
	if (fl || of_property_present(np, "fixed-link")) {
		err = fpgaeth_dt_fixed_link(priv, fl);
		of_node_put(fl);
		return err;
	}
	phy = of_parse_phandle(np, "phy-handle", 0);
	if (!phy) {
		if (of_property_present(np, "phy-handle"))
			return dev_err_probe(dev, -EINVAL,
					     "phy-handle does not point to a node\n");
		return dev_err_probe(dev, -EINVAL,
				     "neither phy-handle nor fixed-link: no link to manage\n");
	}
	phydev = of_phy_find_device(phy);
	if (phydev)
		put_device(&phydev->mdio.dev);
	else if (fpgaeth_phy_on_own_bus(priv, phy))
		err = dev_err_probe(dev, -ENODEV,
				    "phy-handle %pOF: no PHY answers there on the IP's MDIO bus\n",
				    phy);
	else
		err = dev_err_probe(dev, -EPROBE_DEFER,
				    "phy-handle %pOF: no PHY device there (yet)\n",
				    phy);
	of_node_put(phy);
	return phydev ? 0 : err;
}

/**
 * fpgaeth_phylink_create - create the phylink instance from the DT node
 * @priv: device with @ndev allocated
 *
 * "phy-mode" is required; the link is a "phy-handle" PHY or a
 * "fixed-link". Each is checked first, with a message naming it.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_phylink_create(struct fpgaeth_priv *priv)
{
	struct phylink_config *config = &priv->phylink_config;
	struct device *dev = priv->dev;
	struct phylink *pl;
	int err;

	config->dev = &priv->ndev->dev;
	config->type = PHYLINK_NETDEV;
	/* the IP has no CSMA/CD: full duplex only (spec: Half duplex) */
	config->mac_capabilities = MAC_10FD | MAC_100FD | MAC_1000FD;
	if (priv->cap1 & FPGAETH_CAP1_PAUSE)
		config->mac_capabilities |= MAC_SYM_PAUSE | MAC_ASYM_PAUSE;
	__set_bit(PHY_INTERFACE_MODE_MII, config->supported_interfaces);
	__set_bit(PHY_INTERFACE_MODE_GMII, config->supported_interfaces);
	phy_interface_set_rgmii(config->supported_interfaces);
	/*
	 * The 10 Gb/s option adds the MAC's XGMII (to a PCS or PHY outside
	 * the IP); phylink then resolves a 10000 Mb/s link, e.g. a
	 * fixed-link, which fpgaeth_mac_link_up() selects with SPEED = 3.
	 */
	if (fpgaeth_has_10g(priv)) {
		config->mac_capabilities |= MAC_10000FD;
		__set_bit(PHY_INTERFACE_MODE_XGMII, config->supported_interfaces);
	}

	err = fpgaeth_dt_phy_mode(priv);
	if (err)
		return err;
	err = fpgaeth_dt_link(priv);
	if (err)
		return err;

	pl = phylink_create(config, dev_fwnode(dev), priv->phy_mode,
			    &fpgaeth_phylink_ops);
	if (IS_ERR(pl))
		return dev_err_probe(dev, PTR_ERR(pl), "cannot create phylink\n");
	priv->phylink = pl;
	return devm_add_action_or_reset(dev, fpgaeth_phylink_destroy, pl);
}
