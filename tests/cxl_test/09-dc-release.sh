#!/bin/bash
# Releasing extents on the mock: a release request for an extent removes
# its device and gives it back (the device forgets it); a request for
# part of an extent, or one spanning two, releases each extent it touches
# whole; a forced release drops the extent at once with an error naming
# it; a request for DPA the host does not hold changes nothing. Host and
# device agree after every step.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256


for a in 0x80000000 0x80200000 0x80400000; do
	offer "$a:0x200000::0"
done
offer "0x80800000:0x400000::0"
offer "0x80c00000:0x200000::0"
offer "0x80e00000:0x200000::0"
expect_eq "$(extent_count "$region")" 7 "extents offered"
agree "after the offers"

echo "0x80200000:0x200000" >"$p/dc_del_extent"
expect_eq "$(host_extents "$region" | cut -d: -f1 | tr '\n' ' ')" "0x0 0x400000 0x800000 0x8000000 0xc00000 0xe00000 " "offsets after releasing one"
agree "after releasing one"
say "release of one extent: device removed, given back"

echo "0x80800000:0x200000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 5 "extents after a partial release"
agree "after a partial release"
say "release of half of a 4 MiB extent: the whole extent given back"

echo "0x80c00000:0x400000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 3 "extents after a release spanning two"
agree "after a release spanning two"
say "release spanning two extents: both given back"

mark=$(klog_mark)
echo "0x80400000:0x200000" >"$p/dc_force_del_extent"
klog_since "$mark" | grep -q "extent${region#region}\.[0-9]*: forced release of DPA 0x80400000 length 0x200000" ||
	fail "forced release not logged with the extent's name"
expect_eq "$(host_extents "$region" | cut -d: -f1 | tr '\n' ' ')" "0x0 0x8000000 " "offsets after the forced release"
agree "after the forced release"
say "forced release: extent dropped, error logged"

echo "0x8d000000:0x200000" >"$p/dc_del_extent"
echo "0xa0000000:0x200000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 2 "extents after releases of DPA not held"
agree "after releases of DPA not held"
say "releases of DPA the host does not hold change nothing"
