#!/bin/bash
# A Dynamic Capacity configuration is device input. For each rule a device
# can break (the mock's dc_config switch breaks one at a time), the driver
# logs one error naming it, disables Dynamic Capacity (no dcN directories),
# and keeps the static capacity working: a RAM region can still be made.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

declare -A rule=(
	[misaligned]="dc0: base not 256 MiB aligned"
	[overlap]="dc1: overlaps the previous partition or the static capacity"
	[static]="dc0: overlaps the previous partition or the static capacity"
	[blocksize]="dc1: block size not a power of two of at least 64 bytes"
	[length]="dc1: length zero or not a multiple of the block size"
	[decode]="dc0: decode length shorter than the length"
	[count]="9 partitions reported, at most 8 allowed"
	[returned]="3 partitions returned for"
	[fail]="Get Dynamic Capacity Configuration failed"
)

# The topology is loaded once; for each rule only the mock memdev driver
# is loaded again, with that rule broken, so every memdev is probed anew
# (a whole reload of cxl_test costs half a minute in a TCG guest).
for mode in misaligned overlap static blocksize length decode count returned fail; do
	before=$(dmesg | wc -l)
	if [ -d /sys/module/cxl_test ]; then
		modprobe -r cxl_mock_mem
		modprobe cxl_mock_mem dc_config="$mode"
		wait_for 60 cxl_test_settled || fail "$mode: the mock memdevs did not come back"
	else
		modprobe cxl_mock_mem dc_config="$mode"
		cxl_test_load
	fi
	log=$(dmesg | tail -n +"$((before + 1))")
	nerr=$(grep -c "DCD disabled: ${rule[$mode]}" <<<"$log" || true)
	memdevs=$(cxl list -M | jq length)
	[ "$nerr" -eq "$memdevs" ] ||
		fail "$mode: expected one '${rule[$mode]}' error per memdev ($memdevs), got $nerr"
	compgen -G "$CXL/mem*/dc0" >/dev/null && fail "$mode: a dc0 directory exists"
	if [ "$mode" = misaligned ]; then
		read -r decoder memdev < <(pick_ram_target) || fail "no RAM target"
		region=$(region_create "$decoder" ram $((256 << 20)) "$memdev")
		region_destroy "$region"
		region=
		say "$mode: static RAM region still works"
	fi
	say "$mode: rejected, one error per memdev: $(grep -m1 'DCD disabled' <<<"$log" | sed 's/^\[[^]]*\] //')"
done
