// SPDX-License-Identifier: GPL-2.0
// fe_mdio: clause-22 MDIO master (programming model, MDIO).
//
// A command (start pulse, op 1 = write, 2 = read; the register file starts
// nothing for op 0 and 3) sends one 64-bit management frame: 32 preamble
// ones, ST 01, OP, PHYAD, REGAD (MSB first), TA (10 on a write; on a read
// the master lets go and the PHY drives 0), 16 data bits.  MDC =
// clk / (2 * (div + 1)), div sampled at start.  The master changes MDIO
// while MDC is low and samples read data at MDC's rising edge (the PHY
// drives each bit after the previous rising edge).  busy is 1 from start
// to the end of the frame, when done pulses (rdata holds a read's data; a
// PHY that does not answer leaves the pulled-up line: 0xffff).
`default_nettype none
module fe_mdio (
	input  wire        clk,
	input  wire        rst,
	input  wire        start,
	input  wire [1:0]  op,
	input  wire [4:0]  phyad,
	input  wire [4:0]  regad,
	input  wire [15:0] wdata,
	input  wire [7:0]  div,
	output reg         busy,
	output reg         done,
	output reg  [15:0] rdata,
	// pins (MDIO is open drain with a pull-up: mdio_oe drives mdio_o)
	output reg         mdc,
	output reg         mdio_o,
	output reg         mdio_oe,
	input  wire        mdio_i
);
	reg  [7:0]  hdiv, hcnt;   // half period - 1, and its counter
	reg  [5:0]  bitn;         // bit of the frame being sent, 0 .. 63
	reg  [31:0] sr;           // bits 32 .. 63 to send, MSB first
	reg         rd;

	always @(posedge clk) begin
		done <= 1'b0;
		if (rst) begin
			busy <= 1'b0;
			mdc <= 1'b0;
			mdio_o <= 1'b1;
			mdio_oe <= 1'b0;
			rdata <= 16'h0;
		end else if (!busy) begin
			if (start && (op == 2'd1 || op == 2'd2)) begin
				busy <= 1'b1;
				rd <= op == 2'd2;
				hdiv <= div;
				hcnt <= 8'h0;
				bitn <= 6'd0;
				mdc <= 1'b0;
				mdio_o <= 1'b1;
				mdio_oe <= 1'b1;
				// ST, OP, PHYAD, REGAD, TA, data
				sr <= {2'b01, op, phyad, regad, 2'b10, wdata};
			end
		end else if (hcnt != hdiv) begin
			hcnt <= hcnt + 8'd1;
		end else begin
			hcnt <= 8'h0;
			mdc <= !mdc;
			if (!mdc) begin
				// rising edge: a read samples the data bits
				if (rd && bitn >= 6'd48)
					rdata <= {rdata[14:0], mdio_i};
			end else begin
				// falling edge: the next bit
				bitn <= bitn + 6'd1;
				if (bitn == 6'd63) begin
					busy <= 1'b0;
					done <= 1'b1;
					mdio_oe <= 1'b0;
					mdio_o <= 1'b1;
				end else if (bitn >= 6'd31) begin
					mdio_o <= sr[31];
					sr <= {sr[30:0], 1'b0};
					// a read lets go of the line from TA on
					if (rd && bitn == 6'd45)
						mdio_oe <= 1'b0;
				end
			end
		end
	end
endmodule
`default_nettype wire
