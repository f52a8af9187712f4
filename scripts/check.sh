#!/usr/bin/env bash
# make check: every gate and test, from a fresh clone.
#
# Stages: deps, unpack, apply, config, build, initramfs, then the guest
# tests on cxl_test in the background while the static stages run at a
# lower priority, and those on QEMU's DCD device after cxl_test's or,
# when the static stages end first, beside them:
# series gates (check-series.sh), gate proofs (tests/gates), the Kconfig
# matrix (check-kconfig.sh), Debian's kernel config
# (check-debian-config.sh), the series as Debian quilt patches
# (debian-patches.sh -c); then rebuild (the tip again), harness proofs (a
# guest that panics, a test over its limit, a QEMU that dies) and the
# shell lint. Prints a per-stage time table and ends with the line
# "N passed, N failed, N skipped" over every recorded result.
#
# Every stage writes NAME:RC result lines. A stage that fails without
# having written a failing line of its own (a crash, a setup error) is
# counted as the failure "stage/NAME". Under CI (CI=true), a skipped test
# fails the run unless tests/skips.allow names it, with its reason.
#
# Warm runs: a test stage whose inputs (the files it reads from this
# checkout, the tools it runs and the packages the guest gets, hashed) are
# those of its last run, which passed, replays that run's result lines
# instead of running again; the stage table says "cached". A stage that
# failed, or skipped a test tests/skips.allow does not name, is never
# replayed, and under CI or with CHECK_CACHE=0 every stage runs (its clean
# passes are still stored for the next run). A stage that runs again says
# which of its inputs changed.
#
# Usage: scripts/check.sh [-h]
# Env:   CHECK_STAGES (comma list to run a subset; default all),
#        CHECK_RESDIR (default build/logs/check), CHECK_CACHE (default 1),
#        CHECK_CACHE_DIR (default build/cache/check), GUESTS_PARALLEL
#        (default 1; 0 boots the guests one after the other), CI
# Exit:  0 everything passed, 1 a test or gate failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nRun every gate and test; end with the counts line.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

ALL=deps,unpack,apply,config,gates,proofs,kconfig,debian-config,debian,build,initramfs,harness,shellcheck,guest-cxl_test,guest-dcd
: "${CHECK_STAGES:=$ALL}"
: "${CHECK_RESDIR:=$LOGDIR/check}"
RESDIR=$CHECK_RESDIR
mkdir -p "$BUILD"
rm -rf "$RESDIR"
mkdir -p "$RESDIR"

stages=() times=() states=()
setup_failed=0
run_t0=$(date +%s)
# set per stage below; a check.sh run by a stage (the harness proofs)
# must not inherit its caller's
unset STAGE_INPUTS STAGE_BOOTS CHECK_BG_STAGES
CACHE=${CHECK_CACHE_DIR:-$BUILD/cache/check}
: "${CHECK_CACHE:=1}"
[ "${CI:-}" != true ] || CHECK_CACHE=0
# A check.sh run inside a stage (a harness proof) never shares the cache
# of the run around it.
if [ "${CHECK_OUTER_CACHE:-}" = "$CACHE" ]; then
	CACHE=$(mktemp -d)
	CHECK_CACHE=0
fi
export CHECK_OUTER_CACHE=$CACHE
# Without a cache directory the stages run uncached.
mkdir -p "$CACHE" 2>/dev/null || { msg "warning: no cache directory $CACHE"; CHECK_CACHE=off; }

