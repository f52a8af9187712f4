#!/usr/bin/env bash
# Boot the guest kernel under QEMU (always TCG) with one machine profile and
# capture its serial console to a log file.
#
# Profiles:
#   cxl_test  no emulated CXL hardware; the guest uses the cxl_test mocks
#   dcd       q35 with cxl=on, a pxb-cxl host bridge, a root port and one
#             cxl-type3 device with static RAM and two DC regions, a CFMW
#             window over it, a QMP socket and a host agent (qmp-agent.py)
#             that relays the guest's QMP requests
#
# Usage: scripts/run-qemu.sh [-h] [-p PROFILE] [-r test|demo|bench|fuzz|shell] [-t GLOBS]
#                            [-o LOG] [-T SECONDS] [-v]
# Env:   KOBJ, INITRD, QEMU (default qemu-system-x86_64), GUEST_MEM,
#        GUEST_ENV (NAME=VALUE words exported in the guest)
#        FRESH=0 (do not rebuild a stale kernel or initramfs first),
#        KMEMLEAK_SCAN (run: one leak scan after the last test, the
#        default; test: one after each test too)
# Exit:  0 the guest powered off by itself, 1 it was killed after the time
#        limit (a hang), 2 setup error or QEMU failed.
#
# QEMU runs in a process group of its own; INT, TERM, a time limit and any
# exit of this script end that whole group (TERM first, KILL 10 s later)
# and the QMP agent, so no QEMU outlives its runner.
# shellcheck disable=SC2054 # QEMU and kernel options separate fields with commas
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<USAGE
Usage: ${0##*/} [-h] [-p cxl_test|dcd] [-r test|demo|bench|fuzz|shell] [-t GLOBS] [-o LOG] [-T SECONDS] [-v]
Boot the guest under QEMU TCG. -v echoes the console while it runs.
USAGE
}

profile=cxl_test run=test tests="*" log="" limit=1800 verbose=0
while getopts hp:r:t:o:T:v opt; do
	case "$opt" in
	h) usage; exit 0 ;;
	p) profile=$OPTARG ;;
	r) run=$OPTARG ;;
	t) tests=$OPTARG ;;
	o) log=$OPTARG ;;
	T) limit=$OPTARG ;;
	v) verbose=1 ;;
	*) usage >&2; exit 2 ;;
	esac
done

: "${QEMU:=qemu-system-x86_64}"
: "${INITRD:=$BUILD/initramfs.cpio.gz}"
# Guest memory per NUMA node, in MiB: cxl_test places its mock memdevs on
# nodes 0 and 1, so every profile gets two nodes. The cxl_test tests need
# little, and the kmemleak scan after each test walks every page: with
# 1 GiB a node there each scan is seconds shorter (7 s with 1.5 GiB).
if [ "$profile" = cxl_test ] && [ "$run" = test ]; then
	: "${NODE_MEM_MB:=1024}"
fi
: "${NODE_MEM_MB:=1536}"
: "${TEST_TIMEOUT:=1200}"
# When the guest scans for leaks: once after the last test (run), or also
# after each test (test), to name the test that leaks (guest/init).
: "${KMEMLEAK_SCAN:=run}"
need_cmd "$QEMU" timeout python3 setsid
# A guest never boots last build's kernel, modules or tests.
[ "${FRESH:-1}" = 0 ] || "$TOP/scripts/fresh.sh" || die "could not rebuild the guest kernel or initramfs"
need_file "$KOBJ/arch/x86/boot/bzImage" "run 'make build' first"
need_file "$INITRD" "run 'make initramfs' first"
case "$profile" in cxl_test | dcd) ;; *) die "unknown profile '$profile'" ;; esac
case "$run" in test | demo | bench | fuzz | shell) ;; *) die "unknown run mode '$run'" ;; esac
[[ $limit =~ ^[0-9]+$ ]] || die "-T wants seconds"
case "$KMEMLEAK_SCAN" in run | test) ;; *) die "KMEMLEAK_SCAN wants run or test" ;; esac
mkdir -p "$LOGDIR"
[ -n "$log" ] || log=$LOGDIR/$profile-$run-$(date +%Y%m%d-%H%M%S).log

rundir=$(mktemp -d /tmp/dcd-qemu.XXXXXX)
agent_pid="" qemu_pid="" tail_pid=""
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local _

	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill -TERM -- "-$qemu_pid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			# (an exited but unreaped child still answers kill -0)
			grep -qs '^State:.*[^Z] (' "/proc/$qemu_pid/status" || break
			sleep 1
		done
		kill -KILL -- "-$qemu_pid" 2>/dev/null || true
	fi
	[ -z "$agent_pid" ] || kill "$agent_pid" 2>/dev/null || true
	[ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
	rm -rf "$rundir"
}
trap cleanup EXIT
trap 'msg "interrupted: stopping QEMU"; exit 130' INT
trap 'msg "terminated: stopping QEMU"; exit 143' TERM

