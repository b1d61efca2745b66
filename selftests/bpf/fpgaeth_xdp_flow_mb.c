// SPDX-License-Identifier: GPL-2.0
/*
 * fpgaeth_xdp_flow.c in section "xdp.frags", for multi-buffer frames
 * (selftests/fpgaeth_xdp_mb.py).
 */
#define FPGAETH_XDP_FRAGS
#include "fpgaeth_xdp_flow.c"
