#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench` (tools/bench/run boots the guest under -icount
# with one CPU and runs this).  For each driver pair A (root netns) and B
# (netns bench-<name>) on a wire of its own, and for the no-driver floor
# (a dummy device), it runs the workloads below and appends one line per
# figure, "<driver> <workload> <key> <value>", to $FPGAETH_JOB/results.txt.
# tools/bench/report turns that file into the table and the JSON.
#
# Guest time is guest instructions (1 ns each): every rate below is per
# guest second.  Instruction counts come from the guest PMU (perf stat -a -e
# instructions; QEMU counts instructions exactly under -icount).  The
# measured windows do no 9p I/O: with -icount sleep=off an idle CPU waiting
# for the host jumps to the next timer, so only rates the workload times
# itself (pktgen, tcp.py, ping) or counts of instructions are reported.
#
#   tools/bench/guest.sh PAIR...      PAIR: name/driver/MAC-A/MAC-B/netdev-B
#                                     (netdev-B: B's QEMU netdev, for set_link)
# Environment: FPGAETH_BENCH_PKTS (packets per pktgen run, default 100000),
# FPGAETH_BENCH_TCP_BYTES (default 32 MiB), FPGAETH_BENCH_PINGS (default 50),
# FPGAETH_BENCH_SMALL=1 (the determinism check: a short TX and RX run only),
# FPGAETH_BENCH_PROFILE=0 (no profile of fpgaeth), FPGAETH_BENCH_PROF_PKTS
# (packets per profiled run, default 20000), FPGAETH_BENCH_PROF_WL (the
# workloads profiled: tx rx_xdp rx_udp xsk_rxdrop_zc xsk_rxdrop_copy), FPGAETH_BENCH_PAIRS (names of
# the pairs to run, "floor" included; default: all, e.g. "igb floor" to
# rerun a part), FPGAETH_BENCH_WORKLOADS (groups of workloads to run:
# tx rx xdp fwd xsk udp prof tcp; default: all), FPGAETH_BENCH_FE_COAL (ethtool -C arguments for both ends
# of the fpgaeth pairs before their first workload, e.g. "adaptive-rx on
# adaptive-tx on": a default under trial).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${FPGAETH_JOB:-/tmp}/results.txt
PKTS=${FPGAETH_BENCH_PKTS:-100000}
TCP_BYTES=${FPGAETH_BENCH_TCP_BYTES:-33554432}
PINGS=${FPGAETH_BENCH_PINGS:-50}
SMALL=${FPGAETH_BENCH_SMALL:-0}
ONLY=${FPGAETH_BENCH_PAIRS:-}
FE_COAL=${FPGAETH_BENCH_FE_COAL:-}
XDP_OBJ=selftests/bpf/build/fpgaeth_bench_drop.o
XDP_TX_OBJ=selftests/bpf/build/fpgaeth_bench_tx.o
XDP_REDIRECT_OBJ=selftests/bpf/build/fpgaeth_bench_redirect.o
XSK_OBJ=selftests/bpf/build/fpgaeth_bench_xsk.o
XSK_BIN=selftests/bpf/build/fpgaeth_xsk
WORKLOADS=${FPGAETH_BENCH_WORKLOADS:-}
PROFILE=${FPGAETH_BENCH_PROFILE:-1}
PROF_PKTS=${FPGAETH_BENCH_PROF_PKTS:-20000}
PROF_WL=${FPGAETH_BENCH_PROF_WL:-tx rx_xdp rx_udp xsk_rxdrop_zc xsk_rxdrop_copy}
QMP=tools/vm/qmp

