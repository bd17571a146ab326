#!/usr/bin/env bash
# One GPU check of musictag (under 8 minutes on one H200), or its CPU variant at tiny sizes (--cpu, or by itself
# where no CUDA device is visible; ctest bench.gpu_check_cpu runs that so this script cannot rot):
#   1. the CUDA-only tests (what `ctest -L cuda` runs: test_cuda_train, and test_cluster_mpi's NCCL communicator
#      cases on one rank); on the CPU they run with MUSICTAG_CUDA_TESTS_ON_CPU=1 (CPU against CPU) and NCCL skips;
#   2. training steps/s of the CRNN (Choi's paper size: 96 x 1366, 64/128/128/128, 50 tags), short_chunk_resnet
#      (configs/won2020, 128 x 231, 50 tags), sample_cnn (59,049 samples) and short_chunk_cnn reading waveforms
#      through the device log-mel frontend (model.frontend: logmel, Won's 128-band 16 kHz frontend) at batch 16 and
#      64, fp32 and bf16 autocast: bench_train (C++, NCCL gradient sync on one rank) against the same model in
#      PyTorch eager (bench/bench_train.py) on the same device;
#   3. bench_loader on synthetic parts shaped like each model's input (pinned memory on a GPU machine), at 1..8
#      loader threads: its samples/s against the GPU's training samples/s, i.e. how many loader threads feed it;
#   4. torch.compile (bench_train.py --compile) for the same models at batch 64 (GPU_CHECK_COMPILE_BATCHES), last,
#      each only while GPU_CHECK_BUDGET_S (default 450 s from the start) leaves its 150 s limit, so the whole
#      check ends within about 7.5 minutes (steps 1-3 estimated at 3-4 minutes on one H200: not yet run there).
# Prints a summary table (bench/gpu_check_summary.py) and writes under $OUT (default out/gpu-check): gpu_check.log
# (every command's output), gpu_check.jsonl (one JSON line per measurement), summary.json, tests_*.json.
# Binaries: GPU_CHECK_BIN, else .gpu_carry/bin (made by bench/gpu_carry.sh, with its libraries), else
# $MUSICTAG_BUILD_DIR/bin (default build/bin). Python with torch: $MUSICTAG_VENV/bin/python, else python3.
# Exit status: 0 when every test passed (or skipped) and every C++ benchmark ran, 1 otherwise, 77 without torch.
# Usage: bench/gpu_check.sh [--cpu]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START=$SECONDS
FORCE_CPU=0
for arg in "$@"; do
  case $arg in
    --cpu) FORCE_CPU=1 ;;
    -h | --help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu_check: unknown argument '$arg' (usage: bench/gpu_check.sh [--cpu])" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/out/gpu-check}"
mkdir -p "$OUT"
LOG="$OUT/gpu_check.log" JSONL="$OUT/gpu_check.jsonl"
: > "$LOG"
: > "$JSONL"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PYTHON=python3
[[ -n "${MUSICTAG_VENV:-}" ]] && PYTHON="$MUSICTAG_VENV/bin/python"
BUDGET=${GPU_CHECK_BUDGET_S:-450}

say() { echo "$*" | tee -a "$LOG"; }
fail() { say "gpu_check: $*"; exit 1; }
elapsed() { echo $((SECONDS - START)); }
record() { echo "$1" >> "$JSONL"; }
# last_json FILE: the last line of FILE that is a JSON object (the programs' result line), or nothing.
last_json() { grep '^{' "$1" | tail -n 1; }

if ! "$PYTHON" -c 'import torch' 2> /dev/null; then
  say "gpu_check: $PYTHON cannot import torch: set MUSICTAG_VENV (scripts/setup.sh makes it); skipped"
  exit 77  # ctest: skipped
fi
CARRY="${GPU_CARRY:-$ROOT/.gpu_carry}"
if [[ -n "${GPU_CHECK_BIN:-}" ]]; then
  BIN=$GPU_CHECK_BIN
