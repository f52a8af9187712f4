# shellcheck shell=bash
# Sourced by the gate proofs (tests/gates/NN-name.sh): each one feeds a
# gate a deliberately broken input and passes only if the gate fails on it,
# naming the right gate. Exit 0 pass, 1 fail, 2 setup error.
set -Eeuo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
trap 'msg "FAIL: ${BASH_SOURCE[0]##*/} line $LINENO: $BASH_COMMAND"; exit 1' ERR

PROOF=$(mktemp -d)
trap 'rm -rf "$PROOF"' EXIT

# bad_patch FILE SUBJECT PROGRAM: a one-patch series in $PROOF/series that
# edits FILE (as in the base) with the perl PROGRAM.
bad_patch() {
	local f=$1 subject=$2 prog=$3 d=$PROOF/diff

	mkdir -p "$d/a/${f%/*}" "$d/b/${f%/*}" "$PROOF/series"
	git -C "$KSRC" show "base:$f" >"$d/a/$f"
	perl -0pe "$prog" "$d/a/$f" >"$d/b/$f"
	{
		printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
		printf 'From: Gate Proof <gate-proof@example.org>\n'
		printf 'Date: Sat, 1 Jan 2000 00:00:00 +0000\n'
		printf 'Subject: [PATCH] %s\n\n' "$subject"
		printf 'This patch is broken on purpose to prove that a gate catches it.\n\n'
		printf 'Signed-off-by: Gate Proof <gate-proof@example.org>\n---\n'
		(cd "$d" || exit 2; git diff --no-index "a/$f" "b/$f" || true) |
			sed -e "s#a/a/#a/#g" -e "s#b/b/#b/#g"
	} >"$PROOF/series/0001-gate-proof.patch"
}

# expect_gate GATES GATE...: run check-series.sh with GATES on the proof
# series; every GATE must fail and every other selected gate pass.
expect_gate() {
	local gates=$1 g want rc=0
	shift

	KEEP_WORK=${KEEP_WORK:-0} SERIES=$PROOF/series GATES=$gates RESULTS=$PROOF/results \
		"$TOP/scripts/check-series.sh" >"$PROOF/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] || { cat "$PROOF/out" >&2; fail "check-series.sh exited $rc, not 1"; }
	for g in ${gates//,/ }; do
		want=0
		[[ " $* " == *" $g "* ]] && want=1
		grep -qx "series/$g:$want" "$PROOF/results" ||
			{ cat "$PROOF/out" >&2; fail "series/$g: expected rc $want"; }
	done
	grep -E '^ +0001: ' "$PROOF/out" | head -n 5 >&2 || true
	msg "caught: $*"
}

# expect_eq GOT WANT WHAT: fail unless GOT equals WANT.
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected $2, got $1"
}

# new_file_patch FILE SUBJECT CONTENT: a one-patch series in $PROOF/series
# that adds FILE (absent from the base) with CONTENT.
new_file_patch() {
	local f=$1 subject=$2 d=$PROOF/diff

	mkdir -p "$d/b/${f%/*}" "$PROOF/series"
	printf '%s\n' "$3" >"$d/b/$f"
	{
		printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
		printf 'From: Gate Proof <gate-proof@example.org>\n'
		printf 'Date: Sat, 1 Jan 2000 00:00:00 +0000\n'
		printf 'Subject: [PATCH] %s\n\n' "$subject"
		printf 'This patch is broken on purpose to prove that a gate catches it.\n\n'
		printf 'Signed-off-by: Gate Proof <gate-proof@example.org>\n---\n'
		(cd "$d" || exit 2; git diff --no-index /dev/null "b/$f" || true) |
			sed -e "s#b/b/#b/#g"
	} >"$PROOF/series/0001-gate-proof.patch"
}

# tree_patch N SUBJECT FILE PROGRAM [FILE PROGRAM...]: patch N of a series
# in $PROOF/series that edits each FILE, as patches 1..N-1 left it (the
# base first), with its perl PROGRAM; a FILE absent so far starts empty.
tree_patch() {
	local n=$1 subject=$2 d=$PROOF/tree$1 f prev
	shift 2

	rm -rf "$d"
	mkdir -p "$d/a" "$d/b" "$PROOF/series" "$PROOF/state"
	while [ "$#" -ge 2 ]; do
		f=$1
		mkdir -p "$d/a/${f%/*}" "$d/b/${f%/*}" "$PROOF/state/${f%/*}"
		prev=$PROOF/state/$f
		[ -e "$prev" ] || git -C "$KSRC" show "base:$f" >"$prev" 2>/dev/null || rm -f "$prev"
		[ -e "$prev" ] && cp "$prev" "$d/a/$f"
		# (perl -p would not run PROGRAM on an empty input)
		perl -e '$/ = undef; $_ = <STDIN> // ""; '"$2"'; print' \
			<"$( [ -e "$prev" ] && echo "$prev" || echo /dev/null)" >"$d/b/$f"
		cp "$d/b/$f" "$prev"
		shift 2
	done
	{
		printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
		printf 'From: Gate Proof <gate-proof@example.org>\n'
		printf 'Date: Sat, 1 Jan 2000 00:00:00 +0000\n'
		printf 'Subject: [PATCH %s] %s\n\n' "$n" "$subject"
		printf 'This patch is part of a series broken on purpose to prove a gate.\n\n'
		printf 'Signed-off-by: Gate Proof <gate-proof@example.org>\n---\n'
		(cd "$d" || exit 2; git diff --no-index --no-prefix a b || true)
	} >"$PROOF/series/000$n-gate-proof.patch"
}
