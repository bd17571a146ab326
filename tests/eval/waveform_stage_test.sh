#!/usr/bin/env bash
# End to end with waveform datasets (features.kind: waveform, issue #13), on a generated FMA-format demo:
#   setup DIR         generate 40 tracks; 2-rank musictag-preprocess into 10 s segments (preprocess.segments all)
#                     twice: log-mels (DIR/logmel) and waveforms (DIR/waveform)
#   parts DIR         h5py reads every waveform part: /audio [N, 120000] float16 (10 s at 12 kHz), format_version 2,
#                     feature_kind waveform, and the same tracks, segments and tags row for row as the log-mel run;
#                     the PyTorch twin's log-mel (python/musictag/frontends.py) of /audio equals the log-mel run's
#                     /mel (mean |diff| <= 0.05 dB over all bins; both store float16, so the two differ by their
#                     roundings: the waveform's 2^-11 relative error and the log-mel's)
#   sample_cnn DIR    a reduced sample_cnn: 2-rank musictag-train on the waveforms, musictag-eval (2 ranks), the
#                     Python twin on the stored /audio = eval's predictions.h5 (1e-5), musictag-predict on an mp3
#   harmonic_cnn DIR  the same for a reduced harmonic_cnn (1 epoch)
#   frontend DIR      a log-mel kind (short_chunk_cnn) through model.frontend: logmel on the waveforms, the same way
#   mismatch DIR      a CRNN on the waveforms, a sample_cnn on the log-mels: training refused (exit 2) naming both;
#                     the sample_cnn checkpoint evaluated on the log-mel dataset: refused (exit 3) naming both
# Needs MUSICTAG_BIN (folder of the executables), MUSICTAG_SOURCE_DIR and MUSICTAG_VENV (python with torch, h5py).
set -euo pipefail
ACTION=$1
DIR=$2
BIN=${MUSICTAG_BIN:?}
SOURCE=${MUSICTAG_SOURCE_DIR:?}
PYTHON=${MUSICTAG_VENV:?}/bin/python
CONFIG=$SOURCE/configs/demo.yaml
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)

fail() { echo "FAIL: $*" >&2; exit 1; }

# preprocess OUTPUT [flags]: 10 s segments, 3 per 30 s track, no augmentation.
preprocess() {
  local output=$1
  shift
  "${MPIRUN[@]}" -np 2 "$BIN/musictag-preprocess" --config "$CONFIG" --set "dataset.root=$DIR/fma" \
    --set "preprocess.output=$output" --set preprocess.part_size=4 --set preprocess.progress_seconds=0 \
    --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" --set features.segment_seconds=10 \
    --set preprocess.segments=all "$@"
}

# twin_check CHECKPOINT EVAL_OUTPUT: python/musictag's load_checkpoint on the training split's stored /audio, centre
# crop of the model's n_samples as eval crops it, gives EVAL_OUTPUT/predictions.h5's scores (1e-5).
twin_check() {
  PYTHONPATH="$SOURCE/python" "$PYTHON" - "$1" "$DIR/waveform" "$2" <<'PY'
import json, sys
import h5py, numpy as np, torch
import musictag
checkpoint, dataset, out = sys.argv[1:4]
torch.set_num_threads(1)
c = musictag.load_checkpoint(checkpoint)
assert c.features["kind"] == "waveform", c.features
p = h5py.File(f"{out}/predictions.h5", "r")
manifest = json.load(open(f"{dataset}/manifest.json"))
parts = sorted((q for q in manifest["parts"] if q["split"] == "training"), key=lambda q: q["index"])
audio, ids = [], []
for q in parts:
    with h5py.File(f"{dataset}/{q['file']}", "r") as f:
        audio.append(f["audio"][()].astype(np.float32))
        ids.append(f["track_id"][()])
audio, ids = np.concatenate(audio), np.concatenate(ids)
n = c.options["n_samples"]
start = (audio.shape[1] - n) // 2  # eval's centre crop (train/data/batch_plan.h centre_crop_offset)
with torch.no_grad():
    scores = torch.sigmoid(c.model(torch.from_numpy(audio[:, start:start + n].copy()))).numpy()
assert np.array_equal(ids, p["track_id"][()]), "row order differs from predictions.h5"
diff = np.abs(scores - p["scores"][()]).max()
assert diff <= 1e-5, f"max |python - musictag-eval| = {diff}"
print(f"load_checkpoint({c.kind}) on {len(ids)} stored waveforms = musictag-eval's predictions.h5: max |diff| {diff:.2e}")
PY
}

