#!/usr/bin/env bash
# Run the guest tests of one profile in one boot and judge the run.
#
# scripts/judge-log.sh reads the console log: the run fails on any failed
# test, on any kernel splat anywhere in the log (even when every test
# passed), and when the guest hangs (killed after the time limit) or never
# reports "dcd-done".
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

killed=()
[ "$run_rc" = 1 ] && killed=(-k)
if ! RESULTS=$RESULTS "$TOP/scripts/judge-log.sh" -p "$profile" -l "$log" "${killed[@]}" "${expected[@]}"; then
	msg "console log kept: $log"
	exit 1
fi
exit 0