log() { printf 'bench: %s\n' "$*" >&2; }
# (a profiling run, PROF=1, records no figures)
res() { [ "${PROF:-0}" = 1 ] || printf '%s %s %s %s\n' "$1" "$2" "$3" "$4" >>"$OUT"; }
in_ns() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# The interface of a QEMU device id: fpgaeth's node carries no id, so
# match the MAC address the bench gave it (run: FPGAETH_NICS/DEVICES).
ifname_of_mac() {
	local f
	for f in /sys/class/net/*/address; do
		[ "$(cat "$f")" = "$1" ] && { basename "$(dirname "$f")"; return 0; }
	done
	return 1
}

# Interrupt names of an interface: "<device>-..." (fpgaeth: the platform
# device's name; virtio: virtioN-input.0) or "<ifname>-..." (igb).
irq_prefix() { basename "$(readlink -f "/sys/class/net/$1/device")"; }
irqs_sum() { # prefix ifname: total interrupts of the lines named after it
	awk -v p="$1" -v i="$2" 'NR > 1 {
		n = $NF; s = 0
		for (c = 2; c <= NF && $c ~ /^[0-9]+$/; c++) s += $c
		if (index(n, p "-") == 1 || n == p || index(n, i "-") == 1 || n == i) t += s
	} END { print t + 0 }' /proc/interrupts
}
stat_of() { in_ns "$1" cat "/sys/class/net/$2/statistics/$3"; }
# shellcheck disable=SC2016 # awk program
udp_in() { in_ns "$1" awk '/^Udp:/ && $2 ~ /^[0-9]+$/ { print $2 }' /proc/net/snmp; }

# perf stat -a around "sh -c SCRIPT" in netns NS: prints the instruction count
count_instr() {
	local f=/tmp/perf.$$ ns=$1
	shift
	if [ -n "$ns" ]; then
		set -- ip netns exec "$ns" sh -c "$1"
	else
		set -- sh -c "$1"
	fi
	if [ "${PROF:-0}" = 1 ]; then
		# a sample every 20 us of guest time (cpu-clock: the virtual clock)
		perf record -q -a -e cpu-clock -c 20000 -o "$PROF_DATA" -- "$@" >/dev/null 2>&1
		echo 0
		return
	fi
	perf stat -a -x, -e instructions -o "$f" -- "$@" >/dev/null
	awk -F, '$3 ~ /^instructions/ { print $1 }' "$f"
	rm -f "$f"
}

# profile_pair: where the instructions of A's TX, XDP drop and RX to a
# socket go: one more run of each (PROF_PKTS packets) under perf record,
# the symbols with the most samples into profile-<driver>-<workload>.txt
PROF_DATA=/tmp/bench-prof.data
profile_pair() {
	local wl pkts=$PKTS dir=${FPGAETH_JOB:-/tmp}
	PROF=1 PKTS=$PROF_PKTS
	for wl in $PROF_WL; do
		rm -f "$PROF_DATA"
		case $wl in
		tx) w_tx ;;
		xsk_*_*) xsk_one_queue w_xsk "$(cut -d_ -f2 <<<"$wl")" "${wl##*_}" ;;
		*) w_rx "${wl#rx_}" ;;
		esac
		[ -s "$PROF_DATA" ] || continue
		perf report -i "$PROF_DATA" --stdio --no-children --sort dso,sym \
			--percent-limit 0.5 2>/dev/null | grep -v '^$' | head -n 60 \
			>"$dir/profile-$DRV-$wl.txt" || true
	done
	rm -f "$PROF_DATA"
	PROF=0 PKTS=$pkts
}

# pktgen: pg NS FILE CMD (the pktgen control files are per network namespace)
pg() { in_ns "$1" sh -c "echo '$3' > /proc/net/pktgen/$2"; }
pg_setup() { # ns dev dst_mac dst_ip mode count src_ip
	local ns=$1 dev=$2
	pg "$ns" kpktgend_0 rem_device_all
	pg "$ns" kpktgend_0 "add_device $dev"
	pg "$ns" "$dev" "count $6"
	pg "$ns" "$dev" "pkt_size 60"
	pg "$ns" "$dev" "delay 0"
	pg "$ns" "$dev" "clone_skb 0"
	pg "$ns" "$dev" "xmit_mode $5"
	pg "$ns" "$dev" "dst $4"
	pg "$ns" "$dev" "src_min $7"
	pg "$ns" "$dev" "src_max $7"
	pg "$ns" "$dev" "dst_mac $3"
	pg "$ns" "$dev" "udp_dst_min 9"
	pg "$ns" "$dev" "udp_dst_max 9"
}
# pg_run NS DEV: runs the configured stream, prints "instructions usec sent"
pg_run() {
	local ns=$1 dev=$2 instr r
	instr=$(count_instr "$ns" 'echo start > /proc/net/pktgen/pgctrl')
	r=$(in_ns "$ns" cat "/proc/net/pktgen/$dev")
	printf '%s %s %s\n' "$instr" \
		"$(sed -n 's/.*Result: OK: \([0-9]*\)(.*/\1/p' <<<"$r")" \
		"$(sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' <<<"$r")"
}

