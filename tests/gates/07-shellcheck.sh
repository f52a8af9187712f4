#!/usr/bin/env bash
# The shellcheck gate fails on a script with an unquoted expansion.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

printf '#!/bin/bash\nset -euo pipefail\nf=$1\nrm $f\n' >"$PROOF/bad.sh"
rc=0
SHELL_FILES=$PROOF/bad.sh "$TOP/scripts/check-shell.sh" >"$PROOF/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$PROOF/out" >&2; fail "check-shell.sh exited $rc, not 1"; }
grep -q SC2086 "$PROOF/out" || fail "shellcheck did not report SC2086"
msg "caught: SC2086 in a bad script"
