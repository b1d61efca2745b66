// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth debugfs, /sys/kernel/debug/fpgaeth/<dev_name>/:
 *   regs            every register by its spec name, value and fields
 *   q<q>/tx_ring    queue pair q's TX ring: driver and device indices and
 *   q<q>/rx_ring    every descriptor, decoded
 *   stall_timeout_ms the IP's stall watchdog time (CAP1.STALL_WDOG), 0: off
 * All files are read-only for root (0400), but stall_timeout_ms (0600).
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "fpgaeth.h"
#include "fpgaeth_compat.h"

static struct dentry *fpgaeth_dbg_root;

static int fpgaeth_dbg_regs_show(struct seq_file *s, void *unused)
{
	fpgaeth_regs_show(s->private, s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fpgaeth_dbg_regs);

/* Bytes a ring file needs: a header, then one line per descriptor */
#define FPGAETH_DBG_RING_HDR	1024
#define FPGAETH_DBG_RING_LINE	128

static void fpgaeth_dbg_marks(struct seq_file *s, unsigned int i,
			      unsigned int sw_head, unsigned int sw_tail,
			      unsigned int hw_head, unsigned int hw_tail)
{
	if (i == sw_head)
		seq_puts(s, " <sw_head");
	if (i == sw_tail)
		seq_puts(s, " <sw_tail");
	if (i == hw_head)
		seq_puts(s, " <hw_head");
	if (i == hw_tail)
		seq_puts(s, " <hw_tail");
}

/* Descriptor @i is the device's: between its HEAD and its TAIL. */
static bool fpgaeth_dbg_hw_owns(unsigned int i, unsigned int head,
				unsigned int tail, unsigned int size)
{
	return CIRC_CNT(i, head, size) < CIRC_CNT(tail, head, size);
}

static void fpgaeth_dbg_tx_desc(struct seq_file *s,
				const struct fpgaeth_ring *ring, unsigned int i)
{
	const struct fpgaeth_desc *d = (const struct fpgaeth_desc *)ring->desc + i;
	u16 flags = le16_to_cpu(READ_ONCE(d->flags));

	seq_printf(s, " addr=0x%016llx len=%u flags=0x%04x",
		   le64_to_cpu(READ_ONCE(d->addr)), le16_to_cpu(READ_ONCE(d->len)),
		   flags);
	if (flags & FPGAETH_TXD_EOP)
		seq_puts(s, " EOP");
	if (flags & FPGAETH_TXD_CSUM)
		seq_printf(s, " CSUM start=%u offset=%u",
			   le16_to_cpu(READ_ONCE(d->csum_start)),
			   le16_to_cpu(READ_ONCE(d->csum_offset)));
	if (flags & FPGAETH_TXD_ERR)
		seq_puts(s, " ERR");
	if (flags & FPGAETH_TXD_DONE)
		seq_puts(s, " DONE");
	if (ring->tx_buf[i].skb)
		seq_puts(s, " skb");
}

static void fpgaeth_dbg_rx_desc(struct seq_file *s,
				const struct fpgaeth_ring *ring, unsigned int i)
{
	const struct fpgaeth_rx_wb *wb = (const struct fpgaeth_rx_wb *)ring->desc + i;
	const struct fpgaeth_desc *d = (const struct fpgaeth_desc *)ring->desc + i;
	u16 status = le16_to_cpu(READ_ONCE(wb->status));

	if (status & FPGAETH_RXD_DONE) {
		/* written back by the device */
		seq_printf(s, " wb len=%u status=0x%04x",
			   le16_to_cpu(READ_ONCE(wb->len)), status);
		if (status & FPGAETH_RXD_EOP)
			seq_puts(s, " EOP");
		if (status & FPGAETH_RXD_CSUM_VALID)
			seq_printf(s, " CSUM_VALID csum=0x%04x",
				   le16_to_cpu(READ_ONCE(wb->csum)));
		if (FIELD_GET(FPGAETH_RXD_HASH_TYPE, status))
			seq_printf(s, " HASH_TYPE=%lu hash=0x%08x",
				   FIELD_GET(FPGAETH_RXD_HASH_TYPE, status),
				   le32_to_cpu(READ_ONCE(wb->rss_hash)));
		seq_puts(s, " DONE");
	} else {
		seq_printf(s, " posted addr=0x%016llx buf_len=%u status=0x%04x",
			   le64_to_cpu(READ_ONCE(d->addr)),
			   le16_to_cpu(READ_ONCE(d->len)), status);
	}
	if (ring->rx_page[i])
		seq_puts(s, " page");
}

/*
 * One ring of a queue pair, under RTNL: the rings are allocated and freed
 * (interface up and down, reset work, ring and channel changes, device
 * removal) only under RTNL. The datapath runs on meanwhile, so indices
 * and descriptors are a snapshot that may be a few frames apart.
 */
static int fpgaeth_dbg_ring_show(struct seq_file *s, struct fpgaeth_qp *qp,
				 bool tx)
{
	struct fpgaeth_priv *priv = qp->priv;
	struct fpgaeth_ring *ring = tx ? &qp->tx : &qp->rx;
	u32 base = tx ? 0 : FPGAETH_Q_RX_BASE_LO - FPGAETH_Q_TX_BASE_LO;
	unsigned int sw_head, sw_tail, hw_head, hw_tail, i, size;
	u32 status, ctrl;
	int err;

	err = fpgaeth_rtnl_lock_killable();
	if (err)
		return err;

	seq_printf(s, "queue pair %u %s ring\n", qp->idx, tx ? "TX" : "RX");
	if (qp->idx >= priv->num_qp) {
		seq_printf(s, "state: unused (%u of %u queue pairs in use)\n",
			   priv->num_qp, priv->hw_num_qp);
		goto out;
	}
	if (!priv->up || !ring->desc) {
		seq_puts(s, "state: down\n");
		goto out;
	}

	size = ring->size;
	sw_head = READ_ONCE(ring->head);
	sw_tail = READ_ONCE(ring->tail);
	hw_head = fpgaeth_qp_rd32(qp, base + FPGAETH_Q_TX_HEAD);
	hw_tail = fpgaeth_qp_rd32(qp, base + FPGAETH_Q_TX_TAIL);
	ctrl = fpgaeth_qp_rd32(qp, base + FPGAETH_Q_TX_CTRL);
	status = fpgaeth_qp_rd32(qp, base + FPGAETH_Q_TX_STATUS);

	seq_puts(s, "state: up\n");
	seq_printf(s, "size: %u\n", size);
	seq_printf(s, "dma: 0x%016llx\n", (u64)ring->desc_dma);
	seq_printf(s, "sw_head: %u\n", sw_head);
	seq_printf(s, "sw_tail: %u\n", sw_tail);
	seq_printf(s, "hw_head: %u\n", hw_head);
	seq_printf(s, "hw_tail: %u\n", hw_tail);
	seq_printf(s, "hw_ctrl: 0x%08x", ctrl);
	fpgaeth_regs_show_fields(s, FPGAETH_Q_TX_CTRL, ctrl);
	seq_printf(s, "\nhw_status: 0x%08x", status);
	fpgaeth_regs_show_fields(s, FPGAETH_Q_TX_STATUS, status);
	seq_putc(s, '\n');
	/* The hardware's indices are not to be trusted: they are printed. */
	if (hw_head >= size || hw_tail >= size)
		seq_puts(s, "warning: hardware index beyond the ring\n");

	seq_puts(s, "descriptors: index owner fields marks\n");
	for (i = 0; i < size; i++) {
		seq_printf(s, "%5u %s", i,
			   fpgaeth_dbg_hw_owns(i, hw_head, hw_tail, size) ?
			   "hw" : "sw");
		if (tx)
			fpgaeth_dbg_tx_desc(s, ring, i);
		else
			fpgaeth_dbg_rx_desc(s, ring, i);
		fpgaeth_dbg_marks(s, i, sw_head, sw_tail, hw_head, hw_tail);
		seq_putc(s, '\n');
	}
out:
	rtnl_unlock();
	return 0;
}

static int fpgaeth_dbg_tx_ring_show(struct seq_file *s, void *unused)
{
	return fpgaeth_dbg_ring_show(s, s->private, true);
}

static int fpgaeth_dbg_rx_ring_show(struct seq_file *s, void *unused)
{
	return fpgaeth_dbg_ring_show(s, s->private, false);
}

/* Room for the ring as configured now (seq_file grows it if it changed) */
static size_t fpgaeth_dbg_ring_bufsize(struct fpgaeth_qp *qp)
{
	struct fpgaeth_priv *priv = qp->priv;

	return FPGAETH_DBG_RING_HDR +
	       (size_t)max(READ_ONCE(priv->tx_ring_size),
			   READ_ONCE(priv->rx_ring_size)) * FPGAETH_DBG_RING_LINE;
}

static int fpgaeth_dbg_tx_ring_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, fpgaeth_dbg_tx_ring_show,
				inode->i_private,
				fpgaeth_dbg_ring_bufsize(inode->i_private));
}

