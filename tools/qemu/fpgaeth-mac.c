/*
 * fpgaeth: the MAC: transmit (into the line, the PHY or MAC loopback),
 * the receive path of programming-model.rst (line timing, filters, the
 * RX FIFO, RSS steering), statistics and pause.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "hw/irq.h"
#include "hw/registerfields.h"
#include "hw/net/fpgaeth.h"
#include "net/eth.h"
#include "net/net.h"
#include "fpgaeth-internal.h"
#include "trace.h"
#include "net/checksum.h"
#include "hw/net/mii.h"

static const uint8_t pause_dest[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 };

/* the line rate selected by MAC_CFG.SPEED, in Mb/s */
static uint32_t line_mbps(FpgaethState *s)
{
    switch (FIELD_EX32(s->mac_cfg, MAC_CFG, SPEED)) {
    case 0:
        return 10;
    case 1:
        return 100;
    case 3:
        if (has_feat(s, R_CAP1_SPEED_10G_MASK)) {
            return 10000;
        }
        /* fall through: without SPEED_10G, 3 acts as 2 */
    default:
        return 1000;
    }
}

/* time of @bits bit times at the speed in MAC_CFG, in ns (rounded up) */
int64_t fpgaeth_bits_time_ns(FpgaethState *s, uint64_t bits)
{
    uint32_t mbps = line_mbps(s);

    return (bits * 1000 + mbps - 1) / mbps;
}

static void station_addr(FpgaethState *s, uint8_t *mac)
{
    stl_le_p(mac, s->mac_addr_lo);
    stw_le_p(mac + 4, s->mac_addr_hi);
}

static int hist_bin(size_t wire_len)
{
    static const unsigned limits[] = { 64, 127, 255, 511, 1023, 1518, 2047,
                                       4095 };
    int k;

    for (k = 0; k < ARRAY_SIZE(limits); k++) {
        if (wire_len <= limits[k]) {
            return k;
        }
    }
    return 8;
}

/* TX and RX count a good frame alike: ST_TX_* and ST_RX_* in one order */
QEMU_BUILD_BUG_ON(ST_RX_OCTETS_OK - ST_RX_FRAMES_OK !=
                  ST_TX_OCTETS_OK - ST_TX_FRAMES_OK);
QEMU_BUILD_BUG_ON(ST_RX_UCAST - ST_RX_FRAMES_OK !=
                  ST_TX_UCAST - ST_TX_FRAMES_OK);
QEMU_BUILD_BUG_ON(ST_RX_MCAST - ST_RX_FRAMES_OK !=
                  ST_TX_MCAST - ST_TX_FRAMES_OK);
QEMU_BUILD_BUG_ON(ST_RX_BCAST - ST_RX_FRAMES_OK !=
                  ST_TX_BCAST - ST_TX_FRAMES_OK);

/* A good frame of @wire bytes (FCS included): its counters in @tx's set */
static void stats_good_frame(FpgaethState *s, const uint8_t *buf,
                             size_t wire, bool tx)
{
    int d = tx ? 0 : ST_RX_FRAMES_OK - ST_TX_FRAMES_OK;

    stat_inc(s, d + ST_TX_FRAMES_OK);
    s->stats[d + ST_TX_OCTETS_OK] += wire;
    if (is_broadcast_ether_addr(buf)) {
        stat_inc(s, d + ST_TX_BCAST);
    } else if (is_multicast_ether_addr(buf)) {
        stat_inc(s, d + ST_TX_MCAST);
    } else {
        stat_inc(s, d + ST_TX_UCAST);
    }
    stat_inc(s, (tx ? ST_TX_HIST0 : ST_RX_HIST0) + hist_bin(wire));
}

static bool is_pause_frame(const uint8_t *buf, size_t len)
{
    return len >= ETH_HLEN + 2 && !memcmp(buf, pause_dest, 6) &&
           lduw_be_p(buf + 12) == ETH_P_MAC_CTRL &&
           lduw_be_p(buf + 14) == MAC_CTRL_OP_PAUSE;
}

