#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest (unit, MPI multi-rank, end-to-end).
#
# Extra arguments go to ctest, e.g. scripts/test.sh -R config  or  scripts/test.sh -L mpi.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MUSICTAG_BUILD_DIR:-$ROOT/build}"

"$ROOT/scripts/build.sh"
eval "$("$ROOT/scripts/setup.sh" 2>/dev/null)"
export MUSICTAG_VENV
cd "$BUILD"
ctest --output-on-failure --timeout 900 "$@"
