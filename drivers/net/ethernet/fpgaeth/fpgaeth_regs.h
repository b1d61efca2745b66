/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fpgaeth register map, programming model 1.1 (a 1.0 IP is driven by the
 * same code, by its feature bits)
 * (Documentation/fpgaeth/programming-model.rst). Register names are the
 * spec's, prefixed with FPGAETH_; queue pair registers are FPGAETH_Q_<NAME>
 * offsets within the block at FPGAETH_QP_BASE(q); statistics counters are
 * FPGAETH_STAT_<NAME>, the offset of the counter's _LO register.
 */
#ifndef _FPGAETH_REGS_H
#define _FPGAETH_REGS_H

#include <linux/bits.h>
#include <linux/math.h>

#define FPGAETH_REGS_SIZE		0x10000

/* Identification and capabilities */
#define FPGAETH_ID			0x0000
#define   FPGAETH_ID_MAGIC		0x46504745	/* "FPGE" */
#define FPGAETH_VERSION			0x0004
#define   FPGAETH_VERSION_MAJOR		GENMASK(31, 16)
#define   FPGAETH_VERSION_MINOR		GENMASK(15, 0)
#define   FPGAETH_VERSION_MAJOR_SUPPORTED	1
#define FPGAETH_BUILD_ID		0x0008
#define FPGAETH_SCRATCH			0x000c
#define FPGAETH_CAP0			0x0010
#define   FPGAETH_CAP0_NUM_QP		GENMASK(3, 0)
#define   FPGAETH_CAP0_MAX_RING_LOG2	GENMASK(11, 8)
#define   FPGAETH_CAP0_MAX_FRAME	GENMASK(31, 16)
#define FPGAETH_CAP1			0x0014
#define   FPGAETH_CAP1_TX_CSUM		BIT(0)
#define   FPGAETH_CAP1_RX_CSUM		BIT(1)
#define   FPGAETH_CAP1_RSS		BIT(2)
#define   FPGAETH_CAP1_LOOPBACK		BIT(3)
#define   FPGAETH_CAP1_TX_SG		BIT(4)
#define   FPGAETH_CAP1_MC_HASH		BIT(5)
#define   FPGAETH_CAP1_PAUSE		BIT(6)
#define   FPGAETH_CAP1_TX_TSTAMP	BIT(8)
#define   FPGAETH_CAP1_RX_TSTAMP	BIT(9)
#define   FPGAETH_CAP1_QUEUE_IDLE	BIT(10)
#define   FPGAETH_CAP1_SPEED_10G	BIT(11)
#define   FPGAETH_CAP1_STALL_WDOG	BIT(12)
#define FPGAETH_CAP2			0x0018
#define   FPGAETH_CAP2_RSS_KEY_WORDS	GENMASK(7, 0)
#define   FPGAETH_CAP2_RSS_INDIR_LOG2	GENMASK(15, 8)
#define   FPGAETH_CAP2_TX_MAX_DESCS	GENMASK(23, 16)
#define FPGAETH_CAP3			0x001c
#define   FPGAETH_CAP3_RX_FIFO_KIB	GENMASK(7, 0)
#define   FPGAETH_CAP3_TX_FIFO_KIB	GENMASK(15, 8)
#define   FPGAETH_CAP3_CLK_MHZ		GENMASK(31, 16)

#define FPGAETH_MAX_QP			8

