#!/usr/bin/env bash
# Benchmark: how extent handling scales, on the cxl_test mock (TCG guest).
# For N = 1,000, 10,000 and 100,000 extents it prints the time to accept
# them (posted from inside the kernel by the mock, one request each), to
# size one DAX device across them, to bind device_dax to it (which maps
# each range), to fault each of its ranges in, to
# destroy the device and to give the extents back, with the cost per
# extent and the ratio of each figure between sizes (linear scaling
# gives 10; the target is <= 12). Figures, not a test: it fails only when
# the guest run itself fails or the kernel splats.
#
# Usage: scripts/bench-extents.sh [-h]
# Env:   LOGDIR, RUN_LIMIT (seconds, default 3600), BENCH_N (the sizes,
#        comma separated), BENCH_SWEEP_MAX (largest N to fault in; the
#        guest needs 16 MiB of struct pages per 1,000 extents),
#        NODE_MEM_MB (guest memory per node, default 6144),
#        BENCH_PROFILE (a stage: accept, size, bind, destroy or release;
#        samples the kernel stack of its writer and prints the commonest
#        frames), BENCH_GROUP (G: tagged extents, G a tag, claimed by one
#        device each, instead of one untagged device), BENCH_GIVEBACK
#        (release or forced: the device asks for, or takes, all N back in
#        one record, timed until the host holds none), BENCH_KERNEL
#        (release, the default: a kernel of its own in build/obj-bench,
#        the guest's config without the test kernel's lockdep, KASAN,
#        kmemleak and list debugging, see config/bench/release.cfg;
#        test: the test kernel of build/obj), BENCH_REPEAT (runs of each
#        N, default 3 on the release kernel and 1 on the test kernel; the
#        least time of each figure makes the ratios)
# Exit:  0 figures printed, 1 the guest run failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nTime extent handling at 1k, 10k and 100k extents.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
[[ ${BENCH_GROUP:-0} =~ ^[0-9]+$ ]] || die "BENCH_GROUP wants a number"
[[ ${BENCH_REPEAT:-1} =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPEAT wants a number"
case "${BENCH_GIVEBACK:-}" in '' | release | forced) ;; *) die "BENCH_GIVEBACK is release or forced" ;; esac

: "${RUN_LIMIT:=3600}"
# sizes: numbers, ascending (the ratios compare each with the one before)
prev=0
IFS=, read -r -a sizes <<<"${BENCH_N:-1000,10000,100000}"
for n in "${sizes[@]}"; do
	if ! [[ $n =~ ^[1-9][0-9]*$ ]] || [ "$n" -le "$prev" ]; then
		die "BENCH_N wants ascending numbers, comma separated"
	fi
	prev=$n
done
export NODE_MEM_MB=${NODE_MEM_MB:-6144}
case "${BENCH_KERNEL:=release}" in
test) : "${BENCH_REPEAT:=1}" ;;
release)
	: "${BENCH_REPEAT:=3}"
	# its own object directory, modules and initramfs: the test kernel's
	# stay as they are (run-qemu.sh builds what is stale)
	export KOBJ=$BUILD/obj-bench MODROOT=$BUILD/modroot-bench
	export INITRD=$BUILD/initramfs-bench.cpio.gz
	CONFIG_FRAGMENTS="$TOP/config/00-guest.cfg $TOP/config/10-cxl.cfg $TOP/config/20-cxl-test.cfg $TOP/config/bench/release.cfg" \
		"$TOP/scripts/config.sh" || die "the benchmark kernel's config failed"
	;;
*) die "BENCH_KERNEL is release or test" ;;
esac
msg "kernel: $BENCH_KERNEL ($KOBJ)"
GUEST_ENV="BENCH_N=${BENCH_N:-1000,10000,100000} BENCH_SWEEP_MAX=${BENCH_SWEEP_MAX:-100000} BENCH_PROFILE=${BENCH_PROFILE:-} BENCH_GROUP=${BENCH_GROUP:-0} BENCH_GIVEBACK=${BENCH_GIVEBACK:-} BENCH_REPEAT=$BENCH_REPEAT" \
	guest_job bench "the benchmark"