# rcupdate.rcu_expedited: every synchronize_rcu() is an expedited grace
# period. Loading and unloading the CXL and DAX modules, which every
# cxl_test test does, waits for many grace periods, and a normal one takes
# several ticks of a TCG guest: the tests run about 13% faster (four
# cxl_test tests: 74 s against 85 s). What the tests check does not depend
# on how long a grace period takes.
cmdline=(console=ttyS0,115200 panic=-1 printk.devkmsg=on log_buf_len=4M
	rcupdate.rcu_expedited=1
	"dcd.profile=$profile" "dcd.run=$run" "dcd.tests=$tests"
	"dcd.timeout=$TEST_TIMEOUT" "dcd.kmemleak=$KMEMLEAK_SCAN")
# GUEST_ENV: NAME=VALUE words exported to the guest's tests (no spaces in
# a VALUE: use commas).
for kv in ${GUEST_ENV:-}; do
	[[ $kv =~ ^[A-Z_][A-Z0-9_]*=[^[:space:]]*$ ]] || die "GUEST_ENV: bad word '$kv'"
	cmdline+=("dcd.env.$kv")
done

[[ $NODE_MEM_MB =~ ^[0-9]+$ ]] || die "NODE_MEM_MB wants MiB"
qemu=("$QEMU" -nographic -no-reboot -cpu max -smp 2,sockets=2,cores=1,threads=1
	-kernel "$KOBJ/arch/x86/boot/bzImage" -initrd "$INITRD"
	-append "${cmdline[*]}"
	-object "memory-backend-ram,id=node0,size=${NODE_MEM_MB}M"
	-object "memory-backend-ram,id=node1,size=${NODE_MEM_MB}M"
	-numa node,nodeid=0,cpus=0,memdev=node0
	-numa node,nodeid=1,cpus=1,memdev=node1)
mem="$((2 * NODE_MEM_MB))M"

if [ "$run" = shell ]; then
	qemu+=(-serial mon:stdio)
else
	qemu+=(-chardev "file,id=con,path=$log" -serial chardev:con -monitor none)
fi

case "$profile" in
cxl_test)
	qemu+=(-machine q35,accel=tcg -m "$mem")
	;;
dcd)
	qemu_has_dcd "$QEMU" || die "$QEMU has no DCD emulation (needs QEMU 9.1+)"
	qemu+=(-machine q35,cxl=on,accel=tcg -m "$mem,maxmem=8G,slots=4"
		-object memory-backend-ram,id=vmem0,size=256M
		-object memory-backend-ram,id=dcmem0,size=2G
		-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
		-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2
		-device cxl-type3,bus=rp0,volatile-memdev=vmem0,volatile-dc-memdev=dcmem0,num-dc-regions=2,id=cxl-dcd0,sn=99
		-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G
		-qmp "unix:$rundir/qmp.sock,server=on,wait=off"
		-chardev "socket,id=hostch,path=$rundir/agent.sock,server=on,wait=off"
		-serial chardev:hostch)
	;;
esac

msg "booting profile $profile ($run), console log $log"
qemu_rc=0
if [ "$run" = shell ]; then
	"${qemu[@]}" || qemu_rc=$?
	exit 0
fi

: >"$log"
: >"$log.qmp"
# setsid: QEMU (under timeout) leads a process group the traps can end.
setsid timeout -k 10 -s TERM "$limit" "${qemu[@]}" </dev/null >"$rundir/qemu.out" 2>&1 &
qemu_pid=$!
if [ "$profile" = dcd ]; then
	python3 "$TOP/scripts/qmp-agent.py" --qmp "$rundir/qmp.sock" \
		--guest "$rundir/agent.sock" --log "$log.qmp" &
	agent_pid=$!
fi
if [ "$verbose" = 1 ]; then
	tail -n +1 -f "$log" --pid "$qemu_pid" >&2 &
	tail_pid=$!
fi
wait "$qemu_pid" || qemu_rc=$?
qemu_pid=""
[ -z "$tail_pid" ] || wait "$tail_pid" 2>/dev/null || true
if [ -s "$rundir/qemu.out" ]; then
	sed 's/^/qemu: /' "$rundir/qemu.out" >&2
fi
case "$qemu_rc" in
0) exit 0 ;;
124 | 137)
	msg "guest did not finish within ${limit}s: killed (log kept: $log)"
	exit 1
	;;
*) die "QEMU exited with $qemu_rc (log: $log)" ;;
esac