/* MAC control */
#define FPGAETH_CTRL			0x0100
#define   FPGAETH_CTRL_SOFT_RESET	BIT(0)
#define   FPGAETH_CTRL_TX_EN		BIT(1)
#define   FPGAETH_CTRL_RX_EN		BIT(2)
#define   FPGAETH_CTRL_PROMISC		BIT(3)
#define   FPGAETH_CTRL_ALLMULTI		BIT(4)
#define   FPGAETH_CTRL_LOOPBACK		BIT(5)
#define   FPGAETH_CTRL_RSS_EN		BIT(6)
#define   FPGAETH_CTRL_RX_CSUM_EN	BIT(7)
#define   FPGAETH_CTRL_RX_PAUSE_EN	BIT(8)
#define   FPGAETH_CTRL_TX_PAUSE_EN	BIT(9)
#define FPGAETH_MAC_CFG			0x0104
#define   FPGAETH_MAC_CFG_SPEED		GENMASK(1, 0)
#define   FPGAETH_MAC_CFG_SPEED_10	0
#define   FPGAETH_MAC_CFG_SPEED_100	1
#define   FPGAETH_MAC_CFG_SPEED_1000	2
#define   FPGAETH_MAC_CFG_SPEED_10000	3	/* with CAP1.SPEED_10G */
#define   FPGAETH_MAC_CFG_FULL_DUPLEX	BIT(2)
#define FPGAETH_MAC_ADDR_LO		0x0108
#define FPGAETH_MAC_ADDR_HI		0x010c
#define FPGAETH_MAX_FRAME_LEN		0x0110
#define   FPGAETH_MAX_FRAME_LEN_MIN	64
#define FPGAETH_MC_HASH_LO		0x0114
#define FPGAETH_MC_HASH_HI		0x0118
#define FPGAETH_PAUSE_QUANTA		0x011c
#define FPGAETH_PAUSE_CMD		0x0120
#define   FPGAETH_PAUSE_CMD_XOFF	BIT(0)
#define   FPGAETH_PAUSE_CMD_XON		BIT(1)

/* MDIO master */
#define FPGAETH_MDIO_CMD		0x0180
#define   FPGAETH_MDIO_CMD_REGAD	GENMASK(4, 0)
#define   FPGAETH_MDIO_CMD_PHYAD	GENMASK(9, 5)
#define   FPGAETH_MDIO_CMD_OP		GENMASK(11, 10)
#define   FPGAETH_MDIO_CMD_OP_WRITE	1
#define   FPGAETH_MDIO_CMD_OP_READ	2
#define   FPGAETH_MDIO_CMD_START	BIT(31)
#define FPGAETH_MDIO_DATA		0x0184
#define   FPGAETH_MDIO_DATA_DATA	GENMASK(15, 0)
#define FPGAETH_MDIO_CFG		0x0188
#define   FPGAETH_MDIO_CFG_DIV		GENMASK(7, 0)

/* Miscellaneous interrupt */
#define FPGAETH_MISC_IRQ_STATUS		0x0200
#define FPGAETH_MISC_IRQ_ENABLE		0x0204
#define FPGAETH_MISC_IRQ_SET		0x0208
#define   FPGAETH_MISC_IRQ_LINK		BIT(0)
#define   FPGAETH_MISC_IRQ_DMA_ERR	BIT(1)
#define   FPGAETH_MISC_IRQ_MDIO_DONE	BIT(2)
#define   FPGAETH_MISC_IRQ_RX_FIFO_OVF	BIT(3)
#define   FPGAETH_MISC_IRQ_ALL		GENMASK(3, 0)
#define FPGAETH_QUEUE_IRQ_SUMMARY	0x020c

/* Statistics */
#define FPGAETH_STATS_CTRL		0x0300
#define   FPGAETH_STATS_CTRL_CLEAR	BIT(0)

