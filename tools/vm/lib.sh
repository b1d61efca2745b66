# SPDX-License-Identifier: GPL-2.0
# Shared settings for the bench scripts. Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Caches live outside the clone, keyed by version, so CI on this machine
# reuses them and a fresh machine rebuilds them.
CACHE=${FPGAETH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/fpgaeth}
mkdir -p "$CACHE"

progress() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
