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

# Packages from the release itself, and the one that must be newer.
PKGS=(bc bison build-essential busybox-static ccache cpio flex git jq kmod python3-git python3-ply
	libelf-dev libssl-dev linux-source-6.12 ndctl daxctl python3 shellcheck
	sparse xz-utils)
BPO_PKGS=(qemu-system-x86)

# qemu_has_dcd: the installed QEMU emulates DCD (QEMU 9.1 or later).
qemu_has_dcd() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 &&
		qemu-system-x86_64 -device cxl-type3,help 2>/dev/null |
		grep -q volatile-dc-memdev
}

missing() {
	local p

	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || printf '%s\n' "$p"
	done
}

[ "$(id -u)" = 0 ] || SUDO=sudo
SUDO=${SUDO:-}

todo=$(missing)
if [ -z "$todo" ] && qemu_has_dcd; then
	msg "all dependencies present"
	exit 0
fi

. /etc/os-release
[ "${VERSION_CODENAME:-}" = bookworm ] ||
	msg "warning: written for Debian 12 (bookworm), this is ${PRETTY_NAME:-unknown}"

if ! qemu_has_dcd && [ ! -e "$BPO_LIST" ] &&
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
if [ -n "$todo" ]; then
	# shellcheck disable=SC2086 # one package a word
	$SUDO apt-get install -y -q --no-install-recommends $todo >&2 ||
		die "could not install: ${todo//$'\n'/ } (see apt's message above)"
fi
if ! qemu_has_dcd; then
	$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports \
		"${BPO_PKGS[@]}" >&2 ||
		die "could not install qemu-system-x86 from bookworm-backports"
fi
qemu_has_dcd ||
	die "qemu-system-x86_64 lacks DCD emulation (needs 9.1+, bookworm-backports has it)"
msg "all dependencies present: $(qemu-system-x86_64 --version | head -n 1)"
