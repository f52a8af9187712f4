#!/bin/bash
# A tag's extents are laid out in the order the device gave them, on the
# mock (a partition that is not sharable, so in arrival order): three
# extents of a tag offered in one request against address order make a
# device whose first range is the first extent offered, and the two
# after it, which touch in that order, one range; a late extent of the
# tag, claimed by writing the tag again, goes after them. A tag is one
# group on the host: an offer of it to a second DC region (on dc1) is
# rejected with a log line while the first region holds it, and accepted
# once that one gave it back; a request that offers one new tag to both
# regions is rejected whole, and so is a new extent of a group that is
# being given back. Host and device agree after every step.
. /tests/lib.sh
trap 'region_destroy "${r2:-none}" || true; region_destroy "${region:-none}" || true
	cxl_test_unload' EXIT

mock_dc_region 256
mib() { printf '%#x' $((0x80000000 + ($1 << 20))); }
red=$(tag_uuid red)

# red, in one request: 20 MiB, then 16 MiB, then 18 MiB.
offer "$(mib 20):0x200000:red:1"
offer "$(mib 16):0x200000:red:1"
offer "$(mib 18):0x200000:red:0"
expect_eq "$(host_extents "$region" | grep -c "$red")" 3 "red extents"
b=$(cat "$dr/dax_region/seed")
if [ -z "$b" ]; then
	echo 1 >"$dr/dax_region/create"
	b=$(cat "$dr/dax_region/seed")
fi
echo "$red" >"/sys/bus/dax/devices/$b/tag"
expect_eq "$(ranges "$b")" "0x1400000-0x15fffff 0x1000000-0x13fffff " "$b ranges"
expect_eq "$(dsize "$b")" $((6 << 20)) "$b size"
say "$b claimed red: 20 MiB first, as offered; 16 and 18 MiB, offered in that order, one range"

offer "$(mib 10):0x200000:red:0"
echo "$red" >"/sys/bus/dax/devices/$b/tag" || fail "writing red again to $b failed"
expect_eq "$(ranges "$b")" "0x1400000-0x15fffff 0x1000000-0x13fffff 0xa00000-0xbfffff " "$b ranges after the late extent"
agree "with red claimed"
say "the late red extent at 10 MiB went after the others"

# A second DC region, on dc1 of the same memdev.
r2=$(region_create "$root" dc1 $((256 << 20)) "$memdev")
dc1=$((0x80000000 + (512 << 20)))
mark=$(klog_mark)
offer "$(printf '%#x' "$dc1"):0x200000:red:0"
expect_eq "$(host_extents "$r2" | grep -c "$red" || true)" 0 "red extents in $r2"
klog_has "$mark" "rejected: its tag is in use in another region" ||
	fail "no log line for red offered to $r2"
extents_agree "$plat" "$r2" "$dc1" $((256 << 20)) "$r2 after the rejected red offer"
say "red offered to $r2 while $region holds it: rejected and logged"

# red in use, asked back: fenced; a new red extent is not taken.
echo "$(mib 16):0x200000" >"$p/dc_del_extent"
expect_eq "$(cat "$dr/$(extent_at "$region" 0x1000000)/state")" releasing "red state"
mark=$(klog_mark)
offer "$(mib 30):0x200000:red:0"
klog_has "$mark" "rejected: its tag's group is being given back" ||
	fail "no log line for a red offer while red goes back"
expect_eq "$(host_extents "$region" | grep -c "$red")" 4 "red extents while fenced"
destroy "$b"
wait_for 10 no_extents_like "$region" "$red" || fail "the red extents are still held"
agree "once red went back"
say "a new red extent while the red group went back: rejected and logged"

# One request offering a new tag to both regions.
green=$(tag_uuid green)
mark=$(klog_mark)
offer "$(mib 40):0x200000:green:1"
offer "$(printf '%#x' $((dc1 + (2 << 20)))):0x200000:green:0"
klog_has "$mark" "2 extents tagged $green rejected: offered to two regions" ||
	fail "no log line for green offered to two regions"
expect_eq "$(host_extents "$region" | grep -c "$green" || true) $(host_extents "$r2" | grep -c "$green" || true)" "0 0" "green extents"
say "green offered to both regions in one request: rejected whole"

offer "$(printf '%#x' "$dc1"):0x200000:red:0"
expect_eq "$(host_extents "$r2" | grep -c "$red")" 1 "red extents in $r2 once $region gave red back"
echo "$(printf '%#x' "$dc1"):0x200000" >"$p/dc_del_extent"
wait_eq 10 0 extent_count "$r2" || fail "$r2 still holds extents"
extents_agree "$plat" "$r2" "$dc1" $((256 << 20)) "$r2 at the end"
region_destroy "$r2"
r2=
expect_eq "$(avail)" $((64 << 20)) "available_size at the end"
agree "at the end"
say "red given back, then accepted in the other region; all given back"
