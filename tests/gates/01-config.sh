#!/usr/bin/env bash
# Proof-kind: series
# The config gate fails, naming the option, when a requested value does not
# survive the merge (DEV_DAX_CXL cannot be built in while DEV_DAX is a module).
. "$(dirname "$0")/lib.sh"

printf '# Help: a fragment that cannot be honoured\nCONFIG_DEV_DAX_CXL=y\n' >"$PROOF/bad.cfg"
rc=0
KOBJ=$PROOF/obj CONFIG_FRAGMENTS="$(find "$TOP/config" -maxdepth 1 -name '*.cfg' | sort) $PROOF/bad.cfg" \
	"$TOP/scripts/config.sh" >"$PROOF/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$PROOF/out" >&2; fail "config.sh exited $rc, not 1"; }
grep -q "requested 'CONFIG_DEV_DAX_CXL=y'" "$PROOF/out" || fail "config.sh did not name the option"
msg "caught: $(grep -m1 requested "$PROOF/out")"
