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

enum { FARG_NONE, FARG_QUEUE, FARG_COUNT };

static const struct {
    const char *name;
    int arg;
} fault_table[] = {
    [FAULT_TX_DESC_ERROR] = { "tx-desc-error", FARG_QUEUE },
    [FAULT_RX_DESC_ERROR] = { "rx-desc-error", FARG_QUEUE },
    [FAULT_TX_BUF_ERROR] = { "tx-buf-error", FARG_QUEUE },
    [FAULT_RX_BUF_ERROR] = { "rx-buf-error", FARG_QUEUE },
    [FAULT_RX_WB_ERROR] = { "rx-wb-error", FARG_QUEUE },
    [FAULT_RX_BAD_LEN] = { "rx-bad-len", FARG_QUEUE },
    [FAULT_RX_FIFO_OVERFLOW] = { "rx-fifo-overflow", FARG_COUNT },
    [FAULT_RX_FCS_ERROR] = { "rx-fcs-error", FARG_COUNT },
    [FAULT_TX_STALL] = { "tx-stall", FARG_QUEUE },
    [FAULT_TX_UNSTALL] = { "tx-unstall", FARG_QUEUE },
    [FAULT_LINK_DOWN] = { "link-down", FARG_NONE },
    [FAULT_LINK_UP] = { "link-up", FARG_NONE },
    [FAULT_LOOPBACK_CORRUPT] = { "loopback-corrupt", FARG_NONE },
    [FAULT_LOOPBACK_OK] = { "loopback-ok", FARG_NONE },
    [FAULT_SLOW_DRAIN] = { "slow-drain", FARG_COUNT },
    [FAULT_CLEAR] = { "clear", FARG_NONE },
};

void fpgaeth_fault_free(gpointer p)
{
    FpgaethFault *f = p;

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

static void fault_add(FpgaethState *s, int kind, uint32_t arg,
                      const char *text)
{
    FpgaethFault *f = g_new0(FpgaethFault, 1);

    f->kind = kind;
    f->arg = arg;
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

void fpgaeth_set_fault(Object *obj, const char *value, Error **errp)
{
    FpgaethState *s = FPGAETH(obj);
    g_autofree char *name = g_strdup(value);
    char *colon = strchr(name, ':');
    const char *argstr = NULL;
    unsigned int arg;
    int kind;

    if (colon) {
        *colon = '\0';
        argstr = colon + 1;
    }
    for (kind = 0; kind < ARRAY_SIZE(fault_table); kind++) {
        if (!strcmp(name, fault_table[kind].name)) {
            break;
        }
    }
    if (kind == ARRAY_SIZE(fault_table)) {
        error_setg(errp, "%s: unknown fault '%s'", s->name, value);
        return;
    }

    switch (fault_table[kind].arg) {
    case FARG_NONE:
        if (argstr) {
            error_setg(errp, "%s: fault '%s' takes no argument", s->name,
                       name);
            return;
        }
        arg = 0;
        break;
    case FARG_QUEUE:
        arg = 0;
        if (argstr && qemu_strtoui(argstr, NULL, 0, &arg) < 0) {
            error_setg(errp, "%s: bad queue pair '%s' in fault '%s'",
                       s->name, argstr, value);
            return;
        }
        if (arg >= s->num_qp) {
            error_setg(errp, "%s: fault '%s': no queue pair %u (NUM_QP %u)",
                       s->name, value, arg, s->num_qp);
            return;
        }
        break;
    default:
        arg = 1;
        if (argstr && (qemu_strtoui(argstr, NULL, 0, &arg) < 0 || !arg)) {
            error_setg(errp, "%s: bad count '%s' in fault '%s'", s->name,
                       argstr, value);
            return;
        }
        break;
    }

    trace_fpgaeth_fault(s->name, value, "set");
    if (!DEVICE(obj)->realized) {
        /*
         * -device fpgaeth,fault=...: record the fault; the engines and the
         * link are set up at realize and reset, which read the faults.
         */
        switch (kind) {
        case FAULT_CLEAR:
            g_ptr_array_set_size(s->faults, 0);
            break;
        case FAULT_TX_UNSTALL:
            fpgaeth_fault_remove_all(s, FAULT_TX_STALL, arg);
            break;
        case FAULT_LINK_UP:
            fpgaeth_fault_remove_all(s, FAULT_LINK_DOWN, -1);
            break;
        case FAULT_LOOPBACK_OK:
            fpgaeth_fault_remove_all(s, FAULT_LOOPBACK_CORRUPT, -1);
            break;
        default:
            if (fault_table[kind].arg == FARG_COUNT ||
                !fpgaeth_fault_find(s, kind,
                                    fault_table[kind].arg == FARG_QUEUE ?
                                    (int)arg : -1)) {
                fault_add(s, kind, arg, value);
            }
            break;
        }
        return;
    }
    switch (kind) {
    case FAULT_CLEAR:
        while (s->faults->len) {
            fpgaeth_fault_remove(s, g_ptr_array_index(s->faults, 0));
        }
        for (unsigned q = 0; q < FPGAETH_MAX_QP; q++) {
            s->qp[q].tx_stalled = false;
        }
        fpgaeth_update_link(s);
        fpgaeth_tx_kick(s);
        break;
    case FAULT_TX_STALL:
        if (!s->qp[arg].tx_stalled) {
            fault_add(s, kind, arg, value);
            s->qp[arg].tx_stalled = true;
        }
        break;
    case FAULT_TX_UNSTALL:
        fpgaeth_fault_remove_all(s, FAULT_TX_STALL, arg);
        s->qp[arg].tx_stalled = false;
        fpgaeth_tx_kick(s);
        break;
    case FAULT_LINK_DOWN:
        if (!fpgaeth_fault_find(s, kind, -1)) {
            fault_add(s, kind, arg, value);
        }
        fpgaeth_update_link(s);
        break;
    case FAULT_LINK_UP:
        fpgaeth_fault_remove_all(s, FAULT_LINK_DOWN, -1);
        fpgaeth_update_link(s);
        break;
    case FAULT_LOOPBACK_CORRUPT:
        if (!fpgaeth_fault_find(s, kind, -1)) {
            fault_add(s, kind, arg, value);
        }
        break;
    case FAULT_LOOPBACK_OK:
        fpgaeth_fault_remove_all(s, FAULT_LOOPBACK_CORRUPT, -1);
        break;
    default:
        fault_add(s, kind, arg, value);
        break;
    }
}