void fpgaeth_stats_tx(FpgaethState *s, const uint8_t *buf, size_t len)
{
    size_t wire = len + ETH_FCS_LEN;

    if (lduw_be_p(buf + 12) == ETH_P_MAC_CTRL) {
        stat_inc(s, ST_TX_MAC_CTRL);
        if (is_pause_frame(buf, len)) {
            stat_inc(s, ST_TX_PAUSE);
        }
        return;
    }
    stats_good_frame(s, buf, wire, true);
}

/* the line time of a frame of @len bytes (no FCS): preamble, pad, FCS, IFG */
int64_t fpgaeth_wire_time_ns(FpgaethState *s, size_t len)
{
    size_t bytes = ETH_PREAMBLE_LEN + MAX(len, ETH_ZLEN) + ETH_FCS_LEN +
                   ETH_IFG_LEN;

    return fpgaeth_bits_time_ns(s, 8ull * bytes);
}

/*
 * Send one frame (at least 60 bytes, no FCS) the way the MAC does: on the
 * line if TX_EN and the link is up, into our own receive path with
 * CTRL.LOOPBACK (whatever the link). With @async (a frame of the TX engine)
 * a peer that cannot take the frame yet makes it XMIT_PENDING: it is counted
 * and the engine goes on when fpgaeth_tx_sent() says the peer took it.
 */
int fpgaeth_mac_xmit(FpgaethState *s, uint8_t *buf, size_t len,
                     bool async, int64_t now)
{
    if (!ctrl_on(s, R_CTRL_TX_EN_MASK)) {
        return XMIT_DROPPED;
    }
    if (ctrl_on(s, R_CTRL_LOOPBACK_MASK)) {
        fpgaeth_stats_tx(s, buf, len);
        if (fpgaeth_fault_find(s, FAULT_LOOPBACK_CORRUPT, -1)) {
            buf[ETH_HLEN + (len - ETH_HLEN) / 2] ^= 0xff;
        }
        fpgaeth_rx_frame(s, buf, len, false, now);
        return XMIT_SENT;
    }
    if (!s->link_up) {
        return XMIT_DROPPED;
    }
    if (s->phy_bmcr & MII_BMCR_LOOPBACK) {
        /* PHY loopback: back in through the PHY, nothing on the line */
        fpgaeth_stats_tx(s, buf, len);
        fpgaeth_rx_frame(s, buf, len, true, now);
        return XMIT_SENT;
    }
    if (!async) {
        fpgaeth_stats_tx(s, buf, len);
        qemu_send_packet(qemu_get_queue(s->nic), buf, len);
        return XMIT_SENT;
    }
    if (!qemu_send_packet_async(qemu_get_queue(s->nic), buf, len,
                                fpgaeth_tx_sent)) {
        return XMIT_PENDING;
    }
    fpgaeth_stats_tx(s, buf, len);
    return XMIT_SENT;
}

/* A pause frame with @quanta (MAC control frames bypass a received pause). */
bool fpgaeth_send_pause(FpgaethState *s, uint16_t quanta)
{
    uint8_t frame[ETH_ZLEN] = { 0 };

    memcpy(frame, pause_dest, 6);
    station_addr(s, frame + 6);
    stw_be_p(frame + 12, ETH_P_MAC_CTRL);
    stw_be_p(frame + 14, MAC_CTRL_OP_PAUSE);
    stw_be_p(frame + 16, quanta);
    trace_fpgaeth_pause(s->name, "send", quanta);
    return fpgaeth_mac_xmit(s, frame, sizeof(frame), false,
                            qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) !=
           XMIT_DROPPED;
}

void fpgaeth_pause_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    s->tx_paused = false;
    trace_fpgaeth_pause(s->name, "expired", 0);
    fpgaeth_tx_kick(s);
}

static uint32_t toeplitz(FpgaethState *s, uint8_t *in, size_t n)
{
    uint8_t key[4 * FPGAETH_RSS_KEY_WORDS];
    net_toeplitz_key k;
    uint32_t hash = 0;

    for (int i = 0; i < FPGAETH_RSS_KEY_WORDS; i++) {
        stl_le_p(key + 4 * i, s->rss_key[i]);
    }
    /* n is at most 36: the key covers every input byte */
    net_toeplitz_key_init(&k, key);
    net_toeplitz_add(&hash, in, n, &k);
    return hash;
}

