#!/usr/bin/env bash
# Static gates on the patch series, patch by patch:
#   series/apply       every patch applies on the base, in order
#   series/checkpatch  checkpatch.pl --strict is clean on every patch
#   series/build       after every patch the kernel modules and cxl_test build
#   series/w1          W=1 adds no compiler warning (drivers/cxl, drivers/dax,
#                      tools/testing/cxl) compared with the base
#   series/sparse      sparse (C=2) adds no warning in the same directories
#   series/kernel-doc  kernel-doc -none adds no warning on the .c/.h files a
#                      patch touches or adds, compared with the previous patch
#
# The walk happens in $KSRC itself (base, then one patch at a time, in the
# same object directory, so each step is an incremental build), and the
# tree's branch is restored afterwards. It refuses to start on a tree whose
# work is not exported (see apply.sh).
#
# Usage: scripts/check-series.sh [-h]
# Env:   SERIES, KSRC, KOBJ, GATES (default all of the above),
#        RESULTS (file to append "NAME:RC" lines to), KEEP_WORK=1 keeps the
#        per-step build logs
# Exit:  0 every gate passed, 1 a gate failed, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nRun the static gates on every patch of %s.\n' "${0##*/}" "$SERIES"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

: "${GATES:=apply,checkpatch,build,w1,sparse,kernel-doc}"
: "${RESULTS:=$LOGDIR/results-gates.txt}"
need_cmd git sparse perl
need_file "$KOBJ/.config" "run 'make config' first"
git -C "$KSRC" rev-parse -q --verify base >/dev/null 2>&1 || die "$KSRC has no base tag: run 'make unpack'"
git -C "$KSRC" diff --quiet HEAD -- || die "uncommitted edits in $KSRC: commit and 'make export' them first"
mkdir -p "$LOGDIR"
: >"$RESULTS"

