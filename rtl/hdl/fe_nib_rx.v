// SPDX-License-Identifier: GPL-2.0
// fe_nib_rx: received nibbles (MII, RGMII at 10/100 Mb/s: one nibble a
// clock, the first of a byte in its low half) to GMII bytes with a byte
// enable: ce is high one clock in two and the byte, dv and er hold between.
//
// A frame's first nibble (dv rising) is a byte's low half.  A PHY may lose
// a preamble nibble (802.3 clause 22), which would put every byte a nibble
// off: until the SFD, a 0xd nibble in a low half ends the preamble at once
// (the byte 0xd5 with the 0x5 before it), so the frame's bytes are aligned
// on the SFD.  A nibble left over at the end (dribble) is dropped.  Between
// frames a byte time (ce, dv 0) passes every second clock.  er of either
// nibble marks the byte.
`default_nettype none
module fe_nib_rx (
	input  wire       clk,
	input  wire       rst,
	input  wire [3:0] nib,
	input  wire       dv,
	input  wire       er,
	output reg  [7:0] rxd,
	output reg        rx_dv,
	output reg        rx_er,
	output reg        ce
);
	reg  [3:0] lo;
	reg        lo_er;
	reg        half;      // a low nibble is held
	reg        sfd;       // the SFD has passed (in a frame)
	reg        idle_ph;   // between frames: a byte time each second clock

	always @(posedge clk) begin
		ce <= 1'b0;
		if (dv) begin
			idle_ph <= 1'b0;
			if (!half && !sfd && nib == 4'hd) begin
				// the SFD in a low half: a nibble was lost
				rxd <= 8'hd5;
				rx_dv <= 1'b1;
				rx_er <= er;
				ce <= 1'b1;
				sfd <= 1'b1;
			end else if (half) begin
				rxd <= {nib, lo};
				rx_dv <= 1'b1;
				rx_er <= er || lo_er;
				ce <= 1'b1;
				half <= 1'b0;
				if ({nib, lo} == 8'hd5)
					sfd <= 1'b1;
			end else begin
				lo <= nib;
				lo_er <= er;
				half <= 1'b1;
			end
		end else begin
			half <= 1'b0;
			sfd <= 1'b0;
			idle_ph <= !idle_ph;
			ce <= idle_ph;
			rxd <= 8'h00;
			rx_dv <= 1'b0;
			rx_er <= 1'b0;
		end
		if (rst) begin
			half <= 1'b0;
			sfd <= 1'b0;
			idle_ph <= 1'b0;
			ce <= 1'b0;
			rx_dv <= 1'b0;
			rx_er <= 1'b0;
		end
	end
endmodule
`default_nettype wire
