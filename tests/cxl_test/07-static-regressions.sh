#!/bin/bash
# What cxl_test did before Dynamic Capacity still works: a PMEM region
# made with the stock cxl tool, the mock's event logs reaching their
# tracepoints, and poison injected, listed and cleared.
. /tests/lib.sh
trap 'echo 0 >"$TRACE/events/cxl/enable" 2>/dev/null || true
	cxl destroy-region -f "${region:-none}" >/dev/null 2>&1 || true; cxl_test_unload' EXIT

cxl_test_load

# PMEM region through Debian's cxl tool.
read -r root memdev < <(cxl list -D -d root | jq -r '.[] | select(.pmem_capable == true and .nr_targets == 1) | .decoder' |
	while read -r d; do
		m=$(cxl list -M -d "$d" | jq -r '[.[] | select((.pmem_size // 0) > 0)][0].memdev')
		[ "$m" != null ] && free_endpoint_decoder "$m" >/dev/null && { echo "$d $m"; break; }
	done) || fail "no PMEM root decoder with a free memdev"
region=$(cxl create-region -t pmem -d "$root" -m "$memdev" -w 1 -s 256M | jq -r .region)
if [ -z "$region" ] || [ "$region" = null ]; then fail "cxl create-region failed"; fi
expect_eq "$(cat "$CXL/$region/mode")" pmem "$region mode"
expect_eq "$(cat "$CXL/$region/commit")" 1 "$region commit"
say "PMEM region $region on $root/$memdev with the stock cxl tool"
cxl destroy-region -f "$region" >/dev/null
[ ! -e "$CXL/$region" ] || fail "$region still present"
region=

# Events: the mock's logs reach the media, DRAM and module tracepoints.
m=$(cxl list -M | jq -r '[.[].memdev] | sort_by(ltrimstr("mem") | tonumber)[0]')
p=/sys/bus/platform/devices/$(platform_of "$m")
echo 0 >"$TRACE/tracing_on"
: >"$TRACE/trace"
echo 1 >"$TRACE/events/cxl/enable"
echo 1 >"$TRACE/tracing_on"
echo 1 >"$p/event_trigger"
for tp in cxl_generic_event cxl_general_media cxl_dram cxl_memory_module; do
	n=$(grep -c "$tp:" "$TRACE/trace" || true)
	[ "$n" -gt 0 ] || fail "no $tp record after event_trigger"
	say "$tp: $n records"
done

# Poison: inject at a DPA, list it, clear it.
: >"$TRACE/trace"
echo 0x1000 >"/sys/kernel/debug/cxl/$m/inject_poison"
echo 1 >"$CXL/$m/trigger_poison_list"
grep -q "cxl_poison:.*memdev=$m .*dpa=0x1000 " "$TRACE/trace" || fail "injected poison not listed"
echo 0x1000 >"/sys/kernel/debug/cxl/$m/clear_poison"
: >"$TRACE/trace"
echo 1 >"$CXL/$m/trigger_poison_list"
if grep -q "cxl_poison:.*memdev=$m .*dpa=0x1000 " "$TRACE/trace"; then
	fail "cleared poison still listed"
fi
say "poison injected, listed and cleared on $m"
