#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run (guest side): show what the fpgaeth driver does today.  Degrades
# gracefully while the driver is incomplete: a missing feature is reported,
# not fatal.  Only a module that does not load fails the demo.
set -uo pipefail
shopt -s nullglob
ko=${FPGAETH_KO:-drivers/net/ethernet/fpgaeth/fpgaeth.ko}
step() { printf '\n### %s\n' "$*"; }

step "load $ko"
if ! "$(dirname "$0")/load-module" "$ko"; then
	dmesg | tail -n 20
	exit 1
fi
lsmod | grep -E '^(fpgaeth|phylink|fixed_phy|libphy) ' || true

step "dmesg | grep fpgaeth"
dmesg | grep -i fpgaeth || echo "(no messages)"

step "devices bound to the driver"
drv=/sys/bus/platform/drivers/fpgaeth
bound=()
if [ -d $drv ]; then
	for d in "$drv"/*; do
		# the bound devices are the symlinks other than "module"
		if [ ! -L "$d" ] || [ "${d##*/}" = module ]; then continue; fi
		bound+=("$d")
		net=$(cd "$d" && echo net/*)
		printf '%s -> %s  netdevs: %s\n' "${d##*/}" "$(readlink -f "$d")" "${net//net\//}"
	done
fi
[ ${#bound[@]} -gt 0 ] || echo "(none: is the QEMU model present, does the driver probe?)"

step "registers (debugfs)"
regs=(/sys/kernel/debug/fpgaeth/*/regs)
if [ ${#regs[@]} -eq 0 ]; then
	echo "(no /sys/kernel/debug/fpgaeth/*/regs yet)"
fi
for r in "${regs[@]}"; do
	echo "== $r"
	cat "$r"
done

step "network interfaces"
ip -br link

# --- Datapath demo --------------------------------------------------------
# Runs once the driver registers two netdevs: the first stays here, the
# second moves to a network namespace, a ping crosses the wire (the QEMU hub
# cabling fe0 and fe1), then the counters.
# (FPGAETH_DEMO_DRIVER=virtio_net shows the same on two virtio peers.)
drvname=${FPGAETH_DEMO_DRIVER:-fpgaeth}
ifs=()
for n in /sys/class/net/*; do
	[ "$(basename "$(readlink -f "$n/device/driver" 2>/dev/null)")" = "$drvname" ] &&
		ifs+=("$(basename "$n")")
done
step "datapath: ${ifs[*]:-no $drvname netdevs}"
if [ ${#ifs[@]} -lt 2 ]; then
	echo "(skipped: needs two $drvname interfaces, found ${#ifs[@]})"
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
for _ in $(seq 20); do
	ip -br link show dev "$a" | grep -q ' UP ' &&
		ip -n $ns -br link show dev "$b" | grep -q ' UP ' && break
	sleep 0.5
done
ip -br addr show dev "$a"
ip -n $ns -br addr show dev "$b"
rc=0
ping -c 3 -W 2 192.0.2.2 || rc=$?
step "ethtool -S $a"
ethtool -S "$a" || true
step "ethtool -S $b (in $ns)"
ip netns exec $ns ethtool -S "$b" || true
ip netns del $ns
exit $rc
