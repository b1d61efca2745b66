#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run (guest side): show what the fpgaeth driver does, in a page or
# two: the module load, the probe messages, each device with its QEMU
# instance, interface and interrupts, a ping across the wire, a few named
# registers of the running devices (the full register dumps are only
# pointed at) and the counters that moved. Only a module that does not
# load fails the demo.
set -uo pipefail
shopt -s nullglob
ko=${FPGAETH_KO:-drivers/net/ethernet/fpgaeth/fpgaeth.ko}
dbg=/sys/kernel/debug/fpgaeth
step() { printf '\n### %s\n' "$*"; }
# registers worth a look on a running bench (the dump has ~180)
HIGHLIGHTS='^(ID|VERSION|BUILD_ID|CAP0|CAP1|CTRL|MAC_CFG|MAC_ADDR_LO|MAC_ADDR_HI|MAX_FRAME_LEN|Q0_TX_SIZE|Q0_RX_SIZE|Q0_RX_HEAD|Q0_RX_TAIL) '

step "load $ko"
if ! "$(dirname "$0")/load-module" "$ko"; then
	dmesg | tail -n 20
	exit 1
fi
lsmod | grep -E '^(fpgaeth|phylink|fixed_phy|libphy) ' || true

step "kernel messages of the driver"
dmesg | grep -i fpgaeth || echo "(no messages)"

# The QEMU instance of a device: the id in FPGAETH_DEVICES (tools/vm/run)
# whose mac is the DT node's local-mac-address.
qom_id() {
	local mac dev id m
	mac=$(od -An -tx1 "$1/of_node/local-mac-address" 2>/dev/null | tr -s ' ' ':')
	mac=${mac#:}
	for dev in ${FPGAETH_DEVICES-fe0=52:54:00:fe:00:01 fe1=52:54:00:fe:00:02}; do
		id=${dev%%=*} m=${dev#*=}
		m=${m%%,*}
		[ "${m,,}" = "$mac" ] && { echo "$id"; return; }
	done
	echo "?"
}

step "devices bound to the driver (by address)"
drv=/sys/bus/platform/drivers/fpgaeth
devs=()
if [ -d $drv ]; then
	# the bound devices are the symlinks other than "module", named
	# <unit address>.<node name>: sorted by address
	mapfile -t devs < <(for d in "$drv"/*; do
		if [ ! -L "$d" ] || [ "${d##*/}" = module ]; then continue; fi
		d=${d##*/}
		printf '%d %s\n' "$((16#${d%%.*}))" "$d"
	done | sort -n | cut -d' ' -f2)
fi
declare -A ifname_of
for d in "${devs[@]}"; do
	p=/sys/bus/platform/devices/$d
	net=("$p"/net/*)
	ifn=${net[0]##*/}
	id=$(qom_id "$p")
	ifname_of[$id]=$ifn
	irqs=$(grep -o "$d-[a-z0-9]*" /proc/interrupts | sed "s/^$d-//" | tr '\n' ' ')
	printf '%s  QEMU %s  interface %s  interrupts: %s\n' "$d" "$id" "${ifn:-none}" "$irqs"
done
[ ${#devs[@]} -gt 0 ] || echo "(none: is the QEMU model present, does the driver probe?)"

# A few named registers of each device (debugfs), shown once the
# interfaces are up (CTRL, the MAC address and the ring sizes are then set);
# the full dumps are saved and pointed at.
show_regs() {
	local d r n
	step "registers (a few; debugfs)"
	for d in "${devs[@]}"; do
		r=$dbg/$d/regs
		[ -r "$r" ] || { echo "$d: no $r"; continue; }
		echo "== $d"
		grep -E "$HIGHLIGHTS" "$r"
		n=$(wc -l <"$r")
		# saved beside the job's status: kept on the host with FPGAETH_JOB_DIR
		[ -n "${FPGAETH_JOB:-}" ] && cp "$r" "$FPGAETH_JOB/regs-$d.txt" 2>/dev/null
		echo "(all $n registers: $r in the guest, e.g. under make shell; FPGAETH_JOB_DIR=/tmp/demo make run also keeps them in /tmp/demo/regs-$d.txt)"
	done
}

# --- Datapath ------------------------------------------------------------
# fe0's interface stays here, fe1's moves to a network namespace, a ping
# crosses the wire (the QEMU hub cabling fe0 and fe1), then the counters.
# (FPGAETH_DEMO_DRIVER=virtio_net shows the same on two virtio peers.)
drvname=${FPGAETH_DEMO_DRIVER:-fpgaeth}
if [ "$drvname" = fpgaeth ]; then
	ifs=()
	for id in fe0 fe1; do [ -n "${ifname_of[$id]:-}" ] && ifs+=("${ifname_of[$id]}"); done
else
	ifs=()
	for n in /sys/class/net/*; do
		[ "$(basename "$(readlink -f "$n/device/driver" 2>/dev/null)")" = "$drvname" ] &&
			ifs+=("$(basename "$n")")
	done
fi
step "datapath: ${ifs[*]:-no $drvname netdevs}"
if [ ${#ifs[@]} -lt 2 ]; then
	echo "(skipped: needs two $drvname interfaces, found ${#ifs[@]})"
	show_regs
	exit 0
fi
a=${ifs[0]} b=${ifs[1]} ns=fpgaeth-peer
ip netns add $ns
ip link set "$b" netns $ns
ip addr add 192.0.2.1/24 dev "$a"
ip link set "$a" up
ip -n $ns addr add 192.0.2.2/24 dev "$b"
ip -n $ns link set "$b" up
ip -n $ns link set lo up
# wait (up to 10 s) for both carriers
for _ in $(seq 50); do
	ip -br link show dev "$a" | grep -q ' UP ' &&
		ip -n $ns -br link show dev "$b" | grep -q ' UP ' && break
	sleep 0.2
done
ip -br addr show dev "$a"
ip -n $ns -br addr show dev "$b"
ethtool "$a" | grep -E 'Speed|Duplex|Link detected'
rc=0
ping -c 3 -W 2 192.0.2.2 || rc=$?
[ "$drvname" != fpgaeth ] || show_regs
nonzero() { awk 'NR > 1 && $2 != 0 { printf "  %s %s\n", $1, $2 }'; }
step "ethtool -S $a (counters not 0)"
ethtool -S "$a" | nonzero
step "ethtool -S $b (in $ns, counters not 0)"
ip netns exec $ns ethtool -S "$b" | nonzero
ip netns del $ns
exit $rc
