/*
 * fpgaeth: the board's PHY (IEEE 802.3 clause 22, 1000BASE-T, ID
 * 0x4650 0x0001) and the IP's MDIO master.
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
#include "hw/net/mii.h"

#define BMCR_RW_MASK            (MII_BMCR_LOOPBACK | MII_BMCR_SPEED100 | \
                                 MII_BMCR_AUTOEN | MII_BMCR_FD | \
                                 MII_BMCR_SPEED1000)
#define BMCR_RENEG_MASK         (MII_BMCR_SPEED100 | MII_BMCR_AUTOEN | \
                                 MII_BMCR_FD | MII_BMCR_SPEED1000)
#define BMCR_DEFAULT            (MII_BMCR_AUTOEN | MII_BMCR_FD | \
                                 MII_BMCR_SPEED1000)

/* 100FD, 100HD, 10FD, 10HD, extended status, preamble suppression, AN able,
 * extended capabilities */
#define BMSR_CAPS               (MII_BMSR_100TX_FD | MII_BMSR_100TX_HD | \
                                 MII_BMSR_10T_FD | MII_BMSR_10T_HD | \
                                 MII_BMSR_EXTSTAT | MII_BMSR_MFPS | \
                                 MII_BMSR_AUTONEG | MII_BMSR_EXTCAP)

#define PHY_ID1                 0x4650
#define PHY_ID2                 0x0001
/* 10/100 half/full, 802.3 */
#define ANAR_DEFAULT            (MII_ANAR_TXFD | MII_ANAR_TX | MII_ANAR_10FD | \
                                 MII_ANAR_10 | MII_ANAR_CSMACD)
#define ANAR_RW_MASK            0x2fff  /* all but reserved [14] and NP... */
/* the link partner: 10/100 half/full + ACK */
#define LPA_ALL                 (MII_ANLPAR_ACK | MII_ANLPAR_TXFD | \
                                 MII_ANLPAR_TX | MII_ANLPAR_10FD | \
                                 MII_ANLPAR_10 | MII_ANLPAR_CSMACD)
#define CTRL1000_DEFAULT        (MII_CTRL1000_FULL | MII_CTRL1000_HALF)
#define CTRL1000_RW_MASK        0xff00
/* local/remote receiver OK, link partner 1000 half/full */
#define STAT1000_ALL            (MII_STAT1000_LOK | MII_STAT1000_ROK | \
                                 MII_STAT1000_FULL | MII_STAT1000_HALF)
#define ESTATUS_1000T           (MII_EXTSTAT_1000T_FD | MII_EXTSTAT_1000T_HD)

bool fpgaeth_phy_line_up(FpgaethState *s)
{
    /* before realize (a -device fault= option) there is no backend yet */
    bool backend_down = s->nic && qemu_get_queue(s->nic)->link_down;

    return !backend_down && !fpgaeth_fault_find(s, FAULT_LINK_DOWN, -1);
}

void fpgaeth_update_link(FpgaethState *s)
{
    bool up = (s->phy_bmcr & MII_BMCR_LOOPBACK) || fpgaeth_phy_line_up(s);

    if (s->cosim) {
        /* the RTL's PHY: the line (backend and link faults) */
        fpgaeth_cosim_set_link(s, fpgaeth_phy_line_up(s));
        return;
    }

    if (up == s->link_up) {
        return;
    }
    s->link_up = up;
    if (!up) {
        s->phy_link_latch = false;
    }
    trace_fpgaeth_link(s->name, up);
    fpgaeth_misc_event(s, R_MISC_IRQ_LINK_MASK);
}

/*
 * Negotiation restarted, or the forced speed or duplex changed: as on a
 * real PHY the link drops while the link is brought up again, which here
 * is at once. BMSR's latched link status reads 0 once and the MAC sees a
 * link event, so software notices the new speed.
 */
static void fpgaeth_phy_renegotiate(FpgaethState *s)
{
    if (!s->link_up || (s->phy_bmcr & MII_BMCR_LOOPBACK)) {
        return;
    }
    s->phy_link_latch = false;
    trace_fpgaeth_link(s->name, false);
    fpgaeth_misc_event(s, R_MISC_IRQ_LINK_MASK);
}

void fpgaeth_phy_reset(FpgaethState *s)
{
    s->phy_bmcr = BMCR_DEFAULT;
    s->phy_anar = ANAR_DEFAULT;
    s->phy_ctrl1000 = CTRL1000_DEFAULT;
}