# inputs_text PATH...: the content of every file of the checkout
# under the PATHs (tracked or not, as the work tree has them), of the
# versions of the tools and packages the stages use, of the guest
# kernel's config, of the environment the stages' scripts read and, with
# STAGE_BOOTS=1, of the kernel tree a guest's kernel and modules are built
# from (its content, not its commits: re-applying the same series keeps
# the key; scripts/fresh.sh rebuilds whatever is older than the tree) and
# of the host files the initramfs copied, one line an input. Its hash is
# the stage's key. It fails, and prints no "end of inputs" line, when an
# input it needs cannot be read.
inputs_text() {
	local c v tmp

	tmp=$(mktemp) || return 1
	if ! git -C "$TOP" ls-files -z -co --exclude-standard -- "$@" >"$tmp" ||
		! sort -z "$tmp" | (cd "$TOP" && xargs -0 -r sha256sum); then
		rm -f "$tmp"
		return 1
	fi
	for c in gcc sparse perl shellcheck git python3 "${QEMU:-qemu-system-x86_64}" \
		cxl daxctl ndctl bash jq kmod busybox; do
		command -v "$c" >/dev/null 2>&1 || continue
		"$c" --version 2>&1 | head -n 1 || true
		sha256sum "$(command -v "$c")" || true
	done
	dpkg-query -W -f '${Package} ${Version}\n' linux-source-6.12 linux-config-6.12 quilt ndctl daxctl \
		libcxl1 libdaxctl1 libndctl6 qemu-system-x86 busybox-static jq kmod 2>/dev/null || true
	cat "$KOBJ/.config" 2>/dev/null || true
	for v in QEMU TESTS_DIR RUN_LIMIT TEST_TIMEOUT FRESH GUEST_ENV NODE_MEM_MB GUESTS_PARALLEL KMEMLEAK_SCAN \
		GATES SERIES KSRC KOBJ BASE_TARBALL SHELL_FILES SHELLCHECK_OPTS INITRD MODROOT; do
		printf '%s=%s\n' "$v" "${!v:-}"
	done
	if [ "${STAGE_BOOTS:-0}" = 1 ]; then
		git -C "$KSRC" rev-parse "HEAD^{tree}" || { rm -f "$tmp"; return 1; }
		git -C "$KSRC" diff HEAD >"$tmp" || { rm -f "$tmp"; return 1; }
		sha256sum <"$tmp"
		if ! git -C "$KSRC" ls-files -z -o --exclude-standard >"$tmp" ||
			! (cd "$KSRC" && xargs -0 -r sha256sum <"$tmp"); then
			rm -f "$tmp"
			return 1
		fi
		cat "${INITRD:-$BUILD/initramfs.cpio.gz}.host-files" 2>/dev/null ||
			echo "no initramfs manifest"
	fi
	rm -f "$tmp"
	echo "end of inputs"
}

# inputs_changed OLD NEW: the first inputs that differ, for the log.
inputs_changed() {
	local d

	d=$(diff "$1" "$2" | sed -n 's/^[<>] //p' | cut -c1-120 | head -n 6) || true
	if [ -n "$d" ]; then
		printf '%s\n' "$d" | sed 's/^/    /' >&2
	else
		printf '    (no stored result to compare with)\n' >&2
	fi
}

# allowed_skip NAME: tests/skips.allow names the result NAME, with a reason.
allowed_skip() {
	awk -v n="$1" '$1 == n && NF > 1 { found = 1 } END { exit !found }' \
		"$TOP/tests/skips.allow" 2>/dev/null
}

# replayable FILE: every result line of FILE passed, or is a skip that
# tests/skips.allow names (its reason is a precondition the key covers).
replayable() {
	local line

	[ -s "$1" ] || return 1
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in
		*:0) ;;
		*:77) allowed_skip "${line%:77}" || return 1 ;;
		*) return 1 ;;
		esac
	done <"$1"
}

# cache_store NAME OUT KEY: keep OUT as NAME's results for KEY (what
# inputs_text printed is in $CACHE/NAME.inputs.now); a failure to write
# only costs the next run its replay.
cache_store() {
	if ! cp "$2" "$CACHE/$1.txt" 2>/dev/null ||
		! mv "$CACHE/$1.inputs.now" "$CACHE/$1.inputs" 2>/dev/null ||
		! printf '%s\n' "$3" 2>/dev/null >"$CACHE/$1.key"; then
		msg "warning: could not store $1's results in $CACHE"
		rm -f "$CACHE/$1.key" 2>/dev/null || true
	fi
}

