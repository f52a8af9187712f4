#!/usr/bin/env bash
# Run the guest tests of one profile in one boot and judge the run.
#
# Reads "dcd-result: NAME:RC" lines from the console log. The run fails on
# any failed test, on any kernel splat anywhere in the log (even when every
# test passed), and when the guest hangs (killed after the time limit) or
# never reports "dcd-done".
#
# Usage: scripts/run-tests.sh [-h] [-p cxl_test|dcd] [-t GLOBS]
# Env:   RESULTS (file to append "NAME:RC" lines to), RUN_LIMIT (seconds)
# Exit:  0 all passed or skipped, 1 a failure, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] [-p cxl_test|dcd] [-t GLOBS]\nBoot a profile, run its tests, judge the kernel log.\n' "${0##*/}"; }
profile=cxl_test tests="*"
while getopts hp:t: opt; do
	case "$opt" in
	h) usage; exit 0 ;;
	p) profile=$OPTARG ;;
	t) tests=$OPTARG ;;
	*) usage >&2; exit 2 ;;
	esac
done
: "${RESULTS:=$LOGDIR/results-$profile.txt}"
: "${RUN_LIMIT:=1800}"
mkdir -p "$LOGDIR"
: >"$RESULTS"

# The tests this run expects, so a hang still counts them.
expected=()
for t in "$TOP/tests/$profile"/[0-9]*.sh; do
	[ -e "$t" ] || continue
	n=$(basename "$t" .sh)
	IFS=, read -r -a globs <<<"$tests"
	for g in "${globs[@]}"; do
		# shellcheck disable=SC2053 # glob match on purpose
		if [[ $profile/$n == $g || $n == $g ]]; then
			expected+=("$profile/$n")
			break
		fi
	done
done

record() { printf '%s:%s\n' "$1" "$2" >>"$RESULTS"; }

if [ "$profile" = dcd ] &&
	! "${QEMU:-qemu-system-x86_64}" -device cxl-type3,help 2>/dev/null | grep -q volatile-dc-memdev; then
	msg "SKIP profile dcd: QEMU lacks DCD emulation (needs 9.1+ from bookworm-backports)"
	for n in "${expected[@]}"; do record "$n" 77; done
	exit 0
fi

log=$LOGDIR/$profile-test.log
run_rc=0
"$TOP/scripts/run-qemu.sh" -p "$profile" -r test -t "$tests" -o "$log" -T "$RUN_LIMIT" || run_rc=$?
[ "$run_rc" = 2 ] && die "could not boot the $profile guest (see above)"

# scan_splats LOG: print the kernel splat lines of a console log.
scan_splats() {
	grep -E 'WARNING:|BUG:|Oops|general protection fault|Kernel panic|INFO: task .* blocked for|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|KASAN:|UBSAN:|kernel BUG at|Call Trace:|refcount_t: |list_(add|del) corruption' "$1" || true
}

failed=0
declare -A got=()
while IFS= read -r line; do
	r=${line##*dcd-result: }
	name=${r%:*}
	rc=${r##*:}
	rc=${rc//[^0-9]/}
	got[$name]=$rc
done < <(grep -a 'dcd-result: ' "$log" || true)

for n in "${expected[@]}"; do
	rc=${got[$n]:-}
	if [ -z "$rc" ]; then
		msg "$n: no result (guest hung or crashed first)"
		rc=1
	fi
	case "$rc" in
	0) msg "PASS $n" ;;
	77) msg "SKIP $n" ;;
	*) msg "FAIL $n (rc $rc)"; failed=1 ;;
	esac
	record "$n" "$rc"
done

splats=$(scan_splats "$log")
if [ -n "$splats" ]; then
	msg "FAIL $profile/kernel-log: kernel splat in the console log:"
	printf '%s\n' "$splats" | head -n 20 >&2
	record "$profile/kernel-log" 1
	failed=1
elif [ "$run_rc" != 0 ] || ! grep -aq 'dcd-done' "$log"; then
	msg "FAIL $profile/kernel-log: the guest did not finish (log: $log)"
	record "$profile/kernel-log" 1
	failed=1
else
	record "$profile/kernel-log" 0
fi

if [ "$failed" = 1 ]; then
	msg "console log kept: $log"
	exit 1
fi
exit 0