/* RSS: hash type and hash of an accepted frame */
static unsigned fpgaeth_rss_hash(FpgaethState *s, const uint8_t *buf,
                                 size_t len, uint32_t *hash)
{
    uint8_t in[36];
    size_t n, l4;
    int proto;

    *hash = 0;
    switch (lduw_be_p(buf + 12)) {
    case ETH_P_IP: {
        const uint8_t *ip = buf + ETH_HLEN;
        size_t ihl;

        if (len < ETH_HLEN + 20 || (ip[0] >> 4) != 4) {
            return HASH_NONE;
        }
        ihl = (ip[0] & 0xf) * 4;
        memcpy(in, ip + 12, 8);
        n = 8;
        proto = ip[9];
        l4 = ETH_HLEN + ihl;
        /* MF or a fragment offset: a fragment has no ports to hash */
        if ((lduw_be_p(ip + 6) & 0x3fff) || ihl < 20) {
            proto = -1;
        }
        break;
    }
    case ETH_P_IPV6: {
        const uint8_t *ip = buf + ETH_HLEN;

        if (len < ETH_HLEN + 40 || (ip[0] >> 4) != 6) {
            return HASH_NONE;
        }
        memcpy(in, ip + 8, 32);
        n = 32;
        proto = ip[6];
        l4 = ETH_HLEN + 40;
        break;
    }
    default:
        return HASH_NONE;
    }
    if ((proto == 6 || proto == 17) && len >= l4 + 4) {
        memcpy(in + n, buf + l4, 4);
        *hash = toeplitz(s, in, n + 4);
        return HASH_IP_L4;
    }
    *hash = toeplitz(s, in, n);
    return HASH_IP;
}

