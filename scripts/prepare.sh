#!/usr/bin/env bash
# Everything a guest run needs: dependencies, base tree, series, config,
# kernel and modules, initramfs. Idempotent and incremental.
#
# Usage: scripts/prepare.sh [-h]
# Exit:  0 ready, 1 a patch or the build failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nInstall, unpack, apply, configure, build and pack the guest.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

for s in deps unpack apply config build initramfs; do
	"$TOP/scripts/$s.sh"
done
