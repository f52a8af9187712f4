#!/usr/bin/env bash
# Proof-kind: series
# The W=1, sparse and kernel-doc gates each fail on a patch that builds but
# adds one warning of their kind: an unused-but-set variable (W=1 only), an
# int stored in a __le32 (sparse), and a kernel-doc comment that names the
# wrong parameter.
# shellcheck disable=SC2016 # perl programs and shell text are literal on purpose
. "$(dirname "$0")/lib.sh"

read -r -d '' code <<'C' || true

/**
 * cxl_gate_proof() - broken on purpose for the gate proofs
 * @unused: not a parameter of this function
 */
static int __maybe_unused cxl_gate_proof(int v)
{
	static __le32 le = 1;
	int set;

	set = v;
	return le32_to_cpu(le);
}
C
export code
bad_patch drivers/cxl/core/mbox.c "cxl/mbox: Gate proof, adds warnings" \
	's/\z/$ENV{code}\n/'
expect_gate apply,build,w1,sparse,kernel-doc w1 sparse kernel-doc
