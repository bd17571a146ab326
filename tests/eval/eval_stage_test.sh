#!/usr/bin/env bash
# End-to-end tests of musictag-eval and musictag-predict on a generated, preprocessed dataset and a tiny checkpoint
# trained here (CI has no checkpoint):
#   setup DIR      generate 40 tracks, preprocess them into 10 s segments (preprocess.segments all: 3 per track, so
#                  segments are pooled to tracks), train a tiny CRNN for 2 short epochs, and evaluate it on the
#                  training split with 1 rank (the reference used by the other actions)
#   ranks DIR      2 ranks write every output file, and the same predictions (scores to 1e-6: other batches) and numbers as 1 rank
#   files DIR      every output file exists and parses (eval.json, per_tag.csv, report.md, per_tag_auc.svg,
#                  predictions.h5, eval.yaml), eval.json's summary.macro_roc_auc is there
#   twin DIR       python/musictag's load_checkpoint + the split's stored examples = predictions.h5's scores (1e-5)
#   chunks DIR     eval.chunks=5 (2 ranks): the Python twin averaging the same 5 evenly spaced crops agrees (1e-5)
#   zoo DIR        every model-zoo kind (reduced): 2-rank musictag-train, eval, predict, and the twin check
#   recompute DIR  eval.json's numbers equal scikit-learn's on predictions.h5 (h5py; numpy pooling) to 1e-9
#   predict DIR    musictag-predict (no segmentation flags: it takes preprocess.segments=all from the checkpoint)
#                  on the evaluated tracks' mp3s gives the eval harness' pooled probabilities (<= 1e-5): the same
#                  frontend code and features, no drift
#   broken DIR     broken files (missing, empty, not audio, too short, silent) each get an error line and a stderr
#                  message while the good files are still tagged (exit 0); only broken files: exit 3
#   mismatch DIR   a dataset whose manifest has other features or tags is refused (exit 3) naming both files
# Needs MUSICTAG_BIN (folder of the executables), MUSICTAG_SOURCE_DIR and MUSICTAG_VENV (python with sklearn, h5py).
set -euo pipefail
ACTION=$1
DIR=$2
BIN=${MUSICTAG_BIN:?}
SOURCE=${MUSICTAG_SOURCE_DIR:?}
PYTHON=${MUSICTAG_VENV:?}/bin/python
CONFIG=$SOURCE/configs/demo.yaml
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)

fail() { echo "FAIL: $*" >&2; exit 1; }

# A tiny CRNN on 256-frame crops: 2 epochs of a few steps each, enough for scores that differ between tracks.
TINY=(--set model.n_frames=256 --set "model.conv_channels=[8,16,16,16]" --set model.gru_hidden=16
      --set train.input_frames=256 --set train.batch_size=8 --set train.epochs=2 --set train.variants=original
      --set train.learning_rate=0.01 --set train.warmup_steps=0 --set train.schedule=constant
      --set train.min_lr_ratio=0 --set train.loader_threads=1 --set train.device=cpu --set train.seed=3)

# evaluate RANKS OUTPUT [extra flags]: the tiny checkpoint on the training split (most tracks: most tags defined).
evaluate() {
  local ranks=$1 output=$2
  shift 2
  "${MPIRUN[@]}" -np "$ranks" "$BIN/musictag-eval" --config "$CONFIG" \
    --set "eval.checkpoint=$DIR/train/checkpoints/best.pt" --set "eval.dataset=$DIR/dataset" \
    --set eval.split=training --set "eval.output=$output" --set eval.batch_size=5 \
    --set eval.bootstrap_resamples=200 --set eval.seed=11 --set eval.progress_seconds=0 "$@"
}

