#!/usr/bin/env bash
# Proof-kind: harness
# The harness never reads "could not run" as green:
#  - a QEMU that aborts at boot fails every test of the run, and the run;
#  - no QEMU at all fails the dcd tests (a setup error, not a skip);
#  - a stage whose script dies without result lines is a named failure;
#  - in a real guest: a test over its limit gets TERM first (its cleanup
#    trap runs) and fails; a test that panics the guest fails, and so does
#    every test after it, while the result reported before still counts;
#    under CI a skip not on tests/skips.allow fails; each test has its log;
#  - a stale initramfs is repacked before a boot.
# Each case runs scripts/check.sh (or the script the case names) as make
# check does, on results, logs and a results cache of its own (the run's
# cache keeps what the real stages stored).
# shellcheck disable=SC2016 # test scripts written literally on purpose
. "$(dirname "$0")/lib.sh"

INITRD0=$BUILD/initramfs.cpio.gz
need_file "$INITRD0" "run 'make initramfs' first"
# The run's own results cache, which the cases below must not touch: all
# of it but the entries of the stages the run has in the background
# (CHECK_BG_STAGES, its guests), which store theirs when they end,
# whenever that is.
cache_state() {
	local s skip='^$'

	for s in ${CHECK_BG_STAGES:-}; do
		skip+="|^$s\\."
	done
	{ find "${CHECK_OUTER_CACHE:-$BUILD/cache/check}" -type f -printf '%P %s %T@\n' 2>/dev/null || true; } |
		{ grep -vE "$skip" || true; } | sort
}
cache0=$(cache_state)

# check STAGES [NAME=VALUE...]: scripts/check.sh on STAGES with its own
# result and log directories; sets $out and $rc.
check() {
	local stages=$1
	shift
	rc=0
	env CHECK_STAGES="$stages" CHECK_RESDIR="$PROOF/check" CHECK_CACHE=0 \
		CHECK_CACHE_DIR="$PROOF/cache" LOGDIR="$PROOF/logs" "$@" \
		"$TOP/scripts/check.sh" >"$PROOF/out" 2>&1 || rc=$?
	out=$(cat "$PROOF/out")
}

# expect_counts LINE WHAT: the check failed (rc 1) and ended with LINE.
expect_counts() {
	[ "$rc" = 1 ] || { printf '%s\n' "$out" >&2; fail "$2: check.sh exited $rc, not 1"; }
	[ "$(tail -n 1 <<<"$out")" = "$1" ] ||
		{ printf '%s\n' "$out" >&2; fail "$2: counts line is not '$1'"; }
}

# 1. A QEMU that aborts (exit 134) as soon as it starts.
printf '#!/bin/sh\necho "stub qemu: aborting" >&2\nexit 134\n' >"$PROOF/qemu-abort"
chmod +x "$PROOF/qemu-abort"
n=$(find "$TOP/tests/cxl_test" -name '[0-9]*.sh' | wc -l)
check guest-cxl_test QEMU="$PROOF/qemu-abort" FRESH=0
expect_counts "0 passed, $((n + 2)) failed, 0 skipped" "QEMU abort"
grep -q '^  cxl_test/boot:2$' <<<"$out" || fail "QEMU abort: cxl_test/boot not named"
msg "caught: a QEMU that aborts fails all $n tests, kernel-log and boot"

# 2. No QEMU at all: the dcd tests fail, none is skipped.
n=$(find "$TOP/tests/dcd" -name '[0-9]*.sh' | wc -l)
check guest-dcd QEMU="$PROOF/no-such-qemu" FRESH=0
expect_counts "0 passed, $n failed, 0 skipped" "no QEMU"
msg "caught: without QEMU the $n dcd tests fail instead of skipping"

# 3. A gate script that dies (no kernel config) without result lines.
check gates KOBJ="$PROOF/no-obj"
expect_counts "0 passed, 1 failed, 0 skipped" "gate script crash"
grep -q '^  stage/gates:2$' <<<"$out" || fail "gate crash: stage/gates not named"
msg "caught: a gate script that dies is the failure stage/gates"

# 4. A real guest: pass, skip, over the limit, panic, never reached.
t=$PROOF/tests/cxl_test
mkdir -p "$t"
printf '#!/bin/bash\necho "passing"\n' >"$t/01-pass.sh"
printf '#!/bin/bash\necho "skipping on purpose"\nexit 77\n' >"$t/02-skip.sh"
printf '#!/bin/bash\ntrap '\''echo "cleanup ran"; exit 1'\'' TERM\nsleep 600 &\nwait\n' >"$t/03-slow.sh"
printf '#!/bin/bash\necho c >/proc/sysrq-trigger\nsleep 60\n' >"$t/04-panic.sh"
printf '#!/bin/bash\necho "never reached"\n' >"$t/05-after.sh"
TESTS_DIR=$PROOF/tests INITRD=$PROOF/initrd "$TOP/scripts/initramfs.sh" >/dev/null 2>&1 ||
	fail "could not pack the proof initramfs"
check guest-cxl_test CI=true FRESH=0 INITRD="$PROOF/initrd" TESTS_DIR="$PROOF/tests" TEST_TIMEOUT=5 RUN_LIMIT=300
expect_counts "1 passed, 5 failed, 0 skipped" "guest proof"
for want in cxl_test/01-pass:0 cxl_test/02-skip:skip-not-allowed-under-CI cxl_test/03-slow:1 \
	cxl_test/04-panic:1 cxl_test/05-after:1 cxl_test/kernel-log:1; do
	grep -qx "$want" "$PROOF/check/all" || { cat "$PROOF/check/all" >&2; fail "guest proof: no result $want"; }
done
grep -q '^\[cxl_test/03-slow\] cleanup ran' "$PROOF/logs/cxl_test/03-slow.log" ||
	fail "the test over its limit did not get TERM first (no 'cleanup ran' in its log)"
grep -q 'first splat: .*sysrq' <<<"$out" || { printf '%s\n' "$out" >&2; fail "the panic's first splat line is not named"; }
grep -q "log $PROOF/logs/cxl_test/04-panic.log" <<<"$out" || fail "the panicking test's log is not named"
msg "caught: TERM-first time limit, panic, tests after it, a skip under CI; one log per test"

# 5. A stale initramfs is repacked before a boot.
cp "$INITRD0" "$PROOF/stale"
touch -d '2000-01-01' "$PROOF/stale"
INITRD=$PROOF/stale "$TOP/scripts/fresh.sh" >"$PROOF/out" 2>&1 || { cat "$PROOF/out" >&2; fail "fresh.sh failed"; }
grep -q 'initramfs is stale' "$PROOF/out" || fail "fresh.sh did not repack a stale initramfs"
[ "$PROOF/stale" -nt "$TOP/tests/lib.sh" ] || fail "the initramfs is still older than tests/"
msg "caught: a stale initramfs is repacked"

[ "$(cache_state)" = "$cache0" ] || fail "the cases changed the run's results cache"
msg "caught: the cases leave the run's results cache as it was"
