#!/bin/bash
# cxl_test loads its mocked modules (not the in-tree ones), and the mock
# topology appears: memdevs, ports, root and endpoint decoders; everything
# unloads again.
. /tests/lib.sh
trap cxl_test_unload EXIT

cxl_test_load

# The mocked cxl_core comes from updates/, built by tools/testing/cxl.
path=$(modinfo -n cxl_core)
case "$path" in */updates/*) ;; *) fail "cxl_core loaded from $path, not updates/" ;; esac
[ -d /sys/bus/platform/devices/cxl_acpi.0 ] || fail "no cxl_acpi.0 mock platform device"

count() { compgen -G "$1" | wc -l; }
memdevs=$(cxl list -M | jq length)
ports=$(count "$CXL/port*")
endpoints=$(count "$CXL/endpoint*")
roots=$(cxl list -D -d root | jq length)
epdecoders=0
for e in "$CXL"/endpoint*; do
	n=$(count "$e/decoder*.*")
	[ "$n" -ge 1 ] || fail "${e##*/} has no decoders"
	epdecoders=$((epdecoders + n))
done
say "memdevs $memdevs, switch/host ports $ports, endpoints $endpoints," \
	"root decoders $roots, endpoint decoders $epdecoders"
[ "$memdevs" -ge 8 ] || fail "expected at least 8 mock memdevs, got $memdevs"
[ "$ports" -ge 2 ] || fail "expected host-bridge and switch ports, got $ports"
[ "$roots" -ge 1 ] || fail "no root decoders"
expect_eq "$endpoints" "$memdevs" "endpoint ports"
for m in $(cxl list -M | jq -r '.[].memdev'); do
	endpoint_of "$m" >/dev/null || fail "$m has no endpoint port"
done

# Each memdev reports its static capacity.
cxl list -M | jq -e 'all(.[]; (.ram_size // 0) + (.pmem_size // 0) > 0)' >/dev/null ||
	fail "a mock memdev has no capacity"
