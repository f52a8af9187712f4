#!/bin/bash
# The guest half of scripts/bench-extents.sh, on the cxl_test mock:
#   inject N: time to offer and accept N extents of 2 MiB, one request
#             each, into a DC region (the host checks, surfaces and
#             answers each), for each N in BENCH_INJECT
#   dax M:    time to size one DAX device across M extents (the kernel's
#             part, a write to daxX.Y/size), for each M in BENCH_DAX
# Each measurement runs on freshly loaded modules, with the mock given
# room for 2 MiB extents by dc_size and dc_window_size. Prints one
# "bench: ..." line per figure and the ratios.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" >/dev/null 2>&1 || true; cxl_test_unload' EXIT

IFS=', ' read -r -a inject <<<"${BENCH_INJECT:-1000,10000}"
IFS=', ' read -r -a daxn <<<"${BENCH_DAX:-100,1000}"
ROOM=$((24 << 30))
# microseconds (bash's clock: busybox date has no %N)
now_us() { echo "${EPOCHREALTIME/./}"; }

# setup SIZE: fresh modules with room, and a DC region of SIZE on dc0.
setup() {
	modprobe cxl_test dc_window_size=$ROOM
	modprobe cxl_mock_mem dc_size=$ROOM
	cxl_test_load
	read -r root memdev < <(pick_dc_target) || fail "no DC target"
	plat=$(platform_of "$memdev")
	p=/sys/bus/platform/devices/$plat
	region=$(region_create "$root" dc0 "$1" "$memdev")
	dr=$CXL/$region/dax_$region
}
teardown() {
	region_destroy "$region"
	region=
	cxl_test_unload
}
# offer_many N FIRST_DPA STRIDE: N one-record requests of 2 MiB.
offer_many() {
	local i a=$2

	for ((i = 0; i < $1; i++)); do
		echo "$(printf '%#x' "$a"):0x200000::0" >"$p/dc_inject_extent"
		a=$((a + $3))
	done
}

# Extents start 1 GiB into dc0 (DPA 3 GiB), past the two the mock holds.
declare -A t_inject t_dax
for n in "${inject[@]}"; do
	setup $((22 << 30))
	t0=$(now_us)
	offer_many "$n" $((3 << 30)) $((2 << 20))
	t1=$(now_us)
	got=$(extent_count "$region")
	[ "$got" -ge "$n" ] || fail "inject $n: only $got extents"
	t_inject[$n]=$(((t1 - t0) / 1000))
	say "bench: inject $n extents: ${t_inject[$n]} ms ($(((t1 - t0) / n)) us per extent)"
	teardown
done

for m in "${daxn[@]}"; do
	setup $((22 << 30))
	# 2 MiB apart, so that no two extents touch
	offer_many "$m" $((3 << 30)) $((4 << 20))
	seed=$(cat "$dr/dax_region/seed")
	t0=$(now_us)
	# and the two 64 MiB extents the mock holds from the start, first
	echo $(((m << 21) + (128 << 20))) >"/sys/bus/dax/devices/$seed/size"
	t1=$(now_us)
	ranges=$(compgen -G "/sys/bus/dax/devices/$seed/mapping*" | wc -l)
	[ "$ranges" = $((m + 2)) ] || fail "dax $m: $ranges ranges"
	t_dax[$m]=$(((t1 - t0) / 1000))
	say "bench: DAX device across $m extents: ${t_dax[$m]} ms"
	echo 0 >"/sys/bus/dax/devices/$seed/size"
	teardown
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }'; }
say "bench: inject ratio ${inject[-1]}/${inject[0]}: $(ratio "${t_inject[${inject[0]}]}" "${t_inject[${inject[-1]}]}") (linear: $((inject[-1] / inject[0])), target <= 15)"
say "bench: DAX ratio ${daxn[-1]}/${daxn[0]}: $(ratio "${t_dax[${daxn[0]}]}" "${t_dax[${daxn[-1]}]}") (linear: $((daxn[-1] / daxn[0])), target <= 15)"
