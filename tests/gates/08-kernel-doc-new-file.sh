#!/usr/bin/env bash
# Proof-kind: series
# The kernel-doc gate also checks files a patch adds (a new header whose
# kernel-doc names the wrong parameter), not only files the base has.
. "$(dirname "$0")/lib.sh"

read -r -d '' header <<'C' || true
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __CXL_GATE_PROOF_H__
#define __CXL_GATE_PROOF_H__
/**
 * cxl_gate_proof() - broken on purpose for the gate proofs
 * @unused: not a parameter of this function
 *
 * Return: nothing useful
 */
int cxl_gate_proof(int v);
#endif /* __CXL_GATE_PROOF_H__ */
C
new_file_patch drivers/cxl/gate-proof.h "cxl: Gate proof, new file with bad kernel-doc" "$header"
expect_gate apply,kernel-doc kernel-doc
