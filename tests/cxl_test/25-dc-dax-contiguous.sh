#!/bin/bash
# Contiguous capacity is one DAX range on the mock: extents that touch in
# the address space, offered in separate requests and out of order, make
# one range of a device that takes them (one mapping), and a device grows
# that range in place over an extent offered later; a hole starts a new
# range. available_size follows every step. A release request for an
# extent in the middle of a range fences that extent alone, which goes
# back when the device goes while its neighbours stay; a forced release
# names the device and exactly the bytes of the extent taken. A tag's
# extents, offered in the order they touch, are claimed as one range
# (27-dc-tag-order has other orders); writing the tag again takes
# its extents that arrived after the claim. Host and device agree on the
# extents after every step.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
nmap() { compgen -G "/sys/bus/dax/devices/$1/mapping*" | wc -l; }
mib() { printf '%#x' $((0x80000000 + ($1 << 20))); }

# Four 2 MiB extents at 0, 2, 4 and 6 MiB, one request each, the later
# ones first; one at 12 MiB after a hole. (The mock holds 64 MiB at
# 128 MiB from the start.)
for m in 4 6 0 2 12; do
	offer "$(mib "$m"):0x200000::0"
done
expect_eq "$(extent_count "$region")" 6 "extents after five offers"
expect_eq "$(avail)" $((74 << 20)) "available_size after five offers"
say "five 2 MiB extents offered one by one, four of them touching"

a=$(create -s 8M)
[ -n "$a" ] || fail "create-device of 8 MiB failed"
expect_eq "$(ranges "$a")" "0x0-0x7fffff " "$a ranges"
expect_eq "$(nmap "$a")" 1 "$a mappings"
expect_eq "$(avail)" $((66 << 20)) "available_size after $a"
say "$a: 8 MiB over four touching extents is one range"

# An extent that touches the end of the range, offered later: the device
# grows that range in place; then the hole makes a second range.
offer "$(mib 8):0x200000::0"
expect_eq "$(avail)" $((68 << 20)) "available_size after the sixth offer"
daxctl disable-device "$a" >/dev/null 2>&1 || fail "disable-device $a failed"
daxctl reconfigure-device -s 12M "$a" >/dev/null 2>&1 || fail "growing $a failed"
expect_eq "$(ranges "$a")" "0x0-0x9fffff 0xc00000-0xdfffff " "$a ranges after growing"
expect_eq "$(nmap "$a")" 2 "$a mappings after growing"
expect_eq "$(avail)" $((64 << 20)) "available_size after growing"
daxctl reconfigure-device -s 6M "$a" >/dev/null 2>&1 || fail "shrinking $a failed"
expect_eq "$(ranges "$a")" "0x0-0x5fffff " "$a ranges after shrinking"
expect_eq "$(avail)" $((70 << 20)) "available_size after shrinking"
daxctl reconfigure-device -s 10M "$a" >/dev/null 2>&1 || fail "growing $a again failed"
expect_eq "$(ranges "$a")" "0x0-0x9fffff " "$a ranges after growing again"
expect_eq "$(avail)" $((66 << 20)) "available_size after growing again"
agree "with one range over five extents"
say "$a grew in place over a later extent, shrank inside one, grew back to one range"

# A release request for the extent at 2 MiB, in the middle of the range.
e=$(extent_at "$region" 0x200000)
echo "$(mib 2):0x200000" >"$p/dc_del_extent"
expect_eq "$(cat "$dr/$e/state")" releasing "$e state after the release request"
expect_eq "$(ranges "$a")" "0x0-0x9fffff " "$a ranges with a fenced extent"
expect_eq "$(avail)" $((66 << 20)) "available_size with the fenced extent in use"
# A forced release of the one at 6 MiB: the device and exactly its bytes.
f=$(extent_at "$region" 0x600000)
mark=$(klog_mark)
base=$(cat "$CXL/$region/resource")
echo "$(mib 6):0x200000" >"$p/dc_force_del_extent"
expect_eq "$(cat "$dr/$f/state")" forced "$f state after the forced release"
want=$(printf '%s: uses %#x-%#x, which its device took back' "$a" \
	$((base + (6 << 20))) $((base + (8 << 20) - 1)))
wait_for 10 klog_has "$mark" "$want" || fail "the forced release did not log '$want'"
say "release of $e and forced release of $f inside the range: both fenced, $a named for 6-8 MiB"

destroy "$a"
wait_for 10 test ! -e "$dr/$e" || fail "$e still there after its user went"
wait_for 10 test ! -e "$dr/$f" || fail "$f still there after its user went"
expect_eq "$(extent_count "$region")" 5 "extents after $a went"
expect_eq "$(avail)" $((72 << 20)) "available_size after $a went"
agree "after the fenced extents went"
say "$a destroyed: the two fenced extents given back, their neighbours kept"

# A tag's touching extents, offered in one request in the order they
# touch: one range.
blue=$(tag_uuid blue)
offer "$(mib 16):0x200000:blue:1"
offer "$(mib 18):0x200000:blue:1"
offer "$(mib 20):0x200000:blue:0"
expect_eq "$(avail)" $((72 << 20)) "available_size with a tag's extents"
b=$(cat "$dr/dax_region/seed")
if [ -z "$b" ]; then
	echo 1 >"$dr/dax_region/create"
	b=$(cat "$dr/dax_region/seed")
fi
echo "$blue" >"/sys/bus/dax/devices/$b/tag"
expect_eq "$(ranges "$b")" "0x1000000-0x15fffff " "$b ranges"
expect_eq "$(nmap "$b")" 1 "$b mappings"
say "$b claimed tag blue: three touching extents, one range"
# More of blue, after the claim: one extent touching the range, one not.
offer "$(mib 22):0x200000:blue:1"
offer "$(mib 26):0x200000:blue:0"
expect_eq "$(avail)" $((72 << 20)) "available_size with blue extents after the claim"
echo "$blue" >"/sys/bus/dax/devices/$b/tag" || fail "writing blue again to $b failed"
expect_eq "$(ranges "$b")" "0x1000000-0x17fffff 0x1a00000-0x1bfffff " "$b ranges after claiming blue again"
say "$b wrote blue again: the touching late extent extended its range, the other is a second range"
destroy "$b"
echo "$(mib 18):0x200000" >"$p/dc_del_extent"
wait_for 10 no_extents_like "$region" "$blue" || fail "the blue extents are still held"

# Give back what this test added; the mock's own 64 MiB stays.
for m in 0 4 8 12; do
	echo "$(mib "$m"):0x200000" >"$p/dc_del_extent"
done
wait_eq 10 1 extent_count "$region" || fail "extents left: $(host_extents "$region" | tr '\n' ' ')"
expect_eq "$(avail)" $((64 << 20)) "available_size at the end"
agree "at the end"
say "given back: the region holds the mock's 64 MiB again"
