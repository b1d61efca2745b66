# SPDX-License-Identifier: GPL-2.0
# Shared settings for the bench scripts. Sourced, not run.
# shellcheck shell=bash disable=SC2034 # settings used by the scripts

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMDIR=$TOP/tools/vm
# Caches live outside the clone, keyed by version, so CI on this machine
# reuses them and a fresh machine rebuilds them.
CACHE=${FPGAETH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/fpgaeth}
mkdir -p "$CACHE"

# Guest distribution (Debian arm64): FPGAETH_SUITE, default trixie.
SUITE=${FPGAETH_SUITE:-trixie}
DEBIAN_MIRROR=${FPGAETH_MIRROR:-http://deb.debian.org/debian}

progress() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Guest kernel, one variable: FPGAETH_KERNEL
#   6.12 (default)  trixie's own kernel (linux-image-arm64 of trixie and
#                   trixie-security: 6.12 LTS)
#   7               the newest 7.x Debian offers (trixie-backports)
#   debug           the debug kernel (tools/vm/debug-kernel.config: KASAN,
#                   lockdep, DMA-API debug, kmemleak...) that
#                   tools/gates/intree builds from linux-source-6.12; the
#                   rest of the guest (rootfs, initramfs) is 6.12's
# FPGAETH_KVER pins one release (uname -r) instead.
KSERIES=${FPGAETH_KERNEL:-6.12}
KDEBUG=0
[ "$KSERIES" != debug ] || KSERIES=6.12 KDEBUG=1
case $KSERIES in
6.12)
	KERNEL_SUITES="trixie trixie-security trixie-updates"
	KVER_PREFIX=6.12.
	;;
7 | 7.*)
	KERNEL_SUITES="trixie-backports"
	KVER_PREFIX=$KSERIES.
	[ "$KSERIES" != 7 ] || KVER_PREFIX=7.
	;;
*) die "FPGAETH_KERNEL=$KSERIES: use 6.12 (trixie), 7 (newest 7.x of trixie-backports) or debug" ;;
esac
KERNEL_META=linux-image-arm64

# Private apt configurations: papt_setup DIR ARCH SUITE... writes into DIR
# its own apt.conf, sources.list (the trixie SUITEs, main, for amd64 and
# ARCH), state, cache and an empty dpkg status; they are only ever used for
# "apt-get download" and apt-cache.  The host's apt sources are never
# touched and no trixie package is installed on the host.
papt_setup() {
	local dir=$1 arch=$2 conf suite mirror
	shift 2
	mkdir -p "$dir/etc/sources.list.d" "$dir/etc/preferences.d" \
		"$dir/state/lists/partial" "$dir/cache/archives/partial"
	[ -f "$dir/status" ] || : >"$dir/status"
	conf=$(cat <<-EOF
		Dir::Etc::SourceList "$dir/etc/sources.list";
		Dir::Etc::SourceParts "$dir/etc/sources.list.d";
		Dir::Etc::Preferences "$dir/etc/preferences";
		Dir::Etc::PreferencesParts "$dir/etc/preferences.d";
		Dir::State "$dir/state";
		Dir::State::status "$dir/status";
		Dir::Cache "$dir/cache";
		APT::Architecture "amd64";
		APT::Architectures { "amd64"; "$arch"; };
		Acquire::Languages "none";
		APT::Sandbox::User "root";
	EOF
	)
	[ "$(cat "$dir/apt.conf" 2>/dev/null)" = "$conf" ] || printf '%s\n' "$conf" >"$dir/apt.conf"
	conf=$(for suite; do
		mirror=$DEBIAN_MIRROR
		case $suite in *-security) mirror=${DEBIAN_MIRROR%/debian}/debian-security ;; esac
		echo "deb [arch=amd64,$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
	done)
	[ "$(cat "$dir/etc/sources.list" 2>/dev/null)" = "$conf" ] || printf '%s\n' "$conf" >"$dir/etc/sources.list"
}
# papt DIR CMD...: run an apt command with DIR's configuration
papt() { APT_CONFIG=$1/apt.conf "${@:2}"; }
# papt_update DIR: apt-get update of DIR's lists, once per script run
declare -gA papt_updated=()
papt_update() {
	[ -n "${papt_updated[$1]:-}" ] && return 0
	papt_updated[$1]=1
	papt "$1" apt-get update -qq 2>&1 | grep -v '^W:' >&2 || true
}
# papt_download DIR DEST PKG...: .debs into DEST (no install); updates
# DIR's lists once if the first try fails
papt_download() {
	local dir=$1 dest=$2 try
	shift 2
	for try in 1 2; do
		(cd "$dest" && papt "$dir" apt-get download -q=2 "$@") && return
		[ $try = 2 ] || papt_update "$dir"
	done
	die "apt-get download ($(basename "$dir")) $* failed"
}