# stage NAME KIND CMD...: run a stage, time it. KIND "setup" stops the run
# on failure (nothing after it can work); KIND "test" records and goes on.
# Result lines go to $RESDIR/NAME.txt (RESULTS for the stage's command);
# a failed stage that wrote no failing line there gets "stage/NAME:RC".
stage() {
	local name=$1 kind=$2 t0 rc=0 out key=""
	shift 2

	[[ ",$CHECK_STAGES," == *",$name,"* ]] || return 0
	[ "$setup_failed" = 0 ] || return 0
	msg "---- $name"
	out=$RESDIR/$name.txt
	: >>"$out"
	# shellcheck disable=SC2086 # a list of paths
	if [ -n "${STAGE_INPUTS:-}" ] && [ "$CHECK_CACHE" != off ] &&
		! inputs_text $STAGE_INPUTS >"$CACHE/$name.inputs.now" 2>/dev/null; then
		msg "$name: runs uncached: its inputs could not all be read"
	elif [ -n "${STAGE_INPUTS:-}" ] && [ "$CHECK_CACHE" != off ]; then
		key=$(sha256sum <"$CACHE/$name.inputs.now" | cut -d' ' -f1) || key=""
		if [ -n "$key" ] && [ "$CHECK_CACHE" = 1 ] && [ "$(cat "$CACHE/$name.key" 2>/dev/null)" = "$key" ] &&
			[ -s "$CACHE/$name.txt" ]; then
			msg "$name: inputs unchanged since it last passed: its results replayed"
			cat "$CACHE/$name.txt" >>"$out"
			cat "$CACHE/$name.txt" >>"$RESDIR/replayed"
			stages+=("$name")
			times+=(0)
			states+=(cached)
			return 0
		fi
		if [ "$CHECK_CACHE" = 1 ] && [ -s "$CACHE/$name.inputs" ]; then
			msg "$name: runs again; inputs changed since it last passed:"
			inputs_changed "$CACHE/$name.inputs" "$CACHE/$name.inputs.now"
		fi
	fi
	t0=$(date +%s)
	RESULTS=$out "$@" || rc=$?
	stages+=("$name")
	times+=("$(($(date +%s) - t0))")
	[ -z "$key" ] || rm -f "$CACHE/$name.key" "$CACHE/$name.txt" "$CACHE/$name.inputs" 2>/dev/null || true
	if [ "$rc" = 0 ]; then
		states+=(ok)
		# Only a clean pass is replayed (no failure, no skip but an
		# allowed one), and only when its inputs did not change under
		# it (a guest stage that had to rebuild a stale kernel ran
		# something else) and it ran on a fresh build (FRESH=0 boots
		# whatever was built last).
		# shellcheck disable=SC2086 # a list of paths
		if [ -n "$key" ] && [ "${FRESH:-1}" != 0 ] && replayable "$out"; then
			if inputs_text $STAGE_INPUTS >"$CACHE/$name.inputs.after" 2>/dev/null &&
				cmp -s "$CACHE/$name.inputs.now" "$CACHE/$name.inputs.after"; then
				cache_store "$name" "$out" "$key"
			else
				msg "$name: not cached; its inputs changed while it ran:"
				inputs_changed "$CACHE/$name.inputs.now" "$CACHE/$name.inputs.after"
			fi
		fi
		return 0
	fi
	states+=("rc $rc")
	if ! grep -qvE ':(0|77)$' "$out"; then
		printf 'stage/%s:%s\n' "$name" "$rc" >>"$out"
		printf 'stage/%s\tthe stage failed (rc %s) without naming a failed test: see its output above\n' \
			"$name" "$rc" >>"$out.details"
	fi
	if [ "$kind" = setup ]; then
		msg "stage $name failed (rc $rc): stopping"
		setup_failed=1
	fi
}