pp_stats() { # ifname: "name value" lines of the page_pool counters
	# a device with no statistics (dummy) has none
	{ ethtool -S "$1" 2>/dev/null || true; } |
		awk '$1 ~ /^rx_pp_/ { sub(":", "", $1); print $1, $2 }'
}
pp_delta() { # driver workload before after
	join <(sort <<<"$3") <(sort <<<"$4") | while read -r k a b; do
		res "$1" "$2" "$k" $((b - a))
	done
}

# --- workloads: each gets (drv, A, B, nsB, IPs, MACs) from the caller -----

w_tx() {
	local i0 p0 r
	[ -n "$QB" ] && $QMP set_link "$QB" off >/dev/null
	pg_setup "" "$A" "$MACB" "$IPB" start_xmit "$PKTS" "$IPA"
	i0=$(irqs_sum "$IRQA" "$A")
	p0=$(stat_of "" "$A" tx_packets)
	read -r instr usec sent < <(pg_run "" "$A")
	res "$DRV" tx instructions "$instr"
	res "$DRV" tx usec "$usec"
	res "$DRV" tx packets "$sent"
	res "$DRV" tx if_packets $(($(stat_of "" "$A" tx_packets) - p0))
	res "$DRV" tx irqs $(($(irqs_sum "$IRQA" "$A") - i0))
	pg "" kpktgend_0 rem_device_all
	[ -n "$QB" ] && $QMP set_link "$QB" on >/dev/null
	r=0
	[ "$DRV" = floor ] || wait_carrier "$NSB" "$B" || r=$?
	return $r
}

