#!/bin/bash
# KUnit: the cxl_dc suite (cxl_dc_test.ko) checks the rules for device
# input in isolation: event record parsing and rejection, extent checks
# against the DC partitions, and the split of extent lists over mailbox
# commands with More on all but the last. Loading the module runs it.
. /tests/lib.sh
trap 'unload_modules cxl_dc_test cxl_core' EXIT

mark=$(klog_mark)
modprobe cxl_dc_test
log=$(klog_since "$mark")
grep -E '^\[ *[0-9.]+\] +(# |ok |not ok )' <<<"$log" | sed 's/^\[[^]]*\] *//' | grep -v '^# Subtest' || true
summary=$(grep -o '# cxl_dc: pass:[0-9]* fail:[0-9]* skip:[0-9]* total:[0-9]*' <<<"$log") ||
	fail "no KUnit summary for the cxl_dc suite"
say "$summary"
grep -q "^\[ *[0-9.]*\] ok [0-9]* cxl_dc$" <<<"$log" || fail "the cxl_dc suite did not pass"
[[ $summary == *" fail:0 "* ]] || fail "KUnit failures"