elif [[ -x "$CARRY/bin/bench_train" ]]; then
  BIN="$CARRY/bin"
  # The carried libraries first, then the torch wheel's own torch, CUDA and NCCL libraries.
  libs=$("$PYTHON" -c '
import glob, os, torch
lib = os.path.join(os.path.dirname(torch.__file__), "lib")
site = os.path.dirname(os.path.dirname(torch.__file__))
print(":".join([lib] + sorted(glob.glob(os.path.join(site, "nvidia", "*", "lib")))))')
  export LD_LIBRARY_PATH="$CARRY/lib:$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  if ldd "$BIN/bench_train" 2>&1 | grep -q "GLIBCXX\|CXXABI\|libstdc++.so.6 => not found"; then
    export LD_LIBRARY_PATH="$CARRY/lib-fallback:$LD_LIBRARY_PATH"
    say "the system's libstdc++ is older than the binaries need: using the carried one"
  fi
else
  BIN="${MUSICTAG_BUILD_DIR:-$ROOT/build}/bin"
fi
for program in bench_train bench_loader test_cuda_train test_cluster_mpi; do
  [[ -x "$BIN/$program" ]] || fail "no $BIN/$program: run bench/gpu_carry.sh (GPU machine) or build it (cmake --build)"
  missing=$(ldd "$BIN/$program" 2>&1 | grep "not found")
  [[ -z "$missing" ]] || fail "$BIN/$program cannot load: $missing (rerun bench/gpu_carry.sh)"
done

if ((FORCE_CPU)); then
  DEVICE=cpu
elif [[ $("$PYTHON" -c 'import torch; print(int(torch.cuda.is_available()))') == 1 ]]; then
  DEVICE=cuda
else
  DEVICE=cpu
  say "no CUDA device visible: running the CPU variant at tiny sizes (as --cpu)"
fi
say "gpu_check on $(hostname): device $DEVICE; $(nproc) cores; torch $("$PYTHON" -c 'import torch; print(torch.__version__)'); binaries $BIN; output $OUT"
[[ $DEVICE == cuda ]] && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm --format=csv,noheader 2>&1 | tee -a "$LOG"

# Sizes. CUDA: the paper-size models; CPU: tiny widths, one timed step, so the whole variant takes about a minute.
if [[ $DEVICE == cuda ]]; then
  CRNN=(--channels 64 128 128 128 --gru 32 --frames 1366 --tags 50)
  RESNET=(--config "$ROOT/configs/won2020/mtat_short_chunk_resnet.yaml" --set model.n_tags=50)
  SAMPLE_CNN=(--config "$ROOT/configs/won2020/mtat_sample_cnn.yaml" --set model.n_tags=50)
  FRONTEND=(--config "$ROOT/configs/won2020/mtat_short_chunk_cnn.yaml" --set model.n_tags=50 --set model.frontend=logmel)
  BATCHES=(16 64) STEPS=(--warmup 5 --steps 30) THREADS=4 BUCKET=25
  LOADER=(--threads 1 2 4 8 --min-seconds 0.5 --reps 2) EXAMPLES=384 SEGMENT=29.12
  read -r -a COMPILE_BATCHES <<< "${GPU_CHECK_COMPILE_BATCHES:-64}"
else
  CRNN=(--channels 4 4 4 4 --gru 4 --frames 96 --tags 5)
  RESNET=(--kind short_chunk_resnet --set "model.conv_channels=[4,4,4,4,4,4,4]" --tags 5)
  SAMPLE_CNN=(--kind sample_cnn --set model.n_samples=729 --set "model.conv_channels=[4,4,4,4,4,4,4]" --tags 5)
  FRONTEND=(--kind short_chunk_cnn --set model.frontend=logmel --set model.n_mels=96 --frames 64
            --set "model.conv_channels=[4,4,4,4,4,4]" --tags 5)
  BATCHES=(2) STEPS=(--warmup 1 --steps 2) THREADS=1 BUCKET=1
  LOADER=(--threads 1 2 --min-seconds 0.05 --reps 1) EXAMPLES=24 SEGMENT=5
  read -r -a COMPILE_BATCHES <<< "${GPU_CHECK_COMPILE_BATCHES:-}"  # CPU inductor needs minutes: only when asked
fi
PRECISIONS=(fp32 bf16)
BENCH_FAILED=0
RUN_LIMIT=120      # seconds for one bench_train or eager run (estimated 5-10 s on an H200)
COMPILE_LIMIT=150  # for one torch.compile run (compilation included); started only if it fits in the budget

say "== 1. CUDA-only tests ($(elapsed) s)"
# run_tests NAME COMMAND...: one gtest binary, its JSON report to $OUT/tests_NAME.json, a summary line recorded.
run_tests() {
  local name=$1 rc
  shift
  timeout 180 "$@" --gtest_output="json:$OUT/tests_$name.json" >> "$LOG" 2>&1
  rc=$?
  line=$("$PYTHON" - "$OUT/tests_$name.json" "$name" "$rc" <<'PY'
import json, sys
path, name, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    cases = [c for s in json.load(open(path))["testsuites"] for c in s["testsuite"]]
except (OSError, ValueError, KeyError):
    cases = []
failed = [c["classname"] + "." + c["name"] for c in cases if c.get("failures")]
skipped = [c for c in cases if c.get("result") == "SKIPPED"]
# The differences the tests measured (RecordProperty), e.g. CUDA vs CPU logits: reported beside their bounds.
measured = {c["name"]: {k: v for k, v in c.items() if "difference" in k} for c in cases}
print(json.dumps({"bench": "tests", "binary": name, "rc": rc, "tests": len(cases), "failed": failed,
                  "skipped": len(skipped), "passed": len(cases) - len(failed) - len(skipped),
                  "measured": {k: v for k, v in measured.items() if v}}))
PY
)
  record "$line"
  say "   $name: $(cut -c1-400 <<< "$line")"
}
TEST_ENV=(env -u OMPI_COMM_WORLD_SIZE -u PMIX_RANK -u PMI_RANK -u PMI_SIZE -u SLURM_STEP_NUM_TASKS)
[[ $DEVICE == cpu ]] && TEST_ENV+=(MUSICTAG_CUDA_TESTS_ON_CPU=1)
run_tests cuda "${TEST_ENV[@]}" "$BIN/test_cuda_train"
run_tests nccl "${TEST_ENV[@]}" "$BIN/test_cluster_mpi" --gtest_filter='NcclCommunicatorTest.*'

say "== 2. training steps/s: C++ vs PyTorch eager on $DEVICE ($(elapsed) s)"
# model_args MODEL: sets MODEL_ARGS for bench_train.
model_args() {
  case $1 in
    crnn) MODEL_ARGS=("${CRNN[@]}") ;;
    short_chunk_resnet) MODEL_ARGS=("${RESNET[@]}") ;;
    sample_cnn) MODEL_ARGS=("${SAMPLE_CNN[@]}") ;;
    frontend) MODEL_ARGS=("${FRONTEND[@]}") ;;
  esac
}
# time_python MODEL BATCH PRECISION [--compile]: the twin, its result line recorded.
time_python() {
  local model=$1 batch=$2 precision=$3 limit=$RUN_LIMIT
  shift 3
  model_args "$model"
  spec=$("$BIN/bench_train" --print-model "${MODEL_ARGS[@]}" 2>> "$LOG") || { say "   $model: --print-model failed"; return 1; }
  [[ $* == *--compile* ]] && limit=$COMPILE_LIMIT
  PYTHONUNBUFFERED=1 timeout "$limit" "$PYTHON" "$ROOT/bench/bench_train.py" --model-json "$spec" --device "$DEVICE" \
    --precision "$precision" --batch "$batch" --threads "$THREADS" "${STEPS[@]}" "$@" > "$WORK/py.out" 2>> "$LOG"
  local rc=$?
  cat "$WORK/py.out" >> "$LOG"
  if ((rc == 0)) && [[ -n $(last_json "$WORK/py.out") ]]; then
    record "$(last_json "$WORK/py.out")"
  else
    record "{\"bench\": \"train_failed\", \"impl\": \"python$*\", \"model\": \"$model\", \"batch\": $batch, \"precision\": \"$precision\", \"rc\": $rc}"
    say "   python$* $model batch $batch $precision failed (rc $rc; see $LOG)"
  fi
}
for model in crnn short_chunk_resnet sample_cnn frontend; do
  model_args "$model"
  for batch in "${BATCHES[@]}"; do
    for precision in "${PRECISIONS[@]}"; do
      timeout "$RUN_LIMIT" "$BIN/bench_train" "${MODEL_ARGS[@]}" --device "$DEVICE" --precision "$precision" --batch "$batch" \
        --threads "$THREADS" --bucket-cap-mb "$BUCKET" "${STEPS[@]}" > "$WORK/cpp.out" 2>> "$LOG"
      rc=$?
      cat "$WORK/cpp.out" >> "$LOG"
      if ((rc == 0)) && [[ -n $(last_json "$WORK/cpp.out") ]]; then
        record "$(last_json "$WORK/cpp.out")"
      else
        BENCH_FAILED=1
        record "{\"bench\": \"train_failed\", \"impl\": \"cpp\", \"model\": \"$model\", \"batch\": $batch, \"precision\": \"$precision\", \"rc\": $rc}"
        say "   bench_train $model batch $batch $precision failed (rc $rc; see $LOG)"
      fi
      time_python "$model" "$batch" "$precision"
      say "   $model batch $batch $precision done ($(elapsed) s)"
    done
  done
