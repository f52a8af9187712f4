#!/bin/bash
# DAX devices on a DC region of the mock, with Debian's stock daxctl:
# available_size counts only free space inside extents; create-device
# carves a device from one extent, or across several, or (without -s)
# from everything available; a request larger than what is free fails
# cleanly; reconfigure-device shrinks and grows
# across extents. A release request for an extent a device uses fences
# it (state 'releasing', no longer available) until the last device using
# it is destroyed, then it is given back; a forced release of an extent in
# use fences it (state 'forced'), names the device in an error and sends a
# change uevent, and the extent goes when the device does. Destroying the
# region with an enabled DAX device on it is clean and gives its extents
# back. Host and device agree
# on the extents after every step.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256

# The mock holds 64 MiB at +128 MiB from the start; add 4 MiB at 0 and
# 2 MiB at 6 MiB, leaving a hole at 4 MiB.
expect_eq "$(avail)" $((64 << 20)) "available_size with the extent held from the start"
offer "0x80000000:0x400000::0"
offer "0x80600000:0x200000::0"
expect_eq "$(avail)" $((70 << 20)) "available_size after two offers"
say "available_size counts only the extents: 70 MiB of a 256 MiB region"

a=$(create -s 2M)
[ -n "$a" ] || fail "create-device of 2 MiB failed"
expect_eq "$(dsize "$a")" $((2 << 20)) "$a size"
expect_eq "$(ranges "$a")" "0x0-0x1fffff " "$a ranges"
say "$a: 2 MiB inside the first extent"

b=$(create -s 6M)
[ -n "$b" ] || fail "create-device of 6 MiB failed"
expect_eq "$(ranges "$b")" "0x200000-0x3fffff 0x600000-0x7fffff 0x8000000-0x81fffff " "$b ranges"
expect_eq "$(avail)" $((62 << 20)) "available_size after two devices"
say "$b: 6 MiB across three extents, the hole at 4 MiB skipped"

mark=$(klog_mark)
c=$(create -s 128M || true)
[ -z "$c" ] || [ "$(dsize "$c")" = 0 ] || fail "a 128 MiB device was created from 62 MiB"
expect_eq "$(avail)" $((62 << 20)) "available_size after the failed create"
say "create-device of 128 MiB with 62 MiB free: refused"

daxctl disable-device "$b" >/dev/null 2>&1
daxctl reconfigure-device -s 2M "$b" >/dev/null 2>&1 || fail "shrinking $b failed"
expect_eq "$(ranges "$b")" "0x200000-0x3fffff " "$b ranges after shrinking"
daxctl reconfigure-device -s 10M "$b" >/dev/null 2>&1 || fail "growing $b failed"
expect_eq "$(dsize "$b")" $((10 << 20)) "$b size after growing"
expect_eq "$(ranges "$b")" "0x200000-0x3fffff 0x600000-0x7fffff 0x8000000-0x85fffff " "$b ranges after growing"
say "$b shrunk to 2 MiB and grown to 10 MiB across extents"

# A release request for the first extent, which a and b both use.
e0=$(extent_at "$region" 0x0)
echo "0x80000000:0x400000" >"$p/dc_del_extent"
expect_eq "$(cat "$dr/$e0/state")" releasing "$e0 state after the release request"
device_extents "$plat" | grep -q '^0x80000000:' || fail "the device lost the extent while in use"
expect_eq "$(avail)" $((58 << 20)) "available_size with the first extent fenced"
daxctl disable-device "$b" >/dev/null 2>&1
daxctl reconfigure-device -s 4M "$b" >/dev/null 2>&1
expect_eq "$(ranges "$b")" "0x200000-0x3fffff 0x600000-0x7fffff " "$b after shrinking with a fenced extent"
daxctl reconfigure-device -s 8M "$b" >/dev/null 2>&1
expect_eq "$(ranges "$b")" "0x200000-0x3fffff 0x600000-0x7fffff 0x8000000-0x83fffff " "$b grew around the fenced extent"
say "release of an extent in use: $e0 fenced, not handed out again"
destroy "$a"
expect_eq "$(cat "$dr/$e0/state")" releasing "$e0 state with one user left"
destroy "$b"
wait_for 10 test ! -e "$dr/$e0" || fail "$e0 still there after its last user went"
[[ $'\n'"$(device_extents "$plat")" != *$'\n0x80000000:'* ]] || fail "the device still holds the released extent"
agree "after the deferred release"
say "its last user destroyed: $e0 given back"

# A forced release of an extent in use.
d=$(create -s 4M)
expect_eq "$(ranges "$d")" "0x600000-0x7fffff 0x8000000-0x81fffff " "$d ranges"
e1=$(extent_at "$region" 0x600000)
seq=$(cat /sys/kernel/uevent_seqnum)
mark=$(klog_mark)
echo "0x80600000:0x200000" >"$p/dc_force_del_extent"
expect_eq "$(cat "$dr/$e1/state")" forced "$e1 state after the forced release"
wait_for 10 klog_has "$mark" "which its device took back" || fail "no error for the forced release"
klog_since "$mark" | grep -q "$d: uses .* which its device took back" ||
	fail "the forced release did not name $d"
[ "$(cat /sys/kernel/uevent_seqnum)" -gt "$seq" ] || fail "no uevent for the forced release"
destroy "$d"
wait_for 10 test ! -e "$dr/$e1" || fail "$e1 still there after its user went"
agree "after the forced release"
say "forced release of an extent in use: $e1 fenced, $d named, dropped after $d went"

# create-device without a size takes everything available.
left=$(avail)
g=$(create)
expect_eq "$(dsize "$g")" "$left" "$g size (create-device without -s)"
expect_eq "$(avail)" 0 "available_size after create-device without -s"
destroy "$g"
say "create-device without -s: $g took all $((left >> 20)) MiB available"

# Destroying the region with an enabled DAX device on it.
f=$(create -s 8M)
[ -e "/sys/bus/dax/devices/$f/driver" ] || fail "$f is not enabled"
region_destroy "$region"
region=
# the region's extents went back; the one past the region stays
expect_eq "$(device_extents "$plat" | cut -d: -f1,2)" "0x90000000:0x4000000" "device extents after region destroy"
[ ! -e "/sys/bus/dax/devices/$f" ] || fail "$f survived its region"
say "region destroyed under an enabled DAX device: clean, its extents given back"