# The kernels come from trixie, the host is Debian 12: the private apt
# configuration $CACHE/apt-trixie lists trixie's packages (backports and
# security included) for amd64 and arm64.
KAPT=$CACHE/apt-trixie
kapt_setup() { papt_setup "$KAPT" arm64 trixie trixie-updates trixie-backports trixie-security; }
# kapt CMD...: run an apt command with that configuration
kapt() { papt "$KAPT" "$@"; }
kapt_update() { kapt_setup && papt_update "$KAPT"; }
# kapt_download DIR PKG...: .debs of trixie into DIR (no install)
kapt_download() { kapt_setup && papt_download "$KAPT" "$@"; }

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

# The kernel release (uname -r of the guest) that the private trixie lists
# offer today for $KSERIES, e.g. 6.12.117+deb13-arm64: the newest version of
# linux-image-arm64 in $KERNEL_SUITES starting with $KVER_PREFIX, and the
# image package it depends on.  Empty when apt knows nothing.  Memoised
# until the lists change.
kver_offered() {
	local memo=$CACHE/kver-offered-$KSERIES lists=$KAPT/state/lists v s
	if [ -s "$memo" ] && [ "$memo" -nt "$lists" ]; then
		cat "$memo"
		return
	fi
	[ -d "$lists" ] || return 0
	v=$(kapt apt-cache madison "$KERNEL_META:arm64" 2>/dev/null |
		while IFS='|' read -r _ ver src; do
			ver=${ver// /}
			for s in $KERNEL_SUITES; do
				case $src in *" $s/main arm64 "*) ;; *) continue ;; esac
				case $ver in "$KVER_PREFIX"*) printf '%s\n' "$ver" ;; esac
			done
		done | sort -uV | tail -n 1)
	[ -n "$v" ] || return 0
	kapt apt-cache show "$KERNEL_META:arm64=$v" 2>/dev/null |
		sed -n 's/^Depends:.*linux-image-\([0-9][^ ,]*-arm64\) (= .*/\1/p' |
		head -n 1 | tee "$memo.$$"
	mv -f "$memo.$$" "$memo"
}

# The kernel release every script uses: $FPGAETH_KVER if set (to pin one),
# else the newest one offered, else the newest one of the series already
# fetched (offline machine).
kver() {
	if [ -n "${FPGAETH_KVER:-}" ]; then
		printf '%s\n' "$FPGAETH_KVER"
		return
	fi
	local v
	v=$(kver_offered)
	if [ -z "$v" ]; then
		v=$(find "$CACHE" -maxdepth 2 -path "*/kernel-$KVER_PREFIX*+deb13-arm64/.stamp" 2>/dev/null |
			sed 's|.*/kernel-\(.*\)/.stamp|\1|' | sort -V | tail -n 1)
	fi
	[ -n "$v" ] || die "no $KVER_PREFIX* $KERNEL_META in the trixie lists and none cached; run tools/vm/fetch-kernel"
	printf '%s\n' "$v"
}

# Per-kernel paths (fetch-kernel fills them).
kernel_dir() { printf '%s\n' "$CACHE/kernel-$1"; }
# (7.x packages put the image in /usr/lib/modules/<kver>/vmlinuz)
kernel_image() {
	local r=$CACHE/kernel-$1/root
	if [ -f "$r/usr/lib/modules/$1/vmlinuz" ]; then
		printf '%s\n' "$r/usr/lib/modules/$1/vmlinuz"
	else
		printf '%s\n' "$r/boot/vmlinuz-$1"
	fi
}
kernel_headers() { printf '%s\n' "$CACHE/kernel-$1/root/usr/src/linux-headers-$1"; }
# (trixie's packages have merged /usr: usr/lib/modules)
kernel_modules() {
	local r=$CACHE/kernel-$1/root
	if [ -d "$r/usr/lib/modules/$1" ]; then
		printf '%s\n' "$r/usr/lib/modules/$1"
	else
		printf '%s\n' "$r/lib/modules/$1"
	fi
}

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

