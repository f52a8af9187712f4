#!/usr/bin/env bash
# The Dynamic Capacity fuzzer, on the cxl_test mock (TCG guest): random
# device records (valid, malformed, overlapping, misaligned, duplicated,
# cut More chains, releases of held and unheld DPA, forced releases,
# configuration updates, overflows, failed responses) interleaved with
# DAX create/destroy, the protocol's invariants checked after every step
# (guest/usr/lib/dcd/fuzz.sh). A benchmark-style script: it prints the
# seed and how many steps and records the run covered, and fails (with
# the seed) only on a broken invariant, a splat or a guest that did not
# finish.
#
# Usage: scripts/fuzz-dcd.sh [-h] [-s SEED] [-n STEPS | -t SECONDS]
# Env:   LOGDIR, RUN_LIMIT (seconds, default: the run's length + 900)
# Exit:  0 no invariant broken, 1 one was (or the run failed), 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] [-s SEED] [-n STEPS | -t SECONDS]\nFuzz the host side of Dynamic Capacity on the mock.\n' "${0##*/}"; }
seed=$(date +%s) steps=1000 secs=0
while getopts hs:n:t: o; do
	case "$o" in
	h) usage; exit 0 ;;
	s) seed=$OPTARG ;;
	n) steps=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) usage >&2; exit 2 ;;
	esac
done
[[ $seed =~ ^[0-9]+$ && $steps =~ ^[0-9]+$ && $secs =~ ^[0-9]+$ ]] || { usage >&2; exit 2; }

: "${RUN_LIMIT:=$((secs > 0 ? secs + 900 : steps * 5 + 900))}"
msg "seed $seed, $([ "$secs" -gt 0 ] && echo "$secs s" || echo "$steps steps")"
GUEST_ENV="FUZZ_SEED=$seed FUZZ_STEPS=$steps FUZZ_SECONDS=$secs" \
	guest_job fuzz "the fuzz run, seed $seed"
