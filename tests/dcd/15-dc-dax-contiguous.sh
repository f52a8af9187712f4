#!/bin/bash
# Contiguous Dynamic Capacity as system RAM on QEMU, with Debian's stock
# daxctl: QEMU offers sixty-four touching 2 MiB extents (128 MiB, one
# memory block) in eight requests, out of address order; one DAX device
# over all of them has a single range, and daxctl reconfigure-device
# --mode=system-ram adds 128 MiB to MemTotal; data is checked on its NUMA
# node. Taken offline and destroyed, the extents go back to QEMU.
. /tests/lib.sh
trap 'daxctl reconfigure-device -m devdax -f "${dax:-none}" >/dev/null 2>&1 || true;
	region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
dcd_dc_region

# Eight requests of eight 2 MiB extents (QEMU's event log holds eight),
# the upper half of the block first.
n=0
for r in 4 5 6 7 0 1 2 3; do
	offs=()
	for i in 0 1 2 3 4 5 6 7; do
		offs+=("$(((r * 8 + i) * 2))")
	done
	qmp_dc add 0 "${offs[@]}" || fail "QMP refused request $r"
	n=$((n + 8))
	wait_eq 30 "$n" extent_count "$region" || fail "request $r: extents did not appear"
done
expect_eq "$(dax_region_attr "$region" available_size)" $((128 << 20)) "available_size"
say "QEMU offered 64 x 2 MiB in eight requests: $(extent_count "$region") extents, 128 MiB"

dax=$(dax_create "$id" -s 128M)
case "$dax" in "" | null) fail "create-device failed" ;; esac
expect_eq "$(dax_ranges "$region" "$dax")" "0x0-0x7ffffff " "$dax ranges"
say "$dax: 128 MiB over 64 extents, one range"

dax_system_ram "$dax" 128

daxctl reconfigure-device -m devdax -f "$dax" >/dev/null 2>&1 || fail "offlining failed"
expect_eq "$(meminfo_kb MemTotal)" "$ram_before" "MemTotal after offlining"
daxctl disable-device "$dax" >/dev/null
daxctl destroy-device "$dax" >/dev/null 2>&1 ||
	expect_eq "$(cat "/sys/bus/dax/devices/$dax/size")" 0 "$dax size after destroy"
dax=
dcd_give_back "$region" || fail "extents left after the release"
say "offline, destroyed and released: QEMU has the 128 MiB back"
