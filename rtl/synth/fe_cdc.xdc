# SPDX-License-Identifier: GPL-2.0
# Timing constraints for fe_core's clock domain crossing, XDC (Vivado)
# syntax, for a user's project.  UNTESTED: no tool of this repository reads
# XDC (Yosys does no Xilinx timing, Vivado is not part of the project);
# the cell names follow the RTL's register names as Vivado names them
# (NAME_reg), with the hierarchy kept; adjust them if the design is
# flattened or renamed.
#
# The three clocks: clk (the core: AXI4-Lite, the DMA master), tx_clk
# (GMII TX: the transmitter, GTX_CLK) and gmii_rx_clk (the PHY's RX_CLK).
# Checked (names, syntax; not timing) by rtl/synth/check-xdc.  Replace the
# ports and periods with the board's (125 MHz for tx_clk and gmii_rx_clk at
# 1 Gb/s; the core at 62.5 MHz or more, 16 ns here).
create_clock -period 16.000 -name fe_clk [get_ports clk]
create_clock -period 8.000 -name fe_tx_clk [get_ports tx_clk]
create_clock -period 8.000 -name fe_rx_clk [get_ports gmii_rx_clk]
# RGMII (PHY_IF 1): the receive clock is RXC instead (25 / 2.5 MHz at
# 100 / 10 Mb/s: the 8 ns covers them); with TXC_CLK90 1, clk90 comes from
# the same MMCM as tx_clk (a generated clock there, nothing to add here):
#   create_clock -period 8.000 -name fe_rx_clk [get_ports rgmii_rxc]
# MII (PHY_IF 2): RX_CLK on gmii_rx_clk (40 ns at 100 Mb/s), and TX_CLK
# only sampled by tx_clk through fe_mii's two flip-flops:
#   create_clock -period 40.000 -name fe_rx_clk [get_ports gmii_rx_clk]
#   set_property ASYNC_REG TRUE [get_cells -hier -regexp {.*/tcs_reg\[[01]\]}]
#   set_false_path -from [get_ports mii_tx_clk]
#   (and set_max_delay of 16 ns from tx_clk to the TXD pins: fe_mii.v)

# Every path between them goes through one of the crossings of
# rtl/README.md ("Clock domains"):
#   fe_async_fifo  Gray pointers wgray -> wgray_r1, rgray -> rgray_w1, and
#                  the distributed RAM (written on one clock, read
#                  asynchronously on the other);
#   fe_cdc_bus     req -> req_d[0], req_d[2] -> ack_s[0], hold -> d_data;
#   fe_cdc_pulse   t -> t_d[0];
#   fe_dma_rx      the RX FIFO's block RAM (each port on its own clock).
# None may be cut entirely (set_clock_groups would let the Gray pointers'
# bits skew apart and hold arrive after req): bound them by the shorter
# destination period, data path only, as Xilinx's XPM CDC macros do.
set_max_delay -datapath_only -from [get_clocks fe_clk] -to [get_clocks fe_rx_clk] \
	[get_property PERIOD [get_clocks fe_rx_clk]]
set_max_delay -datapath_only -from [get_clocks fe_rx_clk] -to [get_clocks fe_clk] \
	[get_property PERIOD [get_clocks fe_clk]]
set_max_delay -datapath_only -from [get_clocks fe_clk] -to [get_clocks fe_tx_clk] \
	[get_property PERIOD [get_clocks fe_tx_clk]]
set_max_delay -datapath_only -from [get_clocks fe_tx_clk] -to [get_clocks fe_clk] \
	[get_property PERIOD [get_clocks fe_clk]]
# (loopback: the transmitter's bytes into the receiver through fe_mac's
# u_lb fe_async_fifo, its read pointer back; with RGMII fe_rgmii's u_speed
# handshake, tx_clk to RXC and its acknowledge back)
set_max_delay -datapath_only -from [get_clocks fe_tx_clk] -to [get_clocks fe_rx_clk] \
	[get_property PERIOD [get_clocks fe_rx_clk]]
set_max_delay -datapath_only -from [get_clocks fe_rx_clk] -to [get_clocks fe_tx_clk] \
	[get_property PERIOD [get_clocks fe_tx_clk]]

# The first flip-flop of each synchroniser: ASYNC_REG keeps the pair
# together in one slice and tells the tools to expect metastability.
set_property ASYNC_REG TRUE [get_cells -hier -regexp {.*/(wgray_r1|wgray_r2|rgray_w1|rgray_w2)_reg.*}]
set_property ASYNC_REG TRUE [get_cells -hier -regexp {.*/(req_d|ack_s|t_d)_reg.*}]

# The resets into gmii_rx_clk's and tx_clk's domains (fe_rst_sync:
# fe_mac's u_rx_rst and u_tx_rst, also the PHY interface's, fe_core's
# u_rx_rst_dma for the RX engine): asserted
# asynchronously from clk's domain, released on their clock; their preset
# pins need no timing, their flip-flops are synchronisers.
set_property ASYNC_REG TRUE [get_cells -hier -regexp {(.*/)?u_(rx_rst(_dma)?|tx_rst)/r_reg.*}]
set_false_path -to [get_pins -hier -regexp {(.*/)?u_(rx_rst(_dma)?|tx_rst)/r_reg.*/PRE}]

# phy_link is an asynchronous input, synchronised in fe_core (link_sync).
set_property ASYNC_REG TRUE [get_cells -hier -regexp {(.*/)?link_sync_reg.*}]
set_false_path -from [get_ports phy_link]
