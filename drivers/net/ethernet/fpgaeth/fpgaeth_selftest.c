// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth self-test (ethtool -t): register, interrupt and MAC internal
 * loopback tests offline, the link online.
 *
 * The loopback test sends frames (linear, and in page fragments with
 * scatter-gather) through the driver's own transmit path and rings with
 * CTRL.LOOPBACK set, and catches them on the receive side
 * with a packet handler for their EtherType, after NAPI and the stack's
 * receive path, as they come back. It tests the MAC and its DMA, not the
 * PHY: the kernel's generic net_selftest() (PHY loopback) is about the
 * PHY and needs one, where a fixed-link board has none.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "fpgaeth.h"

enum fpgaeth_test {
	FPGAETH_TEST_REG,
	FPGAETH_TEST_IRQ,
	FPGAETH_TEST_LOOPBACK,
	FPGAETH_TEST_LINK,
	FPGAETH_TEST_NUM,
};

static const char fpgaeth_test_names[FPGAETH_TEST_NUM][ETH_GSTRING_LEN] = {
	[FPGAETH_TEST_REG] = "Register test  (offline)",
	[FPGAETH_TEST_IRQ] = "Interrupt test (offline)",
	[FPGAETH_TEST_LOOPBACK] = "Loopback test  (offline)",
	[FPGAETH_TEST_LINK] = "Link test   (on/offline)",
};

/* Loopback frames: our address both ways, a local experimental EtherType */
#define FPGAETH_LB_ETHERTYPE	ETH_P_802_EX1
#define FPGAETH_LB_MAGIC	0x46504c42	/* "FPLB" */
/* Frame sizes sent on every TX queue, from the header to the payload's end */
static const unsigned int fpgaeth_lb_sizes[] = {
	ETH_ZLEN, ETH_ZLEN + 1, 64, 127, 128, 255, 511, 1023, 1514,
};

#define FPGAETH_LB_EXTRA	3	/* the largest frames, see below */
#define FPGAETH_LB_MAX_FRAMES	\
	((ARRAY_SIZE(fpgaeth_lb_sizes) + FPGAETH_LB_EXTRA) * FPGAETH_MAX_QP)
/* How long the frames may take: an emulated CPU may be very slow */
#define FPGAETH_LB_TIMEOUT_MS	5000

struct fpgaeth_lb_hdr {
	__be32 magic;
	__be16 seq;
	__be16 len;
} __packed;

/**
 * struct fpgaeth_lb - one loopback test run
 * @pt: the packet handler catching the frames
 * @ndev: the interface
 * @done: completed when every frame came back, intact or not
 * @wq: woken at every frame that comes back (the sender's window)
 * @sent: frames sent
 * @arrived: frames that came back
 * @back: frames that came back intact
 * @bad: frames that came back with a wrong length, payload or sequence
 * @len: length of frame n
 * @seen: frames that came back, by sequence number
 */
struct fpgaeth_lb {
	struct packet_type pt;
	struct net_device *ndev;
	struct completion done;
	wait_queue_head_t wq;
	unsigned int sent;
	atomic_t arrived;
	atomic_t back;
	atomic_t bad;
	u16 len[FPGAETH_LB_MAX_FRAMES];
	DECLARE_BITMAP(seen, FPGAETH_LB_MAX_FRAMES);
};

/* Byte @i of frame @seq's payload (after struct fpgaeth_lb_hdr) */
static u8 fpgaeth_lb_byte(unsigned int seq, unsigned int i)
{
	return (u8)(seq * 37 + i * 7 + (i >> 8));
}

/* The payload from @off on, compared byte for byte, wherever it lies. */
static bool fpgaeth_lb_payload_ok(const struct sk_buff *skb, unsigned int off,
				  unsigned int seq)
{
	u8 buf[64];
	unsigned int i, n, pos = 0;

	while (off < skb->len) {
		const u8 *p;

		n = min_t(unsigned int, sizeof(buf), skb->len - off);
		p = skb_header_pointer(skb, off, n, buf);
		if (!p)
			return false;
		for (i = 0; i < n; i++)
			if (p[i] != fpgaeth_lb_byte(seq, pos + i))
				return false;
		off += n;
		pos += n;
	}
	return true;
}

static int fpgaeth_lb_rcv(struct sk_buff *skb, struct net_device *ndev,
			  struct packet_type *pt, struct net_device *orig)
{
	struct fpgaeth_lb *lb = container_of(pt, struct fpgaeth_lb, pt);
	struct fpgaeth_lb_hdr _hdr;
	const struct fpgaeth_lb_hdr *hdr;
	unsigned int seq;
	bool ok;

