#!/bin/bash
# On QEMU's DCD device, the in-tree drivers enumerate the memdev, and its
# static RAM becomes a region, a DAX device, and system RAM that the kernel
# counts in /proc/meminfo; then everything is given back.
. /tests/lib.sh
trap 'daxctl reconfigure-device -m devdax -f "${dax:-none}" >/dev/null 2>&1 || true;
	region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin

memdev=$(cxl list -M | jq -r '.[0].memdev')
serial=$(cxl list -M | jq -r '.[0].serial')
ram=$(cxl list -M | jq -r '.[0].ram_size')
say "memdev $memdev, serial $serial, static ram $ram"
expect_eq "$((serial))" 99 "serial number"
expect_eq "$ram" "$((256 << 20))" "static RAM size"

decoder=$(cxl list -D -d root | jq -r '[.[] | select(.volatile_capable == true)][0].decoder')
region=$(region_create "$decoder" ram "$ram" "$memdev")
say "created $region on $decoder"

wait_for 30 dax_of_region "$region" || fail "no DAX device for $region"
dax=$(dax_of_region "$region")
say "dax device $dax"

before=$(meminfo_kb MemTotal)
daxctl reconfigure-device -m system-ram "$dax" >/dev/null
after=$(meminfo_kb MemTotal)
say "MemTotal $before kB -> $after kB"
[ "$after" -gt "$before" ] || fail "MemTotal did not grow"
[ $((after - before)) -ge $((200 << 10)) ] || fail "MemTotal grew by only $((after - before)) kB"

daxctl reconfigure-device -m devdax -f "$dax" >/dev/null
back=$(meminfo_kb MemTotal)
say "after going back to devdax: MemTotal $back kB"
expect_eq "$back" "$before" "MemTotal after offline"

region_destroy "$region"
region=
