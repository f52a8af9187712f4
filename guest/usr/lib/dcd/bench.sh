#!/bin/bash
# The guest half of scripts/bench-extents.sh, on the cxl_test mock. For
# each N in BENCH_N, on freshly loaded modules with room for N extents:
#   accept  N untagged 2 MiB extents, 2 MiB apart (so that none touch),
#           each in a request of its own, posted from inside the kernel
#           by the mock's dc_inject_batch: the host reads each record,
#           checks it, answers it and surfaces the extent
#   size    one DAX device across all of them (a write to daxX.Y/size;
#           N + 2 ranges with the mock's own two extents)
#   bind    (N <= BENCH_SWEEP_MAX) device_dax, which reserves and maps
#           each of the device's ranges
#   sweep   one read of each 2 MiB of the device: a page fault per 2 MiB
#           (N + 64 of them)
#   unbind  device_dax again
#   destroy the device (a write of 0 to its size)
#   release the region, which gives every extent back
# BENCH_GROUP=G offers the extents tagged, G in a row per tag (sequence
# numbers 0 to G - 1), and replaces size, sweep and destroy with
#   claim   one new DAX device per tag, each claiming its tag (N / G)
#   destroy every one of them
# BENCH_GIVEBACK=release (or forced) adds, before the region goes,
#   giveback|forced  one record asking for (taking) all N extents
#           back, timed until the host holds none of them
# BENCH_REPEAT=R runs each N R times over, and keeps each figure's least
# time for the ratios.
# BENCH_PROFILE=<stage> samples the kernel stack of that stage's writer.
# Prints one "bench: ..." line per figure, the cost per extent, and the
# ratios of each figure between consecutive N.
. /tests/lib.sh
trap 'region_destroy "${region:-none}" >/dev/null 2>&1 || true; cxl_test_unload' EXIT

# kmemleak's periodic scan walks every object the kernel holds: at 100k
# extents it runs for minutes beside the work being timed. Leaks are the
# tests' business; here it only skews the figures.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan=off >/sys/kernel/debug/kmemleak
fi

IFS=', ' read -r -a sizes <<<"${BENCH_N:-1000,10000,100000}"
SWEEP_MAX=${BENCH_SWEEP_MAX:-100000}
# microseconds (bash's clock: busybox date has no %N)
now_us() { echo "${EPOCHREALTIME/./}"; }
# Extents start 1 GiB into dc0 (DPA 3 GiB), past the two the mock holds.
FIRST=$((3 << 30))

# setup N: fresh modules with room for N extents 4 MiB apart, and a DC
# region on dc0 that maps them all.
setup() {
	local size=$(((((1 << 30) + ($1 << 22)) + (256 << 20) - 1) / (256 << 20) * (256 << 20)))

	# the window also holds the region cxl_test assembles at load
	modprobe cxl_test dc_window_size=$((size + (2 << 30)))
	modprobe cxl_mock_mem dc_size=$((size + (256 << 20)))
	cxl_test_load
	read -r root memdev < <(pick_dc_target) || fail "no DC target"
	plat=$(platform_of "$memdev")
	p=/sys/bus/platform/devices/$plat
	region=$(region_create "$root" dc0 "$size" "$memdev")
	dr=$CXL/$region/dax_$region
}

# timed NAME N CMD...: run CMD, record its time in us as t[NAME.N] and
# print it with the cost per extent.
declare -A t
timed() {
	local name=$1 n=$2 t0 t1

	shift 2
	t0=$(now_us)
	if [ "${BENCH_PROFILE:-}" = "$name" ]; then
		profiled "$@" || fail "$name $n: '$*' failed"
	else
		"$@" || fail "$name $n: '$*' failed"
	fi
	t1=$(now_us)
	keep "$name.$n" $((t1 - t0))
	say "bench: $name $n: $(((t1 - t0) / 1000)) ms ($(((t1 - t0) * 1000 / n)) ns per extent)"
}
write() { echo "$2" >"$1"; }
# keep KEY US: record US as t[KEY], the least of the repeats so far (the
# machine's noise only ever adds time)
keep() {
	if [ -z "${t[$1]:-}" ] || [ "$2" -lt "${t[$1]}" ]; then
		t[$1]=$2
	fi
}
# bind_devdax DEV: DEV on device_dax (a DC region's default driver is
# dax_kmem: new_id asks for device_dax, which may bind it at once)
bind_devdax() {
	echo "$1" >/sys/bus/dax/drivers/device_dax/new_id || return
	[ -e "/sys/bus/dax/devices/$1/driver" ] ||
		echo "$1" >/sys/bus/dax/drivers/device_dax/bind
}

