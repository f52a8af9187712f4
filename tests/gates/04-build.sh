#!/usr/bin/env bash
# Proof-kind: series
# The build gate fails on a patch after which drivers/cxl does not compile.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

bad_patch drivers/cxl/core/mbox.c "cxl/mbox: Gate proof, does not build" \
	's/^(#include <linux\/debugfs.h>\n)/$1\nthis is not C;\n/m'
expect_gate apply,build build
