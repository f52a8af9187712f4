#!/bin/bash
# Extents on QEMU: with a DC region on dc0, a QMP request of three
# extents becomes three extent devices at the offsets asked for; a second
# request of eight (QEMU's event log size) adds eight more; an extent
# outside any DC region (dc1) is rejected and QEMU forgets the offer.
# Rebinding the region driver keeps the extents; destroying the region
# gives them back.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
memdev=$(cxl list -M | jq -r '.[0].memdev')
root=$(cxl list -D -d root | jq -r '[.[] | select(.volatile_capable == true)][0].decoder')
region=$(region_create "$root" dc0 $((1 << 30)) "$memdev")
say "$region on dc0 of $memdev"

qmp_dc add 0 0 2 4 || fail "QMP refused the first request"
wait_eq 30 3 extent_count "$region" || fail "three extents did not appear"
expect_eq "$(host_extents "$region")" $'0x0:0x200000:-\n0x200000:0x200000:-\n0x400000:0x200000:-' "extents after the first request"
say "first request: $(extent_count "$region") extents at 0, 2 and 4 MiB"

qmp_dc add 0 100 102 104 106 108 110 112 114 || fail "QMP refused the second request"
wait_eq 30 11 extent_count "$region" || fail "eleven extents did not appear"
say "second request of 8: $(extent_count "$region") extents"

mark=$(klog_mark)
qmp_dc add 1 0 || fail "QMP refused the dc1 request"
wait_for 30 sh -c "dmesg | grep -q 'offer of DPA 0x50000000 length 0x200000 rejected: no DC region maps it'" ||
	fail "the dc1 offer was not rejected"
# QEMU forgot the rejected offer: the same request is accepted again.
qmp_dc add 1 0 || fail "the rejected dc1 offer is still pending in QEMU"
expect_eq "$(extent_count "$region")" 11 "extents after the dc1 offers"
say "dc1 offer rejected (no DC region), QEMU holds nothing pending"

# Release two of the first request's extents over QMP: they leave the
# host, and QEMU takes them back, so offering them again works.
qmp_dc release 0 0 4 || fail "QMP refused the release"
wait_eq 30 9 extent_count "$region" || fail "released extents still held"
[[ $'\n'"$(host_extents "$region")" != *$'\n0x0:'* ]] || fail "extent at 0 still held"
qmp_dc add 0 0 4 || fail "QEMU did not take the released extents back"
wait_eq 30 11 extent_count "$region" || fail "re-offered extents not accepted"
say "released 2 extents over QMP, offered and accepted them again: $(extent_count "$region") extents"

# The region driver bound again finds the 11 extents QEMU kept for the
# host: unbinding the driver does not give capacity back.
region_unbind "$region"
region_bind "$region"
expect_eq "$(extent_count "$region")" 11 "extents after the region driver was bound again"
say "region driver bound again: the 11 extents QEMU kept surfaced from its extent list"

# Destroying the region gives all of it back: a region made again over
# the same DPA finds nothing.
region_destroy "$region"
region=$(region_create "$root" dc0 $((1 << 30)) "$memdev")
expect_eq "$(extent_count "$region")" 0 "extents after the region was destroyed and made again"
say "region destroyed: QEMU took the 11 extents back"
