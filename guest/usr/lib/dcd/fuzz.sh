#!/bin/bash
# The guest half of scripts/fuzz-dcd.sh, and of the cxl_test test that runs
# a short fixed-seed sequence: drive the cxl_test mock with a random
# sequence of Dynamic Capacity records (valid, malformed, misaligned,
# overlapping, duplicated, chains cut short, releases of held and unheld
# DPA, forced releases, configuration updates, log overflows, failed
# responses) interleaved with DAX device creation and destruction, and
# check the protocol's invariants after every step:
#   - host and device agree: the extents the host holds in the region,
#     except those the device took by force while in use, are the ones the
#     device lists for it there;
#   - memory in use is never given back: every DAX device range lies in
#     extents the host holds;
#   - every request is answered: at most one (a chain still open) waits;
#   - a destroyed region's capacity went back: the device lists nothing
#     in its DPA;
#   - no kernel splat (checked every 10 steps and at the end).
# Region operations (driver rebind, destroy and create) come now and then.
# Env: FUZZ_SEED (default: from the clock), FUZZ_STEPS (default 200) or
#      FUZZ_SECONDS (run until then; overrides FUZZ_STEPS).
# Prints "fuzz: seed S: N steps, R records, D DAX operations in T s" and,
# on a failed invariant, "fuzz: FAIL seed S step N: ..." and exits 1.
. /tests/lib.sh
trap 'echo 0 >"${p:-/nonexistent}/dc_hold_log" 2>/dev/null || true
	for d in $(dax_devs); do daxctl disable-device "$d" >/dev/null 2>&1 || true
		daxctl destroy-device "$d" >/dev/null 2>&1 || true; done
	region_destroy "${region:-none}" >/dev/null 2>&1 || true; cxl_test_unload' EXIT

seed=${FUZZ_SEED:-$(date +%s)}
steps=${FUZZ_STEPS:-200}
secs=${FUZZ_SECONDS:-0}
RANDOM=$seed
BASE=0x80000000 SIZE=$((256 << 20)) BLK=$((2 << 20))
records=0 daxops=0 step=0 peak=0 regionops=0

# rnd N: R is a random number in [0, N) (in this shell: a command
# substitution would not advance the sequence).
rnd() { R=$((RANDOM % $1)); }

# dax_devs: the DAX devices of the region, but its seed (size 0).
dax_devs() {
	local d size

	for d in /sys/bus/dax/devices/dax"${id:-x}".*; do
		[ -e "$d" ] || continue
		read -r size <"$d/size"
		[ "$size" != 0 ] || continue
		printf '%s\n' "${d##*/}"
	done
}

bad() {
	say "fuzz: FAIL seed $seed step $step: $*" >&2
	exit 1
}

inject() { echo "$1" >"$p/dc_inject_extent"; records=$((records + 1)); }
record() { echo "$1" >"$p/dc_inject_record"; records=$((records + 1)); }

# A random extent: DPA in the region (now and then just past it), 1 to 3
# blocks long.
pick() {
	rnd 40
	if [ "$R" = 0 ]; then
		dpa=$((BASE + SIZE))
	else
		rnd $((SIZE / BLK))
		dpa=$((BASE + R * BLK))
	fi
	rnd 3
	len=$(((R + 1) * BLK))
}

offer_request() {
	local n i more tag=$1 cut

	rnd 3
	n=$((R + 1))
	rnd 10
	cut=$R
	for ((i = 0; i < n; i++)); do
		pick
		more=1
		[ "$i" -lt $((n - 1)) ] || [ "$cut" = 0 ] || more=0
		inject "$(printf '%#x:%#x:%s:%d' "$dpa" "$len" "$tag" "$more")"
	done
}

malformed() {
	pick
	rnd 7
	case $R in
	0) record "$(printf '0:0:%#x:%#x:0:128' $((dpa + 0x1000)) "$len")" ;;
	1) record "$(printf '0:0:%#x:0:0:128' "$dpa")" ;;
	2) record "0:0:0x200000000:0x200000:0:128" ;;
	3) record "$(printf '0:0:%#x:0xffffffffffe00000:0:128' "$dpa")" ;;
	4) record "$(printf '0:0:%#x:%#x:0:112' "$dpa" "$len")" ;;
	5) record "$(printf '9:0:%#x:%#x:0:128' "$dpa" "$len")" ;;
	6) record "3:9:0:0:0:128" ;;
	esac
}

dax_create_one() {
	rnd 4
	daxops=$((daxops + 1))
	dax_create "$id" -s $(((R + 1) * BLK)) >/dev/null || true
}

dax_destroy_one() {
	local devs

	mapfile -t devs < <(dax_devs)
	[ "${#devs[@]}" -gt 0 ] || return 0
	rnd "${#devs[@]}"
	daxops=$((daxops + 1))
	daxctl disable-device "${devs[R]}" >/dev/null 2>&1 || true
	daxctl destroy-device "${devs[R]}" >/dev/null 2>&1 || true
}

overflow() {
	local i

	echo 1 >"$p/dc_hold_log"
	for ((i = 0; i < 20; i++)); do
		pick
		inject "$(printf '%#x:%#x::0' "$dpa" "$len")"
	done
	echo 0 >"$p/dc_hold_log"
}

# The host's extents in the region as "dpa:length:state" lines (read
# with builtins: a fork per attribute is slow in a TCG guest).
host_view() {
	local e off len state

	for e in "$dr"/extent*; do
		# an extent may go while it is read
		{ read -r off <"$e/offset" && read -r len <"$e/length" &&
			read -r state <"$e/state"; } 2>/dev/null || continue
		printf '%#x:%s:%s\n' $((BASE + off)) "$len" "$state"
	done
}