# train_eval_predict NAME MODEL_YAML EPOCHS: 2-rank training on the waveforms, 2-rank eval on the training split,
# the twin check, and musictag-predict on one demo mp3.
train_eval_predict() {
  local name=$1 model=$2 epochs=$3
  local run="$DIR/$name"
  rm -rf "$run" && mkdir -p "$run"
  cat > "$run/config.yaml" <<YAML
model: $model
train: {dataset: $DIR/waveform, output: $run/train, epochs: $epochs, batch_size: 8, variants: original,
        learning_rate: 0.01, loader_threads: 1, device: cpu, seed: 3}
eval: {checkpoint: $run/train/checkpoints/best.pt, dataset: $DIR/waveform, split: training, output: $run/eval,
       batch_size: 6, bootstrap_resamples: 50, progress_seconds: 0}
YAML
  "${MPIRUN[@]}" -np 2 "$BIN/musictag-train" --config "$run/config.yaml" > "$run/train.log" 2>&1 \
    || { cat "$run/train.log"; fail "$name: training"; }
  "${MPIRUN[@]}" -np 2 "$BIN/musictag-eval" --config "$run/config.yaml" > "$run/eval.log" 2>&1 \
    || { cat "$run/eval.log"; fail "$name: eval"; }
  grep -q "samples" "$run/eval.log" || fail "$name: eval does not say it crops samples"
  echo "$name: $(grep -o 'macro ROC-AUC [0-9.]*' "$run/eval.log" | head -1)"
  twin_check "$run/train/checkpoints/best.pt" "$run/eval"
  local clip
  clip=$(find "$DIR/fma/audio" -name '*.mp3' -size +100k | sort | head -1)
  "$BIN/musictag-predict" --checkpoint "$run/train/checkpoints/best.pt" --top-k 2 --output "$run/predict.jsonl" \
    "$clip" > "$run/predict.log" 2>&1 || { cat "$run/predict.log"; fail "$name: predict"; }
  grep -q '"tags"' "$run/predict.jsonl" || fail "$name: predict wrote no tags"
  grep -q '"segments":3' "$run/predict.jsonl" || fail "$name: predict did not score the 3 segments of the track"
}

case "$ACTION" in
  setup)
    rm -rf "$DIR" && mkdir -p "$DIR"
    "$BIN/musictag-make-demo" --output "$DIR/fma" --tracks 40 --seed 7 --threads 2 > "$DIR/make-demo.log"
    preprocess "$DIR/logmel" > "$DIR/logmel.log" 2>&1 || { cat "$DIR/logmel.log"; fail "log-mel preprocess"; }
    preprocess "$DIR/waveform" --set features.kind=waveform > "$DIR/waveform.log" 2>&1 \
      || { cat "$DIR/waveform.log"; fail "waveform preprocess"; }
    du -s --block-size=1 "$DIR/logmel/parts" "$DIR/waveform/parts"
    ;;
  parts)
    PYTHONPATH="$SOURCE/python" "$PYTHON" - "$DIR/logmel" "$DIR/waveform" <<'PY'
import glob, json, os, sys
import h5py, numpy as np, torch
from musictag.frontends import LogMelFrontend
logmel, waveform = sys.argv[1:3]
features = json.load(open(f"{logmel}/manifest.json"))["features"]
wave_features = json.load(open(f"{waveform}/manifest.json"))["features"]
assert wave_features["kind"] == "waveform" and wave_features["segment_samples"] == 120000, wave_features
keys = ["sample_rate", "n_fft", "hop_length", "fmin", "fmax", "mel_scale", "mel_norm", "center", "pad_mode",
        "power", "amin", "ref", "top_db"]
