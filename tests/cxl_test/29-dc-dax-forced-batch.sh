#!/bin/bash
# A forced release that takes several extents under one mapped devdax
# device is handled in one pass, on the mock: a device over four touching
# 2 MiB extents is mapped and faulted in, and one forced release record
# covers the middle two. Both extents are forced and named in an error
# each; the device gets one change uevent, not one per extent; reading
# again, the two middle chunks raise SIGBUS and the outer two, whose
# mappings went with the rest, fault back in. The forced extents go with
# the device; host and device agree.
. /tests/lib.sh
trap 'kill "${holder:-none}" 2>/dev/null || true; uevents_stop
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
state() { cat "/sys/bus/dax/devices/$1/mapping0/state"; }
ev=/tmp/uevents
changes() { grep -c "^change /devices/.*/$1\$" "$ev" || true; }
mib() { printf '%#x' $((0x80000000 + ($1 << 20))); }

held_device 0 2 4 6
a=$dev out=$hold_out
say "$a: 8 MiB over four touching extents, mapped and faulted in"

base=$(cat "$CXL/$region/resource")
uevents_start "$ev"
mark=$(klog_mark)
echo "$(mib 2):0x400000" >"$p/dc_force_del_extent"
wait_eq 10 forced state "$a" || fail "$a mapping0 state after the forced release"
for m in 2 4; do
	want=$(printf '%s: uses %#x-%#x, which its device took back' "$a" \
		$((base + (m << 20))) $((base + ((m + 2) << 20) - 1)))
	wait_for 10 klog_has "$mark" "$want" || fail "no error '$want'"
done
# both errors are out: the one pass that sends the uevent is over
wait_eq 10 1 changes "$a" || fail "$a got $(changes "$a") change uevents, not one"
uevents_stop
kill -USR1 "$holder"
wait "$holder" || fail "dcd-memcheck failed: $(cat "$out")"
holder=
expect_eq "$(tail -n 1 "$out")" "sigbus 1 2 (2 of 4)" "reads after the forced release"
say "one record forces two extents: one uevent, their 4 MiB raise SIGBUS, the rest faults back in"

destroy "$a"
# (the mock's region holds an extent of its own beside the four)
wait_eq 10 3 extent_count "$region" ||
	fail "the forced extents did not go with their device: $(host_extents "$region" | tr '\n' ' ')"
for m in 0 6; do
	echo "$(mib "$m"):0x200000" >"$p/dc_del_extent"
done
wait_eq 10 1 extent_count "$region" || fail "extents left: $(host_extents "$region" | tr '\n' ' ')"
agree "at the end"
say "device destroyed: the forced extents went, the rest given back"
