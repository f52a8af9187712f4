#!/bin/bash
# DCD event log overflow on the mock: with the host kept from reading, 16
# records fill the log and the record of the forced release that follows
# is dropped (the device has taken the extent all the same). When the
# host reads again it sees the overflow, re-reads the device's extent
# list and drops the extent the device took: both sides agree.
. /tests/lib.sh
trap 'echo 0 >"${p:-/nonexistent}/dc_hold_log" 2>/dev/null || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

cxl_test_load
read -r root memdev < <(pick_dc_target) || fail "no volatile root decoder with a DC memdev"
plat=$(platform_of "$memdev")
p=/sys/bus/platform/devices/$plat
region=$(region_create "$root" dc0 $((512 << 20)) "$memdev")
expect_eq "$(extent_count "$region")" 2 "extents held from the start"

echo 1 >"$p/dc_hold_log"
for _ in $(seq 16); do
	echo "3:0:0:0:0:128" >"$p/dc_inject_record"
done
echo "0x88000000:0x4000000" >"$p/dc_force_del_extent"
expect_eq "$(extent_count "$region")" 2 "extents while the host cannot read"
mark=$(klog_mark)
echo 0 >"$p/dc_hold_log"
log=$(klog_since "$mark")
grep -q "DCD event log overflowed: re-reading the extent list" <<<"$log" || fail "overflow not noticed"
grep -q "DPA 0x88000000 length 0x4000000 no longer in the device's extent list: dropped" <<<"$log" ||
	fail "the extent the device took was not dropped"
expect_eq "$(host_extents "$region")" "0x10000000:0x4000000:-" "extents after the resync"
expect_eq "$(device_extents "$plat" | cut -d: -f1,2)" "0x90000000:0x4000000" "extents the device holds"
say "log overflow: the host re-read the extent list and dropped the extent the device took"
