#!/usr/bin/env bash
# kbuild's CHECK for cxl_test (tools/testing/cxl): sparse on the mock's own
# files only. The drivers/cxl sources cxl_test compiles again (named
# .../tools/testing/cxl/../../../drivers/cxl/...) are the same code the
# series gates check where it lives, with the same sparse flags; checking
# them twice doubled the per-patch cost of the sparse gate.
#
# Usage: CHECK=scripts/sparse-own.sh (kbuild passes sparse's arguments,
#        the source file last)
# Env:   SPARSE (default sparse)
# Exit:  sparse's, or 0 for a file skipped.
set -uo pipefail
src=${!#}
case "$src" in */tools/testing/cxl/../../../*) exit 0 ;; esac
exec "${SPARSE:-sparse}" "$@"
