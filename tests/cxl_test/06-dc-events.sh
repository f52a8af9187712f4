#!/bin/bash
# DCD events on the mock: every record the device logs reaches the
# cxl_dynamic_capacity tracepoint once, with its fields; offers are
# rejected (no extent support yet) once per request, so the device is
# never left waiting, and a More chain is answered only when it closes;
# a release request for an extent the device lists but no region maps is
# answered at once (the host gives it back), a forced release takes the
# other; configuration updates, unknown event types and malformed
# records are logged and dropped without splats.
. /tests/lib.sh
trap 'dc_trace_stop; cxl_test_unload' EXIT

cxl_test_load
m=$(for d in "$CXL"/mem*; do [ -d "$d/dc0" ] && basename "$d"; done | sort -V | head -n 1)
[ -n "$m" ] || fail "no mock memdev with DC partitions"
p=/sys/bus/platform/devices/$(platform_of "$m")
say "memdev $m on $(basename "$p")"

preaccepted=$'0x88000000:0x4000000:00000000-0000-0000-0000-000000000000\n0x90000000:0x4000000:00000000-0000-0000-0000-000000000000'
expect_eq "$(device_extents "$(basename "$p")")" "$preaccepted" "extents the mock holds at load"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers at load"

# One offer: one trace record with every field, then an empty response.
dc_trace_start
mark=$(klog_mark)
echo "0x80000000:0x200000:hello:0" >"$p/dc_inject_extent"
recs=$(dc_trace_records)
say "$recs"
expect_eq "$(printf '%s\n' "$recs" | grep -c .)" 1 "trace records for one offer"
for f in "memdev=$m " "host=$(basename "$p") " "serial=$(basename "$p" | sed 's/.*\.//') " \
	"log=DCD " "event_type='Add capacity'" "host_id=0 " "region_index=0 " "flags=0x0 " \
	"dpa_start=0x80000000 " "length=0x200000 " "tag=$(tag_uuid hello) " "sh_extent_seq=0 "; do
	grep -qF -- "$f" <<<"$recs" || fail "trace record lacks '$f'"
done
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers after the host answered"
klog_since "$mark" | grep -q "offer of DPA 0x80000000 length 0x200000 rejected" ||
	fail "no log line for the rejected offer"
say "one offer: one trace record, rejected"

# A chain of three: answered once, when the record without More arrives.
dc_trace_start
echo "0x80200000:0x200000::1" >"$p/dc_inject_extent"
echo "0x80400000:0x200000::1" >"$p/dc_inject_extent"
expect_eq "$(cat "$p/dc_pending")" 1 "pending offers while the chain is open"
echo "0x80600000:0x200000::0" >"$p/dc_inject_extent"
expect_eq "$(cat "$p/dc_pending")" 0 "pending offers after the chain closed"
expect_eq "$(dc_trace_records | grep -c "flags=0x1 ")" 2 "records with More"
expect_eq "$(dc_trace_records | grep -c .)" 3 "trace records for the chain"
say "three-record chain answered once, when it closed"

# No region maps the extents: a release request is answered at once, a
# forced release takes the extent.
dc_trace_start
echo "0x88000000:0x4000000" >"$p/dc_del_extent"
grep -q "event_type='Release capacity'.*dpa_start=0x88000000 " <<<"$(dc_trace_records)" ||
	fail "no trace record for the release request"
expect_eq "$(device_extents "$(basename "$p")")" "${preaccepted#*$'\n'}" "extents after the release request"
echo "0x90000000:0x4000000" >"$p/dc_force_del_extent"
grep -q "event_type='Forced capacity release'.*dpa_start=0x90000000 " <<<"$(dc_trace_records)" ||
	fail "no trace record for the forced release"
expect_eq "$(device_extents "$(basename "$p")")" "" "extents after the forced release"
say "release and forced release traced; the host gave the unmapped one back, the device took the forced one"

# Records a sane device would not send: logged, dropped, traced once each.
# dc_inject_record: <type>:<region>:<dpa>:<length>:<flags>:<record length>
dc_trace_start
mark=$(klog_mark)
echo "3:1:0:0:0:128" >"$p/dc_inject_record"
echo "7:0:0x80000000:0x200000:0:128" >"$p/dc_inject_record"
echo "3:9:0:0:0:128" >"$p/dc_inject_record"
echo "0:0:0x80000000:0x200000:0:112" >"$p/dc_inject_record"
log=$(klog_since "$mark")
say "$log"
grep -q "dc1: configuration update: unchanged" <<<"$log" || fail "configuration update not logged"
grep -q "DCD event: unknown event type 0x7: dropped" <<<"$log" || fail "unknown type not logged"
grep -q "DCD event: region index 9 out of range: dropped" <<<"$log" || fail "bad region index not logged"
grep -q "DCD event: record length 112, expected 128: dropped" <<<"$log" || fail "bad length not logged"
expect_eq "$(dc_trace_records | grep -c .)" 4 "trace records for the odd records"
expect_eq "$(cat "$p/dc_pending")" 0 "the malformed offer was still answered"
say "unknown, out-of-range and malformed records logged and dropped"
