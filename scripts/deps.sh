#!/usr/bin/env bash
# Install what the workbench needs, from Debian only. Idempotent.
#
# Usage: scripts/deps.sh [-h]
# Exit: 0 all present, 2 a package could not be installed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { printf 'Usage: %s [-h]\nInstall the Debian packages the workbench needs.\n' "${0##*/}"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

BPO_LIST=/etc/apt/sources.list.d/bookworm-backports.sources

# Packages from the release itself, and the one that must be newer. The
# base kernel is pinned to the version the cover letter's "Base:" line
# names: moving to another Debian version is a deliberate commit that
# changes that line (and re-runs every gate), never an apt upgrade.
BASE_VERSION=$(base_wanted)
[ -n "$BASE_VERSION" ] ||
	die "series/0000-cover-letter.patch has no 'Base: Debian linux-source-6.12 VERSION' line"
PKGS=(bc bison build-essential busybox-static ccache cpio file flex git jq kmod python3-git quilt
	python3-ply libelf-dev libssl-dev linux-libc-dev ndctl daxctl python3 shellcheck sparse
	util-linux xz-utils)
BPO_PKGS=(qemu-system-x86)

missing() {
	local p

	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || printf '%s\n' "$p"
	done
	[ "$(base_version)" = "$BASE_VERSION" ] || printf 'linux-source-6.12=%s\n' "$BASE_VERSION"
	# Debian's own kernel config of the same version (check-debian-config.sh)
	[ "$(dpkg-query -W -f='${Version}' linux-config-6.12 2>/dev/null)" = "$BASE_VERSION" ] ||
		printf 'linux-config-6.12=%s\n' "$BASE_VERSION"
}

SUDO=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "run as root, or install sudo"
	SUDO=sudo
fi

todo=$(missing)
if [ -z "$todo" ] && qemu_has_dcd qemu-system-x86_64; then
	msg "all dependencies present (base linux-source-6.12 $BASE_VERSION)"
	exit 0
fi

. /etc/os-release
[ "${VERSION_CODENAME:-}" = bookworm ] ||
	msg "warning: written for Debian 12 (bookworm), this is ${PRETTY_NAME:-unknown}"

if ! qemu_has_dcd qemu-system-x86_64 && [ ! -e "$BPO_LIST" ] &&
	! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d; then
	msg "adding bookworm-backports (for QEMU with DCD emulation)"
	tmp=$(mktemp)
	cat >"$tmp" <<'SRC'
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	$SUDO install -m 0644 "$tmp" "$BPO_LIST"
	rm -f "$tmp"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2 || die "apt-get update failed: check the network and /etc/apt/sources.list*"
if [ "$(base_version)" != "$BASE_VERSION" ] &&
	! apt-cache madison linux-source-6.12 | awk '{print $3}' | grep -qxF "$BASE_VERSION"; then
	die "the archive no longer has linux-source-6.12 $BASE_VERSION (the cover letter's Base: line).
  Available: $(apt-cache madison linux-source-6.12 | awk '{print $3}' | tr '\n' ' ')
  Fix: move the series to an available version in a commit of its own: update the
  Base: line, 'make apply' and 'make check' (every gate runs again)."
fi
if [ -n "$todo" ]; then
	# shellcheck disable=SC2086 # one package a word
	$SUDO apt-get install -y -q --no-install-recommends --allow-downgrades $todo >&2 ||
		die "could not install: ${todo//$'\n'/ } (see apt's message above)"
fi
[ "$(base_version)" = "$BASE_VERSION" ] ||
	die "linux-source-6.12 is $(base_version), not $BASE_VERSION as the cover letter's Base: line says"
if ! qemu_has_dcd qemu-system-x86_64; then
	$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports \
		"${BPO_PKGS[@]}" >&2 ||
		die "could not install qemu-system-x86 from bookworm-backports"
fi
qemu_has_dcd qemu-system-x86_64 ||
	die "qemu-system-x86_64 lacks DCD emulation (needs 9.1+, bookworm-backports has it)"
msg "all dependencies present: $(qemu-system-x86_64 --version | head -n 1), base linux-source-6.12 $BASE_VERSION"