# twin_check CHECKPOINT DATASET EVAL_OUTPUT [CHUNKS]: python/musictag's load_checkpoint on CHECKPOINT, run on the
# training split's stored examples cropped as eval crops them (the centre crop, or CHUNKS crops at
# i * floor((stored - input) / CHUNKS) with their sigmoid scores averaged, as Won et al.'s eval.py), gives
# EVAL_OUTPUT/predictions.h5's scores (1e-5).
twin_check() {
  PYTHONPATH="$SOURCE/python" "$PYTHON" - "$1" "$2" "$3" "${4:-1}" <<'PY'
import json, sys
import h5py, numpy as np, torch
import musictag
checkpoint, dataset, out, chunks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
torch.set_num_threads(1)
c = musictag.load_checkpoint(checkpoint)
p = h5py.File(f"{out}/predictions.h5", "r")
assert c.tag_names == [t.decode() if isinstance(t, bytes) else t for t in p.attrs["tag_names"]]
manifest = json.load(open(f"{dataset}/manifest.json"))
parts = sorted((q for q in manifest["parts"] if q["split"] == "training"), key=lambda q: q["index"])
mels, ids = [], []
for q in parts:
  with h5py.File(f"{dataset}/{q['file']}", "r") as f:
      keep = f["variant"][()] == 0
      mels.append(f["mel"][()][keep].astype(np.float32))
      ids.append(f["track_id"][()][keep])
mel, ids = np.concatenate(mels), np.concatenate(ids)
frames = c.options["n_frames"]
if chunks == 1:
  starts = [(mel.shape[2] - frames) // 2]  # eval's centre crop (train/data/batch_plan.h centre_crop_offset)
else:
  starts = [i * ((mel.shape[2] - frames) // chunks) for i in range(chunks)]
with torch.no_grad():
  scores = np.mean([torch.sigmoid(c.model(torch.from_numpy(mel[:, :, s:s + frames].copy()))).numpy()
                    for s in starts], axis=0)
assert np.array_equal(ids, p["track_id"][()]), "row order differs from predictions.h5"
diff = np.abs(scores - p["scores"][()]).max()
assert diff <= 1e-5, f"max |python - musictag-eval| = {diff}"
print(f"load_checkpoint({c.kind}) on {len(ids)} examples x {len(starts)} crops = musictag-eval's predictions.h5: "
      f"max |diff| {diff:.2e}")
PY
}

case "$ACTION" in
  setup)
    rm -rf "$DIR" && mkdir -p "$DIR"
    "$BIN/musictag-make-demo" --output "$DIR/fma" --tracks 40 --seed 7 --threads 2 > "$DIR/make-demo.log"
    "${MPIRUN[@]}" -np 2 "$BIN/musictag-preprocess" --config "$CONFIG" --set "dataset.root=$DIR/fma" \
      --set "preprocess.output=$DIR/dataset" --set preprocess.part_size=4 --set preprocess.progress_seconds=0 \
      --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" --set features.segment_seconds=10 \
      --set preprocess.segments=all > "$DIR/preprocess.log" 2>&1 \
      || { cat "$DIR/preprocess.log"; fail "preprocess"; }
    "${MPIRUN[@]}" -np 2 "$BIN/musictag-train" --config "$CONFIG" "${TINY[@]}" --set "train.dataset=$DIR/dataset" \
      --set "train.output=$DIR/train" > "$DIR/train.log" 2>&1 || { cat "$DIR/train.log"; fail "train"; }
    [[ -f "$DIR/train/checkpoints/best.pt" ]] || fail "training wrote no best.pt"
    evaluate 1 "$DIR/eval1" > "$DIR/eval1.log" 2>&1 || { cat "$DIR/eval1.log"; fail "1-rank eval"; }
    grep "macro ROC-AUC" "$DIR/eval1.log"
    ;;
  ranks)
    rm -rf "$DIR/eval2"
    evaluate 2 "$DIR/eval2" > "$DIR/eval2.log" 2>&1 || { cat "$DIR/eval2.log"; fail "2-rank eval"; }
    grep -q "2 ranks on" "$DIR/eval2.log" || fail "the 2-rank eval did not run 2 ranks"
    "$PYTHON" - "$DIR/eval1" "$DIR/eval2" <<'PY'
import json, sys
import h5py, numpy as np
one, two = sys.argv[1], sys.argv[2]
a, b = h5py.File(f"{one}/predictions.h5", "r"), h5py.File(f"{two}/predictions.h5", "r")
for name in ("labels", "track_id"):
    assert np.array_equal(a[name][()], b[name][()]), f"/{name} differs between 1 and 2 ranks"
# Scores: the same model on the same examples, but in other batches (each rank batches its own share), and ATen's
# float32 kernels may round an example differently by its place in a batch (AVX2 CPUs: up to 6e-8 measured; AVX-512
# machines gave identical scores). 1e-6 is 17 such roundings; a wrong example or crop differs by far more.
gap = float(np.abs(a["scores"][()] - b["scores"][()]).max())
assert gap <= 1e-6, f"/scores differs between 1 and 2 ranks by up to {gap}"
ja, jb = json.load(open(f"{one}/eval.json")), json.load(open(f"{two}/eval.json"))
ja["metadata"].pop("config"); jb["metadata"].pop("config")        # eval.output differs, nothing else
ja["metadata"].pop("config_sha256"); jb["metadata"].pop("config_sha256")
def same(x, y, where="eval.json"):  # equal, floats to 1e-6 (metrics of scores equal to 1e-6)
    if isinstance(x, dict):
        assert isinstance(y, dict) and x.keys() == y.keys(), f"{where}: keys differ"
        for k in x: same(x[k], y[k], f"{where}.{k}")
    elif isinstance(x, list):
        assert isinstance(y, list) and len(x) == len(y), f"{where}: lengths differ"
        for i, (u, v) in enumerate(zip(x, y)): same(u, v, f"{where}[{i}]")
    elif isinstance(x, float) or isinstance(y, float):
        assert abs(x - y) <= 1e-6, f"{where}: {x} vs {y} between 1 and 2 ranks"
    else:
        assert x == y, f"{where}: {x} vs {y} between 1 and 2 ranks"
same(ja, jb)
s = ja["summary"]
print(f"1 rank == 2 ranks (scores within {gap:.1e}): {a['scores'].shape[0]} rows; macro ROC-AUC {s['macro_roc_auc']:.6f}, "
      f"micro {s['micro_roc_auc']:.6f}, macro PR-AUC {s['macro_pr_auc']:.6f}, micro PR-AUC {s['micro_pr_auc']:.6f}")
PY
    ;;
  files)
    "$PYTHON" - "$DIR/eval1" <<'PY'