static bool phy_an_done(FpgaethState *s)
{
    return s->link_up && (s->phy_bmcr & MII_BMCR_AUTOEN);
}

static uint16_t fpgaeth_phy_read(FpgaethState *s, unsigned reg)
{
    uint16_t val;

    switch (reg) {
    case MII_BMCR:
        return s->phy_bmcr;
    case MII_BMSR:
        val = BMSR_CAPS;
        if (s->phy_link_latch) {
            val |= MII_BMSR_LINK_ST;
        }
        if (phy_an_done(s)) {
            val |= MII_BMSR_AN_COMP;
        }
        /* latched low: a read returns to the current state */
        s->phy_link_latch = s->link_up;
        return val;
    case MII_PHYID1:
        return PHY_ID1;
    case MII_PHYID2:
        return PHY_ID2;
    case MII_ANAR:
        return s->phy_anar;
    case MII_ANLPAR:
        return phy_an_done(s) ? LPA_ALL : 0;
    case MII_ANER:
        return phy_an_done(s) ? MII_ANER_NWAY : 0;
    case MII_CTRL1000:
        return s->phy_ctrl1000;
    case MII_STAT1000:
        return phy_an_done(s) ? STAT1000_ALL : 0;
    case MII_EXTSTAT:
        return ESTATUS_1000T;
    default:
        return 0;
    }
}

static void fpgaeth_phy_write(FpgaethState *s, unsigned reg, uint16_t val)
{
    switch (reg) {
    case MII_BMCR:
        if (val & MII_BMCR_RESET) {
            /* self-clearing, completes at once; the link is not lost */
            fpgaeth_phy_reset(s);
        } else {
            uint16_t old = s->phy_bmcr;

            /* MII_BMCR_ANRESTART self-clears: negotiation completes at once */
            s->phy_bmcr = val & BMCR_RW_MASK;
            if ((val & MII_BMCR_ANRESTART) ||
                ((old ^ s->phy_bmcr) & BMCR_RENEG_MASK)) {
                fpgaeth_phy_renegotiate(s);
            }
        }
        fpgaeth_update_link(s);
        break;
    case MII_ANAR:
        s->phy_anar = val & ANAR_RW_MASK;
        break;
    case MII_CTRL1000:
        s->phy_ctrl1000 = val & CTRL1000_RW_MASK;
        break;
    default:
        /* read-only or not implemented */
        break;
    }
}

void fpgaeth_mdio_cmd(FpgaethState *s, uint32_t val)
{
    unsigned op = FIELD_EX32(val, MDIO_CMD, OP);
    unsigned phy = FIELD_EX32(val, MDIO_CMD, PHYAD);
    unsigned reg = FIELD_EX32(val, MDIO_CMD, REGAD);

    if (s->mdio_stuck) {
        /* a write while BUSY reads 1 is ignored */
        return;
    }
    /* the QEMU model completes a command within the write: never busy */
    s->mdio_cmd = val & (R_MDIO_CMD_REGAD_MASK | R_MDIO_CMD_PHYAD_MASK |
                         R_MDIO_CMD_OP_MASK);
    if (!FIELD_EX32(val, MDIO_CMD, START)) {
        return;
    }
    if ((op == 1 || op == 2) &&
        fpgaeth_fault_hit(s, FAULT_MDIO_STUCK, -1, val)) {
        /* mdio-stuck: the command never completes, BUSY stays 1 */
        s->mdio_stuck = true;
        return;
    }
    switch (op) {
    case 1: /* write */
        if (phy == s->phy_addr) {
            fpgaeth_phy_write(s, reg, s->mdio_data & 0xffff);
        }
        break;
    case 2: /* read */
        s->mdio_data = phy == s->phy_addr ? fpgaeth_phy_read(s, reg) : 0xffff;
        break;
    default:
        /* op codes 0 and 3 do nothing: no command, no MDIO_DONE */
        qemu_log_mask(LOG_GUEST_ERROR, "%s: MDIO op code %u does nothing\n",
                      s->name, op);
        return;
    }
    trace_fpgaeth_mdio(s->name, op, phy, reg, s->mdio_data);
    fpgaeth_misc_event(s, R_MISC_IRQ_MDIO_DONE_MASK);
}

void fpgaeth_set_link(NetClientState *nc)
{
    FpgaethState *s = qemu_get_nic_opaque(nc);

    fpgaeth_update_link(s);
}
