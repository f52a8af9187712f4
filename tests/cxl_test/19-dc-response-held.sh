#!/bin/bash
# Locking that does not stall the machine: while the device takes its time
# over an Add Dynamic Capacity Response (dc_hold_response), a RAM region
# on another memdev is created and destroyed, and the offered extent does
# not surface before the device took the response.
. /tests/lib.sh
trap 'echo 0 >"${p:-/nonexistent}/dc_hold_response" 2>/dev/null || true
	wait
	region_destroy "${ram:-none}" || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
# the mock holds one extent for the host in the region from the start

# a RAM target on another memdev
other=
for r in $(cxl list -D -d root | jq -r '.[] | select(.volatile_capable == true and .nr_targets == 1) | .decoder'); do
	for m in $(cxl list -M -d "$r" | jq -r '.[] | select((.ram_size // 0) > 0) | .memdev'); do
		[ "$m" != "$memdev" ] || continue
		free_endpoint_decoder "$m" >/dev/null || continue
		rroot=$r other=$m
		break 2
	done
done
[ -n "$other" ] || fail "no RAM target on a memdev other than $memdev"

echo 1 >"$p/dc_hold_response"
echo "0x80000000:0x200000::0" >"$p/dc_inject_extent" &
offer=$!
wait_eq 10 2 cat "$p/dc_hold_response" || fail "the response was not held"

ram=$(region_create "$rroot" ram $((256 << 20)) "$other")
region_destroy "$ram"
ram=
expect_eq "$(cat "$p/dc_hold_response")" 2 "response still held after the RAM region came and went"
expect_eq "$(extent_count "$region")" 1 "extents surfaced before the device took the response"
say "RAM region on $other created and destroyed while the response was held"

echo 0 >"$p/dc_hold_response"
wait "$offer"
wait_eq 10 2 extent_count "$region" || fail "the extent did not surface after the response"
agree "after the held response"
echo "0x80000000:0x200000" >"$p/dc_del_extent"
wait_eq 10 1 extent_count "$region" || fail "the extent was not given back"
agree "after the release"
say "the extent surfaced once the device took the response"
