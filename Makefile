# SPDX-License-Identifier: GPL-2.0
# fpgaeth: build the driver for Debian 13's arm64 kernels and test it in an
# arm64 guest on the project's QEMU model.  Everything lands in a cache
# outside the clone ($FPGAETH_CACHE, default ~/.cache/fpgaeth).
#
#   make            cross-build drivers/net/ethernet/fpgaeth/fpgaeth.ko and
#                   the selftests' BPF programs and their arm64 user-space
#                   ends (selftests/bpf/build/)
#   make check      build all, run the quality gates (tools/gates/run) and,
#                   in one guest, selftests/run_tests.sh
#   make gates      only the quality gates: checkpatch, kernel-doc, sparse +
#                   W=1, the QEMU model's warnings, DT binding and dts/,
#                   rst, in-tree and DKMS builds
#   make run        build all, boot, run the demo (tools/vm/demo.sh)
#   make shell      build all, interactive shell in the guest
#   make bench      build all, run the benchmarks (tools/bench/run: one guest
#                   under -icount, fpgaeth beside virtio-net and the floor)
#   make soak       build all, a soak of SOAK_MINUTES (default 10) on the
#                   debug kernel (tools/vm/soak; not part of make check)
#   make check-rtl  build all, the driver on the Verilated IP: the shim's
#                   unit test, QEMU's cosim backend under qtest, one guest
#                   on the RTL (under -icount) running fpgaeth_id, net_ping,
#                   regs_reset, regs_rw, net_link, stats_counters,
#                   net_integrity, net_rss, then the RGMII build's unit test
#                   and net_features' speed cases (rtl/cosim/check; also
#                   part of make check unless FPGAETH_CHECK_RTL=0)
#   make clean      remove build products from the tree
#
# Extra kbuild options pass through: make W=1, make C=1 (sparse).
# The guest kernel (the module's headers, the guest of run/check/shell):
# FPGAETH_KERNEL=6.12 (default, Debian 13's own) or 7 (newest 7.x of
# trixie-backports), e.g. make FPGAETH_KERNEL=7 W=1; make check tests
# both (tools/vm/check).

SHELL   := /bin/bash
VM      := tools/vm
BENCH   := tools/bench/run
KBUILD  := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CONFIG_FPGAETH=m

.PHONY: all modules bpf host kernel images run check gates shell bench soak check-rtl clean
.DEFAULT_GOAL := all

all: modules bpf

host:
	@$(VM)/setup-host

kernel: host
	@$(VM)/fetch-kernel >/dev/null

modules: kernel
	@echo '==> module: fpgaeth.ko for arm64' >&2
	@kdir=$$(. $(VM)/lib.sh && kernel_headers "$$(kver)") && \
	$(MAKE) --no-print-directory -C "$$kdir" M=$(CURDIR) $(KBUILD) modules

# The selftests' XDP programs (selftests/bpf/*.c), BPF objects for any
# kernel: clang -target bpf with the host's UAPI headers and libbpf-dev's
# bpf_helpers.h (both from setup-host), into selftests/bpf/build/
BPF_DIR := selftests/bpf
BPF_OBJ := $(patsubst $(BPF_DIR)/%.c,$(BPF_DIR)/build/%.o,$(wildcard $(BPF_DIR)/*.c))
BPF_HDR := $(wildcard $(BPF_DIR)/*.h)

# and their user-space ends (selftests/bpf/user/*.c): arm64 programs on
# Debian 12's libxdp and libbpf (libxdp-dev:arm64, libbpf-dev:arm64 from
# setup-host), linked statically with the archives those need (libelf,
# zlib): one binary for every guest kernel, whatever libxdp and libbpf
# versions the guest's rootfs (trixie) holds
BPF_USER := $(patsubst $(BPF_DIR)/user/%.c,$(BPF_DIR)/build/%,$(wildcard $(BPF_DIR)/user/*.c))
BPF_USER_LIBS := -lxdp -lbpf -lelf -lz

bpf: host $(BPF_OBJ) $(BPF_USER)

$(BPF_DIR)/build/%: $(BPF_DIR)/user/%.c $(BPF_HDR)
	@mkdir -p $(@D)
	@echo '==> bpf: $@ (arm64, static)' >&2
	@aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -static $< -o $@ $(BPF_USER_LIBS)

$(BPF_DIR)/build/%.o: $(BPF_DIR)/%.c $(BPF_HDR)
	@mkdir -p $(@D)
	@echo '==> bpf: $@' >&2
	@clang -O2 -g -Wall -Werror -target bpf \
		-I/usr/include/$$(gcc -dumpmachine) -c $< -o $@

# the guest's images and the QEMU (each step is cached)
# The rootfs (debootstrap under qemu-user, mostly one core) builds while
# QEMU compiles: on a fresh machine that saves minutes.
images: kernel
	@$(VM)/build-rootfs >/dev/null & rootfs=$$!; \
	. $(VM)/lib.sh && qemu_bin >/dev/null; q=$$?; \
	wait $$rootfs; r=$$?; \
	[ $$q = 0 ] && [ $$r = 0 ] || { echo "error: images: QEMU build status $$q, rootfs status $$r" >&2; exit 1; }
	@$(VM)/build-initramfs >/dev/null

run: modules bpf images
	@$(VM)/run $(VM)/demo.sh

check: modules bpf images
	@$(VM)/check

gates: kernel
	@tools/gates/run

shell: modules bpf images
	@$(VM)/run

# The benchmarks (tools/bench/README.md): slow, not part of make check.
bench: modules bpf images
	@$(BENCH)

# A soak (tools/vm/soak, README "Reliability"): slow, not part of make check.
soak: modules images
	@$(VM)/soak

# The driver on the RTL (rtl/cosim/README.md); make check runs it too.
check-rtl: modules bpf images
	@rtl/cosim/check

clean:
	@kdir=$$(. $(VM)/lib.sh && kernel_headers "$$(kver)" 2>/dev/null); \
	if [ -d "$$kdir" ]; then $(MAKE) --no-print-directory -C "$$kdir" M=$(CURDIR) $(KBUILD) clean; fi
	@rm -rf $(BPF_DIR)/build