# RX: B sends (pktgen in its netns) to A, A drops at tc ingress ("drop"),
# drops in its XDP program ("xdp": native XDP) or delivers to a UDP socket
# read by nc ("udp").  The floor has no XDP figure: pktgen's netif_receive
# mode hands the stack a shared skb (it holds a reference for its burst),
# with less headroom than XDP wants, and generic XDP expands its head:
# "kernel BUG at net/core/skbuff.c:2267" (pskb_expand_head's
# BUG_ON(skb_shared(skb)) from do_xdp_generic, 6.12.118, 2026-12-02).
w_rx() {
	local kind=$1 mode=start_xmit sender=$B sns=$NSB i0 p0 u0 pp0 sink='' xdp=xdpdrv
	if [ "$DRV" = floor ]; then
		[ "$kind" != xdp ] || return 0
		mode=netif_receive sender=$A sns=''
	fi
	if [ "$kind" = drop ]; then
		tc qdisc add dev "$A" ingress
		tc filter add dev "$A" ingress matchall action drop
	elif [ "$kind" = xdp ]; then
		if ! ip link set dev "$A" "$xdp" obj "$XDP_OBJ" sec xdp 2>/dev/null; then
			log "$DRV: no $xdp program on $A: no XDP figures"
			return 0
		fi
		res "$DRV" rx_xdp mode "$xdp"
	else
		nc -u -l -k 9 >/dev/null &
		sink=$!
		sleep 0.2
	fi
	pg_setup "$sns" "$sender" "$MACA" "$IPA" "$mode" "$PKTS" "$IPB"
	i0=$(irqs_sum "$IRQA" "$A")
	p0=$(stat_of "" "$A" rx_packets)
	u0=$(udp_in "")
	pp0=$(pp_stats "$A")
	read -r instr usec sent < <(pg_run "$sns" "$sender")
	res "$DRV" "rx_$kind" instructions "$instr"
	res "$DRV" "rx_$kind" usec "$usec"
	res "$DRV" "rx_$kind" sent "$sent"
	res "$DRV" "rx_$kind" if_packets $(($(stat_of "" "$A" rx_packets) - p0))
	res "$DRV" "rx_$kind" udp_delivered $(($(udp_in "") - u0))
	res "$DRV" "rx_$kind" irqs $(($(irqs_sum "$IRQA" "$A") - i0))
	[ -z "$pp0" ] || pp_delta "$DRV" "rx_$kind" "$pp0" "$(pp_stats "$A")"
	pg "$sns" kpktgend_0 rem_device_all
	if [ "$kind" = drop ]; then
		res "$DRV" rx_drop tc_dropped "$(tc -s filter show dev "$A" ingress |
			awk '/Sent/ { print $4; exit }')"
		tc qdisc del dev "$A" ingress
	elif [ "$kind" = xdp ]; then
		ip link set dev "$A" "$xdp" off
	else
		kill "$sink"
		wait "$sink" 2>/dev/null || true
	fi
}

# XDP_TX and redirect ("fwd"): B sends (pktgen) to A, whose native XDP
# program sends every frame on: back to B (tx: fpgaeth_bench_tx.o,
# XDP_TX with the addresses swapped) or into a veth pair (redirect:
# fpgaeth_bench_redirect.o, its DEVMAP slot 0 = bvA, whose peer bvB drops
# in native XDP: veth takes xdp_frames only with a program on the peer).
# The far end (B, or bvB) counts what arrived: B drops the reflection in
# its own native XDP (fpgaeth_bench_drop.o), the cheapest RX it has.
w_fwd() {
	local kind=$1 obj=$XDP_TX_OBJ sink=$B sns=$NSB i0 p0 r=0 idx
	if [ "$kind" = redirect ]; then
		obj=$XDP_REDIRECT_OBJ sink=bvB sns=''
		ip link add bvA type veth peer name bvB
		ip link set bvA up
		ip link set bvB up
	fi
	if in_ns "$sns" ip link set dev "$sink" xdpdrv obj "$XDP_OBJ" sec xdp &&
		ip link set dev "$A" xdpdrv obj "$obj" sec xdp; then
		if [ "$kind" = redirect ]; then
			idx=$(cat /sys/class/net/bvA/ifindex)
			bpftool map update name bench_port key 0 0 0 0 value \
				$((idx & 255)) $((idx >> 8 & 255)) $((idx >> 16 & 255)) $((idx >> 24)) || r=$?
		fi
	else
		r=1
	fi
	if [ $r = 0 ]; then
		pg_setup "$NSB" "$B" "$MACA" "$IPA" start_xmit "$PKTS" "$IPB"
		i0=$(irqs_sum "$IRQA" "$A")
		p0=$(stat_of "$sns" "$sink" rx_packets)
		read -r instr usec sent < <(pg_run "$NSB" "$B")
		res "$DRV" "xdp_$kind" instructions "$instr"
		res "$DRV" "xdp_$kind" usec "$usec"
		res "$DRV" "xdp_$kind" sent "$sent"
		res "$DRV" "xdp_$kind" forwarded $(($(stat_of "$sns" "$sink" rx_packets) - p0))
		res "$DRV" "xdp_$kind" irqs $(($(irqs_sum "$IRQA" "$A") - i0))
		pg "$NSB" kpktgend_0 rem_device_all
	else
		log "$DRV: no native XDP $kind on $A or no XDP_DROP on $sink: no figures"
	fi
	ip link set dev "$A" xdpdrv off
	in_ns "$sns" ip link set dev "$sink" xdpdrv off
	[ "$kind" != redirect ] || ip link del bvA
}

