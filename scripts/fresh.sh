#!/usr/bin/env bash
# Bring what a guest boots up to date: rebuild the kernel and modules when
# the tree or its .config changed since the last build, and the initramfs
# when the modules, guest/, tests/, tools/ or the packing script changed
# since it was written. Cheap when nothing changed (a find, no make).
#
# Usage: scripts/fresh.sh [-h]
# Env:   KSRC, KOBJ, MODROOT, INITRD
# Exit:  0 up to date, 1 a build failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nRebuild a stale guest kernel or initramfs.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${MODROOT:=$BUILD/modroot}"
: "${INITRD:=$BUILD/initramfs.cpio.gz}"
: "${TESTS_DIR:=$TOP/tests}"
stamp=$MODROOT/.built

# newer_than REF PATH...: the first file under PATHs newer than REF.
newer_than() {
	local ref=$1

	shift
	find "$@" -name .git -prune -o -type f -newer "$ref" -print -quit 2>/dev/null
}

# What the last build was made from (scripts/build.sh writes it into the
# stamp): the tree's commit, its uncommitted edits and the config. Build
# products inside the tree (cxl_test builds in tools/testing/cxl) do not
# count, so mtimes of the tree cannot be used.
why=""
if [ ! -e "$stamp" ]; then
	why="no build yet"
elif [ "$(cat "$stamp")" != "$(build_state)" ]; then
	why="the tree or its config changed since the last build"
fi
if [ -n "$why" ]; then
	msg "kernel is stale ($why): rebuilding"
	"$TOP/scripts/build.sh"
fi

if [ ! -e "$INITRD" ]; then
	why="no initramfs yet"
else
	why=$(newer_than "$INITRD" "$stamp" "$TOP/guest" "$TOP/tests" "$TESTS_DIR" "$TOP/tools" \
		"$TOP/scripts/initramfs.sh")
fi
if [ -n "$why" ]; then
	msg "initramfs is stale ($why): repacking"
	"$TOP/scripts/initramfs.sh"
fi
