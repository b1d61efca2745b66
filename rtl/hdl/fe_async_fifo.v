// SPDX-License-Identifier: GPL-2.0
// fe_async_fifo: a FIFO between two clock domains (for the GMII RX clock to
// the core clock, and later the engines' frame FIFOs).  Gray-coded
// pointers cross through two flip-flops each way; full and empty are
// computed from the local pointer and the synchronised remote one, so they
// are conservative (full may stay set, empty may stay set, a few cycles
// longer than needed), never optimistic.  First-word fall-through: r_data
// shows the head while r_valid, from a register (r_q) that reads the
// memory (distributed RAM on an FPGA) every rclk at the head's address, or
// the next one's on a pop: so the reader's logic starts at a flip-flop,
// not at the memory's read port (timing: rtl/README.md, "Synthesis").  An
// entry is written, then its pointer crosses (wgray, two flip-flops), so
// it has sat in the memory a whole rclk at least when r_q first takes it
// on the clock r_valid rises, as the reader took it before.  Depth 2^AW.  Each side has its own
// reset, asynchronous (a side whose clock stopped still clears the pointer
// the other side samples): assert both together, release each in step
// with its clock (fe_rst_sync).  The Gray pointers change one bit a clock,
// so their synchronisers see an old or a new value, never a mix; the
// first flip-flops (rgray_w1, wgray_r1) want a max-delay constraint of
// one period of the destination clock (rtl/synth/fe_cdc.xdc).
`default_nettype none
module fe_async_fifo #(
	parameter DW = 9,
	parameter AW = 4
) (
	input  wire          wclk,
	input  wire          wrst,
	input  wire          w_valid,
	input  wire [DW-1:0] w_data,
	output wire          w_ready,   // not full
	input  wire          rclk,
	input  wire          rrst,
	output wire          r_valid,   // not empty
	output wire [DW-1:0] r_data,
	input  wire          r_ready
);
	reg  [DW-1:0] mem [0:(1 << AW) - 1];
	reg  [AW:0]   wbin, wgray, rgray;
	reg  [AW - 1:0] rbin;               // the head's address
	reg  [AW:0]   rgray_w1, rgray_w2;   // rgray in wclk's domain
	reg  [AW:0]   wgray_r1, wgray_r2;   // wgray in rclk's domain

	function automatic [AW:0] gray(input [AW:0] b);
		gray = b ^ (b >> 1);
	endfunction

	// write side.  The write is registered (timing: w_valid, often the end
	// of a long decision, drove the memory's write enables, one per 4 bits
	// of each 16 words, through the address decode): a push goes into
	// wq_* and the memory at the next wclk, when wgray, the pointer the
	// read side samples, moves too (as before, on the clock of the memory
	// write).  w_ready counts the push at once (wgray_l), so the write
	// side is as before clock for clock; the read side sees each entry
	// one wclk later.
	reg  [AW:0]   wgray_l;              // gray(wbin): the pushes so far
	reg           wq_valid;
	reg  [AW - 1:0] wq_addr;
	reg  [DW-1:0] wq_data;
	// w_ready is a flip-flop: wgray_l after the clock (with or without
	// this clock's push: both compares run beside the writer's decision)
	// against rgray_w2 (the synchronised pointer, a clock older then: full
	// may stay set a clock longer), so that the writer's decision starts
	// at a flip-flop (timing: fe_dma_rx's lq_push)
	reg           w_ready_q;
	assign w_ready = w_ready_q;
	wire   push = w_valid && w_ready;
	wire [AW:0] wbin_next = wbin + {{AW{1'b0}}, 1'b1};
	wire [AW:0] rfull = {~rgray_w2[AW:AW - 1], rgray_w2[AW - 2:0]};
	wire   ready_push = gray(wbin_next) != rfull;
	wire   ready_stay = wgray_l != rfull;
	// wq_addr and wq_data are taken at every clock, push or not: only
	// wq_valid says whether they are written (timing: no clock enable from
	// push, the end of the writer's decision, on the data's flip-flops)
	always @(posedge wclk) begin
		wq_addr <= wbin[AW - 1:0];
		wq_data <= w_data;
		if (wq_valid)
			mem[wq_addr] <= wq_data;
	end
	always @(posedge wclk or posedge wrst) begin
		if (wrst) begin
			wbin <= {(AW + 1){1'b0}};
			wgray_l <= {(AW + 1){1'b0}};
			wgray <= {(AW + 1){1'b0}};
			wq_valid <= 1'b0;
			w_ready_q <= 1'b1;
			rgray_w1 <= {(AW + 1){1'b0}};
			rgray_w2 <= {(AW + 1){1'b0}};
		end else begin
			rgray_w1 <= rgray;
			rgray_w2 <= rgray_w1;
			wq_valid <= push;
			w_ready_q <= push ? ready_push : ready_stay;
			wgray <= wgray_l;
			if (push) begin
				wbin <= wbin_next;
				wgray_l <= gray(wbin_next);
			end
		end
	end

	// read side.  r_valid is a flip-flop (timing: the reader's pop
	// chooses r_q's address): the read pointer after the clock against
	// wgray_r2 (a clock older then: empty may stay set a clock longer,
	// never shorter; wgray_r1 still feeds only wgray_r2).  The next read
	// pointer is a register too (rbin_next, rbin + 1): no adder between
	// rbin and the memory's read address (timing: rtl/README.md,
	// "Synthesis", fe_mac's loopback FIFO at e1db632)
	reg  [DW-1:0] r_q;
	reg           r_valid_q;
	reg  [AW:0]   rbin_next;
	assign r_valid = r_valid_q;
	assign r_data = r_q;
	wire   pop = r_valid && r_ready;
	wire [AW:0] rgray_n = pop ? gray(rbin_next) : rgray;
	wire [AW - 1:0] raddr = pop ? rbin_next[AW - 1:0] : rbin;
	always @(posedge rclk)
		r_q <= mem[raddr];
	always @(posedge rclk or posedge rrst) begin
		if (rrst) begin
			rbin <= {AW{1'b0}};
			rbin_next <= {{AW{1'b0}}, 1'b1};
			rgray <= {(AW + 1){1'b0}};
			wgray_r1 <= {(AW + 1){1'b0}};
			wgray_r2 <= {(AW + 1){1'b0}};
			r_valid_q <= 1'b0;
		end else begin
			wgray_r1 <= wgray;
			wgray_r2 <= wgray_r1;
			r_valid_q <= rgray_n != wgray_r2;
			if (pop) begin
				rbin <= rbin_next[AW - 1:0];
				rbin_next <= rbin_next + {{AW{1'b0}}, 1'b1};
			end
			rgray <= rgray_n;
		end
	end
endmodule
`default_nettype wire
