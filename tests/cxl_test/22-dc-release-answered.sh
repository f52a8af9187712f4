#!/bin/bash
# Every release request is answered, in full. Capacity the device lists
# for the host that no DC region maps goes back at once; a request that
# spans two DC regions gives back what it touches in both; a forced
# release of one extent of a tag gives the rest of the tag back with a
# Release command; a forced release of part of an extent gives back the
# part the device did not take. Host and device agree after each step.
. /tests/lib.sh
trap 'region_destroy "${region2:-none}" || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
listed() { device_extents "$plat" | cut -d: -f1,2 | tr '\n' ' '; }
expect_eq "$(listed)" "0x88000000:0x4000000 0x90000000:0x4000000 " "extents the device lists at the start"

# 0x90000000 lies past the region: the host does not use it
echo "0x90000000:0x4000000" >"$p/dc_del_extent"
expect_eq "$(listed)" "0x88000000:0x4000000 " "extents the device lists after asking back unmapped capacity"
agree "after the release of unmapped capacity"
say "release of capacity no region maps: answered at once"

# a second region right after the first, each with an extent at the seam
region2=$(region_create "$root" dc0 $((256 << 20)) "$memdev")
echo "0x8fe00000:0x200000::0" >"$p/dc_inject_extent"
echo "0x90000000:0x200000::0" >"$p/dc_inject_extent"
expect_eq "$(extent_count "$region")" 2 "extents of $region after the offers"
expect_eq "$(extent_count "$region2")" 1 "extents of $region2 after the offers"
echo "0x8fe00000:0x400000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 1 "extents of $region after a release across both"
expect_eq "$(extent_count "$region2")" 0 "extents of $region2 after a release across both"
expect_eq "$(listed)" "0x88000000:0x4000000 " "extents the device lists after a release across both"
agree "after a release across two regions"
say "release across two DC regions: both extents given back"
region_destroy "$region2"
region2=

# a tag of two; the device takes one by force, the other goes back
echo "0x80000000:0x200000:grp:1" >"$p/dc_inject_extent"
echo "0x80200000:0x200000:grp:0" >"$p/dc_inject_extent"
expect_eq "$(extent_count "$region")" 3 "extents after the tag's offer"
echo "0x80000000:0x200000" >"$p/dc_force_del_extent"
expect_eq "$(extent_count "$region")" 1 "extents after a forced release of one of the tag"
expect_eq "$(listed)" "0x88000000:0x4000000 " "extents the device lists after the tag went"
agree "after a forced release of one of a tag"
say "forced release of one extent of a tag: the other given back by command"

# the device takes half of a 4 MiB extent by force
echo "0x80400000:0x400000::0" >"$p/dc_inject_extent"
echo "0x80400000:0x200000" >"$p/dc_force_del_extent"
expect_eq "$(extent_count "$region")" 1 "extents after a forced release of half an extent"
expect_eq "$(listed)" "0x88000000:0x4000000 " "extents the device lists after half was forced"
agree "after a forced release of half an extent"
say "forced release of half an extent: the other half given back"

# a release that starts inside a tagged extent: the tag goes back once
echo "0x80000000:0x400000:mid:1" >"$p/dc_inject_extent"
echo "0x80400000:0x400000:mid:0" >"$p/dc_inject_extent"
expect_eq "$(extent_count "$region")" 3 "extents after the second tag's offer"
echo "0x80200000:0x200000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 1 "extents after a release from inside a tagged extent"
expect_eq "$(listed)" "0x88000000:0x4000000 " "extents the device lists after that release"
agree "after a release from inside a tagged extent"
say "release starting inside a tagged extent: the tag given back once"
