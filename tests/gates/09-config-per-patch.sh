#!/usr/bin/env bash
# Proof-kind: series
# The per-patch gates build with the full guest config at every patch: an
# option that only exists from a patch on (here a KUnit-style module that
# patch 1 adds under CONFIG_CXL_DC_KUNIT_TEST, which the guest config
# enables) is built from that patch on, so patch 2, which breaks only that
# module's file, fails the build gate.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

grep -qx 'CONFIG_CXL_DC_KUNIT_TEST=m' "$KOBJ/.config" ||
	fail "the guest config does not enable CONFIG_CXL_DC_KUNIT_TEST (run 'make config')"

read -r -d '' kconfig <<'K' || true

config CXL_DC_KUNIT_TEST
	tristate "Gate proof module" if !KUNIT_ALL_TESTS
	depends on KUNIT
	default KUNIT_ALL_TESTS
	help
	  A module that exists only in the gate proof's series.
K
read -r -d '' good <<'C' || true
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>

static int __init gate_proof_init(void)
{
	return 0;
}
module_init(gate_proof_init);
MODULE_DESCRIPTION("gate proof");
MODULE_LICENSE("GPL");
C
export kconfig good

# Patch 1: the option, its Makefile line and a module that builds.
tree_patch 1 "cxl: Gate proof, add a module behind a new option" \
	drivers/cxl/Kconfig 's/\n(endif)\s*\z/$ENV{kconfig}\n\n$1\n/' \
	drivers/cxl/Makefile 's/\z/obj-\$(CONFIG_CXL_DC_KUNIT_TEST) += gate_proof_kunit.o\n/' \
	drivers/cxl/gate_proof_kunit.c '$_ = $ENV{good} . "\n"'
# Patch 2: break only the new module's file.
tree_patch 2 "cxl: Gate proof, break the new module" \
	drivers/cxl/gate_proof_kunit.c 's/return 0;/return this_is_not_c;/'
expect_gate apply,build build
grep -q '0002-gate-proof.patch' "$PROOF/out" || { cat "$PROOF/out" >&2; fail "the build gate did not name patch 2"; }
msg "caught: patch 2 breaks a module that only exists from patch 1"
