#!/bin/bash
# Extents and the DAX driver coming and going on the mock: unloading
# dax_cxl with an enabled DAX device on a DC region is clean and keeps the
# extents; an extent offered while dax_cxl is away is accepted, and one
# released then goes at once; reloading dax_cxl makes every held extent
# available again; an extent fenced while in use is given back when
# dax_cxl goes away with its user; dax_cxl goes while readers of a
# device's mapping attributes keep reading, and does not hang; so do a
# shrink of a device to nothing under such readers, and the deletion of a
# device while a writer resizes it. Host and device agree throughout.
. /tests/lib.sh
trap 'kill ${r1:-} ${r2:-} ${w:-} 2>/dev/null || true
	region_destroy "${region:-none}" || true; cxl_test_unload' EXIT

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

# dax_cxl goes while readers of a device's mapping attributes (start, end,
# page_offset, which take dax_region_rwsem) keep reading: the teardown
# must not hold that lock while it waits for them to finish. Sixteen
# 2 MiB extents with holes between them make a device of 16 ranges or
# more, each with its mapping device.
modprobe dax_cxl
wait_for 30 test -e "$dr/dax_region/available_size" || fail "no dax_region after reloading dax_cxl"
for k in $(seq 0 15); do
	offer "$(printf '%#x' $((0x81000000 + (k << 22)))):0x200000::0"
done
c=$(create)
[ -n "$c" ] || fail "create-device of all the available capacity failed"
dev=/sys/bus/dax/devices/$c
nmap=$(compgen -G "$dev/mapping*" | wc -l)
[ "$nmap" -ge 16 ] || fail "$c has $nmap mappings, expected 16 or more"
reader() {
	while :; do
		cat "$dev"/mapping*/start "$dev"/mapping*/end \
			"$dev"/mapping*/page_offset >/dev/null 2>&1 || true
	done
}
reader &
r1=$!
reader &
r2=$!
sleep 1
# (a hang would stop here: the hung task detector and the test's time
# limit report it)
gone=0
out=$(modprobe -r dax_cxl 2>&1) && gone=1
kill "$r1" "$r2"
wait "$r1" "$r2" 2>/dev/null || true
r1="" r2=""
[ "$gone" = 1 ] || fail "modprobe -r dax_cxl under readers of $c's mappings failed: $out"
[ ! -e "$dev" ] || fail "$c survived dax_cxl"
agree "after unloading dax_cxl under readers"
say "dax_cxl unloaded under two readers of $c's $nmap mappings: no wait on them under the lock"

# A shrink unregisters the mappings it drops after dropping
# dax_region_rwsem, and a device is removed without it too: a shrink to
# nothing under two readers of the device's mappings ends, and so does
# the deletion of the device while a writer grows and shrinks it (the
# removal waits for the writer, the writer's shrink for the readers, the
# readers for the lock).
modprobe dax_cxl
wait_for 30 test -e "$dr/dax_region/available_size" || fail "no dax_region after reloading dax_cxl"
echo 1 >"$dr/dax_region/create"
d=$(cat "$dr/dax_region/create")
case "$d" in dax*.0 | "") fail "the new device is '$d', which cannot be deleted" ;; esac
dev=/sys/bus/dax/devices/$d
sz=$(cat "$dr/dax_region/available_size")
echo "$sz" >"$dev/size" || fail "sizing $d to $sz failed"
nmap=$(compgen -G "$dev/mapping*" | wc -l)
[ "$nmap" -ge 16 ] || fail "$d has $nmap mappings, expected 16 or more"
reader &
r1=$!
reader &
r2=$!
sleep 1
echo 0 >"$dev/size" || fail "shrinking $d to nothing under readers failed"
expect_eq "$( (compgen -G "$dev/mapping*" || true) | wc -l)" 0 "mappings of $d after the shrink"
say "$d shrunk from $nmap mappings to none under two readers of them"
writer() {
	while [ -e "$dev" ]; do
		echo "$sz" >"$dev/size" 2>/dev/null || true
		echo 0 >"$dev/size" 2>/dev/null || true
	done
}
writer &
w=$!
raced=0
for _ in $(seq 1 200); do
	if echo "$d" >"$dr/dax_region/delete" 2>/dev/null; then
		raced=1
		break
	fi
done
kill "$w" 2>/dev/null || true
wait "$w" 2>/dev/null || true
if [ "$raced" = 0 ]; then
	echo 0 >"$dev/size" || fail "shrinking $d to nothing failed"
	echo "$d" >"$dr/dax_region/delete" || fail "deleting $d failed"
fi
kill "$r1" "$r2" 2>/dev/null || true
wait "$r1" "$r2" 2>/dev/null || true
r1="" r2="" w=""
[ ! -e "$dev" ] || fail "$d survived its deletion"
expect_eq "$(dax_region_attr "$region" available_size)" "$sz" "available_size after deleting $d"
agree "after deleting $d"
if [ "$raced" = 1 ]; then
	say "$d deleted while a writer kept resizing it, under readers of its mappings"
else
	say "$d deleted under readers (the writer never left it empty when the delete looked)"
fi
