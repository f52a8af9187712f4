#!/bin/bash
# Who reads which event log. Where firmware owns CXL error handling
# (dc_config=fwfirst: no native _OSC control), the error logs are left to
# firmware but the DCD log is still read and its requests answered. A
# device without Dynamic Capacity that flags the DCD log in its Event
# Status (dc_config=nodcd) gets one warning, and the event loop does not
# go round for a log the driver never reads; its other logs still reach
# their tracepoints.
. /tests/lib.sh
trap 'echo 0 >"$TRACE/events/cxl/enable" 2>/dev/null || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

trace_cxl() {
	echo 0 >"$TRACE/tracing_on"
	: >"$TRACE/trace"
	echo 1 >"$TRACE/events/cxl/enable"
	echo 1 >"$TRACE/tracing_on"
}
traced() { grep -c "$1:" "$TRACE/trace" || true; }

modprobe cxl_mock_mem dc_config=fwfirst
mock_dc_region 256
trace_cxl
echo 1 >"$p/event_trigger"
expect_eq "$(traced cxl_generic_event)" 0 "error log records read where firmware owns them"
echo "0x80000000:0x200000::0" >"$p/dc_inject_extent"
expect_eq "$(extent_count "$region")" 2 "extents after an offer, firmware first"
expect_eq "$(cat "$p/dc_pending")" 0 "requests left open, firmware first"
agree "after an offer, firmware first"
echo "0x80000000:0x200000" >"$p/dc_del_extent"
expect_eq "$(extent_count "$region")" 1 "extents after the release, firmware first"
agree "after the release, firmware first"
say "firmware first: error logs left to firmware, the DCD log read and answered"
region_destroy "$region"
region=
cxl_test_unload

modprobe cxl_mock_mem dc_config=nodcd
cxl_test_load
m=$(cxl list -M | jq -r '[.[].memdev] | sort_by(ltrimstr("mem") | tonumber)[0]')
p=/sys/bus/platform/devices/$(platform_of "$m")
[ ! -d "$CXL/$m/dc0" ] || fail "$m shows DC partitions without Dynamic Capacity"
trace_cxl
mark=$(klog_mark)
echo 1 >"$p/event_trigger"
echo 1 >"$p/event_trigger"
log=$(klog_since "$mark")
! grep -q 'event status still set' <<<"$log" || fail "the event loop went round for the DCD status"
expect_eq "$(grep -c "$(platform_of "$m"): DCD event status set by a device without Dynamic Capacity: ignored" <<<"$log" || true)" 1 \
	"warnings for the stray DCD status over two interrupts"
[ "$(traced cxl_generic_event)" -gt 0 ] || fail "no error log record read beside the stray DCD status"
say "no Dynamic Capacity, DCD status set: ignored with one warning, the other logs read"
