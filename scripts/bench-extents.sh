#!/usr/bin/env bash
# Benchmark: how extent handling scales, on the cxl_test mock (TCG guest).
# Prints the time to accept 1,000 and 10,000 extents (one request each)
# and to size one DAX device across 100 and 1,000 extents, and the ratios
# (linear scaling gives 10; the targets are <= 15). Figures, not a test:
# it fails only when the guest run itself fails or the kernel splats.
#
# Usage: scripts/bench-extents.sh [-h]
# Env:   LOGDIR, RUN_LIMIT (seconds, default 1800), BENCH_INJECT and
#        BENCH_DAX (the two sizes of each, comma separated)
# Exit:  0 figures printed, 1 the guest run failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nTime extent acceptance and DAX device sizing at two scales.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${RUN_LIMIT:=1800}"
GUEST_ENV="BENCH_INJECT=${BENCH_INJECT:-1000,10000} BENCH_DAX=${BENCH_DAX:-100,1000}" \
	guest_job bench "the benchmark"
