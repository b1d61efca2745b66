// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth register table: every register of the programming model
 * (Documentation/fpgaeth/programming-model.rst) with its name, offset and
 * fields, and what is built on it: the debugfs "regs" listing, the
 * ethtool -d dump and the register self-test.
 *
 * No register of the IP has a read side effect except the statistics
 * counters: a 32-bit read of a counter's _LO latches its _HI for the next
 * _HI read. The table's users read counters with one 64-bit access, which
 * latches nothing, so that a dump never disturbs a LO/HI pair in progress.
 */
#include <linux/bitfield.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>

#include "fpgaeth.h"

#define FPGAETH_REG_NAME_LEN	24

/**
 * struct fpgaeth_field - a field of a register, for decoding
 * @name: the spec's name of the field
 * @mask: its bits
 * @value: printed as NAME=value (else NAME, when not 0)
 * @values: names of the values, indexed by value (may be NULL)
 * @nvalues: entries in @values
 */
struct fpgaeth_field {
	const char *name;
	u32 mask;
	bool value;
	const char * const *values;
	unsigned int nvalues;
};

#define FPGAETH_FLAG(n, m)	{ .name = n, .mask = m }
#define FPGAETH_VAL(n, m)	{ .name = n, .mask = m, .value = true }

/* Register flags */
#define FPGAETH_REG_STAT	BIT(0)	/* 64-bit counter: _LO and _HI */

/**
 * struct fpgaeth_reg - a register, or an array of them, of the spec
 * @name: the spec's name; an array's entries get their index appended
 * @offset: global registers: from the start of the window; queue pair
 *          registers: within the queue pair's block
 * @count: entries of an array (0 or 1: a single register)
 * @flags: FPGAETH_REG_*
 * @test_mask: bits the register self-test may write (RW bits whose value
 *             has no effect while the queues are disabled); 0: not tested
 * @fields: its fields, ending with an empty entry (may be NULL)
 */
struct fpgaeth_reg {
	const char *name;
	u32 offset;
	u8 count;
	u8 flags;
	u32 test_mask;
	const struct fpgaeth_field *fields;
};

