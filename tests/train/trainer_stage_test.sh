#!/usr/bin/env bash
# End-to-end tests of musictag-train on a generated, preprocessed FMA-format dataset (deterministic CPU mode):
#   setup DIR       generate 40 tracks, preprocess them, train an uninterrupted 2-rank reference run
#   resume DIR      kill -9 of a rank mid-run, rerun with --resume auto: final weights bit-identical to the reference
#   signal DIR      SIGUSR1 to one rank (Slurm's preemption warning): every rank stops at the same sync point, exit 75
#                   after a checkpoint; the rerun resumes by itself and ends bit-identical to the reference (which read
#                   its losses back every step; this run only every train.stop_check_steps steps)
#   batch DIR       2 ranks x batch B vs 1 rank x batch 2B (SyncBatchNorm, no dropout, SGD): weights within 1e-5
#   nan DIR         a part with NaN values: the job ends non-zero, the error names the rank and the part file (losses
#                   checked only at sync points, every 3 steps and at epoch ends)
#   precision DIR   bf16 autocast with channels-last on CPU trains to a finite loss and validation AUC
#   phases DIR      train.phases (Adam, then reload best + fresh SGD Nesterov, then reload best + lower lr) with
#                   select_best_by loss and 3 validation chunks: best.pt is the epoch of lowest validation loss, the
#                   phases start when configured, and a run killed mid-phase resumes bit-identical
# Needs MUSICTAG_BIN (folder of the executables), MUSICTAG_SOURCE_DIR and MUSICTAG_VENV (python with torch).
set -euo pipefail
ACTION=$1
DIR=$2
BIN=${MUSICTAG_BIN:?}
SOURCE=${MUSICTAG_SOURCE_DIR:?}
PYTHON=${MUSICTAG_VENV:?}/bin/python
CONFIG=$SOURCE/configs/demo.yaml
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)

fail() { echo "FAIL: $*" >&2; exit 1; }

# A small CRNN with dropout on 256-frame crops, 8 epochs of 2 steps, a checkpoint every 2 steps, deterministic kernels.
TINY=(--set model.n_frames=256 --set "model.conv_channels=[8,16,16,16]" --set model.gru_hidden=16
      --set train.input_frames=256 --set train.batch_size=4 --set train.epochs=8 --set train.variants=original
      --set train.learning_rate=0.003 --set train.warmup_steps=2 --set train.deterministic=true
      --set train.checkpoint_every_steps=2 --set train.keep_checkpoints=50 --set train.log_every_steps=1
      --set train.loader_threads=1 --set train.device=cpu --set train.seed=5
      --set model.conv_dropout=0.1 --set model.gru_dropout=0.3)

# train RANKS OUTPUT [extra flags]
train() {
  local ranks=$1 output=$2
  shift 2
  "${MPIRUN[@]}" -np "$ranks" "$BIN/musictag-train" --config "$CONFIG" "${TINY[@]}" \
    --set "train.dataset=$DIR/dataset" --set "train.output=$output" "$@"
}

final_checkpoint() { echo "$1/checkpoints/$(cat "$1/checkpoints/latest")"; }

# wait_for_checkpoint OUTPUT: until the run has written its first step checkpoint (at most 60 s).
wait_for_checkpoint() {
  for _ in $(seq 1 1200); do compgen -G "$1/checkpoints/checkpoint-*.pt" > /dev/null && return 0; sleep 0.05; done
  fail "no checkpoint appeared in $1/checkpoints"
}

same_as_reference() {
  "$PYTHON" "$SOURCE/tests/train/compare_checkpoints.py" "$(final_checkpoint "$DIR/reference")" \
    "$(final_checkpoint "$1")" --tolerance 0 || fail "$1 ends with other weights than the uninterrupted run"
}

