#!/bin/bash
# Unloading every CXL driver, cxl_mem and cxl_core included (not only
# dax_cxl), while a DC region holds extents, is clean (no splat, no leak,
# no module left), keeps the extents at the device, and after a reload a
# new region over the same partition finds them again from the device's
# extent list.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
dcd_dc_region
qmp_dc add 0 0 2 8:4 || fail "QMP refused the request"
wait_eq 30 3 extent_count "$region" || fail "three extents did not appear"
want=$(host_extents "$region")
say "held: $(tr '\n' ' ' <<<"$want")"

for m in dax_cxl cxl_mem cxl_core; do
	[ -d "/sys/module/$m" ] || fail "$m is not loaded before the unload"
done
cxl_hw_unload
region=
[ ! -d /sys/module/cxl_core ] || fail "cxl_core still loaded"
[ ! -d /sys/module/cxl_mem ] || fail "cxl_mem still loaded"
say "every CXL module unloaded with the region holding 3 extents"

cxl_hw_load
dcd_dc_region
expect_eq "$(host_extents "$region")" "$want" "extents found again after the reload"
say "reloaded: a new $region found the same 3 extents"
dcd_give_back "$region"
