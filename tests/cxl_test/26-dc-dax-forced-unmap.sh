#!/bin/bash
# Capacity the device takes back by force is cut off from its users, on
# the mock: a devdax device over three touching 2 MiB extents is mapped
# and faulted in, and its mapping0/state reads "active". A forced release
# of the middle extent tears that part of the mapping down: read again,
# it raises SIGBUS while its neighbours still read; mapping0/state reads
# "forced", the device gets a change uevent, and an error names it and
# the bytes it lost. A release request for an extent another device uses
# makes that device's mapping0/state read "releasing", with a uevent.
# A copy of the forced extent offered again is rejected. The device
# cannot be enabled again. Both extents go back when their
# devices go; host and device agree.
. /tests/lib.sh
trap 'kill "${holder:-none}" 2>/dev/null || true; uevents_stop
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
state() { cat "/sys/bus/dax/devices/$1/mapping0/state"; }
ev=/tmp/uevents
changed() { grep -q "^change /devices/.*/$1\$" "$ev"; }
mib() { printf '%#x' $((0x80000000 + ($1 << 20))); }

offer "$(mib 8):0x200000::0"
held_device 0 2 4
a=$dev out=$hold_out
expect_eq "$(state "$a")" active "$a mapping0 state"
say "$a: 6 MiB over three touching extents, mapped and faulted in, state active"

base=$(cat "$CXL/$region/resource")
uevents_start "$ev"
mark=$(klog_mark)
echo "$(mib 2):0x200000" >"$p/dc_force_del_extent"
wait_eq 10 forced state "$a" || fail "$a mapping0 state after the forced release"
wait_for 10 changed "$a" || fail "no change uevent for $a after the forced release"
want=$(printf '%s: uses %#x-%#x, which its device took back' "$a" \
	$((base + (2 << 20))) $((base + (4 << 20) - 1)))
wait_for 10 klog_has "$mark" "$want" || fail "no error '$want'"
kill -USR1 "$holder"
wait "$holder" || fail "dcd-memcheck failed: $(cat "$out")"
holder=
expect_eq "$(tail -n 1 "$out")" "sigbus 1 (1 of 3)" "reads after the forced release"
say "forced release of the middle extent: its 2 MiB raise SIGBUS, the rest still read; state forced, uevent, error"
# The device offers the extent it took again, as it is: new capacity over
# memory the host may still use, so rejected, not taken for the old one.
mark=$(klog_mark)
offer "$(mib 2):0x200000::0"
want="offer of DPA $(mib 2) length 0x200000 rejected: overlaps an extent already held"
wait_for 10 klog_has "$mark" "$want" ||
	fail "the copy of the forced extent was not rejected"
! device_extents "$plat" | grep -q "^$(mib 2):" || fail "the device lists the forced extent for the host again"
say "a copy of the forced extent, offered again, is rejected"
daxctl disable-device "$a" >/dev/null 2>&1 || fail "disable-device $a failed"
mark=$(klog_mark)
! daxctl enable-device "$a" >/dev/null 2>&1 || fail "$a enabled again over memory taken back by force"
wait_for 10 klog_has "$mark" "took some of its memory back by force: not enabled" ||
	fail "no error for enabling $a"
say "$a cannot be enabled again"

b=$(create -s 2M)
case "$b" in "" | null) fail "create-device -s 2M failed" ;; esac
expect_eq "$(dax_ranges "$region" "$b")" "0x800000-0x9fffff " "$b ranges"
echo "$(mib 8):0x200000" >"$p/dc_del_extent"
wait_eq 10 releasing state "$b" || fail "$b mapping0 state after the release request"
wait_for 10 changed "$b" || fail "no change uevent for $b after the release request"
uevents_stop
say "release request for the extent $b uses: state releasing, uevent"

destroy "$a"
destroy "$b"
wait_eq 10 3 extent_count "$region" || fail "the fenced extents did not go with their devices"
for m in 0 4; do
	echo "$(mib "$m"):0x200000" >"$p/dc_del_extent"
done
wait_eq 10 1 extent_count "$region" || fail "extents left: $(host_extents "$region" | tr '\n' ' ')"
agree "at the end"
say "devices destroyed: the forced and the fenced extent went, the rest given back"
