#!/bin/bash
# Reading the device's extent list in pages: when the list changes between
# two pages (its generation number moves), the host starts the read over,
# and a region created meanwhile surfaces every extent exactly once. A
# list that keeps changing is given up after a bounded number of tries,
# with a log line, and nothing is surfaced from a torn read. The mock
# returns one extent a page (dc_list_page) and moves the generation after
# the first page of the next N reads (dc_list_churn). Unbinding and
# binding the region driver makes the region read the list again.
. /tests/lib.sh
trap 'echo 0 >"${p:-/nonexistent}/dc_list_page" 2>/dev/null || true
	echo 0 >"${p:-/nonexistent}/dc_list_churn" 2>/dev/null || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

# A third extent, accepted while a region maps it; the device keeps it.
mock_dc_region 512
start=$'0x10000000:0x4000000:-\n0x8000000:0x4000000:-'
echo "0x80000000:0x200000::0" >"$p/dc_inject_extent"
want=$'0x0:0x200000:-\n'"$start"
expect_eq "$(host_extents "$region")" "$want" "extents before the paged reads"
region_unbind "$region"

# Two reads torn by a change of generation, the third whole.
echo 1 >"$p/dc_list_page"
echo 2 >"$p/dc_list_churn"
mark=$(klog_mark)
region_bind "$region"
expect_eq "$(host_extents "$region")" "$want" "extents surfaced after two torn reads"
expect_eq "$(cat "$p/dc_list_churn")" 0 "generation changes left"
log=$(klog_since "$mark")
! grep -q 'gave up' <<<"$log" || fail "the read gave up after two torn reads"
say "list read one extent a page, torn twice by a generation change: 3 extents surfaced once"
region_unbind "$region"

# A list that never holds still: the read gives up, nothing is surfaced.
echo 100 >"$p/dc_list_churn"
mark=$(klog_mark)
region_bind "$region"
log=$(klog_since "$mark")
grep -q 'extent list changed [0-9]* times while read: gave up' <<<"$log" ||
	fail "no log line for a list that kept changing"
expect_eq "$(extent_count "$region")" 0 "extents surfaced from torn reads"
say "a list that keeps changing: the read gave up with a log line, nothing surfaced"
echo 0 >"$p/dc_list_churn"