import csv, json, sys, xml.etree.ElementTree as ET
import h5py
out = sys.argv[1]
j = json.load(open(f"{out}/eval.json"))
assert isinstance(j["summary"]["macro_roc_auc"], float), j["summary"]
assert j["metadata"]["split"] == "training" and j["metadata"]["aggregation"] == "mean", j["metadata"]
assert len(j["metadata"]["checkpoint_sha256"]) == 64 and len(j["metadata"]["manifest_sha256"]) == 64
assert j["summary"]["macro_roc_auc_ci"]["resamples"] == 200
rows = list(csv.DictReader(open(f"{out}/per_tag.csv")))
assert len(rows) == j["summary"]["n_tags"] == len(j["tags"]), (len(rows), j["summary"]["n_tags"])
report = open(f"{out}/report.md").read()
assert "macro" in report.lower() and "per_tag_auc.svg" in report
svg = ET.parse(f"{out}/per_tag_auc.svg").getroot()
assert svg.tag.endswith("svg"), svg.tag
p = h5py.File(f"{out}/predictions.h5", "r")
assert p["scores"].shape == p["labels"].shape and p["scores"].shape[1] == len(j["tags"])
assert [t.decode() if isinstance(t, bytes) else t for t in p.attrs["tag_names"]] == [t["name"] for t in j["tags"]]
assert "aggregate: mean" in open(f"{out}/eval.yaml").read()
print(f"eval.json, per_tag.csv ({len(rows)} tags), report.md, per_tag_auc.svg, predictions.h5 "
      f"{p['scores'].shape}, eval.yaml: all parse")
