#!/usr/bin/env bash
# The main job end to end on the embedded demo dataset: installs what is missing, builds, generates a small
# dataset in FMA's own format, then runs every stage that exists. Everything lands under out/demo/.
#
# Environment: MUSICTAG_DEMO_OUT (default <repo>/out/demo), MUSICTAG_DEMO_TRACKS (default 300),
# MUSICTAG_DEMO_RANKS (default 2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MUSICTAG_BUILD_DIR:-$ROOT/build}"
OUT="${MUSICTAG_DEMO_OUT:-$ROOT/out/demo}"
TRACKS="${MUSICTAG_DEMO_TRACKS:-300}"
RANKS="${MUSICTAG_DEMO_RANKS:-2}"
BIN="$BUILD/bin"
MPIRUN=(mpirun --oversubscribe -np "$RANKS")
[[ $(id -u) -eq 0 ]] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np "$RANKS")

step() { printf '\n=== %s ===\n' "$*"; }

step "install and build"
"$ROOT/scripts/build.sh"
mkdir -p "$OUT"

step "generate the demo dataset ($TRACKS tracks, FMA format) -> $OUT/fma"
if [[ -f "$OUT/fma/fma_metadata/README_demo.txt" ]]; then  # written last: the dataset is complete
  echo "already there; delete $OUT/fma to regenerate"
else
  "$BIN/musictag-make-demo" --output "$OUT/fma" --tracks "$TRACKS" --seed 1 --overwrite
fi

step "preprocess with $RANKS MPI ranks -> $OUT/dataset"
cd "$ROOT"
# --overwrite: a dataset left by an earlier musictag (whose resolved config lacks keys added since) is recomputed
# instead of refused; the demo's preprocess takes under a minute.
"${MPIRUN[@]}" "$BIN/musictag-preprocess" --config configs/demo.yaml --overwrite \
  --set "dataset.root=$OUT/fma" --set "preprocess.output=$OUT/dataset"

step "train with $RANKS MPI ranks -> $OUT/train"
"${MPIRUN[@]}" "$BIN/musictag-train" --config configs/demo.yaml \
  --set "train.dataset=$OUT/dataset" --set "train.output=$OUT/train"

step "evaluate the best checkpoint on the test split with $RANKS MPI ranks -> $OUT/eval"
"${MPIRUN[@]}" "$BIN/musictag-eval" --config configs/demo.yaml \
  --set "eval.checkpoint=$OUT/train/checkpoints/best.pt" --set "eval.dataset=$OUT/dataset" \
  --set "eval.output=$OUT/eval"

step "predict: the top 3 tags of two demo clips -> $OUT/eval/predict-example.jsonl"
mapfile -t clips < <(find "$OUT/fma/audio" -name '*.mp3' -size +300k | sort | head -2)
"$BIN/musictag-predict" --checkpoint "$OUT/train/checkpoints/best.pt" --top-k 3 \
  --output "$OUT/eval/predict-example.jsonl" "${clips[@]}"
cat "$OUT/eval/predict-example.jsonl"

step "done"
echo "raw data:  $OUT/fma      (fma_metadata/tracks.csv, fma_metadata/genres.csv, audio/NNN/NNNNNN.mp3)"
echo "dataset:   $OUT/dataset  (manifest.json, parts/*.h5, failures.tsv: $(($(wc -l < "$OUT/dataset/failures.tsv") - 1)) tracks skipped)"
echo "training:  $OUT/train    (checkpoints/, metrics.jsonl, curves.svg)"
echo "eval:      $OUT/eval     (eval.json, per_tag.csv, report.md, per_tag_auc.svg, predictions.h5)"
python3 - "$OUT/eval/eval.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
ci = s["macro_roc_auc_ci"]
f = lambda x: "n/a" if x is None else f"{x:.4f}"
print(f"test split: macro ROC-AUC {f(s['macro_roc_auc'])} [{f(ci['lower'])}, {f(ci['upper'])}] "
      f"({ci['confidence']:.0%} bootstrap), micro ROC-AUC {f(s['micro_roc_auc'])}, "
      f"macro PR-AUC {f(s['macro_pr_auc'])}, micro PR-AUC {f(s['micro_pr_auc'])}")
PY
echo "report:    $OUT/eval/report.md"
