#!/bin/bash
# KUnit: the cxl_dc suite (cxl_dc_test.ko) checks the rules for device
# input in isolation: event record parsing and rejection, extent checks
# against the DC partitions, and the split of extent lists over mailbox
# commands with More on all but the last. Loading the module runs it
# (against the in-tree cxl_core here; tests/cxl_test runs it too).
. /tests/lib.sh
trap 'unload_modules cxl_dc_test cxl_core' EXIT

kunit_run cxl_dc_test cxl_dc
