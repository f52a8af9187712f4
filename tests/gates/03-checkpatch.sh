#!/usr/bin/env bash
# Proof-kind: series
# The checkpatch gate fails on a patch that breaks the coding style.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

bad_patch drivers/cxl/core/mbox.c "cxl/mbox: Gate proof, bad style" \
	's/^(#include <linux\/debugfs.h>\n)/$1\nstatic int gate_proof_style ( int a ){ return a ;} \n/m'
expect_gate apply,checkpatch checkpatch
