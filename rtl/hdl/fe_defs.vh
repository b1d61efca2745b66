// SPDX-License-Identifier: GPL-2.0
// Shared definitions: the statistics counters' indices (the counter at
// 0x0400 + 8 * index of the programming model's statistics block).
`ifndef FE_DEFS_VH
`define FE_DEFS_VH
`define ST_TX_FRAMES_OK    0
`define ST_TX_OCTETS_OK    1
`define ST_TX_UCAST        2
`define ST_TX_MCAST        3
`define ST_TX_BCAST        4
`define ST_TX_PAUSE        5
`define ST_TX_MAC_CTRL     6
`define ST_TX_DISCARDS     7
`define ST_RX_FRAMES_OK    8
`define ST_RX_OCTETS_OK    9
`define ST_RX_UCAST       10
`define ST_RX_MCAST       11
`define ST_RX_BCAST       12
`define ST_RX_PAUSE       13
`define ST_RX_MAC_CTRL    14
`define ST_RX_UNSUP_OPCODE 15
`define ST_RX_FCS_ERR     16
`define ST_RX_ALIGN_ERR   17
`define ST_RX_LEN_ERR     18
`define ST_RX_TOO_LONG    19
`define ST_RX_UNDERSIZE   20
`define ST_RX_FRAGMENTS   21
`define ST_RX_JABBERS     22
`define ST_RX_NOBUF       23
`define ST_RX_FIFO_OVF    24
`define ST_RX_FILTERED    25
`define ST_RX_HIST0       26
`define ST_TX_HIST0       35
`define ST_NUM            44
`endif
