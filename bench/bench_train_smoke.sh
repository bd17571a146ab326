#!/usr/bin/env bash
# Smoke test of the training benchmark's two programs (ctest bench.train_kinds_smoke; no timing is checked): for every
# model kind, a tiny-width model through `bench_train --kind K --set ...` runs one step, `--print-model` prints it,
# and bench_train.py --model-json builds the PyTorch twin from that JSON and runs one step with the same parameter
# count and input shape; the default CRNN (no --kind / --model-json) does the same in both; every paper-size config
# configs/won2020/mtat_<kind>.yaml that bench_train.sh times builds (--print-model). Two checks run at a time (most of
# a check is Python importing torch).
# Needs MUSICTAG_BIN (folder of the executables), MUSICTAG_SOURCE_DIR and MUSICTAG_VENV (python with torch; exits 77,
# which ctest reports as skipped, when it is not set).
set -euo pipefail
BIN=${MUSICTAG_BIN:?}
SOURCE=${MUSICTAG_SOURCE_DIR:?}
PYTHON=${MUSICTAG_VENV:-}/bin/python
if [[ ! -x "$PYTHON" ]]; then
  echo "MUSICTAG_VENV is not set or has no bin/python (scripts/setup.sh makes it): skipped"
  exit 77
fi
KINDS=(crnn fcn musicnn crnn_won short_chunk_cnn short_chunk_resnet self_attention)
ONE_STEP=(--steps 1 --warmup 0 --batch 2 --threads 1)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# field JSON KEY[.KEY...]
field() {
  "$PYTHON" -c '
import functools, json, sys
print(functools.reduce(lambda d, k: d[k], sys.argv[2].split("."), json.loads(sys.argv[1])))' "$1" "$2"
}
# same WHAT CPP_JSON PY_JSON KEY...: fails naming the first KEY whose values differ.
same() {
  "$PYTHON" - "$@" <<'PY' || exit 1
import json, sys
what, cpp, py, keys = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4:]
for key in keys:
    if cpp.get(key) != py.get(key):
        sys.exit(f"FAIL: {what}: {key} differs between C++ ({cpp}) and Python ({py})")
print(f"ok {what}: {cpp['params']} parameters, input [{cpp['batch']}, {cpp['n_mels']}, {cpp['frames']}] in both")
PY
}

# tiny KIND: bench_train's model arguments for a narrow model of KIND (its registry defaults otherwise).
tiny() {
  case $1 in
    crnn) echo "--kind crnn --channels 4 4 4 4 --gru 4" ;;
    fcn) echo "--kind fcn --set model.conv_channels=[4,4,4,4,4]" ;;
    musicnn) echo "--kind musicnn --set model.timbral_channels=4 --set model.temporal_channels=4" \
      "--set model.backend_channels=4 --set model.dense_channels=8" ;;
    crnn_won) echo "--kind crnn_won --set model.conv_channels=[4,4,4,4] --set model.gru_hidden=4" ;;
    short_chunk_cnn | short_chunk_resnet) echo "--kind $1 --set model.conv_channels=[4,4,4,4,4,4,4]" ;;
    self_attention) echo "--kind self_attention --set model.conv_channels=[8,8,8,8,8,8,8]" \
      "--set model.attention_heads=2 --set model.intermediate_size=8" ;;
    *) fail "no tiny model for kind '$1'" ;;
  esac
}

# check_kind KIND: tiny KIND, one step in C++ and in the twin built from --print-model's JSON.
check_kind() {
  local kind=$1 spec cpp py model
  read -r -a model <<< "$(tiny "$kind")"
  spec=$("$BIN/bench_train" --print-model "${model[@]}" --tags 5)
  [[ $(field "$spec" kind)/$(field "$spec" options.n_tags) == "$kind/5" ]] ||
    fail "$kind: --print-model printed $spec (expected kind $kind, n_tags 5)"
  cpp=$("$BIN/bench_train" "${model[@]}" --tags 5 "${ONE_STEP[@]}" | tail -n 1)
  py=$("$PYTHON" "$SOURCE/bench/bench_train.py" --model-json "$spec" "${ONE_STEP[@]}" | tail -n 1)
  same "$kind" "$cpp" "$py" kind batch n_mels frames params
}

# check_default: without --kind/--config/--model-json both programs build the same CRNN from the CRNN flags.
check_default() {
  local cpp py
  cpp=$("$BIN/bench_train" --frames 96 --channels 4 4 4 4 --gru 4 "${ONE_STEP[@]}" | tail -n 1)
  py=$("$PYTHON" "$SOURCE/bench/bench_train.py" --frames 96 --channels 4 4 4 4 --gru 4 "${ONE_STEP[@]}" | tail -n 1)
  same "default CRNN" "$cpp" "$py" kind batch n_mels frames params
}

# The checks, two at a time; each one's output in order, and the first failure fails the test.
checks=("${KINDS[@]}" default)
status=0
for ((i = 0; i < ${#checks[@]}; i += 2)); do
  pids=()
  for name in "${checks[@]:i:2}"; do
    if [[ $name == default ]]; then check_default > "$TMP/$name.log" 2>&1 & else
      check_kind "$name" > "$TMP/$name.log" 2>&1 &
    fi
    pids+=("$!")
  done
  for j in "${!pids[@]}"; do
    wait "${pids[$j]}" || status=1
    cat "$TMP/${checks[$((i + j))]}.log"
  done
done
((status == 0)) || fail "see above"

# The paper-size configs bench_train.sh times (only built: a step of the large ones takes seconds).
for kind in "${KINDS[@]:1}"; do
  spec=$("$BIN/bench_train" --print-model --config "$SOURCE/configs/won2020/mtat_$kind.yaml" --set model.n_tags=50)
  [[ $(field "$spec" kind) == "$kind" ]] || fail "configs/won2020/mtat_$kind.yaml: --print-model printed $spec"
done
echo "ok configs/won2020/mtat_<kind>.yaml build (--set model.n_tags=50)"