case "$ACTION" in
  setup)
    rm -rf "$DIR" && mkdir -p "$DIR"
    "$BIN/musictag-make-demo" --output "$DIR/fma" --tracks 40 --seed 7 --threads 2 > "$DIR/make-demo.log"
    "${MPIRUN[@]}" -np 2 "$BIN/musictag-preprocess" --config "$CONFIG" --set "dataset.root=$DIR/fma" \
      --set "preprocess.output=$DIR/dataset" --set preprocess.part_size=4 --set preprocess.progress_seconds=0 \
      --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" > "$DIR/preprocess.log" 2>&1 \
      || { cat "$DIR/preprocess.log"; fail "preprocess"; }
    train 2 "$DIR/reference" > "$DIR/reference.log" 2>&1 || { cat "$DIR/reference.log"; fail "reference run"; }
    grep -q '"kind":"epoch","seconds"\|"kind":"epoch"' "$DIR/reference/metrics.jsonl" || fail "no epoch lines"
    tail -2 "$DIR/reference.log"
    ;;
  resume)
    out="$DIR/killed"
    rm -rf "$out"
    train 2 "$out" > "$DIR/killed.log" 2>&1 &
    launcher=$!
    wait_for_checkpoint "$out"
    victim=$(pgrep -f "musictag-train.*$out" | sort -n | tail -1)
    [[ -n "$victim" ]] || fail "no rank to kill (the run ended too fast?)"
    kill -9 "$victim"
    if wait "$launcher"; then fail "the killed run exited 0"; fi
    echo "killed rank pid $victim after $(cat "$out/checkpoints/latest")"
    train 2 "$out" > "$DIR/resumed.log" 2>&1 || { cat "$DIR/resumed.log"; fail "resumed run"; }
    grep -q "resumed from" "$DIR/resumed.log" || fail "the rerun did not resume"
    grep "resumed from" "$DIR/resumed.log"
    same_as_reference "$out"
    ;;
  signal)
    out="$DIR/preempted"
    rm -rf "$out"
    # Losses read back, and stop requests polled, only every 3 steps (and at checkpoint steps and epoch ends).
    deferred=(--set train.log_every_steps=0 --set train.stop_check_steps=3)
    train 2 "$out" "${deferred[@]}" > "$DIR/preempted.log" 2>&1 &
    launcher=$!
    wait_for_checkpoint "$out"
    victim=$(pgrep -f "musictag-train.*$out" | sort -n | tail -1)
    [[ -n "$victim" ]] || fail "no rank to signal (the run ended too fast?)"
    kill -USR1 "$victim"  # one rank only: the others learn of it at the next sync point
    set +e
    wait "$launcher"
    code=$?
    set -e
    [[ $code -eq 75 ]] || { cat "$DIR/preempted.log"; fail "expected exit code 75 after SIGUSR1, got $code"; }
    grep -q "stop signal: checkpoint" "$DIR/preempted.log" || fail "no checkpoint message after the signal"
    train 2 "$out" "${deferred[@]}" > "$DIR/requeued.log" 2>&1 || { cat "$DIR/requeued.log"; fail "requeued run"; }
    grep "resumed from" "$DIR/requeued.log" || fail "the requeued run did not resume"
    same_as_reference "$out"
    ;;
  batch)
    # The same global batch of 8 split over 2 ranks or whole on 1: SyncBatchNorm makes the statistics agree.
    agree=(--set train.sync_batchnorm=true --set model.conv_dropout=0 --set model.gru_dropout=0
           --set train.optimizer=sgd --set train.learning_rate=0.01 --set train.epochs=2)
    train 2 "$DIR/batch-2x4" "${agree[@]}" --set train.batch_size=4 > "$DIR/batch-2x4.log" 2>&1 \
      || { cat "$DIR/batch-2x4.log"; fail "2-rank run"; }
    train 1 "$DIR/batch-1x8" "${agree[@]}" --set train.batch_size=8 > "$DIR/batch-1x8.log" 2>&1 \
      || { cat "$DIR/batch-1x8.log"; fail "1-rank run"; }
    "$PYTHON" "$SOURCE/tests/train/compare_checkpoints.py" "$(final_checkpoint "$DIR/batch-2x4")" \
      "$(final_checkpoint "$DIR/batch-1x8")" --tolerance 1e-5 || fail "2 ranks x 4 and 1 rank x 8 differ"
    ;;
  nan)
    rm -rf "$DIR/nan-dataset" "$DIR/nan"
    cp -r "$DIR/dataset" "$DIR/nan-dataset"
    part=$(ls "$DIR/nan-dataset/parts/"training-*.h5 | head -1)
    "$PYTHON" - "$part" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    mel = f["mel"]
    for row in range(mel.shape[0]):
        mel[row, 3, :] = np.nan   # one bad mel band in every example of the part (bit rot, a bad disk)
PY
    start=$SECONDS
    set +e
    message=$(timeout 120 "${MPIRUN[@]}" -np 2 "$BIN/musictag-train" --config "$CONFIG" "${TINY[@]}" \
      --set "train.dataset=$DIR/nan-dataset" --set "train.output=$DIR/nan" --set train.log_every_steps=0 \
      --set train.checkpoint_every_steps=0 --set train.stop_check_steps=3 2>&1)
    code=$?
    set -e
    echo "$message" | grep -E "error|loss is" | head -3 || true
    [[ $code -ne 0 && $code -ne 124 ]] || fail "expected a non-zero exit before the timeout, got $code"
    echo "$message" | grep -q "training loss is nan" || fail "the message does not say the loss is nan"
    echo "$message" | grep -q "rank [01]/2" || fail "the message does not name the rank"
    echo "$message" | grep -q "$(basename "$part")" || fail "the message does not name the part file"
    echo "job ended with exit code $code after $((SECONDS - start)) s"
    ;;
  precision)
    out="$DIR/bf16"
    rm -rf "$out"
    train 2 "$out" --set train.precision=bf16 --set train.channels_last=true --set train.epochs=2 \
      > "$DIR/bf16.log" 2>&1 || { cat "$DIR/bf16.log"; fail "bf16 run"; }
    "$PYTHON" - "$out/metrics.jsonl" <<'PY'