PY
    ! compgen -G "$DIR/eval1/*.partial" > /dev/null || fail ".partial files left behind"
    ;;
  twin)
    twin_check "$DIR/train/checkpoints/best.pt" "$DIR/dataset" "$DIR/eval1"
    ;;
  chunks)
    # Won et al.'s protocol: 5 crops of 256 frames per 10 s segment (stored 834 frames: hop 115), averaged.
    rm -rf "$DIR/eval-chunks"
    evaluate 2 "$DIR/eval-chunks" --set eval.chunks=5 > "$DIR/eval-chunks.log" 2>&1 \
      || { cat "$DIR/eval-chunks.log"; fail "eval with chunks"; }
    grep -q "5 evenly spaced crops of 256" "$DIR/eval-chunks.log" || fail "the log does not name the 5 crops"
    twin_check "$DIR/train/checkpoints/best.pt" "$DIR/dataset" "$DIR/eval-chunks" 5
    ;;
  zoo)
    # Every model-zoo kind, reduced: 2-rank training through musictag-train, eval, predict, and the Python twin.
    declare -A MODEL=(
      [fcn]="{kind: fcn, n_frames: 256, conv_channels: [8, 16, 16, 8], pool_sizes: [2x4, 2x4, 4x4, 6x4]}"
      [crnn_won]="{kind: crnn_won, n_frames: 256, conv_channels: [8, 16, 16, 16], gru_hidden: 8}"
      [musicnn]="{kind: musicnn, n_frames: 256, timbral_channels: 16, temporal_channels: 8, backend_channels: 16,
                  dense_channels: 32}"
      [short_chunk_cnn]="{kind: short_chunk_cnn, n_mels: 96, n_frames: 256, conv_channels: [8, 16, 16, 32, 32, 32]}"
      [short_chunk_resnet]="{kind: short_chunk_resnet, n_mels: 96, n_frames: 256,
                             conv_channels: [8, 8, 16, 16, 16, 16, 32]}"
      [self_attention]="{kind: self_attention, n_mels: 96, n_frames: 256, conv_channels: [8, 8, 16, 16, 16, 16, 16],
                         intermediate_size: 32}")
    for kind in fcn musicnn crnn_won short_chunk_cnn short_chunk_resnet self_attention; do
      run="$DIR/zoo-$kind"
      rm -rf "$run" && mkdir -p "$run"
      cat > "$run/config.yaml" <<YAML
model: ${MODEL[$kind]}
train: {dataset: $DIR/dataset, output: $run/train, epochs: 2, batch_size: 8, input_frames: 256, variants: original,
        learning_rate: 0.01, loader_threads: 1, device: cpu, seed: 3}
eval: {checkpoint: $run/train/checkpoints/best.pt, dataset: $DIR/dataset, split: training, output: $run/eval,
       batch_size: 5, bootstrap_resamples: 50, progress_seconds: 0}
YAML
      "${MPIRUN[@]}" -np 2 "$BIN/musictag-train" --config "$run/config.yaml" > "$run/train.log" 2>&1 \
        || { cat "$run/train.log"; fail "$kind: training"; }
      "$BIN/musictag-eval" --config "$run/config.yaml" > "$run/eval.log" 2>&1 || { cat "$run/eval.log"; fail "$kind: eval"; }
      clip=$(find "$DIR/fma/audio" -name '*.mp3' -size +100k | sort | head -1)
      "$BIN/musictag-predict" --checkpoint "$run/train/checkpoints/best.pt" --top-k 2 --output "$run/predict.jsonl" \
        "$clip" > "$run/predict.log" 2>&1 || { cat "$run/predict.log"; fail "$kind: predict"; }
      grep -q '"tags"' "$run/predict.jsonl" || fail "$kind: predict wrote no tags"
      echo "$kind: $(grep -o 'macro ROC-AUC [0-9.]*' "$run/eval.log" | head -1)"
      twin_check "$run/train/checkpoints/best.pt" "$DIR/dataset" "$run/eval"
    done
    ;;
  recompute)
    "$PYTHON" - "$DIR/eval1" <<'PY'
