#!/bin/bash
# Forced release driven from QEMU over QMP: QEMU offers two extents, a DAX
# device uses the first; QEMU then takes both back by force. The unused
# extent leaves the host at once; the one in use is fenced as "forced"
# (the memory is gone at the device: it is never handed out again) until
# its user is destroyed, then dropped without a Release. Afterwards the
# host and QEMU agree that the host holds nothing: QEMU offers the same
# capacity again and the host accepts it. QEMU 10.0 refuses forced
# removal over QMP ("Forced removal not supported yet"): then the test is
# skipped (tests/skips.allow), and the mock's tests cover forced release.
. /tests/lib.sh
trap 'daxctl destroy-device -f "${dax:-none}" >/dev/null 2>&1 || true;
	region_destroy "${region:-none}" || true; dcd_end' EXIT

dcd_begin
probe=$(qmp cxl-release-dynamic-capacity "{\"path\": \"$QEMU_DCD\", \"host-id\": 0,
	\"removal-policy\": \"prescriptive\", \"forced-removal\": true, \"region\": 0,
	\"extents\": [{\"offset\": 0, \"len\": $((2 << 20))}]}" 2>&1 || true)
case "$probe" in
*"Forced removal not supported"*) skip "this QEMU does not emulate forced removal: $(jq -r .error.desc <<<"$probe")" ;;
esac
dcd_dc_region

qmp_dc add 0 0:128 256:128 || fail "QMP refused the request"
wait_eq 30 2 extent_count "$region" || fail "two extents did not appear"
e0=$(extent_at "$region" 0x0)
dax=$(dax_create "$id" -s 128M)
case "$dax" in "" | null) fail "create-device failed" ;; esac
expect_eq "$(dax_ranges "$region" "$dax")" "0x0-0x7ffffff " "$dax ranges"
say "$dax uses $e0 (128 MiB at offset 0); the extent at 256 MiB is unused"

mark=$(klog_mark)
qmp cxl-release-dynamic-capacity "{\"path\": \"$QEMU_DCD\", \"host-id\": 0,
	\"removal-policy\": \"prescriptive\", \"forced-removal\": true, \"region\": 0,
	\"extents\": [{\"offset\": 0, \"len\": $((128 << 20))},
		{\"offset\": $((256 << 20)), \"len\": $((128 << 20))}]}" >/dev/null ||
	fail "QMP refused the forced release"
wait_eq 30 1 extent_count "$region" || fail "the unused extent is still held after a forced release"
wait_eq 30 forced cat "$dr/$e0/state" || fail "$e0 in use is not fenced as forced"
expect_eq "$(dax_region_attr "$region" available_size)" 0 "available_size after the forced release"
log=$(klog_since "$mark")
grep -q "$dax" <<<"$log" || fail "the kernel log does not name $dax as the user of the forced extent"
say "forced release: the unused extent went at once, $e0 fenced as forced, $dax named in the log"

daxctl disable-device "$dax" >/dev/null
daxctl destroy-device "$dax" >/dev/null
dax=
wait_eq 30 0 extent_count "$region" || fail "$e0 still held after its user went"
say "user destroyed: $e0 dropped"

# Agreement: QEMU took both, so it offers them again and the host takes them.
qmp_dc add 0 0:128 256:128 || fail "QEMU did not take the forced extents back"
wait_eq 30 2 extent_count "$region" || fail "re-offered extents not accepted"
say "QEMU offers the same capacity again: accepted, 2 extents"
dcd_give_back "$region"