# views_agree: host and device views of the region (extents the device took by
# force while in use left out); sets hv to the host's view.
views_agree() {
	local host dev forced=() f line

	mapfile -t hv < <(host_view)
	host=$(for line in "${hv[@]}"; do
		[ "${line##*:}" != forced ] || continue
		printf '%s\n' "${line%:*}"
	done | sort)
	for line in "${hv[@]}"; do
		[ "${line##*:}" = forced ] && forced+=("${line%:*}")
	done
	dev=$(device_extents "$plat" | while IFS=: read -r xd xl _; do
		((xd >= BASE && xd < BASE + SIZE)) || continue
		skip=0
		for f in "${forced[@]}"; do
			((xd < ${f%%:*} + ${f#*:} && xd + xl > ${f%%:*})) && skip=1
		done
		[ "$skip" = 1 ] || printf '%s:%s\n' "$xd" "$xl"
	done | sort)
	[ "$host" = "$dev" ] && return 0
	why="host [$(tr '\n' ' ' <<<"$host")] device [$(tr '\n' ' ' <<<"$dev")]"
	return 1
}

check() {
	local s l f line d r lo hi covered hv why pending n=0

	# a release may still be on its way (the release work runs apart)
	until views_agree; do
		n=$((n + 1))
		[ "$n" -lt 50 ] || bad "host and device disagree: $why"
		sleep 0.1
	done
	[ "${#hv[@]}" -le "$peak" ] || peak=${#hv[@]}
	read -r pending <"$p/dc_pending"
	[ "$pending" -le 1 ] || bad "$pending requests wait for an answer"

	# every DAX range lies in extents the host holds
	for d in $(dax_devs); do
		for r in $(dax_ranges "$region" "$d"); do
			lo=$((${r%-*})) hi=$((${r#*-}))
			while [ "$lo" -le "$hi" ]; do
				covered=0
				for line in "${hv[@]}"; do
					s=$((${line%%:*} - BASE)) f=${line#*:}
					l=$((${f%%:*}))
					if ((lo >= s && lo < s + l)); then
						lo=$((s + l)) covered=1
						break
					fi
				done
				[ "$covered" = 1 ] || bad "$d range $r: offset $(printf '%#x' "$lo") is in no extent the host holds"
			done
		done
	done
}

# splat_check: no splat since the mark; then a new mark, so that the
# mark never scrolls out of the kernel log.
splat_check() {
	dmesg | grep -q "$mark" || bad "the kernel log mark scrolled away"
	! klog_since "$mark" | grep -aEf /usr/lib/dcd/splat.ere >/dev/null ||
		bad "kernel splat: $(klog_since "$mark" | grep -aEf /usr/lib/dcd/splat.ere | head -n 1)"
	mark=$(klog_mark)
}

# region_op: unbind and bind the region driver (the extents stay), or
# destroy the region (its capacity goes back) and make it again.
region_op() {
	local d left

	regionops=$((regionops + 1))
	rnd 2
	if [ "$R" = 0 ]; then
		region_unbind "$region"
		region_bind "$region"
		return 0
	fi
	for d in $(dax_devs); do
		daxctl disable-device "$d" >/dev/null 2>&1 || true
		daxctl destroy-device "$d" >/dev/null 2>&1 || true
	done
	region_destroy "$region"
	left=$(device_extents "$plat" | while IFS=: read -r xd _; do
		if ((xd >= BASE && xd < BASE + SIZE)); then printf '%s ' "$xd"; fi
	done)
	[ -z "$left" ] || bad "the device still lists $left for the destroyed region"
	region=$(region_create "$root" dc0 "$SIZE" "$memdev")
	id=${region#region}
	dr=$CXL/$region/dax_$region
}

mock_dc_region 256
mark=$(klog_mark)
say "fuzz: seed $seed"
start=$SECONDS
while :; do
	if [ "$secs" -gt 0 ]; then
		[ $((SECONDS - start)) -lt "$secs" ] || break
	else
		[ "$step" -lt "$steps" ] || break
	fi
	step=$((step + 1))
	rnd 100
	case $R in
	[0-9] | [12][0-9]) offer_request "" ;;
	3[0-7]) malformed ;;
	3[89] | 4[0-9] | 50)
		pick
		printf '%#x:%#x\n' "$dpa" "$len" >"$p/dc_del_extent"
		records=$((records + 1))
		;;
	5[1-5])
		pick
		printf '%#x:%#x\n' "$dpa" "$len" >"$p/dc_force_del_extent"
		records=$((records + 1))
		;;
	5[6-9] | 6[0-9] | 70) dax_create_one ;;
	7[1-9] | 80) dax_destroy_one ;;
	8[1-4]) record "3:0:0:0:0:128" ;;
	8[5-7]) overflow ;;
	88) region_op ;;
	89 | 9[0-2])
		echo 1 >"$p/dc_fail_response"
		pick
		inject "$(printf '%#x:%#x::0' "$dpa" "$len")"
		echo 0 >"$p/dc_fail_response"
		;;
	*)
		rnd 2
		offer_request "t$R"
		;;
	esac
	check
	[ $((step % 10)) != 0 ] || splat_check
done
splat_check
say "fuzz: seed $seed (bash $BASH_VERSION): $step steps, $records records, $daxops DAX and $regionops region operations, at most $peak extents held, in $((SECONDS - start)) s"