static int fpgaeth_dbg_rx_ring_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, fpgaeth_dbg_rx_ring_show,
				inode->i_private,
				fpgaeth_dbg_ring_bufsize(inode->i_private));
}

static const struct file_operations fpgaeth_dbg_tx_ring_fops = {
	.owner = THIS_MODULE,
	.open = fpgaeth_dbg_tx_ring_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations fpgaeth_dbg_rx_ring_fops = {
	.owner = THIS_MODULE,
	.open = fpgaeth_dbg_rx_ring_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int fpgaeth_dbg_stall_get(void *data, u64 *val)
{
	struct fpgaeth_priv *priv = data;

	*val = READ_ONCE(priv->stall_timeout_ms);
	return 0;
}

/* A test turns the watchdog off to see the driver's own checks work. */
static int fpgaeth_dbg_stall_set(void *data, u64 val)
{
	struct fpgaeth_priv *priv = data;
	int err;

	if (!(priv->cap1 & FPGAETH_CAP1_STALL_WDOG))
		return -EOPNOTSUPP;
	if (val > FIELD_MAX(FPGAETH_STALL_TIMEOUT_MS))
		return -ERANGE;
	err = fpgaeth_rtnl_lock_killable();
	if (err)
		return err;
	WRITE_ONCE(priv->stall_timeout_ms, val);
	if (priv->up)
		fpgaeth_stall_wdog_start(priv);
	rtnl_unlock();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fpgaeth_dbg_stall_fops, fpgaeth_dbg_stall_get,
			 fpgaeth_dbg_stall_set, "%llu\n");

static void fpgaeth_dbg_dev_exit(void *data)
{
	struct fpgaeth_priv *priv = data;

	/* Waits for the readers of the files, which use @priv. */
	debugfs_remove_recursive(priv->dbg_dir);
	priv->dbg_dir = NULL;
}

/**
 * fpgaeth_dbg_dev_init - create the device's debugfs directory
 * @priv: device, with @regs, @hw_num_qp and its queue pairs set
 *
 * The directory goes away with the device (a devm action, run after the
 * interface is unregistered and before @priv is freed). debugfs failures
 * are not errors; only failing to register that action is.
 *
 * Return: 0 or a negative errno.
 */
int fpgaeth_dbg_dev_init(struct fpgaeth_priv *priv)
{
	struct dentry *dir;
	unsigned int q;
	char name[12];

	priv->dbg_dir = debugfs_create_dir(dev_name(priv->dev),
					   fpgaeth_dbg_root);
	debugfs_create_file("regs", 0400, priv->dbg_dir, priv,
			    &fpgaeth_dbg_regs_fops);
	debugfs_create_file_unsafe("stall_timeout_ms", 0600, priv->dbg_dir,
				   priv, &fpgaeth_dbg_stall_fops);
	for (q = 0; q < priv->hw_num_qp; q++) {
		snprintf(name, sizeof(name), "q%u", q);
		dir = debugfs_create_dir(name, priv->dbg_dir);
		debugfs_create_file("tx_ring", 0400, dir, &priv->qp[q],
				    &fpgaeth_dbg_tx_ring_fops);
		debugfs_create_file("rx_ring", 0400, dir, &priv->qp[q],
				    &fpgaeth_dbg_rx_ring_fops);
	}

	return devm_add_action_or_reset(priv->dev, fpgaeth_dbg_dev_exit, priv);
}

void __init fpgaeth_dbg_init(void)
{
	fpgaeth_dbg_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void fpgaeth_dbg_exit(void)
{
	debugfs_remove_recursive(fpgaeth_dbg_root);
	fpgaeth_dbg_root = NULL;
}
