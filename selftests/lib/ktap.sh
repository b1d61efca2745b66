# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# KTAP output and fpgaeth helpers for the shell selftests. Sourced:
#
#   . "$(dirname "$0")/lib/ktap.sh"
#   ktap_header; ktap_plan 3
#   ktap_ok "name" | ktap_fail "name" "reason" | ktap_skip "name" "reason"
#   ktap_check "name" "reason if false" test-command...
#   ktap_finish                  (exit 0 if nothing failed, else 1)
#
# Results are counted; ktap_finish also fails a test whose number of results
# differs from its plan.

KTAP_NR=0
KTAP_PLAN=
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

# the repository root: tests run from anywhere, paths are relative to it
FPGAETH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC2034 # used by the tests that source this file
FPGAETH_KO_PATH=${FPGAETH_KO:-$FPGAETH_TOP/drivers/net/ethernet/fpgaeth/fpgaeth.ko}
FPGAETH_DRV=/sys/bus/platform/drivers/fpgaeth
# shellcheck disable=SC2034
FPGAETH_DBG=/sys/kernel/debug/fpgaeth
FPGAETH_COMPAT=fpgaeth,eth-1.0

ktap_header() { echo "TAP version 13"; }
ktap_plan() { KTAP_PLAN=$1; echo "1..$1"; }
ktap_diag() { local l; while IFS= read -r l; do echo "# $l"; done <<<"$*"; }

ktap_ok() {
	KTAP_NR=$((KTAP_NR + 1)) KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NR $1"
}

ktap_fail() {
	KTAP_NR=$((KTAP_NR + 1)) KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_NR $1${2:+ # $2}"
}

ktap_skip() {
	KTAP_NR=$((KTAP_NR + 1)) KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NR $1 # SKIP ${2:-}"
}

# ktap_check NAME REASON CMD...: ok if CMD succeeds, else not ok # REASON
ktap_check() {
	local name=$1 reason=$2
	shift 2
	if "$@"; then ktap_ok "$name"; else ktap_fail "$name" "$reason"; fi
}

ktap_finish() {
	if [ -n "$KTAP_PLAN" ] && [ "$KTAP_NR" != "$KTAP_PLAN" ]; then
		ktap_diag "planned $KTAP_PLAN tests, ran $KTAP_NR"
		KTAP_FAIL=$((KTAP_FAIL + 1))
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	[ "$KTAP_FAIL" = 0 ]
	exit $?
}

# Bail out of the whole file (counts as a failure).
ktap_bail() {
	echo "Bail out! $*"
	exit 1
}

# --- fpgaeth ---------------------------------------------------------------

# Load the driver from the repository unless it is loaded; its dependencies
# (if any) come from /lib/modules through modprobe.
FPGAETH_DEPS=
fpgaeth_load() {
	[ -d /sys/module/fpgaeth ] && return 0
	[ -f "$FPGAETH_KO_PATH" ] || { echo "no $FPGAETH_KO_PATH (run make)" >&2; return 1; }
	if [ -z "$FPGAETH_DEPS" ]; then
		FPGAETH_DEPS=$(modinfo -F depends "$FPGAETH_KO_PATH") || return 1
		FPGAETH_DEPS=${FPGAETH_DEPS:-none}
	fi
	if [ "$FPGAETH_DEPS" != none ]; then
		# shellcheck disable=SC2086 # a list of module names
		modprobe -a ${FPGAETH_DEPS//,/ } || return 1
	fi
	insmod "$FPGAETH_KO_PATH"
}

# Mount debugfs unless it is mounted.
fpgaeth_ensure_debugfs() {
	local mnt rest
	while read -r _ mnt rest; do
		[ "$mnt" = /sys/kernel/debug ] && return 0
	done </proc/mounts
	mount -t debugfs debugfs /sys/kernel/debug
}

# Platform devices whose DT node is compatible with fpgaeth, one per line.
# (Builtins only: every fork costs a lot in a TCG guest.)
fpgaeth_devices() {
	local d c compat
	for d in /sys/bus/platform/devices/*; do
		[ -f "$d/of_node/compatible" ] || continue
		mapfile -d '' -t compat <"$d/of_node/compatible"
		for c in "${compat[@]}"; do
			[ "$c" = "$FPGAETH_COMPAT" ] && echo "${d##*/}"
		done
	done
	return 0
}

# Devices bound to the driver, one per line.
fpgaeth_bound() {
	local d
	[ -d $FPGAETH_DRV ] || return 0
	for d in "$FPGAETH_DRV"/*; do
		[ -L "$d" ] && [ -e "$d/of_node" ] && echo "${d##*/}"
	done
	return 0
}

fpgaeth_is_bound() { [ -e "$FPGAETH_DRV/$1" ]; }
fpgaeth_unbind() { echo "$1" >$FPGAETH_DRV/unbind; }
fpgaeth_bind() { echo "$1" >$FPGAETH_DRV/bind; }