mapfile -t patches < <(find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
gate_on() { [[ ",$GATES," == *",$1,"* ]]; }

work=$(mktemp -d)
orig=$(git -C "$KSRC" symbolic-ref -q --short HEAD || git -C "$KSRC" rev-parse HEAD)
# Building an earlier patch drops config options that only later patches
# define (kconfig forgets unknown symbols): keep the full guest config, and
# start every step from it, so an option is built from the patch that
# adds it on (a KUnit suite is compiled, W=1'd and sparse-checked at every
# patch from the one that adds it).
cp "$KOBJ/.config" "$work/config"
# shellcheck disable=SC2317 # called from the EXIT trap
restore() {
	git -C "$KSRC" am --abort >/dev/null 2>&1 || true
	git -C "$KSRC" checkout -q -f "$orig" 2>/dev/null || msg "warning: could not restore $KSRC to $orig"
	cp "$work/config" "$KOBJ/.config"
	# The walk rebuilt $KOBJ at other commits: the next boot rebuilds
	# the kernel first (scripts/fresh.sh).
	rm -f "${MODROOT:-$BUILD/modroot}/.built"
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		msg "build logs kept in $work"
	else
		rm -rf "$work"
	fi
}
trap restore EXIT

declare -A bad=()
note_fail() { # GATE WHAT
	bad[$1]="${bad[$1]:-} $2"
}

# normalize: "file: warning: text", without directories before the tree's
# top-level directories and without line and column numbers, so the same
# warning matches across patches that move lines.
normalize() {
	sed -E -n 's#^([^ :]*/)?((drivers|include|tools|arch|lib|mm|kernel)/[^ :]+):[0-9]+(:[0-9]+)?: (warning|error|note): #\2: \5: #p' |
		grep -v ': note: ' | sort
}

# new_lines OLD NEW: the lines of NEW beyond those in OLD (as multisets).
new_lines() {
	# (OLD is read in BEGIN: with NR == FNR an empty OLD would swallow NEW.)
	awk -v old="$1" 'BEGIN { while ((getline l < old) > 0) seen[l]++ }
		seen[$0] > 0 { seen[$0]--; next } { print }' "$2"
}

# build_step TAG FULL KCONF [TREE [WALK]]: build at the current commit;
# W=1 warnings go to $work/TAG.w1, sparse ones to $work/TAG.sparse.
# FULL=1 also links vmlinux (built-in code changed: the link, and the
# exports modpost checks the modules against, are what the build gate
# needs; bzImage would only add compressing it); KCONF=1 refreshes the
# config (a Kconfig file changed); TREE=0 skips the kernel's modules (the
# patch changes nothing they are built from: only the mock, or only
# documentation), TREE=1 (the default) builds them. WALK=1 (the default)
# builds them with "make modules", which walks the whole tree and leaves
# the list of modules the config builds in $work/modules; WALK=0 builds
# that list's modules by name, which visits only their directories (a
# step whose Makefiles and Kconfig files did not change builds the same
# modules as the step before).
#
# One pass compiles and checks: every module is built with W=1 and C=1
# (sparse on each file compiled; each only when its gate is selected: a
# gate proof of the build gate alone compiles without them), so kbuild
# recompiles, and so reports,
# exactly the files a patch changed or whose headers it changed. A file
# that is not recompiled prints nothing, which never counts as an added
# warning; its warnings were counted at the step that last changed it.
# gcc's warnings end in their option ([-Wname]), sparse's do not. Only
# the module objects take W=1 (this config has no MODVERSIONS: "modules"
# builds no built-in object), so vmlinux keeps its usual flags; the
# built-in dax core gets its own W=1 pass on the patches that touch it.
# The base's warnings are the baseline: there every file is compiled.
build_step() {
	local tag=$1 full=$2 kconf=$3 tree=${4:-1} walk=${5:-1} log=$work/$1.log raw=$work/$1.raw targets
	local tm=$KSRC/tools/testing/cxl checks=()

	gate_on w1 && checks+=(W=1)
	gate_on sparse && checks+=(C=1)

	: >"$log"
	: >"$raw"
	if [ "$kconf" = 1 ]; then
		cp "$work/config" "$KOBJ/.config"
		kmake olddefconfig >>"$log" 2>&1 || return 1
	fi
	if [ "$tag" = base ]; then
		rm -rf "$KOBJ/drivers/cxl" "$KOBJ/drivers/dax"
		kmake M="$tm" clean >/dev/null 2>&1 || true
	fi
	if [ "$full" = 1 ]; then
		kmake vmlinux >>"$log" 2>&1 || return 1
	fi
	# (with vmlinux, the built-in dax core gets its W=1 and sparse pass
	# in the same make as the modules; a single-target make (by name)
	# cannot be mixed with "modules", so such a step walks)
	[ -s "$work/modules" ] || walk=1
	[ "$full" = 0 ] || walk=1
	if [ "$tree" = 1 ] && [ "$walk" = 1 ]; then
		targets=(modules)
		[ "$full" = 0 ] || targets+=(drivers/dax/)
		kmake "${checks[@]}" "${targets[@]}" >>"$raw" 2>&1 || { cat "$raw" >>"$log"; return 1; }
		sed 's/\.o$/.ko/' "$KOBJ/modules.order" >"$work/modules"
	elif [ "$tree" = 1 ]; then
		mapfile -t targets <"$work/modules"
		kmake "${checks[@]}" "${targets[@]}" >>"$raw" 2>&1 || { cat "$raw" >>"$log"; return 1; }
	fi
	# (sparse on the mock's own files: the drivers/cxl files it compiles
	# again were checked above)
	kmake M="$tm" "${checks[@]}" CHECK="$TOP/scripts/sparse-own.sh" modules >>"$raw" 2>&1 ||
		{ cat "$raw" >>"$log"; return 1; }
	normalize <"$raw" >"$work/$tag.all"
	grep -E '\[-W[^]]*\]$' "$work/$tag.all" >"$work/$tag.w1" || true
	grep -vE '\[-W[^]]*\]$' "$work/$tag.all" >"$work/$tag.sparse" || true
}

# kdoc ROOT FILE...: kernel-doc warnings on the FILEs (paths relative to
# ROOT), normalized; a FILE missing under ROOT has none.
kdoc() {
	local root=$1 f
	shift

	for f in "$@"; do
		[ -f "$root/$f" ] || continue
		(cd "$root" && perl "$KSRC/scripts/kernel-doc" -none -Wall "$f" 2>&1) |
			sed -E "s#^(warning|error|[^ :]*: warning): ##; s#^$f:[0-9]+: ##; s#^#$f: #" || true
	done | sort
}

# prev_versions DIR FILE...: the FILEs as the previous commit has them,
# under DIR; a file the patch adds is absent there.
prev_versions() {
	local dir=$1 f
	shift

	rm -rf "$dir"
	for f in "$@"; do
		git -C "$KSRC" cat-file -e "HEAD~1:$f" 2>/dev/null || continue
		mkdir -p "$dir/$(dirname "$f")"
		git -C "$KSRC" show "HEAD~1:$f" >"$dir/$f"
	done
}

git -C "$KSRC" checkout -q -f --detach base
need_build=0
for g in build w1 sparse; do gate_on "$g" && need_build=1; done

# The base is built for the warnings' baseline. The build gate alone
# does not need it: each patch's step compiles what differs from the
# tree the object directory was last built from, which includes the
# patch (a gate proof selects only the gates it proves).
if gate_on w1 || gate_on sparse; then
	msg "base: building the reference (warnings baseline)"
	if ! build_step base 1 1; then
		tail -n 30 "$work/base.log" >&2
		die "the base does not build: fix the config or the toolchain"
	fi
fi

applied=0
for p in "${patches[@]}"; do
	name=${p##*/}
	num=${name%%-*}
	if ! git -C "$KSRC" am -q --whitespace=nowarn "$p" >"$work/am.log" 2>&1; then
		sed 's/^/  /' "$work/am.log" >&2
		note_fail apply "$name"
		msg "$name does not apply: later patches are not checked"
		break
	fi
	applied=$((applied + 1))
	files=$(git -C "$KSRC" diff --name-only HEAD~1 HEAD)

	if gate_on checkpatch; then
		# Debian's python3 (with python3-ply) for checkpatch's SPDX check,
		# ahead of any other python3 on PATH
		out=$(cd "$KSRC" || exit 2; PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse --show-types --no-summary "$p" 2>&1 |
			grep -E '(ERROR|WARNING|CHECK):|^Traceback' | grep -v ':FILE_PATH_CHANGES:' || true)
		if [ -n "$out" ]; then
			printf '%s\n' "$out" | sed "s/^/  $num: /" >&2
			note_fail checkpatch "$name"
		fi
	fi

	if gate_on kernel-doc; then
		mapfile -t docs < <(grep -E '\.[ch]$' <<<"$files" || true)
		if [ "${#docs[@]}" -gt 0 ]; then
			kdoc "$KSRC" "${docs[@]}" >"$work/kdoc.new"
			prev_versions "$work/prev" "${docs[@]}"
			kdoc "$work/prev" "${docs[@]}" >"$work/kdoc.old"
			added=$(new_lines "$work/kdoc.old" "$work/kdoc.new")
			if [ -n "$added" ]; then
				printf '%s\n' "$added" | sed "s/^/  $num: kernel-doc: /" >&2
				note_fail kernel-doc "$name"
			fi
		fi
	fi

	if [ "$need_build" = 1 ]; then
		# Only a patch confined to modular code can skip vmlinux. The dax
		# core (bus.c, super.c) is built in (FS_DAX selects DAX=y): a
		# symbol it starts exporting must reach vmlinux's Module.symvers.
		# A Kconfig change (an option may select built-in code) or the
		# dax Makefile (the dax core is built in) reach vmlinux too.
		# (drivers/dax: the dax core, bus.c and super.c, is built in;
		# device_dax, kmem, dax_pmem and dax_cxl are modules)
		full=0 kconf=0
		grep -qvE '^(drivers/cxl/|drivers/dax/(cxl|device|kmem|pmem)\.c$|tools/testing/cxl/|Documentation/|MAINTAINERS$)' <<<"$files" && full=1
		grep -qE '^drivers/.*Kconfig$|^drivers/dax/Makefile$' <<<"$files" && full=1
		# A new option is configured from the full guest config; with
		# no Kconfig change the last step's config stays valid.
		grep -qE '(^|/)Kconfig[^/]*$' <<<"$files" && kconf=1
		# The kernel's modules are built from everything but the mock
		# and the documentation.
		tree=0
		grep -qvE '^(tools/testing/cxl/|Documentation/|MAINTAINERS$)' <<<"$files" && tree=1
		# A changed Makefile or Kconfig may change which modules exist.
		walk=0
		grep -qE '(^|/)(Makefile|Kbuild|Kconfig)[^/]*$' <<<"$files" && walk=1
		msg "$name: building"
		if ! build_step "$num" "$full" "$kconf" "$tree" "$walk"; then
			grep -E 'error|Error' "$work/$num.log" | head -n 20 | sed "s/^/  $num: /" >&2
			note_fail build "$name"
			continue
		fi
		for g in w1 sparse; do
			gate_on "$g" || continue
			added=$(new_lines "$work/base.$g" "$work/$num.$g")
			if [ -n "$added" ]; then
				printf '%s\n' "$added" | sed "s/^/  $num: $g: /" >&2
				note_fail "$g" "$name"
			fi
		done
	fi
done

failed=0
for g in apply checkpatch build w1 sparse kernel-doc; do
	gate_on "$g" || continue
	if [ -n "${bad[$g]:-}" ]; then
		msg "FAIL series/$g:${bad[$g]}"
		printf 'series/%s:1\n' "$g" >>"$RESULTS"
		failed=1
	else
		msg "PASS series/$g ($applied of ${#patches[@]} patches)"
		printf 'series/%s:0\n' "$g" >>"$RESULTS"
	fi
done
exit "$failed"
