#!/bin/bash
# A short fixed-seed run of the Dynamic Capacity fuzzer (see
# scripts/fuzz-dcd.sh for long runs): 100 random steps of device records
# and DAX operations on the mock, with the invariants checked after each.
FUZZ_SEED=1 FUZZ_STEPS=100 exec bash /usr/lib/dcd/fuzz.sh
