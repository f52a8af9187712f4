#!/bin/bash
# Extents the device holds before a DC region exists: the mock starts
# with two in dc0 (+128 MiB and +256 MiB, 64 MiB each); a region over
# dc0 surfaces them when it is created, again when the region driver is
# unbound and bound (the device kept them), and extents offered while
# the DAX region driver (dax_cxl) is unloaded are there when it comes
# back. Neither side loses or doubles one, even when the device lists one
# twice. Destroying the region, an administrator's decision, gives all of
# it back.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

cxl_test_load
read -r root memdev < <(pick_dc_target) || fail "no volatile root decoder with a DC memdev"
plat=$(platform_of "$memdev")
p=/sys/bus/platform/devices/$plat
start=$'0x10000000:0x4000000:-\n0x8000000:0x4000000:-'

region=$(region_create "$root" dc0 $((512 << 20)) "$memdev")
expect_eq "$(host_extents "$region")" "$start" "extents at region creation"
say "$region created: the 2 extents held from the start surfaced"

# A device whose list names one extent twice (dc_list_dup): the copy is
# ignored with a log line, the extent surfaced once and kept.
echo 1 >"$p/dc_list_dup"
mark=$(klog_mark)
region_unbind "$region"
region_bind "$region"
echo 0 >"$p/dc_list_dup"
klog_has "$mark" "ignored: overlaps another listed extent" ||
	fail "no log line for an extent listed twice"
expect_eq "$(host_extents "$region")" "$start" "extents after a list that names one twice"
say "an extent listed twice: surfaced once, the copy ignored and logged"

echo "0x80000000:0x200000::0" >"$p/dc_inject_extent"
region_unbind "$region"
expect_eq "$(device_extents "$plat" | grep -c '^0x[89][0-9a-f]\{7\}:')" 3 "extents the device holds with the region driver unbound"
region_bind "$region"
expect_eq "$(host_extents "$region")" $'0x0:0x200000:-\n'"$start" "extents after the region driver was bound again"
say "region driver bound again: all 3 extents the device kept surfaced once"

modprobe -r dax_cxl
echo "0x80200000:0x200000::0" >"$p/dc_inject_extent"
expect_eq "$(extent_count "$region")" 4 "extents offered while dax_cxl was unloaded"
modprobe dax_cxl
wait_for 30 test -e "$CXL/$region/dax_$region/driver" || fail "dax_cxl did not bind again"
expect_eq "$(extent_count "$region")" 4 "extents after dax_cxl came back"
expect_eq "$(device_extents "$plat" | grep -c '^0x[89][0-9a-f]\{7\}:')" 4 "extents the device holds in dc0"
say "offer while dax_cxl was unloaded: accepted, still there after reload"

region_destroy "$region"
region=
expect_eq "$(device_extents "$plat" | { grep -c '^0x[89][0-9a-f]\{7\}:' || true; })" 0 "extents the device holds in dc0 after the destroy"
region=$(region_create "$root" dc0 $((512 << 20)) "$memdev")
expect_eq "$(extent_count "$region")" 0 "extents of a region made after the destroy"
say "region destroyed: the device took all 4 extents back, a new region finds none"
