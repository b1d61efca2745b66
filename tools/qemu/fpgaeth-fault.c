/*
 * fpgaeth: fault injection, the run-time writable "fault" property
 * (Documentation/fpgaeth/qemu-model.rst "Fault injection").
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
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "system/dma.h"

/*
 * Argument forms: none; Q (a queue pair, default 0); N (a count, default
 * 1); Q[:VAL] (a queue pair and a value, default .val).
 */
enum { FARG_NONE, FARG_QUEUE, FARG_COUNT, FARG_QUEUE_VAL };

static const struct {
    const char *name;
    int arg;
    bool sticky;            /* in effect until undone, set once */
    uint32_t val;           /* FARG_QUEUE_VAL: the default value */
} fault_table[] = {
    [FAULT_TX_DESC_ERROR] = { "tx-desc-error", FARG_QUEUE },
    [FAULT_RX_DESC_ERROR] = { "rx-desc-error", FARG_QUEUE },
    [FAULT_TX_BUF_ERROR] = { "tx-buf-error", FARG_QUEUE },
    [FAULT_RX_BUF_ERROR] = { "rx-buf-error", FARG_QUEUE },
    [FAULT_RX_WB_ERROR] = { "rx-wb-error", FARG_QUEUE_VAL, false, 0 },
    [FAULT_RX_BAD_LEN] = { "rx-bad-len", FARG_QUEUE },
    [FAULT_RX_FIFO_OVERFLOW] = { "rx-fifo-overflow", FARG_COUNT },
    [FAULT_RX_FCS_ERROR] = { "rx-fcs-error", FARG_COUNT },
    [FAULT_TX_STALL] = { "tx-stall", FARG_QUEUE, true },
    [FAULT_TX_UNSTALL] = { "tx-unstall", FARG_QUEUE },
    [FAULT_LINK_DOWN] = { "link-down", FARG_NONE, true },
    [FAULT_LINK_UP] = { "link-up", FARG_NONE },
    [FAULT_LOOPBACK_CORRUPT] = { "loopback-corrupt", FARG_NONE, true },
    [FAULT_LOOPBACK_OK] = { "loopback-ok", FARG_NONE },
    [FAULT_SLOW_DRAIN] = { "slow-drain", FARG_COUNT },
    [FAULT_TX_WB_ERROR] = { "tx-wb-error", FARG_QUEUE },
    [FAULT_RX_LEN_LIE] = { "rx-len-lie", FARG_QUEUE_VAL, false, 0xffff },
    [FAULT_TX_HEAD_LIE] = { "tx-head-lie", FARG_QUEUE, true },
    [FAULT_REGS_ALL_ONES] = { "regs-all-ones", FARG_NONE, true },
    [FAULT_IRQ_LOST] = { "irq-lost", FARG_QUEUE },
    [FAULT_IRQ_CLEAR_LATE] = { "irq-clear-late", FARG_QUEUE, true },
    [FAULT_RESET_STUCK] = { "reset-stuck", FARG_NONE, true },
    [FAULT_MDIO_STUCK] = { "mdio-stuck", FARG_NONE, true },
    [FAULT_IRQ_STORM] = { "irq-storm", FARG_QUEUE, true },
    [FAULT_BUS_ERROR] = { "bus-error", FARG_NONE, true },
    /* .val: the HEAD the last read returned (UINT32_MAX: none yet) */
    [FAULT_TX_HEAD_BACK] = { "tx-head-back", FARG_QUEUE, true, UINT32_MAX },
    [FAULT_RX_HEAD_BACK] = { "rx-head-back", FARG_QUEUE, true, UINT32_MAX },
    [FAULT_TX_WB_SKIP] = { "tx-wb-skip", FARG_QUEUE },
    [FAULT_RX_WB_SKIP] = { "rx-wb-skip", FARG_QUEUE },
    /* .val: the descriptor and STATUS to write again (UINT32_MAX: none yet) */
    [FAULT_RX_WB_STALE] = { "rx-wb-stale", FARG_QUEUE, false, UINT32_MAX },
    [FAULT_TX_DONE_BEYOND] = { "tx-done-beyond", FARG_QUEUE },
    [FAULT_RX_DONE_BEYOND] = { "rx-done-beyond", FARG_QUEUE },
    [FAULT_RX_EOP_EARLY] = { "rx-eop-early", FARG_QUEUE },
    [FAULT_RX_HASH_RESERVED] = { "rx-hash-reserved", FARG_QUEUE, true },
    [FAULT_TX_DONE_UNRUNG] = { "tx-done-unrung", FARG_QUEUE },
    /* .val: the descriptor and FLAGS to write again (UINT32_MAX: none yet) */
    [FAULT_TX_WB_DUP] = { "tx-wb-dup", FARG_QUEUE, false, UINT32_MAX },
    [FAULT_TX_WB_DUP_LATE] = { "tx-wb-dup-late", FARG_QUEUE, false,
                               UINT32_MAX },
    [FAULT_RX_STALL] = { "rx-stall", FARG_QUEUE, true },
    [FAULT_RX_UNSTALL] = { "rx-unstall", FARG_QUEUE },
    [FAULT_CLEAR] = { "clear", FARG_NONE },
};

