#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every fpgaeth selftest (selftests/fpgaeth_*, executable) in the guest
# as root, each printing KTAP. The output is one KTAP document: a plan of one
# test per program, each program's output nested (indented two spaces),
# then its result. Ends with "N passed, N failed, N skipped" counting the
# individual test cases; exits 1 if any failed.
#
#   selftests/run_tests.sh [NAME-PATTERN...]    e.g. run_tests.sh dt id
# FPGAETH_TEST_TIMEOUT: seconds per program (default 300).
# FPGAETH_TEST_DIR: where the programs are (default selftests; the tests of
# another bench, e.g. selftests/variants, see tools/vm/check).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

tests=()
for t in "${FPGAETH_TEST_DIR:-selftests}"/fpgaeth_*; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
	if [ $# -gt 0 ]; then
		m=0
		for p in "$@"; do [[ ${t##*/} == *"$p"* ]] && m=1; done
		[ $m = 1 ] || continue
	fi
	tests+=("$t")
done

passed=0 failed=0 skipped=0
echo "TAP version 13"
echo "1..${#tests[@]}"
i=0
for t in "${tests[@]}"; do
	i=$((i + 1))
	name=${t##*/}
	out=$(mktemp)
	start=$SECONDS
	timeout -k 10 "${FPGAETH_TEST_TIMEOUT:-300}" "./$t" </dev/null 2>&1 |
		tee "$out" | sed -u 's/^/  /'
	rc=${PIPESTATUS[0]}
	# count this program's own results (not its children's, if nested)
	p=$(grep -cE '^ok [0-9]+( |$)' "$out")
	s=$(grep -cE '^ok [0-9]+ .*# [Ss][Kk][Ii][Pp]' "$out")
	f=$(grep -cE '^not ok [0-9]+( |$)' "$out")
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$out" | head -n 1)
	p=$((p - s))
	why=
	if [ "$plan" = 0 ] && [ $((p + s + f)) = 0 ]; then
		s=1     # the whole program skipped (1..0 # SKIP reason)
	elif [ -z "$plan" ]; then
		why="no plan"
		f=$((f + 1))
	elif [ $((p + s + f)) -lt "$plan" ]; then
		why="$((plan - p - s - f)) of $plan results missing"
		f=$((f + plan - p - s - f))
	fi
	[ "$rc" = 124 ] && why="timed out${why:+, $why}"
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$f" = 0 ]; then
		why="exit status $rc${why:+, $why}"
		f=1
	fi
	rm -f "$out"
	passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
	echo "# $name: $p passed, $f failed, $s skipped in $((SECONDS - start)) s"
	if [ "$f" != 0 ]; then
		echo "not ok $i $name # $f failed${why:+ ($why)}"
	elif [ "$p" = 0 ] && [ "$s" != 0 ]; then
		echo "ok $i $name # SKIP all skipped"
	else
		echo "ok $i $name"
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
