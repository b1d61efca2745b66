#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The QEMU model's own datapath test (driver-less, /dev/mem), run with the
# selftests so that make check covers the model against the spec too.
exec "$(dirname "$0")/../tools/qemu/tests/model-datapath.py" "$@"
