#!/usr/bin/env bash
# Loader benchmark on real preprocessed parts: the demo generator's audio, preprocessed twice by musictag-preprocess
# (/mel uncompressed, as preprocess writes by default, and with compression: deflate at level 4), then bench_loader on
# each: the BatchLoader's samples/s against the same examples read raw with the HDF5 C API (the floor, ratio goal
# >= 0.8), whole stored examples (1366 frames) and 256-frame crops, 1 and 2 loader threads, random and sequential
# order, float32 and float16 batches, and the per-step cost of a read (Fletcher32, widening, crop copy...).
# Usage: bench/bench_loader.sh [TRACKS=64]   (after scripts/build.sh)
# Env: MUSICTAG_BUILD_DIR; MUSICTAG_BENCH_DIR (default out/bench-loader); BENCH_DATASET: bench this dataset instead
# (no generation); BENCH_LOADER_ARGS: extra bench_loader arguments; BENCH_JSON: a file for the JSON lines.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MUSICTAG_BUILD_DIR:-$ROOT/build}/bin"
TRACKS="${1:-64}"
WORK="${MUSICTAG_BENCH_DIR:-$ROOT/out/bench-loader}"
read -r -a EXTRA <<< "${BENCH_LOADER_ARGS:-}"
JSON=()
[[ -n "${BENCH_JSON:-}" ]] && JSON=(--json "$BENCH_JSON")
[[ -x "$BIN/bench_loader" ]] || { echo "no $BIN/bench_loader: build it (MUSICTAG_BUILD_DIR)" >&2; exit 2; }

if [[ -n "${BENCH_DATASET:-}" ]]; then
  "$BIN/bench_loader" --dataset "$BENCH_DATASET" "${JSON[@]}" "${EXTRA[@]}"
  exit 0
fi
mkdir -p "$WORK"
[[ -f "$WORK/fma/fma_metadata/README_demo.txt" ]] ||
  "$BIN/musictag-make-demo" --output "$WORK/fma" --tracks "$TRACKS" --seed 11 --overwrite > /dev/null
for compression in none deflate; do
  [[ -f "$WORK/$compression/manifest.json" ]] && continue
  "$BIN/musictag-preprocess" --config "$ROOT/configs/demo.yaml" --set "dataset.root=$WORK/fma" \
    --set "preprocess.output=$WORK/$compression" --set "preprocess.compression=$compression" \
    --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" > "$WORK/$compression.log" 2>&1 ||
    { tail -n 20 "$WORK/$compression.log" >&2; exit 1; }
done
for compression in none deflate; do
  echo "== /mel $compression: $(du -sh "$WORK/$compression/parts" | cut -f1) of parts"
  "$BIN/bench_loader" --dataset "$WORK/$compression" "${JSON[@]}" "${EXTRA[@]}"
done