# AF_XDP (selftests/bpf/user/fpgaeth_xsk.c -b MODE, a socket on A's queue
# 0; A has one queue, see xsk_pair): rxdrop and l2fwd take B's pktgen
# stream through fpgaeth_bench_xsk.o, l2fwd sends each frame back to B
# (which drops it in native XDP, as w_fwd); txonly sends to B with B's
# QEMU link off (as w_tx).  bind: zc (XDP_ZEROCOPY) or copy (XDP_COPY),
# need_wakeup on.  A zero-copy bind the driver refuses gives "bind_errno"
# and no figures.
XSK_IO=/tmp/xsk
w_xsk() {
	local mode=$1 bind=$2 wl=xsk_$1_$2 map=0 p r=0 line k v
	if [ "$mode" != txonly ]; then
		if ! ip link set dev "$A" xdpdrv obj "$XSK_OBJ" sec xdp; then
			log "$DRV: no native XDP on $A: no AF_XDP figures"
			return 0
		fi
		map=$(bpftool -j map show name xsks | jq -r 'if type == "array" then .[0].id else .id end')
	fi
	[ "$mode" != l2fwd ] || in_ns "$NSB" ip link set dev "$B" xdpdrv obj "$XDP_OBJ" sec xdp
	[ "$mode" != txonly ] || [ -z "$QB" ] || $QMP set_link "$QB" off >/dev/null
	rm -f "$XSK_IO.in"
	mkfifo "$XSK_IO.in"
	"$XSK_BIN" -b "$mode" "$A" 0 "$bind" "$map" "$PKTS" "$PKTS" "$MACA" "$MACB" \
		<"$XSK_IO.in" >"$XSK_IO.out" 2>"$XSK_IO.err" &
	p=$!
	exec 3>"$XSK_IO.in"
	while ! grep -q ready "$XSK_IO.out" && kill -0 "$p" 2>/dev/null; do
		sleep 0.05
	done
	if grep -q ready "$XSK_IO.out"; then
		if [ "$mode" = txonly ]; then
			echo go >&3
		else
			pg_setup "$NSB" "$B" "$MACA" "$IPA" start_xmit "$PKTS" "$IPB"
			read -r instr usec sent < <(pg_run "$NSB" "$B")
			res "$DRV" "$wl" pg_instructions "$instr"
			res "$DRV" "$wl" usec "$usec"
			res "$DRV" "$wl" sent "$sent"
			pg "$NSB" kpktgend_0 rem_device_all
		fi
	fi
	wait "$p" || r=$?
	exec 3>&-
	res "$DRV" "$wl" exit "$r"
	line=$(grep '^bench ' "$XSK_IO.out" || true)
	for kv in $line; do
		[ "$kv" != bench ] || continue
		k=${kv%%=*} v=${kv#*=}
		[ "$k" = mode ] || res "$DRV" "$wl" "$k" "$v"
	done
	if [ -z "$line" ]; then
		# e.g. "fpgaeth_xsk: bind(XDP_ZEROCOPY): Operation not supported"
		log "$DRV: $wl: $(cat "$XSK_IO.err")"
		res "$DRV" "$wl" error "$(tr ' ' '_' <"$XSK_IO.err" | head -n 1)"
	fi
	[ "$mode" != txonly ] || [ -z "$QB" ] || $QMP set_link "$QB" on >/dev/null
	[ "$mode" != l2fwd ] || in_ns "$NSB" ip link set dev "$B" xdpdrv off
	[ "$mode" = txonly ] || ip link set dev "$A" xdpdrv off
	rm -f "$XSK_IO.in" "$XSK_IO.out" "$XSK_IO.err"
	wait_carrier "$NSB" "$B"
}

# CMD... with A on one queue pair (pktgen's one flow then meets the
# AF_XDP socket on queue 0), the queue count restored after
xsk_one_queue() {
	local q r=0
	q=$(ethtool -l "$A" 2>/dev/null | awk '/^Current/ { c = 1 } c && /^Combined/ { print $2; exit }')
	[ -z "$q" ] || [ "$q" = 1 ] || [ "$q" = n/a ] || ethtool -L "$A" combined 1
	"$@" || r=$?
	[ -z "$q" ] || [ "$q" = 1 ] || [ "$q" = n/a ] || ethtool -L "$A" combined "$q"
	wait_carrier "" "$A"
	return $r
}

xsk_all() {
	local mode bind
	for mode in rxdrop txonly l2fwd; do
		for bind in zc copy; do
			w_xsk "$mode" "$bind"
		done
	done
}

xsk_pair() {
	res "$DRV" info xdp_features "$(xdp_features "$A")"
	xsk_one_queue xsk_all
}

# the XDP features the kernel reports for an interface (xdp-loader
# features: the NETDEV_XDP_ACT_* flags, netdev netlink), comma-separated
xdp_features() {
	xdp-loader features "$1" 2>/dev/null |
		awk '$2 == "yes" { sub("NETDEV_XDP_ACT_", "", $1); sub(":", "", $1); s = s (s ? "," : "") tolower($1) }
			END { print s }'
}

# TCP: one bulk stream A to B (tools/bench/tcp.py), MTU 1500; tag: dim_on...
w_tcp() {
	local tag=$1 ia0 ib0 pa0 pb0 srv bytes secs instr
	in_ns "$NSB" python3 tools/bench/tcp.py server 5201 >/dev/null &
	srv=$!
	ia0=$(irqs_sum "$IRQA" "$A")
	ib0=$(irqs_sum "$IRQB" "$B")
	pa0=$(($(stat_of "" "$A" tx_packets) + $(stat_of "" "$A" rx_packets)))
	pb0=$(($(stat_of "$NSB" "$B" tx_packets) + $(stat_of "$NSB" "$B" rx_packets)))
	read -r bytes secs instr < <(python3 tools/bench/tcp.py client "$IPB" 5201 "$TCP_BYTES")
	wait "$srv"
	res "$DRV" "tcp_$tag" instructions "$instr"
	res "$DRV" "tcp_$tag" seconds "$secs"
	res "$DRV" "tcp_$tag" bytes "$bytes"
	res "$DRV" "tcp_$tag" irqs $(($(irqs_sum "$IRQA" "$A") - ia0 + $(irqs_sum "$IRQB" "$B") - ib0))
	res "$DRV" "tcp_$tag" packets $(($(stat_of "" "$A" tx_packets) + $(stat_of "" "$A" rx_packets) - pa0 + \
		$(stat_of "$NSB" "$B" tx_packets) + $(stat_of "$NSB" "$B" rx_packets) - pb0))
}

# TCP at MTU 9000 on both ends (tag mtu9000), then 1500 again
w_tcp_jumbo() {
	local r=0
	ip link set dev "$A" mtu 9000 && in_ns "$NSB" ip link set dev "$B" mtu 9000 &&
		wait_carrier "" "$A" && wait_carrier "$NSB" "$B" && w_tcp mtu9000 || r=$?
	ip link set dev "$A" mtu 1500
	in_ns "$NSB" ip link set dev "$B" mtu 1500
	wait_carrier "" "$A" && wait_carrier "$NSB" "$B" || r=$?
	return $r
}

w_ping() {
	local tag=$1 out
	ping -c 2 -i 0.01 -q "$IPB" >/dev/null
	out=$(ping -c "$PINGS" -i 0.01 -q "$IPB")
	# rtt min/avg/max/mdev = a/b/c/d ms
	read -r mn avg mx md < <(sed -n 's|.* = \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\) ms|\1 \2 \3 \4|p' <<<"$out")
	res "$DRV" "ping_$tag" rtt_min_us "$(awk -v v="$mn" 'BEGIN { print v * 1000 }')"
	res "$DRV" "ping_$tag" rtt_avg_us "$(awk -v v="$avg" 'BEGIN { print v * 1000 }')"
	res "$DRV" "ping_$tag" rtt_max_us "$(awk -v v="$mx" 'BEGIN { print v * 1000 }')"
	res "$DRV" "ping_$tag" rtt_mdev_us "$(awk -v v="$md" 'BEGIN { print v * 1000 }')"
}

wait_carrier() { # ns ifname
	local _
	for _ in $(seq 100); do
		[ "$(in_ns "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.05
	done
	log "no carrier on $2"
	return 1
}

set_dim() { # on|off on A and B (fpgaeth only)
	ethtool -C "$A" adaptive-rx "$1" adaptive-tx "$1" 2>/dev/null || true
	in_ns "$NSB" ethtool -C "$B" adaptive-rx "$1" adaptive-tx "$1" 2>/dev/null || true
	record_coalesce "$1"
}
record_coalesce() { # tag: A's settings, "name=value;..."
	# shellcheck disable=SC2016 # awk program
	res "$DRV" "coalesce_$1" ethtool_c "$(ethtool -c "$A" 2>/dev/null |
		awk -F':[ \t]*' '/^Adaptive/ { gsub(/[ \t]+/, "_"); printf "%s;", $0 }
			NF == 2 && $2 ~ /^[0-9]+$/ { printf "%s=%s;", $1, $2 }')"
}

# pair_setup name macA macB qmp-netdev-of-B n: A in the root netns, B in
# netns bench-<name>, addresses, static neighbours; sets DRV, A, B, ...
pair_setup() {
	DRV=$1 QB=$4
	local n=$5
	A=$(ifname_of_mac "$2") || { log "$DRV: no interface with MAC $2"; return 1; }
	B=$(ifname_of_mac "$3") || { log "$DRV: no interface with MAC $3"; return 1; }
	MACA=$2 MACB=$3 IPA=10.77.$n.1 IPB=10.77.$n.2 NSB=bench-$DRV
	IRQA=$(irq_prefix "$A") IRQB=$(irq_prefix "$B")
	log "$DRV: $A (root) <-> $B (netns $NSB)"
	ip netns add "$NSB"
	ip link set "$B" netns "$NSB"
	ip addr add "$IPA/24" dev "$A"
	ip link set "$A" up
	in_ns "$NSB" ip addr add "$IPB/24" dev "$B"
	in_ns "$NSB" ip link set "$B" up
	in_ns "$NSB" ip link set lo up
	wait_carrier "" "$A"
	wait_carrier "$NSB" "$B"
	# no ARP inside a measured window
	ip neigh replace "$IPB" lladdr "$MACB" dev "$A" nud permanent
	in_ns "$NSB" ip neigh replace "$IPA" lladdr "$MACA" dev "$B" nud permanent
}

bench_pair() { # name driver macA macB qmp-netdev-of-B n
	pair_setup "$1" "$3" "$4" "$5" "$6"
	res "$DRV" info speed_mbps "$(cat "/sys/class/net/$A/speed" 2>/dev/null || echo 0)"
	res "$DRV" info if_a "$A"
	res "$DRV" info driver "$(basename "$(readlink -f "/sys/class/net/$A/device/driver")")"
	if [ "$2" = fpgaeth ] && [ -n "$FE_COAL" ]; then
		# shellcheck disable=SC2086 # word splitting wanted
		ethtool -C "$A" $FE_COAL && in_ns "$NSB" ethtool -C "$B" $FE_COAL
	fi
	record_coalesce default
	! want tx || w_tx
	! want rx || w_rx drop
	[ "$SMALL" = 1 ] && return 0
	! want xdp || w_rx xdp
	# the 10G pair: its RX to a socket and XDP are the 1G pair's (CPU-bound)
	if [ "$1" != fpgaeth10g ]; then
		! want fwd || { w_fwd tx && w_fwd redirect; }
		! want xsk || xsk_pair
		! want udp || w_rx udp
	fi
	# a default under trial: the idle RTT right after the RX loads with it
	[ "$2" != fpgaeth ] || [ -z "$FE_COAL" ] || ! want rx || w_ping fe_coal
	# fpgaeth 1G: where the instructions go
	[ "$1" != fpgaeth ] || [ "$PROFILE" != 1 ] || ! want prof || profile_pair
	want tcp || return 0
	if [ "$2" = fpgaeth ]; then
		set_dim on
		w_tcp dim_on
		w_ping dim_on
		w_tcp_jumbo
		if [ "$1" != fpgaeth10g ]; then
			set_dim off
			w_tcp dim_off
			w_ping dim_off
			set_dim on
		fi
	else
		w_tcp default
		w_ping default
		w_tcp_jumbo
	fi
}

want() { [ -z "$WORKLOADS" ] || [[ " $WORKLOADS " == *" $1 "* ]]; }

bench_floor() {
	DRV=floor QB='' B='' NSB=''
	A=bfloor MACA=02:00:00:77:00:01 MACB=02:00:00:77:00:02 IPA=10.77.99.1 IPB=10.77.99.2
	IRQA=none IRQB=none
	ip link add "$A" address "$MACA" type dummy
	ip addr add "$IPA/24" dev "$A"
	ip link set "$A" up
	ip neigh replace "$IPB" lladdr "$MACB" dev "$A" nud permanent
	! want tx || w_tx
	! want rx || w_rx drop
	[ "$SMALL" = 1 ] && return 0
	! want udp || w_rx udp
}

main() {
	local p name drv maca macb qb n=1 tool
	: >"$OUT"
	modprobe -a pktgen dummy sch_ingress cls_matchall act_gact
	# the igb pair's driver (a PCI device: udev may not have loaded it)
	modprobe igb 2>/dev/null || true
	# no IPv6 autoconfiguration traffic (router solicitations, MLD) landing
	# in a window at a time set by the boot's host I/O
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	tools/vm/load-module
	# run each tool once: its binary and libraries come over 9p, which must
	# not happen inside a measured window
	for tool in "perf --version" "python3 tools/bench/tcp.py" "ethtool --version" "tc -V" "nc -h" \
		"ip -V" "cat $XDP_OBJ $XDP_TX_OBJ $XDP_REDIRECT_OBJ $XSK_OBJ" "bpftool version" "jq --version" \
		"xdp-loader --help" "$XSK_BIN"; do
		$tool >/dev/null 2>&1 || true
	done
	$QMP cmd query-name >/dev/null
	res all info cpu "$(awk -F': ' '/^CPU part/ { print $2; exit }' /proc/cpuinfo)"
	res all info ncpus "$(nproc)"
	res all info kernel "$(uname -r)"
	res all info cmdline "$(tr ' ' '+' </proc/cmdline)"
	# the cost of an empty pktgen window (perf, sh, the write): report
	# subtracts it from each pktgen window's count
	count_instr "" ':' >/dev/null
	res all info window_instructions "$(count_instr "" ':')"
	for p in "$@"; do
		IFS=/ read -r name drv maca macb qb <<<"$p"
		if [ -n "$ONLY" ] && ! [[ " $ONLY " == *" $name "* ]]; then
			n=$((n + 1))
			continue
		fi
		bench_pair "$name" "$drv" "$maca" "$macb" "$qb" "$n" || log "$name: failed"
		n=$((n + 1))
	done
	if [ -z "$ONLY" ] || [[ " $ONLY " == *" floor "* ]]; then
		bench_floor
	fi
	log "done: $OUT"
}
# sourced (tools/bench/check.sh): the functions only
[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"
