#!/bin/bash
# The raw mailbox interface (CONFIG_CXL_MEM_RAW_COMMANDS) refuses, with
# EPERM, the Dynamic Capacity commands that change what the host holds:
# Add DC Response (0x4802) and Release DC (0x4803). User space answering
# offers or giving extents back behind the kernel would break the
# agreement between host and device.
. /tests/lib.sh
trap dcd_end EXIT

dcd_begin
read -r _ memdev < <(dcd_target)
dev=/dev/cxl/$memdev
[ -c "$dev" ] || fail "no $dev"
for op in 0x4802 0x4803; do
	got=$(cxl-raw "$dev" "$op" 8) && fail "raw opcode $op was sent to the device ($got)"
	expect_eq "$got" EPERM "raw opcode $op"
	say "raw $op: refused with EPERM"
done
