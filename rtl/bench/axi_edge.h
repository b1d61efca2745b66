// SPDX-License-Identifier: GPL-2.0
// The AXI4 DMA master's edges, for the benches and the co-simulation shim.
#ifndef FE_AXI_EDGE_H
#define FE_AXI_EDGE_H

#include <cstdint>

// The AXI4 DMA master's handshakes of one clock and the payloads they
// carry, sampled while the clock is low (c: a Verilated model with the
// m_* ports of fe_dma_axi), to be acted on after the rising edge.
struct AxiEdge {
	bool ar, r, aw, w, b;
	uint64_t araddr, awaddr;
	int arlen, awlen, wstrb;
	uint32_t wdata;
};

template <typename T> static inline AxiEdge axi_sample(const T *c)
{
	AxiEdge e;
	e.ar = c->m_arvalid && c->m_arready;
	e.r = c->m_rvalid && c->m_rready;
	e.aw = c->m_awvalid && c->m_awready;
	e.w = c->m_wvalid && c->m_wready;
	e.b = c->m_bvalid && c->m_bready;
	e.araddr = c->m_araddr;
	e.awaddr = c->m_awaddr;
	e.arlen = c->m_arlen;
	e.awlen = c->m_awlen;
	e.wstrb = c->m_wstrb;
	e.wdata = c->m_wdata;
	return e;
}

#endif