void fpgaeth_fault_free(gpointer p)
{
    FpgaethFault *f = p;

    g_free(f->snap);
    g_free(f->text);
    g_free(f);
}

FpgaethFault *fpgaeth_fault_find(FpgaethState *s, int kind, int q)
{
    for (guint i = 0; i < s->faults->len; i++) {
        FpgaethFault *f = g_ptr_array_index(s->faults, i);

        if (f->kind == kind && (q < 0 || f->arg == q)) {
            return f;
        }
    }
    return NULL;
}

void fpgaeth_fault_remove(FpgaethState *s, FpgaethFault *f)
{
    trace_fpgaeth_fault(s->name, f->text, "consumed");
    g_ptr_array_remove(s->faults, f);
}

/* Take one pending one-shot fault of @kind for queue @q. */
bool fpgaeth_fault_take(FpgaethState *s, int kind, unsigned q)
{
    FpgaethFault *f = fpgaeth_fault_find(s, kind, q);

    if (!f) {
        return false;
    }
    fpgaeth_fault_remove(s, f);
    return true;
}

/*
 * A fault of @kind (for queue @q, or any if @q < 0) acts now on the value
 * @val: traced; a one-shot fault is consumed. Returns whether one did.
 */
bool fpgaeth_fault_hit(FpgaethState *s, int kind, int q, uint64_t val)
{
    FpgaethFault *f = fpgaeth_fault_find(s, kind, q);

    if (!f) {
        return false;
    }
    trace_fpgaeth_fault_hit(s->name, f->text, val);
    if (!fault_table[kind].sticky) {
        fpgaeth_fault_remove(s, f);
    }
    return true;
}

/*
 * rx-wb-error:Q[:K]: does write-back access @k (of the @nacc the frame's
 * write-back makes, in their order) fail? K beyond the frame: its last.
 */
bool fpgaeth_fault_rx_wb(FpgaethState *s, unsigned q, unsigned k,
                         unsigned nacc)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_RX_WB_ERROR, q);

    if (!f || (k != f->val && (k != nacc - 1 || f->val < k))) {
        return false;
    }
    return fpgaeth_fault_hit(s, FAULT_RX_WB_ERROR, q, k);
}

/*
 * tx-head-lie:Q: what TX_HEAD reads instead of @r's HEAD: TAIL + 1, outside
 * the in-flight window [HEAD, TAIL]; on a full ring (every index is in it)
 * TAIL + the ring size, beyond the ring.
 */
uint32_t fpgaeth_fault_tx_head(FpgaethState *s, unsigned q, FpgaethRing *r)
{
    uint32_t mask = ring_mask(r), lie = (r->tail + 1) & mask;

    if (lie == r->head) {
        lie = r->tail + mask + 1;
    }
    fpgaeth_fault_hit(s, FAULT_TX_HEAD_LIE, q, lie);
    return lie;
}

