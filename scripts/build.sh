#!/usr/bin/env bash
# Build the guest kernel, its modules and the cxl_test modules, and stage
# the modules for the initramfs (cxl_test's under updates/).
#
# Usage: scripts/build.sh [-h]
# Env:   KSRC, KOBJ, MODROOT (default build/modroot), JOBS, CCACHE_DIR
# Exit:  0 built, 1 build failure, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nBuild bzImage, modules and cxl_test into %s.\n' "${0##*/}" "$KOBJ"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${MODROOT:=$BUILD/modroot}"
need_cmd ccache gcc make depmod
need_file "$KOBJ/.config" "run 'make config' first"

start=$(date +%s)
state=$(build_state)
ccache -z >/dev/null 2>&1 || true

msg "building bzImage and modules in $KOBJ"
kmake bzImage modules || fail "kernel build failed"
msg "building tools/testing/cxl (cxl_test)"
kmake M="$KSRC/tools/testing/cxl" modules || fail "cxl_test build failed"

kver=$(kernel_release)
tmp=$(mktemp -d "$BUILD/modroot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
kmake INSTALL_MOD_PATH="$tmp" INSTALL_MOD_STRIP=1 modules_install >/dev/null ||
	fail "modules_install failed"
kmake M="$KSRC/tools/testing/cxl" INSTALL_MOD_PATH="$tmp" INSTALL_MOD_STRIP=1 \
	modules_install >/dev/null || fail "cxl_test modules_install failed"
rm -f "$tmp/lib/modules/$kver/build" "$tmp/lib/modules/$kver/source"
depmod -b "$tmp" "$kver"
# The stamp scripts/fresh.sh compares the tree and the initramfs with:
# what this build was made from, dated when it started.
printf '%s\n' "$state" >"$tmp/.built"
touch -d "@$start" "$tmp/.built"
rm -rf "$MODROOT"
mv "$tmp" "$MODROOT"
trap - EXIT

end=$(date +%s)
hits=$(ccache -s 2>/dev/null | awk -F: '/^ *Hits:/ {gsub(/ /, "", $2); print $2; exit}')
msg "built $kver in $((end - start)) s (ccache hits: ${hits:-n/a})"
