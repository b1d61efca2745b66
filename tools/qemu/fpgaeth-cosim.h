/*
 * fpgaeth co-simulation: the messages between the QEMU device (the
 * "cosim" property) and rtl/cosim's shim (the Verilated fe_core) over a
 * unix stream socket.  Plain C, shared by both sides; both run on the same
 * host, so fields are in host byte order.
 *
 * QEMU sends one command at a time and reads messages until that
 * command's DONE.  Before DONE the shim may send DMA_RD (QEMU answers with
 * DMA_DATA), DMA_WR (QEMU answers with DMA_ACK) and TX (no answer).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FPGAETH_COSIM_H
#define FPGAETH_COSIM_H

#include <stdint.h>

#define FE_COSIM_MAGIC      0x46454353u     /* "FECS": HELLO's a */
#define FE_COSIM_MAX_DATA   65536           /* largest payload */
/*
 * DONE b: a timer of the IP counts (a coalescing USECS timer, the pause
 * timer, SOFT_RESET's wait) or the IP still moves: time must reach it.
 * QEMU then sends ADVANCE with the clocks of the virtual time that passed;
 * the shim runs them while this holds and skips the rest.  Without it the
 * IP does not move until a command comes.
 */
#define FE_COSIM_TIMER_BUSY (1ULL << 32)

enum {
    /* QEMU -> shim: commands, each answered by DONE */
    FE_COSIM_HELLO = 1,     /* a: magic; DONE a: NUM_QP, b: CLK_MHZ */
    FE_COSIM_RUN,           /* a: clocks to run */
    FE_COSIM_READ,          /* a: register offset; DONE a: the value */
    FE_COSIM_WRITE,         /* a: register offset, b: the value */
    FE_COSIM_RX,            /* payload: a frame for the wire (no FCS) */
    FE_COSIM_LINK,          /* a: 1 up, 0 down */
    FE_COSIM_ADVANCE,       /* a: clocks of time passed (TIMER_BUSY) */
    /* shim -> QEMU */
    FE_COSIM_DONE = 16,     /* a: result; b: interrupt levels (bit 0 misc,
                             * bit 1 + q queue pair q) and
                             * FE_COSIM_TIMER_BUSY; c: clocks run so far */
    FE_COSIM_DMA_RD,        /* a: address, b: length */
    FE_COSIM_DMA_WR,        /* a: address, payload: the bytes */
    FE_COSIM_TX,            /* payload: a frame off the wire (FCS removed) */
    /* QEMU -> shim, answers within a command */
    FE_COSIM_DMA_DATA = 32, /* a: 0 or 1 (bus error), payload: the bytes */
    FE_COSIM_DMA_ACK,       /* a: 0 or 1 (bus error) */
};

typedef struct FeCosimMsg {
    uint32_t type;
    uint32_t len;           /* payload bytes that follow */
    uint64_t a, b, c;
} FeCosimMsg;

#endif
