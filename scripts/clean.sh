#!/usr/bin/env bash
# Remove build products. -a also removes the kernel tree, but only when its
# work is exported to series/ (or FORCE=1).
#
# Usage: scripts/clean.sh [-h] [-a]
# Exit:  0 cleaned, 2 refused (unexported work).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] [-a]\nRemove build products; -a also the kernel tree.\n' "${0##*/}"; }
all=0
case "${1:-}" in -h | --help) usage; exit 0 ;; -a) all=1 ;; "") ;; *) usage >&2; exit 2 ;; esac

rm -rf "$KOBJ" "$BUILD/modroot" "$BUILD/initramfs.cpio.gz" "$BUILD/initramfs.cpio.gz.host-files" "$LOGDIR"
if [ "$all" = 1 ] && [ -d "$KSRC/.git" ]; then
	if [ "${FORCE:-0}" != 1 ]; then
		# apply.sh refuses exactly when the tree holds unexported work.
		APPLY_BRANCH=dcd "$TOP/scripts/apply.sh" >/dev/null 2>&1 ||
			die "$KSRC holds work not in series/: 'make export' first, or FORCE=1"
	fi
	rm -rf "$KSRC"
fi
msg "cleaned"
