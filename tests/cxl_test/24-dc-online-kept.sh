#!/bin/bash
# Memory still System RAM is never given back. The mock marks the host
# memory of two extents as System RAM in the resource tree (dc_online), as
# dax_kmem leaves memory it could not take offline. Then a release request
# fences the extent a DAX device uses, and it stays fenced once the device
# is gone; it fences the other, which no DAX device uses; a release while
# the region driver is unbound gives nothing of them back; decommitting
# the region, clearing its target and deleting it are refused, bound or
# not. Each case says why in the kernel log, and the device keeps listing
# both. Once the memory is gone (the mark taken away), the region bound
# again finds both, a release request gives them back, and destroying the
# region gives back the rest. Host and device agree after every step.
. /tests/lib.sh
trap '[ -z "${p:-}" ] || echo 0 >"$p/dc_online" 2>/dev/null || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
listed() { device_extents "$plat" | cut -d: -f1,2 | sort | tr '\n' ' '; }
logged() { klog_since "$mark" | grep -c "$1" || true; }
seen() { klog_since "$mark" | grep -q "$1"; }
both="0x80000000:0x200000 0x80200000:0x200000 0x88000000:0x4000000 0x90000000:0x4000000 "

echo "0x80000000:0x200000::0" >"$p/dc_inject_extent"
echo "0x80200000:0x200000::0" >"$p/dc_inject_extent"
e1=$(extent_at "$region" 0x0) || fail "the extent at 0 did not appear"
e2=$(extent_at "$region" 0x200000) || fail "the extent at 2 MiB did not appear"
a=$(dax_create "$id" -s 2M)
[ -n "$a" ] || fail "create-device of 2 MiB failed"
expect_eq "$(dax_ranges "$region" "$a")" "0x0-0x1fffff " "$a ranges"

# dax_kmem could not take $a offline: unbound, its memory stays online
daxctl disable-device "$a" >/dev/null 2>&1 || fail "disable-device $a failed"
printf '%#x 0x400000\n' "$(cat "$CXL/$region/resource")" >"$p/dc_online"
say "$e1 and $e2 ($a uses $e1) marked online as System RAM: $(cat "$p/dc_online")"

mark=$(klog_mark)
echo "0x80000000:0x200000" >"$p/dc_del_extent"
expect_eq "$(cat "$dr/$e1/state")" releasing "state of $e1, used by $a"
daxctl destroy-device "$a" >/dev/null 2>&1 ||
	expect_eq "$(cat "/sys/bus/dax/devices/$a/size")" 0 "$a size after destroy"
wait_eq 30 1 logged "$e1: in use as System RAM" || fail "$e1 went back while online"
expect_eq "$(cat "$dr/$e1/state")" releasing "state of $e1 with no DAX user"
expect_eq "$(listed)" "$both" "extents the device lists after the release of $e1"
say "release of $e1 in use, then unused but online: fenced, not given back"

echo "0x80200000:0x200000" >"$p/dc_del_extent"
expect_eq "$(logged "$e2: in use as System RAM")" 1 "errors for $e2"
expect_eq "$(cat "$dr/$e2/state")" releasing "state of $e2"
expect_eq "$(listed)" "$both" "extents the device lists after the release of $e2"
agree "with both fenced"
say "release of $e2, used by no DAX device but online: fenced, not given back"

busy="memory added as System RAM: remove it first"
expect_write_fails 0 "$CXL/$region/commit" "decommit with memory online"
expect_write_fails "" "$CXL/$region/target0" "clearing the target with memory online"
expect_write_fails "$region" "$CXL/$root/delete_region" "deleting $region with memory online"
expect_eq "$(logged "$busy")" 3 "errors at decommit, target clearing and deletion"
expect_eq "$(cat "$CXL/$region/commit")" 1 "commit after a decommit with memory online"
say "decommit, target clearing, deletion with memory online, region bound: refused"

region_unbind "$region"
echo "0x80000000:0x400000" >"$p/dc_del_extent"
wait_for 10 seen "in use as System RAM: not released" ||
	fail "a release with the region unbound gave online memory back"
expect_eq "$(listed)" "$both" "extents the device lists after a release with $region unbound"
say "release while $region is unbound: nothing online given back"

expect_write_fails 0 "$CXL/$region/commit" "decommit with memory online"
expect_eq "$(logged "$busy")" 4 "errors at decommit, unbound"
expect_eq "$(cat "$CXL/$region/commit")" 1 "commit after a decommit with memory online, unbound"
expect_eq "$(listed)" "$both" "extents the device lists after the decommit was refused"
say "decommit with memory online, region unbound: refused, nothing given back"

echo 0 >"$p/dc_online"
region_bind "$region"
expect_eq "$(extent_count "$region")" 3 "extents $region finds bound again"
agree "bound again, the memory gone"
echo "0x80000000:0x400000" >"$p/dc_del_extent"
expect_eq "$(listed)" "0x88000000:0x4000000 0x90000000:0x4000000 " "extents the device lists after the last release"
agree "after the last release"
say "the memory gone: $region finds both again, a release gives them back"

echo "0x80000000:0x200000::0" >"$p/dc_inject_extent"
region_destroy "$region"
region=
expect_eq "$(listed)" "0x90000000:0x4000000 " "extents the device lists after the region was destroyed"
say "the memory gone: decommit gives everything in the region's DPA back"