/*
 * tx-head-back:Q, rx-head-back:Q: a read of the ring's HEAD returns the
 * value the read before it returned less one (the first: HEAD - 1), mod
 * the ring size: HEAD moves backwards a descriptor a read. False (and
 * @val untouched) without the fault.
 */
bool fpgaeth_fault_head_back(FpgaethState *s, unsigned q, bool tx,
                             uint32_t *val)
{
    FpgaethFault *f = fpgaeth_fault_find(s, tx ? FAULT_TX_HEAD_BACK :
                                         FAULT_RX_HEAD_BACK, q);
    FpgaethRing *r = ring_of(s, q, tx);

    if (!f) {
        return false;
    }
    f->val = ((f->val == UINT32_MAX ? r->head : f->val) - 1) & ring_mask(r);
    fpgaeth_fault_hit(s, f->kind, q, f->val);
    *val = f->val;
    return true;
}

static bool fault_dma_write16(FpgaethState *s, uint64_t addr, uint16_t word)
{
    uint8_t b[2];

    stw_le_p(b, word);
    return dma_memory_write(&s->dma_as, addr, b, 2,
                            MEMTXATTRS_UNSPECIFIED) == MEMTX_OK;
}

/*
 * tx-done-beyond:Q, rx-done-beyond:Q: with a write-back of the ring, its
 * DONE word @word also lands in the descriptor at TAIL, never handed over.
 */
void fpgaeth_fault_done_beyond(FpgaethState *s, unsigned q, bool tx,
                               uint16_t word)
{
    FpgaethRing *r = ring_of(s, q, tx);
    uint64_t a = ring_desc_addr(r, r->tail) + (tx ? TXD_FLAGS : RXD_STATUS);

    if (fpgaeth_fault_hit(s, tx ? FAULT_TX_DONE_BEYOND : FAULT_RX_DONE_BEYOND,
                          q, a)) {
        fault_dma_write16(s, a, word);
    }
}

/*
 * The first half of rx-wb-stale:Q and tx-wb-dup:Q: the write-back just
 * made on queue @q, 16-bit word @word (RX STATUS, TX FLAGS) in descriptor
 * @idx; a pending fault of @kind remembers them (it stays pending).
 */
void fpgaeth_fault_arm(FpgaethState *s, int kind, unsigned q, uint32_t idx,
                       uint16_t word)
{
    FpgaethFault *f = fpgaeth_fault_find(s, kind, q);

    if (f && f->val == UINT32_MAX) {
        f->val = deposit32(idx, 16, 16, word);
        trace_fpgaeth_fault(s->name, f->text, "armed");
    }
}

/*
 * rx-wb-stale:Q, second half: an RX_TAIL write from @old to @tail hands
 * the remembered descriptor over again (the driver re-armed it, STATUS 0):
 * the old STATUS word, DONE set, is written to it again.
 */
void fpgaeth_fault_stale_rearm(FpgaethState *s, unsigned q, uint32_t old,
                               uint32_t tail)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_RX_WB_STALE, q);
    FpgaethRing *r = &s->qp[q].rx;
    uint32_t idx, mask = ring_mask(r);
    uint16_t status;
    uint64_t a;

    if (!f || f->val == UINT32_MAX || !ring_enabled(r)) {
        return;
    }
    idx = extract32(f->val, 0, 16);
    if (((idx - old) & mask) >= ((tail - old) & mask)) {
        return;
    }
    a = ring_desc_addr(r, idx) + RXD_STATUS;
    status = extract32(f->val, 16, 16);
    fpgaeth_fault_hit(s, FAULT_RX_WB_STALE, q, a);      /* frees f */
    fault_dma_write16(s, a, status);
}

/*
 * rx-bad-len:Q, rx-len-lie:Q[:LEN]: the LEN the EOP descriptor of the
 * frame received on queue @q reports instead of @len (its buffer holds
 * @buf_len).
 */
