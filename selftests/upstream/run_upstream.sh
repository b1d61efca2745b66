#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's own driver tests (tools/testing/selftests/drivers/net/*.py
# and hw/*.py of the guest kernel's Debian source, staged on the host by
# selftests/upstream/stage and mounted at $FPGAETH_KSFT_GUEST) in the guest
# against fpgaeth: fe0's interface is NETIF, fe1's, in the namespace
# "peer", the remote (REMOTE_TYPE=netns), as drivers/net/README.rst says.
#
# Output like selftests/run_tests.sh: one KTAP document, a plan of one test
# per program, each program's KTAP nested, then
# "N passed, N failed, N skipped" counting the test cases.  The suite's own
# SKIP and XFAIL (a feature the IP does not have) count as skipped.  A case
# listed in selftests/upstream/known-driver-bugs fails because of a driver
# bug reported to the lead: its "not ok" is shown as
# "ok ... # XFAIL known driver bug: <reason>" and counted as skipped; if it
# passes, that is an XPASS and counts as failed (the list must shrink).
# Programs in selftests/upstream/excluded are not run (the reason is there
# and in the README).
#
#   selftests/upstream/run_upstream.sh [NAME-PATTERN...]
# FPGAETH_UPSTREAM_TIMEOUT: seconds per program (default 300).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/lib/ktap.sh
. "$HERE/../lib/ktap.sh"
K=${FPGAETH_KSFT_GUEST:-/mnt/ksft}
D=$K/drivers/net
series=$(uname -r | cut -d. -f1-2)

