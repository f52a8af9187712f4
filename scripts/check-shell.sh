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
rc=0
shellcheck -x -P SCRIPTDIR -s bash "${files[@]}" || rc=1

# Waits that wait: a poll helper must run its command on every poll. A
# "$(...)" or backquote in a wait_for/wait_eq/wait_le line is computed
# once, before the wait starts (a count substituted into a 'test' that
# wait_for polls never changes). Put the computation in a function and
# pass its name.
bad=$(grep -nE '(^|&&|\|\||;|until|while|if|!)[[:space:]]*(wait_for|wait_eq|wait_le)[[:space:]][^|]*(\$\([^(]|`)' "${files[@]}" || true)
if [ -n "$bad" ]; then
	printf '%s\n' "$bad" >&2
	msg "computed-once wait: a value in a wait_* line is computed before the wait (see above)"
	rc=1
fi
[ "$rc" = 0 ] || fail "shellcheck or the wait lint found problems (see above)"
msg "shellcheck and wait lint clean: ${#files[@]} files"
