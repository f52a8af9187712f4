#!/usr/bin/env bash
# Judge a guest console log: print and record one "NAME:RC" line per
# expected test, plus "<profile>/kernel-log", which fails on any kernel
# splat anywhere in the log (even when every test passed) and on a guest
# that did not finish (no "dcd-done", or the run was killed).
#
# A test without a result line failed (the guest hung, panicked or QEMU
# died first); a test whose part of the log holds a splat failed even if it
# reported 0. With -d, each test's part of the log (from "dcd: start NAME"
# to its result, or to the end of the log) goes to DIR/<test>.log, and every
# failure names that log and its first splat line.
#
# Usage: scripts/judge-log.sh [-h] -p PROFILE -l LOG [-d DIR] [-k] [-n RUN] [TEST...]
#        -k: the run was killed after its time limit
#        -n: the log's name in results (default PROFILE): "RUN/kernel-log"
# Env:   RESULTS (file to append "NAME:RC" lines to; default stdout only);
#        failure details go to RESULTS.details ("NAME<TAB>why" lines)
# Exit:  0 all passed or skipped, 1 a failure, 2 usage error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] -p PROFILE -l LOG [-d DIR] [-k] [-n RUN] [TEST...]\nJudge a guest console log.\n' "${0##*/}"; }
profile="" log="" killed=0 dir="" runname=""
while getopts hp:l:d:kn: opt; do
	case "$opt" in
	h) usage; exit 0 ;;
	p) profile=$OPTARG ;;
	l) log=$OPTARG ;;
	d) dir=$OPTARG ;;
	k) killed=1 ;;
	n) runname=$OPTARG ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$profile" ] || [ ! -f "$log" ]; then
	usage >&2
	exit 2
fi
: "${RESULTS:=/dev/null}"
details=/dev/null
[ "$RESULTS" = /dev/null ] || details=$RESULTS.details

# What counts as a kernel splat (warnings, bugs, oopses, lockdep and
# sanitizer reports, hung tasks, any stack trace): one ERE a line, shared
# with the guest's per-test check.
SPLAT=$TOP/guest/usr/lib/dcd/splat.ere

record() { # NAME RC [WHY]
	printf '%s:%s\n' "$1" "$2" >>"$RESULTS"
	case "$2" in
	0) msg "PASS $1" ;;
	77) msg "SKIP $1" ;;
	*)
		msg "FAIL $1 (rc $2)${3:+: $3}"
		[ -z "${3:-}" ] || printf '%s\t%s\n' "$1" "$3" >>"$details"
		;;
	esac
}

# section NAME: the lines of NAME's run, from its start marker to its
# result (or to the end of the log when it never reported).
section() {
	awk -v s="dcd: start $1" -v r="dcd-result: $1:" '
		index($0, s) { on = 1 }
		on { print }
		on && index($0, r) { exit }' "$log"
}

failed=0
declare -A got=()
while IFS= read -r line; do
	r=${line##*dcd-result: }
	rc=${r##*:}
	got[${r%:*}]=${rc//[^0-9]/}
done < <(grep -a 'dcd-result: ' "$log" || true)

[ -z "$dir" ] || mkdir -p "$dir"
for n in "$@"; do
	rc=${got[$n]:-} why="" tlog=""
	if [ -n "$dir" ]; then
		tlog=$dir/${n##*/}.log
		section "$n" >"$tlog"
	fi
	first=$(section "$n" | grep -aEm1 -f "$SPLAT" | sed 's/^\[ *[0-9.]*\] //' || true)
	if [ -z "$rc" ]; then
		why="no result (the guest hung, panicked or QEMU died first)"
		rc=1
	elif [ -n "$first" ] && [ "$rc" != 1 ]; then
		why="kernel splat during the test"
		rc=1
	fi
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		failed=1
		[ -n "$why" ] || why="exit status $rc"
		[ -z "$tlog" ] || why+="; log $tlog"
		[ -z "$first" ] || why+="; first splat: $first"
	fi
	record "$n" "$rc" "$why"
done

splats=$(grep -aEf "$SPLAT" "$log" || true)
if [ -n "$splats" ]; then
	msg "kernel splat in the console log:"
	printf '%s\n' "$splats" | head -n 20 >&2
	record "${runname:-$profile}/kernel-log" 1 "kernel splat; log $log; first splat: $(head -n 1 <<<"$splats")"
	failed=1
elif [ "$killed" = 1 ] || ! grep -aq 'dcd-done' "$log"; then
	record "${runname:-$profile}/kernel-log" 1 "the guest did not finish (killed, panicked or QEMU died); log $log"
	failed=1
else
	record "${runname:-$profile}/kernel-log" 0
fi
exit "$failed"
