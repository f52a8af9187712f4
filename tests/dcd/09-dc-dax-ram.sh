#!/bin/bash
# Dynamic Capacity as memory on QEMU, with Debian's stock daxctl: QEMU
# offers two 128 MiB extents in one request; the host carves a DAX device
# from one, maps it and checks data written through it; onlines it as
# system RAM through dax_kmem (MemTotal grows by 128 MiB) and checks data
# on pages bound to its NUMA node; takes it offline and destroys it. A
# release request for an extent in use fences it until the device using
# it is destroyed; then QEMU has both extents back (offering them again
# is accepted).
. /tests/lib.sh
trap 'daxctl reconfigure-device -m devdax -f "${dax:-none}" >/dev/null 2>&1 || true;
	region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
dcd_dc_region

qmp_dc add 0 0:128 256:128 || fail "QMP refused the request"
wait_eq 30 2 extent_count "$region" || fail "two extents did not appear"
expect_eq "$(dax_region_attr "$region" available_size)" $((256 << 20)) "available_size"
say "QEMU offered 2 x 128 MiB: $(extent_count "$region") extents, 256 MiB available"

dax=$(daxctl create-device -r "$id" -s 128M 2>/dev/null |
	jq -r 'if type == "array" then .[0].chardev else .chardev end')
case "$dax" in "" | null) fail "create-device failed" ;; esac
expect_eq "$(cat "/sys/bus/dax/devices/$dax/size")" $((128 << 20)) "$dax size"
dcd-memcheck dax "/dev/$dax" 128 || fail "data check through /dev/$dax failed"
say "$dax: 128 MiB from the first extent, data written and read back through devdax"

dax_system_ram "$dax" 128

# The device asks for the first extent while it is system RAM.
e=$(extent_at "$region" 0x0)
qmp_dc release 0 0:128 || fail "QMP refused the release"
wait_eq 30 releasing cat "$dr/$e/state" || fail "$e not fenced"
say "release request while in use: $e fenced"

daxctl reconfigure-device -m devdax -f "$dax" >/dev/null 2>&1 || fail "offlining failed"
expect_eq "$(meminfo_kb MemTotal)" "$ram_before" "MemTotal after offlining"
daxctl disable-device "$dax" >/dev/null
daxctl destroy-device "$dax" >/dev/null 2>&1 ||
	expect_eq "$(cat "/sys/bus/dax/devices/$dax/size")" 0 "$dax size after destroy"
wait_for 30 test ! -e "$dr/$e" || fail "$e still held after its device went"
say "offline and destroyed: $e given back, MemTotal $(meminfo_kb MemTotal) kB"

qmp_dc release 0 256:128 || fail "QMP refused the second release"
wait_eq 30 0 extent_count "$region" || fail "extents left"
qmp_dc add 0 0:128 256:128 || fail "QEMU did not take the extents back"
wait_eq 30 2 extent_count "$region" || fail "re-offered extents not accepted"
say "QEMU has the capacity back: the same request is accepted again"
qmp_dc release 0 0:128 256:128 || fail "QMP refused the last release"
wait_eq 30 0 extent_count "$region" || fail "extents left after the last release"