	/* skb->data is past the Ethernet header (eth_type_trans()). */
	hdr = skb_header_pointer(skb, 0, sizeof(_hdr), &_hdr);
	if (!hdr || be32_to_cpu(hdr->magic) != FPGAETH_LB_MAGIC)
		goto out;	/* not ours, or its header is corrupt */
	seq = be16_to_cpu(hdr->seq);
	if (seq >= lb->sent)
		goto out;

	ok = be16_to_cpu(hdr->len) == lb->len[seq] &&
	     skb->len + ETH_HLEN == lb->len[seq] &&
	     ether_addr_equal(eth_hdr(skb)->h_source, ndev->dev_addr) &&
	     fpgaeth_lb_payload_ok(skb, sizeof(*hdr), seq) &&
	     !test_and_set_bit(seq, lb->seen);
	if (ok)
		atomic_inc(&lb->back);
	else if (atomic_inc_return(&lb->bad) == 1)
		netdev_err(ndev, "loopback test: frame %u (%u bytes) came back as %u bytes, damaged or twice\n",
			   seq, lb->len[seq], skb->len + ETH_HLEN);
	if (atomic_inc_return(&lb->arrived) == lb->sent)
		complete(&lb->done);
	wake_up(&lb->wq);
out:
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/*
 * Frame @seq of @len bytes: linear, or with @sg the Ethernet header, ours
 * and 64 bytes of payload in the linear part and the rest in page
 * fragments (one TX descriptor each).
 */
static struct sk_buff *fpgaeth_lb_frame(struct fpgaeth_lb *lb,
					unsigned int seq, unsigned int len,
					bool sg)
{
	unsigned int head = ETH_HLEN + sizeof(struct fpgaeth_lb_hdr);
	unsigned int lin = sg ? min(len, head + 64) : len;
	struct net_device *ndev = lb->ndev;
	struct fpgaeth_lb_hdr *hdr;
	unsigned int i, n, pos;
	struct sk_buff *skb;
	struct page *page;
	u8 *p;

	skb = netdev_alloc_skb(ndev, lin);
	if (!skb)
		return NULL;
	p = skb_put(skb, lin);
	ether_addr_copy(p, ndev->dev_addr);
	ether_addr_copy(p + ETH_ALEN, ndev->dev_addr);
	*(__be16 *)(p + 2 * ETH_ALEN) = htons(FPGAETH_LB_ETHERTYPE);
	hdr = (struct fpgaeth_lb_hdr *)(p + ETH_HLEN);
	hdr->magic = cpu_to_be32(FPGAETH_LB_MAGIC);
	hdr->seq = cpu_to_be16(seq);
	hdr->len = cpu_to_be16(len);
	for (pos = 0; pos < lin - head; pos++)
		p[head + pos] = fpgaeth_lb_byte(seq, pos);

	while (skb->len < len) {
		page = alloc_page(GFP_KERNEL);
		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		n = min_t(unsigned int, PAGE_SIZE, len - skb->len);
		p = page_address(page);
		for (i = 0; i < n; i++)
			p[i] = fpgaeth_lb_byte(seq, pos++);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, 0, n,
				PAGE_SIZE);
	}
	skb->protocol = htons(FPGAETH_LB_ETHERTYPE);
	skb_reset_mac_header(skb);
	return skb;
}

/*
 * Hand one frame to the driver on TX queue @q, as the stack's direct
 * transmit does (__dev_direct_xmit(), which refuses to send without
 * carrier: internal loopback needs no link).
 */
static int fpgaeth_lb_xmit(struct net_device *ndev, struct sk_buff *skb,
			   unsigned int q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(ndev, q);
	netdev_tx_t ret = NETDEV_TX_BUSY;
	unsigned int tries;

	skb_set_queue_mapping(skb, q);
	for (tries = 0; tries < 100; tries++) {
		__netif_tx_lock_bh(txq);
		if (!netif_xmit_frozen_or_drv_stopped(txq))
			ret = netdev_start_xmit(skb, ndev, txq, false);
		__netif_tx_unlock_bh(txq);
		if (ret == NETDEV_TX_OK)
			return 0;
		/* the ring is full: let the completions free it */
		usleep_range(1000, 2000);
	}
	kfree_skb(skb);
	return -EBUSY;
}

