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
 * Time: every command's c carries the clocks (at CLK_MHZ) of virtual time
 * that passed since the last command; the shim runs them first, as time
 * (the IP's timers count them), and then the command, whose own clocks are
 * not time.  DONE b: a timer of the IP counts (a coalescing USECS timer,
 * the pause timer, SOFT_RESET's wait) or the IP still moves: time must
 * reach it; DONE d then says in how many clocks of time the first timer
 * expires (FE_COSIM_DUE_NONE: not known, e.g. the IP still moves), and
 * QEMU sends ADVANCE (a command with nothing but its time) at that instant
 * of the virtual clock.  The shim runs a command's time while this holds
 * and skips the rest.  Without it the IP does not move until a command
 * comes.
 */
#define FE_COSIM_TIMER_BUSY (1ULL << 32)
#define FE_COSIM_DUE_NONE   0xffffffffULL

enum {
    /* QEMU -> shim: commands, each answered by DONE */
    FE_COSIM_HELLO = 1,     /* a: magic; DONE a: NUM_QP, b: CLK_MHZ */
    FE_COSIM_RUN,           /* a: clocks to run */
    FE_COSIM_READ,          /* a: register offset; DONE a: the value */
    FE_COSIM_WRITE,         /* a: register offset, b: the value */
    FE_COSIM_RX,            /* payload: a frame for the wire (no FCS) */
    FE_COSIM_LINK,          /* a: 1 up, 0 down */
    FE_COSIM_ADVANCE,       /* nothing but c's time (TIMER_BUSY) */
    /* shim -> QEMU */
    /*
     * a: result; b: interrupt levels (bit 0 misc, bit 1 + q queue pair q)
     * and FE_COSIM_TIMER_BUSY; c: clocks run so far; d: clocks of time to
     * the first timer's expiry, or FE_COSIM_DUE_NONE
     */
    FE_COSIM_DONE = 16,
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
    uint64_t a, b;
    uint64_t c;             /* a command: clocks of time passed */
    uint64_t d;             /* DONE: see FE_COSIM_DONE */
} FeCosimMsg;

#endif
