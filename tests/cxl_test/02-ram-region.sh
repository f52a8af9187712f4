#!/bin/bash
# A RAM region can be created on the mock, shows up as a DAX region with a
# device, and can be destroyed again.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

cxl_test_load

# A root decoder that can host volatile memory, with one target, and a
# memdev below it.
read -r decoder memdev < <(pick_ram_target) || fail "no volatile root decoder with a free memdev"
say "root decoder $decoder, memdev $memdev"

region=$(region_create "$decoder" ram $((256 << 20)) "$memdev")
say "created $region"

expect_eq "$(cat "/sys/bus/cxl/devices/$region/mode")" ram "$region mode"
expect_eq "$(cat "/sys/bus/cxl/devices/$region/commit")" 1 "$region commit"
size=$(cat "/sys/bus/cxl/devices/$region/size")
expect_eq "$((size))" "$((256 << 20))" "$region size"

# dax_cxl turns the region into a DAX region with one device of full size.
wait_for 30 dax_of_region "$region" || fail "no DAX device for $region"
dax=$(dax_of_region "$region")
dsize=$(cat "/sys/bus/dax/devices/$dax/size")
say "dax device $dax, size $dsize"
expect_eq "$dsize" "$((256 << 20))" "dax device size"

region_destroy "$region"
[ ! -e "$CXL/$region" ] || fail "$region still present after destroy"
region=