# profiled CMD...: run CMD in the background and profile the kernel while
# it runs: every half second an NMI backtrace of each CPU (sysrq l, kept
# off the console), then the functions seen in the backtraces of CMD's
# sysfs write, by samples where they are running (self) and on the stack
# (total). A poor man's profiler that needs no perf in the guest.
profiled() {
	local pid rc=0 level samples=/tmp/bench-nmi i=0

	read -r level _ </proc/sys/kernel/printk
	echo 1 >/proc/sys/kernel/printk
	dmesg -c >/dev/null
	: >"$samples"
	: >"$samples.sleep"
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		echo l >/proc/sysrq-trigger
		# asleep, the writer is in no CPU's backtrace: its own stack
		read -r _ _ st _ <"/proc/$pid/stat" 2>/dev/null || st=
		if [ "$st" = S ] || [ "$st" = D ]; then
			head -n 3 "/proc/$pid/stack" >>"$samples.sleep" 2>/dev/null || true
		fi
		sleep 0.5
		dmesg -c >>"$samples"
		# a report every 10 minutes, in case the stage never ends
		if ((++i % 1200 == 0)); then
			say "bench: profile after $((i / 120)) minutes:"
			profile_report "$samples"
		fi
	done
	wait "$pid" || rc=$?
	dmesg -c >>"$samples"
	echo "$level" >/proc/sys/kernel/printk
	profile_report "$samples"
	return "$rc"
}

# profile_report SAMPLES: the functions seen in the backtraces of the
# sysfs write in the file SAMPLES, by self and total samples
profile_report() {
	# one line per frame, "--" between backtraces, "@f" for the RIP
	sed -n -E -e 's/.*NMI backtrace for cpu.*/--/p' \
		-e 's/.*RIP: [0-9a-f]+:([A-Za-z0-9_.]+)\+.*/@\1/p' \
		-e 's/^\[[^]]*\] +([A-Za-z0-9_.]+)\+0x[0-9a-f]+\/0x[0-9a-f]+.*/\1/p' \
		"$1" | awk '
		function flush(  f) {
			if (keep) {
				n++
				for (f in seen) total[f]++
				self[rip]++
			}
			delete seen; keep = 0; rip = "?"
		}
		$0 == "--" { flush(); next }
		/^@/ { rip = substr($0, 2); seen[rip] = 1; next }
		{ seen[$0] = 1; if ($0 == "kernfs_fop_write_iter") keep = 1 }
		END {
			flush()
			if (!n) { print "profile: 0 samples of the write"; exit }
			printf "profile: %d samples of the write\n", n
			for (f in self) printf "self %5.1f%% %s\n", 100 * self[f] / n, f
			for (f in total) printf "total %5.1f%% %s\n", 100 * total[f] / n, f
		}' | sort -k1,1r -k2,2rn | awk '$1 != "profile:" && ++c[$1] > 25 { next } { print }' |
		while read -r line; do say "bench: $line"; done
	# where the writer slept, by samples
	sed -E 's/^\[<[0-9a-f]+>\] //; s/\+0x.*//' "$1.sleep" | sort | uniq -c |
		sort -rn | head -n 10 | while read -r c f; do say "bench: asleep $c $f"; done
}

# bench_tag I: the UUID of the mock's batch tag number I ("bench" and I in
# ten digits, as bytes), without a fork per tag.
bench_tag() {
	local d hex=62656e6368 i

	printf -v d '%010d' "$1"
	for ((i = 0; i < 10; i++)); do
		hex+=3${d:i:1}
	done
	hex+=00
	tag="${hex:0:8}-${hex:8:4}-${hex:12:4}-${hex:16:4}-${hex:20:12}"
}

# claim_all N: one new DAX device per tag of the batch, each claiming its
# tag's GROUP extents; their names in devs[].
claim_all() {
	local i seed

	devs=()
	for ((i = 0; i < $1 / GROUP; i++)); do
		read -r seed <"$dr/dax_region/seed" || seed=
		if [ -z "$seed" ] || [ "$(<"/sys/bus/dax/devices/$seed/size")" != 0 ]; then
			echo 1 >"$dr/dax_region/create" || return 1
			read -r seed <"$dr/dax_region/seed" || return 1
		fi
		bench_tag "$i"
		echo "$tag" >"/sys/bus/dax/devices/$seed/tag" || return 1
		devs+=("$seed")
	done
}

