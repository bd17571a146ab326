#!/usr/bin/env bash
# Formats every C++ file of the project with the root .clang-format; --check changes nothing, lists the files that
# differ and exits 1 when there are any (the ctest `format.clang_format` runs it so).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v clang-format >/dev/null || { echo "clang-format not found: run scripts/setup.sh" >&2; exit 2; }
mapfile -t files < <(find cluster preprocess train eval slurm bench tests -name '*.cpp' -o -name '*.h' | sort)
if [[ "${1:-}" == "--check" ]]; then
  unformatted=()
  for f in "${files[@]}"; do
    clang-format --style=file "$f" | cmp -s - "$f" || unformatted+=("$f")
  done
  if ((${#unformatted[@]})); then
    printf 'not formatted (run scripts/format.sh): %s\n' "${unformatted[@]}" >&2
    exit 1
  fi
  echo "${#files[@]} files formatted as .clang-format says"
else
  clang-format -i --style=file "${files[@]}"
fi
