#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every fpgaeth selftest in the guest as root, each printing KTAP. The
# output is one KTAP document: a plan of one test per program, each
# program's output nested (indented two spaces), then its result. Ends with
# "N passed, N failed, N skipped" counting the individual test cases; exits
# 1 if any failed.
#
#   selftests/run_tests.sh [NAME-PATTERN...]    e.g. run_tests.sh dt id
#
# The programs are the ones named in the directory's tests.list (one file
# name a line, # comments): a listed program that is missing or not
# executable fails, and so does an fpgaeth_* file that is not listed, so a
# test cannot disappear from the run unnoticed. NAME-PATTERNs select among
# the listed programs.
#
# A program fails (counted once, on top of its own results) when:
#   - it prints no plan, fewer results than its plan, or exits non-zero
#     without a failed result (a crash, a time-out);
#   - it skips as a whole ("1..0 # SKIP"): on the bench every program must
#     run (FPGAETH_SKIP_OK=1 accepts it, for a partial bench);
#   - the kernel log it added (from a mark written to /dev/kmsg before it
#     started; for the first program, from boot) has a splat: a WARN, BUG,
#     Oops, lockdep, DMA-API, KASAN, kmemleak or stalled page_pool report
#     (FPGAETH_SPLAT_RE of lib/ktap.sh). No program may provoke one on
#     purpose (the TX watchdog's message is not a WARN since 6.9).
#
# FPGAETH_TEST_TIMEOUT: seconds per program (default 300).
# FPGAETH_TEST_DIR: where the programs and their tests.list are (default
# selftests; the tests of another bench, e.g. selftests/variants, see
# tools/vm/check).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=selftests/lib/ktap.sh
. selftests/lib/ktap.sh

dir=${FPGAETH_TEST_DIR:-selftests}
list=$dir/tests.list

selected() { # NAME: matches a NAME-PATTERN (or there are none)
	local p
	[ ${#patterns[@]} = 0 ] && return 0
	for p in "${patterns[@]}"; do [[ $1 == *"$p"* ]] && return 0; done
	return 1
}

patterns=("$@")
tests=()
problems=()     # "name: why" of programs that cannot run
if [ ! -f "$list" ]; then
	problems+=("${list##*/}: $list missing")
else
	while read -r name _; do
		case $name in '' | '#'*) continue ;; esac
		selected "$name" || continue
		if [ ! -f "$dir/$name" ]; then
			problems+=("$name: listed in $list, missing")
		elif [ ! -x "$dir/$name" ]; then
			problems+=("$name: listed in $list, not executable")
		else
			tests+=("$dir/$name")
		fi
	done <"$list"
fi
for t in "$dir"/fpgaeth_*; do
	[ -f "$t" ] || continue
	name=${t##*/}
	selected "$name" || continue
	grep -qE "^$name( |$)" "$list" 2>/dev/null ||
		problems+=("$name: not in $list (add it, or remove the file)")
done

passed=0 failed=0 skipped=0
echo "TAP version 13"
echo "1..$((${#tests[@]} + ${#problems[@]}))"
i=0
for p in "${problems[@]}"; do
	i=$((i + 1))
	echo "# ${p#*: }"
	echo "not ok $i ${p%%: *} # cannot run: ${p#*: }"
	failed=$((failed + 1))
done
first=1
for t in "${tests[@]}"; do
	i=$((i + 1))
	name=${t##*/}
	# the kernel log this program adds starts after its mark (the first
	# program's at boot)
	mark="fpgaeth-runner: $name $$ $i $(date +%s%N)"
	echo "$mark" >/dev/kmsg
	if [ $first = 1 ]; then mark='' first=0; fi
	out=$(mktemp)
	start=$SECONDS
	timeout -k 10 "${FPGAETH_TEST_TIMEOUT:-300}" "./$t" </dev/null 2>&1 |
		tee "$out" | sed -u 's/^/  /'
	rc=${PIPESTATUS[0]}
	# count this program's own results (not its children's, if nested)
	ktap_count "$out"
	if [ "$KTAP_PLAN" = 0 ] && [ $((KTAP_P + KTAP_S + KTAP_F)) = 0 ]; then
		if [ "${FPGAETH_SKIP_OK:-0}" = 1 ]; then
			KTAP_S=1        # the whole program skipped (1..0 # SKIP reason)
		else
			KTAP_WHY="skipped as a whole: $(sed -n 's/^1\.\.0 *# *[Ss][Kk][Ii][Pp] *//p' "$out" | head -n 1)"
			KTAP_F=1
		fi
	else
		ktap_check_plan
	fi
	[ "$rc" = 124 ] && KTAP_WHY="timed out${KTAP_WHY:+, $KTAP_WHY}"
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$KTAP_F" = 0 ]; then
		KTAP_WHY="exit status $rc${KTAP_WHY:+, $KTAP_WHY}"
		KTAP_F=1
	fi
	rm -f "$out"
	ktap_program_end "$i" "$name" "$start" "$mark"
done
ktap_runner_end