#define FPGAETH_STAT_BASE		0x0400
#define FPGAETH_STAT_NUM		44	/* 0x0400 - 0x055f */
#define FPGAETH_STAT_TX_FRAMES_OK	0x0400
#define FPGAETH_STAT_TX_OCTETS_OK	0x0408
#define FPGAETH_STAT_TX_UCAST		0x0410
#define FPGAETH_STAT_TX_MCAST		0x0418
#define FPGAETH_STAT_TX_BCAST		0x0420
#define FPGAETH_STAT_TX_PAUSE		0x0428
#define FPGAETH_STAT_TX_MAC_CTRL	0x0430
#define FPGAETH_STAT_TX_DISCARDS	0x0438
#define FPGAETH_STAT_RX_FRAMES_OK	0x0440
#define FPGAETH_STAT_RX_OCTETS_OK	0x0448
#define FPGAETH_STAT_RX_UCAST		0x0450
#define FPGAETH_STAT_RX_MCAST		0x0458
#define FPGAETH_STAT_RX_BCAST		0x0460
#define FPGAETH_STAT_RX_PAUSE		0x0468
#define FPGAETH_STAT_RX_MAC_CTRL	0x0470
#define FPGAETH_STAT_RX_UNSUP_OPCODE	0x0478
#define FPGAETH_STAT_RX_FCS_ERR		0x0480
#define FPGAETH_STAT_RX_ALIGN_ERR	0x0488
#define FPGAETH_STAT_RX_LEN_ERR		0x0490
#define FPGAETH_STAT_RX_TOO_LONG	0x0498
#define FPGAETH_STAT_RX_UNDERSIZE	0x04a0
#define FPGAETH_STAT_RX_FRAGMENTS	0x04a8
#define FPGAETH_STAT_RX_JABBERS		0x04b0
#define FPGAETH_STAT_RX_NOBUF		0x04b8
#define FPGAETH_STAT_RX_FIFO_OVF	0x04c0
#define FPGAETH_STAT_RX_FILTERED	0x04c8
#define FPGAETH_STAT_RX_HIST(k)		(0x04d0 + 8 * (k))	/* k = 0..8 */
#define FPGAETH_STAT_TX_HIST(k)		(0x0518 + 8 * (k))	/* k = 0..8 */
#define FPGAETH_STAT_HIST_NUM		9
/* Index of a counter in the block: FPGAETH_STAT_IDX(FPGAETH_STAT_RX_UCAST) */
#define FPGAETH_STAT_IDX(reg)		(((reg) - FPGAETH_STAT_BASE) / 8)
#define FPGAETH_STAT_LO			0	/* bits 31:0, latches _HI */
#define FPGAETH_STAT_HI			4	/* bits 63:32 */

/* RSS */
#define FPGAETH_RSS_KEY(i)		(0x0600 + 4 * (i))	/* i = 0..9 */
#define FPGAETH_RSS_KEY_NUM		10
#define FPGAETH_RSS_INDIR(i)		(0x0700 + 4 * (i))	/* i = 0..31 */
#define FPGAETH_RSS_INDIR_NUM		32
#define   FPGAETH_RSS_INDIR_ENTRY(n)	(GENMASK(2, 0) << (8 * (n)))

/* DMA engines (with CAP1.STALL_WDOG) */
#define FPGAETH_STALL_TIMEOUT		0x0800
#define   FPGAETH_STALL_TIMEOUT_MS	GENMASK(15, 0)

/* Queue pair q: FPGAETH_QP_BASE(q) + FPGAETH_Q_<NAME> */
#define FPGAETH_QP_BASE(q)		(0x1000 + 0x100 * (q))
#define FPGAETH_Q_TX_BASE_LO		0x00
#define FPGAETH_Q_TX_BASE_HI		0x04
#define FPGAETH_Q_TX_SIZE		0x08
#define FPGAETH_Q_TX_HEAD		0x0c
#define FPGAETH_Q_TX_TAIL		0x10
#define FPGAETH_Q_TX_CTRL		0x14
#define FPGAETH_Q_TX_STATUS		0x18
#define FPGAETH_Q_TX_COAL		0x1c
#define FPGAETH_Q_TX_ERR_ADDR_LO	0x20
#define FPGAETH_Q_TX_ERR_ADDR_HI	0x24
#define FPGAETH_Q_TX_DISCARDS		0x28
#define FPGAETH_Q_RX_BASE_LO		0x40
#define FPGAETH_Q_RX_BASE_HI		0x44
#define FPGAETH_Q_RX_SIZE		0x48
#define FPGAETH_Q_RX_HEAD		0x4c
#define FPGAETH_Q_RX_TAIL		0x50
#define FPGAETH_Q_RX_CTRL		0x54
#define FPGAETH_Q_RX_STATUS		0x58
#define FPGAETH_Q_RX_COAL		0x5c
#define FPGAETH_Q_RX_ERR_ADDR_LO	0x60
#define FPGAETH_Q_RX_ERR_ADDR_HI	0x64
#define FPGAETH_Q_RX_NOBUF		0x68
#define FPGAETH_Q_IRQ_STATUS		0x80
#define FPGAETH_Q_IRQ_ENABLE		0x84
#define FPGAETH_Q_IRQ_SET		0x88

