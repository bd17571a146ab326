#!/usr/bin/env bash
# Waveform datasets and the device log-mel frontend (issue #13), each number a ratio against a baseline of this run:
#   1. training samples/s of one spectrogram model (short_chunk_cnn, reduced widths, 256-frame crops at 12 kHz, hop
#      256) fed waveforms through model.frontend: logmel vs the same model fed stored log-mels; from in-memory
#      batches (the frontend's compute alone) and from HDF5 parts of the same demo tracks (plus the loader, which
#      reads ~1.6x the bytes of a crop for waveforms: 65,280 samples vs 96 x 256 values);
#   2. the sample-level CNN (paper size, 59,049 samples at 16 kHz) from memory, for scale.
# On this CPU the frontend is not free; on a GPU it is a few percent of a step (bench/gpu_check.sh runs section 1
# there when a device is lent). Preprocess throughput and disk bytes per example of each kind: bench_preprocess.sh 8.
# Usage: bench/bench_frontend.sh [TRACKS=40]   (after scripts/build.sh; MUSICTAG_BUILD_DIR, MUSICTAG_BENCH_DIR)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MUSICTAG_BUILD_DIR:-$ROOT/build}/bin"
TRACKS=${1:-40}
WORK="${MUSICTAG_BENCH_DIR:-$ROOT/out/bench-frontend}"
DEVICE=${BENCH_DEVICE:-cpu}
MPIRUN=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && MPIRUN+=(--allow-run-as-root)
[[ -x "$BIN/bench_train" ]] || { echo "no $BIN/bench_train: build it (MUSICTAG_BUILD_DIR)" >&2; exit 2; }

mkdir -p "$WORK"
[[ -f "$WORK/fma/fma_metadata/README_demo.txt" ]] ||
  "$BIN/musictag-make-demo" --output "$WORK/fma" --tracks "$TRACKS" --seed 5 --overwrite > /dev/null
for kind in logmel waveform; do
  [[ -f "$WORK/$kind/manifest.json" ]] ||
    "${MPIRUN[@]}" -np 1 "$BIN/musictag-preprocess" --config "$ROOT/configs/demo.yaml" --set "dataset.root=$WORK/fma" \
      --set "preprocess.output=$WORK/$kind" --set "features.kind=$kind" --set preprocess.progress_seconds=0 \
      --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" > "$WORK/$kind.log" 2>&1
done

MODEL=(--kind short_chunk_cnn --set model.n_mels=96 --frames 256 --set "model.conv_channels=[16,16,32,32,32,32]")
RUN=(--batch 16 --warmup 3 --steps 15 --threads "$(nproc)" --device "$DEVICE")
# samples_per_s SOURCE DATASET [extra]: bench_train's samples/s.
samples_per_s() {
  local source=$1 dataset=$2
  shift 2
  "$BIN/bench_train" "${MODEL[@]}" "${RUN[@]}" --source "$source" --dataset "$dataset" "$@" |
    python3 -c "import json, sys; print(json.loads(sys.stdin.readlines()[-1])['samples_per_s'])"
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

for source in memory hdf5; do
  stored=$(samples_per_s "$source" "$WORK/logmel")
  frontend=$(samples_per_s "$source" "$WORK/waveform" --set model.frontend=logmel)
  echo "1. short_chunk_cnn from $source ($DEVICE): stored log-mels $stored samples/s, waveforms + device frontend" \
    "$frontend samples/s: ratio $(ratio "$frontend" "$stored")"
done
sample_cnn=$("$BIN/bench_train" --kind sample_cnn --batch 8 --warmup 2 --steps 6 --threads "$(nproc)" \
  --device "$DEVICE" --source memory | python3 -c "import json, sys; print(json.loads(sys.stdin.readlines()[-1])['samples_per_s'])")
echo "2. sample_cnn (paper size, 59,049 samples) from memory ($DEVICE): $sample_cnn samples/s"
