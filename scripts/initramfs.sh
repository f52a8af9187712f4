#!/usr/bin/env bash
# Pack the guest initramfs: busybox, bash, jq, kmod, cxl, daxctl and their
# libraries, the staged modules, the guest scripts (guest/), the tests
# (tests/cxl_test, tests/dcd) and tools/dcd-memcheck, built static.
#
# Usage: scripts/initramfs.sh [-h]
# Env:   MODROOT (default build/modroot), INITRD (default build/initramfs.cpio.gz),
#        TESTS_DIR (default tests/: the lib.sh and <profile>/ tests to pack)
# Exit:  0 written, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nPack the guest initramfs.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${MODROOT:=$BUILD/modroot}"
: "${INITRD:=$BUILD/initramfs.cpio.gz}"
: "${TESTS_DIR:=$TOP/tests}"
BINS=(bash jq kmod cxl daxctl ndctl stty)
need_cmd cpio gzip ldd gcc "${BINS[@]}"
need_file /bin/busybox "install busybox-static: run 'make deps'"
need_file "$MODROOT/lib/modules" "run 'make build' first"
file /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
	msg "warning: /bin/busybox is not static (install busybox-static)"

root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
# every host file copied in, hashed (make check's guest stages key on it)
manifest=$(mktemp)
trap 'rm -rf "$root" "$manifest"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,root,var/log}
mkdir -p "$root"/etc/modprobe.d "$root"/etc/depmod.d
cp /bin/busybox "$root/bin/busybox"
sha256sum /bin/busybox >>"$manifest"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# copy_with_libs FILE: copy FILE and the shared libraries it needs.
copy_with_libs() {
	local f=$1 lib

	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
	sha256sum "$f" >>"$manifest"
	for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
		sha256sum "$lib" >>"$manifest"
	done
}

for b in "${BINS[@]}"; do
	p=$(command -v "$b")
	rm -f "$root$p" "$root/bin/$b"
	copy_with_libs "$p"
	# Scripts say /bin/bash; Debian's merged /usr has them in /usr/bin.
	[ -e "$root/bin/$b" ] || ln -s "$p" "$root/bin/$b"
done
# kmod provides the module tools; busybox's would not read the indexes the
# same way.
for t in modprobe insmod rmmod lsmod depmod modinfo; do
	rm -f "$root/sbin/$t" "$root/bin/$t"
	ln -s "$(command -v kmod)" "$root/sbin/$t"
done
# daxctl and cxl load the helper libraries they link; the libraries they
# dlopen are none, but libkmod reads its configuration from /etc.
: >"$root/etc/modprobe.d/empty.conf"
printf 'search updates built-in\n' >"$root/etc/depmod.d/00-updates-first.conf"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

cp -a "$MODROOT/lib/modules" "$root/lib/"
# The guest's own tools (tools/*.c, built static): the data check of
# memory a DCD device added, and a raw mailbox command sender.
for c in "$TOP"/tools/*.c; do
	gcc -O2 -Wall -static -o "$root/usr/bin/$(basename "$c" .c)" "$c" ||
		fail "could not build tools/${c##*/}"
done
cp -a "$TOP/guest/." "$root/"
mkdir -p "$root/tests"
cp -a "$TOP/tests/lib.sh" "$root/tests/"
for d in "$TESTS_DIR"/*/; do
	d=${d%/}
	[ "${d##*/}" != gates ] || continue
	cp -a "$d" "$root/tests/"
done
chmod +x "$root/init"

tmp=$(mktemp "$BUILD/initramfs.cpio.gz.XXXXXX")
(cd "$root" || exit 2; find . -print0 | sort -z | cpio --null -o -H newc --quiet --reproducible) |
	gzip -1 >"$tmp"
sort -u "$manifest" >"$INITRD.host-files"
mv "$tmp" "$INITRD"
msg "wrote $INITRD ($(du -h "$INITRD" | cut -f1))"