import json, sys
import h5py, numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score
out = sys.argv[1]
j = json.load(open(f"{out}/eval.json"))
p = h5py.File(f"{out}/predictions.h5", "r")
scores, labels, ids = p["scores"][()], p["labels"][()], p["track_id"][()]
# Segment rows -> tracks: mean in float64, rounded to float32 once (as eval/aggregate.h says).
tracks = np.unique(ids)
s = np.stack([scores[ids == t].astype(np.float64).mean(axis=0) for t in tracks]).astype(np.float32)
y = np.stack([labels[ids == t][0] for t in tracks])
assert j["metadata"]["n_tracks"] == len(tracks) and j["metadata"]["n_examples"] == len(ids) == 3 * len(tracks)
roc, pr = [], []
for k, tag in enumerate(j["tags"]):
    if 0 < y[:, k].sum() < len(y):
        roc.append(roc_auc_score(y[:, k], s[:, k])); pr.append(average_precision_score(y[:, k], s[:, k]))
        assert abs(tag["roc_auc"] - roc[-1]) <= 1e-9, (tag, roc[-1])
        assert abs(tag["pr_auc"] - pr[-1]) <= 1e-9, (tag, pr[-1])
    else:
        assert tag["roc_auc"] is None and tag["pr_auc"] is None, tag
expected = {"macro_roc_auc": np.mean(roc), "macro_pr_auc": np.mean(pr),
            "micro_roc_auc": roc_auc_score(y.ravel(), s.ravel()),
            "micro_pr_auc": average_precision_score(y.ravel(), s.ravel())}
for key, value in expected.items():
    assert abs(j["summary"][key] - value) <= 1e-9, (key, j["summary"][key], value)
assert len(roc) >= 5, f"only {len(roc)} tags defined: the check would be weak"
print(f"eval.json = scikit-learn on predictions.h5 to 1e-9: {len(roc)} defined tags of {len(j['tags'])}, "
      f"{len(tracks)} tracks, macro ROC-AUC {expected['macro_roc_auc']:.6f}")