uint16_t fpgaeth_fault_rx_len(FpgaethState *s, unsigned q, uint16_t buf_len,
                              uint16_t len)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_RX_LEN_LIE, q);

    if (fpgaeth_fault_take(s, FAULT_RX_BAD_LEN, q)) {
        len = buf_len + 1;
    }
    if (f) {
        len = f->val;
        fpgaeth_fault_hit(s, FAULT_RX_LEN_LIE, q, f->val);
    }
    return len;
}

/*
 * rx-hash-reserved:Q, rx-eop-early:Q: the HASH_TYPE (*@htype) and the
 * descriptor with EOP (*@eop_at, of @n) of the frame received on queue @q.
 */
void fpgaeth_fault_rx_status(FpgaethState *s, unsigned q, unsigned n,
                             uint32_t *htype, uint32_t *eop_at)
{
    if (fpgaeth_fault_hit(s, FAULT_RX_HASH_RESERVED, q, *htype)) {
        *htype = 3;
    }
    if (n > 1 && fpgaeth_fault_hit(s, FAULT_RX_EOP_EARLY, q, n)) {
        *eop_at = 0;
    }
}

/*
 * A frame received on queue @q was written back from descriptor @idx on,
 * the first descriptor's STATUS @status: rx-wb-stale remembers it,
 * rx-done-beyond writes that DONE past TAIL.
 */
void fpgaeth_fault_rx_written(FpgaethState *s, unsigned q, uint32_t idx,
                              uint16_t status)
{
    fpgaeth_fault_arm(s, FAULT_RX_WB_STALE, q, idx, status);
    fpgaeth_fault_done_beyond(s, q, false, status);
}

/*
 * tx-done-unrung:Q, first half: at a TX_TAIL write of queue @q (to @tail),
 * the descriptors from @tail on in the driver's part of the ring
 * (TX_MAX_DESCS at most) are remembered as they are: what the driver
 * writes after this doorbell is what differs from them.
 */
void fpgaeth_fault_unrung_snap(FpgaethState *s, unsigned q, uint32_t tail)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_TX_DONE_UNRUNG, q);
    FpgaethRing *r = &s->qp[q].tx;
    uint32_t room = (r->head - tail - 1) & ring_mask(r);

    if (!f || !ring_enabled(r)) {
        return;
    }
    f->snap_n = MIN(room, FPGAETH_TX_MAX_DESCS);
    f->snap_tail = tail;
    g_free(f->snap);
    f->snap = g_malloc(f->snap_n * DESC_SIZE);
    for (uint32_t n = 0; n < f->snap_n; n++) {
        if (dma_memory_read(&s->dma_as, ring_desc_addr(r, tail + n),
                            f->snap + n * DESC_SIZE, DESC_SIZE,
                            MEMTXATTRS_UNSPECIFIED) != MEMTX_OK) {
            f->snap_n = n;
            return;
        }
    }
}

/*
 * Two TX descriptors alike but for DONE, which a driver may clear in a free
 * descriptor (a completion of no frame handed over) without writing a frame
 */
static bool tx_desc_same(const uint8_t *a, const uint8_t *b)
{
    uint16_t fa = lduw_le_p(a + TXD_FLAGS) & ~TXD_FLAG_DONE;
    uint16_t fb = lduw_le_p(b + TXD_FLAGS) & ~TXD_FLAG_DONE;

    return fa == fb && !memcmp(a, b, TXD_FLAGS) &&
           !memcmp(a + TXD_CSUM_START, b + TXD_CSUM_START,
                   DESC_SIZE - TXD_CSUM_START);
}

/*
 * tx-done-unrung:Q, second half, at a write to queue @q's IRQ_STATUS
 * (where a driver's poll starts): a frame the driver has written from TAIL
 * on since the last doorbell but not handed over (a doorbell it deferred)
 * gets the write-back of a sent frame: its EOP descriptor's FLAGS, EOP and
 * CSUM as written, DONE set. Such a frame: from TAIL, descriptors that
 * differ from what the last doorbell found there (fpgaeth_fault_unrung_snap),
 * DONE aside, with LEN not 0 and no DONE, up to one with EOP. A descriptor
 * as it was then (a stale one, whatever its contents) ends the search, and
 * so does the end of what the doorbell remembered (a frame whose EOP lies
 * beyond it is not taken). Pending until it finds one.
 */
