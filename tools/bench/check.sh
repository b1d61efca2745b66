#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of tools/bench/check: fpgaeth's interrupt moderation asserted
# in deterministic guest time (the guest runs under -icount shift=0,sleep=off
# with one CPU, as the bench's: one instruction is one virtual nanosecond,
# so interrupt counts and RTTs do not depend on the host's load).  The pair
# is the bench's (A in the root netns, B in netns bench-fpgaeth), the
# functions are tools/bench/guest.sh's.  KTAP on stdout, then
# "N passed, N failed, N skipped"; the figures also go to results.txt.
#
#   1. tx frames 32: static tx/rx-frames 32 (usecs 1000 as a backstop),
#      pktgen A -> B at saturation: A's interrupts at most one per
#      FRAMES_SLACK TX packets
#   2. rx frames 32: the same stream, B's interrupts per RX packet
#   3. ping RTT at idle with the static reset values (frames 1, usecs 0),
#      the reference of 5
#   4. DIM under load: a bulk TCP stream A -> B (tools/bench/tcp.py),
#      interrupts per packet of both ends with adaptive-rx/tx on at most
#      DIM_RATIO of the figure with the static reset values
#   5. DIM at idle after a load: right after test 4's stream, ping RTT with
#      adaptive-rx/tx on within RTT_RATIO of test 3's
#   6. the IRQ_STATUS clear read back before the rings are scanned: with
#      the model's irq-clear-late fault (a posted clear), no completion is
#      left without an interrupt (see t_clear_late)
#   7. the 10G option: a second pair with CAP1.SPEED_10G and a 10000 Mb/s
#      fixed-link (tools/bench/dt-10g) resolves 10 Gb/s, the driver
#      programs MAC_CFG.SPEED = 3, and 1514-byte frames leave faster than
#      a 1000 Mb/s line allows (see t_speed10g)
#   8. (always, last) no splat in the kernel log since boot: no WARN, BUG,
#      Oops, lockdep, DMA-API... report (FPGAETH_SPLAT_RE of
#      selftests/lib/ktap.sh, the scan run_tests.sh makes per program)
#
# Environment: FPGAETH_CHECK_PKTS (pktgen packets, default 16000),
# FPGAETH_CHECK_TCP_BYTES (default 8 MiB), FPGAETH_CHECK_PINGS (default 20),
# FPGAETH_CHECK_BURSTS (test 6's bursts, default 20),
# FPGAETH_CHECK_PARTS (default "frames dim clear_late speed10g": tests 1-2,
# 3-5, 6, 7),
# FPGAETH_CHECK_TRACE=1 (print the COAL registers as DIM moves them).

# the cases (t_*) and le are called by name (PARTS, ktap_check)
# shellcheck disable=SC2317
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/bench/guest.sh
. tools/bench/guest.sh

PKTS=${FPGAETH_CHECK_PKTS:-16000}
TCP_BYTES=${FPGAETH_CHECK_TCP_BYTES:-8388608}
PINGS=${FPGAETH_CHECK_PINGS:-20}
TRACE=${FPGAETH_CHECK_TRACE:-0}
CLEAR_BURSTS=${FPGAETH_CHECK_BURSTS:-20}
PARTS=${FPGAETH_CHECK_PARTS:-frames dim clear_late speed10g}
CLEAR_PKTS=200
FRAMES=32
# frames 32: at most one interrupt per 30 packets (the stream's last
# partial batch ends on the 1000 us timer; measured: one per 31.9)
FRAMES_SLACK=30
DIM_RATIO=0.5	# measured 0.15 / 0.83 (make bench, 2026-12-01)
RTT_RATIO=1.2	# issue 12's bound against virtio-net, here against DIM off

source_ktap() {
	# shellcheck source=selftests/lib/ktap.sh
	. selftests/lib/ktap.sh
}

coal_both() { # ethtool -C arguments for both ends
	ethtool -C "$A" "$@"
	in_ns "$NSB" ethtool -C "$B" "$@"
}

# the COAL registers of both ends' queue pairs (debugfs), one line
coal_regs() {
	local p dir
	for p in "$IRQA" "$IRQB"; do
		dir=/sys/kernel/debug/fpgaeth/$p
		printf '%s:' "$p"
		# "Q0_TX_COAL = 0x... FRAMES=f USECS=u": " Q0_TX=u/f"
		awk '$1 ~ /^Q[0-9]+_(TX|RX)_COAL$/ {
			f = $0; sub(/.*FRAMES=/, "", f); sub(/ .*/, "", f)
			u = $0; sub(/.*USECS=/, "", u); sub(/ .*/, "", u)
			printf " %s=%s/%s", substr($1, 1, 5), u, f }' \
			"$dir/regs" 2>/dev/null || true
		echo
	done
}
trace() { [ "$TRACE" != 1 ] || ktap_diag "$*: $(coal_regs | tr '\n' ' ')"; }