/* Auto-XOFF: with TX_PAUSE_EN, at most one XOFF per PAUSE_QUANTA period. */
void fpgaeth_rx_xoff(FpgaethState *s)
{
    int64_t now, period;

    if (!ctrl_on(s, R_CTRL_TX_PAUSE_EN_MASK)) {
        return;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    period = fpgaeth_bits_time_ns(s, (uint64_t)s->pause_quanta * 512);
    if (!s->auto_xoff_sent || now - s->last_auto_xoff >= period) {
        if (fpgaeth_send_pause(s, s->pause_quanta)) {
            s->auto_xoff_sent = true;
            s->last_auto_xoff = now;
        }
    }
}

/* An RX frame steered to queue @q is dropped as RX_NOBUF. */
void fpgaeth_rx_nobuf(FpgaethState *s, unsigned q, size_t len,
                      const char *why)
{
    trace_fpgaeth_rx_drop(s->name, len, why);
    s->qp[q].rx.drops++;
    stat_inc(s, ST_RX_NOBUF);
    fpgaeth_rx_xoff(s);
}

static bool fpgaeth_addr_filter(FpgaethState *s, const uint8_t *dst)
{
    uint8_t mac[6];

    if (ctrl_on(s, R_CTRL_PROMISC_MASK) || is_broadcast_ether_addr(dst)) {
        return true;
    }
    if (is_multicast_ether_addr(dst)) {
        if (ctrl_on(s, R_CTRL_ALLMULTI_MASK)) {
            return true;
        }
        if (has_feat(s, R_CAP1_MC_HASH_MASK)) {
            unsigned bit = net_crc32(dst, 6) >> 26;
            uint32_t word = bit < 32 ? s->mc_hash_lo : s->mc_hash_hi;

            return (word >> (bit & 31)) & 1;
        }
        return false;
    }
    station_addr(s, mac);
    return !memcmp(dst, mac, 6);
}

static void fpgaeth_rx_pause(FpgaethState *s, uint16_t quanta, int64_t now)
{
    trace_fpgaeth_pause(s->name, "received", quanta);
    if (!quanta) {
        timer_del(s->pause_timer);
        if (s->tx_paused) {
            s->tx_paused = false;
            fpgaeth_tx_kick(s);
        }
        return;
    }
    s->tx_paused = true;
    timer_mod(s->pause_timer,
              now + fpgaeth_bits_time_ns(s, (uint64_t)quanta * 512));
    /* a held transmitter is not a stall */
    fpgaeth_wdog_update_all(s);
}

/*
 * The receive path of programming-model.rst "Receive path". @from_line is
 * false for frames looped back inside the MAC (they enter at step 2). The
 * frame occupies the line for its wire time; a frame that passes steps 1
 * to 4 enters the RX FIFO, complete at the end of its wire time, if it fits.
 */
void fpgaeth_rx_frame(FpgaethState *s, const uint8_t *buf, size_t len,
                      bool from_line, int64_t now)
{
    size_t wire, orig_len = len;
    uint16_t type;
    uint32_t hash = 0;
    unsigned q = 0, htype = HASH_NONE;
    FpgaethRxFrame *f;

    /* 1. RX_EN; in loopback frames from the line are ignored */
    if (!ctrl_on(s, R_CTRL_RX_EN_MASK)) {
        trace_fpgaeth_rx_drop(s->name, len, "RX_EN 0");
        return;
    }
    if (from_line) {
        if (ctrl_on(s, R_CTRL_LOOPBACK_MASK)) {
            trace_fpgaeth_rx_drop(s->name, len, "MAC loopback");
            return;
        }
        if (!s->link_up) {
            trace_fpgaeth_rx_drop(s->name, len, "link down");
            return;
        }
        if (len < ETH_ZLEN) {
            /* as a real line would carry it */
            memcpy(s->rx_pad, buf, len);
            memset(s->rx_pad + len, 0, ETH_ZLEN - len);
            buf = s->rx_pad;
            len = ETH_ZLEN;
        }
    }
    /* the frame is on the line for its wire time */
    s->rx_line_free = MAX(now, s->rx_line_free) + fpgaeth_wire_time_ns(s, len);
    if (from_line && fpgaeth_fault_take_count(s, FAULT_RX_FIFO_OVERFLOW)) {
        trace_fpgaeth_rx_drop(s->name, len, "FIFO overflow (fault)");
        stat_inc(s, ST_RX_FIFO_OVF);
        fpgaeth_misc_event(s, R_MISC_IRQ_RX_FIFO_OVF_MASK);
        return;
    }
    wire = len + ETH_FCS_LEN;

    /* 2. errored frames */
    if (from_line && fpgaeth_fault_take_count(s, FAULT_RX_FCS_ERROR)) {
        trace_fpgaeth_rx_drop(s->name, len, "bad FCS (fault)");
        /* a fragment is short on the line, before any padding */
        if (orig_len + ETH_FCS_LEN < 64) {
            stat_inc(s, ST_RX_FRAGMENTS);
        } else if (len > s->max_frame_len) {
            stat_inc(s, ST_RX_JABBERS);
        } else {
            stat_inc(s, ST_RX_FCS_ERR);
        }
        return;
    }
    if (len > s->max_frame_len) {
        trace_fpgaeth_rx_drop(s->name, len, "too long");
        stat_inc(s, ST_RX_TOO_LONG);
        return;
    }
    if (wire < 64) {
        trace_fpgaeth_rx_drop(s->name, len, "undersize");
        stat_inc(s, ST_RX_UNDERSIZE);
        return;
    }
    type = lduw_be_p(buf + 12);
    if (type < 0x0600) {
        /* 802.3 length field: in-range length error, still delivered */
        size_t payload = len - ETH_HLEN;

        if (type != payload && !(payload == ETH_ZLEN - ETH_HLEN &&
                                 type < payload)) {
            stat_inc(s, ST_RX_LEN_ERR);
        }
    }

    /* 3. MAC control frames */
    if (type == ETH_P_MAC_CTRL) {
        stat_inc(s, ST_RX_MAC_CTRL);
        if (is_pause_frame(buf, len)) {
            stat_inc(s, ST_RX_PAUSE);
            if (ctrl_on(s, R_CTRL_RX_PAUSE_EN_MASK)) {
                fpgaeth_rx_pause(s, lduw_be_p(buf + 16), now);
            }
        } else if (lduw_be_p(buf + 14) != MAC_CTRL_OP_PAUSE) {
            stat_inc(s, ST_RX_UNSUP_OPCODE);
        }
        trace_fpgaeth_rx_drop(s->name, len, "MAC control frame");
        return;
    }

    /* 4. address filter */
    if (!fpgaeth_addr_filter(s, buf)) {
        trace_fpgaeth_rx_drop(s->name, len, "address filter");
        stat_inc(s, ST_RX_FILTERED);
        return;
    }

    /*
     * The RX FIFO: a frame that does not fit is dropped. First the RX
     * engine drains what it has drained by now in virtual time: on a busy
     * host its timer may run after the TX engine has caught up on several
     * frames (MAC loopback), which the IP never sees.
     */
    if (s->rx_fifo_bytes + len > s->rx_fifo_kib * 1024) {
        fpgaeth_rx_bh(s);
    }
    if (s->rx_fifo_bytes + len > s->rx_fifo_kib * 1024) {
        trace_fpgaeth_rx_drop(s->name, len, "RX FIFO overflow");
        stat_inc(s, ST_RX_FIFO_OVF);
        fpgaeth_misc_event(s, R_MISC_IRQ_RX_FIFO_OVF_MASK);
        fpgaeth_rx_xoff(s);
        return;
    }

    /* 5. good frame: count, steer, store */
    stats_good_frame(s, buf, wire, false);

    if (has_feat(s, R_CAP1_RSS_MASK) && ctrl_on(s, R_CTRL_RSS_EN_MASK)) {
        htype = fpgaeth_rss_hash(s, buf, len, &hash);
    }
    if (htype != HASH_NONE) {
        unsigned e = hash & ((1u << FPGAETH_RSS_INDIR_LOG2) - 1);

        q = (s->rss_indir[e / 4] >> (8 * (e % 4))) & 7;
        if (q >= s->num_qp) {
            q = 0;
        }
    }
    f = g_malloc(sizeof(*f) + len);
    f->ready = s->rx_line_free;
    f->q = q;
    f->hash = hash;
    f->htype = htype;
    f->len = len;
    memcpy(f->data, buf, len);
    QSIMPLEQ_INSERT_TAIL(&s->rx_fifo, f, next);
    s->rx_fifo_bytes += len;
    s->rx_fifo_frames++;
    fpgaeth_rx_kick(s);
}

/* The line is busy with a frame still arriving. */
static bool fpgaeth_line_busy(FpgaethState *s)
{
    if (s->rx_line_free <= qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
        return false;
    }
    /* take the backend's next frame when the line is free */
    timer_mod(s->rx_line_timer, s->rx_line_free);
    return true;
}

void fpgaeth_rx_line_timer_cb(void *opaque)
{
    FpgaethState *s = opaque;

    qemu_flush_queued_packets(qemu_get_queue(s->nic));
}

bool fpgaeth_can_receive(NetClientState *nc)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);

    /* the RTL's MAC takes every frame and drops what it cannot store */
    return s->cosim || !fpgaeth_line_busy(s);
}

ssize_t fpgaeth_receive(NetClientState *nc, const uint8_t *buf,
                        size_t size)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);

    if (s->cosim) {
        return fpgaeth_cosim_receive(s, buf, size);
    }
    if (s->phy_bmcr & MII_BMCR_LOOPBACK) {
        /* the PHY loops our own frames back and does not listen to the line */
        trace_fpgaeth_rx_drop(s->name, size, "PHY loopback");
        return size;
    }
    /*
     * Frames come from the line one at a time, at the line rate: the
     * backend holds the next one while the line is busy. The MAC drops what
     * it cannot store and counts it (RX FIFO overflow, filters, ...).
     */
    if (fpgaeth_line_busy(s)) {
        return 0;
    }
    fpgaeth_rx_frame(s, buf, size, true,
                     qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    return size;
}
