#!/bin/bash
# Memory whose offline fails is never given back, on QEMU. A 128 MiB
# extent becomes system RAM through dax_kmem (Debian's daxctl); a process
# allocates on its NUMA node and holds references to some of those pages
# in a pipe (dcd-memcheck pin), so they cannot migrate: offlining the
# memory fails (daxctl offline-memory, stopped after 15 s of retries) and
# it stays online. A release request over QMP then fences the extent (its
# DAX device still holds it) and sends QEMU nothing (no cache invalidation
# either, which precedes every Release), and decommitting the region is
# refused while its memory is System RAM. Once the process is gone, the
# memory goes offline, the DAX device is destroyed and the extent goes
# back: QEMU takes the same offer again. (Memory left System RAM after
# its DAX device is gone, which only a reboot clears, is
# cxl_test/24-dc-online-kept's, on the mock.)
. /tests/lib.sh
trap 'kill "${pin:-}" 2>/dev/null || true; inv_trace_stop
	daxctl reconfigure-device -m devdax -f "${dax:-none}" >/dev/null 2>&1 || true
	region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
dcd_dc_region

qmp_dc add 0 0:128 || fail "QMP refused the request"
wait_eq 30 1 extent_count "$region" || fail "the extent did not appear"
e=$(extent_at "$region" 0x0)
dax=$(dax_create "$id" -s 128M)
case "$dax" in "" | null) fail "create-device failed" ;; esac
before=$(meminfo_kb MemTotal)
daxctl reconfigure-device -m system-ram "$dax" >/dev/null 2>&1 || fail "system-ram failed"
expect_eq "$(($(meminfo_kb MemTotal) - before))" 131072 "MemTotal growth (kB)"
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
say "$dax: the 128 MiB of $e online as system RAM on node $node"

dcd-memcheck pin "$node" 4 >/tmp/pin.out 2>&1 &
pin=$!
wait_for 30 grep -q pinned /tmp/pin.out || fail "dcd-memcheck pin: $(cat /tmp/pin.out)"
daxctl offline-memory "$dax" >/dev/null 2>&1 &
off=$!
# (the guest has no POSIX timers for timeout(1): a watchdog sleeps)
(sleep 15; kill -TERM "$off" 2>/dev/null) &
dog=$!
if wait "$off"; then
	fail "offline-memory succeeded with pages held"
fi
kill "$dog" 2>/dev/null || true
expect_eq "$(($(meminfo_kb MemTotal) - before))" 131072 "MemTotal growth after the failed offline (kB)"
say "$(cat /tmp/pin.out); offlining $dax failed, the memory stays online"

inv_trace_start
qmp_dc release 0 0:128 || fail "QMP refused the release"
wait_eq 30 releasing cat "$dr/$e/state" || fail "$e not fenced"
expect_eq "$(inv_trace_records | wc -l)" 0 "cache invalidations (each precedes a Release)"
expect_eq "$(extent_count "$region")" 1 "extents while the memory is online"
say "release request: $e fenced, nothing sent to QEMU"
mark=$(klog_mark)
expect_write_fails 0 "$CXL/$region/commit" "decommit with memory online"
klog_since "$mark" | grep -q "memory added as System RAM: remove it first" ||
	fail "no error for the decommit refused"
expect_eq "$(cat "$CXL/$region/commit")" 1 "commit of $region after the refused decommit"
say "decommit refused while the memory is System RAM"

kill "$pin"
wait "$pin" 2>/dev/null || true
pin=
daxctl reconfigure-device -m devdax -f "$dax" >/dev/null 2>&1 || fail "offlining failed with the pages let go"
expect_eq "$(meminfo_kb MemTotal)" "$before" "MemTotal after offlining"
expect_eq "$(cat "$dr/$e/state")" releasing "state of $e while $dax exists"
daxctl disable-device "$dax" >/dev/null
daxctl destroy-device "$dax" >/dev/null 2>&1 ||
	expect_eq "$(cat "/sys/bus/dax/devices/$dax/size")" 0 "$dax size after destroy"
dax=
wait_eq 30 0 extent_count "$region" || fail "$e still held after its device went"
expect_eq "$(inv_trace_records | tr '\n' ' ')" "nr_extents=1 " "cache invalidations once it went"
inv_trace_stop
qmp_dc add 0 0:128 || fail "QMP refused the offer again"
wait_eq 30 1 extent_count "$region" || fail "QEMU did not take $e back"
say "the pages let go: offline, destroyed, $e given back; QEMU offers it again"
dcd_give_back "$region" || fail "the extent was not given back"