frontend = LogMelFrontend(features["n_mels"], **{k: features[k] for k in keys})
names = sorted(os.path.basename(p) for p in glob.glob(f"{waveform}/parts/*.h5"))
assert names == sorted(os.path.basename(p) for p in glob.glob(f"{logmel}/parts/*.h5")), names
total, count, worst = 0.0, 0, 0.0
for name in names:
    with h5py.File(f"{waveform}/parts/{name}", "r") as w, h5py.File(f"{logmel}/parts/{name}", "r") as m:
        assert "mel" not in w and w["audio"].dtype == np.float16, (name, list(w.keys()))
        assert w["audio"].shape[1:] == (120000,) and w["audio"].chunks == (1, 120000), w["audio"].shape
        assert int(w.attrs["format_version"]) == 2 and int(w.attrs["n_samples"]) == 120000
        kind = w.attrs["feature_kind"]
        assert (kind.decode() if isinstance(kind, bytes) else kind) == "waveform"
        for key in ["track_id", "segment", "variant", "tags"]:
            assert np.array_equal(w[key][()], m[key][()]), (name, key)
        if len(w["audio"]) == 0:
            continue
        audio = torch.from_numpy(w["audio"][()].astype(np.float64))
        with torch.no_grad():
            twin = frontend(audio).numpy()
        stored = m["mel"][()].astype(np.float64)
        assert twin.shape == stored.shape, (twin.shape, stored.shape)
        d = np.abs(twin - stored)
        total, count, worst = total + d.sum(), count + d.size, max(worst, d.max())
mean = total / count
print(f"{len(names)} parts: twin log-mel of /audio vs /mel: mean |diff| {mean:.4f} dB, max {worst:.2f} dB")
assert mean <= 0.05, mean
PY
    ;;
  sample_cnn)
    train_eval_predict sample_cnn "{kind: sample_cnn, n_samples: 2187, sample_rate: 12000,
      conv_channels: [8, 8, 8, 16, 16, 16, 16], dropout: 0}" 2
    ;;
  harmonic_cnn)
    train_eval_predict harmonic_cnn "{kind: harmonic_cnn, n_samples: 9216, hop_length: 32, channels: 4, dropout: 0,
      sample_rate: 12000, n_harmonics: 4}" 1
    ;;
  frontend)
    train_eval_predict frontend "{kind: short_chunk_cnn, frontend: logmel, n_mels: 96, n_frames: 64,
      conv_channels: [8, 16, 16, 32, 32, 32]}" 1
    ;;
  mismatch)
    out="$DIR/mismatch"
    rm -rf "$out" && mkdir -p "$out"
    set +e
    "$BIN/musictag-train" --config "$CONFIG" --set "train.dataset=$DIR/waveform" --set "train.output=$out/crnn" \
      --set train.device=cpu > "$out/crnn.log" 2>&1
    code=$?
    set -e
    [[ $code -eq 2 ]] || { cat "$out/crnn.log"; fail "a CRNN on waveforms exited $code, expected 2"; }
    grep -q "model.kind crnn reads stored log-mels but dataset '$DIR/waveform' stores waveforms" "$out/crnn.log" \
      || { cat "$out/crnn.log"; fail "the refusal does not name both"; }
    cat > "$out/sample.yaml" <<YAML
model: {kind: sample_cnn, n_samples: 2187, sample_rate: 12000, conv_channels: [8, 8, 8, 16, 16, 16, 16]}
train: {dataset: $DIR/logmel, output: $out/sample, device: cpu}
YAML
    set +e
    "$BIN/musictag-train" --config "$out/sample.yaml" > "$out/sample.log" 2>&1
    code=$?
    set -e
    [[ $code -eq 2 ]] || { cat "$out/sample.log"; fail "a sample_cnn on log-mels exited $code, expected 2"; }
    grep -q "model.kind sample_cnn reads waveforms .* but dataset '$DIR/logmel' stores log-mels" "$out/sample.log" \
      || { cat "$out/sample.log"; fail "the refusal does not name both"; }
    checkpoint="$DIR/sample_cnn/train/checkpoints/best.pt"
    [[ -f "$checkpoint" ]] || fail "run the sample_cnn action first"
    set +e
    "$BIN/musictag-eval" --config "$CONFIG" --set "eval.checkpoint=$checkpoint" --set "eval.dataset=$DIR/logmel" \
      --set "eval.output=$out/eval" --set eval.split=training > "$out/eval.log" 2>&1
    code=$?
    set -e
    [[ $code -eq 3 ]] || { cat "$out/eval.log"; fail "eval of a waveform checkpoint on log-mels exited $code"; }
    grep -q "trained on waveforms (features.kind: waveform) but the dataset stores log-mels" "$out/eval.log" \
      || { cat "$out/eval.log"; fail "the eval refusal does not name both kinds"; }
    echo "refused: $(grep -o 'model.kind crnn reads[^:]*' "$out/crnn.log" | head -1)"
    ;;
  *)
    fail "unknown action $ACTION"
    ;;
esac