/*
 * Frame sizes: the table up to the MTU, then the largest frame the MTU
 * allows and the sizes around one RX buffer, which need two buffers (and
 * multi-buffer RX) when the MTU allows them.
 */
static unsigned int fpgaeth_lb_plan(struct fpgaeth_priv *priv,
				    unsigned int *sizes)
{
	unsigned int max = priv->ndev->mtu + ETH_HLEN, n = 0, i;
	unsigned int extra[FPGAETH_LB_EXTRA] = {
		priv->rx_buf_len, priv->rx_buf_len + 1, max,
	};

	for (i = 0; i < ARRAY_SIZE(fpgaeth_lb_sizes); i++)
		if (fpgaeth_lb_sizes[i] <= max)
			sizes[n++] = fpgaeth_lb_sizes[i];
	for (i = 0; i < FPGAETH_LB_EXTRA; i++)
		if (extra[i] <= max && extra[i] > sizes[n - 1])
			sizes[n++] = extra[i];
	return n;
}

/*
 * Frames in flight at most: RX queue 0 must have buffers for all of them
 * (half its ring, in the largest frame's buffers) whatever the speed of the
 * CPU that refills it. Sent faster, they wait in the IP's RX FIFO, which
 * overflows (and drops) within a few jumbo frames on a slow CPU.
 */
static unsigned int fpgaeth_lb_window(struct fpgaeth_priv *priv)
{
	unsigned int bufs = DIV_ROUND_UP(priv->ndev->mtu + ETH_HLEN,
					 priv->rx_buf_len);

	return max(1U, priv->rx_ring_size / 2 / bufs);
}

/*
 * The interface is up, its rings freshly set up: send every size on every
 * TX queue in use with CTRL.LOOPBACK and wait for all of them to come back
 * intact (RX: queue 0, where a frame that is not IP is steered).
 */
static int fpgaeth_test_loopback(struct fpgaeth_priv *priv)
{
	unsigned int sizes[ARRAY_SIZE(fpgaeth_lb_sizes) + FPGAETH_LB_EXTRA];
	struct net_device *ndev = priv->ndev;
	unsigned int nsizes, q, i, window, sent = 0;
	struct fpgaeth_lb *lb;
	struct sk_buff *skb;
	int err = 0;

	if (!(priv->cap1 & FPGAETH_CAP1_LOOPBACK)) {
		netdev_err(ndev, "loopback test: the IP has no internal loopback (CAP1.LOOPBACK)\n");
		return -EOPNOTSUPP;
	}
	lb = kzalloc(sizeof(*lb), GFP_KERNEL);
	if (!lb)
		return -ENOMEM;
	lb->ndev = ndev;
	init_completion(&lb->done);
	init_waitqueue_head(&lb->wq);
	atomic_set(&lb->arrived, 0);
	atomic_set(&lb->back, 0);
	atomic_set(&lb->bad, 0);
	lb->pt.type = htons(FPGAETH_LB_ETHERTYPE);
	lb->pt.dev = ndev;
	lb->pt.func = fpgaeth_lb_rcv;

	nsizes = fpgaeth_lb_plan(priv, sizes);
	for (q = 0; q < priv->num_qp; q++)
		for (i = 0; i < nsizes; i++)
			lb->len[lb->sent++] = sizes[i];

	dev_add_pack(&lb->pt);
	fpgaeth_ctrl_update(priv, 0, FPGAETH_CTRL_LOOPBACK);

	window = fpgaeth_lb_window(priv);
	for (i = 0; i < lb->sent; i++) {
		if (!wait_event_timeout(lb->wq,
					atomic_read(&lb->arrived) + window > i,
					msecs_to_jiffies(FPGAETH_LB_TIMEOUT_MS))) {
			err = -ETIMEDOUT;
			break;
		}
		/* every other frame in fragments, if the IP gathers them */
		skb = fpgaeth_lb_frame(lb, i, lb->len[i],
				       (ndev->features & NETIF_F_SG) && (i & 1));
		err = skb ? fpgaeth_lb_xmit(ndev, skb, i / nsizes) : -ENOMEM;
		if (err)
			break;
		sent++;
	}
	if (!err && !wait_for_completion_timeout(&lb->done,
						 msecs_to_jiffies(FPGAETH_LB_TIMEOUT_MS)))
		err = -ETIMEDOUT;

	fpgaeth_ctrl_update(priv, FPGAETH_CTRL_LOOPBACK, 0);
	/* After this no handler runs: lb may go. */
	dev_remove_pack(&lb->pt);

	if (atomic_read(&lb->bad))
		err = -EILSEQ;
	if (err)
		netdev_err(ndev, "loopback test failed (%d): %u frames sent, %d came back intact, %d damaged\n",
			   err, sent, atomic_read(&lb->back), atomic_read(&lb->bad));
	kfree(lb);
	return err;
}

