# SPDX-License-Identifier: GPL-2.0
# Shared settings of the 32-bit ARM (armhf) build and guest. Sourced, not
# run; sources tools/vm/lib.sh (CACHE, progress, die, kernel_source, ...).
# shellcheck shell=bash disable=SC2034 # settings used by the scripts
#
# The arm64 bench's paths stay as they are: the armhf kernel, its headers
# and the guest's userland come through a private apt configuration of
# their own, $CACHE/apt-trixie-armhf (amd64 for the host's kbuild tools,
# armhf for the rest), only ever used for "apt-get download".  Nothing of
# it is installed on the host.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Debian's armhf kernel for LPAE cores (Cortex-A7/A15; QEMU's virt with
# -cpu cortex-a15): trixie's 6.12.  The Zynq-7000's Cortex-A9 has no LPAE:
# its kernel is the -armmp flavour, built from the same source and config
# but for 32-bit physical addresses; the gate builds for both.
ARMHF_META=linux-image-armmp-lpae
ARMHF_SUITES=(trixie trixie-updates trixie-security)
ARMHF_CC=arm-linux-gnueabihf-gcc-12
AAPT=$CACHE/apt-trixie-armhf

aapt_setup() { papt_setup "$AAPT" armhf "${ARMHF_SUITES[@]}"; }
# aapt CMD...: run an apt command with the armhf configuration
aapt() { papt "$AAPT" "$@"; }
aapt_update() { aapt_setup && papt_update "$AAPT"; }
# aapt_download DIR PKG...: .debs into DIR (no install)
aapt_download() { aapt_setup && papt_download "$AAPT" "$@"; }

# armhf_kver FLAVOUR: the release (uname -r) of the newest trixie kernel
# of that flavour (armmp-lpae, armmp), e.g. 6.12.118+deb13-armmp-lpae;
# FPGAETH_ARMHF_KVER pins the LPAE one.  Updates the lists once when they
# know none.
armhf_kver() {
	local fl=$1 v
	if [ "$fl" = armmp-lpae ] && [ -n "${FPGAETH_ARMHF_KVER:-}" ]; then
		printf '%s\n' "$FPGAETH_ARMHF_KVER"
		return
	fi
	aapt_setup
	[ -d "$AAPT/state/lists" ] && ls "$AAPT"/state/lists/*armhf_Packages >/dev/null 2>&1 || aapt_update
	v=$(aapt apt-cache show "linux-image-$fl:armhf" 2>/dev/null |
		sed -n "s/^Depends:.*linux-image-\([0-9][^ ,]*-$fl\) (= .*/\1/p" | sort -uV | tail -n 1)
	if [ -z "$v" ]; then
		v=$(find "$CACHE" -maxdepth 1 -name "kernel-6.12.*-$fl" -printf '%f\n' 2>/dev/null |
			sed 's/^kernel-//' | sort -V | tail -n 1)
	fi
	[ -n "$v" ] || die "no linux-image-$fl:armhf in the trixie lists and none cached"
	printf '%s\n' "$v"
}
