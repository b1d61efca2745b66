# SPDX-License-Identifier: GPL-2.0
# Shared settings for the bench scripts. Sourced, not run.
# shellcheck shell=bash disable=SC2034 # settings used by the scripts

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMDIR=$TOP/tools/vm
# Caches live outside the clone, keyed by version, so CI on this machine
# reuses them and a fresh machine rebuilds them.
CACHE=${FPGAETH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/fpgaeth}
mkdir -p "$CACHE"

# Guest distribution and kernel series (Debian arm64).
SUITE=bookworm
DEBIAN_MIRROR=${FPGAETH_MIRROR:-http://deb.debian.org/debian}
KERNEL_META=linux-image-6.12-arm64:arm64

progress() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt-get update, once per script run; third-party sources that are
# unreachable on some machines must not make it fail.
apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return 0
	apt_updated=1
	apt-get update -qq >/dev/null 2>&1 || apt-get update -qq 2>&1 | grep -v '^W:' >&2 || true
}

# apt_download DIR PKG...: .debs into DIR (no install); on failure the
# lists are stale (an old version left the mirror): update, retry once.
apt_download() {
	local dir=$1 try
	shift
	for try in 1 2; do
		(cd "$dir" && apt-get download -q=2 -o APT::Sandbox::User=root "$@") && return
		[ $try = 2 ] || apt_update
	done
	die "apt-get download $* failed"
}

# The kernel release (uname -r of the guest) that apt offers today for
# $KERNEL_META, e.g. 6.12.117+deb12-arm64.  Empty when apt knows nothing.
# apt-cache takes ~2 s here, so the answer is memoised until the lists change.
kver_offered() {
	local memo=$CACHE/kver-offered lists=/var/lib/apt/lists
	if [ -s "$memo" ] && [ "$memo" -nt "$lists" ]; then
		cat "$memo"
		return
	fi
	apt-cache depends "$KERNEL_META" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(6\.12\.[^:]*-arm64\):arm64$/\1/p' |
		sort -V | tail -n 1 | tee "$memo.$$"
	mv -f "$memo.$$" "$memo"
}

# The kernel release every script uses: $FPGAETH_KVER if set (to pin one),
# else the newest one offered, else the newest one already fetched (offline
# machine with empty apt lists).
kver() {
	if [ -n "${FPGAETH_KVER:-}" ]; then
		printf '%s\n' "$FPGAETH_KVER"
		return
	fi
	local v
	v=$(kver_offered)
	if [ -z "$v" ]; then
		v=$(find "$CACHE" -maxdepth 2 -path '*/kernel-*/.stamp' 2>/dev/null |
			sed 's|.*/kernel-\(.*\)/.stamp|\1|' | sort -V | tail -n 1)
	fi
	[ -n "$v" ] || die "no $KERNEL_META in the apt lists and no kernel cached; run tools/vm/fetch-kernel"
	printf '%s\n' "$v"
}

# Per-kernel paths (fetch-kernel fills them).
kernel_dir() { printf '%s\n' "$CACHE/kernel-$1"; }
kernel_image() { printf '%s\n' "$CACHE/kernel-$1/root/boot/vmlinuz-$1"; }
kernel_headers() { printf '%s\n' "$CACHE/kernel-$1/root/usr/src/linux-headers-$1"; }
kernel_modules() { printf '%s\n' "$CACHE/kernel-$1/root/lib/modules/$1"; }

# The QEMU to boot: $FPGAETH_QEMU if set, else the project's own build
# (tools/qemu/build prints the binary path as its last stdout line).
qemu_bin() {
	if [ -n "${FPGAETH_QEMU:-}" ]; then
		[ -x "$FPGAETH_QEMU" ] || die "FPGAETH_QEMU=$FPGAETH_QEMU is not executable"
		printf '%s\n' "$FPGAETH_QEMU"
		return
	fi
	[ -x "$TOP/tools/qemu/build" ] ||
		die "tools/qemu/build is missing; set FPGAETH_QEMU=/path/to/qemu-system-aarch64 to use another QEMU"
	local q
	q=$("$TOP/tools/qemu/build" | tail -n 1) || die "tools/qemu/build failed"
	[ -x "$q" ] || die "tools/qemu/build printed '$q', not an executable"
	printf '%s\n' "$q"
}

