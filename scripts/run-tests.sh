#!/usr/bin/env bash
# Run the guest tests of one profile in one boot and judge the run.
#
# scripts/judge-log.sh reads the console log: the run fails on any failed
# test, on any kernel splat anywhere in the log (even when every test
# passed), and when the guest hangs (killed after the time limit), panics,
# or never reports "dcd-done". Every expected test without a result counts
# as a failure, and so does a boot that could not happen (no QEMU, a QEMU
# without DCD emulation, QEMU dying): "could not run" is never a pass or a
# skip. Each test's part of the console log goes to build/logs/<profile>/.
#
# Usage: scripts/run-tests.sh [-h] [-p cxl_test|dcd] [-t GLOBS] [-n RUN]
#        -n: this run's name (default the profile's): its console log is
#        build/logs/RUN-test.log, its per-test logs in build/logs/RUN/, and
#        its kernel-log result "RUN/kernel-log"; two runs of one profile
#        side by side need two names
# Env:   RESULTS (file to append "NAME:RC" lines to), RUN_LIMIT (seconds,
#        default 3600: a whole profile's run),
#        TESTS_DIR (default tests/), QEMU
# Exit:  0 all passed or skipped, 1 a failure, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] [-p cxl_test|dcd] [-t GLOBS] [-n RUN]\nBoot a profile, run its tests, judge the kernel log.\n' "${0##*/}"; }
profile=cxl_test tests="*" runname=""
while getopts hp:t:n: opt; do
	case "$opt" in
	h) usage; exit 0 ;;
	p) profile=$OPTARG ;;
	t) tests=$OPTARG ;;
	n) runname=$OPTARG ;;
	*) usage >&2; exit 2 ;;
	esac
done
case "$profile" in cxl_test | dcd) ;; *) usage >&2; die "unknown profile '$profile'" ;; esac
: "${runname:=$profile}"
[[ $runname =~ ^[A-Za-z0-9_.-]+$ ]] || die "a run name is letters, digits, '_', '.' and '-'"
: "${RESULTS:=$LOGDIR/results-$runname.txt}"
: "${RUN_LIMIT:=3600}"
: "${TESTS_DIR:=$TOP/tests}"
: "${QEMU:=qemu-system-x86_64}"
mkdir -p "$LOGDIR"
: >"$RESULTS"
: >"$RESULTS.details"

record() { printf '%s:%s\n' "$1" "$2" >>"$RESULTS"; }

# The tests this run expects, so a hang or a crash still counts them.
expected=()
IFS=, read -r -a globs <<<"$tests"
for t in "$TESTS_DIR/$profile"/[0-9]*.sh; do
	[ -e "$t" ] || continue
	n=$(basename "$t" .sh)
	for g in "${globs[@]}"; do
		# shellcheck disable=SC2053 # glob match on purpose
		if [[ $profile/$n == $g || $n == $g ]]; then
			expected+=("$profile/$n")
			break
		fi
	done
done
if [ "${#expected[@]}" = 0 ]; then
	record "$profile/no-tests" 2
	die "no test of profile $profile matches '$tests'"
fi

# could_not_run WHY: every expected test failed without running.
could_not_run() {
	local n

	for n in "${expected[@]}"; do
		record "$n" 2
		printf '%s\tnot run: %s\n' "$n" "$1" >>"$RESULTS.details"
	done
	die "$1: ${#expected[@]} $profile test(s) counted as failed"
}

command -v "$QEMU" >/dev/null 2>&1 || could_not_run "$QEMU not found (run 'make deps')"
if [ "$profile" = dcd ] && ! qemu_has_dcd "$QEMU"; then
	could_not_run "$QEMU lacks DCD emulation (needs 9.1+ from bookworm-backports: run 'make deps')"
fi

# Never boot last build's kernel, modules or tests; never judge last
# run's log.
if [ "${FRESH:-1}" != 0 ]; then
	"$TOP/scripts/fresh.sh" || could_not_run "the guest kernel or initramfs could not be rebuilt"
fi
log=$LOGDIR/$runname-test.log
rm -rf "${LOGDIR:?}/$runname" "$log"
run_rc=0
# In the background, so that INT or TERM reach run-qemu.sh, which stops
# its QEMU, instead of leaving it running.
FRESH=0 "$TOP/scripts/run-qemu.sh" -p "$profile" -r test -t "$tests" -o "$log" -T "$RUN_LIMIT" &
qpid=$!
trap 'kill -TERM "$qpid" 2>/dev/null; wait "$qpid"; exit 130' INT
trap 'kill -TERM "$qpid" 2>/dev/null; wait "$qpid"; exit 143' TERM
wait "$qpid" || run_rc=$?
trap - INT TERM

killed=()
[ "$run_rc" = 1 ] && killed=(-k)
judge_rc=0
[ -f "$log" ] || : >"$log"
RESULTS=$RESULTS "$TOP/scripts/judge-log.sh" -p "$profile" -n "$runname" -l "$log" -d "$LOGDIR/$runname" \
	"${killed[@]}" "${expected[@]}" || judge_rc=$?
if [ "$run_rc" -ge 2 ]; then
	# QEMU could not start or died under the guest: a named failure of
	# its own, beside the tests that never reported.
	record "$runname/boot" 2
	printf '%s\tQEMU or the runner failed (rc %s); log %s\n' "$runname/boot" "$run_rc" "$log" \
		>>"$RESULTS.details"
	msg "FAIL $runname/boot: QEMU or the runner failed (rc $run_rc), console log $log"
	exit 1
fi
if [ "$judge_rc" != 0 ]; then
	msg "console log kept: $log (one log per test in $LOGDIR/$runname/)"
	exit 1
fi
exit 0