import json, math, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
epochs = [l for l in lines if l["kind"] == "epoch"]
assert len(epochs) == 2, epochs
for e in epochs:
    assert math.isfinite(e["train_loss"]) and 0 < e["train_loss"] < 1, e
    assert 0 <= e["val_macro_roc_auc"] <= 1, e
print("bf16 + channels-last epochs:", [(e["train_loss"], e["val_macro_roc_auc"]) for e in epochs])
PY
    ;;
  phases)
    # Won et al.'s schedule in miniature: 6 epochs of 2 steps, phases at epochs 0, 2 and 4.
    phased=(--set train.epochs=6 --set train.checkpoint_every_steps=1 --set train.select_best_by=loss
            --set train.validation_chunks=3 --set train.input_frames=200 --set model.n_frames=200
            --set train.weight_decay=0.0001
            --set 'train.phases=[{epoch: 0, optimizer: adam, learning_rate: 0.003},
                   {epoch: 2, optimizer: sgd, nesterov: true, momentum: 0.9, learning_rate: 0.01, reload_best: true},
                   {epoch: 4, learning_rate: 0.001, reload_best: true}]')
    rm -rf "$DIR/phased" "$DIR/phased-killed"
    train 2 "$DIR/phased" "${phased[@]}" > "$DIR/phased.log" 2>&1 || { cat "$DIR/phased.log"; fail "phased run"; }
    grep -q "epoch 2: phase 1 of 3: fresh sgd optimizer, learning rate 0.01, weights reloaded from" \
      "$DIR/phased.log" || { cat "$DIR/phased.log"; fail "phase 1 did not start at epoch 2 with reloaded weights"; }
    grep -q "epoch 4: phase 2 of 3: same optimizer, learning rate 0.001, weights reloaded from" "$DIR/phased.log" \
      || fail "phase 2 did not start at epoch 4"
    "$PYTHON" - "$DIR/phased" <<'PY'
import json, math, sys, zipfile
run = sys.argv[1]
epochs = [l for l in map(json.loads, open(run + "/metrics.jsonl")) if l["kind"] == "epoch"]
assert len(epochs) == 6, epochs
lowest = min(epochs, key=lambda e: e["val_loss"])
meta = json.loads(zipfile.ZipFile(run + "/checkpoints/best.pt").read("archive/meta.json"))["progress"]
assert meta["best_epoch"] == lowest["epoch"], (meta, lowest)
assert math.isclose(meta["best_loss"], lowest["val_loss"], rel_tol=1e-9), (meta, lowest)
last = json.loads(zipfile.ZipFile(run + "/checkpoints/" + open(run + "/checkpoints/latest").read().strip())
                  .read("archive/meta.json"))["progress"]
assert last["phase"] == 2, last
print("best.pt = epoch", lowest["epoch"], "of lowest validation loss", lowest["val_loss"], "; final phase", last["phase"])
PY
    # Killed in phase 1 (epoch 3, after its first step), resumed: the optimizer is rebuilt as SGD before its state
    # loads, and phase 2's reload and learning rate follow as in the uninterrupted run.
    out="$DIR/phased-killed"
    train 2 "$out" "${phased[@]}" > "$DIR/phased-killed.log" 2>&1 &
    launcher=$!
    for _ in $(seq 1 2400); do [[ -f "$out/checkpoints/checkpoint-7.pt" ]] && break; sleep 0.05; done
    [[ -f "$out/checkpoints/checkpoint-7.pt" ]] || fail "no checkpoint-7.pt in $out"
    pkill -9 -f "musictag-train.*$out" || fail "no rank to kill (the run ended too fast?)"
    if wait "$launcher"; then fail "the killed run exited 0"; fi
    echo "killed after $(cat "$out/checkpoints/latest")"
    train 2 "$out" "${phased[@]}" > "$DIR/phased-resumed.log" 2>&1 || { cat "$DIR/phased-resumed.log"; fail "resume"; }
    grep "resumed from" "$DIR/phased-resumed.log" || fail "the rerun did not resume"
    "$PYTHON" "$SOURCE/tests/train/compare_checkpoints.py" "$(final_checkpoint "$DIR/phased")" \
      "$(final_checkpoint "$out")" --tolerance 0 || fail "the resumed phased run ends with other weights"
    ;;
  *) fail "unknown action $ACTION" ;;
esac
