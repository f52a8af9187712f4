#!/bin/bash
# Shared capacity on the mock, dc0 marked sharable (cxl_test
# dc_shareable=1): a tag's extents are laid out by their shared-extent
# sequence numbers, whatever order and requests they come in. Two hosts'
# logs of one shared group are played in turn: host A gets its three
# extents in one request, against sequence order; host B gets two of them
# in reverse order, claims the tag, then the third in a later request and
# claims again. Both see one device with the same ranges at the same
# page offsets.
# The device's errors are rejected with a log line: a request whose
# numbers have a gap, one that repeats a number, and a late extent that
# repeats one the host holds (an exact copy of a held extent is accepted
# again). Extents the device lists when the region driver comes back are
# held to the same rules. Untagged capacity in the partition is carved by
# size as anywhere. Host and device agree after every step.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

modprobe cxl_test dc_shareable=1
mock_dc_region 256
mib() { printf '%#x' $((0x80000000 + ($1 << 20))); }
pool=$(tag_uuid pool)

# claim TAG: an empty DAX device of the region claims TAG; prints it.
claim() {
	local d

	d=$(cat "$dr/dax_region/seed")
	if [ -z "$d" ]; then
		echo 1 >"$dr/dax_region/create"
		d=$(cat "$dr/dax_region/seed")
	fi
	echo "$1" >"/sys/bus/dax/devices/$d/tag" || fail "claiming $1 with $d failed"
	printf '%s\n' "$d"
}
# view DAX: what a host sees of the shared group: its ranges, with the
# page offset of each, and its size.
view() {
	local m

	for m in $(printf '%s\n' /sys/bus/dax/devices/"$1"/mapping* | sort -V); do
		printf '%s@%s ' "$(cat "$m/start")" "$(cat "$m/page_offset")"
	done
	dsize "$1"
}
give_back() {
	destroy "$1"
	echo "$(mib 8):0x400000" >"$p/dc_del_extent"
	wait_for 10 no_extents_like "$region" "$pool" || fail "the pool extents are still held"
}

# Host A: seq 2 at 2 MiB, seq 0 at 8 MiB (4 MiB), seq 1 at 12 MiB.
offer "$(mib 2):0x200000:pool:1:2"
offer "$(mib 8):0x400000:pool:1:0"
offer "$(mib 12):0x200000:pool:0:1"
a=$(claim "$pool")
expect_eq "$(ranges "$a")" "0x800000-0xdfffff 0x200000-0x3fffff " "host A: $a ranges"
view_a=$(view "$a")
agree "host A"
say "host A: $a laid out by sequence: 0 and 1 (touching) then 2; view $view_a"
give_back "$a"

# Host B: seq 1 then seq 0 in one request, a claim, then seq 2 later.
offer "$(mib 12):0x200000:pool:1:1"
offer "$(mib 8):0x400000:pool:0:0"
b=$(claim "$pool")
expect_eq "$(ranges "$b")" "0x800000-0xdfffff " "host B: $b ranges before seq 2"
offer "$(mib 2):0x200000:pool:0:2"
echo "$pool" >"/sys/bus/dax/devices/$b/tag" || fail "claiming pool again with $b failed"
view_b=$(view "$b")
expect_eq "$view_b" "$view_a" "host B's view against host A's"
agree "host B"
say "host B: the same view from another order and two requests"

# An exact copy of an extent held is accepted again, not a repeat.
mark=$(klog_mark)
offer "$(mib 12):0x200000:pool:0:1"
expect_eq "$(host_extents "$region" | grep -c "$pool")" 3 "pool extents after an exact copy"
! klog_has "$mark" "rejected" || fail "an exact copy of a held extent was rejected"
say "an exact copy of a held shared extent: accepted again, no new extent"

# The device's errors.
mark=$(klog_mark)
offer "$(mib 20):0x200000:pool:0:1"
klog_has "$mark" "1 extents tagged $pool rejected: sequence numbers do not follow the ones held (next 3)" ||
	fail "no log line for a late repeat of sequence 1"
expect_eq "$(host_extents "$region" | grep -c "$pool")" 3 "pool extents after the repeat"
give_back "$b"

mark=$(klog_mark)
offer "$(mib 40):0x200000:gap:1:0"
offer "$(mib 44):0x200000:gap:0:2"
klog_has "$mark" "2 extents tagged $(tag_uuid gap) rejected: sequence numbers do not follow the ones held (next 0)" ||
	fail "no log line for a gap"
offer "$(mib 40):0x200000:dup:1:0"
offer "$(mib 44):0x200000:dup:0:0"
klog_has "$mark" "2 extents tagged $(tag_uuid dup) rejected: sequence numbers do not follow" ||
	fail "no log line for a repeat"
expect_eq "$(host_extents "$region" | grep -c "$(tag_uuid gap)\|$(tag_uuid dup)" || true)" 0 "gap and dup extents held"
agree "after the device's errors"
say "a gap, a repeat in one request and a late repeat: rejected and logged"

# Listed extents are checked as offered ones. The device holds a group
# of two for the host, then lists both with sequence number 0 (its error,
# made with dc_set_seq while the region driver is unbound): the scan as
# the driver comes back gives the group back, with one log line, and
# holds none of it.
lst=$(tag_uuid lst)
offer "$(mib 80):0x200000:lst:1:0"
offer "$(mib 82):0x200000:lst:0:1"
expect_eq "$(host_extents "$region" | grep -c "$lst")" 2 "lst extents held"
region_unbind "$region"
echo "$(mib 82):0" >"$p/dc_set_seq"
mark=$(klog_mark)
region_bind "$region"
klog_has "$mark" "2 extents tagged $lst given back: sequence numbers do not follow the ones held (next 0)" ||
	fail "no log line for a listed repeat"
expect_eq "$(host_extents "$region" | grep -c "$lst" || true)" 0 "lst extents held after the scan"
expect_eq "$(device_extents "$plat" | grep -c "$lst" || true)" 0 "lst extents the device lists after the scan"
agree "after a listed repeat"
say "a listed group with a repeated sequence number: given back whole, logged"

# Untagged capacity: by size, its sequence numbers ignored.
offer "$(mib 40):0x200000::1:5"
offer "$(mib 42):0x200000::0:5"
c=$(create -s 4M)
case "$c" in "" | null) fail "create-device -s 4M failed" ;; esac
expect_eq "$(ranges "$c")" "0x2800000-0x2bfffff " "$c ranges"
destroy "$c"
echo "$(mib 40):0x400000" >"$p/dc_del_extent"
wait_eq 10 1 extent_count "$region" || fail "extents left: $(host_extents "$region" | tr '\n' ' ')"
expect_eq "$(avail)" $((64 << 20)) "available_size at the end"
agree "at the end"
say "untagged shared capacity carved by size; all given back"