irqs_both() { echo $(($(irqs_sum "$IRQA" "$A") + $(irqs_sum "$IRQB" "$B"))); }
pkts_both() {
	echo $(($(stat_of "" "$A" tx_packets) + $(stat_of "" "$A" rx_packets) +
		$(stat_of "$NSB" "$B" tx_packets) + $(stat_of "$NSB" "$B" rx_packets)))
}

# le A B: A <= B for decimals

le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b ? a / b : 1e9 }'; }

t_frames() {
	local ia0 ib0 pa0 pb0 ia ib pa pb
	coal_both adaptive-rx off adaptive-tx off
	coal_both tx-usecs 1000 tx-frames "$FRAMES" rx-usecs 1000 rx-frames "$FRAMES"
	pg_setup "" "$A" "$MACB" "$IPB" start_xmit "$PKTS" "$IPA"
	ia0=$(irqs_sum "$IRQA" "$A") ib0=$(irqs_sum "$IRQB" "$B")
	pa0=$(stat_of "" "$A" tx_packets) pb0=$(stat_of "$NSB" "$B" rx_packets)
	pg_run "" "$A" >/dev/null
	pg "" kpktgend_0 rem_device_all
	ia=$(($(irqs_sum "$IRQA" "$A") - ia0)) ib=$(($(irqs_sum "$IRQB" "$B") - ib0))
	pa=$(($(stat_of "" "$A" tx_packets) - pa0)) pb=$(($(stat_of "$NSB" "$B" rx_packets) - pb0))
	res "$DRV" frames32 tx_irqs "$ia"
	res "$DRV" frames32 tx_packets "$pa"
	res "$DRV" frames32 rx_irqs "$ib"
	res "$DRV" frames32 rx_packets "$pb"
	ktap_diag "frames $FRAMES: A $ia interrupts for $pa TX packets, B $ib for $pb RX packets"
	ktap_check "tx frames $FRAMES: at most 1 interrupt per $FRAMES_SLACK TX packets" \
		"$ia interrupts for $pa packets" \
		test "$pa" -ge "$((PKTS * 9 / 10))" -a "$((ia * FRAMES_SLACK))" -le "$pa"
	ktap_check "rx frames $FRAMES: at most 1 interrupt per $FRAMES_SLACK RX packets" \
		"$ib interrupts for $pb packets" \
		test "$pb" -ge "$((PKTS * 9 / 10))" -a "$((ib * FRAMES_SLACK))" -le "$pb"
}

# ping_rtt: PINGS pings at 10 ms after two more, the average RTT in us.
# The two: the first frame after a load waits the load's USECS (up to
# 256 us), DIM applies its idle profile at that frame's interrupt.
ping_rtt() {
	local out avg
	ping -c 2 -i 0.01 -q "$IPB" >/dev/null
	out=$(ping -c "$PINGS" -i 0.01 -q "$IPB")
	avg=$(sed -n 's|.* = [0-9.]*/\([0-9.]*\)/.*|\1|p' <<<"$out")
	awk -v v="$avg" 'BEGIN { printf "%.1f", v * 1000 }'
}

# tcp_irqs TAG: one stream A -> B, "interrupts packets" of both ends
tcp_irqs() {
	local srv i0 p0
	in_ns "$NSB" python3 tools/bench/tcp.py server 5201 >/dev/null &
	srv=$!
	i0=$(irqs_both) p0=$(pkts_both)
	python3 tools/bench/tcp.py client "$IPB" 5201 "$TCP_BYTES" >/dev/null
	wait "$srv"
	echo "$(($(irqs_both) - i0)) $(($(pkts_both) - p0))"
}

