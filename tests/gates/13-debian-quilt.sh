#!/usr/bin/env bash
# Proof-kind: series
# The Debian packaging gate fails when the quilt series makes a tree other
# than the tip's: one added line of the last patch is changed (the patch
# still applies, the result differs).
. "$(dirname "$0")/lib.sh"

mkdir -p "$PROOF/series"
cp "$SERIES"/*.patch "$PROOF/series/"
last=$(find "$PROOF/series" -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort | tail -n 1)
# the first added line that is not a file header gains a character
perl -0pi -e 's/^\+(?!\+\+ )([^\n]*)$/+$1 /m' "$last"
rc=0
SERIES=$PROOF/series DEST=$PROOF/out RESULTS=$PROOF/results \
	"$TOP/scripts/debian-patches.sh" -c >"$PROOF/log" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$PROOF/log" >&2; fail "debian-patches.sh -c exited $rc, not 1"; }
grep -qx 'debian/quilt:1' "$PROOF/results" || fail "no failing debian/quilt result"
grep -q "quilt's tree differs" "$PROOF/log" || fail "the gate did not say the trees differ"
msg "caught: $(grep -m1 "differs" "$PROOF/log")"
