#!/usr/bin/env bash
# Boot the DCD profile (QEMU's emulated DCD device) and narrate what the
# guest sees, step by step. The kernel log stays in the log file.
#
# Usage: scripts/demo.sh [-h]
# Env:   LOGDIR, RUN_LIMIT (seconds, default 1800)
# Exit:  0 every step showed what it should, 1 a step failed or the kernel
#        splatted, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nRun the DCD demo on QEMU and narrate it.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${RUN_LIMIT:=1800}"
mkdir -p "$LOGDIR"
log=$LOGDIR/demo.log

rc=0
"$TOP/scripts/run-qemu.sh" -p dcd -r demo -o "$log" -T "$RUN_LIMIT" &
pid=$!
# run-qemu.sh stops its QEMU on TERM: pass an interrupt or a kill on.
trap 'kill "$pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Narrate: the guest's demo lines, without their "[demo] " prefix.
sleep 1
tail -n +1 -F "$log" --pid "$pid" 2>/dev/null | grep --line-buffered -a '^\[demo\] ' |
	sed -u 's/^\[demo\] //' &
wait "$pid" || rc=$?
wait 2>/dev/null || true
[ "$rc" = 2 ] && exit 2

judge_run demo "the demo" "$log" "$rc"
msg "demo passed (kernel log: $log, QMP exchanges: $log.qmp)"
