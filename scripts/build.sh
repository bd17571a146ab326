#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh) and builds musictag into build/ (Release, ccache when present).
#
# Environment: MUSICTAG_BUILD_DIR (default <repo>/build), MUSICTAG_JOBS (default: number of cores),
# MUSICTAG_CMAKE_ARGS (extra cmake arguments, e.g. -DMUSICTAG_WITH_CUDA=OFF).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MUSICTAG_BUILD_DIR:-$ROOT/build}"
JOBS="${MUSICTAG_JOBS:-$(nproc)}"

eval "$("$ROOT/scripts/setup.sh")"

# ccache keyed on paths relative to the clone, so a fresh clone (CI) reuses the objects of an earlier one.
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"

echo "[build] configuring $BUILD" >&2
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$MUSICTAG_TORCH_PREFIX" -DMUSICTAG_NCCL_ROOT="$MUSICTAG_NCCL_ROOT" \
  ${MUSICTAG_CMAKE_ARGS:-} > "$BUILD.configure.log" 2>&1 || { cat "$BUILD.configure.log" >&2; exit 1; }
grep -E "musictag:|CMake Warning" "$BUILD.configure.log" >&2 || true
echo "[build] compiling with $JOBS jobs" >&2
cmake --build "$BUILD" -j "$JOBS"