# destroy_all: every device claim_all made, emptied and deleted
destroy_all() {
	local d

	for d in "${devs[@]}"; do
		echo 0 >"/sys/bus/dax/devices/$d/size" || return 1
		echo "$d" >"$dr/dax_region/delete" 2>/dev/null || true
	done
}

# give_back N: the device asks for all N extents back in one record (or
# takes them, BENCH_GIVEBACK=forced); done when the host holds only the
# mock's own two.
give_back() {
	local knob=dc_del_extent i

	[ "$GIVEBACK" = forced ] && knob=dc_force_del_extent
	echo "$FIRST:$(($1 << 22))" >"$p/$knob" || return 1
	# a coarse poll: counting 100k sysfs entries is work of its own
	for ((i = 0; i < 1200; i++)); do
		[ "$(extent_count "$region")" != 2 ] || return 0
		sleep 0.5
	done
	return 1
}

GROUP=${BENCH_GROUP:-0}
GIVEBACK=${BENCH_GIVEBACK:-}
# the give-back stage's name: "release" is the region's teardown
case "$GIVEBACK" in
'') gb= ;;
release) gb=giveback ;;
forced) gb=forced ;;
*) fail "BENCH_GIVEBACK is release or forced, not '$GIVEBACK'" ;;
esac
REPEAT=${BENCH_REPEAT:-1}
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || fail "BENCH_REPEAT wants a number, not '$REPEAT'"
for n in "${sizes[@]}"; do
for ((rep = 1; rep <= REPEAT; rep++)); do
	[ "$REPEAT" = 1 ] || say "bench: N = $n, run $rep of $REPEAT"
	if [ "$GROUP" != 0 ] && [ $((n % GROUP)) != 0 ]; then
		fail "BENCH_N $n is not a multiple of BENCH_GROUP $GROUP"
	fi
	setup "$n"
	timed accept "$n" write "$p/dc_inject_batch" "$FIRST:0x200000:$n:0x400000:$GROUP"
	got=$(extent_count "$region")
	[ "$got" = $((n + 2)) ] || fail "accept $n: $got extents"
	if [ "$GROUP" != 0 ]; then
		timed claim "$n" claim_all "$n"
		[ "${#devs[@]}" = $((n / GROUP)) ] || fail "claim $n: ${#devs[@]} devices"
		timed destroy "$n" destroy_all
	else
		seed=$(cat "$dr/dax_region/seed")
		timed size "$n" write "/sys/bus/dax/devices/$seed/size" $(((n << 21) + (128 << 20)))
		ranges=$(compgen -G "/sys/bus/dax/devices/$seed/mapping*" | wc -l)
		[ "$ranges" = $((n + 2)) ] || fail "size $n: $ranges ranges"
		if [ "$n" -le "$SWEEP_MAX" ]; then
			timed bind "$n" bind_devdax "$seed"
			out=$(dcd-memcheck sweep "/dev/$seed" $((2 * n + 128))) || fail "sweep $n: $out"
			us=$(printf '%s\n' "$out" | sed -n 's/^sweep [0-9]* faults in \([0-9]*\) us.*/\1/p')
			[ -n "$us" ] || fail "sweep $n: unexpected output '$out'"
			keep "sweep.$n" "$us"
			say "bench: sweep $n: $((us / 1000)) ms ($((us * 1000 / (n + 64))) ns per fault, $((n + 64)) faults)"
			timed unbind "$n" write /sys/bus/dax/drivers/device_dax/unbind "$seed"
			echo "$seed" >/sys/bus/dax/drivers/device_dax/remove_id
		fi
		timed destroy "$n" write "/sys/bus/dax/devices/$seed/size" 0
	fi
	if [ -n "$GIVEBACK" ]; then
		timed "$gb" "$n" give_back "$n"
	fi
	timed release "$n" region_destroy "$region"
	region=
	cxl_test_unload
done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }'; }
for ((i = 1; i < ${#sizes[@]}; i++)); do
	a=${sizes[i - 1]} b=${sizes[i]}
	for name in accept claim size bind sweep unbind destroy $gb release; do
		if [ -z "${t[$name.$a]:-}" ] || [ -z "${t[$name.$b]:-}" ]; then
			continue
		fi
		say "bench: ratio $name $b/$a: $(ratio "${t[$name.$a]}" "${t[$name.$b]}") (linear: $(ratio "$a" "$b"), target <= $(ratio "$((5 * a))" "$((6 * b))"))"
	done
done