#define   FPGAETH_Q_BASE_LO_ADDR	GENMASK(31, 4)
#define   FPGAETH_Q_SIZE_LOG2		GENMASK(3, 0)
#define   FPGAETH_Q_SIZE_LOG2_MIN	3
#define   FPGAETH_Q_CTRL_ENABLE		BIT(0)
#define   FPGAETH_Q_STATUS_HALTED	BIT(0)
#define   FPGAETH_Q_STATUS_IDLE		BIT(1)	/* with CAP1.QUEUE_IDLE */
#define   FPGAETH_Q_STATUS_CAUSE	GENMASK(11, 8)
#define   FPGAETH_Q_COAL_FRAMES		GENMASK(15, 0)
#define   FPGAETH_Q_COAL_USECS		GENMASK(31, 16)
#define   FPGAETH_Q_IRQ_TX		BIT(0)
#define   FPGAETH_Q_IRQ_RX		BIT(1)
#define   FPGAETH_Q_IRQ_ALL		GENMASK(1, 0)

/* STATUS.CAUSE values */
#define FPGAETH_CAUSE_NONE		0
#define FPGAETH_CAUSE_DESC_READ		1
#define FPGAETH_CAUSE_BUF_ACCESS	2
#define FPGAETH_CAUSE_DESC_WRITE	3
#define FPGAETH_CAUSE_RING_CONFIG	4
#define FPGAETH_CAUSE_DESC_INVALID	5
#define FPGAETH_CAUSE_STALL		6	/* with CAP1.STALL_WDOG */

/* Descriptors (16 bytes, little-endian) */
#define FPGAETH_DESC_SIZE		16
#define FPGAETH_TXD_EOP			BIT(0)
#define FPGAETH_TXD_CSUM		BIT(1)
#define FPGAETH_TXD_ERR			BIT(14)
#define FPGAETH_TXD_DONE		BIT(15)
#define FPGAETH_RXD_EOP			BIT(0)
#define FPGAETH_RXD_CSUM_VALID		BIT(1)
#define FPGAETH_RXD_HASH_TYPE		GENMASK(3, 2)
#define   FPGAETH_RXD_HASH_NONE		0
#define   FPGAETH_RXD_HASH_L3		1
#define   FPGAETH_RXD_HASH_L4		2
/*
 * What the driver writes in a posted RX descriptor's reserved bytes 12-15:
 * the device ignores them and its write-back writes them 0, so a DONE with
 * this still there was never written back (programming model, "Posted
 * descriptors").
 */
#define FPGAETH_RXD_POSTED		0x50535444	/* "DTSP" */
#define FPGAETH_RXD_DONE		BIT(15)

/*
 * The longest a working TX engine takes for one frame (programming model,
 * "Timing"): the longest frame (MAX_FRAME bytes, plus the preamble and
 * SFD, FCS and inter-frame gap) at the slowest speed, 10 Mb/s (0.8 us a
 * byte), plus three DMA latencies (descriptor fetch, buffer access,
 * write-back) of at most 1 ms each.
 */
#define FPGAETH_WIRE_OVERHEAD		(8 + 4 + 12)
#define FPGAETH_DMA_LATENCY_MAX_US	1000
#define FPGAETH_FRAME_TIME_MAX_US(max_frame) \
	(DIV_ROUND_UP(((max_frame) + FPGAETH_WIRE_OVERHEAD) * 8, 10) + \
	 3 * FPGAETH_DMA_LATENCY_MAX_US)
/*
 * How long a queue may take to go IDLE once its ENABLE is cleared
 * (programming model, "Queue enable and disable"): the frame in progress
 * finishes; the spec's bound is its wire time plus four DMA latencies.
 */
#define FPGAETH_IDLE_TIMEOUT_US(max_frame) \
	(FPGAETH_FRAME_TIME_MAX_US(max_frame) + FPGAETH_DMA_LATENCY_MAX_US)

/* Soft reset: hardware completes within 1 ms */
#define FPGAETH_SOFT_RESET_TIMEOUT_US	10000

#endif /* _FPGAETH_REGS_H */