if [ ! -d "$D" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP no staged kernel selftests at $K (selftests/upstream/stage)"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# list FILE: "<series|*> <key> <reason...>" lines for this kernel
list() {
	awk -v s="$series" '!/^#/ && NF >= 2 && ($1 == s || $1 == "*") { k = $2; $1 = $2 = ""; sub(/^ +/, ""); print k "\t" $0 }' "$HERE/$1"
}
# known_conds_met CASE REASON OUT: a reason may start with conditions,
# "IF /ERE/ IF /ERE/ ..." (an ERE holds no "/"): the failure is the listed
# one only when the case's own output (its lines after the previous case's
# result) matches every ERE. Succeeds when all match (or there is none);
# otherwise prints the first that did not and fails.
known_conds_met() {
	local c=$1 r=$2 out=$3 block
	block=$(awk -v re="^not ok [0-9]+ $c( |\$)" '
		$0 ~ re { printf "%s", b; exit }
		/^(not )?ok [0-9]+ / { b = ""; next }
		{ b = b $0 "\n" }' "$out")
	while [[ $r =~ ^IF\ /([^/]*)/\ *(.*)$ ]]; do
		if ! grep -qE -- "${BASH_REMATCH[1]}" <<<"$block"; then
			echo "no line matches /${BASH_REMATCH[1]}/"
			return 1
		fi
		r=${BASH_REMATCH[2]}
	done
}
declare -A excluded=() known=()
while IFS=$'\t' read -r k r; do excluded[$k]=$r; done < <(list excluded)
while IFS=$'\t' read -r k r; do known[$k]=$r; done < <(list known-driver-bugs)

tests=()
for t in "$D"/*.py "$D"/hw/*.py; do
	[ -f "$t" ] || continue
	rel=${t#"$D"/}
	if [ $# -gt 0 ]; then
		m=0
		for p in "$@"; do [[ $rel == *"$p"* ]] && m=1; done
		[ $m = 1 ] || continue
	fi
	tests+=("$rel")
done

# The kernel log is scanned for splats from here on, without a gap: each
# program's scan starts at the mark written after the previous one (the
# first's before the bench set-up), so the set-up and what runs between
# programs count too.
mark="fpgaeth-upstream: set-up $$ $(date +%s%N)"
echo "$mark" >/dev/kmsg
# The bench: driver loaded, NETIF, remote in the namespace.
envf=$(mktemp)
if ! "$HERE/bench_up.py" >"$envf"; then
	sed 's/^/# /' "$envf"
	echo "TAP version 13"
	echo "1..${#tests[@]}"
	i=0
	for t in "${tests[@]}"; do
		i=$((i + 1))
		echo "not ok $i $t # bench set-up failed"
	done
	echo "0 passed, ${#tests[@]} failed, 0 skipped"
	exit 1
fi
while IFS= read -r l; do
	case $l in [A-Z]*=*) export "${l?}" ;; esac
done <"$envf"
rm -f "$envf"
# Tests set the interfaces down and up (stats.py, queues.py check_down):
# IPv6 would drop the bench's addresses then and every later test that
# reaches the local address from the remote (the traffic generator of
# lib/py/load.py) would find no route: keep them, on both ends.
sysctl -qw "net.ipv6.conf.$NETIF.keep_addr_on_down=1"
ip netns exec "$REMOTE_ARGS" sysctl -qw "net.ipv6.conf.$FPGAETH_REMOTE_IF.keep_addr_on_down=1"

passed=0 failed=0 skipped=0
echo "TAP version 13"
echo "# kernel $(uname -r), tests of $(cat "$K/.fpgaeth-source" 2>/dev/null)"
echo "# NETIF=$NETIF LOCAL_V4=$LOCAL_V4 REMOTE_V4=$REMOTE_V4 LOCAL_V6=$LOCAL_V6 REMOTE_V6=$REMOTE_V6 REMOTE_TYPE=$REMOTE_TYPE REMOTE_ARGS=$REMOTE_ARGS"
echo "1..${#tests[@]}"
i=0
for t in "${tests[@]}"; do
	i=$((i + 1))
	name=upstream-$series/$t
	if [ -n "${excluded[$t]:-}" ]; then
		skipped=$((skipped + 1))
		echo "ok $i $name # SKIP excluded: ${excluded[$t]}"
		continue
	fi
	# a test that failed may leave the ports down: the next one finds them up
	ip link set dev "$NETIF" up 2>/dev/null
	ip -n "$REMOTE_ARGS" link set dev "$FPGAETH_REMOTE_IF" up 2>/dev/null
	out=$(mktemp)
	start=$SECONDS
	(cd "$D/$(dirname "$t")" && timeout -k 10 "${FPGAETH_UPSTREAM_TIMEOUT:-300}" \
		python3 "./${t##*/}" </dev/null 2>&1) >"$out"
	rc=$?
	# known driver bugs: their "not ok" becomes an XFAIL, a pass an XPASS
	xpass=0
	for k in "${!known[@]}"; do
		case $k in "$t":*) ;; *) continue ;; esac
		c=${k#"$t":}
		if grep -qE "^not ok [0-9]+ $c( |$)" "$out"; then
			if ! why=$(known_conds_met "$c" "${known[$k]}" "$out"); then
				echo "# $c failed otherwise than listed in selftests/upstream/known-driver-bugs ($why): counted as a failure" >>"$out"
				continue
			fi
			sed -i -E "s|^not ok ([0-9]+) $c( .*)?\$|ok \\1 $c # XFAIL known driver bug: ${known[$k]//|/\\|}|" "$out"
		elif ! grep -qE "^ok [0-9]+ $c( |$)" "$out"; then
			: # the case did not run: nothing to report
		elif [[ ${known[$k]} == FLAKY* ]]; then
			# passes and fails from run to run (the reason says so): a pass
			# is reported, not counted against the list
			echo "# FLAKY $c passed this time: ${known[$k]}" >>"$out"
		elif [[ ${known[$k]} == IF\ /* ]]; then
			# listed only for a failure of its own kind: a pass is reported
			echo "# IF-listed $c passed this time: ${known[$k]}" >>"$out"
		elif ! grep -qE "^ok [0-9]+ $c .*# (SKIP|XFAIL)" "$out"; then
			echo "# XPASS $c: listed in selftests/upstream/known-driver-bugs but passed" >>"$out"
			xpass=$((xpass + 1))
		fi
	done
	sed 's/^/  /' "$out"
	ktap_count "$out"
	KTAP_P=$((KTAP_P - xpass)) KTAP_F=$((KTAP_F + xpass))
	if { [ "$KTAP_PLAN" = 0 ] || { [ -z "$KTAP_PLAN" ] && [ "$rc" = 4 ]; }; } &&
		[ $((KTAP_P + KTAP_S + KTAP_F)) = 0 ]; then
		# the whole program skipped: "1..0 # SKIP" or, for a program that
		# is not KTAP (devlink_port_split.py), exit status 4 (KSFT_SKIP)
		KTAP_S=1
	else
		ktap_check_plan
	fi
	[ "$rc" = 124 ] && KTAP_WHY="timed out${KTAP_WHY:+, $KTAP_WHY}"
	# exit 4: KSFT_SKIP (the whole program skipped)
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$KTAP_F" = 0 ] && [ "$xpass" = 0 ]; then
		# a listed XFAIL turned the program's failure into none
		if ! grep -q '# XFAIL known driver bug' "$out"; then
			KTAP_WHY="exit status $rc${KTAP_WHY:+, $KTAP_WHY}"
			KTAP_F=1
		fi
	fi
	rm -f "$out"
	# the next window's mark goes in before this window is scanned: a line
	# logged meanwhile is in both windows, none is in neither
	next="fpgaeth-upstream: after $name $$ $i $(date +%s%N)"
	echo "$next" >/dev/kmsg
	ktap_program_end "$i" "$name" "$start" "$mark"
	mark=$next
done
ktap_runner_end
