#!/usr/bin/env bash
# Proof-kind: series
# The Kconfig matrix gate fails, naming the variant and the option, on a
# variant that asks for a combination Kconfig cannot give (the DAX side of
# CXL regions built in while CXL regions are off).
. "$(dirname "$0")/lib.sh"

mkdir -p "$PROOF/matrix"
printf '# Help: a variant that cannot be honoured\n# CONFIG_CXL_REGION is not set\nCONFIG_DEV_DAX=y\nCONFIG_DEV_DAX_CXL=y\n' \
	>"$PROOF/matrix/broken.cfg"
rc=0
KCONFIG_OBJ=$PROOF/obj MATRIX_DIR=$PROOF/matrix RESULTS=$PROOF/results LOGDIR=$PROOF \
	"$TOP/scripts/check-kconfig.sh" >"$PROOF/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$PROOF/out" >&2; fail "check-kconfig.sh exited $rc, not 1"; }
grep -qx 'kconfig/broken:1' "$PROOF/results" || fail "no failing kconfig/broken result"
grep -q "requested 'CONFIG_DEV_DAX_CXL=y'" "$PROOF/out" || fail "the gate did not name the option"
msg "caught: $(grep -m1 requested "$PROOF/out")"
