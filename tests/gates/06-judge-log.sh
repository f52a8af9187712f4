#!/usr/bin/env bash
# Proof-kind: series
# The guest-log judge fails a run whose tests all passed when the kernel
# splatted, fails a run that never finished, counts a missing result as a
# failure, and passes a clean log.
. "$(dirname "$0")/lib.sh"

judge() { # LOG TEST... -> rc
	local rc=0
	RESULTS=$PROOF/results "$TOP/scripts/judge-log.sh" -p proof -l "$@" >/dev/null 2>&1 || rc=$?
	echo "$rc"
}
ok='[    5.1] dcd-result: proof/01-a:0'
done='[    6.0] dcd-done'
printf '%s\n%s\n' "$ok" "$done" >"$PROOF/clean.log"
printf '%s\n%s\n%s\n' "$ok" '[    5.5] WARNING: CPU: 0 PID: 1 at drivers/cxl/core/mbox.c:1 x' "$done" >"$PROOF/warn.log"
printf '%s\n' "$ok" '[    5.5] ======================================================' \
	'[    5.5] WARNING: possible circular locking dependency detected' "$done" >"$PROOF/lockdep.log"
printf '%s\n' "$ok" >"$PROOF/hang.log"


expect_eq "$(judge "$PROOF/clean.log" proof/01-a)" 0 "clean log"
expect_eq "$(judge "$PROOF/warn.log" proof/01-a)" 1 "log with a WARNING"
expect_eq "$(judge "$PROOF/lockdep.log" proof/01-a)" 1 "log with a lockdep report"
expect_eq "$(judge "$PROOF/hang.log" proof/01-a)" 1 "log without dcd-done"
expect_eq "$(judge "$PROOF/clean.log" proof/01-a proof/02-b)" 1 "missing result"
grep -qx 'proof/02-b:1' "$PROOF/results" || fail "missing result not recorded as a failure"
msg "caught: splat, lockdep, hang and missing result; passed the clean log"