PY
    ;;
  predict)
    # The mp3s of the first 12 evaluated tracks (FMA layout audio/NNN/NNNNNN.mp3), every tag's probability.
    mapfile -t files < <("$PYTHON" -c '
import sys, h5py
for t in sorted(set(h5py.File(sys.argv[1], "r")["track_id"][()].tolist()))[:12]:
    print(f"{sys.argv[2]}/audio/{t // 1000:03d}/{t:06d}.mp3")' "$DIR/eval1/predictions.h5" "$DIR/fma")
    "$BIN/musictag-predict" --checkpoint "$DIR/train/checkpoints/best.pt" --top-k 0 \
      --output "$DIR/predict.jsonl" "${files[@]}" 2> "$DIR/predict.log" || { cat "$DIR/predict.log"; fail "predict"; }
    "$PYTHON" - "$DIR/predict.jsonl" "$DIR/eval1/predictions.h5" <<'PY'
import json, os, sys
import h5py, numpy as np
lines = [json.loads(l) for l in open(sys.argv[1])]
p = h5py.File(sys.argv[2], "r")
names = [t.decode() if isinstance(t, bytes) else t for t in p.attrs["tag_names"]]
ids, scores = p["track_id"][()], p["scores"][()]
worst = 0.0
for line in lines:
    assert "error" not in line, line
    assert line["segments"] == 3 and 25 < line["duration_s"] < 35, line
    assert len(line["tags"]) == len(names)
    probabilities = [t["probability"] for t in line["tags"]]
    assert probabilities == sorted(probabilities, reverse=True), "tags not sorted by probability"
    track = int(os.path.basename(line["file"]).split(".")[0])
    expected = scores[ids == track].astype(np.float64).mean(axis=0).astype(np.float32)  # eval's mean pooling
    got = np.array([dict((t["tag"], t["probability"]) for t in line["tags"])[n] for n in names])
    worst = max(worst, float(np.abs(got - expected).max()))
assert worst <= 1e-5, f"predict differs from eval by {worst}: the features drifted"
print(f"predict == eval on {len(lines)} tracks: max |difference| {worst:.3g} (bound 1e-5)")
PY
    ;;
  broken)
    # The broken files of the generated dataset, by the stage preprocess found (failures.tsv), plus a missing path.
    mapfile -t bad < <(awk -F'\t' 'NR > 1 && $3 != "missing" {print $2}' "$DIR/dataset/failures.tsv")
    good=$("$PYTHON" -c '
import sys, h5py
t = int(h5py.File(sys.argv[1], "r")["track_id"][0]); print(f"{sys.argv[2]}/audio/{t // 1000:03d}/{t:06d}.mp3")' \
      "$DIR/eval1/predictions.h5" "$DIR/fma")
    files=("$DIR/no-such-file.mp3" "${bad[@]}" "$good")
    "$BIN/musictag-predict" --checkpoint "$DIR/train/checkpoints/best.pt" --top-k 3 "${files[@]}" \
      > "$DIR/broken.jsonl" 2> "$DIR/broken.log" \
      || { cat "$DIR/broken.log"; fail "predict exited non-zero with one good file"; }
    "$PYTHON" - "$DIR/broken.jsonl" "${files[@]}" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
files = sys.argv[2:]
assert [l["file"] for l in lines] == files, "one line per file, in order"
for line in lines[:-1]:
    assert "error" in line and "tags" not in line and line["stage"], line
assert lines[-1].get("tags") and len(lines[-1]["tags"]) == 3, lines[-1]
stages = sorted(l["stage"] for l in lines[:-1])
assert {"missing", "empty", "open", "too_short"} <= set(stages), stages
print(f"{len(lines) - 1} broken files each reported ({', '.join(stages)}); the good file tagged")
PY
    for f in "${files[@]:0:${#files[@]}-1}"; do grep -qF "$f" "$DIR/broken.log" || fail "no stderr message for $f"; done
    set +e
    "$BIN/musictag-predict" --checkpoint "$DIR/train/checkpoints/best.pt" "${bad[@]}" > /dev/null 2>&1
    code=$?
    set -e
    [[ $code -eq 3 ]] || fail "only broken files: exit code $code, expected 3"
    echo "only broken files: exit code 3"
    ;;
  mismatch)
    # A copy of the dataset whose manifest has other mel bands and a renamed tag (the parts are linked, unchanged).
    rm -rf "$DIR/other" && mkdir -p "$DIR/other"
    ln -s "$DIR/dataset/parts" "$DIR/other/parts"
    "$PYTHON" - "$DIR/dataset/manifest.json" "$DIR/other/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["features"]["n_mels"] = 128
m["tag_names"][0] = "Polka"
json.dump(m, open(sys.argv[2], "w"), indent=2)
PY
    set +e
    "$BIN/musictag-eval" --set "eval.checkpoint=$DIR/train/checkpoints/best.pt" --set "eval.dataset=$DIR/other" \
      --set "eval.output=$DIR/eval-other" > "$DIR/mismatch.log" 2>&1
    code=$?
    set -e
    cat "$DIR/mismatch.log" | grep -i fatal || true
    [[ $code -eq 3 ]] || fail "mismatched dataset: exit code $code, expected 3"
    for text in "$DIR/train/checkpoints/best.pt" "$DIR/other/manifest.json" "features.n_mels" "Polka"; do
      grep -qF "$text" "$DIR/mismatch.log" || fail "the error does not name '$text'"
    done
    [[ ! -e "$DIR/eval-other" ]] || fail "a refused evaluation wrote output"
    ;;
  *)
    fail "unknown action $ACTION"
    ;;
esac
