// SPDX-License-Identifier: GPL-2.0
// fe_rx_parse: the receive header parser, the RSS hash and the RX checksum
// of one frame as its bytes stream in (programming model, "RSS" and "RX
// write-back"), one byte a cycle at most, in the receiver's clock domain.
//
// The stream is the frame without FCS (rx_* of fe_mac: at least 60 bytes;
// the parser takes any length).
// Offsets count from the destination address.  The parser looks at the
// type (bytes 12-13) and the IP version nibble (byte 14), then:
//   IPv4 (0x0800, version 4): IHL (byte 14), the fragment word (20-21: MF
//     or an offset not 0 is a fragment), the protocol (23); the hash input
//     is the addresses (26-33), then the ports at 14 + 4 x IHL when the
//     protocol is 6 or 17, IHL >= 5 and not a fragment;
//   IPv6 (0x86dd, version 6): the Next Header (20); addresses (22-53), then
//     the ports at 54 when the Next Header is 6 or 17;
//   anything else (VLAN tags included): no hash.
// Each hash input byte goes through fe_toeplitz as it arrives (the key is
// loaded at the frame's first byte; fe_toeplitz registers its inputs, so
// its hash includes a byte from the second clock after it); the hash of
// the addresses alone is kept on the clock after the first port byte
// (a_cap), so a frame that ends before its fourth port byte hashes as
// type 1 with the addresses' hash.  fe_csum16
// sums every byte from offset 14 on, from its inputs registered once more
// (the stream's register may sit far from the adder: timing, rtl/README.md
// "Synthesis").  The results are those of the whole frame: htype from the
// cycle after its last byte (rx_tlast), hash from the second cycle after
// it, both until the next frame's first byte; sum from the second cycle
// after its last byte until the second cycle after the next frame's
// first; so all three hold together on that second cycle when frames
// leave a cycle or more between them (fe_mac leaves 20 at least: the gap
// and the preamble).
`default_nettype none
module fe_rx_parse (
	input  wire         clk,
	input  wire         rst,
	input  wire [319:0] key,       // RSS_KEY0-9 (key byte n in [8n +: 8])
	input  wire         rx_tvalid,
	input  wire [7:0]   rx_tdata,
	input  wire         rx_tlast,
	output wire [31:0]  hash,      // RSS_HASH (0 with htype 0)
	output wire [1:0]   htype,     // HASH_TYPE: 0 none, 1 addresses, 2 + ports
	output wire [15:0]  sum        // sum of bytes 14 to the end (CSUM)
);
	// off: offset of the byte on rx_tdata, saturating at 127 (every field
	// and the ports' last byte, 14 + 4 x 15 + 3 = 77, are below it)
	reg  [6:0]  off;
	reg  [7:0]  type_hi, type_lo;
	reg         v4, v6;            // IPv4 / IPv6 with the right version
	reg  [3:0]  ihl;
	reg         frag, l4;          // IPv4 fragment; protocol / NH is TCP or UDP
	reg  [2:0]  nport;             // port bytes hashed
	reg  [31:0] hash_a;            // hash of the addresses alone
	reg         a_cap;             // th is it: the clock after the first port byte
	wire [31:0] th;

	// Timing (rtl/README.md, "Synthesis"): what the byte on rx_tdata is
	// (the first, in the sum, an address byte, a port byte) is a register
	// set a byte ahead from off, so that no compare of the offset sits
	// between a register and the Toeplitz window's 320 clock enables or the
	// sum's adders.  Each flag equals the compare of the byte's own offset
	// it replaces: a byte ahead of offset o is offset o - 1 without
	// rx_tlast (after rx_tlast the next byte is offset 0); the fields the
	// flags read settle by offset 24 (v4, v6, ihl at 14, frag and l4 by 23),
	// and the ports start at 34 at the earliest (IHL >= 5) or 54 (IPv6).
	reg         first_b;           // offset 0 (after reset or rx_tlast)
	reg         in_sum;            // offset >= 14
	reg         in_addr;           // IPv4 26-33, IPv6 22-53
	reg         in_port;           // one of the 4 port bytes
	reg  [6:0]  po_m1;             // the ports' offset - 1: 13 + 4 x IHL, or 53
	wire        ports_ok = v6 ? l4 : (v4 && l4 && !frag && ihl >= 4'd5);
	wire        first = rx_tvalid && first_b;
	wire        is_l4 = rx_tdata == 8'd6 || rx_tdata == 8'd17;

	fe_toeplitz u_hash (
		.clk(clk), .rst(rst), .key(key), .load(first_b), .start(first),
		.en(rx_tvalid && (in_addr || in_port)), .d(rx_tdata), .hash(th));
	reg         sum_clr, sum_en;
	wire [7:0]  sum_d;
	always @(posedge clk) begin
		sum_clr <= first;
		sum_en <= rx_tvalid && in_sum;
	end
	// the byte for the adders, a register of their own: fe_dma_rx's delay
	// line has one alike (its next stage), and yosys merged the two, so
	// that one flip-flop served the adders and the FIFO's side (timing:
	// rtl/README.md, "Synthesis")
	fe_keep_reg #(.W(8)) u_sum_d (.clk(clk), .rst(1'b0), .d(rx_tdata), .q(sum_d));
	fe_csum16 u_sum (
		.clk(clk), .rst(rst), .clear(sum_clr),
		.en(sum_en), .d(sum_d), .sum(sum),
		/* verilator lint_off PINCONNECTEMPTY */
		.csum());
		/* verilator lint_on PINCONNECTEMPTY */

	always @(posedge clk) begin
		a_cap <= rx_tvalid && in_port && nport == 3'h0;
		if (a_cap)
			hash_a <= th;
	end

	always @(posedge clk) begin
		po_m1 <= v4 ? 7'd13 + {1'b0, ihl, 2'b00} : 7'd53;
		if (rst) begin
			off <= 7'h0;
			first_b <= 1'b1;
			in_sum <= 1'b0;
			in_addr <= 1'b0;
			in_port <= 1'b0;
			v4 <= 1'b0;
			v6 <= 1'b0;
			nport <= 3'h0;
		end else if (rx_tvalid) begin
			off <= rx_tlast ? 7'h0 : off + {6'h0, off != 7'h7f};
			first_b <= rx_tlast;
			in_sum <= !rx_tlast && off >= 7'd13;
			in_addr <= !rx_tlast && ((v4 && off >= 7'd25 && off <= 7'd32) ||
						  (v6 && off >= 7'd21 && off <= 7'd52));
			in_port <= !rx_tlast && ports_ok &&
				   (off == po_m1 || (in_port && nport != 3'd3));
			case (off)
			7'd0: begin
				v4 <= 1'b0;
				v6 <= 1'b0;
				nport <= 3'h0;
			end
			7'd12: type_hi <= rx_tdata;
			7'd13: type_lo <= rx_tdata;
			7'd14: begin
				v4 <= {type_hi, type_lo} == 16'h0800 && rx_tdata[7:4] == 4'h4;
				v6 <= {type_hi, type_lo} == 16'h86dd && rx_tdata[7:4] == 4'h6;
				ihl <= rx_tdata[3:0];
			end
			7'd20: begin
				frag <= rx_tdata[5] || rx_tdata[4:0] != 5'h0;   // MF, offset
				l4 <= is_l4;                                      // IPv6 NH
			end
			7'd21: frag <= frag || rx_tdata != 8'h0;
			7'd23: if (v4) l4 <= is_l4;                           // IPv4 protocol
			default: ;
			endcase
			if (in_port)
				nport <= nport + 3'h1;
		end
	end

	assign htype = !(v4 || v6) ? 2'd0 : nport == 3'd4 ? 2'd2 : 2'd1;
	assign hash = !(v4 || v6) ? 32'h0 : nport == 3'd4 || nport == 3'd0 ? th : hash_a;
endmodule
`default_nettype wire
