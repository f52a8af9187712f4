#!/usr/bin/env bash
# Write the commits on top of the base in $KSRC back to series/: numbered
# patch files plus the cover letter, whose hand-written part is kept and
# whose "Series contents (generated):" section is regenerated. The output is
# stable: exporting an unchanged tree changes no file.
#
# Usage: scripts/export.sh [-h]
# Env:   KSRC, SERIES
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

# The cover letter: keep the text above the generated section.
cover=$SERIES/0000-cover-letter.patch
marker='Series contents (generated):'
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
