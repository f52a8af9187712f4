#!/bin/bash
# Region Configuration Updated on the mock: the host re-reads the DC
# configuration; unchanged, it says so; when the device changed a
# partition's length, the host logs the old and new geometry and keeps
# the old one (regions may map it) until the memdev is probed again.
. /tests/lib.sh
trap cxl_test_unload EXIT

cxl_test_load
m=$(for d in "$CXL"/mem*; do [ -d "$d/dc0" ] && basename "$d"; done | sort -V | head -n 1)
p=/sys/bus/platform/devices/$(platform_of "$m")

mark=$(klog_mark)
echo "3:1:0:0:0:128" >"$p/dc_inject_record"
klog_since "$mark" | grep -q "dc1: configuration update: unchanged" || fail "unchanged update not reported"

mark=$(klog_mark)
echo "1:0x10000000" >"$p/dc_set_length"
echo "3:1:0:0:0:128" >"$p/dc_inject_record"
log=$(klog_since "$mark")
say "$log"
grep -q "dc1: configuration changed: base 0xa0000000 -> 0xa0000000, length 0x20000000 -> 0x10000000, block size 0x200000 -> 0x200000: the old one stays in use" <<<"$log" ||
	fail "changed geometry not reported"
expect_eq "$(($(cat "$CXL/$m/dc1/size")))" $((512 << 20)) "$m/dc1/size after the update"
say "changed partition length reported, old geometry kept"
