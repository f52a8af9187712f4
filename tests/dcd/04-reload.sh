#!/bin/bash
# Unloading and reloading the in-tree CXL drivers is clean (the guest's
# runner fails the test on any splat or leftover module) and rediscovers
# the same Dynamic Capacity partitions each time.
. /tests/lib.sh
trap cxl_hw_unload EXIT

for round in 1 2 3; do
	cxl_hw_load
	sizes=$(cat "$CXL"/mem0/dc[01]/size | tr '\n' ' ')
	expect_eq "$sizes" "0x40000000 0x40000000 " "dc0/dc1 sizes in round $round"
	cxl_hw_unload
	[ ! -d /sys/module/cxl_core ] || fail "cxl_core still loaded after round $round"
	say "round $round: loaded, found dc0 and dc1, unloaded"
done
