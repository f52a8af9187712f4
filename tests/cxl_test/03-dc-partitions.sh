#!/bin/bash
# The mock memdevs report two 512 MiB Dynamic Capacity partitions after
# their 2 GiB of static capacity: every memdev shows dc0 and dc1 with that
# size and the QoS class of its performance data, hides dc2..dc7, and has
# them in its DPA tree. The same holds when the device returns one
# partition per command (the driver pages).
. /tests/lib.sh
trap cxl_test_unload EXIT

check_partitions() {
	local m n count=0

	for m in "$CXL"/mem*; do
		for n in 0 1; do
			[ -d "$m/dc$n" ] || fail "${m##*/}/dc$n missing"
			expect_eq "$(($(cat "$m/dc$n/size")))" "$((512 << 20))" "${m##*/}/dc$n/size"
			# the mock's performance data gives every partition its QoS class
			expect_eq "$(cat "$m/dc$n/qos_class")" "$(cat "$m/ram/qos_class")" "${m##*/}/dc$n/qos_class"
		done
		for n in 2 3 4 5 6 7; do
			[ ! -e "$m/dc$n" ] || fail "${m##*/}/dc$n present"
		done
		grep -q '^0*80000000-0*9fffffff : dc0$' "/sys/kernel/debug/cxl/${m##*/}/dpamem" ||
			fail "${m##*/}: dc0 not at DPA 2 GiB"
		grep -q '^0*a0000000-0*bfffffff : dc1$' "/sys/kernel/debug/cxl/${m##*/}/dpamem" ||
			fail "${m##*/}: dc1 not after dc0"
		count=$((count + 1))
	done
	say "$1: $count memdevs with dc0 and dc1 of 512 MiB"
}

cxl_test_load
check_partitions "one command"
cxl_test_unload

modprobe cxl_mock_mem dc_config=paged
cxl_test_load
check_partitions "one partition per command"
