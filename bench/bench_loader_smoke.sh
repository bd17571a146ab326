#!/usr/bin/env bash
# Smoke test of bench_loader (ctest bench.loader_smoke; no timing is checked): a tiny synthetic dataset, uncompressed
# and deflated, read in every configuration the benchmark has (whole example and crop, 1 and 2 threads, random and
# sequential, float32 and float16 batches); every configuration must report a positive rate for the loader and the
# floor, the Fletcher32 self-check (HDF5's loop and the vectorised one) must agree with the checksums HDF5 stored, and
# only the uncompressed parts are read with direct chunk reads.
# Needs MUSICTAG_BIN (folder of the executables).
set -euo pipefail
BIN=${MUSICTAG_BIN:?}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for deflate in 0 4; do
  data="$TMP/data-$deflate"
  "$BIN/bench_loader" --make-dataset "$data" --examples 24 --part-size 8 --n-mels 16 --segment-seconds 2 \
    --deflate "$deflate"
  "$BIN/bench_loader" --dataset "$data" --frames 0 32 --threads 1 2 --order random sequential \
    --mel-dtype float32 float16 --batch 4 --min-seconds 0.02 --reps 1 --pin off --json "$TMP/out-$deflate.jsonl" |
    tee "$TMP/out-$deflate.txt"
  grep -q "lowest ratio loader / floor" "$TMP/out-$deflate.txt" || fail "no summary line (deflate $deflate)"
  python3 - "$TMP/out-$deflate.jsonl" "$deflate" <<'PY' || exit 1
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
deflate = sys.argv[2] != "0"
runs = [l for l in lines if l["bench"] == "loader"]
breakdown = [l for l in lines if l["bench"] == "loader_breakdown"]
assert len(runs) == 16, f"expected 16 configurations (2 orders x 2 crops x 2 dtypes x 2 thread counts), got {len(runs)}"
assert {(l["order"], l["frames"], l["mel_dtype"], l["threads"]) for l in runs} == {
    (o, f, d, t) for o in ("random", "sequential") for f in (94, 32) for d in ("float32", "float16") for t in (1, 2)}, runs
for l in runs:
    assert l["loader_samples_per_s"] > 0 and l["floor_samples_per_s"] > 0 and l["ratio"] > 0, l
    assert ("deflate" in l["filters"]) == deflate and "fletcher32" in l["filters"], l["filters"]
assert len(breakdown) == 1 and breakdown[0]["checksum_matches"], breakdown
# Uncompressed parts are read with direct chunk reads (preadv + Fletcher32 check), deflated ones with H5Dread.
assert breakdown[0]["direct"] == (not deflate), breakdown
assert all(breakdown[0][k] > 0 for k in (
    "pread_us", "read_chunk_us", "h5dread_us", "fletcher32_us", "fletcher32_fast_us", "direct_read_us", "widen_us")), breakdown
print(f"ok: {len(runs)} configurations, filters {runs[0]['filters']}, Fletcher32 self-check equal")
PY
done
"$BIN/bench_loader" --dataset "$TMP/missing" > "$TMP/error.txt" 2>&1 && fail "a missing dataset was accepted"
grep -q "manifest" "$TMP/error.txt" || fail "the error for a missing dataset does not name the manifest: $(cat "$TMP/error.txt")"
echo "ok: a missing dataset fails naming its manifest"