void fpgaeth_fault_done_unrung(FpgaethState *s, unsigned q)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_TX_DONE_UNRUNG, q);
    FpgaethRing *r = &s->qp[q].tx;
    uint8_t d[DESC_SIZE];
    uint16_t flags;
    uint64_t a;

    if (!f || !f->snap || f->snap_tail != r->tail || !ring_enabled(r)) {
        return;
    }
    for (uint32_t n = 0; n < f->snap_n; n++) {
        a = ring_desc_addr(r, r->tail + n);
        if (dma_memory_read(&s->dma_as, a, d, sizeof(d),
                            MEMTXATTRS_UNSPECIFIED) != MEMTX_OK) {
            return;
        }
        flags = lduw_le_p(d + TXD_FLAGS);
        if (tx_desc_same(d, f->snap + n * DESC_SIZE) ||
            !lduw_le_p(d + TXD_LEN) || (flags & TXD_FLAG_DONE)) {
            return;
        }
        if (flags & TXD_FLAG_EOP) {
            fpgaeth_fault_hit(s, FAULT_TX_DONE_UNRUNG, q, a + TXD_FLAGS);
            fault_dma_write16(s, a + TXD_FLAGS,
                              (flags & (TXD_FLAG_EOP | TXD_FLAG_CSUM)) |
                              TXD_FLAG_DONE);
            return;
        }
    }
}

/*
 * tx-wb-dup:Q, second half: the engine has fetched (descriptors and
 * buffers) a frame of queue @q whose EOP is descriptor @idx. If that is
 * the remembered descriptor, handed over again a lap later, the
 * remembered FLAGS (DONE set) are written to it again: the frame looks
 * complete before it is sent, and its own write-back completes it a
 * second time.
 */
void fpgaeth_fault_dup_replay(FpgaethState *s, unsigned q, uint32_t idx)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_TX_WB_DUP, q);
    FpgaethRing *r = &s->qp[q].tx;
    uint64_t a;

    if (!f || f->val == UINT32_MAX || extract32(f->val, 0, 16) != idx) {
        return;
    }
    a = ring_desc_addr(r, idx) + TXD_FLAGS;
    fault_dma_write16(s, a, extract32(f->val, 16, 16));
    fpgaeth_fault_hit(s, FAULT_TX_WB_DUP, q, a);        /* frees f */
}

/*
 * tx-wb-dup-late:Q, second half: at a TX_TAIL write of queue @q (to
 * @tail), once the remembered descriptor is the driver's (not between HEAD
 * and @tail) and its FLAGS read without DONE (the driver took the frame
 * and cleared DONE, as the Linux driver does), the remembered FLAGS, DONE
 * set, are written to it again: a completion of a frame already taken.
 */
void fpgaeth_fault_dup_late(FpgaethState *s, unsigned q, uint32_t tail)
{
    FpgaethFault *f = fpgaeth_fault_find(s, FAULT_TX_WB_DUP_LATE, q);
    FpgaethRing *r = &s->qp[q].tx;
    uint32_t idx, mask = ring_mask(r);
    uint8_t flags[2];
    uint64_t a;

    if (!f || f->val == UINT32_MAX || !ring_enabled(r)) {
        return;
    }
    idx = extract32(f->val, 0, 16);
    if (((idx - r->head) & mask) < ((tail - r->head) & mask)) {
        return;                 /* handed over (again) */
    }
    a = ring_desc_addr(r, idx) + TXD_FLAGS;
    if (dma_memory_read(&s->dma_as, a, flags, sizeof(flags),
                        MEMTXATTRS_UNSPECIFIED) != MEMTX_OK ||
        (lduw_le_p(flags) & TXD_FLAG_DONE)) {
        return;                 /* not taken yet */
    }
    fault_dma_write16(s, a, extract32(f->val, 16, 16));
    fpgaeth_fault_hit(s, FAULT_TX_WB_DUP_LATE, q, a);   /* frees f */
}

