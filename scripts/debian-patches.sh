#!/usr/bin/env bash
# Write the series in the form Debian's linux source package keeps its
# feature patches, under $DEST (default build/debian):
#   debian/patches/features/all/cxl-dcd/NNNN-name.patch
#       each patch of series/, its subject without the "[PATCH n/m]"
#       prefix and with DEP-3 fields (Origin, Forwarded) after the mail
#       header, as the package's other feature patches have them;
#   debian/patches/series-cxl-dcd
#       the lines to add to the package's debian/patches/series, in order.
# With -c it then checks the result as a distribution would use it: quilt
# pushes every patch onto the pristine base (tag "base" of $KSRC, with the
# debian/ directory beside it, as in the source package) and the tree it
# makes must be identical, file for file, to $KSRC's tip (the series
# applied by git am). The check records "debian/quilt". Quilt, like git
# am, only touches the files its patches name: those are what the check
# unpacks, patches and compares; every other file of the tree is the
# base's in both, by construction, and is taken from the base's tree
# object, so that the comparison is still of whole trees.
#
# Usage: scripts/debian-patches.sh [-h] [-c]
# Env:   SERIES, KSRC, DEST, RESULTS (with -c, a file to append
#        "debian/quilt:RC" to)
# Exit:  0 written (and identical), 1 the check failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h] [-c]\nWrite series/ as Debian feature patches in %s (-c: check them with quilt).\n' "${0##*/}" "${DEST:-build/debian}"; }
check=0
case "${1:-}" in
-h | --help) usage; exit 0 ;;
-c) check=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

: "${DEST:=$BUILD/debian}"
TOPIC=features/all/cxl-dcd
mapfile -t patches < <(find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
[ "${#patches[@]}" -gt 0 ] || die "no patches in $SERIES"

rm -rf "$DEST/debian"
mkdir -p "$DEST/debian/patches/$TOPIC"
frag=$DEST/debian/patches/series-cxl-dcd
{
	printf '# CXL Dynamic Capacity Device support (%d patches): add to\n' "${#patches[@]}"
	printf '# debian/patches/series, after the other features/all patches\n'
} >"$frag"
for p in "${patches[@]}"; do
	name=${p##*/}
	# the mail header ends at the first empty line: the DEP-3 fields go
	# there; the subject loses its "[PATCH n/m] " prefix
	awk '
		!done && /^Subject: \[PATCH[^]]*\] / { sub(/^Subject: \[PATCH[^]]*\] /, "Subject: ") }
		!done && /^$/ {
			print "Origin: other, the CXL Dynamic Capacity series for 6.12 (not yet upstream)"
			print "Forwarded: no"
			done = 1
		}
		{ print }' "$p" >"$DEST/debian/patches/$TOPIC/$name"
	printf '%s/%s\n' "$TOPIC" "$name" >>"$frag"
done
msg "wrote ${#patches[@]} patches to $DEST/debian/patches/$TOPIC and the series fragment $frag"
[ "$check" = 1 ] || exit 0

: "${RESULTS:=$LOGDIR/results-debian.txt}"
mkdir -p "$LOGDIR"
need_cmd quilt git tar
git -C "$KSRC" rev-parse -q --verify base >/dev/null 2>&1 || die "$KSRC has no base tag: run 'make unpack'"
git -C "$KSRC" diff --quiet HEAD -- || die "uncommitted edits in $KSRC: commit and 'make export' them first"
[ "$(git -C "$KSRC" rev-list --count base..HEAD)" = "${#patches[@]}" ] ||
	die "$KSRC holds $(git -C "$KSRC" rev-list --count base..HEAD) patches, series/ ${#patches[@]}: run 'make apply' (or 'make export')"

t0=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tree"
# every path a patch names, as its old and its new name
mapfile -t paths < <(sed -nE 's#^diff --git a/([^ ]+) b/([^ ]+)$#\1\n\2#p' "${patches[@]}" | sort -u)
[ "${#paths[@]}" -gt 0 ] || die "the patches in $SERIES name no file"
base_paths=()
for f in "${paths[@]}"; do
	git -C "$KSRC" cat-file -e "base:$f" 2>/dev/null && base_paths+=("$f")
done
if [ "${#base_paths[@]}" -gt 0 ]; then
	git -C "$KSRC" archive base -- "${base_paths[@]}" | tar -x -C "$work/tree"
fi
cp -a "$DEST/debian" "$work/tree/"
rc=0
(cd "$work/tree" && QUILT_PATCHES=debian/patches QUILT_SERIES=series-cxl-dcd \
	quilt --quiltrc - push -a -q) >"$work/quilt.log" 2>&1 || rc=1
if [ "$rc" = 0 ]; then
	rm -rf "$work/tree/debian" "$work/tree/.pc"
	# a file quilt left that no patch names (a reject, a backup) differs
	extra=$(cd "$work/tree" && find . -type f -printf '%P\n' | sort |
		comm -23 - <(printf '%s\n' "${paths[@]}") | head -n 5)
	if [ -n "$extra" ]; then
		msg "FAIL: quilt's tree has files no patch names: $extra"
		rc=1
	fi
	# the base's tree, with the named files as quilt left them (added,
	# changed with their mode, or removed)
	objects=$(cd "$KSRC" && realpath "$(git rev-parse --git-common-dir)/objects")
	base_tree=$(git -C "$KSRC" rev-parse 'base^{tree}')
	got=$(export GIT_DIR=$work/git GIT_WORK_TREE=$work/tree GIT_INDEX_FILE=$work/index &&
		git init -q && echo "$objects" >"$GIT_DIR/objects/info/alternates" &&
		git read-tree "$base_tree" &&
		printf '%s\n' "${paths[@]}" | git update-index --add --remove --stdin &&
		git write-tree)
	want=$(git -C "$KSRC" rev-parse 'HEAD^{tree}')
	if [ "$got" != "$want" ]; then
		msg "FAIL: quilt's tree differs from $KSRC's tip:"
		GIT_DIR=$work/git git diff-tree -r --stat "$want" "$got" 2>&1 | tail -n 10 >&2 || true
		rc=1
	fi
else
	msg "FAIL: quilt push -a failed:"
	tail -n 10 "$work/quilt.log" >&2
fi
printf 'debian/quilt:%s\n' "$rc" >>"$RESULTS"
if [ "$rc" = 0 ]; then
	msg "quilt applies the ${#patches[@]} patches onto the base: tree identical to the tip ($(($(date +%s) - t0)) s)"
fi
exit "$rc"
