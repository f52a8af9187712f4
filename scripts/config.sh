#!/usr/bin/env bash
# Assemble the guest kernel config: tinyconfig plus config/*.cfg, then
# check that every requested value made it into the final .config.
#
# Usage: scripts/config.sh [-h]
# Env:   KSRC, KOBJ, CONFIG_FRAGMENTS (default: config/*.cfg, sorted)
# Exit:  0 config ready, 1 a requested option did not survive, 2 setup error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nWrite %s/.config from tinyconfig and config/*.cfg.\n' "${0##*/}" "$KOBJ"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

need_file "$KSRC/Makefile" "run 'make unpack' first"
if [ -z "${CONFIG_FRAGMENTS:-}" ]; then
	CONFIG_FRAGMENTS=$(find "$TOP/config" -maxdepth 1 -name '*.cfg' | sort)
fi
# shellcheck disable=SC2206 # a list of paths without spaces
frags=($CONFIG_FRAGMENTS)
[ "${#frags[@]}" -gt 0 ] || die "no config fragments"
for f in "${frags[@]}"; do
	head -n 1 "$f" | grep -q '^# Help: ' || die "$f: first line must be '# Help: ...'"
done

mkdir -p "$KOBJ"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Build the config in a scratch object directory, then move it into place
# only if it changed, so an unchanged config does not trigger a rebuild.
kmake O="$tmp" tinyconfig >/dev/null
"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$tmp" "$tmp/.config" "${frags[@]}" >"$tmp/merge.log" 2>&1 ||
	{ cat "$tmp/merge.log" >&2; die "merge_config.sh failed"; }
kmake O="$tmp" olddefconfig >/dev/null

# Every requested value must be in the final config.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	if [[ $want == CONFIG_* ]]; then
		grep -qxF "$want" "$tmp/.config" && continue
		opt=${want%%=*}
	else
		opt=${want#"# "}
		opt=${opt%% *}
		grep -q "^$opt=" "$tmp/.config" || continue
	fi
	got=$(grep -E "^$opt=|^# $opt is not set" "$tmp/.config" || echo "absent")
	msg "requested '$want' but the final config has '$got'"
	bad=1
done < <(cat "${frags[@]}")
[ "$bad" = 0 ] || fail "config options did not survive the merge (see above); fix config/*.cfg"

if ! cmp -s "$tmp/.config" "$KOBJ/.config"; then
	cp "$tmp/.config" "$KOBJ/.config.new"
	mv "$KOBJ/.config.new" "$KOBJ/.config"
	msg "wrote $KOBJ/.config"
else
	msg "$KOBJ/.config unchanged"
fi
