#!/usr/bin/env bash
# musictag-preprocess into a full file system (a 1 MiB tmpfs): the job ends with exit code 5 (I/O error) and one
# line naming the file, the system's reason ("No space left on device") and what to do, without HDF5's error stack;
# after the tmpfs is remounted bigger, the same command resumes and its output equals a run that never failed.
# Usage: preprocess_disk_full_test.sh DIR. Needs MUSICTAG_BIN and MUSICTAG_SOURCE_DIR. Exits 77 (ctest: skipped)
# where mounting a tmpfs is not permitted (not root, no CAP_SYS_ADMIN).
set -euo pipefail
DIR=$1
BIN=${MUSICTAG_BIN:?}
CONFIG=${MUSICTAG_SOURCE_DIR:?}/configs/demo.yaml
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
SMALL=$DIR/small   # the tmpfs
OUT=$SMALL/out

fail() { echo "FAIL: $*" >&2; exit 1; }

# preprocess RANKS OUTPUT: the demo config without augmentation, two tracks per part; RANKS 0: no launcher.
preprocess() {
  local launch=("${MPIRUN[@]}" -np "$1")
  [[ $1 -gt 0 ]] || launch=()
  "${launch[@]}" "$BIN/musictag-preprocess" --config "$CONFIG" --set "dataset.root=$DIR/fma" \
    --set "preprocess.output=$2" --set preprocess.part_size=2 --set preprocess.progress_seconds=0 \
    --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]"
}

# Part files, failures and the manifest's parts and counts, as one text to compare.
fingerprint() {
  (cd "$1" && sha256sum parts/*.h5 failures.tsv)
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print([(p["file"],p["examples"],p["sha256"]) for p in m["parts"]], m["counts"])' \
    "$1/manifest.json"
}

umount "$SMALL" 2> /dev/null || true  # left mounted by an interrupted earlier run
rm -rf "$DIR" && mkdir -p "$SMALL"
if ! mount -t tmpfs -o size=1m musictag-disk-full-test "$SMALL" 2> "$DIR/mount.log"; then
  echo "SKIP: cannot mount a tmpfs here ($(head -1 "$DIR/mount.log")); run as root to test a full disk"
  exit 77
fi
trap 'umount "$SMALL" 2> /dev/null || true' EXIT

"$BIN/musictag-make-demo" --output "$DIR/fma" --tracks 16 --seed 3 --threads 2 > "$DIR/make-demo.log"
preprocess 2 "$DIR/reference" > "$DIR/reference.log" 2>&1 || { cat "$DIR/reference.log"; fail "reference run"; }

# 1. The full disk: exit code 5 and one readable line.
set +e
preprocess 2 "$OUT" > "$DIR/full.out" 2> "$DIR/full.err"
code=$?
set -e
cat "$DIR/full.out" "$DIR/full.err" > "$DIR/full.log"
line=$(grep -m1 "fatal IoError" "$DIR/full.log" || true)
echo "exit code $code: $line"
[[ $code -eq 5 ]] || { cat "$DIR/full.log"; fail "expected exit code 5 (I/O error), got $code"; }
[[ -n $line ]] || { cat "$DIR/full.log"; fail "no 'fatal IoError' line"; }
grep -q "cannot [a-z ]* '$OUT/[^']*': No space left on device" <<< "$line" ||
  fail "the line does not name a file of the output folder and the system's reason"
grep -q "; free space or set preprocess.output elsewhere; rerun the same command to resume" <<< "$line" ||
  fail "the line does not say what to do"
if grep -E "H5[A-Z][A-Za-z0-9_]*\(\)|HDF5 call|errno = " "$DIR/full.log"; then
  fail "HDF5's error stack reached the output (it belongs at debug level)"
fi
[[ ! -f $OUT/manifest.json ]] || fail "the failed run wrote a manifest"
echo "$(compgen -G "$OUT/parts/*.h5" | wc -l) parts were complete when the disk filled up"

# 1b. A single process (no MPI_Abort ends it) resumes, fills the disk again and exits with 5 itself: HDF5 must be
# left in a state that does not crash while the process exits.
set +e
preprocess 0 "$OUT" > "$DIR/alone.log" 2>&1
code=$?
set -e
echo "alone: exit code $code: $(grep -m1 "fatal IoError" "$DIR/alone.log" || true)"
[[ $code -eq 5 ]] || { cat "$DIR/alone.log"; fail "alone: expected exit code 5, got $code"; }
grep -q "fatal IoError on rank 0/1 .*No space left on device" "$DIR/alone.log" || fail "alone: no one-line reason"

# 2. Space freed: the same command resumes and ends with what a run that never failed wrote.
mount -o remount,size=64m "$SMALL"
preprocess 2 "$OUT" > "$DIR/resume.log" 2>&1 || { cat "$DIR/resume.log"; fail "the rerun after freeing space"; }
grep -q "resuming in" "$DIR/resume.log" || fail "the rerun did not resume"
diff <(fingerprint "$DIR/reference") <(fingerprint "$OUT") || fail "the resumed output differs from the reference"
if compgen -G "$OUT/parts/*.partial" > /dev/null; then fail ".partial files left behind"; fi
echo "PASS: exit 5 with one line on the full disk; the rerun after freeing space equals an uninterrupted run"
