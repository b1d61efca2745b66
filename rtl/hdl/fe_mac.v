// SPDX-License-Identifier: GPL-2.0
// fe_mac: the MAC: fe_mac_tx and fe_mac_rx on one 8-bit GMII (1 Gb/s, one
// clock: the GMII TX clock; the RX side is sampled in the same domain for
// now, see rtl/README.md), internal loopback and the pause timer.
//
// Loopback (CTRL.LOOPBACK): the transmitter's GMII output feeds the
// receiver instead of the line, and nothing goes to the line.  Receive is
// enabled while rx_en and (link_up or loopback); in loopback frames from the
// line are ignored.
//
// Pause: a received pause frame (with rx_pause_en) holds the transmitter's
// data frames, between frames, for quanta x 512 bit times at the speed in
// MAC_CFG (a new pause frame replaces the remaining time, quanta 0 ends the
// hold); the timer runs on clk, CLK_MHZ MHz, so a quantum is
// 512 bit times * CLK_MHZ cycles per microsecond / speed in Mb/s, counting
// the clocks with time_en high (a board ties it high; co-simulation raises
// it on clocks of virtual time only).  pause_due: time_en clocks until the
// hold ends (all ones without one).
`default_nettype none
`include "fe_defs.vh"
module fe_mac #(
	parameter CLK_MHZ = 125
) (
	input  wire        clk,
	input  wire        rst,
	// configuration (from the register file)
	input  wire        rx_en,
	input  wire        link_up,
	input  wire        loopback,
	input  wire        promisc,
	input  wire        allmulti,
	input  wire        rx_pause_en,
	input  wire [1:0]  speed,          // MAC_CFG.SPEED
	input  wire [47:0] station_addr,
	input  wire [63:0] mc_hash,
	input  wire [15:0] max_frame_len,
	input  wire [15:0] pause_quanta,
	input  wire        xoff_req,
	input  wire        xon_req,
	input  wire        time_en,        // time passes on this clock
	// frames to send
	input  wire        tx_tvalid,
	input  wire [7:0]  tx_tdata,
	input  wire        tx_tlast,
	output wire        tx_tready,
	// frames received (m_tuser at m_tlast: drop)
	output wire        rx_tvalid,
	output wire [7:0]  rx_tdata,
	output wire        rx_tlast,
	output wire        rx_tuser,
	// GMII
	output wire [7:0]  gmii_txd,
	output wire        gmii_tx_en,
	output wire        gmii_tx_er,
	input  wire [7:0]  gmii_rxd,
	input  wire        gmii_rx_dv,
	input  wire        gmii_rx_er,
	// status
	output wire        tx_paused,
	output wire [31:0] pause_due,
	output wire        tx_underrun,
	// statistics
	output wire [`ST_NUM - 1:0] stat_inc,
	output wire [15:0] stat_tx_octets,
	output wire [15:0] stat_rx_octets
);
	wire [7:0] txd;
	wire       tx_en, tx_er;
	wire [`ST_NUM - 1:0] tx_inc, rx_inc;
	wire       pause_valid;
	wire [15:0] pause_q;

	fe_mac_tx u_tx (
		.clk(clk), .rst(rst),
		.s_tvalid(tx_tvalid), .s_tdata(tx_tdata), .s_tlast(tx_tlast),
		.s_tready(tx_tready),
		.station_addr(station_addr), .pause_quanta(pause_quanta),
		.xoff_req(xoff_req), .xon_req(xon_req), .pause_hold(tx_paused),
		.gmii_txd(txd), .gmii_tx_en(tx_en), .gmii_tx_er(tx_er),
		.stat_inc(tx_inc), .stat_octets(stat_tx_octets),
		.underrun(tx_underrun));

	assign gmii_txd = loopback ? 8'h00 : txd;
	assign gmii_tx_en = loopback ? 1'b0 : tx_en;
	assign gmii_tx_er = loopback ? 1'b0 : tx_er;

	fe_mac_rx u_rx (
		.clk(clk), .rst(rst),
		.gmii_rxd(loopback ? txd : gmii_rxd),
		.gmii_rx_dv(loopback ? tx_en : gmii_rx_dv),
		.gmii_rx_er(loopback ? tx_er : gmii_rx_er),
		.rx_enable(rx_en && (link_up || loopback)),
		.station_addr(station_addr), .mc_hash(mc_hash),
		.promisc(promisc), .allmulti(allmulti), .rx_pause_en(rx_pause_en),
		.max_frame_len(max_frame_len),
		.m_tvalid(rx_tvalid), .m_tdata(rx_tdata), .m_tlast(rx_tlast),
		.m_tuser(rx_tuser),
		.pause_valid(pause_valid), .pause_quanta(pause_q),
		.stat_inc(rx_inc), .stat_octets(stat_rx_octets));

	assign stat_inc = tx_inc | rx_inc;

	// pause timer: quanta left, and cycles left of the current quantum
	localparam [23:0] Q1000 = 24'd64 * CLK_MHZ / 125;   // 512 bits at 1 Gb/s
	localparam [23:0] Q100 = 24'd640 * CLK_MHZ / 125;
	localparam [23:0] Q10 = 24'd6400 * CLK_MHZ / 125;
	reg  [15:0] quanta_left;
	reg  [23:0] cycles_left;
	wire [23:0] per_quantum = speed == 2'd0 ? Q10 : speed == 2'd1 ? Q100 : Q1000;

	always @(posedge clk) begin
		if (rst) begin
			quanta_left <= 16'h0;
			cycles_left <= 24'h0;
		end else if (pause_valid) begin
			quanta_left <= pause_q;
			cycles_left <= per_quantum - 24'd1;
		end else if (quanta_left != 16'h0 && time_en) begin
			if (cycles_left == 24'h0) begin
				quanta_left <= quanta_left - 16'd1;
				cycles_left <= per_quantum - 24'd1;
			end else
				cycles_left <= cycles_left - 24'd1;
		end
	end
	assign tx_paused = quanta_left != 16'h0;
	// the current quantum's cycles, then the whole ones after it
	wire [39:0] due40 = {24'h0, quanta_left - 16'd1} * {16'h0, per_quantum} +
			    {16'h0, cycles_left} + 40'd1;
	assign pause_due = !tx_paused ? 32'hffffffff :
			   |due40[39:32] ? 32'hfffffffe : due40[31:0];
endmodule
`default_nettype wire
