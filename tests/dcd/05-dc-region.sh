#!/bin/bash
# DC regions on QEMU's DCD: a region on dc0, then one on dc1 (QEMU's host
# bridge has a single HDM decoder, so one region at a time). Each decoder
# allocates inside its partition, skipping the static RAM and, for dc1,
# dc0; each region reads mode 'dc' and has a DAX region that starts
# empty. Interleave ways other than 1 are refused; tearing down leaves the
# DPA tree as it was.
. /tests/lib.sh
trap 'region_destroy "${r:-none}" || true; dcd_end' EXIT

dcd_begin
memdev=$(cxl list -M | jq -r '.[0].memdev')
root=$(cxl list -D -d root | jq -r '[.[] | select(.volatile_capable == true)][0].decoder')
[ -e "$CXL/$root/create_dc_region" ] || fail "$root offers no create_dc_region"
before=$(dpa_tree "$memdev")

region=$(cat "$CXL/$root/create_dc_region")
echo "$region" >"$CXL/$root/create_dc_region"
expect_write_fails 2 "$CXL/$region/interleave_ways" "DC region interleave ways 2"
echo "$region" >"$CXL/$root/delete_region"

for n in 0 1; do
	r=$(region_create "$root" "dc$n" $((1 << 30)) "$memdev")
	dec=$(cat "$CXL/$r/target0")
	expect_eq "$(cat "$CXL/$r/mode")" dc "$r mode"
	expect_eq "$(cat "$CXL/$dec/mode")" "dc$n" "$dec mode"
	expect_eq "$(cat "$CXL/$dec/dpa_resource")" "$(printf '%#x' $(((1 + 4 * n) << 28)))" "$dec DPA"
	wait_for 30 test -e "$CXL/$r/dax_$r/dax_region/available_size" || fail "no dax region for $r"
	expect_eq "$(dax_region_attr "$r" available_size)" 0 "$r available_size"
	seed=$(dax_region_attr "$r" seed)
	expect_eq "$(cat "/sys/bus/dax/devices/$seed/size")" 0 "$r seed $seed size"
	say "$r: $dec dc$n at DPA $(cat "$CXL/$dec/dpa_resource"), HPA $(cat "$CXL/$r/resource"), available 0, seed $seed empty"
	dpa_tree "$memdev"
	region_destroy "$r"
	r=
	expect_eq "$(dpa_tree "$memdev")" "$before" "DPA tree after destroying the dc$n region"
done
say "both regions destroyed, DPA tree restored"
