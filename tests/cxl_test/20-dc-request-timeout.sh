#!/bin/bash
# A request whose More chain never closes is answered by a timer (10 s
# after its latest record in cxl_test's build of the core, 60 s in the
# kernel's) with an empty response: nothing surfaces and the device has
# its answer. A record of that chain arriving after the answer starts a
# request of its own, which is answered as usual.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
# the mock holds one extent for the host in the region from the start

mark=$(klog_mark)
echo "0x80000000:0x200000::1" >"$p/dc_inject_extent"
expect_eq "$(cat "$p/dc_pending")" 1 "open requests after a record with More"
# the timer fires 10 s after the record; allow for a slow guest
wait_eq 40 0 cat "$p/dc_pending" || fail "the open request was never answered"
klog_since "$mark" | grep -q 'Dynamic Capacity request left open for 10 s rejected' ||
	fail "no log line for the request answered by the timer"
expect_eq "$(extent_count "$region")" 1 "extents after the timer's answer"
agree "after the timer's answer"
say "a request left open was answered by the timer, nothing surfaced"

# the chain's late last record: a request of its own
echo "0x80200000:0x200000::0" >"$p/dc_inject_extent"
expect_eq "$(extent_count "$region")" 2 "extents after the late record"
expect_eq "$(cat "$p/dc_pending")" 0 "open requests after the late record"
agree "after the late record"
echo "0x80200000:0x200000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 1 "extents after the release"
say "a late record started a new request, accepted and given back"
