#!/usr/bin/env bash
# Training benchmarks, each a ratio against a baseline measured in the same run (best of REPS runs each):
#   1. C++ trainer step vs the same CRNN in Python on the same torch build (bench_train.py), in-memory data, same
#      threads and batch: samples/s ratio (goal >= 1.0), at 1 thread and at all cores;
#   2. reading HDF5 parts through the BatchLoader vs in-memory batches, 1 rank (goal >= 0.95);
#   3. 2 ranks vs 1 rank at equal per-rank batch, 1 thread per rank: scaling efficiency (goal >= 0.9 where the
#      cores allow: this needs 2 free cores);
# bench_allreduce (gradient buckets vs one MPI_Allreduce) is run separately: mpiexec -n 2 bench_allreduce.
# Usage: bench/bench_train.sh [REPS]   (env: MUSICTAG_BUILD_DIR, BENCH_DATASET default out/demo/dataset made by
# scripts/demo.sh, BENCH_ARGS extra model arguments for both implementations, e.g. "--frames 1366 --batch 8")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MUSICTAG_BUILD_DIR:-$ROOT/build}/bin"
REPS=${1:-3}
DATASET=${BENCH_DATASET:-$ROOT/out/demo/dataset}
read -r -a MODEL <<< "${BENCH_ARGS:-}"
eval "$("$ROOT/scripts/setup.sh" 2>/dev/null)"
PYTHON="$MUSICTAG_VENV/bin/python"
MPIRUN=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
CORES=$(nproc)
[[ -f "$DATASET/manifest.json" ]] || { echo "no dataset at $DATASET: run scripts/demo.sh first or set BENCH_DATASET" >&2; exit 2; }

# best COMMAND...: the highest samples/s of REPS runs (JSON lines on stdout).
best() {
  local top=0 value
  for _ in $(seq 1 "$REPS"); do
    value=$("$@" | "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["samples_per_s"])')
    top=$("$PYTHON" -c "print(max($top, $value))")
  done
  echo "$top"
}
ratio() { "$PYTHON" -c "print(f'{$1 / $2:.3f}')"; }

echo "machine: $CORES cores; torch $("$PYTHON" -c 'import torch; print(torch.__version__)'); best of $REPS runs"
for threads in 1 "$CORES"; do
  py=$(best "$PYTHON" "$ROOT/bench/bench_train.py" --threads "$threads" "${MODEL[@]}")
  cpp=$(best "$BIN/bench_train" --threads "$threads" "${MODEL[@]}")
  echo "1. C++ vs Python CRNN step, $threads thread(s): $cpp vs $py samples/s -> ratio $(ratio "$cpp" "$py") (goal >= 1.0)"
done
# The C++ executables keep freed tensor memory in the heap (cluster/malloc_tuning.h); Python given the same glibc
# settings through the environment shows how much of the ratio that is (the kernels are the same ATen).
py_tuned=$(best env MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=2147483647 \
  "$PYTHON" "$ROOT/bench/bench_train.py" --threads 1 "${MODEL[@]}")
cpp=$(best "$BIN/bench_train" --threads 1 "${MODEL[@]}")
echo "1b. the same at 1 thread, Python with the same malloc settings: $cpp vs $py_tuned samples/s -> ratio $(ratio "$cpp" "$py_tuned")"
memory=$(best "$BIN/bench_train" --threads "$((CORES > 1 ? CORES - 1 : 1))" "${MODEL[@]}")
hdf5=$(best "$BIN/bench_train" --source hdf5 --dataset "$DATASET" --threads "$((CORES > 1 ? CORES - 1 : 1))" \
  --loader-threads 1 "${MODEL[@]}")
echo "2. HDF5 parts vs in-memory batches (1 rank, $((CORES > 1 ? CORES - 1 : 1)) compute + 1 loader thread): $hdf5 vs $memory samples/s -> ratio $(ratio "$hdf5" "$memory") (goal >= 0.95)"
one=$(best "${MPIRUN[@]}" -np 1 "$BIN/bench_train" --threads 1 "${MODEL[@]}")
two=$(best "${MPIRUN[@]}" -np 2 "$BIN/bench_train" --threads 1 "${MODEL[@]}")
echo "3. 2 ranks vs 1 rank, 1 thread each, equal per-rank batch: $two vs $one samples/s -> scaling efficiency $("$PYTHON" -c "print(f'{$two / (2 * $one):.3f}')") (goal >= 0.9 with 2 free cores)"
