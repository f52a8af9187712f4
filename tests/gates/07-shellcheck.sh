#!/usr/bin/env bash
# Proof-kind: series
# The shellcheck gate fails on a script with an unquoted expansion, and
# its wait lint on a wait whose value is computed before the wait.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

printf '#!/bin/bash\nset -euo pipefail\nf=$1\nrm $f\n' >"$PROOF/bad.sh"
rc=0
SHELL_FILES=$PROOF/bad.sh "$TOP/scripts/check-shell.sh" >"$PROOF/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$PROOF/out" >&2; fail "check-shell.sh exited $rc, not 1"; }
grep -q SC2086 "$PROOF/out" || fail "shellcheck did not report SC2086"
msg "caught: SC2086 in a bad script"

# The wait lint fails on a wait whose value is computed once, before it.
# (the bad line is assembled here, so this file holds no such wait itself)
sub='$''(c)'
printf '#!/bin/bash\nset -euo pipefail\nc() { echo 3; }\nwait_for 30 test "%s" -eq 3\n' "$sub" >"$PROOF/wait.sh"
rc=0
SHELL_FILES=$PROOF/wait.sh "$TOP/scripts/check-shell.sh" >"$PROOF/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$PROOF/out" >&2; fail "check-shell.sh exited $rc on a computed-once wait, not 1"; }
grep -q 'computed-once wait' "$PROOF/out" || fail "the wait lint did not name the computed-once wait"
msg "caught: a computed-once wait_for"
