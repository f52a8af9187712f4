#!/bin/bash
# The guest half of 'make demo' on the DCD profile: what a Dynamic Capacity
# Device looks like to this kernel, step by step. Every step checks what it
# shows; the demo fails on the first step that does not show it.
. /tests/lib.sh

step=0
step() { step=$((step + 1)); say ""; say "== $step. $*"; }
show() { say "   $*"; }
mib() { echo "$(($1 >> 20)) MiB"; }

trap 'daxctl reconfigure-device -m devdax -f "${dax:-none}" >/dev/null 2>&1 || true;
	daxctl reconfigure-device -m devdax -f "${dcdax:-none}" >/dev/null 2>&1 || true;
	region_destroy "${dcregion:-none}" >/dev/null 2>&1 || true
	region_destroy "${region:-none}" >/dev/null 2>&1 || true; cxl_hw_unload' EXIT

step "Boot"
show "Linux $(uname -r) on QEMU (TCG), $(nproc) CPUs, $(meminfo_kb MemTotal) kB RAM"

step "The CXL device, as QEMU emulates it (asked over QMP)"
dev=/machine/peripheral/cxl-dcd0
ndc=$(qmp qom-get "{\"path\": \"$dev\", \"property\": \"num-dc-regions\"}" | jq -r .return)
show "$dev: cxl-type3 with static RAM and $ndc Dynamic Capacity regions"
[ "$ndc" -ge 1 ] || fail "QEMU reports no DC regions"

step "Load the CXL drivers and enumerate"
cxl_hw_load
memdev=$(cxl list -M | jq -r '.[0].memdev')
cxl list -M -m "$memdev" | jq -c '.[0] | {memdev, serial, ram_size, pmem_size, host}' | sed 's/^/   /'
ram=$(cxl list -M -m "$memdev" | jq -r '.[0].ram_size // 0')
show "$memdev: static RAM $(mib "$ram")"
[ "$ram" -gt 0 ] || fail "$memdev shows no static RAM"

step "Dynamic Capacity partitions, as the driver read them from the device"
dcs=$(compgen -G "$CXL/$memdev/dc[0-7]" | sort || true)
for d in $dcs; do
	show "$memdev/${d##*/}: size $(mib "$(($(cat "$d/size")))")"
done
n=$(printf '%s' "$dcs" | grep -c . || true)
[ "$n" = "$ndc" ] || fail "the driver shows $n DC partitions, QEMU emulates $ndc"
grep ' : dc[0-7]$' "/sys/kernel/debug/cxl/$memdev/dpamem" | sed 's/^/   DPA /'

step "Static RAM: region, DAX device, system RAM, and back"
root=$(cxl list -D -d root | jq -r '[.[] | select(.volatile_capable == true)][0].decoder')
region=$(region_create "$root" ram "$ram" "$memdev")
wait_for 30 dax_of_region "$region" || fail "no DAX device for $region"
dax=$(dax_of_region "$region")
show "$region on $root, DAX device $dax ($(mib "$(cat "/sys/bus/dax/devices/$dax/size")"))"
before=$(meminfo_kb MemTotal)
daxctl reconfigure-device -m system-ram "$dax" >/dev/null 2>&1
after=$(meminfo_kb MemTotal)
show "online as system RAM: MemTotal $before kB -> $after kB (+$((after - before)) kB)"
[ "$after" -gt "$before" ] || fail "MemTotal did not grow"
daxctl reconfigure-device -m devdax -f "$dax" >/dev/null 2>&1
show "offline again: MemTotal $(meminfo_kb MemTotal) kB"
region_destroy "$region"
region=
show "region destroyed; static capacity returned"

step "A Dynamic Capacity region on dc0"
dcsize=$(($(cat "$CXL/$memdev/dc0/size")))
dcregion=$(region_create "$root" dc0 "$dcsize" "$memdev")
dec=$(cat "$CXL/$dcregion/target0")
show "$dcregion on $root: mode $(cat "$CXL/$dcregion/mode"), $(mib "$(($(cat "$CXL/$dcregion/size")))") at HPA $(cat "$CXL/$dcregion/resource")"
show "endpoint decoder $dec: mode $(cat "$CXL/$dec/mode"), DPA $(cat "$CXL/$dec/dpa_resource") + $(mib "$(($(cat "$CXL/$dec/dpa_size")))")"
[ "$(cat "$CXL/$dcregion/mode")" = dc ] || fail "$dcregion is not a DC region"
wait_for 30 test -e "$CXL/$dcregion/dax_$dcregion/dax_region/available_size" || fail "no DAX region for $dcregion"
avail=$(dax_region_attr "$dcregion" available_size)
seed=$(dax_region_attr "$dcregion" seed)
show "dax_$dcregion: size $(mib "$(dax_region_attr "$dcregion" size)"), available $avail bytes, seed $seed of size $(cat "/sys/bus/dax/devices/$seed/size")"
[ "$avail" = 0 ] || fail "a DC region without extents shows available capacity"
show "the region is sparse: memory arrives as extents the device offers"

