#!/usr/bin/env bash
# Proof-kind: series
# The apply gate fails, naming the patch, on a patch whose context is not
# in the base.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

bad_patch drivers/cxl/core/mbox.c "cxl/mbox: Gate proof, does not apply" \
	's/^(#include <linux\/debugfs.h>\n)/$1#include <linux\/gate-proof.h>\n/m'
# Make the context wrong: the patch expects a line the base does not have.
sed -i 's/^ #include <linux\/debugfs.h>$/ #include <linux\/no-such-header.h>/' "$PROOF/series/0001-gate-proof.patch"
expect_gate apply apply