# debug_kernel: build (or bring up to date with the tree's driver) the debug
# kernel, the in-tree gate's build, and print its build directory:
# arch/arm64/boot/Image, root/lib/modules/<release>, include/config/
# kernel.release.
debug_kernel() {
	FPGAETH_INTREE_KIND=debug "$TOP/tools/gates/intree" >&2 ||
		die "building the debug kernel (tools/gates/intree) failed"
	local k
	k=$(linux_source)
	printf '%s\n' "$CACHE/intree-$(sed 's/[^A-Za-z0-9.+-]/_/g' "$k/.fpgaeth-version")/build-debug-arm64"
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

# kernel_source KVER: path of the Debian source tree of exactly that guest
# kernel (linux-source-<major.minor> of the image package's version,
# fetched through the private trixie apt configuration), unpacked once into
# $CACHE/linux-src/debian-<version>.  fetch-kernel builds host tools from
# it; selftests/upstream takes the kernel's own driver tests and ynl from it.
kernel_source() {
	local kver=$1 ver series d tmp
	kapt_setup
	ver=$(kapt apt-cache show "linux-image-$kver:arm64" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || ver=$(cat "$(kernel_dir "$kver")/.stamp" 2>/dev/null)
	[ -n "$ver" ] || die "kernel_source: no package version known for $kver"
	series=$(printf '%s\n' "$kver" | cut -d. -f1-2)
	d=$CACHE/linux-src/debian-$ver
	if [ -f "$d/.fpgaeth-version" ]; then
		printf '%s\n' "$d"
		return
	fi
	(
		mkdir -p "$CACHE/linux-src"
		cache_lock "linux-src-$ver"
		[ -f "$d/.fpgaeth-version" ] && exit 0
		progress "linux-src: fetching and unpacking linux-source-$series $ver (~170 MB, ~2 min)"
		tmp=$d.tmp
		# a .deb left by an interrupted run is reused
		rm -rf "$tmp/src"
		mkdir -p "$tmp/deb" "$tmp/src"
		ls "$tmp"/deb/linux-source-*.deb >/dev/null 2>&1 ||
			kapt_download "$tmp/deb" "linux-source-$series=$ver"
		dpkg-deb --fsys-tarfile "$tmp"/deb/*.deb |
			tar -xO --wildcards "*usr/src/linux-source-$series.tar.*" |
			tar -xJ -C "$tmp/src" --strip-components=1 || die "unpacking linux-source-$series $ver failed"
		printf '%s\n' "$ver" >"$tmp/src/.fpgaeth-version"
		rm -rf "$d"
		mv "$tmp/src" "$d"
		rm -rf "$tmp"
	) || exit 1
	printf '%s\n' "$d"
}

# align_adapt HDR: make the kernel headers HDR, configured for the kernel's
# gcc-14, say what Kconfig says for the gcc-12 that builds our modules:
# without -fmin-function-alignment, CC_HAS_MIN_FUNCTION_ALIGNMENT and so
# CC_HAS_SANE_FUNCTION_ALIGNMENT are off. kbuild then passes
# -falign-functions and compiler_types.h makes __cold empty, because gcc
# before 14 drops the alignment of cold functions: on an arm64 kernel with
# DYNAMIC_FTRACE_WITH_CALL_OPS a misaligned patch site is a BUG at module
# load (seen: fpgaeth_reset_ip, cold since it calls netdev_warn first).
# Idempotent; prints what it changed.  CC: the modules' compiler (default
# aarch64-linux-gnu-gcc-12; tools/vm/armhf passes arm-linux-gnueabihf-gcc-12).
align_adapt() {
	local hdr=$1 cc=${2:-aarch64-linux-gnu-gcc-12} sym
	"$cc" -fmin-function-alignment=8 -x c -c -o /dev/null /dev/null \
		2>/dev/null && return 0
	for sym in CC_HAS_MIN_FUNCTION_ALIGNMENT CC_HAS_SANE_FUNCTION_ALIGNMENT; do
		grep -q "^CONFIG_$sym=\|^#define CONFIG_$sym " "$hdr/include/config/auto.conf" \
			"$hdr/include/generated/autoconf.h" || continue
		sed -i "/^CONFIG_$sym=/d" "$hdr/include/config/auto.conf"
		sed -i "/^#define CONFIG_$sym /d" "$hdr/include/generated/autoconf.h"
		echo "CONFIG_$sym off ($cc lacks -fmin-function-alignment)"
	done
}