/* rx-stall:Q ends: queue @q's RX half was disabled or the IP reset. */
void fpgaeth_rx_unstall(FpgaethState *s, unsigned q)
{
    if (s->qp[q].rx_stalled) {
        fpgaeth_fault_remove_all(s, FAULT_RX_STALL, q);
        s->qp[q].rx_stalled = false;
    }
}

/* Count one frame against a pending counted fault of @kind. */
bool fpgaeth_fault_take_count(FpgaethState *s, int kind)
{
    FpgaethFault *f = fpgaeth_fault_find(s, kind, -1);

    if (!f) {
        return false;
    }
    if (--f->arg == 0) {
        fpgaeth_fault_remove(s, f);
    }
    return true;
}

char *fpgaeth_get_fault(Object *obj, Error **errp)
{
    FpgaethState *s = FPGAETH(obj);
    GString *str = g_string_new("");

    for (guint i = 0; i < s->faults->len; i++) {
        FpgaethFault *f = g_ptr_array_index(s->faults, i);

        if (i) {
            g_string_append_c(str, ' ');
        }
        g_string_append(str, f->text);
    }
    return g_string_free(str, false);
}

static void fault_add(FpgaethState *s, int kind, uint32_t arg, uint32_t val,
                      const char *text)
{
    FpgaethFault *f = g_new0(FpgaethFault, 1);

    f->kind = kind;
    f->arg = arg;
    f->val = val;
    f->text = g_strdup(text);
    g_ptr_array_add(s->faults, f);
}

void fpgaeth_fault_remove_all(FpgaethState *s, int kind, int q)
{
    FpgaethFault *f;

    while ((f = fpgaeth_fault_find(s, kind, q))) {
        fpgaeth_fault_remove(s, f);
    }
}

static bool parse_queue(FpgaethState *s, const char *str, const char *value,
                        unsigned int *q, Error **errp)
{
    if (str && qemu_strtoui(str, NULL, 0, q) < 0) {
        error_setg(errp, "%s: bad queue pair '%s' in fault '%s'",
                   s->name, str, value);
        return false;
    }
    if (*q >= s->num_qp) {
        error_setg(errp, "%s: fault '%s': no queue pair %u (NUM_QP %u)",
                   s->name, value, *q, s->num_qp);
        return false;
    }
    return true;
}

/* "name[:ARG[:VAL]]" to a fault kind, its argument and value */
static bool fault_parse(FpgaethState *s, const char *value, int *kindp,
                        unsigned int *arg, unsigned int *val, Error **errp)
{
    g_auto(GStrv) part = g_strsplit(value, ":", 3);
    int kind, form;

    for (kind = 0; kind < ARRAY_SIZE(fault_table); kind++) {
        if (!strcmp(part[0], fault_table[kind].name)) {
            break;
        }
    }
    if (kind == ARRAY_SIZE(fault_table)) {
        error_setg(errp, "%s: unknown fault '%s'", s->name, value);
        return false;
    }
    form = fault_table[kind].arg;
    *kindp = kind;
    *arg = form == FARG_COUNT ? 1 : 0;
    *val = fault_table[kind].val;
    if ((form == FARG_NONE && part[1]) ||
        (form != FARG_QUEUE_VAL && part[1] && part[2])) {
        error_setg(errp, "%s: fault '%s' takes %s", s->name, value,
                   form == FARG_NONE ? "no argument" : "one argument");
        return false;
    }
    switch (form) {
    case FARG_QUEUE_VAL:
        if (part[1] && part[2] &&
            qemu_strtoui(part[2], NULL, 0, val) < 0) {
            error_setg(errp, "%s: bad value '%s' in fault '%s'", s->name,
                       part[2], value);
            return false;
        }
        if (kind == FAULT_RX_LEN_LIE && *val > UINT16_MAX) {
            error_setg(errp, "%s: fault '%s': LEN is 16 bits", s->name,
                       value);
            return false;
        }
        /* fall through */
    case FARG_QUEUE:
        return parse_queue(s, part[1], value, arg, errp);
    case FARG_COUNT:
        if (part[1] && (qemu_strtoui(part[1], NULL, 0, arg) < 0 || !*arg)) {
            error_setg(errp, "%s: bad count '%s' in fault '%s'", s->name,
                       part[1], value);
            return false;
        }
        break;
    }
    return true;
}