t_dim() {
	local rtt_off rtt_on i_off p_off i_on p_on r_off r_on
	coal_both tx-usecs 0 tx-frames 1 rx-usecs 0 rx-frames 1
	rtt_off=$(ping_rtt)
	res "$DRV" ping_static rtt_avg_us "$rtt_off"
	ktap_diag "static frames 1: idle ping RTT $rtt_off us"
	ktap_check "ping at idle, static frames 1: an RTT" "no RTT" test -n "$rtt_off"
	read -r i_off p_off < <(tcp_irqs)
	r_off=$(ratio "$i_off" "$p_off")
	coal_both adaptive-rx on adaptive-tx on
	trace "DIM on"
	read -r i_on p_on < <(tcp_irqs)
	r_on=$(ratio "$i_on" "$p_on")
	trace "after the stream"
	res "$DRV" tcp_static irqs "$i_off"
	res "$DRV" tcp_static packets "$p_off"
	res "$DRV" tcp_dim irqs "$i_on"
	res "$DRV" tcp_dim packets "$p_on"
	ktap_diag "TCP: $r_off interrupts/packet static frames 1 ($i_off/$p_off), $r_on with DIM ($i_on/$p_on)"
	ktap_check "DIM under load: interrupts/packet at most $DIM_RATIO x frames 1's" \
		"$r_on against $r_off" le "$r_on" "$(awk -v r="$r_off" -v k="$DIM_RATIO" 'BEGIN { print r * k }')"
	rtt_on=$(ping_rtt)
	trace "after the pings"
	res "$DRV" ping_dim rtt_avg_us "$rtt_on"
	ktap_diag "DIM on, right after the stream: idle ping RTT $rtt_on us (static: $rtt_off us)"
	ktap_check "DIM at idle after a load: ping RTT within $RTT_RATIO x static frames 1's" \
		"$rtt_on us against $rtt_off us" \
		le "$rtt_on" "$(awk -v r="$rtt_off" -v k="$RTT_RATIO" 'BEGIN { print r * k }')"
}

irq_lost() { in_ns "$1" ethtool -S "$2" | awk '$1 == "irq_lost:" { print $2 }'; }

# A's TX packets (completions reaped), without a fork
tx_reaped() {
	local v
	read -r v <"/sys/class/net/$A/statistics/tx_packets"
	echo "$v"
}

# irq-clear-late (model fault): every W1C of IRQ_STATUS lands only at the
# port's next access, as a posted write may; a completion between the
# clear and that access is lost unless the driver reads back before it
# scans the rings.  Bursts of 64-byte frames A -> B with an interrupt per
# frame: after each, every TX completion must be reaped within 20 ms (the
# interrupt path takes microseconds; a lost one waits for the service
# check, 250-500 ms), and neither end's irq_lost (that check's count) moves.
# With the driver's read-back removed, 2 bursts gave irq_lost +1 on A.
t_clear_late() {
	local dev n sent p0 late=0 l0a l0b la lb
	coal_both adaptive-rx off adaptive-tx off
	coal_both tx-usecs 0 tx-frames 1 rx-usecs 0 rx-frames 1
	for dev in fe0 fe1; do
		$QMP qom-set "/machine/peripheral/$dev" fault irq-clear-late:0 >/dev/null
	done
	l0a=$(irq_lost "" "$A") l0b=$(irq_lost "$NSB" "$B")
	pg_setup "" "$A" "$MACB" "$IPB" start_xmit "$CLEAR_PKTS" "$IPA"
	for n in $(seq "$CLEAR_BURSTS"); do
		p0=$(tx_reaped)
		read -r _ _ sent < <(pg_run "" "$A")
		sleep 0.02
		[ $(($(tx_reaped) - p0)) = "$sent" ] || late=$((late + 1))
	done
	pg "" kpktgend_0 rem_device_all
	sleep 1
	la=$(($(irq_lost "" "$A") - l0a)) lb=$(($(irq_lost "$NSB" "$B") - l0b))
	$QMP qom-set /machine/peripheral/fe0 fault clear >/dev/null
	$QMP qom-set /machine/peripheral/fe1 fault clear >/dev/null
	res "$DRV" clear_late bursts_late "$late"
	res "$DRV" clear_late irq_lost "$((la + lb))"
	ktap_diag "irq-clear-late: $late of $CLEAR_BURSTS bursts with TX completions unreaped after 20 ms; irq_lost +$la (A) +$lb (B)"
	ktap_check "irq-clear-late: no completion lost between the IRQ_STATUS clear and the ring scan" \
		"$late bursts late, irq_lost +$la/+$lb" test "$late" = 0 -a "$la" = 0 -a "$lb" = 0
}

# MAC_CFG's SPEED field of device $1 (debugfs register dump; the device
# name: B's interface is in its netns)
mac_cfg_speed() {
	local v
	v=$(awk '$1 == "MAC_CFG" { print $3; exit }' "/sys/kernel/debug/fpgaeth/$1/regs")
	echo $((${v:-0} & 3))
}