# The number of fpgaeth instances the bench starts (tools/vm/run's
# FPGAETH_DEVICES, default two).
fpgaeth_expected_devices() {
	local devs
	read -ra devs <<<"${FPGAETH_DEVICES-fe0=x fe1=x}"
	echo ${#devs[@]}
}

# Mark the kernel log so that a test can read what it added: prints the mark.
fpgaeth_dmesg_mark() {
	local mark
	mark="fpgaeth-selftest: $(basename "$0") $$ $(date +%s%N)"
	echo "$mark" >/dev/kmsg
	echo "$mark"
}

# Kernel log lines after MARK.
fpgaeth_dmesg_since() {
	dmesg | sed -n "\\|$1|,\$p" | tail -n +2
}

# Kernel splats: WARN, BUG, Oops, call traces, KASAN/UBSAN/KFENCE reports,
# lockdep, RCU and lockup detectors, DMA-API debugging, kmemleak, a page
# pool that cannot drain, refcount and list corruption. run_tests.sh scans
# the kernel log of every program with it; the tests' own checks too.
# shellcheck disable=SC2034
FPGAETH_SPLAT_RE='WARNING:|BUG:|Oops|Call [Tt]race|kernel BUG|KASAN|UBSAN|KFENCE|general protection|Unable to handle|refcount_t:|list_add corruption|list_del corruption|possible circular locking|circular locking dependency|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|Kernel panic|soft lockup|hard LOCKUP|rcu_(sched|preempt) (self-)?detected|DMA-API: ([^ ]+ [^ ]+: |device driver|exceeded|.*out of memory|.*ENOMEM)|suspected memory leak|unreferenced object|stalled pool shutdown|hw csum failure|genirq:|irq [0-9]+: nobody cared|Trying to free already-free IRQ|debugfs: .* already present'

# The kernel log after the line holding MARK (all of it if MARK is empty
# or gone: the log wrapped).
kernel_log_since() {
	dmesg | awk -v mark="$1" '
		{ line[NR] = $0 }
		mark != "" && index($0, mark) { start = NR }
		END { for (i = start + 1; i <= NR; i++) print line[i] }'
}

# The runners' splat scan of one program: the kernel log since MARK
# (kernel_log_since); each splat line is printed as a diagnostic and the
# program counts one failure more (KTAP_F, KTAP_WHY).
ktap_splat_check() {
	local bad l
	bad=$(kernel_log_since "$1" | grep -E "$FPGAETH_SPLAT_RE")
	[ -n "$bad" ] || return 0
	while IFS= read -r l; do echo "# kernel log: $l"; done < <(head -n 20 <<<"$bad")
	KTAP_WHY="$(wc -l <<<"$bad") splat lines in the kernel log${KTAP_WHY:+, $KTAP_WHY}"
	KTAP_F=$((KTAP_F + 1))
}

# The runners' (run_tests.sh, upstream/run_upstream.sh) reading of one test
# program's output file OUT: ktap_count OUT sets KTAP_P (passed), KTAP_S
# (skipped; an "# XFAIL" result counts as skipped), KTAP_F (failed) and
# KTAP_PLAN from OUT's top-level lines, and KTAP_WHY to "".
ktap_count() {
	KTAP_S=$(grep -cE '^ok [0-9]+ .*# ([Ss][Kk][Ii][Pp]|XFAIL)' "$1")
	KTAP_P=$(($(grep -cE '^ok [0-9]+( |$)' "$1") - KTAP_S))
	KTAP_F=$(grep -cE '^not ok [0-9]+( |$)' "$1")
	KTAP_PLAN=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$1" | head -n 1)
	KTAP_WHY=
}

# After ktap_count: a program without a plan, or with fewer results than
# planned, fails (each missing result counts as a failure).
ktap_check_plan() {
	local got=$((KTAP_P + KTAP_S + KTAP_F))

	if [ -z "$KTAP_PLAN" ]; then
		KTAP_WHY="no plan" KTAP_F=$((KTAP_F + 1))
	elif [ "$got" -lt "$KTAP_PLAN" ]; then
		KTAP_WHY="$((KTAP_PLAN - got)) of $KTAP_PLAN results missing"
		KTAP_F=$((KTAP_F + KTAP_PLAN - got))
	fi
}

# ktap_program_result I NAME SECS: program I's summary and the runner's own
# result line for it, from KTAP_P, KTAP_F, KTAP_S and KTAP_WHY.
ktap_program_result() {
	echo "# $2: $KTAP_P passed, $KTAP_F failed, $KTAP_S skipped in $3 s"
	if [ "$KTAP_F" != 0 ]; then
		echo "not ok $1 $2 # $KTAP_F failed${KTAP_WHY:+ ($KTAP_WHY)}"
	elif [ "$KTAP_P" = 0 ] && [ "$KTAP_S" != 0 ]; then
		echo "ok $1 $2 # SKIP all skipped"
	else
		echo "ok $1 $2"
	fi
}

# ktap_program_end I NAME START MARK: the end of program I of a runner,
# after ktap_count and the runner's own checks: the splat scan since MARK,
# the runner's totals (passed, failed, skipped: the caller's variables) and
# the result line (START: $SECONDS when the program began).
ktap_program_end() {
	ktap_splat_check "$4"
	passed=$((passed + KTAP_P)) skipped=$((skipped + KTAP_S)) failed=$((failed + KTAP_F))
	ktap_program_result "$1" "$2" $((SECONDS - $3))
}

# ktap_runner_end: a runner's last line; true when nothing failed.
ktap_runner_end() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}
