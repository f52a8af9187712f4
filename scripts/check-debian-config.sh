#!/usr/bin/env bash
# The series under Debian's own kernel configuration: the amd64 config of
# the linux-config-6.12 package of the base's version (CXL core built in,
# the CXL and DAX drivers as modules, tracing, AER, FS_DAX, module
# versioning...), with only the signing keys and debug info a local build
# cannot have taken out. drivers/cxl and drivers/dax are compiled with W=1
# and with sparse (C=2) at the base and at the tip, each in an object
# directory of its own (the base's sources from a git worktree of $KSRC
# at tag base, build/linux-base); the tip may add no warning. Only what
# the series touches is compiled, plus what Kbuild prepares for it: the
# two directories, and the objects of the C files it changes elsewhere
# (mm/memremap.c).
#
# One result line "debian/config". The cxl_test modules need CXL_BUS as
# a module, which Debian builds in: they are compiled with the guest
# config (the series gates).
#
# Usage: scripts/check-debian-config.sh [-h]
# Env:   KSRC, RESULTS, JOBS, DEBIAN_CONFIG (default the package's
#        config.amd64_none_amd64.xz)
# Exit:  0 no new warning, 1 a new warning or a failed compile, 2 setup
#        error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nCompile drivers/cxl and drivers/dax with Debian'"'"'s config, base and tip.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${DEBIAN_CONFIG:=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz}"
: "${RESULTS:=$LOGDIR/results-debian-config.txt}"
need_cmd ccache gcc make sparse xz
need_file "$DEBIAN_CONFIG" "install linux-config-6.12 (make deps)"
git -C "$KSRC" rev-parse -q --verify base >/dev/null 2>&1 || die "$KSRC has no base tag: run 'make unpack'"
ver=$(dpkg-query -W -f='${Version}' linux-config-6.12 2>/dev/null || true)
[ -z "$ver" ] || [ "$ver" = "$(base_version)" ] ||
	die "linux-config-6.12 is $ver, the base is $(base_version): run 'make deps'"
mkdir -p "$LOGDIR"

t0=$(date +%s)
root=$BUILD/debconfig
src_base=$BUILD/linux-base
mkdir -p "$root"
if [ "$(git -C "$src_base" rev-parse HEAD 2>/dev/null)" != "$(git -C "$KSRC" rev-parse base)" ]; then
	rm -rf "$src_base"
	git -C "$KSRC" worktree prune
	git -C "$KSRC" worktree add -q --detach "$src_base" base
fi

# the objects of the built C files the series changes outside the two
# directories (and outside the mock)
mapfile -t extra < <(git -C "$KSRC" diff --name-only base HEAD -- '*.c' |
	grep -vE '^(drivers/(cxl|dax)|tools)/' | sed 's/\.c$/.o/' || true)

# normalize: "file: warning: text" without line numbers, as check-series.sh
normalize() {
	sed -E -n 's#^([^ :]*/)?((drivers|include|tools|arch|lib|mm|kernel)/[^ :]+):[0-9]+(:[0-9]+)?: (warning|error): #\2: \5: #p' | sort
}

# compile TAG SRC: Debian's config in $root/TAG, then drivers/cxl,
# drivers/dax and the other objects the series changes with W=1 and with
# sparse; normalized warnings in
# $root/TAG.w1 and $root/TAG.sparse.
compile() {
	local tag=$1 src=$2 obj=$root/$1 log=$root/$1.log

	mkdir -p "$obj"
	xz -dc "$DEBIAN_CONFIG" >"$obj/.config.debian"
	if ! cmp -s "$obj/.config.debian" "$obj/.config.in"; then
		cp "$obj/.config.debian" "$obj/.config.in"
		cp "$obj/.config.debian" "$obj/.config"
		# what a build outside Debian's cannot have: its keys, and
		# debug info (it changes no warning, it only costs time)
		"$src/scripts/config" --file "$obj/.config" \
			--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
			--set-str MODULE_SIG_KEY "certs/signing_key.pem" \
			--disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT --disable DEBUG_INFO_DWARF5 \
			--enable DEBUG_INFO_NONE --disable DEBUG_INFO_BTF
	fi
	KSRC=$src KOBJ=$obj kmake olddefconfig >"$log" 2>&1 || return 1
	rm -rf "$obj/drivers/cxl" "$obj/drivers/dax"
	(cd "$obj" && rm -f "${extra[@]}")
	KSRC=$src KOBJ=$obj kmake W=1 drivers/cxl/ drivers/dax/ "${extra[@]}" >"$root/$tag.w1.raw" 2>&1 ||
		{ cat "$root/$tag.w1.raw" >>"$log"; return 1; }
	KSRC=$src KOBJ=$obj kmake W=1 C=2 drivers/cxl/ drivers/dax/ "${extra[@]}" >"$root/$tag.sparse.raw" 2>&1 ||
		{ cat "$root/$tag.sparse.raw" >>"$log"; return 1; }
	normalize <"$root/$tag.w1.raw" >"$root/$tag.w1"
	normalize <"$root/$tag.sparse.raw" >"$root/$tag.sparse"
}

# new_lines OLD NEW: the lines of NEW beyond those in OLD (as multisets)
new_lines() {
	awk -v old="$1" 'BEGIN { while ((getline l < old) > 0) seen[l]++ }
		seen[$0] > 0 { seen[$0]--; next } { print }' "$2"
}

rc=0
for tag in base tip; do
	src=$KSRC
	[ "$tag" = tip ] || src=$src_base
	if ! compile "$tag" "$src"; then
		msg "FAIL: drivers/cxl or drivers/dax do not compile at the $tag with Debian's config (log: $root/$tag.log):"
		grep -E 'error|Error' "$root/$tag.log" | head -n 10 >&2 || tail -n 10 "$root/$tag.log" >&2
		rc=1
		break
	fi
done
if [ "$rc" = 0 ]; then
	for kind in w1 sparse; do
		added=$(new_lines "$root/base.$kind" "$root/tip.$kind")
		[ -z "$added" ] && continue
		msg "FAIL: the series adds $kind warnings under Debian's config:"
		printf '%s\n' "$added" | head -n 20 >&2
		rc=1
	done
fi
printf 'debian/config:%s\n' "$rc" >>"$RESULTS"
if [ "$rc" = 0 ]; then
	msg "Debian's config: drivers/cxl, drivers/dax${extra[*]:+ and ${extra[*]}} compile at base and tip, W=1 and sparse add no warning ($(wc -l <"$root/tip.w1") W=1 and $(wc -l <"$root/tip.sparse") sparse lines at the tip, as at the base; $(($(date +%s) - t0)) s)"
fi
exit "$rc"
