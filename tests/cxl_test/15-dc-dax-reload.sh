#!/bin/bash
# Extents and the DAX driver coming and going on the mock: unloading
# dax_cxl with an enabled DAX device on a DC region is clean and keeps the
# extents; an extent offered while dax_cxl is away is accepted, and one
# released then goes at once; reloading dax_cxl makes every held extent
# available again; an extent fenced while in use is given back when
# dax_cxl goes away with its user. Host and device agree throughout.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

mock_dc_region 256
held() { device_extents "$plat" | grep -q "^$1:"; }

offer "0x80000000:0x200000::0"
offer "0x80200000:0x200000::0"
a=$(create -s 2M)
[ -e "/sys/bus/dax/devices/$a/driver" ] || fail "$a not enabled"
modprobe -r dax_cxl
[ ! -e "$dr/dax_region" ] || fail "dax_region still there without dax_cxl"
[ ! -e "/sys/bus/dax/devices/$a" ] || fail "$a survived dax_cxl"
expect_eq "$(extent_count "$region")" 3 "extents without dax_cxl"
agree "after unloading dax_cxl"
say "dax_cxl unloaded under enabled $a: clean, 3 extents kept"

offer "0x80400000:0x200000::0"
expect_eq "$(extent_count "$region")" 4 "extents after an offer without dax_cxl"
echo "0x80200000:0x200000" >"$p/dc_del_extent"
[ -z "$(extent_at "$region" 0x200000)" ] || fail "released extent still held"
held 0x80200000 && fail "the device still holds the released extent"
agree "after an offer and a release without dax_cxl"
say "without dax_cxl: an offer accepted, a release done at once"

modprobe dax_cxl
wait_for 30 test -e "$dr/dax_region/available_size" || fail "no dax_region after reloading dax_cxl"
expect_eq "$(dax_region_attr "$region" available_size)" $((68 << 20)) "available_size after reload"
b=$(create -s 4M)
expect_eq "$(cat "/sys/bus/dax/devices/$b/size")" $((4 << 20)) "$b size"
say "dax_cxl reloaded: 68 MiB available, $b carved from the extents held meanwhile"

e=$(extent_at "$region" 0x0)
echo "0x80000000:0x200000" >"$p/dc_del_extent"
expect_eq "$(cat "$dr/$e/state")" releasing "$e state"
modprobe -r dax_cxl
wait_for 10 test ! -e "$dr/$e" || fail "$e still held after dax_cxl went"
held 0x80000000 && fail "the device still holds $e"
agree "after unloading dax_cxl with a fenced extent"
say "$e fenced under $b, given back when dax_cxl went away with $b"