static const struct fpgaeth_field fpgaeth_f_version[] = {
	FPGAETH_VAL("MAJOR", FPGAETH_VERSION_MAJOR),
	FPGAETH_VAL("MINOR", FPGAETH_VERSION_MINOR),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_cap0[] = {
	FPGAETH_VAL("NUM_QP", FPGAETH_CAP0_NUM_QP),
	FPGAETH_VAL("MAX_RING_LOG2", FPGAETH_CAP0_MAX_RING_LOG2),
	FPGAETH_VAL("MAX_FRAME", FPGAETH_CAP0_MAX_FRAME),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_cap1[] = {
	FPGAETH_FLAG("TX_CSUM", FPGAETH_CAP1_TX_CSUM),
	FPGAETH_FLAG("RX_CSUM", FPGAETH_CAP1_RX_CSUM),
	FPGAETH_FLAG("RSS", FPGAETH_CAP1_RSS),
	FPGAETH_FLAG("LOOPBACK", FPGAETH_CAP1_LOOPBACK),
	FPGAETH_FLAG("TX_SG", FPGAETH_CAP1_TX_SG),
	FPGAETH_FLAG("MC_HASH", FPGAETH_CAP1_MC_HASH),
	FPGAETH_FLAG("PAUSE", FPGAETH_CAP1_PAUSE),
	FPGAETH_FLAG("TX_TSTAMP", FPGAETH_CAP1_TX_TSTAMP),
	FPGAETH_FLAG("RX_TSTAMP", FPGAETH_CAP1_RX_TSTAMP),
	FPGAETH_FLAG("QUEUE_IDLE", FPGAETH_CAP1_QUEUE_IDLE),
	FPGAETH_FLAG("SPEED_10G", FPGAETH_CAP1_SPEED_10G),
	FPGAETH_FLAG("STALL_WDOG", FPGAETH_CAP1_STALL_WDOG),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_cap2[] = {
	FPGAETH_VAL("RSS_KEY_WORDS", FPGAETH_CAP2_RSS_KEY_WORDS),
	FPGAETH_VAL("RSS_INDIR_LOG2", FPGAETH_CAP2_RSS_INDIR_LOG2),
	FPGAETH_VAL("TX_MAX_DESCS", FPGAETH_CAP2_TX_MAX_DESCS),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_cap3[] = {
	FPGAETH_VAL("RX_FIFO_KIB", FPGAETH_CAP3_RX_FIFO_KIB),
	FPGAETH_VAL("TX_FIFO_KIB", FPGAETH_CAP3_TX_FIFO_KIB),
	FPGAETH_VAL("CLK_MHZ", FPGAETH_CAP3_CLK_MHZ),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_ctrl[] = {
	FPGAETH_FLAG("SOFT_RESET", FPGAETH_CTRL_SOFT_RESET),
	FPGAETH_FLAG("TX_EN", FPGAETH_CTRL_TX_EN),
	FPGAETH_FLAG("RX_EN", FPGAETH_CTRL_RX_EN),
	FPGAETH_FLAG("PROMISC", FPGAETH_CTRL_PROMISC),
	FPGAETH_FLAG("ALLMULTI", FPGAETH_CTRL_ALLMULTI),
	FPGAETH_FLAG("LOOPBACK", FPGAETH_CTRL_LOOPBACK),
	FPGAETH_FLAG("RSS_EN", FPGAETH_CTRL_RSS_EN),
	FPGAETH_FLAG("RX_CSUM_EN", FPGAETH_CTRL_RX_CSUM_EN),
	FPGAETH_FLAG("RX_PAUSE_EN", FPGAETH_CTRL_RX_PAUSE_EN),
	FPGAETH_FLAG("TX_PAUSE_EN", FPGAETH_CTRL_TX_PAUSE_EN),
	{ }
};

/* 3: 10 Gb/s with CAP1.SPEED_10G (the driver writes it only then) */
static const char * const fpgaeth_speed_names[] = { "10", "100", "1000", "10000" };

static const struct fpgaeth_field fpgaeth_f_mac_cfg[] = {
	{ .name = "SPEED", .mask = FPGAETH_MAC_CFG_SPEED, .value = true,
	  .values = fpgaeth_speed_names, .nvalues = ARRAY_SIZE(fpgaeth_speed_names) },
	FPGAETH_FLAG("FULL_DUPLEX", FPGAETH_MAC_CFG_FULL_DUPLEX),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_mac_addr_hi[] = {
	FPGAETH_VAL("ADDR", GENMASK(15, 0)),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_max_frame_len[] = {
	FPGAETH_VAL("LEN", GENMASK(15, 0)),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_pause_quanta[] = {
	FPGAETH_VAL("QUANTA", GENMASK(15, 0)),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_pause_cmd[] = {
	FPGAETH_FLAG("XOFF", FPGAETH_PAUSE_CMD_XOFF),
	FPGAETH_FLAG("XON", FPGAETH_PAUSE_CMD_XON),
	{ }
};

static const char * const fpgaeth_mdio_op_names[] = {
	"NONE", "WRITE", "READ", "NONE"
};

static const struct fpgaeth_field fpgaeth_f_mdio_cmd[] = {
	FPGAETH_VAL("REGAD", FPGAETH_MDIO_CMD_REGAD),
	FPGAETH_VAL("PHYAD", FPGAETH_MDIO_CMD_PHYAD),
	{ .name = "OP", .mask = FPGAETH_MDIO_CMD_OP, .value = true,
	  .values = fpgaeth_mdio_op_names, .nvalues = ARRAY_SIZE(fpgaeth_mdio_op_names) },
	FPGAETH_FLAG("BUSY", FPGAETH_MDIO_CMD_START),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_mdio_data[] = {
	FPGAETH_VAL("DATA", FPGAETH_MDIO_DATA_DATA),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_mdio_cfg[] = {
	FPGAETH_VAL("DIV", FPGAETH_MDIO_CFG_DIV),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_misc_irq[] = {
	FPGAETH_FLAG("LINK", FPGAETH_MISC_IRQ_LINK),
	FPGAETH_FLAG("DMA_ERR", FPGAETH_MISC_IRQ_DMA_ERR),
	FPGAETH_FLAG("MDIO_DONE", FPGAETH_MISC_IRQ_MDIO_DONE),
	FPGAETH_FLAG("RX_FIFO_OVF", FPGAETH_MISC_IRQ_RX_FIFO_OVF),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_queue_irq_summary[] = {
	FPGAETH_FLAG("Q0", BIT(0)),
	FPGAETH_FLAG("Q1", BIT(1)),
	FPGAETH_FLAG("Q2", BIT(2)),
	FPGAETH_FLAG("Q3", BIT(3)),
	FPGAETH_FLAG("Q4", BIT(4)),
	FPGAETH_FLAG("Q5", BIT(5)),
	FPGAETH_FLAG("Q6", BIT(6)),
	FPGAETH_FLAG("Q7", BIT(7)),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_stats_ctrl[] = {
	FPGAETH_FLAG("CLEAR", FPGAETH_STATS_CTRL_CLEAR),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_rss_indir[] = {
	FPGAETH_VAL("E0", FPGAETH_RSS_INDIR_ENTRY(0)),
	FPGAETH_VAL("E1", FPGAETH_RSS_INDIR_ENTRY(1)),
	FPGAETH_VAL("E2", FPGAETH_RSS_INDIR_ENTRY(2)),
	FPGAETH_VAL("E3", FPGAETH_RSS_INDIR_ENTRY(3)),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_stall_timeout[] = {
	FPGAETH_VAL("MS", FPGAETH_STALL_TIMEOUT_MS),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_base_lo[] = {
	FPGAETH_VAL("ADDR", FPGAETH_Q_BASE_LO_ADDR),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_size[] = {
	FPGAETH_VAL("LOG2", FPGAETH_Q_SIZE_LOG2),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_q_ctrl[] = {
	FPGAETH_FLAG("ENABLE", FPGAETH_Q_CTRL_ENABLE),
	{ }
};

static const char * const fpgaeth_cause_names[] = {
	[FPGAETH_CAUSE_NONE] = "NONE",
	[FPGAETH_CAUSE_DESC_READ] = "DESC_READ",
	[FPGAETH_CAUSE_BUF_ACCESS] = "BUF_ACCESS",
	[FPGAETH_CAUSE_DESC_WRITE] = "DESC_WRITE",
	[FPGAETH_CAUSE_RING_CONFIG] = "RING_CONFIG",
	[FPGAETH_CAUSE_DESC_INVALID] = "DESC_INVALID",
	[FPGAETH_CAUSE_STALL] = "STALL",
};

/**
 * fpgaeth_cause_name - the spec's name of a Q_*_STATUS.CAUSE value
 * @cause: the field's value, as the IP reported it
 *
 * Return: the name, or "unknown" for a value the spec does not define.
 */
const char *fpgaeth_cause_name(u32 cause)
{
	if (cause < ARRAY_SIZE(fpgaeth_cause_names) && fpgaeth_cause_names[cause])
		return fpgaeth_cause_names[cause];
	return "unknown";
}

static const struct fpgaeth_field fpgaeth_f_q_status[] = {
	FPGAETH_FLAG("HALTED", FPGAETH_Q_STATUS_HALTED),
	FPGAETH_FLAG("IDLE", FPGAETH_Q_STATUS_IDLE),
	{ .name = "CAUSE", .mask = FPGAETH_Q_STATUS_CAUSE, .value = true,
	  .values = fpgaeth_cause_names, .nvalues = ARRAY_SIZE(fpgaeth_cause_names) },
	{ }
};

static const struct fpgaeth_field fpgaeth_f_q_coal[] = {
	FPGAETH_VAL("FRAMES", FPGAETH_Q_COAL_FRAMES),
	FPGAETH_VAL("USECS", FPGAETH_Q_COAL_USECS),
	{ }
};

static const struct fpgaeth_field fpgaeth_f_q_irq[] = {
	FPGAETH_FLAG("TX", FPGAETH_Q_IRQ_TX),
	FPGAETH_FLAG("RX", FPGAETH_Q_IRQ_RX),
	{ }
};

#define FPGAETH_R(r, t, f) \
	{ .name = #r, .offset = FPGAETH_##r, .test_mask = t, .fields = f }
#define FPGAETH_STAT(s) \
	{ .name = #s, .offset = FPGAETH_STAT_##s, .flags = FPGAETH_REG_STAT }
#define FPGAETH_Q(r, t, f) \
	{ .name = #r, .offset = FPGAETH_Q_##r, .test_mask = t, .fields = f }

/* The registers outside the queue pair blocks, in the spec's order */
static const struct fpgaeth_reg fpgaeth_global_regs[] = {
	FPGAETH_R(ID, 0, NULL),
	FPGAETH_R(VERSION, 0, fpgaeth_f_version),
	FPGAETH_R(BUILD_ID, 0, NULL),
	FPGAETH_R(SCRATCH, GENMASK(31, 0), NULL),
	FPGAETH_R(CAP0, 0, fpgaeth_f_cap0),
	FPGAETH_R(CAP1, 0, fpgaeth_f_cap1),
	FPGAETH_R(CAP2, 0, fpgaeth_f_cap2),
	FPGAETH_R(CAP3, 0, fpgaeth_f_cap3),
	FPGAETH_R(CTRL, 0, fpgaeth_f_ctrl),
	FPGAETH_R(MAC_CFG, 0, fpgaeth_f_mac_cfg),
	FPGAETH_R(MAC_ADDR_LO, GENMASK(31, 0), NULL),
	FPGAETH_R(MAC_ADDR_HI, GENMASK(15, 0), fpgaeth_f_mac_addr_hi),
	FPGAETH_R(MAX_FRAME_LEN, 0, fpgaeth_f_max_frame_len),
	FPGAETH_R(MC_HASH_LO, GENMASK(31, 0), NULL),
	FPGAETH_R(MC_HASH_HI, GENMASK(31, 0), NULL),
	FPGAETH_R(PAUSE_QUANTA, GENMASK(15, 0), fpgaeth_f_pause_quanta),
	FPGAETH_R(PAUSE_CMD, 0, fpgaeth_f_pause_cmd),
	FPGAETH_R(MDIO_CMD, 0, fpgaeth_f_mdio_cmd),
	FPGAETH_R(MDIO_DATA, 0, fpgaeth_f_mdio_data),
	FPGAETH_R(MDIO_CFG, FPGAETH_MDIO_CFG_DIV, fpgaeth_f_mdio_cfg),
	FPGAETH_R(MISC_IRQ_STATUS, 0, fpgaeth_f_misc_irq),
	FPGAETH_R(MISC_IRQ_ENABLE, 0, fpgaeth_f_misc_irq),
	FPGAETH_R(MISC_IRQ_SET, 0, fpgaeth_f_misc_irq),
	FPGAETH_R(QUEUE_IRQ_SUMMARY, 0, fpgaeth_f_queue_irq_summary),
	FPGAETH_R(STATS_CTRL, 0, fpgaeth_f_stats_ctrl),
	FPGAETH_STAT(TX_FRAMES_OK),
	FPGAETH_STAT(TX_OCTETS_OK),
	FPGAETH_STAT(TX_UCAST),
	FPGAETH_STAT(TX_MCAST),
	FPGAETH_STAT(TX_BCAST),
	FPGAETH_STAT(TX_PAUSE),
	FPGAETH_STAT(TX_MAC_CTRL),
	FPGAETH_STAT(TX_DISCARDS),
	FPGAETH_STAT(RX_FRAMES_OK),
	FPGAETH_STAT(RX_OCTETS_OK),
	FPGAETH_STAT(RX_UCAST),
	FPGAETH_STAT(RX_MCAST),
	FPGAETH_STAT(RX_BCAST),
	FPGAETH_STAT(RX_PAUSE),
	FPGAETH_STAT(RX_MAC_CTRL),
	FPGAETH_STAT(RX_UNSUP_OPCODE),
	FPGAETH_STAT(RX_FCS_ERR),
	FPGAETH_STAT(RX_ALIGN_ERR),
	FPGAETH_STAT(RX_LEN_ERR),
	FPGAETH_STAT(RX_TOO_LONG),
	FPGAETH_STAT(RX_UNDERSIZE),
	FPGAETH_STAT(RX_FRAGMENTS),
	FPGAETH_STAT(RX_JABBERS),
	FPGAETH_STAT(RX_NOBUF),
	FPGAETH_STAT(RX_FIFO_OVF),
	FPGAETH_STAT(RX_FILTERED),
	{ .name = "RX_HIST", .offset = FPGAETH_STAT_RX_HIST(0),
	  .count = FPGAETH_STAT_HIST_NUM, .flags = FPGAETH_REG_STAT },
	{ .name = "TX_HIST", .offset = FPGAETH_STAT_TX_HIST(0),
	  .count = FPGAETH_STAT_HIST_NUM, .flags = FPGAETH_REG_STAT },
	{ .name = "RSS_KEY", .offset = FPGAETH_RSS_KEY(0),
	  .count = FPGAETH_RSS_KEY_NUM, .test_mask = GENMASK(31, 0) },
	{ .name = "RSS_INDIR", .offset = FPGAETH_RSS_INDIR(0),
	  .count = FPGAETH_RSS_INDIR_NUM,
	  .test_mask = FPGAETH_RSS_INDIR_ENTRY(0) | FPGAETH_RSS_INDIR_ENTRY(1) |
		       FPGAETH_RSS_INDIR_ENTRY(2) | FPGAETH_RSS_INDIR_ENTRY(3),
	  .fields = fpgaeth_f_rss_indir },
	FPGAETH_R(STALL_TIMEOUT, 0, fpgaeth_f_stall_timeout),
};

/* One queue pair's registers, named Q<q>_<NAME> */
static const struct fpgaeth_reg fpgaeth_qp_regs[] = {
	FPGAETH_Q(TX_BASE_LO, FPGAETH_Q_BASE_LO_ADDR, fpgaeth_f_base_lo),
	FPGAETH_Q(TX_BASE_HI, GENMASK(31, 0), NULL),
	FPGAETH_Q(TX_SIZE, FPGAETH_Q_SIZE_LOG2, fpgaeth_f_size),
	FPGAETH_Q(TX_HEAD, 0, NULL),
	FPGAETH_Q(TX_TAIL, 0, NULL),
	FPGAETH_Q(TX_CTRL, 0, fpgaeth_f_q_ctrl),
	FPGAETH_Q(TX_STATUS, 0, fpgaeth_f_q_status),
	FPGAETH_Q(TX_COAL, GENMASK(31, 0), fpgaeth_f_q_coal),
	FPGAETH_Q(TX_ERR_ADDR_LO, 0, NULL),
	FPGAETH_Q(TX_ERR_ADDR_HI, 0, NULL),
	FPGAETH_Q(TX_DISCARDS, 0, NULL),
	FPGAETH_Q(RX_BASE_LO, FPGAETH_Q_BASE_LO_ADDR, fpgaeth_f_base_lo),
	FPGAETH_Q(RX_BASE_HI, GENMASK(31, 0), NULL),
	FPGAETH_Q(RX_SIZE, FPGAETH_Q_SIZE_LOG2, fpgaeth_f_size),
	FPGAETH_Q(RX_HEAD, 0, NULL),
	FPGAETH_Q(RX_TAIL, 0, NULL),
	FPGAETH_Q(RX_CTRL, 0, fpgaeth_f_q_ctrl),
	FPGAETH_Q(RX_STATUS, 0, fpgaeth_f_q_status),
	FPGAETH_Q(RX_COAL, GENMASK(31, 0), fpgaeth_f_q_coal),
	FPGAETH_Q(RX_ERR_ADDR_LO, 0, NULL),
	FPGAETH_Q(RX_ERR_ADDR_HI, 0, NULL),
	FPGAETH_Q(RX_NOBUF, 0, NULL),
	FPGAETH_Q(IRQ_STATUS, 0, fpgaeth_f_q_irq),
	FPGAETH_Q(IRQ_ENABLE, 0, fpgaeth_f_q_irq),
	FPGAETH_Q(IRQ_SET, 0, fpgaeth_f_q_irq),
};

/* What a walk's callback works on */
struct fpgaeth_reg_ctx {
	struct fpgaeth_priv *priv;
	void *out;
};

/*
 * Call @fn for every register (every counter) of a device with @num_qp
 * queue pairs, in table order, with its name and absolute offset; @fn
 * returns non-zero to stop the walk, which then returns that value.
 */
typedef int (*fpgaeth_reg_fn)(void *ctx, const struct fpgaeth_reg *reg,
			      const char *name, u32 offset);

static int fpgaeth_reg_walk(unsigned int num_qp, fpgaeth_reg_fn fn, void *ctx)
{
	char name[FPGAETH_REG_NAME_LEN];
	const struct fpgaeth_reg *reg;
	unsigned int i, n, q;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fpgaeth_global_regs); i++) {
		reg = &fpgaeth_global_regs[i];
		if (!reg->count) {
			ret = fn(ctx, reg, reg->name, reg->offset);
			if (ret)
				return ret;
			continue;
		}
		for (n = 0; n < reg->count; n++) {
			snprintf(name, sizeof(name), "%s%u", reg->name, n);
			ret = fn(ctx, reg, name, reg->offset +
				 n * (reg->flags & FPGAETH_REG_STAT ? 8 : 4));
			if (ret)
				return ret;
		}
	}
	for (q = 0; q < num_qp; q++) {
		for (i = 0; i < ARRAY_SIZE(fpgaeth_qp_regs); i++) {
			reg = &fpgaeth_qp_regs[i];
			snprintf(name, sizeof(name), "Q%u_%s", q, reg->name);
			ret = fn(ctx, reg, name,
				 FPGAETH_QP_BASE(q) + reg->offset);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ethtool -d */

/**
 * fpgaeth_get_regs_len - size of the ethtool -d dump
 * @ndev: the interface
 *
 * The dump is an image of the register window from offset 0 to the end of
 * the IP's last queue pair block: the register at offset X is at byte X of
 * the dump, little-endian; offsets without a register are 0.
 *
 * Return: bytes.
 */
int fpgaeth_get_regs_len(struct net_device *ndev)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);

	return FPGAETH_QP_BASE(priv->hw_num_qp);
}

static int fpgaeth_dump_reg(void *ctx, const struct fpgaeth_reg *reg,
			    const char *name, u32 offset)
{
	struct fpgaeth_reg_ctx *c = ctx;
	struct fpgaeth_priv *priv = c->priv;
	u32 *buf = c->out;
	u64 val;

	if (reg->flags & FPGAETH_REG_STAT) {
		val = fpgaeth_hw_stat_read(priv, offset);
		buf[offset / 4] = lower_32_bits(val);
		buf[offset / 4 + 1] = upper_32_bits(val);
	} else {
		buf[offset / 4] = fpgaeth_rd32(priv, offset);
	}
	return 0;
}

/**
 * fpgaeth_get_regs - the ethtool -d dump (see fpgaeth_get_regs_len())
 * @ndev: the interface
 * @regs: its version becomes the IP's VERSION register
 * @p: fpgaeth_get_regs_len() bytes
 */
void fpgaeth_get_regs(struct net_device *ndev, struct ethtool_regs *regs,
		      void *p)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	struct fpgaeth_reg_ctx ctx = { .priv = priv, .out = p };
	/* the buffer's size; regs->len may be less (what user space wants) */
	unsigned int len = fpgaeth_get_regs_len(ndev);

	regs->version = priv->version;
	memset(p, 0, len);
	fpgaeth_reg_walk(priv->hw_num_qp, fpgaeth_dump_reg, &ctx);
	/* the dump is a little-endian image of the window */
	cpu_to_le32_array(p, len / 4);
}

/* debugfs regs */

static void fpgaeth_show_fields(struct seq_file *s,
				const struct fpgaeth_field *f, u32 val)
{
	u32 known = 0;

	for (; f->name; f++) {
		u32 v = (val & f->mask) >> __ffs(f->mask);

		known |= f->mask;
		if (!f->value) {
			if (v)
				seq_printf(s, " %s", f->name);
		} else if (f->values && v < f->nvalues && f->values[v]) {
			seq_printf(s, " %s=%s", f->name, f->values[v]);
		} else {
			seq_printf(s, " %s=%u", f->name, v);
		}
	}
	/* Reserved bits read 0: anything else is the hardware's fault. */
	if (val & ~known)
		seq_printf(s, " RESERVED=%#x", val & ~known);
}

static int fpgaeth_show_reg(void *ctx, const struct fpgaeth_reg *reg,
			    const char *name, u32 offset)
{
	struct fpgaeth_reg_ctx *c = ctx;
	struct fpgaeth_priv *priv = c->priv;
	struct seq_file *s = c->out;
	u32 val;

	if (reg->flags & FPGAETH_REG_STAT) {
		u64 v = fpgaeth_hw_stat_read(priv, offset);

		seq_printf(s, "%s_LO = 0x%08x %s=%llu\n", name,
			   lower_32_bits(v), name, v);
		seq_printf(s, "%s_HI = 0x%08x\n", name, upper_32_bits(v));
		return 0;
	}
	val = fpgaeth_rd32(priv, offset);
	seq_printf(s, "%s = 0x%08x", name, val);
	if (reg->fields)
		fpgaeth_show_fields(s, reg->fields, val);
	seq_putc(s, '\n');
	return 0;
}

/**
 * fpgaeth_regs_show - list every register: "NAME = 0x%08x [fields]"
 * @priv: device
 * @s: where to print
 *
 * Counters are listed as <NAME>_LO and <NAME>_HI (one 64-bit read), the
 * _LO line followed by the counter's value in decimal.
 */
void fpgaeth_regs_show(struct fpgaeth_priv *priv, struct seq_file *s)
{
	struct fpgaeth_reg_ctx ctx = { .priv = priv, .out = s };

	fpgaeth_reg_walk(priv->hw_num_qp, fpgaeth_show_reg, &ctx);
}

/**
 * fpgaeth_regs_show_fields - decode a queue pair register's fields
 * @s: where to print (" FIELD" or " FIELD=value" each)
 * @offset: the register's offset in the queue pair block (FPGAETH_Q_*)
 * @val: its value
 */
void fpgaeth_regs_show_fields(struct seq_file *s, u32 offset, u32 val)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fpgaeth_qp_regs); i++)
		if (fpgaeth_qp_regs[i].offset == offset &&
		    fpgaeth_qp_regs[i].fields)
			fpgaeth_show_fields(s, fpgaeth_qp_regs[i].fields, val);
}

/* Register self-test */

struct fpgaeth_regs_test {
	struct fpgaeth_priv *priv;
	const char *name;
	u32 offset, wrote, read;
};

static int fpgaeth_test_reg(void *ctx, const struct fpgaeth_reg *reg,
			    const char *name, u32 offset)
{
	static const u32 patterns[] = {
		0x5a5a5a5a, 0xa5a5a5a5, 0xffffffff, 0x00000000,
	};
	struct fpgaeth_regs_test *t = ctx;
	struct fpgaeth_priv *priv = t->priv;
	u32 mask = reg->test_mask;
	u32 saved, val, i;
	int ret = 0;

	if (!mask)
		return 0;
	saved = fpgaeth_rd32(priv, offset);
	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		fpgaeth_wr32(priv, offset, patterns[i] & mask);
		val = fpgaeth_rd32(priv, offset);
		if ((val & mask) != (patterns[i] & mask)) {
			t->name = name;
			t->offset = offset;
			t->wrote = patterns[i] & mask;
			t->read = val;
			ret = -EIO;
			break;
		}
	}
	fpgaeth_wr32(priv, offset, saved);
	return ret;
}

/**
 * fpgaeth_regs_test - write patterns to the read-write registers
 * @priv: device whose queues are all disabled (their BASE, SIZE and COAL
 *        registers are written)
 *
 * SCRATCH, the station address, the multicast filter, PAUSE_QUANTA,
 * MDIO_CFG, the RSS key and table, and every queue pair's BASE, SIZE and
 * COAL registers get the patterns 0x5a5a5a5a, 0xa5a5a5a5, all ones and
 * all zeroes (limited to their implemented bits) and must read them back;
 * each register gets its value back afterwards. The RX filter's
 * registers are changed under the address lock, as ndo_set_rx_mode
 * writes them.
 *
 * Return: 0, or -EIO at the first mismatch (reported in the kernel log).
 */
int fpgaeth_regs_test(struct fpgaeth_priv *priv)
{
	struct fpgaeth_regs_test t = { .priv = priv };
	int err;

	netif_addr_lock_bh(priv->ndev);
	err = fpgaeth_reg_walk(priv->hw_num_qp, fpgaeth_test_reg, &t);
	netif_addr_unlock_bh(priv->ndev);
	if (err)
		netdev_err(priv->ndev,
			   "register test: %s (%#06x) wrote %#010x, read %#010x\n",
			   t.name, t.offset, t.wrote, t.read);
	return err;
}
