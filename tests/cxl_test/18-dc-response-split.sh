#!/bin/bash
# Acknowledge, then surface. The host answers a request, then surfaces
# only what the device took: a response that fails surfaces nothing and
# the request is closed with an empty response; a response split over two
# commands whose second fails surfaces the extents of the first. Host and
# device agree after each. CPU caches are invalidated once per request,
# whatever its number of extents. The mock fails the Nth response command
# on request (dc_fail_response).
. /tests/lib.sh
trap 'echo 0 >"${p:-/nonexistent}/dc_fail_response" 2>/dev/null || true
	inv_trace_stop
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_room
mock_dc_region 1024
agree() { extents_agree "$plat" "$region" 0x80000000 $((1 << 30)) "$1"; }
# the two extents the mock holds for the host from the start
expect_eq "$(extent_count "$region")" 2 "extents held at the start"

# One request of 8 extents, given back by one release request: one
# invalidation each.
inv_trace_start
offer_chain 8 0x94000000
expect_eq "$(extent_count "$region")" 10 "extents after a request of 8"
expect_eq "$(inv_trace_records | tr '\n' ' ')" "nr_extents=8 " "invalidations for a request of 8"
agree "after a request of 8"
echo "0x94000000:0x1000000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 2 "extents after releasing the 8"
expect_eq "$(inv_trace_records | tr '\n' ' ')" "nr_extents=8 nr_extents=8 " "invalidations after releasing 8"
agree "after releasing the 8"
inv_trace_stop
say "a request of 8 extents and its release: one cache invalidation each"

# A response the device does not take: nothing surfaces, the request is
# closed.
echo 1 >"$p/dc_fail_response"
mark=$(klog_mark)
offer_chain 4 0x94000000
klog_since "$mark" | grep -q 'Failed to send Add Dynamic Capacity Response of 4 extents (0 taken)' ||
	fail "no log line for the failed response"
expect_eq "$(extent_count "$region")" 2 "extents after a failed response"
expect_eq "$(cat "$p/dc_pending")" 0 "requests left open after a failed response"
agree "after a failed response"
say "failed response: nothing surfaced, request closed, host and device agree"

# 256 extents: a response of two commands (a 4 KiB payload carries 170
# extents of 24 bytes, then 86); the second fails.
echo 2 >"$p/dc_fail_response"
mark=$(klog_mark)
offer_chain 256 0x94000000
klog_since "$mark" | grep -q 'Failed to send Add Dynamic Capacity Response of 256 extents (170 taken)' ||
	fail "no log line for the failed second command"
expect_eq "$(extent_count "$region")" 172 "extents after a split response failing half way"
expect_eq "$(cat "$p/dc_pending")" 0 "requests left open after a split response failed"
agree "after a split response failing half way"
say "split response, second command failed: the 170 extents the device took surfaced"

# Give it all back, as the device asks.
echo "0x94000000:0x20000000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 2 "extents after the release"
agree "after the release"
say "release of the 170: given back, host and device agree"
