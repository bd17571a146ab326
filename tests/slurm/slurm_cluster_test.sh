#!/usr/bin/env bash
# musictag's Slurm scripts on a real single-node Slurm (slurm/local-cluster.sh: munge, slurmctld, slurmd):
#   1. slurm/pipeline.sh: preprocess -> train -> eval with afterok, 2 tasks under srun --mpi=pmix, on CPU;
#   2. slurm/sweep.sh: a 3-run sweep as a job array plus the collect job (leaderboard with 3 rows);
#   3. preemption: SIGUSR1 to train.sbatch's batch shell -> checkpoint + exit 75 -> scontrol requeue -> the job
#      starts again and resumes from the checkpoint (step > 0) and completes.
# Usage: slurm_cluster_test.sh DIR   (needs MUSICTAG_BIN and MUSICTAG_SOURCE_DIR). Exits 77 (skip) with the reason
# when Slurm cannot run here (not root, slurm-wlm or munge missing); stops the daemons it started on any exit.
set -euo pipefail
DIR=$(mkdir -p "$1" && cd "$1" && pwd)
BIN=${MUSICTAG_BIN:?set MUSICTAG_BIN to the build folder\'s bin/}
SRC=${MUSICTAG_SOURCE_DIR:?set MUSICTAG_SOURCE_DIR to the checkout}
CLUSTER=$DIR/cluster
T0=$(date +%s)

skip() { echo "SKIP: $*"; exit 77; }
say() { printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || skip "slurmd must run as root to start jobs (run the test as root)"
for exe in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged; do
  [[ -x $exe ]] || skip "$exe not installed (scripts/setup.sh installs slurm-wlm and munge)"
done
for exe in sbatch srun squeue scontrol scancel mpirun python3; do
  command -v "$exe" > /dev/null || skip "$exe not found"
done
for exe in musictag-make-demo musictag-preprocess musictag-train musictag-sweep; do
  [[ -x $BIN/$exe ]] || fail "$BIN/$exe not built"
done

# Ports: local-cluster.sh's defaults may belong to another local cluster; take the first free pair from 16917.
port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
for base in 16917 17017 17117 17217 17317 17417; do
  port_in_use "$base" || port_in_use $((base + 1)) || break
done
export MUSICTAG_SLURMCTLD_PORT=$base MUSICTAG_SLURMD_PORT=$((base + 1))
export SLURM_CONF=$CLUSTER/slurm.conf

# On any exit: cancel the jobs, stop the daemons, end leftover tasks of ours (by pid), show logs on failure.
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [[ $code -ne 0 && $code -ne 77 ]]; then
    echo "--- squeue / job logs / daemon logs (test failed with $code) ---"
    squeue 2> /dev/null || true
    for log in "$DIR"/pipeline/logs/*.out "$DIR"/sweep/logs/*.out "$DIR"/preempt/*.out; do
      [[ -f $log ]] && { echo "== $log"; tail -n 40 "$log"; }
    done
    tail -n 30 "$CLUSTER/log/slurmctld.log" "$CLUSTER/log/slurmd.log" 2> /dev/null || true
  fi
  bash "$SRC/slurm/local-cluster.sh" stop "$CLUSTER" > /dev/null 2>&1 || true
  local pids
  pids=$(pgrep -f -- "musictag-[a-z]+ .*$DIR/" || true)
  # shellcheck disable=SC2086
  [[ -z $pids ]] || { echo "ending leftover processes $pids"; kill $pids 2> /dev/null || true; }
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_jobs SECONDS ID...: until none of the jobs is pending or running (fail after SECONDS).
wait_jobs() {
  local limit=$1
  shift
  local ids
  ids=$(IFS=,; echo "$*")
  local deadline=$(($(date +%s) + limit))
  while [[ -n $(squeue -h -j "$ids" 2> /dev/null) ]]; do
    (($(date +%s) < deadline)) || fail "jobs $ids still queued or running after $limit s"
    sleep 1
  done
}
# job_field ID FIELD: a field of `scontrol show job` (kept MinJobAge=300 s after the end).
job_field() { scontrol show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
expect_completed() {
  local id=$1 state code
  state=$(job_field "$id" JobState)
  code=$(job_field "$id" ExitCode)
  [[ $state == COMPLETED && $code == 0:0 ]] || fail "job $id ended $state with exit code $code"
}

say "starting Slurm in $CLUSTER (ports $MUSICTAG_SLURMCTLD_PORT/$MUSICTAG_SLURMD_PORT)"
bash "$SRC/slurm/local-cluster.sh" stop "$CLUSTER" > /dev/null 2>&1 || true  # a previous run's leftovers
rm -rf "$CLUSTER" "$DIR/pipeline" "$DIR/sweep" "$DIR/preempt"
bash "$SRC/slurm/local-cluster.sh" start "$CLUSTER" > "$DIR/cluster-start.log" 2>&1 ||
  { cat "$DIR/cluster-start.log"; fail "local-cluster.sh start"; }

if [[ ! -f $DIR/fma/fma_metadata/README_demo.txt ]]; then
  say "making a 40-track demo dataset"
  "$BIN/musictag-make-demo" --output "$DIR/fma" --tracks 40 --seed 1 --threads 2 --overwrite > "$DIR/make-demo.log"
fi

# Tiny and fast: no augmentation, a narrow CRNN, few epochs.
TINY=(--set "dataset.root=$DIR/fma" --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]"
  --set preprocess.part_size=8 --set "model.conv_channels=[8,8,8,8]" --set model.gru_hidden=8
  --set train.batch_size=4 --set train.log_every_steps=1)
HAVE_EVAL=1
[[ -x $BIN/musictag-eval ]] || HAVE_EVAL=0

# 1. The pipeline, 2 tasks per stage under srun --mpi=pmix.
say "1. pipeline.sh: preprocess -> train -> eval, 2 CPU ranks"
pipeline_flags=(--config "$SRC/configs/demo.yaml" --out "$DIR/pipeline" --bin "$BIN" --gpus 0 --ranks-per-node 2
  --preprocess-ranks 2 --cpus-per-task 1 "${TINY[@]}" --set train.epochs=2)
if [[ $HAVE_EVAL -eq 0 ]]; then
  say "NOTE: $BIN/musictag-eval is not built: the pipeline runs without its eval stage"
  pipeline_flags+=(--skip-eval)
fi
bash "$SRC/slurm/pipeline.sh" "${pipeline_flags[@]}" > "$DIR/pipeline.ids"
cat "$DIR/pipeline.ids"
mapfile -t ids < <(awk '{print $2}' "$DIR/pipeline.ids")
wait_jobs 240 "${ids[@]}"
for id in "${ids[@]}"; do expect_completed "$id"; done
for id in "${ids[@]:0:2}"; do
  [[ $(job_field "$id" NumTasks) == 2 ]] || fail "job $id did not have 2 tasks"
done
logs=$DIR/pipeline/logs
grep -q "preprocess: srun --mpi=pmix" "$logs/musictag-preprocess-${ids[0]}.out" || fail "preprocess not under srun"
grep -q "rank 1/2" "$logs/musictag-preprocess-${ids[0]}.out" || fail "no rank 1/2 in the preprocess log"
grep -q "train: srun --mpi=pmix" "$logs/musictag-train-${ids[1]}.out" || fail "train not under srun"
grep -q "training on cpu (2 ranks)" "$logs/musictag-train-${ids[1]}.out" || fail "train did not run on 2 ranks"
python3 - "$DIR/pipeline" "$HAVE_EVAL" << 'PY' || fail "pipeline outputs"
import json, os, sys
out, have_eval = sys.argv[1], sys.argv[2] == "1"
manifest = json.load(open(os.path.join(out, "dataset", "manifest.json")))
assert manifest["parts"], "manifest lists no parts"
for name in ("best.pt", "latest"):
    assert os.path.exists(os.path.join(out, "train", "checkpoints", name)), name
if have_eval:
    summary = json.load(open(os.path.join(out, "eval", "eval.json")))["summary"]
    assert 0.0 <= summary["macro_roc_auc"] <= 1.0, summary
    print("eval.json: macro ROC-AUC", summary["macro_roc_auc"])
print("manifest:", len(manifest["parts"]), "parts; checkpoints: best.pt, latest")
PY
say "1. pipeline: OK (jobs ${ids[*]} completed, 2 tasks each under srun --mpi=pmix)"

# 2. A 3-run sweep as a job array, and the collect job.
if [[ $HAVE_EVAL -eq 1 ]]; then
  say "2. sweep.sh: 3 runs as a job array, then collect"
  cat > "$DIR/sweep3.yaml" << EOF
sweep:
  name: slurm_test
  base: $SRC/configs/demo.yaml
  set:
    train.epochs: 1
    model.conv_channels: [8, 8, 8, 8]
    model.gru_hidden: 8
    train.batch_size: 4
  grid:
    train.learning_rate: [0.001, 0.003, 0.01]
EOF
  bash "$SRC/slurm/sweep.sh" "$DIR/sweep3.yaml" --out "$DIR/sweep" --dataset "$DIR/pipeline/dataset" --bin "$BIN" \
    --gpus 0 --ranks-per-node 1 --cpus-per-task 1 --parallel 2 > "$DIR/sweep.ids"
  cat "$DIR/sweep.ids"
  array=$(awk '$1 == "array" {print $2}' "$DIR/sweep.ids")
  collect=$(awk '$1 == "collect" {print $2}' "$DIR/sweep.ids")
  wait_jobs 240 "$array" "$collect"
  for task in 0 1 2; do expect_completed "${array}_$task"; done
  expect_completed "$collect"
  cat "$DIR/sweep/leaderboard.md"
  [[ $(tail -n +2 "$DIR/sweep/leaderboard.csv" | wc -l) -eq 3 ]] || fail "leaderboard.csv does not have 3 rows"
  grep -q "3 of 3 runs complete" "$DIR/sweep/leaderboard.md" || fail "leaderboard.md: not 3 of 3 complete"
  say "2. sweep: OK (array $array, collect $collect, 3 leaderboard rows)"
else
  say "2. sweep: SKIPPED (needs $BIN/musictag-eval, not built)"
fi

# 3. Preemption: SIGUSR1 to the batch shell once a checkpoint exists.
say "3. preemption: train.sbatch, SIGUSR1 -> exit 75 -> requeue -> resume"
mkdir -p "$DIR/preempt"
job=$(MUSICTAG_ROOT=$SRC MUSICTAG_BIN=$BIN MUSICTAG_DATASET=$DIR/pipeline/dataset MUSICTAG_TRAIN_OUT=$DIR/preempt/train \
  MUSICTAG_SET="train.epochs=60 train.early_stopping_patience=0 train.checkpoint_every_steps=2 model.conv_channels=[8,8,8,8] model.gru_hidden=8 train.batch_size=4" \
  sbatch --parsable --gpus-per-node=0 --ntasks-per-node=2 --cpus-per-task=1 --output="$DIR/preempt/%x-%j.out" \
  "$SRC/slurm/train.sbatch")
log=$DIR/preempt/musictag-train-$job.out
deadline=$(($(date +%s) + 120))
until compgen -G "$DIR/preempt/train/checkpoints/checkpoint-*.pt" > /dev/null; do
  (($(date +%s) < deadline)) || fail "no checkpoint within 120 s"
  [[ -n $(squeue -h -j "$job") ]] || fail "job $job ended before writing a checkpoint"
  sleep 0.2
done
scancel --signal=USR1 --batch "$job"
say "sent SIGUSR1 to job $job's batch shell"
wait_jobs 240 "$job"
expect_completed "$job"
grep -v '^ ' "$log" | grep -E "musictag slurm|stop signal|resumed from|done:" || true
[[ $(job_field "$job" Restarts) == 1 ]] || fail "job $job was not requeued once (Restarts=$(job_field "$job" Restarts))"
grep -q "train: exit code 75" "$log" || fail "the first run did not exit with 75"
grep -q "requeueing job $job" "$log" || fail "the batch script did not requeue"
step=$(sed -n 's/.*resumed from .* at step \([0-9]*\),.*/\1/p' "$log" | head -1)
[[ -n $step && $step -gt 0 ]] || fail "the requeued run did not resume from a checkpoint with step > 0"
grep -q "done: [0-9]* steps, 60 epochs" "$log" || fail "the resumed run did not complete its 60 epochs"
say "3. preemption: OK (exit 75, requeued, resumed at step $step, completed)"
say "all Slurm checks passed"
