#!/bin/bash
# DCD event log overflow on the mock: with the host kept from reading, 16
# records fill the log and the record of the forced release that follows
# is dropped (the device has taken the extent all the same). When the
# host reads again it sees the overflow, re-reads the device's extent
# list and drops the extent the device took: both sides agree. When a DAX
# device uses the extent the device took that way, the host fences it as
# forced, and drops it without a Release once the DAX device goes: the
# device holds none of it any more.
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

# The same while a DAX device uses the extent: fenced as forced, then
# dropped with its device, and never named in a Release.
id=${region#region}
echo "0x80800000:0x200000::0" >"$p/dc_inject_extent"
wait_eq 10 2 extent_count "$region" || fail "the 2 MiB offer was not accepted"
dax=$(dax_create "$id" -s 2M)
case "$dax" in "" | null) fail "create-device -s 2M failed" ;; esac
expect_eq "$(dax_ranges "$region" "$dax")" "0x800000-0x9fffff " "$dax ranges"
held=$(extent_at "$region" 0x800000) || fail "no extent at 0x800000"
echo 1 >"$p/dc_hold_log"
for _ in $(seq 16); do
	echo "3:0:0:0:0:128" >"$p/dc_inject_record"
done
echo "0x80800000:0x200000" >"$p/dc_force_del_extent"
mark=$(klog_mark)
echo 0 >"$p/dc_hold_log"
klog_has "$mark" "$held: DPA 0x80800000 length 0x200000 no longer in the device's extent list: dropped" ||
	fail "the extent the device took was not dropped"
expect_eq "$(cat "$CXL/$region/dax_$region/$held/state")" forced "$held state while $dax uses it"
mark=$(klog_mark)
destroy "$dax"
wait_eq 10 1 extent_count "$region" || fail "the forced extent did not go with $dax"
! klog_has "$mark" "Failed to send Release" || fail "a Release named capacity the device took"
expect_eq "$(device_extents "$plat" | cut -d: -f1,2)" "0x90000000:0x4000000" "extents the device holds"
say "an extent in use that the resync finds taken is fenced as forced, then dropped without a Release"
