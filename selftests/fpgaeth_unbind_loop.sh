#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The driver survives unbind/bind and rmmod/insmod loops: every probe
# succeeds, remove releases the interrupts and the debugfs directory, the
# kernel log gets no splat (WARN, BUG, Oops, call trace, KASAN, ...), and at
# the end every device is bound with a debugfs directory, and only those.
. "$(dirname "$0")/lib/ktap.sh"

LOOPS=${FPGAETH_LOOPS:-10}

# Problems with the state "devices in $1 bound, the others not".
state_errors() {
	local want=" $1 " d irqs=" " line
	while read -r line; do irqs+="${line##* } "; done </proc/interrupts
	for d in "${devs[@]}"; do
		if [[ $want == *" $d "* ]]; then
			fpgaeth_is_bound "$d" || echo "$d: not bound"
			[ -f "$FPGAETH_DBG/$d/regs" ] || echo "$d: bound, no debugfs regs"
			[[ $irqs == *" $d-misc "* ]] || echo "$d: bound, no misc interrupt"
		else
			! fpgaeth_is_bound "$d" || echo "$d: still bound"
			[ ! -e "$FPGAETH_DBG/$d" ] || echo "$d: unbound, debugfs dir left behind"
			[[ $irqs != *" $d-"* ]] || echo "$d: unbound, interrupts left requested"
		fi
	done
	if [ -d "$FPGAETH_DBG" ]; then
		for d in "$FPGAETH_DBG"/*; do
			[ -e "$d" ] || continue
			[[ $want == *" ${d##*/} "* ]] || echo "debugfs dir ${d##*/} for no bound device"
		done
	fi
}

report() { # NAME ERRORS (one a line; empty lines ignored)
	local e
	e=$(sed '/^$/d' <<<"$2")
	if [ -z "$e" ]; then
		ktap_ok "$1"
	else
		ktap_diag "$(head -n 12 <<<"$e")"
		ktap_fail "$1" "$(wc -l <<<"$e") problems: $(head -n 1 <<<"$e")"
	fi
}

ktap_header
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 4; }
ktap_plan 7

fpgaeth_ensure_debugfs
mark=$(fpgaeth_dmesg_mark)
mapfile -t devs < <(fpgaeth_devices)
all="${devs[*]}"
probes=0
[ -d /sys/module/fpgaeth ] || probes=${#devs[@]}
if fpgaeth_load; then ktap_ok "loop: module loaded"; else ktap_fail "loop: module loaded"; fi

errs=
for ((i = 0; i < LOOPS; i++)); do
	for d in "${devs[@]}"; do
		fpgaeth_unbind "$d" || errs+="unbind $d failed"$'\n'
		errs+=$(state_errors "${all/$d/}")$'\n'
		fpgaeth_bind "$d" || errs+="bind $d failed"$'\n'
		probes=$((probes + 1))
		errs+=$(state_errors "$all")$'\n'
	done
done
report "loop: unbind/bind x$LOOPS of ${#devs[@]} devices" "$errs"

errs=
for ((i = 0; i < LOOPS; i++)); do
	rmmod fpgaeth || errs+="rmmod failed"$'\n'
	[ ! -e "$FPGAETH_DBG" ] || errs+="debugfs fpgaeth/ left after rmmod"$'\n'
	errs+=$(state_errors "")$'\n'
	fpgaeth_load || errs+="insmod failed"$'\n'
	probes=$((probes + ${#devs[@]}))
	errs+=$(state_errors "$all")$'\n'
done
report "loop: rmmod/insmod x$LOOPS" "$errs"

log=$(fpgaeth_dmesg_since "$mark")
report "loop: no WARN/BUG/Oops/call trace in the kernel log" \
	"$(grep -E "$FPGAETH_SPLAT_RE" <<<"$log")"

n=$(grep -c 'fpgaeth .*: ID 0x.* version ' <<<"$log")
errs=$(grep -E 'fpgaeth .*(error|fail|timed out|not delivered|probe with driver fpgaeth failed)' <<<"$log")
[ "$n" = "$probes" ] || errs+=$'\n'"$n probe lines in the log for $probes probes"
report "loop: every probe succeeded ($probes)" "$errs"

errs=
[ ${#devs[@]} = "$(fpgaeth_expected_devices)" ] ||
	errs="${#devs[@]} devices, expected $(fpgaeth_expected_devices)"
for d in "${devs[@]}"; do
	fpgaeth_is_bound "$d" || errs+="$d not bound"$'\n'
done
report "loop: all ${#devs[@]} devices bound at the end" "$errs"

report "loop: debugfs dirs exactly for the bound devices" "$(state_errors "$all")"
ktap_finish
