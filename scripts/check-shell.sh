#!/usr/bin/env bash
# The shellcheck gate on the workbench's own shell code.
#
# Usage: scripts/check-shell.sh [-h]
# Env:   SHELL_FILES (default: every shell script of the workbench)
# Exit:  0 clean, 1 shellcheck found something, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nRun shellcheck on the workbench scripts.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_cmd shellcheck

cd "$TOP"
if [ -n "${SHELL_FILES:-}" ]; then
	read -r -a files <<<"$SHELL_FILES"
else
	files=(scripts/*.sh tests/lib.sh tests/*/*.sh .ci/run guest/init guest/usr/bin/qmp
		guest/usr/lib/dcd/*.sh)
fi
shellcheck -x -P SCRIPTDIR -s bash "${files[@]}" || fail "shellcheck found problems (see above)"
msg "shellcheck clean: ${#files[@]} files"