step "The device offers capacity (QMP), the host accepts it as extents"
dr=$CXL/$dcregion/dax_$dcregion
qmp_dc add 0 0:128 || fail "QMP refused the first request"
show "QMP request 1: one 128 MiB extent at offset 0 of DC region 0"
qmp_dc add 0 128:128 512 516 || fail "QMP refused the second request"
show "QMP request 2: 128 MiB at 128 MiB (touching the first), 2 MiB at 512 and at 516 MiB"
wait_eq 30 4 extent_count "$dcregion" || fail "the host did not accept 4 extents"
for e in "$dr"/extent*; do
	show "${e##*/}: offset $(cat "$e/offset"), length $(mib "$(($(cat "$e/length")))"), $(cat "$e/state")"
done
avail=$(dax_region_attr "$dcregion" available_size)
show "dax_$dcregion: available $(mib "$avail")"
[ "$avail" = $((260 << 20)) ] || fail "available_size is not the 260 MiB of the extents"

step "A DAX device carved from the extents (daxctl create-device)"
id=${dcregion#region}
dcdax=$(daxctl create-device -r "$id" -s 256M 2>/dev/null |
	jq -r 'if type == "array" then .[0].chardev else .chardev end')
case "$dcdax" in "" | null) fail "daxctl create-device failed" ;; esac
base=$(cat "$CXL/$dcregion/resource")
nmap=0
for m in /sys/bus/dax/devices/"$dcdax"/mapping*; do
	show "$dcdax ${m##*/}: region offset $(printf '%#x' $(($(cat "$m/start") - base))), $(mib $(($(cat "$m/end") - $(cat "$m/start") + 1)))"
	nmap=$((nmap + 1))
done
show "$dcdax: $(mib "$(cat "/sys/bus/dax/devices/$dcdax/size")") across the two touching 128 MiB extents, offered in two requests"
# Debian's daxctl onlines the memory blocks of [resource, resource + size]:
# a device of one range goes online whole.
[ "$nmap" = 1 ] || fail "$dcdax over touching extents has $nmap ranges, not one"
show "one range: the stock daxctl can online all of it"
out=$(dcd-memcheck dax "/dev/$dcdax" 256) || fail "data check through /dev/$dcdax failed"
show "$out"

step "Used as system RAM (dax_kmem)"
before=$(meminfo_kb MemTotal)
daxctl reconfigure-device -m system-ram "$dcdax" >/dev/null 2>&1 || fail "system-ram failed"
after=$(meminfo_kb MemTotal)
node=$(cat "/sys/bus/dax/devices/$dcdax/target_node")
show "online as system RAM on node $node: MemTotal $before kB -> $after kB (+$((after - before)) kB)"
[ "$((after - before))" = 262144 ] || fail "MemTotal did not grow by 256 MiB"
out=$(dcd-memcheck node "$node" 64) || fail "data check on node $node failed"
show "$out"

step "The device asks for all of it back (QMP) while it is in use"
qmp_dc release 0 0:128 128:128 512 516 || fail "QMP refused the release"
wait_eq 30 2 extent_count "$dcregion" || fail "the unused extents were not given back"
for e in "$dr"/extent*; do
	show "${e##*/}: offset $(cat "$e/offset"), $(cat "$e/state")"
	[ "$(cat "$e/state")" = releasing ] || fail "${e##*/} in use is not fenced"
done
show "the two unused extents went back at once; the two in use are fenced"

step "Offline, destroy: the fenced extents go back"
daxctl reconfigure-device -m devdax -f "$dcdax" >/dev/null 2>&1 || fail "offlining failed"
show "offline: MemTotal $(meminfo_kb MemTotal) kB"
[ "$(meminfo_kb MemTotal)" = "$before" ] || fail "MemTotal did not return"
daxctl disable-device "$dcdax" >/dev/null 2>&1
daxctl destroy-device "$dcdax" >/dev/null 2>&1 ||
	[ "$(cat "/sys/bus/dax/devices/$dcdax/size")" = 0 ] || fail "destroy-device failed"
dcdax=
wait_eq 30 0 extent_count "$dcregion" || fail "fenced extents not given back"
show "DAX device destroyed: $(extent_count "$dcregion") extents left"
qmp_dc add 0 0:128 128:128 || fail "QEMU did not take the capacity back"
wait_eq 30 2 extent_count "$dcregion" || fail "the re-offered extents were not accepted"
show "QEMU has it all back: offering the same 256 MiB again is accepted"
qmp_dc release 0 0:128 128:128 || fail "QMP refused the last release"
wait_eq 30 0 extent_count "$dcregion" || fail "extents left after the last release"
region_destroy "$dcregion"
show "$dcregion destroyed"
dcregion=

step "Done"
show "demo finished: every step showed what it should"