done

say "== 3. loader (bench_loader, synthetic parts shaped like each model's input) vs the GPU's rate ($(elapsed) s)"
for model in crnn short_chunk_resnet; do
  model_args "$model"
  shape=$("$BIN/bench_train" --print-model "${MODEL_ARGS[@]}" 2>> "$LOG" |
    "$PYTHON" -c 'import json,sys; o=json.load(sys.stdin)["options"]; print(o["n_mels"], o["n_frames"])')
  read -r n_mels frames <<< "$shape"
  data="$WORK/loader-$model"
  "$BIN/bench_loader" --make-dataset "$data" --examples "$EXAMPLES" --n-mels "$n_mels" --segment-seconds "$SEGMENT" \
    >> "$LOG" 2>&1 || { BENCH_FAILED=1; say "   bench_loader --make-dataset failed (see $LOG)"; continue; }
  "$BIN/bench_loader" --dataset "$data" --frames "$frames" --order random --batch "${BATCHES[-1]}" "${LOADER[@]}" \
    --json "$JSONL" 2>&1 | tee -a "$LOG" | sed 's/^/   /'
  ((PIPESTATUS[0] == 0)) || { BENCH_FAILED=1; say "   bench_loader failed (see $LOG)"; }
done

say "== 4. torch.compile (batch ${COMPILE_BATCHES[*]:-none}; budget ${BUDGET} s) ($(elapsed) s)"
for model in crnn short_chunk_resnet; do
  for batch in "${COMPILE_BATCHES[@]}"; do
    for precision in "${PRECISIONS[@]}"; do
      if (($(elapsed) + COMPILE_LIMIT > BUDGET)); then
        record "{\"bench\": \"train_skipped\", \"impl\": \"python+compile\", \"model\": \"$model\", \"batch\": $batch, \"precision\": \"$precision\", \"reason\": \"time budget\"}"
        say "   compile $model batch $batch $precision skipped: $(elapsed) s of the ${BUDGET} s budget spent"
        continue
      fi
      time_python "$model" "$batch" "$precision" --compile
      say "   compile $model batch $batch $precision done ($(elapsed) s)"
    done
  done
done

say "== summary ($(elapsed) s)"
"$PYTHON" "$ROOT/bench/gpu_check_summary.py" "$JSONL" "$OUT/summary.json" "$DEVICE" | tee -a "$LOG"
tests_ok=$("$PYTHON" - "$JSONL" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
tests = [l for l in lines if l.get("bench") == "tests"]
print(int(len(tests) == 2 and all(t["rc"] == 0 and not t["failed"] and t["tests"] > 0 for t in tests)))
PY
)
say "total $(elapsed) s"
((tests_ok == 1 && BENCH_FAILED == 0)) || { say "gpu_check: FAILED (tests or benchmarks; see $LOG)"; exit 1; }
