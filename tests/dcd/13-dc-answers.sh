#!/bin/bash
# The host's answers on QEMU. A request of four extents costs one CPU
# cache invalidation (the cxl_dc_invalidate trace event), not four. A
# release request for an extent QEMU lists for the host while no bound DC
# region maps it (the region driver is unbound) is answered at once: the
# region bound again does not find it.
. /tests/lib.sh
trap 'inv_trace_stop; region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
dcd_dc_region

inv_trace_start
qmp_dc add 0 0 2 4 6 || fail "QMP refused the request"
wait_eq 30 4 extent_count "$region" || fail "four extents did not appear"
expect_eq "$(inv_trace_records | tr '\n' ' ')" "nr_extents=4 " "invalidations for a request of four"
inv_trace_stop
say "a request of four extents: one cache invalidation"

qmp_dc add 0 600 || fail "QMP refused the request at 600 MiB"
wait_eq 30 5 extent_count "$region" || fail "the extent at 600 MiB did not appear"

region_unbind "$region"
mark=$(klog_mark)
answered() { klog_since "$mark" | grep -q ': 1 ranges the host does not use given back'; }
qmp_dc release 0 600 || fail "QMP refused the release at 600 MiB"
wait_for 30 answered || fail "the release was not answered"
region_bind "$region"
expect_eq "$(extent_count "$region")" 4 "extents of $region bound again after the release"
[[ $'\n'"$(host_extents "$region")" != *$'\n0x25800000:'* ]] || fail "the extent at 600 MiB is still listed"
! klog_since "$mark" | grep -q 'Failed to send' || fail "a command failed"
say "release of an extent no bound region maps: answered, QEMU no longer lists it"
dcd_give_back "$region" || fail "the four were not given back"