# Short content hash of files (for cache keys).
hash_files() { cat "$@" | sha256sum | cut -c1-12; }

# Make the host run arm64 binaries (debootstrap's second stage, chroot):
# mount binfmt_misc if needed and register qemu-user-static's aarch64
# handler (its F flag opens the interpreter now, so chroots need no copy).
ensure_binfmt_aarch64() {
	local bm=/proc/sys/fs/binfmt_misc conf=/usr/lib/binfmt.d/qemu-aarch64.conf
	[ -e $bm/register ] || mount -t binfmt_misc binfmt_misc $bm ||
		die "cannot mount binfmt_misc on $bm (container without privileges?)"
	if [ ! -e $bm/qemu-aarch64 ]; then
		[ -f $conf ] || die "$conf missing (run tools/vm/setup-host: qemu-user-static)"
		grep -v '^#' $conf >$bm/register || die "registering $conf in $bm failed"
	fi
	[ "$(head -n 1 $bm/qemu-aarch64)" = enabled ] || echo 1 >$bm/qemu-aarch64
	[ "$(cat $bm/status)" = enabled ] || echo 1 >$bm/status
}

# cache_lock NAME: hold $CACHE/NAME.lock until the script exits, so two
# clones (or two makes) never build the same cache entry at once.
cache_lock() {
	exec {lock_fd}>"$CACHE/$1.lock"
	if ! flock -n "$lock_fd"; then
		progress "$1: waiting for another build of it to finish"
		flock "$lock_fd"
	fi
}

# rm_tmp DIR: remove an abandoned build directory, never crossing into a
# file system still mounted in it (debootstrap mounts /proc, /sys there).
rm_tmp() {
	local m
	while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
	rm -rf --one-file-system "$1"
}

# linux_source: path of Debian's linux-source-6.12 tree (checkpatch.pl,
# kernel-doc, the in-tree build), unpacked from the installed package's
# tarball into $CACHE/linux-src/linux-source-6.12 (tools/vm/setup-host
# installs the package).  The tree is keyed by the package version in its
# .fpgaeth-version: another version re-unpacks it.  A tree unpacked by hand
# is adopted when its Makefile has the package's upstream version.
LINUX_SRC_PKG=linux-source-6.12
linux_source() {
	local d=$CACHE/linux-src/$LINUX_SRC_PKG ver up tar mk
	ver=$(dpkg-query -W -f='${Version}' "$LINUX_SRC_PKG" 2>/dev/null) ||
		die "$LINUX_SRC_PKG is not installed (run tools/vm/setup-host)"
	if [ "$(cat "$d/.fpgaeth-version" 2>/dev/null)" = "$ver" ]; then
		printf '%s\n' "$d"
		return
	fi
	(
		cache_lock linux-src
		[ "$(cat "$d/.fpgaeth-version" 2>/dev/null)" = "$ver" ] && exit 0
		up=${ver%%-*}
		mk=$(sed -n '1,5s/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' "$d/Makefile" 2>/dev/null | paste -sd.)
		if [ -f "$d/scripts/checkpatch.pl" ] && [ ! -e "$d/.fpgaeth-version" ] && [ "$mk" = "$up" ]; then
			printf '%s\n' "$ver" >"$d/.fpgaeth-version"
			exit 0
		fi
		tar=/usr/src/$LINUX_SRC_PKG.tar.xz
		[ -f "$tar" ] || die "$tar missing (run tools/vm/setup-host)"
		progress "linux-src: unpacking $LINUX_SRC_PKG $ver (~1 min)"
		rm -rf "$d.tmp"
		mkdir -p "$d.tmp"
		tar -xJf "$tar" -C "$d.tmp" --strip-components=1 || die "unpacking $tar failed"
		printf '%s\n' "$ver" >"$d.tmp/.fpgaeth-version"
		rm -rf "$d.old"
		[ ! -d "$d" ] || mv "$d" "$d.old"
		mv "$d.tmp" "$d"
		rm -rf "$d.old"
	) || exit 1
	printf '%s\n' "$d"
}