# stage_bg GROUP FUNC: FUNC, which runs stages one after the other with
# stage(), in a background subshell. The group's output goes to
# $RESDIR/GROUP.log, shown by stage_wait when it ends, and its rows of
# the stage table to $RESDIR/GROUP.rows; its stages' results are in
# $RESDIR/NAME.txt as any stage's. FUNC's stages are taken out of
# CHECK_STAGES here, so that a later "stage NAME" is a no-op.
bg_pids=() bg_names=()
stage_bg() {
	local group=$1 func=$2

	[ "$setup_failed" = 0 ] || return 0
	msg "---- $group: runs in the background (its output follows when it ends)"
	# shellcheck disable=SC2030 # the subshell's own table, on purpose
	(
		stages=() times=() states=()
		"$func"
		for i in "${!stages[@]}"; do
			printf '%s %s %s\n' "${stages[$i]}" "${times[$i]}" "${states[$i]}"
		done >"$RESDIR/$group.rows"
	) >"$RESDIR/$group.log" 2>&1 &
	bg_pids+=("$!")
	bg_names+=("$group")
}

# stage_wait: wait for every stage_bg group, show its output, add its rows.
# shellcheck disable=SC2031 # the parent's table, not the subshell's
stage_wait() {
	local i n t s

	for i in "${!bg_pids[@]}"; do
		wait "${bg_pids[$i]}" || true
		msg "---- ${bg_names[$i]} (ran in the background)"
		cat "$RESDIR/${bg_names[$i]}.log" 2>/dev/null || true
		while read -r n t s; do
			stages+=("$n")
			times+=("$t")
			states+=("$s")
		done <"$RESDIR/${bg_names[$i]}.rows" 2>/dev/null || true
	done
	bg_pids=() bg_names=()
}

# shellcheck disable=SC2317 # runs through stage()
# snapshot_tests ARGS...: run-tests.sh on the kernel and initramfs copied
# to $BUILD/guest-snapshot, without rebuilding: the static stages change
# the object directory while these guests run. The static stages beside
# them slow them down somewhat: the run's limit defaults to 90 minutes,
# not 60 (each test keeps its own limit).
snapshot_tests() {
	FRESH=0 KOBJ=$BUILD/guest-snapshot INITRD=$BUILD/guest-snapshot/initramfs.cpio.gz \
		RUN_LIMIT=${RUN_LIMIT:-5400} "$TOP/scripts/run-tests.sh" "$@"
}

# shellcheck disable=SC2317 # runs through stage()
# A setup stage that is also a test (the tip must build): record it.
recorded() { # NAME CMD...
	local name=$1 rc=0
	shift
	"$@" || rc=$?
	printf '%s:%s\n' "$name" "$([ "$rc" = 0 ] && echo 0 || echo 1)" >>"$RESULTS"
	return "$rc"
}

# shellcheck disable=SC2317 # runs through stage()
# run_proofs KIND: every tests/gates/NN-*.sh whose "# Proof-kind:" line
# says KIND (series: the static gates; harness: needs the built guest).
run_proofs() {
	local t rc any=0

	for t in "$TOP"/tests/gates/[0-9]*.sh; do
		grep -q "^# Proof-kind: $1\$" "$t" || continue
		rc=0
		bash "$t" || rc=$?
		[ "$rc" = 0 ] || any=1
		printf 'gates/%s:%s\n' "$(basename "$t" .sh)" "$rc" >>"$RESULTS"
	done
	return "$any"
}

# shellcheck disable=SC2317 # runs through stage()
shellcheck_gate() {
	local rc=0
	"$TOP/scripts/check-shell.sh" || rc=$?
	printf 'workbench/shellcheck:%s\n' "$rc" >>"$RESULTS"
	return "$rc"
}

