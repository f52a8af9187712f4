#!/usr/bin/env bash
# The series at the tip under kernel configurations other than the
# guest's. Every config/matrix/NAME.cfg is merged on config/00-guest.cfg
# (a small x86_64 kernel), checked like the guest config (scripts/config.sh
# fails when a requested value does not survive the merge), then vmlinux
# and the modules are built. The variants share one object directory,
# build/kconfig/obj: going from one to the next, Kbuild recompiles only
# what depends on the options that changed (and ccache has seen most of
# that before). A variant fails when it does not configure as asked,
# does not build or link, or when the compiler warns in drivers/cxl or
# drivers/dax (the warnings of what it recompiled).
#
# One result line "kconfig/NAME:RC" each. The per-patch build gate
# (check-series.sh) covers the guest config at every patch; these
# variants are built at the tip.
#
# Usage: scripts/check-kconfig.sh [-h] [NAME...]
# Env:   KSRC, MATRIX_DIR (default config/matrix), KCONFIG_OBJ (the object
#        directory, default build/kconfig/obj), RESULTS, JOBS
# Exit:  0 every variant built, 1 a variant failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] [NAME...]\nBuild the tip under each config/matrix/NAME.cfg.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; -*) usage >&2; exit 2 ;; esac

: "${MATRIX_DIR:=$TOP/config/matrix}"
: "${KCONFIG_OBJ:=$BUILD/kconfig/obj}"
: "${RESULTS:=$LOGDIR/results-kconfig.txt}"
need_cmd ccache gcc make
need_file "$KSRC/Makefile" "run 'make unpack' first"
mkdir -p "$LOGDIR"

if [ "$#" -gt 0 ]; then
	names=("$@")
else
	mapfile -t names < <(find "$MATRIX_DIR" -maxdepth 1 -name '*.cfg' -printf '%f\n' | sed 's/\.cfg$//' | sort)
fi
[ "${#names[@]}" -gt 0 ] || die "no variants in $MATRIX_DIR"

any=0
for name in "${names[@]}"; do
	frag=$MATRIX_DIR/$name.cfg
	need_file "$frag" "no such variant"
	obj=$KCONFIG_OBJ
	log=$LOGDIR/kconfig-$name.log
	t0=$(date +%s)
	rc=0
	mkdir -p "$obj"
	{
		KOBJ=$obj CONFIG_FRAGMENTS="$TOP/config/00-guest.cfg $frag" "$TOP/scripts/config.sh" &&
			KOBJ=$obj kmake vmlinux modules
	} >"$log" 2>&1 || rc=1
	warn=$(grep -E '^([^ :]*/)?drivers/(cxl|dax)/[^ :]+:[0-9]+:[0-9]+: warning: ' "$log" || true)
	if [ "$rc" = 0 ] && [ -n "$warn" ]; then
		msg "kconfig/$name: the compiler warns in drivers/cxl or drivers/dax:"
		printf '%s\n' "$warn" | head -n 10 >&2
		rc=1
	elif [ "$rc" != 0 ]; then
		msg "kconfig/$name: failed (log: $log):"
		grep -E 'error|requested|Error [0-9]' "$log" | head -n 10 >&2 || tail -n 10 "$log" >&2
	fi
	msg "kconfig/$name: $([ "$rc" = 0 ] && echo built || echo FAILED) in $(($(date +%s) - t0)) s ($(sed -n 's/^# Help: //p' "$frag"))"
	printf 'kconfig/%s:%s\n' "$name" "$rc" >>"$RESULTS"
	[ "$rc" = 0 ] || any=1
done
exit "$any"
