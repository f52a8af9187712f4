#!/bin/bash
# Extents on the mock: offers inside a committed DC region become
# extentX.Y devices with offset, length and tag (hidden when null) and the
# device learns they were accepted; a request of several records is
# answered when it closes, accepting the good extents and rejecting
# misaligned, overlapping and unmapped ones; an exact copy of a held
# extent is accepted again without a second device; a request longer than
# the mailbox takes is answered in several commands (More set); one of
# more than 512 records is rejected whole. Unbinding the region driver
# drops the host's extents without touching the device's; destroying the
# region gives them back, and fails, keeping the region committed, while
# the device's extent list cannot be read.
. /tests/lib.sh
trap 'echo 0 >"${p:-/nonexistent}/dc_list_churn" 2>/dev/null || true
	echo 0 >"${p:-/nonexistent}/dc_list_page" 2>/dev/null || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 512
dec=$(cat "$CXL/$region/target0")
expect_eq "$(cat "$CXL/$dec/dpa_resource")" 0x80000000 "$dec DPA"
# The two extents the mock holds from the start (dc0 +128 MiB and +256 MiB)
# are in this region's DPA: they surface with it.
expect_eq "$(host_extents "$region")" $'0x10000000:0x4000000:-\n0x8000000:0x4000000:-' "extents held from the start"
# held_by_device DPA LENGTH: the mock lists the extent as accepted.
held_by_device() { device_extents "$plat" | grep -q "^$(printf '%#x' "$1"):$(printf '%#x' "$2"):"; }

# One untagged extent.
offer "0x80000000:0x200000::0"
host_extents "$region" | grep -qx "0x0:0x200000:-" || fail "no extent at offset 0 after one offer"
expect_eq "$(extent_count "$region")" 3 "extents after one offer"
for e in "$CXL/$region/dax_$region"/extent*; do
	[ "$(cat "$e/offset")" = 0x0 ] && break
done
e=${e##*/}
[[ $e == extent${region#region}.* ]] || fail "extent device named $e"
[ ! -e "$CXL/$region/dax_$region/$e/tag" ] || fail "null tag shown"
held_by_device 0x80000000 0x200000 || fail "device does not know the extent was accepted"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers"
say "one offer: $e at offset 0 length 2 MiB, accepted on both sides"

# A tagged one.
offer "0x80200000:0x400000:blue:0"
grep -qx "0x200000:0x400000:$(tag_uuid blue)" <<<"$(host_extents "$region")" || fail "tagged extent"
say "tagged offer: tag $(tag_uuid blue) shown"

# A request of four: good, misaligned, overlapping, good.
mark=$(klog_mark)
offer "0x80600000:0x200000::1"
offer "0x80900000:0x100000::1"
offer "0x80200000:0x200000::1"
offer "0x80800000:0x200000::0"
log=$(klog_since "$mark")
grep -q "offer of DPA 0x80900000 length 0x100000 rejected: not aligned to the partition's block size" <<<"$log" ||
	fail "misaligned offer not rejected"
grep -q "offer of DPA 0x80200000 length 0x200000 rejected: overlaps an extent already held" <<<"$log" ||
	fail "overlapping offer not rejected"
expect_eq "$(extent_count "$region")" 6 "extents after the mixed request"
held_by_device 0x80600000 0x200000 || fail "device misses the first accepted extent"
held_by_device 0x80800000 0x200000 || fail "device misses the second accepted extent"
held_by_device 0x80900000 0x100000 && fail "device holds a rejected extent"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers after the mixed request"
say "mixed request: 2 of 4 accepted, misaligned and overlapping rejected"

# Outside the region: dc1 has no region.
mark=$(klog_mark)
offer "0xa0000000:0x200000::0"
klog_since "$mark" | grep -q "rejected: no DC region maps it" || fail "unmapped offer not rejected"
expect_eq "$(extent_count "$region")" 6 "extents after the unmapped offer"

# An exact copy of a held extent: accepted, no second device.
offer "0x80000000:0x200000::0"
expect_eq "$(extent_count "$region")" 6 "extents after the copy"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers after the copy"
say "unmapped offer rejected, exact copy accepted quietly"

# 180 extents in one request: more than one 4 KiB response (170) holds.
# The device offers only DPA it has not handed out: skip the two extents
# it holds from the start (0x88000000 and 0x90000000, 64 MiB each).
addrs=()
for ((a = 0x81000000; ${#addrs[@]} < 180; a += 2 << 20)); do
	((a >= 0x88000000 && a < 0x8c000000)) && continue
	((a >= 0x90000000 && a < 0x94000000)) && continue
	addrs+=("$a")
done
for i in "${!addrs[@]}"; do
	more=1
	[ "$i" -lt 179 ] || more=0
	offer "$(printf '%#x' "${addrs[$i]}"):0x200000::$more"
done
expect_eq "$(extent_count "$region")" 186 "extents after a request of 180"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers after the split response"
held_by_device "${addrs[179]}" 0x200000 || fail "device misses the last extent of the request"
say "request of 180 extents: all accepted over a split response"

# 513 records in one request: rejected whole.
mark=$(klog_mark)
for i in $(seq 0 512); do
	more=1
	[ "$i" -lt 512 ] || more=0
	offer "0x9e000000:0x200000::$more"
done
klog_since "$mark" | grep -q "Dynamic Capacity request of more than 512 extents rejected" ||
	fail "oversized request not rejected"
expect_eq "$(extent_count "$region")" 186 "extents after the oversized request"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers after the oversized request"
say "request of 513 records rejected whole"

# The host's view equals the device's, inside the region.
host=$(host_extents "$region" | while IFS=: read -r off len _; do
	printf '%#x:%s\n' $((off + 0x80000000)) "$len"
done | sort)
dev=$(device_extents "$plat" | while IFS=: read -r dpa len _; do
	((dpa >= 0x80000000 && dpa < 0xa0000000)) || continue
	printf '%s:%s\n' "$dpa" "$len"
done | sort)
expect_eq "$host" "$dev" "host and device views of the region's extents"

before=$(device_extents "$plat" | wc -l)
region_unbind "$region"
expect_eq "$(extent_count "$region")" 0 "host extents with the region driver unbound"
expect_eq "$(device_extents "$plat" | wc -l)" "$before" "device extents with the region driver unbound"
say "region driver unbound with 186 live extents; the device still holds them"

# A decommit that cannot read the device's extent list (it changes under
# every read) fails, rather than keep capacity nobody maps: the region
# stays committed and the device keeps the extents.
echo 1 >"$p/dc_list_page"
echo 100 >"$p/dc_list_churn"
mark=$(klog_mark)
! echo 0 2>/dev/null >"$CXL/$region/commit" || fail "decommit succeeded without the extent list"
echo 0 >"$p/dc_list_churn"
echo 0 >"$p/dc_list_page"
expect_eq "$(cat "$CXL/$region/commit")" 1 "$region commit after the failed decommit"
klog_has "$mark" "$region: extent list unreadable (-16): stays committed, its Dynamic Capacity kept" ||
	fail "no error for the unreadable extent list"
expect_eq "$(device_extents "$plat" | wc -l)" "$before" "device extents after the failed decommit"
say "decommit without a readable extent list fails; the region stays committed, the device keeps its extents"
region_destroy "$region"
region=
expect_eq "$(device_extents "$plat" | wc -l)" $((before - 186)) "device extents after region destroy"
say "region destroyed: the device took the 186 extents back"
