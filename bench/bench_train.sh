#!/usr/bin/env bash
# Training benchmarks, each a ratio against a baseline measured in the same run (best of REPS runs each):
#   1. per model kind: the C++ trainer step (bench_train) vs the same model in Python on the same torch build
#      (bench_train.py --model-json, given exactly the model `bench_train --print-model` prints), in-memory data,
#      same batch, same threads and the same glibc malloc settings for both (those cluster/malloc_tuning.h sets in
#      the C++ executables, given to both processes through MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_):
#      samples/s ratio (goal >= 1.0), at 1 thread and at all cores, one line per kind;
#   1b. the CRNN at 1 thread with Python on glibc's default malloc settings (C++ as it ships): how much of the
#      ratio the malloc tuning is (the kernels are the same ATen);
#   2. reading HDF5 parts through the BatchLoader vs in-memory batches, CRNN, 1 rank (goal >= 0.95);
#   3. 2 ranks vs 1 rank at equal per-rank batch, CRNN, 1 thread per rank: scaling efficiency (goal >= 0.9 where the
#      cores allow: this needs 2 free cores);
# bench_allreduce (gradient buckets vs one MPI_Allreduce) is run separately: mpiexec -n 2 bench_allreduce.
# Usage: bench/bench_train.sh [REPS] [KIND...]   (default REPS 3; KINDs default: env BENCH_KINDS, else all ten)
# The models of section 1: crnn is the demo CRNN (configs/demo.yaml's shape, 21 tags); every other kind is its
# paper-size config configs/won2020/mtat_<kind>.yaml with 50 tags, at the per-kind batch and steps of kind_settings
# below (each measurement about 20 s or less on 2 cores at 1 thread; the seven spectrogram kinds take about 25 minutes at REPS 2).
# Env: MUSICTAG_BUILD_DIR; BENCH_KINDS; BENCH_DATASET (section 2; default out/demo/dataset, made by scripts/demo.sh;
# section 2 is skipped without it); BENCH_ARGS: extra bench_train arguments for the CRNN (section 1's crnn and
# sections 1b-3; both implementations get them), e.g. "--frames 1366 --batch 8"; BENCH_JSON: a file to which one
# JSON line per result is appended.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MUSICTAG_BUILD_DIR:-$ROOT/build}/bin"
REPS=${1:-3}
shift $(($# > 0 ? 1 : 0))
ALL_KINDS=(crnn fcn musicnn crnn_won short_chunk_cnn short_chunk_resnet self_attention sample_cnn sample_cnn_se
           harmonic_cnn)
if (($# > 0)); then KINDS=("$@"); else read -r -a KINDS <<< "${BENCH_KINDS:-${ALL_KINDS[*]}}"; fi
DATASET=${BENCH_DATASET:-$ROOT/out/demo/dataset}
read -r -a CRNN <<< "${BENCH_ARGS:-}"
# setup.sh reuses an existing venv (and installs nothing when every package is present); a given MUSICTAG_VENV wins.
[[ -n "${MUSICTAG_VENV:-}" ]] || eval "$("$ROOT/scripts/setup.sh" 2>/dev/null)"
PYTHON="$MUSICTAG_VENV/bin/python"
MPIRUN=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
CORES=$(nproc)
[[ -x "$BIN/bench_train" ]] || { echo "no $BIN/bench_train: build it (MUSICTAG_BUILD_DIR)" >&2; exit 2; }

# kind_settings KIND: sets MODEL (bench_train's model arguments), RUN (batch, warmup and timed steps) and PY_EXTRA
# (BENCH_ARGS for the CRNN's twin). Batch 16 as
# in the papers; the timed steps keep one measurement at 1 thread to about 20 s on this project's 2-core machine
# (measured seconds per step at 1 thread: crnn 0.3, fcn 8.7, musicnn 5.8, crnn_won 11, short_chunk_cnn 3.7,
# short_chunk_resnet 3.5, self_attention 23: one step is the least it can be). The first step of a paper-size model
# costs 1-3 steps (allocation, kernel choice), hence one untimed step.
kind_settings() {
  # The zoo kinds' gradient buckets: musictag-train's default 1 MiB, which configs/won2020 keep (the CRNN: bench_train's
  # 0.05 MiB, configs/demo.yaml's).
  local won=(--config "$ROOT/configs/won2020/mtat_$1.yaml" --set model.n_tags=50 --bucket-cap-mb 1)
  case $1 in
    crnn) MODEL=(--kind crnn "${CRNN[@]}"); RUN=(--batch 16 --warmup 5 --steps 30) ;;
    fcn) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 2) ;;
    musicnn) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 3) ;;
    crnn_won) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 2) ;;
    short_chunk_cnn) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 5) ;;
    short_chunk_resnet) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 5) ;;
    self_attention) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 1) ;;
    sample_cnn | sample_cnn_se | harmonic_cnn) MODEL=("${won[@]}"); RUN=(--batch 16 --warmup 1 --steps 2) ;;
    *) echo "unknown kind '$1'; known: ${ALL_KINDS[*]}" >&2; exit 2 ;;
  esac
  # The CRNN's BENCH_ARGS come after RUN in both programs, so they may also set the batch or steps (the last
  # occurrence of a flag wins); the Python twin gets them to check them against the model JSON and for those.
  PY_EXTRA=()
  [[ $1 == crnn ]] && PY_EXTRA=("${CRNN[@]}")
  return 0
}

