#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side, on the debug kernel (its fail_function): the kernel's own
# drivers/net/hw/pp_alloc_fail.py against fpgaeth, by hand (README,
# "Reliability"; not in make check: the bench is too slow for its rates).
#
#   FPGAETH_KERNEL=debug FPGAETH_KSFT=$(selftests/upstream/stage) \
#     tools/vm/run selftests/debug/pp_alloc_fail.sh
#
# Runs the test twice on the bench of selftests/upstream/bench_up.py:
#  1. as the kernel ships it: it wants 15000 RX packets a second before and
#     after the fault and 100 failed allocations in 3 s with one allocation
#     in 511 failing (fail_function interval 511);
#  2. a copy with those two rates scaled to the bench (PP_FLOOR packets a
#     second, default 200; one allocation in PP_INTERVAL failing, default 8),
#     nothing else changed: traffic (iperf3 from the remote) must keep
#     flowing while allocations fail and across an ethtool -G, the failures
#     must be counted in qstats rx-alloc-fail.
# Prints both programs' KTAP; exits 1 when the scaled copy failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
K=${FPGAETH_KSFT_GUEST:-/mnt/ksft}
FLOOR=${PP_FLOOR:-200}
INTERVAL=${PP_INTERVAL:-8}
[ -f "$K/drivers/net/hw/pp_alloc_fail.py" ] || {
	echo "no $K/drivers/net/hw/pp_alloc_fail.py (FPGAETH_KSFT: selftests/upstream/stage)" >&2
	exit 1
}

envf=$(mktemp)
selftests/upstream/bench_up.py >"$envf" || { cat "$envf"; exit 1; }
while IFS= read -r l; do
	case $l in [A-Z]*=*) export "${l?}" ;; esac
done <"$envf"
rm -f "$envf"

echo "# 1. pp_alloc_fail.py as shipped ($(cat "$K/.fpgaeth-source" 2>/dev/null))"
(cd "$K/drivers/net/hw" && timeout -k 10 300 python3 ./pp_alloc_fail.py </dev/null 2>&1)
echo "# exit status $?"

# the copy: the whole staged tree (its lib/py finds net/lib/py 5 levels up)
T=$(mktemp -d)
cp -a "$K/." "$T/"
P=$T/drivers/net/hw/pp_alloc_fail.py
sed -i -e "s/< 15000:/< $FLOOR:/" -e "s/\"interval\": 511,/\"interval\": $INTERVAL,/" "$P"
if ! grep -q "< $FLOOR:" "$P" || ! grep -q "\"interval\": $INTERVAL," "$P"; then
	echo "# the test's rates were not found to scale: not run"
	exit 1
fi
echo "# 2. pp_alloc_fail.py with floor $FLOOR packets/s, fail_function interval $INTERVAL"
(cd "$T/drivers/net/hw" && timeout -k 10 300 python3 ./pp_alloc_fail.py </dev/null 2>&1)
rc=$?
echo "# exit status $rc"
echo "# fpgaeth counters: $(ethtool -S "$NETIF" | grep -E 'alloc_fail|rx_nobuf' | tr -s ' ' | tr '\n' ' ')"
rm -rf "$T"
exit $rc
