// SPDX-License-Identifier: GPL-2.0
// fe_tx_line: the frame to send, from the core clock (clk) to the
// transmitter's clock (tx_clk), and from rows to bytes.
//
// On clk the DMA side delivers a frame (destination address to the end of
// the payload, no FCS) as rows of 32 bits: the row's bytes are lanes
// s_tlo..s_thi of s_tdata (lane i at [8i +: 8]) in frame order, s_tlast on
// the row with the frame's last byte (at lane s_thi).  A row a clk keeps up
// with the line from a core clock of half the line's byte rate (62.5 MHz
// for 1 Gb/s): so the core clock need not be 125 MHz.
//
// The rows cross in an fe_async_fifo (16 rows, first-word fall-through;
// s_tready is its w_ready, a flip-flop).  On tx_clk the head row is handed
// to fe_mac_tx a byte at a time, m_t* (m_tready is fe_mac_tx's s_tready,
// which has its byte enable in it), the row popped with its last byte.
// lane is the next byte's lane within the head row once one of its bytes
// went (in_row), else the row's first lane: m_tdata is a 4:1 choice
// between flip-flops (the FIFO's r_q) chosen by flip-flops.
//
// Underrun: the source stores and forwards, but may still pause between
// rows; when no row is there mid-frame, fe_mac_tx ends the frame with
// tx_er (its underrun pulse).  The rest of that frame still comes: from
// the pulse on, the rows are popped unseen (drop) up to and including the
// one with s_tlast, whenever they arrive, so that the next frame starts
// clean.  The head row was then used up (the FIFO was empty: in_row is
// clear), and fe_mac_tx, in its IFG, takes nothing in the clock between
// its underrun and drop.
//
// Resets: rst on clk, tx_rst (rst through fe_rst_sync) on tx_clk; both
// reach the FIFO's pointers asynchronously (fe_async_fifo).
`default_nettype none
module fe_tx_line (
	input  wire        clk,
	input  wire        rst,
	// rows on clk
	input  wire        s_tvalid,
	input  wire [31:0] s_tdata,
	input  wire [1:0]  s_tlo,
	input  wire [1:0]  s_thi,
	input  wire        s_tlast,
	output wire        s_tready,
	// bytes on tx_clk, to fe_mac_tx
	input  wire        tx_clk,
	/* verilator lint_off SYNCASYNCNET */
	input  wire        tx_rst,
	/* verilator lint_on SYNCASYNCNET */
	output wire        m_tvalid,
	output wire [7:0]  m_tdata,
	output wire        m_tlast,
	input  wire        m_tready,
	input  wire        underrun       // fe_mac_tx cut the frame
);
	wire        r_valid;
	wire [31:0] r_data;
	wire [1:0]  r_lo, r_hi;
	wire        r_last;
	reg         in_row, drop;
	reg  [1:0]  lane;

	wire [1:0]  cur = in_row ? lane : r_lo;
	wire        row_end = cur == r_hi;
	wire        take = m_tvalid && m_tready;
	wire        pop = drop ? r_valid : take && row_end;

	fe_async_fifo #(.DW(37), .AW(4)) u_rows (
		.wclk(clk), .wrst(rst), .w_valid(s_tvalid),
		.w_data({s_tlast, s_thi, s_tlo, s_tdata}), .w_ready(s_tready),
		.rclk(tx_clk), .rrst(tx_rst), .r_valid(r_valid),
		.r_data({r_last, r_hi, r_lo, r_data}), .r_ready(pop));

	assign m_tvalid = r_valid && !drop;
	assign m_tdata = r_data[8 * cur +: 8];
	assign m_tlast = r_last && row_end;

	always @(posedge tx_clk) begin
		if (take) begin
			in_row <= !row_end;
			lane <= cur + 2'd1;
		end
		if (underrun)
			drop <= 1'b1;
		else if (drop && r_valid && r_last)
			drop <= 1'b0;
		if (tx_rst) begin
			in_row <= 1'b0;
			drop <= 1'b0;
		end
	end
endmodule
`default_nettype wire
