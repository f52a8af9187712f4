#!/bin/bash
# DCD events on QEMU: a request of two extents added over QMP raises the
# DCD event interrupt, reaches the cxl_dynamic_capacity tracepoint as two
# records (More on the first), and is rejected with one empty response
# (no extent support yet). QEMU then has no offer pending, so the same
# request can be made again.
. /tests/lib.sh
trap 'dc_trace_stop; dcd_end' EXIT

dcd_begin
memdev=$(cxl list -M | jq -r '.[0].memdev')
[[ $(dmesg) != *"No interrupt for the DCD event log"* ]] || fail "no DCD event interrupt"

dev=/machine/peripheral/cxl-dcd0
add='{"path": "'$dev'", "host-id": 0, "selection-policy": "prescriptive", "region": 0,
	"extents": [{"offset": 0, "len": 2097152}, {"offset": 2097152, "len": 2097152}]}'

dc_trace_start
mark=$(klog_mark)
qmp cxl-add-dynamic-capacity "$add" >/dev/null || fail "QMP refused the first request"
wait_for 30 dc_trace_at_least 2 || fail "no trace records for the request"
recs=$(dc_trace_records)
say "$recs"
expect_eq "$(grep -c . <<<"$recs")" 2 "trace records for a request of two extents"
grep -q "memdev=$memdev .*event_type='Add capacity'.*region_index=0 flags=0x1 dpa_start=0x10000000 length=0x200000 " <<<"$recs" ||
	fail "first record wrong"
grep -q "memdev=$memdev .*event_type='Add capacity'.*region_index=0 flags=0x0 dpa_start=0x10200000 length=0x200000 " <<<"$recs" ||
	fail "second record wrong"
wait_for 10 sh -c "dmesg | grep -q 'offer of DPA 0x10200000 length 0x200000 rejected'" ||
	fail "no log line for the rejected offer"

# QEMU refuses to offer DPA that is still pending: the same request
# succeeds only because the host answered the first.
qmp cxl-add-dynamic-capacity "$add" >/dev/null || fail "the first request is still pending in QEMU"
wait_for 30 dc_trace_at_least 4 || fail "no trace records for the second request"
klog_since "$mark" | grep -i "error\|fail" && fail "errors in the kernel log"
say "two requests of two extents: traced and rejected, nothing left pending"
