#!/usr/bin/env bash
# Proof-kind: series
# make check's results cache replays only a clean pass of unchanged
# inputs: a stage that passed is replayed ("cached") while nothing it
# reads changed; a change to a file of the checkout (here an untracked
# shell script the shellcheck stage lints) runs it again, says which
# input changed, and it fails; a failure is never replayed; fixed, it
# runs again and passes. A changed environment variable the stage reads
# runs it again; inputs that cannot be read (no git) run it uncached,
# which leaves the stored pass alone.
. "$(dirname "$0")/lib.sh"

f=$TOP/tests/gates/.cache-proof.sh
trap 'rm -f "$f"; rm -rf "$PROOF"' EXIT

# run WANT_RC WANT_STATE WHAT [NAME=VALUE...]: the shellcheck stage
# alone, on $f only, with a cache of its own.
run() {
	local want_rc=$1 want_state=$2 what=$3 rc=0 state

	shift 3
	env CHECK_STAGES=shellcheck CHECK_RESDIR="$PROOF/check" CHECK_CACHE=1 BUILD="$PROOF/build" \
		CHECK_CACHE_DIR="$PROOF/build/cache/check" LOGDIR="$PROOF/logs" SHELL_FILES="$f" CI= \
		"$@" "$TOP/scripts/check.sh" >"$PROOF/out" 2>&1 || rc=$?
	state=$(awk '$1 == "shellcheck" { print $3 }' "$PROOF/out")
	if [ "$rc" != "$want_rc" ] || [ "$state" != "$want_state" ]; then
		cat "$PROOF/out" >&2
		fail "$what: check.sh exited $rc with the stage '$state', not $want_rc and '$want_state'"
	fi
}

printf '#!/bin/bash\necho "proof"\n' >"$f"
run 0 ok "first run"
run 0 cached "unchanged inputs"
# shellcheck disable=SC2016 # a script with an unquoted expansion, on purpose
printf '#!/bin/bash\necho $UNQUOTED_PROOF_VAR | cat\n' >"$f"
run 1 rc "a changed input"
if ! grep -q "inputs changed since it last passed" "$PROOF/out" ||
	! grep -qE '^ +[0-9a-f]{64}  tests/gates/\.cache-proof\.sh$' "$PROOF/out"; then
	cat "$PROOF/out" >&2
	fail "a stage run again does not say which input changed"
fi
run 1 rc "a failure run again"
printf '#!/bin/bash\necho "proof, fixed"\n' >"$f"
run 0 ok "fixed"
run 0 cached "unchanged after the fix"
run 0 ok "a changed environment variable" SHELLCHECK_OPTS=--severity=style
run 0 cached "the same environment again" SHELLCHECK_OPTS=--severity=style
run 0 ok "the environment back"
run 0 ok "inputs that cannot be read" GIT_DIR=/nonexistent
grep -q "runs uncached: its inputs could not all be read" "$PROOF/out" ||
	{ cat "$PROOF/out" >&2; fail "unreadable inputs were not reported"; }
run 0 cached "readable again"
msg "caught: a changed input or environment runs the stage again, a failure is never replayed, unreadable inputs run uncached"