stage deps setup "$TOP/scripts/deps.sh"
stage unpack setup "$TOP/scripts/unpack.sh"
stage apply setup recorded series/apply-tip "$TOP/scripts/apply.sh"
stage config setup "$TOP/scripts/config.sh"
# The tip is built first: the guests boot it while the static stages run.
stage build setup recorded build/tip "$TOP/scripts/build.sh"
stage initramfs setup "$TOP/scripts/initramfs.sh"
# The guests (GUESTS_PARALLEL=0: at the end): cxl_test's tests, then the
# DCD device's, one boot after the other, start now in the background,
# from a copy of the kernel and initramfs just built. The static stages
# run meanwhile at a lower priority (nice 10): a guest keeps the speed it
# has alone, and the builds use what it leaves (its tests mostly keep one
# vCPU busy; make leaves a core idle much of the time). One guest at a
# time: two or three 2-vCPU guests on 2 cores spend their time waiting on
# each other's preempted vCPUs (a test took three times as long).
#
# The DCD device's tests go to whichever comes first: the end of
# cxl_test's run, or the end of the static stages, when the cores they
# used are free for a second guest beside cxl_test's (its tests then run
# side by side with cxl_test's remaining ones, not after them).
guest_inputs="series scripts config tests guest tools"
# dcd_claim: true for the first caller only.
dcd_claim() { mkdir "$RESDIR/.guest-dcd-claimed" 2>/dev/null; }
# shellcheck disable=SC2317 # runs through stage_bg
guest_dcd() {
	STAGE_BOOTS=1 STAGE_INPUTS=$guest_inputs \
		stage guest-dcd test snapshot_tests -p dcd -n dcd-bg
}
# shellcheck disable=SC2317 # runs through stage_bg
guests() {
	STAGE_BOOTS=1 STAGE_INPUTS=$guest_inputs \
		stage guest-cxl_test test snapshot_tests -p cxl_test -n cxl_test-bg
	! dcd_claim || guest_dcd
}
# shellcheck disable=SC2317 # runs through stage_bg
guest_dcd_late() {
	# (the static stages ran at nice 10; this guest runs beside
	# cxl_test's, as an equal)
	renice -n 0 -p "$BASHPID" >/dev/null || true
	CHECK_STAGES=$bg_stages guest_dcd
}
bg_guests=0
# (only beside the per-patch gates: a run of some stages keeps the order)
if [ "${GUESTS_PARALLEL:-1}" = 1 ] && [[ ",$CHECK_STAGES," == *,gates,* ]] &&
	[[ ",$CHECK_STAGES," == *,guest-* ]] && [ "$setup_failed" = 0 ]; then
	[ "${FRESH:-1}" = 0 ] || "$TOP/scripts/fresh.sh" ||
		msg "warning: fresh.sh failed; each guest stage tries again"
	snap=$BUILD/guest-snapshot
	rm -rf "$snap"
	mkdir -p "$snap/arch/x86/boot"
	cp "$KOBJ/arch/x86/boot/bzImage" "$snap/arch/x86/boot/" 2>/dev/null || true
	cp "${INITRD:-$BUILD/initramfs.cpio.gz}" "$snap/initramfs.cpio.gz" 2>/dev/null || true
	# (their entries in the results cache change when they end, while
	# the stages below run: the harness proof leaves them out)
	export CHECK_BG_STAGES="guest-cxl_test guest-dcd"
	stage_bg guests guests
	bg_guests=1
	bg_stages=$CHECK_STAGES
	# (the background subshell kept its own copy of CHECK_STAGES)
	CHECK_STAGES=",$CHECK_STAGES,"
	CHECK_STAGES=${CHECK_STAGES//,guest-cxl_test,/,}
	CHECK_STAGES=${CHECK_STAGES//,guest-dcd,/,}
	renice -n 10 -p "$$" >/dev/null || msg "warning: could not lower the static stages' priority"
fi
# What each test stage reads from the checkout (its cache key).
STAGE_INPUTS="series scripts config" stage gates test "$TOP/scripts/check-series.sh"
STAGE_INPUTS="series scripts config tests/gates" stage proofs test run_proofs series
STAGE_INPUTS="series scripts config" stage kconfig test "$TOP/scripts/check-kconfig.sh"
STAGE_INPUTS="series scripts config" stage debian-config test "$TOP/scripts/check-debian-config.sh"
STAGE_INPUTS="series scripts" stage debian test "$TOP/scripts/debian-patches.sh" -c
# The per-patch builds and the gate proofs leave the object directory at
# other commits: the guests from here on boot the tip, rebuilt.
if [[ ",$CHECK_STAGES," == *,gates,* || ",$CHECK_STAGES," == *,proofs,* ]] &&
	[[ ",$CHECK_STAGES," == *,harness,* || ",$CHECK_STAGES," == *,guest-* ]]; then
	CHECK_STAGES+=",rebuild"
fi
stage rebuild setup "$TOP/scripts/fresh.sh"
STAGE_BOOTS=1 STAGE_INPUTS=$guest_inputs stage harness test run_proofs harness
STAGE_INPUTS="." stage shellcheck test shellcheck_gate
# The static stages are done: the DCD device's tests start now, unless
# cxl_test's guest is done and took them.
if [ "$bg_guests" = 1 ] && dcd_claim; then
	stage_bg guests-dcd guest_dcd_late
fi
STAGE_BOOTS=1 STAGE_INPUTS=$guest_inputs \
	stage guest-cxl_test test "$TOP/scripts/run-tests.sh" -p cxl_test
STAGE_BOOTS=1 STAGE_INPUTS=$guest_inputs \
	stage guest-dcd test "$TOP/scripts/run-tests.sh" -p dcd
stage_wait

# The stage table, then every failure by name, then the counts.
total=0
printf '\n%-16s %8s  %s\n' stage seconds result
for i in "${!stages[@]}"; do
	printf '%-16s %8s  %s\n' "${stages[$i]}" "${times[$i]}" "${states[$i]}"
	total=$((total + times[i]))
done
printf '%-16s %8s\n' total "$total"
# (less than the total when stages ran side by side)
printf '%-16s %8s\n\n' wall-clock "$(($(date +%s) - run_t0))"

cat "$RESDIR"/*.txt 2>/dev/null >"$RESDIR/all" || true
cat "$RESDIR"/*.txt.details 2>/dev/null >"$RESDIR/details" || true

# Under CI a skip must be allowed, with its reason, in tests/skips.allow.
if [ "${CI:-}" = true ]; then
	while IFS= read -r line; do
		n=${line%:77}
		if ! allowed_skip "$n"; then
			sed -i "s#^$n:77\$#$n:skip-not-allowed-under-CI#" "$RESDIR/all"
			printf '%s\tskipped, and tests/skips.allow does not allow it under CI\n' "$n" >>"$RESDIR/details"
		fi
	done < <(grep -E ':77$' "$RESDIR/all" || true)
fi

passed=$(grep -c ':0$' "$RESDIR/all" || true)
skipped=$(grep -c ':77$' "$RESDIR/all" || true)
failed=$(grep -vcE ':(0|77)$' "$RESDIR/all" || true)
if [ "$failed" -gt 0 ]; then
	printf 'failed:\n'
	grep -vE ':(0|77)$' "$RESDIR/all" | while IFS= read -r line; do
		n=${line%:*}
		printf '  %s\n' "$line"
		awk -F '\t' -v n="$n" '$1 == n { print "      " $2 }' "$RESDIR/details"
	done
fi
if [ "$skipped" -gt 0 ]; then
	printf 'skipped:\n'
	grep -E ':77$' "$RESDIR/all" | sed 's/^/  /'
fi
if [ -s "$RESDIR/replayed" ]; then
	printf 'cached: %s of the results are replayed from an earlier run with the same inputs (CHECK_CACHE=0 runs them)\n' \
		"$(wc -l <"$RESDIR/replayed")"
fi
printf '%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
[ "$setup_failed" = 0 ] || exit 2
[ "$failed" = 0 ] || exit 1
[ "$passed" -gt 0 ] || { msg "no test ran"; exit 1; }
exit 0