# The 10G pair (fx0, fx1: features with CAP1.SPEED_10G, the DT edits of
# tools/bench/dt-10g): both ends report 10000 Mb/s, MAC_CFG.SPEED is 3 on
# both, and pktgen's 1514-byte frames (B's port down: they vanish at the
# hub) leave faster than 1.2 Gb/s, which a 1000 Mb/s line cannot carry
# (0.99 Gb/s of frames).  With the driver's SPEED_10000 case removed:
# MAC_CFG.SPEED 2 and the line's 0.99 Gb/s.
t_speed10g() {
	local sa sb ca cb usec sent mbps
	pair_setup fpgaeth10g "$MAC10A" "$MAC10B" fx1n 2 || {
		ktap_check "10G option: the pair" "no 10G pair" false
		return
	}
	sa=$(cat "/sys/class/net/$A/speed") sb=$(in_ns "$NSB" cat "/sys/class/net/$B/speed")
	ca=$(mac_cfg_speed "$IRQA") cb=$(mac_cfg_speed "$IRQB")
	$QMP set_link fx1n off >/dev/null
	pg_setup "" "$A" "$MACB" "$IPB" start_xmit 4000 "$IPA"
	pg "" "$A" "pkt_size 1514"
	read -r _ usec sent < <(pg_run "" "$A")
	pg "" kpktgend_0 rem_device_all
	$QMP set_link fx1n on >/dev/null
	mbps=$(awk -v n="$sent" -v u="$usec" 'BEGIN { printf "%.0f", u ? n * 1514 * 8 / u : 0 }')
	res "$DRV" speed10g speed_mbps "$sa/$sb"
	res "$DRV" speed10g mac_cfg_speed "$ca/$cb"
	res "$DRV" speed10g tx_1514_mbps "$mbps"
	ktap_diag "10G option: speed $sa/$sb Mb/s, MAC_CFG.SPEED $ca/$cb, 1514-byte frames at $mbps Mbit/s ($sent in $usec us)"
	ktap_check "10G option: 10000 Mb/s, MAC_CFG.SPEED 3 on both ends, frames faster than 1 Gb/s" \
		"speed $sa/$sb, SPEED $ca/$cb, $mbps Mbit/s" \
		test "$sa" = 10000 -a "$sb" = 10000 -a "$ca" = 3 -a "$cb" = 3 -a "$mbps" -gt 1200
}

# The whole kernel log (since boot): no splat (FPGAETH_SPLAT_RE, as
# run_tests.sh scans each program's), whatever the parts provoked.
t_splats() {
	local bad
	bad=$(kernel_log_since "" | grep -E "$FPGAETH_SPLAT_RE" || true)
	[ -z "$bad" ] || ktap_diag "$(head -n 20 <<<"$bad")"
	ktap_check "no splat in the kernel log" "$(grep -c . <<<"$bad") splat lines" \
		test -z "$bad"
}

check_main() {
	local tool t plan
	source_ktap
	: >"$OUT"
	modprobe -a pktgen
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	tools/vm/load-module
	for tool in "perf --version" "python3 tools/bench/tcp.py" "ethtool --version"; do
		$tool >/dev/null 2>&1 || true
	done
	ktap_header
	# cases per part: frames 2, dim 3, clear_late 1, speed10g 1; and t_splats
	plan=1	# t_splats
	for t in $PARTS; do
		case $t in
		frames) plan=$((plan + 2)) ;;
		dim) plan=$((plan + 3)) ;;
		clear_late | speed10g) plan=$((plan + 1)) ;;
		*) ktap_bail "unknown part $t" ;;
		esac
	done
	ktap_plan "$plan"
	pair_setup fpgaeth "$1" "$2" "$3" 1 || ktap_bail "no fpgaeth pair"
	# One queue pair: the probe meets the DIM instances the load moved
	# (with four, RSS put the ping on other queues than the stream's and
	# the check passed beside a queue left at 256 us).
	ethtool -L "$A" combined 1
	in_ns "$NSB" ethtool -L "$B" combined 1
	wait_carrier "" "$A"
	wait_carrier "$NSB" "$B"
	MAC10A=$4 MAC10B=$5
	for t in $PARTS; do
		"t_$t"
	done
	t_splats
	echo "$KTAP_PASS passed, $KTAP_FAIL failed, $KTAP_SKIP skipped"
	ktap_finish
}
check_main "$@"
