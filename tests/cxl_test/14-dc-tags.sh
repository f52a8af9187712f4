#!/bin/bash
# Tagged capacity on the mock: extents offered with a tag are accepted
# and grouped by tag; allocation by size (available_size, create-device
# -s) never touches them; writing the tag to an empty DAX device's 'tag'
# claims the whole group (one device per tag, no resizing while claimed)
# and the stock daxctl enables it; a release request for one extent of a
# group in use fences the whole group, which goes back whole when the
# device is destroyed; an unclaimed group is released whole at once.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
blue=$(tag_uuid blue)
red=$(tag_uuid red)
# empty_dax: an empty DAX device of the region (its seed, or a new one).
empty_dax() {
	local seed

	seed=$(cat "$dr/dax_region/seed")
	if [ -z "$seed" ]; then
		echo 1 >"$dr/dax_region/create"
		seed=$(cat "$dr/dax_region/seed")
	fi
	echo "$seed"
}

# blue: 4 MiB at 0 and 2 MiB at 8 MiB, one request; red: 2 MiB at 4 MiB;
# untagged: 2 MiB at 10 MiB (and the mock's 64 MiB at 128 MiB).
offer "0x80000000:0x400000:blue:1"
offer "0x80800000:0x200000:blue:0"
offer "0x80400000:0x200000:red:0"
offer "0x80a00000:0x200000::0"
expect_eq "$(host_extents "$region" | grep -c "$blue")" 2 "blue extents"
expect_eq "$(host_extents "$region" | grep -c "$red")" 1 "red extents"
expect_eq "$(avail)" $((66 << 20)) "available_size (untagged only)"
say "tagged extents accepted; available_size counts only the 66 MiB untagged"

a=$(dax_create "$id" -s 4M)
case "$a" in "" | null) fail "create-device -s 4M failed" ;; esac
expect_eq "$(ranges "$a")" "0xa00000-0xbfffff 0x8000000-0x81fffff " "$a ranges"
say "$a: allocation by size skipped the tagged extents"

b=$(empty_dax)
echo "$blue" >"/sys/bus/dax/devices/$b/tag"
expect_eq "$(cat "/sys/bus/dax/devices/$b/tag")" "$blue" "$b tag"
expect_eq "$(cat "/sys/bus/dax/devices/$b/size")" $((6 << 20)) "$b size"
expect_eq "$(ranges "$b")" "0x0-0x3fffff 0x800000-0x9fffff " "$b ranges"
daxctl enable-device "$b" >/dev/null 2>&1 || fail "daxctl enable-device $b failed"
[ -e "/sys/bus/dax/devices/$b/driver" ] || fail "$b not enabled"
say "$b claimed tag blue: both blue extents, 6 MiB, enabled with daxctl"

c=$(empty_dax)
expect_write_fails "$blue" "/sys/bus/dax/devices/$c/tag" "a second claim of blue"
expect_write_fails "$(tag_uuid green)" "/sys/bus/dax/devices/$c/tag" "a claim of a tag nobody offered"
daxctl disable-device "$b" >/dev/null 2>&1
expect_write_fails $((8 << 20)) "/sys/bus/dax/devices/$b/size" "resizing a claimed device"
daxctl enable-device "$b" >/dev/null 2>&1
say "second claim, unknown tag and resizing a claimed device refused"

e8=$(extent_at "$region" 0x800000)
e0=$(extent_at "$region" 0x0)
echo "0x80800000:0x200000" >"$p/dc_del_extent"
expect_eq "$(cat "$dr/$e0/state") $(cat "$dr/$e8/state")" "releasing releasing" "blue states"
device_extents "$plat" | grep -q '^0x80000000:' || fail "the device lost part of the blue group"
say "release of one blue extent in use: the whole group fenced"

echo "0x80400000:0x200000" >"$p/dc_del_extent"
[ -z "$(extent_at "$region" 0x400000)" ] || fail "unused red extent still held"
agree "after the red release"
say "unclaimed red extent released at once"

daxctl disable-device "$b" >/dev/null 2>&1
daxctl destroy-device "$b" >/dev/null 2>&1 || true
wait_for 10 no_extents_like "$region" "$blue" || fail "blue group still held"
agree "after the blue group went"
say "$b destroyed: the blue group given back whole"