static int fpgaeth_test_link(struct fpgaeth_priv *priv)
{
	if (!netif_running(priv->ndev))
		return -ENETDOWN;
	return netif_carrier_ok(priv->ndev) ? 0 : -ENOLINK;
}

/**
 * fpgaeth_selftest_count - number of self-test results (ETH_SS_TEST)
 *
 * Return: the number of tests.
 */
int fpgaeth_selftest_count(void)
{
	return FPGAETH_TEST_NUM;
}

/**
 * fpgaeth_selftest_strings - names of the self-test results (ETH_SS_TEST)
 * @data: ETH_GSTRING_LEN bytes per test
 */
void fpgaeth_selftest_strings(u8 *data)
{
	unsigned int i;

	for (i = 0; i < FPGAETH_TEST_NUM; i++)
		ethtool_puts(&data, fpgaeth_test_names[i]);
}

/*
 * The offline tests: the register and interrupt tests need the datapath
 * quiet; a running interface gets fresh rings for the loopback test,
 * allocated before the old ones are given up.
 */
static void fpgaeth_self_test_offline(struct fpgaeth_priv *priv, int *res)
{
	struct net_device *ndev = priv->ndev;
	struct fpgaeth_rings *rings = NULL;
	bool running = netif_running(ndev) && priv->up;

	if (running) {
		rings = fpgaeth_rings_alloc(priv, priv->num_qp,
					    priv->tx_ring_size,
					    priv->rx_ring_size);
		if (IS_ERR(rings)) {
			netdev_err(ndev, "self-test: cannot allocate rings (%pe): offline tests not run\n",
				   rings);
			res[FPGAETH_TEST_REG] = PTR_ERR(rings);
			res[FPGAETH_TEST_IRQ] = PTR_ERR(rings);
			res[FPGAETH_TEST_LOOPBACK] = PTR_ERR(rings);
			return;
		}
		fpgaeth_hw_stop(priv, false);
		if (priv->dma_unsafe) {
			fpgaeth_rings_put(priv, rings);
			res[FPGAETH_TEST_LOOPBACK] = -EIO;
			return;
		}
		fpgaeth_rings_install(priv, rings);
	}
	res[FPGAETH_TEST_REG] = fpgaeth_regs_test(priv);
	res[FPGAETH_TEST_IRQ] = fpgaeth_irq_selftest(priv);
	if (!running) {
		res[FPGAETH_TEST_LOOPBACK] = -ENETDOWN;
		return;
	}
	fpgaeth_hw_start(priv);
	res[FPGAETH_TEST_LOOPBACK] = fpgaeth_test_loopback(priv);
}

/**
 * fpgaeth_self_test - ethtool -t
 * @ndev: the interface
 * @etest: ETH_TEST_FL_OFFLINE asks for the offline tests too
 * @data: one result per test: 0 passed (or not run), else a positive errno
 *
 * Called under RTNL. The link test reads the carrier. Offline, a running
 * interface stops its datapath (NAPI, rings, interrupts) for the register
 * and interrupt tests, which need it quiet, then starts it again with
 * fresh rings for the loopback test and keeps it so: the interface, its
 * link and its configuration are as before; frames in flight are lost.
 * An interface that is down stays down, and its loopback test fails with
 * ENETDOWN (the rings exist only while it is up).
 */
void fpgaeth_self_test(struct net_device *ndev, struct ethtool_test *etest,
		       u64 *data)
{
	struct fpgaeth_priv *priv = netdev_priv(ndev);
	int res[FPGAETH_TEST_NUM] = { };
	unsigned int i;

	res[FPGAETH_TEST_LINK] = fpgaeth_test_link(priv);
	if (etest->flags & ETH_TEST_FL_OFFLINE)
		fpgaeth_self_test_offline(priv, res);

	for (i = 0; i < FPGAETH_TEST_NUM; i++) {
		data[i] = -res[i];
		if (res[i])
			etest->flags |= ETH_TEST_FL_FAILED;
	}
}
