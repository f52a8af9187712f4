#!/bin/bash
# A Dynamic Capacity region on the mock: the endpoint decoder takes a dcN
# mode and allocates inside that partition, skipping the static capacity;
# the region reads mode 'dc', refuses interleave ways other than 1, and its
# DAX region starts empty (available size 0, seed device of size 0). A RAM
# region below a DC region on the same memdev still works, and tearing
# both down leaves the DPA tree as it was.
. /tests/lib.sh
trap 'region_destroy "${dc:-none}" || true; region_destroy "${ram:-none}" || true; cxl_test_unload' EXIT

cxl_test_load
read -r root memdev < <(pick_dc_target) || fail "no volatile root decoder with a DC memdev"
say "root decoder $root, memdev $memdev"
before=$(dpa_tree "$memdev")

# Decoder modes: dc0/dc1 exist on the mock, dc2..dc7 do not.
dec=$(free_endpoint_decoder "$memdev")
expect_write_fails dc2 "$CXL/$dec/mode" "$dec mode for a missing partition"
expect_write_fails dc8 "$CXL/$dec/mode" "$dec mode out of range"
echo dc1 >"$CXL/$dec/mode"
expect_eq "$(cat "$CXL/$dec/mode")" dc1 "$dec mode"

# Interleave ways: only 1 for a DC region.
region=$(cat "$CXL/$root/create_dc_region")
echo "$region" >"$CXL/$root/create_dc_region"
expect_eq "$(cat "$CXL/$region/mode")" dc "$region mode"
expect_write_fails 2 "$CXL/$region/interleave_ways" "DC region interleave ways 2"
expect_write_fails 4 "$CXL/$region/interleave_ways" "DC region interleave ways 4"
echo 1 >"$CXL/$region/interleave_ways"
echo "$region" >"$CXL/$root/delete_region"
say "interleave ways other than 1 rejected"

# A RAM region first, then a DC region on dc1: its skip crosses the rest
# of RAM, PMEM and dc0.
ram=$(region_create "$root" ram $((256 << 20)) "$memdev")
dc=$(region_create "$root" dc1 $((256 << 20)) "$memdev")
say "created $ram (ram) and $dc (dc)"
expect_eq "$(cat "$CXL/$dc/mode")" dc "$dc mode"
dec=$(cat "$CXL/$dc/target0")
expect_eq "$(cat "$CXL/$dec/mode")" dc1 "$dec mode"
expect_eq "$(cat "$CXL/$dec/dpa_resource")" 0xa0000000 "$dec dpa_resource"
say "$dec decodes dc1 from DPA $(cat "$CXL/$dec/dpa_resource")"
dpa_tree "$memdev"

# The dax region is sparse: no capacity, and an empty seed.
wait_for 30 test -e "$CXL/$dc/dax_$dc/dax_region/available_size" || fail "no dax region for $dc"
expect_eq "$(dax_region_attr "$dc" available_size)" 0 "$dc available_size"
expect_eq "$(dax_region_attr "$dc" size)" "$((256 << 20))" "$dc dax region size"
seed=$(dax_region_attr "$dc" seed)
[ -n "$seed" ] || fail "$dc has no seed device"
expect_eq "$(cat "/sys/bus/dax/devices/$seed/size")" 0 "seed $seed size"
[ ! -e "/sys/bus/dax/devices/$seed/mapping" ] || fail "mapping offered on a sparse region"
expect_write_fails $((2 << 20)) "/sys/bus/dax/devices/$seed/size" "growing $seed"
# An empty device may be made (to claim tagged capacity), but not grown.
echo 1 >"$CXL/$dc/dax_$dc/dax_region/create"
young=$(cat "$CXL/$dc/dax_$dc/dax_region/create")
expect_eq "$(cat "/sys/bus/dax/devices/$young/size")" 0 "$young size"
expect_write_fails $((2 << 20)) "/sys/bus/dax/devices/$young/size" "growing $young"
echo "$young" >"$CXL/$dc/dax_$dc/dax_region/delete"
say "$dc dax region: available_size 0, seed $seed of size 0, empty $young cannot grow"

# The RAM region keeps its full-size device.
wait_for 30 dax_of_region "$ram" || fail "no DAX device for $ram"
expect_eq "$(cat "/sys/bus/dax/devices/$(dax_of_region "$ram")/size")" "$((256 << 20))" "$ram dax size"

region_destroy "$dc"
dc=
region_destroy "$ram"
ram=
expect_eq "$(dpa_tree "$memdev")" "$before" "DPA tree after teardown"
say "DPA tree restored"
