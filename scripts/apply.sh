#!/usr/bin/env bash
# Apply series/ onto the pristine base in $KSRC with git am, in sorted
# order, stopping at the first patch that fails and naming it.
#
# The tree's branch "dcd" is reset to base first. Work that is not in
# series/ yet (uncommitted edits, or commits that differ from the series)
# is never thrown away: export it first (make export), or set FORCE=1.
#
# Usage: scripts/apply.sh [-h]
# Env:   KSRC, SERIES, APPLY_BRANCH (default dcd; empty: detached HEAD), FORCE
# Exit:  0 applied (or already applied), 1 a patch failed to apply,
#        2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nApply %s onto the base in %s.\n' "${0##*/}" "$SERIES" "$KSRC"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${APPLY_BRANCH=dcd}"
: "${FORCE:=0}"
need_cmd git
git -C "$KSRC" rev-parse -q --verify base >/dev/null 2>&1 || die "$KSRC has no base tag: run 'make unpack'"
[ -d "$SERIES" ] || die "no series directory $SERIES"

mapfile -t patches < <(find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)

# The cover letter declares the base the series was made on; the series
# is applied to that base and no other (scripts/deps.sh installs it).
want=$(base_wanted)
have=$(git -C "$KSRC" config --get dcd.baseversion || true)
[ -n "$want" ] || die "the cover letter declares no 'Base: Debian linux-source-6.12 VERSION' line"
[ "$want" = "$have" ] ||
	die "the series is made on linux-source-6.12 $want, but $KSRC holds $have: 'make deps', then remove $KSRC and 'make unpack'"

# patch_ids: stable patch ids of the commits base..HEAD, or of the series.
tree_ids() {
	local c

	for c in $(git -C "$KSRC" rev-list --reverse base..HEAD); do
		git -C "$KSRC" show "$c" | git patch-id --stable | awk '{print $1}'
	done
}
series_ids() {
	local p

	for p in "${patches[@]}"; do
		git patch-id --stable <"$p" | awk '{print $1}'
	done
}

if [ "$FORCE" != 1 ]; then
	git -C "$KSRC" diff --quiet HEAD -- || die "uncommitted edits in $KSRC: commit and 'make export' them, or FORCE=1 to discard"
	current=$(tree_ids)
	wanted=$(series_ids)
	if [ "$current" = "$wanted" ]; then
		msg "series (${#patches[@]} patches) already applied in $KSRC"
		exit 0
	fi
	if [ -n "$current" ] && [ -n "$APPLY_BRANCH" ]; then
		die "commits in $KSRC differ from $SERIES: 'make export' them first, or FORCE=1 to discard"
	fi
fi

[ -d "$KSRC/.git/rebase-apply" ] && git -C "$KSRC" am --abort 2>/dev/null
if [ -n "$APPLY_BRANCH" ]; then
	git -C "$KSRC" checkout -q -f -B "$APPLY_BRANCH" base
else
	git -C "$KSRC" checkout -q -f --detach base
fi

for p in "${patches[@]}"; do
	if ! git -C "$KSRC" am -q --whitespace=nowarn "$p" >"$BUILD/am.log" 2>&1; then
		cat "$BUILD/am.log" >&2
		git -C "$KSRC" am --abort 2>/dev/null || true
		fail "patch does not apply: ${p##*/}"
	fi
done
msg "applied ${#patches[@]} patches onto base ($(git -C "$KSRC" config --get dcd.baseversion))"