# The glibc settings the C++ executables make (cluster/malloc_tuning.cpp): mmap threshold 1 GiB, or 32 MiB where
# mallopt refuses that (glibc versions that cap it at HEAP_MAX_SIZE / 2; such a glibc also ignores a larger
# MALLOC_MMAP_THRESHOLD_ silently, so it is probed here the same way), and trim threshold INT_MAX.
MMAP_THRESHOLD=$("$PYTHON" -c 'import ctypes; print(1 << 30 if ctypes.CDLL(None).mallopt(-3, 1 << 30) else 32 << 20)')
SAME_MALLOC=(env "MALLOC_MMAP_THRESHOLD_=$MMAP_THRESHOLD" MALLOC_TRIM_THRESHOLD_=2147483647)

samples() {
  "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["samples_per_s"])'
}
# best COMMAND...: the highest samples/s of REPS runs (JSON lines on stdout).
best() {
  local top=0 value
  for _ in $(seq 1 "$REPS"); do
    value=$("$@" | samples)
    top=$("$PYTHON" -c "print(max($top, $value))")
  done
  echo "$top"
}
# rates: reads a run's JSON lines, prints "samples/s best-step-samples/s": the run's mean rate over its timed steps,
# and batch x ranks / its fastest timed step (a step of fixed shapes only gets slower through interference, e.g. a
# compile on the other core, so the fastest step is the noise-robust estimate when a run has few, long steps).
rates() {
  "$PYTHON" -c '
import json, sys
run = json.loads(sys.stdin.read().strip().splitlines()[-1])
timed = run["step_seconds"][run["warmup"]:]
print(run["samples_per_s"], round(run["batch"] * run["ranks"] / min(timed), 3))'
}
# best_pair: the commands in the arrays CPP_CMD and PY_CMD, REPS rounds, the two alternating so that load from
# elsewhere on the machine hits both alike. Sets CPP_BEST and PY_BEST (best samples/s), CPP_STEP and PY_STEP (best
# best-step samples/s), CPP_RUNS and PY_RUNS (every run's samples/s as JSON lists: how noisy the best is) and
# CPP_JSON (the C++ program's last line).
best_pair() {
  CPP_BEST=0 PY_BEST=0 CPP_STEP=0 PY_STEP=0 CPP_RUNS="" PY_RUNS=""
  local rate step both
  for _ in $(seq 1 "$REPS"); do
    CPP_JSON=$("${CPP_CMD[@]}" | tail -n 1)
    both=$(rates <<< "$CPP_JSON")
    read -r rate step <<< "$both"
    CPP_RUNS+=${CPP_RUNS:+, }$rate
    CPP_BEST=$("$PYTHON" -c "print(max($CPP_BEST, $rate))")
    CPP_STEP=$("$PYTHON" -c "print(max($CPP_STEP, $step))")
    both=$("${PY_CMD[@]}" | rates)
    read -r rate step <<< "$both"
    PY_RUNS+=${PY_RUNS:+, }$rate
    PY_BEST=$("$PYTHON" -c "print(max($PY_BEST, $rate))")
    PY_STEP=$("$PYTHON" -c "print(max($PY_STEP, $step))")
  done
  CPP_RUNS="[$CPP_RUNS]" PY_RUNS="[$PY_RUNS]"
}
field() { "$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
ratio() { "$PYTHON" -c "print(f'{$1 / $2:.3f}')"; }
# record KEY=VALUE...: one JSON line to $BENCH_JSON when set (numbers stay numbers).
record() {
  [[ -n "${BENCH_JSON:-}" ]] || return 0
  "$PYTHON" -c '
import json, sys
def value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text
print(json.dumps({k: value(v) for k, v in (a.split("=", 1) for a in sys.argv[1:])}))' "$@" >> "$BENCH_JSON"
}

echo "machine: $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "torch $("$PYTHON" -c 'import torch; print(torch.__version__)'); best of $REPS runs"
echo "1. C++ vs the PyTorch twin per kind: in-memory batches, same batch, threads and malloc settings" \
  "(MALLOC_MMAP_THRESHOLD_=$MMAP_THRESHOLD MALLOC_TRIM_THRESHOLD_=2147483647 for both); samples/s, goal ratio >= 1.0"
header=$(printf '%-19s %11s %5s' kind params batch)
for threads in 1 "$CORES"; do
  header+=$(printf ' | %d thread(s): %8s %8s %6s %6s' "$threads" "C++" Python ratio step)
done
echo "   $header"
echo "   (C++, Python: best samples/s of $REPS runs; ratio: C++ / Python; step: the same ratio of the fastest" \
  "single steps)"
for kind in "${KINDS[@]}"; do
  kind_settings "$kind"
  spec=$("$BIN/bench_train" --print-model "${MODEL[@]}")
  line=""
  for threads in 1 "$CORES"; do
    CPP_CMD=("${SAME_MALLOC[@]}" "$BIN/bench_train" --threads "$threads" "${RUN[@]}" "${MODEL[@]}")
    PY_CMD=("${SAME_MALLOC[@]}" "$PYTHON" "$ROOT/bench/bench_train.py" --threads "$threads" "${RUN[@]}"
      --model-json "$spec" "${PY_EXTRA[@]}")
    best_pair
    r=$(ratio "$CPP_BEST" "$PY_BEST")
    r_step=$(ratio "$CPP_STEP" "$PY_STEP")
    line+=$(printf ' | %d thread(s): %8.2f %8.2f %6s %6s' "$threads" "$CPP_BEST" "$PY_BEST" "$r" "$r_step")
    params=$(field "$CPP_JSON" params)
    batch=$(field "$CPP_JSON" batch)
    record bench=train_kind kind="$kind" threads="$threads" batch="$batch" warmup="$(field "$CPP_JSON" warmup)" \
      steps="$(field "$CPP_JSON" steps)" params="$params" cpp_samples_per_s="$CPP_BEST" \
      python_samples_per_s="$PY_BEST" ratio="$r" cpp_best_step_samples_per_s="$CPP_STEP" \
      python_best_step_samples_per_s="$PY_STEP" best_step_ratio="$r_step" reps="$REPS" cpp_runs="$CPP_RUNS" \
      python_runs="$PY_RUNS" mmap_threshold="$MMAP_THRESHOLD" model="$spec"
  done
  echo "   $(printf '%-19s %11s %5s' "$kind" "$params" "$batch")$line"
done

cpp=$(best "$BIN/bench_train" --threads 1 "${CRNN[@]}")
py=$(best "$PYTHON" "$ROOT/bench/bench_train.py" --threads 1 "${CRNN[@]}")
echo "1b. CRNN at 1 thread, Python with glibc's default malloc settings: $cpp vs $py samples/s -> ratio $(ratio "$cpp" "$py")"
record bench=train_crnn_default_malloc threads=1 cpp_samples_per_s="$cpp" python_samples_per_s="$py" \
  ratio="$(ratio "$cpp" "$py")"
compute=$((CORES > 1 ? CORES - 1 : 1))
if [[ -f "$DATASET/manifest.json" ]]; then
  memory=$(best "$BIN/bench_train" --threads "$compute" "${CRNN[@]}")
  hdf5=$(best "$BIN/bench_train" --source hdf5 --dataset "$DATASET" --threads "$compute" --loader-threads 1 "${CRNN[@]}")
  echo "2. HDF5 parts vs in-memory batches (CRNN, 1 rank, $compute compute + 1 loader thread): $hdf5 vs $memory samples/s -> ratio $(ratio "$hdf5" "$memory") (goal >= 0.95)"
  record bench=train_hdf5_vs_memory threads="$compute" hdf5_samples_per_s="$hdf5" memory_samples_per_s="$memory" \
    ratio="$(ratio "$hdf5" "$memory")"
else
  echo "2. skipped: no dataset at $DATASET (run scripts/demo.sh or set BENCH_DATASET)"
fi
one=$(best "${MPIRUN[@]}" -np 1 "$BIN/bench_train" --threads 1 "${CRNN[@]}")
two=$(best "${MPIRUN[@]}" -np 2 "$BIN/bench_train" --threads 1 "${CRNN[@]}")
efficiency=$("$PYTHON" -c "print(f'{$two / (2 * $one):.3f}')")
echo "3. 2 ranks vs 1 rank (CRNN), 1 thread each, equal per-rank batch: $two vs $one samples/s -> scaling efficiency $efficiency (goal >= 0.9 with 2 free cores)"
record bench=train_ranks ranks_2_samples_per_s="$two" ranks_1_samples_per_s="$one" efficiency="$efficiency"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
