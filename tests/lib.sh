# shellcheck shell=bash
# Sourced by every guest test (tests/<profile>/NN-name.sh).
#
# A test exits 0 for pass, 1 for fail, 77 for skip. The guest's init runs
# each one under a time limit, fails it on any kernel splat it causes and on
# modules it leaves loaded, and reports "<profile>/<name>:<rc>".
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/} line $LINENO: $BASH_COMMAND" >&2; exit 1' ERR

say() { printf '%s\n' "$*"; }
fail() { say "FAIL: $*" >&2; exit 1; }
skip() { say "SKIP: $*"; exit 77; }

# expect_eq GOT WANT WHAT: fail unless GOT equals WANT.
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# wait_for SECONDS CMD...: run CMD every 100 ms until it succeeds. CMD is
# run again on every poll: never pass it a value computed before the wait
# ("$(...)" in its arguments), which the workbench's lint refuses.
wait_for() {
	local n=$(($1 * 10))

	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# wait_eq SECONDS WANT CMD...: run CMD every 100 ms until what it prints is
# WANT; on a time-out, say what it printed last and fail (return 1).
wait_eq() {
	local secs=$1 n=$(($1 * 10)) want=$2 got

	shift 2
	while :; do
		got=$("$@" 2>/dev/null) || true
		[ "$got" != "$want" ] || return 0
		n=$((n - 1))
		if [ "$n" -le 0 ]; then
			say "waited ${secs}s for '$*' to print '$want'; it printed '$got'" >&2
			return 1
		fi
		sleep 0.1
	done
}

# wait_le SECONDS MAX CMD...: run CMD every 100 ms until the number it
# prints is at most MAX.
wait_le() {
	local n=$(($1 * 10)) max=$2 got

	shift 2
	while :; do
		got=$("$@" 2>/dev/null) || true
		if [[ $got =~ ^[0-9]+$ ]] && [ "$got" -le "$max" ]; then
			return 0
		fi
		n=$((n - 1))
		[ "$n" -gt 0 ] || { say "'$*' still prints '$got' (want <= $max)" >&2; return 1; }
		sleep 0.1
	done
}

# unload_modules MOD...: remove MODs (and what only they used), in order,
# retrying while one still holds another.
unload_modules() {
	local m pass

	for pass in 1 2 3; do
		for m in "$@"; do
			[ -d "/sys/module/$m" ] || continue
			modprobe -r "$m" 2>/dev/null || [ "$pass" -lt 3 ] ||
				say "could not unload $m"
		done
	done
}

# The mocked CXL topology. Without udev nothing autoloads: load the drivers
# that bind the mock platform and CXL bus devices explicitly.
CXL_TEST_LOAD=(cxl_test cxl_acpi cxl_mock_mem cxl_port cxl_mem cxl_pmem dax_cxl device_dax)
CXL_TEST_UNLOAD=(kmem dax_cxl device_dax cxl_pmem cxl_mem cxl_mock_mem cxl_port cxl_acpi
	cxl_test cxl_mock cxl_core dax libnvdimm)

cxl_test_load() {
	modprobe -a "${CXL_TEST_LOAD[@]}"
	wait_for 60 cxl_test_settled || fail "cxl_test topology did not appear"
}

# has_endpoint MEMDEV: MEMDEV has an endpoint port; sets $endpoint to its
# name. Shell builtins only (-ef compares the files the links resolve
# to): it runs in polls, and a fork is slow in a TCG guest.
has_endpoint() {
	local e

	for e in /sys/bus/cxl/devices/endpoint*; do
		if [ "$e/uport" -ef "/sys/bus/cxl/devices/$1" ]; then
			endpoint=${e##*/}
			return 0
		fi
	done
	return 1
}

# endpoint_of MEMDEV: the endpoint port whose upstream device is MEMDEV.
endpoint_of() {
	local endpoint

	has_endpoint "$1" || return 1
	printf '%s\n' "$endpoint"
}

# cxl_settled: every memdev is bound to cxl_mem and has its endpoint port.
cxl_settled() {
	local m n=0 endpoint

	for m in /sys/bus/cxl/devices/mem*; do
		[ -e "$m/driver" ] || return 1
		has_endpoint "${m##*/}" || return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

cxl_test_settled() {
	[ -e /sys/bus/platform/devices/cxl_acpi.0/driver ] && cxl_settled
}

cxl_test_unload() {
	unload_modules "${CXL_TEST_UNLOAD[@]}"
}

# The in-tree drivers, for QEMU's emulated CXL devices.
CXL_HW_LOAD=(cxl_acpi cxl_pci cxl_port cxl_mem dax_cxl device_dax)
CXL_HW_UNLOAD=(kmem dax_cxl device_dax cxl_mem cxl_pci cxl_port cxl_acpi cxl_pmem cxl_core
	dax libnvdimm)

cxl_hw_load() {
	modprobe -a "${CXL_HW_LOAD[@]}"
	wait_for 60 cxl_settled || fail "the CXL memdev did not enumerate"
}

cxl_hw_unload() {
	unload_modules "${CXL_HW_UNLOAD[@]}"
}

# meminfo_kb FIELD: a /proc/meminfo value in kB.
meminfo_kb() {
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# Regions through sysfs. Debian's cxl tool (ndctl 76.1) creates only PMEM
# regions, so tests drive the kernel's region ABI directly, as
# Documentation/ABI/testing/sysfs-bus-cxl describes it.
CXL=/sys/bus/cxl/devices

# free_endpoint_decoder MEMDEV: the lowest endpoint decoder with no DPA.
free_endpoint_decoder() {
	local ep d

	ep=$(endpoint_of "$1") || return 1
	for d in $(printf '%s\n' "$CXL/$ep"/decoder*.* | sort -V); do
		[ -e "$d" ] || continue
		if [ "$(($(cat "$d/dpa_size")))" = 0 ]; then
			printf '%s\n' "${d##*/}"
			return 0
		fi
	done
	return 1
}

# region_create ROOT MODE SIZE MEMDEV: create, commit and bind a one-way
# region below root decoder ROOT on MEMDEV; prints the region's name. MODE
# is the endpoint decoder's mode: ram, pmem, or dc0..dc7 for a DC region.
region_create() {
	local root=$1 mode=$2 size=$3 memdev=$4 kind region dec

	kind=$mode
	case "$mode" in dc[0-7]) kind=dc ;; esac
	region=$(cat "$CXL/$root/create_${kind}_region")
	echo "$region" >"$CXL/$root/create_${kind}_region"
	cat "$CXL/$root/interleave_granularity" >"$CXL/$region/interleave_granularity"
	echo 1 >"$CXL/$region/interleave_ways"
	[ "$kind" != pmem ] || cat /proc/sys/kernel/random/uuid >"$CXL/$region/uuid"
	echo "$size" >"$CXL/$region/size"
	dec=$(free_endpoint_decoder "$memdev") || fail "$memdev has no free endpoint decoder"
	echo "$mode" >"$CXL/$dec/mode"
	echo "$size" >"$CXL/$dec/dpa_size"
	echo "$dec" >"$CXL/$region/target0"
	echo 1 >"$CXL/$region/commit"
	[ -e "$CXL/$region/driver" ] || echo "$region" >/sys/bus/cxl/drivers/cxl_region/bind
	echo "$region"
}

# region_unbind REGION, region_bind REGION: unbind and bind the region
# driver, which drops and finds again the region's cxl_dax_region (and
# its extents) without undoing the region.
region_unbind() {
	echo "$1" >/sys/bus/cxl/drivers/cxl_region/unbind
}

region_bind() {
	echo "$1" >/sys/bus/cxl/drivers/cxl_region/bind
}

# region_destroy REGION: the reverse of region_create.
region_destroy() {
	local region=$1 root dec

	[ -e "$CXL/$region" ] || return 0
	root=$(basename "$(dirname "$(readlink -f "$CXL/$region")")")
	dec=$(cat "$CXL/$region/target0" 2>/dev/null || true)
	[ ! -e "$CXL/$region/driver" ] || echo "$region" >/sys/bus/cxl/drivers/cxl_region/unbind
	echo 0 >"$CXL/$region/commit"
	echo "" >"$CXL/$region/target0"
	[ -z "$dec" ] || echo 0 >"$CXL/$dec/dpa_size"
	echo "$region" >"$CXL/$root/delete_region"
}

# dax_of_region REGION: the first DAX device below REGION, by sysfs path.
dax_of_region() {
	local d

	for d in /sys/bus/dax/devices/dax*; do
		[ -e "$d" ] || continue
		case "$(readlink -f "$d")" in
		*/"$1"/*)
			basename "$d"
			return 0
			;;
		esac
	done
	return 1
}

# pick_ram_target: "ROOT MEMDEV" for a single-target volatile root decoder
# and a memdev below it with a free endpoint decoder and free RAM.
pick_ram_target() {
	local root m

	for root in $(cxl list -D -d root | jq -r '.[] | select(.volatile_capable == true and .nr_targets == 1) | .decoder'); do
		for m in $(cxl list -M -d "$root" | jq -r '.[] | select((.ram_size // 0) > 0) | .memdev'); do
			free_endpoint_decoder "$m" >/dev/null || continue
			printf '%s %s\n' "$root" "$m"
			return 0
		done
	done
	return 1
}

# pick_dc_target: "ROOT MEMDEV" for a single-target volatile root decoder
# and a memdev below it with a free endpoint decoder and a dc0 partition.
pick_dc_target() {
	local root m

	for root in $(cxl list -D -d root | jq -r '.[] | select(.volatile_capable == true and .nr_targets == 1) | .decoder'); do
		[ -e "$CXL/$root/create_dc_region" ] || continue
		for m in $(cxl list -M -d "$root" | jq -r '.[].memdev'); do
			[ -d "$CXL/$m/dc0" ] || continue
			free_endpoint_decoder "$m" >/dev/null || continue
			printf '%s %s\n' "$root" "$m"
			return 0
		done
	done
	return 1
}

# dax_region_attr REGION ATTR: an attribute of REGION's dax region.
dax_region_attr() {
	cat "$CXL/$1/dax_${1}/dax_region/$2"
}

# dpa_tree MEMDEV: the memdev's DPA resource tree, as debugfs shows it.
dpa_tree() {
	cat "/sys/kernel/debug/cxl/$1/dpamem"
}

# expect_write_fails VALUE FILE WHAT: writing VALUE to FILE must fail.
expect_write_fails() {
	if (echo "$1" >"$2") 2>/dev/null; then
		fail "$3: writing '$1' to ${2#"$CXL"/} succeeded"
	fi
}

# Tracing the cxl_dynamic_capacity tracepoint.
TRACE=/sys/kernel/tracing
dc_trace_start() {
	echo 0 >"$TRACE/tracing_on"
	: >"$TRACE/trace"
	echo 1 >"$TRACE/events/cxl/cxl_dynamic_capacity/enable"
	echo 1 >"$TRACE/tracing_on"
}

dc_trace_stop() {
	echo 0 >"$TRACE/events/cxl/cxl_dynamic_capacity/enable" 2>/dev/null || true
}

# dc_trace_records: the cxl_dynamic_capacity records traced so far.
dc_trace_records() {
	grep 'cxl_dynamic_capacity:' "$TRACE/trace" || true
}

# dc_trace_at_least N: at least N cxl_dynamic_capacity records were traced.
dc_trace_at_least() {
	[ "$(dc_trace_records | grep -c .)" -ge "$1" ]
}

# Tracing the cxl_dc_invalidate tracepoint: one line per CPU cache
# invalidation the host does for Dynamic Capacity.
inv_trace_start() {
	echo 0 >"$TRACE/tracing_on"
	: >"$TRACE/trace"
	echo 1 >"$TRACE/events/cxl/cxl_dc_invalidate/enable"
	echo 1 >"$TRACE/tracing_on"
}

inv_trace_stop() {
	echo 0 >"$TRACE/events/cxl/cxl_dc_invalidate/enable" 2>/dev/null || true
}

# inv_trace_records: the nr_extents=N of each invalidation traced so far.
inv_trace_records() {
	grep -o 'cxl_dc_invalidate:.*' "$TRACE/trace" | grep -o 'nr_extents=[0-9]*' || true
}

# mock_dc_room: load cxl_test with 1 GiB DC partitions and a window that
# maps them, for requests of hundreds of 2 MiB extents.
mock_dc_room() {
	modprobe cxl_test dc_window_size=$((2 << 30))
	modprobe cxl_mock_mem dc_size=$((1 << 30))
}

# offer_chain N FIRST_DPA: one request of N 2 MiB extents from FIRST_DPA
# up, in N records chained by More.
offer_chain() {
	local i a=$2 more

	for ((i = 0; i < $1; i++)); do
		more=1
		[ "$i" -lt $(($1 - 1)) ] || more=0
		echo "$(printf '%#x' "$a"):0x200000::$more" >"$p/dc_inject_extent"
		a=$((a + (2 << 20)))
	done
}

# platform_of MEMDEV: the mock platform device (cxl_mem.N) behind MEMDEV.
platform_of() {
	basename "$(dirname "$(readlink -f "$CXL/$1")")"
}

# tag_uuid STRING: the 16-byte tag STRING makes, as %pUb prints it.
tag_uuid() {
	local hex

	hex=$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')
	hex=$(printf '%-32s' "$hex" | tr ' ' 0)
	printf '%s-%s-%s-%s-%s\n' "${hex:0:8}" "${hex:8:4}" "${hex:12:4}" "${hex:16:4}" "${hex:20:12}"
}

# klog_since MARK: kernel log lines after the line containing MARK.
klog_since() {
	dmesg | awk -v m="$1" 'found { print } index($0, m) { found = 1 }'
}

# klog_has MARK TEXT: the kernel log after MARK has the fixed string TEXT
# (for wait_for: some messages come from work the trigger only queued).
klog_has() {
	klog_since "$1" | grep -qF -- "$2"
}

# uevents_start FILE: record the "ACTION DEVPATH" of every uevent in FILE
# from now on, through the kernel's uevent helper (the guest has no
# netlink); uevents_stop ends it.
uevents_start() {
	: >"$1"
	# shellcheck disable=SC2016 # expanded by the helper, not here
	printf '#!/bin/sh\necho "$ACTION $DEVPATH" >>%s\n' "$1" >/tmp/uevent-helper
	chmod +x /tmp/uevent-helper
	echo /tmp/uevent-helper >/sys/kernel/uevent_helper
	# recording once a uevent of its own shows up
	wait_for 10 uevents_sync "$1" || fail "the uevent helper does not run"
}
uevents_sync() {
	echo change >/sys/devices/virtual/mem/null/uevent
	grep -q '^change /devices/virtual/mem/null$' "$1"
}
uevents_stop() {
	echo >/sys/kernel/uevent_helper 2>/dev/null || true
}

# klog_mark: write a unique line to the kernel log and print it.
klog_mark() {
	local mark="dcd-test-mark-$RANDOM$RANDOM"

	echo "$mark" >/dev/kmsg
	printf '%s\n' "$mark"
}

# host_extents REGION: the extents the host holds in REGION, one
# "offset:length:tag" line each ("-" for no tag), sorted by offset.
host_extents() {
	local e tag

	for e in "$CXL/$1/dax_$1"/extent*; do
		[ -e "$e" ] || continue
		tag=-
		[ ! -e "$e/tag" ] || tag=$(cat "$e/tag")
		printf '%s:%s:%s\n' "$(cat "$e/offset")" "$(cat "$e/length")" "$tag"
	done | sort -t: -k1,1
}

# no_extents_like REGION ERE: the host holds no extent of REGION whose
# "offset:length:tag" line matches ERE.
no_extents_like() {
	! host_extents "$1" | grep -qE "$2"
}

# extent_count REGION: how many extents the host holds in REGION.
extent_count() {
	compgen -G "$CXL/$1/dax_$1/extent*" | grep -c . || true
}

# device_extents PLATFORM: the extents the mock believes the host holds,
# "<dpa>:<length>:<tag>" lines (from debugfs: the list outgrows sysfs).
# extent_at REGION OFFSET: the name of REGION's extent at OFFSET (hex, as
# its offset attribute reads).
extent_at() {
	local e

	for e in "$CXL/$1/dax_$1"/extent*; do
		[ -e "$e" ] || continue
		[ "$(cat "$e/offset")" != "$2" ] || { basename "$e"; return 0; }
	done
	return 1
}

# mock_dc_region MIB: load cxl_test and make a DC region of MIB MiB on dc0
# of a mock memdev (DPA 0x80000000). Sets root, memdev, plat (its mock
# platform device), p (that device's sysfs directory), region, id (the
# region's number) and dr (its dax_region directory).
# shellcheck disable=SC2034 # p and dr are for the calling test
mock_dc_region() {
	cxl_test_load
	read -r root memdev < <(pick_dc_target) || fail "no volatile root decoder with a DC memdev"
	plat=$(platform_of "$memdev")
	p=/sys/bus/platform/devices/$plat
	region=$(region_create "$root" dc0 $(($1 << 20)) "$memdev")
	id=${region#region}
	dr=$CXL/$region/dax_$region
	say "$region: dc0 of $memdev ($plat), DPA 0x80000000, $1 MiB"
}

# After mock_dc_region: offer RECORD (a dc_inject_extent record), avail
# (the DAX region's available_size), dsize DAX, ranges DAX (dax_ranges in
# the region), create [DAXCTL_ARGS...] (dax_create in the region),
# destroy DAX (disable and destroy; a region's device 0 is kept, empty),
# agree WHAT (extents_agree over the region's 256 MiB from its DPA).
offer() { echo "$1" >"$p/dc_inject_extent"; }
avail() { cat "$dr/dax_region/available_size"; }
dsize() { cat "/sys/bus/dax/devices/$1/size"; }
ranges() { dax_ranges "$region" "$1"; }
create() { dax_create "$id" "$@"; }
destroy() {
	daxctl disable-device "$1" >/dev/null 2>&1 || true
	daxctl destroy-device "$1" >/dev/null 2>&1 || [ "$(dsize "$1")" = 0 ] ||
		fail "destroy-device $1 failed"
}
agree() { extents_agree "$plat" "$region" 0x80000000 $((256 << 20)) "$1"; }

# held_device MIB...: on the mock region, offer a 2 MiB extent at each MIB
# (offsets in MiB from the partition's start; they must touch), carve one
# devdax device from all of them, then map it and fault it in with a
# background "dcd-memcheck hold". Sets $dev (the device), $holder (the
# holder's pid, for kill -USR1 and wait) and $hold_out (its output).
held_device() {
	local m n=$#

	for m in "$@"; do
		offer "$(printf '%#x' $((0x80000000 + (m << 20)))):0x200000::0"
	done
	dev=$(create -s $((2 * n))M)
	case "$dev" in "" | null) fail "create-device -s $((2 * n))M failed" ;; esac
	expect_eq "$(dax_ranges "$region" "$dev")" "$(printf '0x0-%#x ' $(((2 * n << 20) - 1)))" "$dev ranges"
	hold_out=/tmp/hold.out
	dcd-memcheck hold "/dev/$dev" $((2 * n)) >"$hold_out" 2>&1 &
	# shellcheck disable=SC2034 # the caller's to wait for
	holder=$!
	wait_for 10 grep -qx "mapped $n" "$hold_out" ||
		fail "dcd-memcheck did not map $dev: $(cat "$hold_out")"
}

# extents_agree PLAT REGION BASE SIZE WHAT: the host's extents of the DC
# region REGION, whose DPA starts at BASE, equal the ones the mock PLAT
# lists in [BASE, BASE + SIZE).
extents_agree() {
	local plat=$1 region=$2 base=$3 size=$4 host dev

	host=$(host_extents "$region" | while IFS=: read -r off len _; do
		printf '%#x:%s\n' $((off + base)) "$len"
	done | sort)
	dev=$(device_extents "$plat" | while IFS=: read -r dpa len _; do
		((dpa >= base && dpa < base + size)) || continue
		printf '%s:%s\n' "$dpa" "$len"
	done | sort)
	expect_eq "$host" "$dev" "host and device views ($5)"
}

# dax_create REGION_ID [DAXCTL_ARGS...]: daxctl create-device on a DAX
# region; prints the new device's name (empty when it failed).
dax_create() {
	local id=$1

	shift
	daxctl create-device -r "$id" "$@" 2>/dev/null |
		jq -r 'if type == "array" then .[0].chardev else .chardev end'
}

# dax_ranges REGION DAX: DAX's ranges as offsets into REGION, in the
# device's order ("start-end start-end ").
dax_ranges() {
	local m base spans=()

	base=$(cat "$CXL/$1/resource")
	for m in $(printf '%s\n' /sys/bus/dax/devices/"$2"/mapping* | sort -V); do
		[ -d "$m" ] || continue
		spans+=("$(printf '0x%x-0x%x' $(($(cat "$m/start") - base)) $(($(cat "$m/end") - base)))")
	done
	printf '%s ' "${spans[@]}"
}

device_extents() {
	cat "/sys/kernel/debug/cxl/$1/dc_extents"
}

# qmp_dc add|release REGION OFFSET[:LENGTH]...: one QMP request to QEMU's
# DCD (cxl-dcd0) of extents at OFFSETs of its DC region REGION, in MiB,
# each LENGTH MiB long (default 2).
QEMU_DCD=/machine/peripheral/cxl-dcd0
qmp_dc() {
	local what=$1 r=$2 ext=() o len

	shift 2
	for o in "$@"; do
		len=2
		case "$o" in *:*) len=${o#*:} o=${o%%:*} ;; esac
		ext+=("{\"offset\": $((o << 20)), \"len\": $((len << 20))}")
	done
	case "$what" in
	add)
		qmp cxl-add-dynamic-capacity "{\"path\": \"$QEMU_DCD\", \"host-id\": 0,
			\"selection-policy\": \"prescriptive\", \"region\": $r,
			\"extents\": [$(IFS=,; echo "${ext[*]}")]}" >/dev/null
		;;
	release)
		qmp cxl-release-dynamic-capacity "{\"path\": \"$QEMU_DCD\", \"host-id\": 0,
			\"removal-policy\": \"prescriptive\", \"forced-removal\": false,
			\"region\": $r, \"extents\": [$(IFS=,; echo "${ext[*]}")]}" >/dev/null
		;;
	*) return 2 ;;
	esac
}

# QEMU's DCD (the dcd profile): two DC partitions of 1 GiB, dc0 and dc1.
# Every dcd test starts from a device that holds no region and no extent
# (dcd_begin asserts it) and gives back over QMP whatever it leaves
# (dcd_end, from its EXIT trap), so one failing test cannot fail the next.

# dcd_target: "ROOT MEMDEV" of QEMU's DCD.
dcd_target() {
	printf '%s %s\n' \
		"$(cxl list -D -d root | jq -r '[.[] | select(.volatile_capable == true)][0].decoder')" \
		"$(cxl list -M | jq -r '.[0].memdev')"
}

# dcd_give_back REGION: release over QMP every extent the host holds in
# the DC region REGION (of QEMU's partition dcN, N from its decoder), in
# requests of at most 8 (QEMU's event log), and wait until none is left.
dcd_give_back() {
	local region=$1 n dec exts=() i part e

	dec=$(cat "$CXL/$region/target0")
	n=$(cat "$CXL/$dec/mode")
	n=${n#dc}
	mapfile -t exts < <(host_extents "$region" | cut -d: -f1,2)
	for ((i = 0; i < ${#exts[@]}; i += 8)); do
		part=()
		for e in "${exts[@]:i:8}"; do
			part+=("$((${e%%:*} >> 20)):$((${e#*:} >> 20))")
		done
		qmp_dc release "$n" "${part[@]}" || say "QMP refused to release ${part[*]}"
	done
	wait_eq 30 0 extent_count "$region"
}

# dcd_drain [strict]: make a region over each DC partition in turn, give
# back every extent the host finds there, destroy it. With "strict",
# fail (after draining) when a region existed or an extent was found.
dcd_drain() {
	local strict=${1:-} root memdev n r found=0 regions

	regions=$(compgen -G "$CXL/region*" || true)
	if [ -n "$regions" ]; then
		say "regions present: ${regions//$CXL\//}"
		for r in $regions; do
			region_destroy "${r##*/}" || say "could not destroy ${r##*/}"
		done
	fi
	read -r root memdev < <(dcd_target)
	for n in 0 1; do
		r=$(region_create "$root" "dc$n" $((1 << 30)) "$memdev")
		found=$((found + $(extent_count "$r")))
		[ "$(extent_count "$r")" = 0 ] || say "dc$n holds: $(host_extents "$r" | tr '\n' ' ')"
		dcd_give_back "$r" || say "extents of dc$n not given back"
		region_destroy "$r"
	done
	[ "$strict" != strict ] || [ -z "$regions" ] ||
		fail "the device held a region at the start of the test (destroyed)"
	[ "$strict" != strict ] || [ "$found" = 0 ] ||
		fail "the device held $found extent(s) at the start of the test (given back)"
	[ "$found" = 0 ] && [ -z "$regions" ]
}

# dcd_dc_region: make a DC region over all of QEMU's dc0. Sets root,
# memdev, region, id (the region's number) and dr (its dax_region
# directory).
# shellcheck disable=SC2034 # id and dr are for the calling test
dcd_dc_region() {
	read -r root memdev < <(dcd_target)
	region=$(region_create "$root" dc0 $((1 << 30)) "$memdev")
	id=${region#region}
	dr=$CXL/$region/dax_$region
	say "$region on dc0 of $memdev"
}

# dcd_begin: load the drivers and assert the device holds nothing.
dcd_begin() {
	cxl_hw_load
	dcd_drain strict
}

# dcd_end: give back what is left and unload (for EXIT traps, after the
# test's own teardown of DAX devices and regions). A test that left
# anything at the device fails (it did not clean up after itself), so the
# next test does not fail for it.
dcd_end() {
	local left=0

	(cxl_hw_load && dcd_drain) || left=1
	cxl_hw_unload
	if [ "$left" = 1 ]; then
		say "FAIL: the test left capacity or a region at the device (now given back)" >&2
		exit 1
	fi
}

# dax_system_ram DAX MIB: online DAX, MIB MiB, as system RAM with the
# stock daxctl; check that MemTotal grew by MIB and data on its NUMA node.
# Sets ram_before (MemTotal before, in kB).
dax_system_ram() {
	local after node

	ram_before=$(meminfo_kb MemTotal)
	daxctl reconfigure-device -m system-ram "$1" >/dev/null 2>&1 || fail "system-ram failed"
	after=$(meminfo_kb MemTotal)
	expect_eq "$((after - ram_before))" $(($2 << 10)) "MemTotal growth (kB)"
	node=$(cat "/sys/bus/dax/devices/$1/target_node")
	dcd-memcheck node "$node" 64 || fail "data check on node $node failed"
	say "system RAM: MemTotal +$((after - ram_before)) kB on node $node, data checked there"
}

# kunit_run MODULE SUITE: load the KUnit module MODULE (which runs SUITE),
# print its results, and fail unless the suite passed with no failure.
kunit_run() {
	local mark log summary

	mark=$(klog_mark)
	modprobe "$1"
	log=$(klog_since "$mark")
	grep -E '^\[ *[0-9.]+\] +(# |ok |not ok )' <<<"$log" | sed 's/^\[[^]]*\] *//' |
		grep -v '^# Subtest' || true
	summary=$(grep -o "# $2: pass:[0-9]* fail:[0-9]* skip:[0-9]* total:[0-9]*" <<<"$log") ||
		fail "no KUnit summary for the $2 suite"
	say "$summary"
	grep -q "^\[ *[0-9.]*\] ok [0-9]* $2\$" <<<"$log" || fail "the $2 suite did not pass"
	[[ $summary == *" fail:0 "* ]] || fail "KUnit failures in $2"
}