/* Add a fault; a sticky one only if it is not in effect already. */
static void fault_add_once(FpgaethState *s, int kind, uint32_t arg,
                           uint32_t val, const char *value)
{
    int q = fault_table[kind].arg == FARG_NONE ? -1 : (int)arg;

    if (!fault_table[kind].sticky || !fpgaeth_fault_find(s, kind, q)) {
        fault_add(s, kind, arg, val, value);
    }
}

/* Every fault gone: what the sticky ones held is released. */
static void fault_clear(FpgaethState *s)
{
    while (s->faults->len) {
        fpgaeth_fault_remove(s, g_ptr_array_index(s->faults, 0));
    }
    for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
        s->qp[q].tx_stalled = false;
        s->qp[q].rx_stalled = false;
        s->qp[q].irq_lost = false;
    }
    /* an MDIO command held busy is abandoned: no MDIO_DONE */
    s->mdio_stuck = false;
    if (s->resetting && !timer_pending(s->reset_timer)) {
        fpgaeth_soft_reset_done(s);
    }
    fpgaeth_update_irq(s);
    fpgaeth_update_link(s);
    fpgaeth_tx_kick(s);
    fpgaeth_rx_kick(s);
}

/* A fault that undoes another removes it; false for the others. */
static bool fault_undo(FpgaethState *s, int kind, uint32_t arg)
{
    switch (kind) {
    case FAULT_TX_UNSTALL:
        fpgaeth_fault_remove_all(s, FAULT_TX_STALL, arg);
        return true;
    case FAULT_RX_UNSTALL:
        fpgaeth_fault_remove_all(s, FAULT_RX_STALL, arg);
        return true;
    case FAULT_LINK_UP:
        fpgaeth_fault_remove_all(s, FAULT_LINK_DOWN, -1);
        return true;
    case FAULT_LOOPBACK_OK:
        fpgaeth_fault_remove_all(s, FAULT_LOOPBACK_CORRUPT, -1);
        return true;
    default:
        return false;
    }
}

void fpgaeth_set_fault(Object *obj, const char *value, Error **errp)
{
    FpgaethState *s = FPGAETH(obj);
    bool realized = DEVICE(obj)->realized;
    unsigned int arg, val;
    int kind;

    if (!fault_parse(s, value, &kind, &arg, &val, errp)) {
        return;
    }
    trace_fpgaeth_fault(s->name, value, "set");
    if (kind == FAULT_CLEAR) {
        if (realized) {
            fault_clear(s);
        } else {
            g_ptr_array_set_size(s->faults, 0);
        }
        return;
    }
    if (!fault_undo(s, kind, arg)) {
        fault_add_once(s, kind, arg, val, value);
    }
    if (!realized) {
        /* -device fpgaeth,fault=...: realize and reset read the faults */
        return;
    }
    /* what changes at once */
    switch (kind) {
    case FAULT_TX_STALL:
    case FAULT_TX_UNSTALL:
        s->qp[arg].tx_stalled = kind == FAULT_TX_STALL;
        fpgaeth_tx_kick(s);
        break;
    case FAULT_RX_STALL:
    case FAULT_RX_UNSTALL:
        s->qp[arg].rx_stalled = kind == FAULT_RX_STALL;
        fpgaeth_rx_kick(s);
        break;
    case FAULT_LINK_DOWN:
    case FAULT_LINK_UP:
        fpgaeth_update_link(s);
        break;
    case FAULT_IRQ_STORM:
        fpgaeth_update_irq(s);
        break;
    }
}
