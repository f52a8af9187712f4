#!/usr/bin/env bash
# Judge a guest console log: print and record one "NAME:RC" line per
# expected test, plus "<profile>/kernel-log", which fails on any kernel
# splat anywhere in the log (even when every test passed) and on a guest
# that did not finish (no "dcd-done", or the run was killed).
#
# Usage: scripts/judge-log.sh [-h] -p PROFILE -l LOG [-k] [TEST...]
#        -k: the run was killed after its time limit
# Env:   RESULTS (file to append "NAME:RC" lines to; default stdout only)
# Exit:  0 all passed or skipped, 1 a failure, 2 usage error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] -p PROFILE -l LOG [-k] [TEST...]\nJudge a guest console log.\n' "${0##*/}"; }
profile="" log="" killed=0
while getopts hp:l:k opt; do
	case "$opt" in
	h) usage; exit 0 ;;
	p) profile=$OPTARG ;;
	l) log=$OPTARG ;;
	k) killed=1 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$profile" ] || [ ! -f "$log" ]; then
	usage >&2
	exit 2
fi
: "${RESULTS:=/dev/null}"

# What counts as a kernel splat (warnings, bugs, oopses, lockdep and
# sanitizer reports, hung tasks, any stack trace): one ERE a line, shared
# with the guest's per-test check.
SPLAT=$TOP/guest/usr/lib/dcd/splat.ere

record() {
	printf '%s:%s\n' "$1" "$2" >>"$RESULTS"
	case "$2" in
	0) msg "PASS $1" ;;
	77) msg "SKIP $1" ;;
	*) msg "FAIL $1 (rc $2)" ;;
	esac
}

failed=0
declare -A got=()
while IFS= read -r line; do
	r=${line##*dcd-result: }
	rc=${r##*:}
	got[${r%:*}]=${rc//[^0-9]/}
done < <(grep -a 'dcd-result: ' "$log" || true)

for n in "$@"; do
	rc=${got[$n]:-}
	if [ -z "$rc" ]; then
		msg "$n: no result (the guest hung or crashed first)"
		rc=1
	fi
	[ "$rc" = 0 ] || [ "$rc" = 77 ] || failed=1
	record "$n" "$rc"
done

splats=$(grep -aEf "$SPLAT" "$log" || true)
if [ -n "$splats" ]; then
	msg "kernel splat in the console log:"
	printf '%s\n' "$splats" | head -n 20 >&2
	record "$profile/kernel-log" 1
	failed=1
elif [ "$killed" = 1 ] || ! grep -aq 'dcd-done' "$log"; then
	msg "the guest did not finish (log: $log)"
	record "$profile/kernel-log" 1
	failed=1
else
	record "$profile/kernel-log" 0
fi
exit "$failed"
