#!/usr/bin/env bash
# Shared helpers for the workbench scripts. Sourced, never run.
#
# Every script that sources this file gets the project layout below, the
# message helpers and the exit-code convention:
#   0 pass, 1 test failure, 2 setup or infrastructure error.

# shellcheck disable=SC2034 # the variables below are used by the callers
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${BUILD:=$TOP/build}"
: "${KSRC:=$BUILD/linux}"
: "${KOBJ:=$BUILD/obj}"
: "${GUEST:=$BUILD/guest}"
: "${LOGDIR:=$BUILD/logs}"
: "${SERIES:=$TOP/series}"
: "${BASE_TARBALL:=/usr/src/linux-source-6.12.tar.xz}"
: "${CCACHE_DIR:=$HOME/.cache/dcd-ccache}"
: "${JOBS:=$(nproc)}"
export CCACHE_DIR

EXIT_FAIL=1
EXIT_SETUP=2

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { msg "error: $*"; exit "$EXIT_SETUP"; }
fail() { msg "FAIL: $*"; exit "$EXIT_FAIL"; }

# need_cmd CMD...: stop with a setup error naming every missing command.
need_cmd() {
	local c missing=()

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	[ "${#missing[@]}" -eq 0 ] ||
		die "missing command(s): ${missing[*]} (run 'make deps')"
}

# need_file PATH HINT: stop with a setup error when PATH does not exist.
need_file() {
	[ -e "$1" ] || die "$1 not found ($2)"
}

# kernel_release: the release string of the configured guest kernel.
kernel_release() {
	cat "$KOBJ/include/config/kernel.release"
}

# kmake ARGS...: make in the kernel tree, out of tree, through ccache.
kmake() {
	local cmd=(make -C "$KSRC" O="$KOBJ" -j"$JOBS" -s
		CC="ccache gcc" KBUILD_BUILD_TIMESTAMP="2000-01-01 00:00:00 UTC" KBUILD_BUILD_USER=dcd
		KBUILD_BUILD_HOST=workbench)

	CCACHE_BASEDIR="$BUILD" CCACHE_NOHASHDIR=1 \
		CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime \
		"${cmd[@]}" "$@"
}

# base_version: the Debian version of the installed base, or empty.
base_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true
}

# qemu_has_dcd [QEMU]: QEMU emulates Dynamic Capacity (9.1 or later).
qemu_has_dcd() {
	"${1:-qemu-system-x86_64}" -device cxl-type3,help 2>/dev/null | grep -q volatile-dc-memdev
}

# base_wanted: the Debian version of linux-source-6.12 the cover letter's
# "Base:" line names.
base_wanted() {
	sed -n 's/^Base: Debian linux-source-6.12 \([^ ]*\).*/\1/p' \
		"$SERIES/0000-cover-letter.patch" 2>/dev/null | head -n 1
}

# build_state: what a build of $KSRC is made from: its commit, a digest of
# its uncommitted edits to tracked files, and a digest of the config.
build_state() {
	printf '%s %s %s\n' "$(git -C "$KSRC" rev-parse HEAD 2>/dev/null)" \
		"$(git -C "$KSRC" diff HEAD 2>/dev/null | sha1sum | cut -c1-12)" \
		"$(sha1sum <"$KOBJ/.config" 2>/dev/null | cut -c1-12)"
}

# guest_job RUN WHAT [RUN-QEMU ARGS...]: run the cxl_test guest in mode RUN
# (bench, fuzz) with the log $LOGDIR/<script>.log, print its "RUN: " lines,
# and fail (exit 1) on a kernel splat or a run that did not finish, naming
# WHAT and the log; a setup error exits 2. GUEST_ENV and RUN_LIMIT as set.
guest_job() {
	local run=$1 what=$2 log rc=0

	shift 2
	mkdir -p "$LOGDIR"
	log=$LOGDIR/${0##*/}
	log=${log%.sh}.log
	TEST_TIMEOUT=$RUN_LIMIT "$TOP/scripts/run-qemu.sh" -p cxl_test -r "$run" \
		-o "$log" -T "$RUN_LIMIT" "$@" || rc=$?
	[ "$rc" != 2 ] || exit 2
	grep -a "\] $run: \|^$run: " "$log" | sed "s/^.*$run: /$run: /" || true
	judge_run "$run" "$what" "$log" "$rc"
}

# judge_run RUN WHAT LOG RC: fail (exit 1) when the guest's log LOG has a
# kernel splat, or when the run (QEMU's exit code RC, the guest's
# "dcd-result: RUN:N" line) did not complete, naming WHAT and the log.
judge_run() {
	local run=$1 what=$2 log=$3 rc=$4 result splat

	result=$(sed -n "s/.*dcd-result: $run:\([0-9]*\).*/\1/p" "$log" | tail -n 1)
	splat=$(grep -aEf "$TOP/guest/usr/lib/dcd/splat.ere" "$log" || true)
	if [ -n "$splat" ]; then
		msg "FAIL: kernel splat during $what (log: $log):"
		printf '%s\n' "$splat" | head -n 10 >&2
		exit 1
	fi
	if [ "$rc" != 0 ] || [ "${result:-1}" != 0 ]; then
		msg "FAIL: $what did not complete (result ${result:-none}; log: $log)"
		exit 1
	fi
}
