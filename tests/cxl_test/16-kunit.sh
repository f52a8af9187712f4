#!/bin/bash
# KUnit needs no DCD hardware: the cxl_dc suite runs in the cxl_test guest
# too (a QEMU without DCD emulation does not hide it), against the
# cxl_core that cxl_test built (updates/).
. /tests/lib.sh
trap 'unload_modules cxl_dc_test cxl_core' EXIT

kunit_run cxl_dc_test cxl_dc
