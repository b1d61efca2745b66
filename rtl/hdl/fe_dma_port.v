// SPDX-License-Identifier: GPL-2.0
// fe_dma_port: the IP's AXI4 DMA master as its two clients (0: the TX
// engine, 1: the RX engine) see it: two fe_dma_axi, one for the reads (AR
// and R) and one for the writes (AW, W and B), so that one client's read
// and the other's write go on at once (the TX engine's buffer reads beside
// the RX engine's data writes: full duplex).  Each client still has one
// access at a time, complete before its next (the spec's order is per
// engine, by waiting for responses); two reads, or two writes, take turns
// round-robin in their fe_dma_axi.  The handshake is fe_dma_axi's; c_err
// is per client (both accesses may end on the same clock); the read data
// go to the client of r_gnt (a beat a clock), the write pulls (a beat's
// bytes each) to the client of w_gnt.
`default_nettype none
module fe_dma_port #(
	parameter [3:0] AXCACHE = 4'b0011,
	parameter [2:0] AXPROT  = 3'b010
) (
	input  wire         clk,
	input  wire         rst,
	input  wire         hold,
	output wire         quiet,
	input  wire [1:0]   c_req,
	input  wire [1:0]   c_write,
	input  wire [127:0] c_addr,
	input  wire [31:0]  c_len,
	output wire [1:0]   c_done,
	output wire [1:0]   c_err,      // with c_done[c]: c's access failed
	output wire [1:0]   r_gnt,      // the client rd_* are for
	output wire [1:0]   w_gnt,      // the client wr_pull is for
	output wire         rd_valid,
	output wire [31:0]  rd_data,    // a beat: rd_n bytes from lane rd_lane
	output wire [1:0]   rd_lane,
	output wire [2:0]   rd_n,
	output wire         wr_pull,
	output wire [2:0]   wr_n,       // the bytes of the beat pulled
	input  wire [63:0]  c_wdata,
	input  wire [3:0]   c_wrot,     // the lane of each client's first byte
	// AXI4 master
	output wire [63:0]  m_awaddr,
	output wire [7:0]   m_awlen,
	output wire [2:0]   m_awsize,
	output wire [1:0]   m_awburst,
	output wire         m_awlock,
	output wire [3:0]   m_awcache,
	output wire [2:0]   m_awprot,
	output wire [3:0]   m_awqos,
	output wire         m_awvalid,
	input  wire         m_awready,
	output wire [31:0]  m_wdata,
	output wire [3:0]   m_wstrb,
	output wire         m_wlast,
	output wire         m_wvalid,
	input  wire         m_wready,
	input  wire [1:0]   m_bresp,
	input  wire         m_bvalid,
	output wire         m_bready,
	output wire [63:0]  m_araddr,
	output wire [7:0]   m_arlen,
	output wire [2:0]   m_arsize,
	output wire [1:0]   m_arburst,
	output wire         m_arlock,
	output wire [3:0]   m_arcache,
	output wire [2:0]   m_arprot,
	output wire [3:0]   m_arqos,
	output wire         m_arvalid,
	input  wire         m_arready,
	input  wire [31:0]  m_rdata,
	input  wire [1:0]   m_rresp,
	input  wire         m_rlast,
	input  wire         m_rvalid,
	output wire         m_rready
);
	wire [1:0] done_r, done_w;
	wire       err_r, err_w, quiet_r, quiet_w;
	assign c_done = done_r | done_w;
	assign c_err = ({2{err_r}} & done_r) | ({2{err_w}} & done_w);
	assign quiet = quiet_r && quiet_w;

	/* verilator lint_off PINCONNECTEMPTY */
	fe_dma_axi #(.AXCACHE(AXCACHE), .AXPROT(AXPROT)) u_rd (
		.clk(clk), .rst(rst), .hold(hold), .quiet(quiet_r),
		.c_req(c_req & ~c_write), .c_write(2'b00), .c_addr(c_addr), .c_len(c_len),
		.c_done(done_r), .c_err(err_r), .c_gnt(r_gnt),
		.rd_valid(rd_valid), .rd_data(rd_data), .rd_lane(rd_lane), .rd_n(rd_n),
		.wr_pull(), .wr_n(), .c_wdata(64'h0), .c_wrot(4'h0),
		.m_awaddr(), .m_awlen(), .m_awsize(), .m_awburst(), .m_awlock(),
		.m_awcache(), .m_awprot(), .m_awqos(), .m_awvalid(), .m_awready(1'b0),
		.m_wdata(), .m_wstrb(), .m_wlast(), .m_wvalid(), .m_wready(1'b0),
		.m_bresp(2'b00), .m_bvalid(1'b0), .m_bready(),
		.m_araddr(m_araddr), .m_arlen(m_arlen), .m_arsize(m_arsize),
		.m_arburst(m_arburst), .m_arlock(m_arlock), .m_arcache(m_arcache),
		.m_arprot(m_arprot), .m_arqos(m_arqos), .m_arvalid(m_arvalid),
		.m_arready(m_arready), .m_rdata(m_rdata), .m_rresp(m_rresp),
		.m_rlast(m_rlast), .m_rvalid(m_rvalid), .m_rready(m_rready));

	fe_dma_axi #(.AXCACHE(AXCACHE), .AXPROT(AXPROT)) u_wr (
		.clk(clk), .rst(rst), .hold(hold), .quiet(quiet_w),
		.c_req(c_req & c_write), .c_write(2'b11), .c_addr(c_addr), .c_len(c_len),
		.c_done(done_w), .c_err(err_w), .c_gnt(w_gnt),
		.rd_valid(), .rd_data(), .rd_lane(), .rd_n(), .wr_pull(wr_pull), .wr_n(wr_n), .c_wdata(c_wdata), .c_wrot(c_wrot),
		.m_awaddr(m_awaddr), .m_awlen(m_awlen), .m_awsize(m_awsize),
		.m_awburst(m_awburst), .m_awlock(m_awlock), .m_awcache(m_awcache),
		.m_awprot(m_awprot), .m_awqos(m_awqos), .m_awvalid(m_awvalid),
		.m_awready(m_awready), .m_wdata(m_wdata), .m_wstrb(m_wstrb),
		.m_wlast(m_wlast), .m_wvalid(m_wvalid), .m_wready(m_wready),
		.m_bresp(m_bresp), .m_bvalid(m_bvalid), .m_bready(m_bready),
		.m_araddr(), .m_arlen(), .m_arsize(), .m_arburst(), .m_arlock(),
		.m_arcache(), .m_arprot(), .m_arqos(), .m_arvalid(), .m_arready(1'b0),
		.m_rdata(32'h0), .m_rresp(2'b00), .m_rlast(1'b0), .m_rvalid(1'b0),
		.m_rready());
	/* verilator lint_on PINCONNECTEMPTY */
endmodule
`default_nettype wire
