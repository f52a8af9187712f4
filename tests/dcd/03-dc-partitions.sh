#!/bin/bash
# The driver reads the DCD's Dynamic Capacity configuration: QEMU's device
# has two DC regions of 1 GiB after 256 MiB of static RAM, so the memdev
# shows dc0 and dc1 with their sizes, hides dc2..dc7, keeps its static RAM,
# and the partitions sit in the DPA resource tree after the static capacity.
. /tests/lib.sh
trap dcd_end EXIT

dcd_begin
m=$CXL/mem0

for n in 0 1; do
	[ -d "$m/dc$n" ] || fail "mem0/dc$n missing"
	size=$(cat "$m/dc$n/size")
	say "mem0/dc$n/size $size"
	expect_eq "$((size))" "$((1 << 30))" "mem0/dc$n/size"
done
for n in 2 3 4 5 6 7; do
	[ ! -e "$m/dc$n" ] || fail "mem0/dc$n present for a partition the device does not have"
done
expect_eq "$(($(cat "$m/ram/size")))" "$((256 << 20))" "mem0/ram/size"
# QEMU has no QTG _DSM: no QoS class for any partition, so none is shown.
for f in ram/qos_class dc0/qos_class dc1/qos_class; do
	[ ! -e "$m/$f" ] || fail "mem0/$f shown without a QTG _DSM"
done

# The DPA tree (debugfs) lists ram, then dc0 and dc1 in DPA order.
tree=$(cat /sys/kernel/debug/cxl/mem0/dpamem)
say "$tree"
grep -q '^0*-0*fffffff : ram$' <<<"$tree" || fail "static RAM not at DPA 0"
grep -q '^0*10000000-0*4fffffff : dc0$' <<<"$tree" || fail "dc0 not at DPA 256 MiB"
grep -q '^0*50000000-0*8fffffff : dc1$' <<<"$tree" || fail "dc1 not after dc0"
