#!/usr/bin/env bash
# Unpack Debian's linux-source-6.12 into $KSRC as a git repository whose
# first commit is the pristine base, tagged "base". Idempotent: a tree that
# already holds the installed base version is left alone.
#
# Usage: scripts/unpack.sh [-h]
# Env:   BASE_TARBALL (default /usr/src/linux-source-6.12.tar.xz), KSRC
# Exit:  0 tree ready, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nUnpack the base kernel into %s.\n' "${0##*/}" "$KSRC"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

need_cmd git tar xz
need_file "$BASE_TARBALL" "install linux-source-6.12: run 'make deps'"
ver=$(base_version)
[ -n "$ver" ] || ver=unknown

if [ -d "$KSRC/.git" ]; then
	have=$(git -C "$KSRC" config --get dcd.baseversion || true)
	if [ "$have" = "$ver" ]; then
		msg "base $ver already unpacked in $KSRC"
		exit 0
	fi
	die "$KSRC holds base '$have' but '$ver' is installed: export your work (make export), then remove $KSRC"
fi

mkdir -p "$BUILD"
tmp=$(mktemp -d "$BUILD/unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

msg "unpacking $BASE_TARBALL ($ver)"
tar -C "$tmp" -xf "$BASE_TARBALL"
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -f "$src/Makefile" ] || die "no kernel tree found in $BASE_TARBALL"

git -C "$src" init -q -b base-tree
# Commits made on top of the base carry the series' identity unless the
# developer sets another one.
git -C "$src" config user.name "${DCD_GIT_NAME:-DCD Team}"
git -C "$src" config user.email "${DCD_GIT_EMAIL:-dcd-team@example.org}"
git -C "$src" config dcd.baseversion "$ver"
git -C "$src" config core.autocrlf false
git -C "$src" config gc.auto 0
# Debian's tarball has no .gitignore for the build products we keep out of
# tree anyway; add everything as shipped.
git -C "$src" add -A -f .
# A fixed identity and date make the base commit, and so the series'
# base-commit line, the same on every machine.
GIT_AUTHOR_NAME="DCD Workbench" GIT_AUTHOR_EMAIL="dcd-workbench@example.org" \
	GIT_COMMITTER_NAME="DCD Workbench" GIT_COMMITTER_EMAIL="dcd-workbench@example.org" \
	GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" \
	git -C "$src" commit -q -m "Debian linux-source-6.12 $ver (pristine base)"
git -C "$src" tag base
git -C "$src" checkout -q -b dcd
mv "$src" "$KSRC"
msg "base $ver ready in $KSRC (tag: base, branch: dcd)"
