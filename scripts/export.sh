#!/usr/bin/env bash
# Write the commits on top of the base in $KSRC back to series/: numbered
# patch files plus the cover letter, whose hand-written part is kept and
# whose "Series contents (generated):" section is regenerated: shortlog,
# diffstat and, when the patches changed, a range-diff against the series
# being replaced (PREV_SERIES, default the series/ already there, rebuilt
# as commits on the base without touching the work tree). The output is
# stable: exporting an unchanged tree changes no file, and keeps the
# range-diff of the last change.
#
# Usage: scripts/export.sh [-h]
# Env:   KSRC, SERIES, PREV_SERIES (a directory of NNNN-*.patch)
# Exit:  0 exported, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nExport base..HEAD of %s to %s.\n' "${0##*/}" "$KSRC" "$SERIES"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

need_cmd git
git -C "$KSRC" rev-parse -q --verify base >/dev/null 2>&1 || die "$KSRC has no base tag: run 'make unpack'"
git -C "$KSRC" diff --quiet HEAD -- || die "uncommitted edits in $KSRC: commit them first"
mkdir -p "$SERIES"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=$(git -C "$KSRC" rev-list --count base..HEAD)
if [ "$n" -gt 0 ]; then
	git -C "$KSRC" format-patch -q --zero-commit --no-signature --no-numbered \
		--subject-prefix=PATCH -o "$tmp" base..HEAD
	if [ "$n" -gt 1 ]; then
		rm -f "$tmp"/*.patch
		git -C "$KSRC" format-patch -q --zero-commit --no-signature --numbered \
			-o "$tmp" base..HEAD
	fi
fi

# series_commits DIR: the patches of DIR as commits on base (applied to a
# scratch index, not the work tree); prints the last one. Author, date and
# message come from each patch; the committer date is the author's, so
# the same patches make the same commits.
series_commits() {
	local idx=$tmp/prev.index parent tree p name email date subject

	parent=$(git -C "$KSRC" rev-parse base)
	GIT_INDEX_FILE=$idx git -C "$KSRC" read-tree base || return 1
	while IFS= read -r p; do
		git -C "$KSRC" mailinfo "$tmp/prev.msg" "$tmp/prev.diff" <"$p" >"$tmp/prev.info" || return 1
		GIT_INDEX_FILE=$idx git -C "$KSRC" apply --cached "$tmp/prev.diff" || return 1
		tree=$(GIT_INDEX_FILE=$idx git -C "$KSRC" write-tree) || return 1
		name=$(sed -n 's/^Author: //p' "$tmp/prev.info")
		email=$(sed -n 's/^Email: //p' "$tmp/prev.info")
		date=$(sed -n 's/^Date: //p' "$tmp/prev.info")
		subject=$(sed -n 's/^Subject: //p' "$tmp/prev.info")
		parent=$({ printf '%s\n\n' "$subject"; cat "$tmp/prev.msg"; } |
			GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
				GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
				git -C "$KSRC" commit-tree "$tree" -p "$parent") || return 1
	done < <(find "$1" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
	printf '%s\n' "$parent"
}

# The range-diff against the series being replaced, without commit ids
# (they change with every rebase); empty when no patch changed.
: "${PREV_SERIES:=$SERIES}"
rdiff=$tmp/range-diff
: >"$rdiff"
if [ "$n" -gt 0 ] && compgen -G "$PREV_SERIES/[0-9][0-9][0-9][0-9]-*.patch" >/dev/null; then
	if prev=$(series_commits "$PREV_SERIES"); then
		git -C "$KSRC" range-diff --no-color "base..$prev" base..HEAD |
			sed -E 's/^( *[0-9-]+): +[0-9a-f-]+ ([=!<>]) +([0-9-]+): +[0-9a-f-]+ /\1 \2 \3 /' >"$rdiff.all"
		grep -qvE '^ *[0-9]+ = +[0-9]+ ' "$rdiff.all" && mv "$rdiff.all" "$rdiff"
	else
		msg "warning: the previous series does not apply to the base: no range-diff"
	fi
fi

# The cover letter: keep the text above the generated section.
cover=$SERIES/0000-cover-letter.patch
marker='Series contents (generated):'
rd_marker='Changes since the previous version (git range-diff, commit ids left out):'
body=$tmp/body
if [ -f "$cover" ]; then
	awk -v m="$marker" '/^Subject: /,0 { if ($0 == m) exit; print }' "$cover" |
		tail -n +2 >"$body"
	subject=$(sed -n 's/^Subject: \[PATCH [0-9]*\/[0-9]*\] //p; s/^Subject: \[PATCH\] //p' "$cover" | head -n 1)
else
	printf '\nBase: Debian linux-source-6.12 %s\n\n' "$(git -C "$KSRC" config --get dcd.baseversion)" >"$body"
	subject="cxl: Dynamic Capacity Device support"
fi
[ -n "$subject" ] || subject="cxl: Dynamic Capacity Device support"
width=${#n}
{
	printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
	printf 'From: %s <%s>\n' "$(git -C "$KSRC" config user.name)" "$(git -C "$KSRC" config user.email)"
	printf 'Subject: [PATCH %0*d/%d] %s\n' "$width" 0 "$n" "$subject"
	cat "$body"
	printf '%s\n\n' "$marker"
	if [ "$n" -gt 0 ]; then
		git -C "$KSRC" shortlog --no-merges base..HEAD
		git -C "$KSRC" diff --stat=72 --summary base HEAD
		# a new range-diff when patches changed, else the last one
		if [ -s "$rdiff" ]; then
			printf '\n%s\n\n' "$rd_marker"
			cat "$rdiff"
		elif [ -f "$cover" ] && grep -qxF "$rd_marker" "$cover"; then
			printf '\n'
			awk -v m="$rd_marker" '$0 == m { on = 1 } /^base-commit: / { on = 0 } on' "$cover" |
				sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		fi
	else
		printf '  (no patches yet)\n'
	fi
	printf '\nbase-commit: %s\n' "$(git -C "$KSRC" rev-parse base)"
} >"$tmp/0000-cover-letter.patch"

# Replace the numbered patches, then the cover letter.
find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' -delete
find "$tmp" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' -exec mv {} "$SERIES/" \;
cmp -s "$tmp/0000-cover-letter.patch" "$cover" || mv "$tmp/0000-cover-letter.patch" "$cover"
msg "exported $n patches to $SERIES"
