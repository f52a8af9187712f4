#!/usr/bin/env bash
# Benchmark, not a test: time a cold build (empty object directory, empty
# ccache), a warm one (empty object directory, the ccache the cold one
# filled) and a no-op rebuild, and print the figures and ratios.
#
# Usage: scripts/bench-build.sh [-h]
# Exit:  0 printed, 2 setup or build error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nTime cold, warm and no-op guest kernel builds.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_file "$KSRC/Makefile" "run 'make unpack' first"

bench=$(mktemp -d "$BUILD/bench.XXXXXX")
trap 'rm -rf "$bench"' EXIT
export CCACHE_DIR=$bench/ccache MODROOT=$bench/modroot

# timed NAME OBJDIR: configure and build in OBJDIR, print the seconds.
timed() {
	local t0

	t0=$(date +%s)
	KOBJ=$2 "$TOP/scripts/config.sh" >/dev/null 2>&1 || die "config failed"
	KOBJ=$2 "$TOP/scripts/build.sh" >"$bench/$1.log" 2>&1 || die "$1 build failed ($bench/$1.log)"
	echo $(($(date +%s) - t0))
}

cold=$(timed cold "$bench/obj-cold")
warm=$(timed warm "$bench/obj-warm")
noop=$(timed noop "$bench/obj-warm")
printf 'build on %s cores: cold %s s, warm (ccache) %s s, no-op %s s\n' "$JOBS" "$cold" "$warm" "$noop"
printf 'ratios: cold/warm %s, cold/no-op %s\n' \
	"$(awk -v a="$cold" -v b="$warm" 'BEGIN { printf "%.1f", a / (b ? b : 1) }')" \
	"$(awk -v a="$cold" -v b="$noop" 'BEGIN { printf "%.1f", a / (b ? b : 1) }')"
