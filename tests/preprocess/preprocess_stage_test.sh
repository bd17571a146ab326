#!/usr/bin/env bash
# End-to-end tests of musictag-preprocess on a generated FMA-format dataset with real mp3s and broken files:
#   setup DIR                 generate the dataset (40 tracks) into DIR/fma
#   ranks DIR                 1 rank and 2 ranks give byte-identical parts, failures.tsv and checksums
#   resume DIR                kill -9 of a rank mid-run, rerun: same dataset as an uninterrupted run
#   failures DIR              every broken-file kind gives one failures.tsv row with its stage
#   mismatch DIR              rerunning into the folder with another config is refused, naming the key
#   long_track DIR            segments: all on one track of 2 and of 16 minutes (with a time-stretched variant): the
#                             peak memory does not grow with the track's length (the track streams), rows add up
# Needs MUSICTAG_BIN (folder of the executables) and MUSICTAG_SOURCE_DIR; long_track also MUSICTAG_VENV (h5py).
set -euo pipefail
ACTION=$1
DIR=$2
BIN=${MUSICTAG_BIN:?}
CONFIG=${MUSICTAG_SOURCE_DIR:?}/configs/demo.yaml
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)

fail() { echo "FAIL: $*" >&2; exit 1; }

# preprocess RANKS OUTPUT [extra flags]: the demo config on DIR/fma with small parts.
preprocess() {
  local ranks=$1 output=$2
  shift 2
  "${MPIRUN[@]}" -np "$ranks" "$BIN/musictag-preprocess" --config "$CONFIG" --set "dataset.root=$DIR/fma" \
    --set "preprocess.output=$output" --set preprocess.part_size=4 --set preprocess.progress_seconds=0 "$@"
}

# Part files, failures and the manifest's checksums, as one text to compare.
fingerprint() {
  local output=$1
  (cd "$output" && sha256sum parts/*.h5 failures.tsv)
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print([(p["file"],p["examples"],p["sha256"]) for p in m["parts"]], m["counts"])' \
    "$output/manifest.json"
}

case "$ACTION" in
  setup)
    rm -rf "$DIR" && mkdir -p "$DIR"
    "$BIN/musictag-make-demo" --output "$DIR/fma" --tracks 40 --seed 7 --threads 2 > "$DIR/make-demo.log"
    preprocess 1 "$DIR/reference" > "$DIR/reference.log" 2>&1 || { cat "$DIR/reference.log"; fail "reference run"; }
    ;;
  ranks)
    rm -rf "$DIR/ranks2"
    preprocess 2 "$DIR/ranks2" > "$DIR/ranks2.log" 2>&1 || { cat "$DIR/ranks2.log"; fail "2-rank run"; }
    diff <(fingerprint "$DIR/reference") <(fingerprint "$DIR/ranks2") || fail "1 rank and 2 ranks differ"
    echo "1 rank and 2 ranks: identical parts, failures.tsv and manifest checksums"
    ;;
  resume)
    out="$DIR/resumed"
    rm -rf "$out"
    preprocess 2 "$out" > "$DIR/killed.log" 2>&1 &
    launcher=$!
    # Wait for the first finished part, then kill -9 one rank (the highest pid: a worker).
    for _ in $(seq 1 600); do compgen -G "$out/parts/*.h5" > /dev/null && break; sleep 0.05; done
    victim=$(pgrep -f "musictag-preprocess.*$out" | sort -n | tail -1)
    [[ -n "$victim" ]] || fail "no rank to kill (the run ended too fast?)"
    kill -9 "$victim"
    if wait "$launcher"; then fail "the killed run exited 0"; fi
    [[ ! -f "$out/manifest.json" ]] || fail "the killed run wrote a manifest"
    done_before=$(compgen -G "$out/parts/*.h5" | wc -l)
    echo "killed rank pid $victim after $done_before finished parts"
    preprocess 2 "$out" > "$DIR/resume.log" 2>&1 || { cat "$DIR/resume.log"; fail "resumed run"; }
    grep -q "resuming in" "$DIR/resume.log" || fail "the rerun did not resume"
    diff <(fingerprint "$DIR/reference") <(fingerprint "$out") || fail "resumed dataset differs from uninterrupted"
    ! compgen -G "$out/parts/*.partial" > /dev/null || fail ".partial files left behind"
    echo "resumed: identical to the uninterrupted run"
    ;;
  failures)
    tsv="$DIR/reference/failures.tsv"
    cat "$tsv"
    [[ $(tail -n +2 "$tsv" | wc -l) -eq 6 ]] || fail "expected 6 failure rows"
    for stage in missing empty open silent too_short; do
      cut -f3 "$tsv" | grep -qx "$stage" || fail "no failure row with stage $stage"
    done
    # Reasons in the user's words: FFmpeg's own message, never the project's source locations.
    ! cut -f4 "$tsv" | grep -E '\.cpp:[0-9]|FFmpeg call' || fail "a failure reason quotes the source code"
    grep -P '\topen\t' "$tsv" | grep -qE ': (Invalid data found when processing input|Invalid argument) \(FFmpeg avformat_open_input\)$' \
      || fail "the open failure does not give FFmpeg's message"
    python3 - "$DIR/reference/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
done = sum(c["tracks_done"] for c in m["counts"].values())
failed = sum(c["tracks_failed"] for c in m["counts"].values())
assert (done, failed) == (34, 6), (done, failed)
assert sum(p["tracks"] for p in m["parts"]) == 34
print("manifest counts:", m["counts"])
PY
    ;;
  mismatch)
    set +e
    message=$(preprocess 1 "$DIR/reference" --set features.n_mels=64 2>&1)
    code=$?
    set -e
    echo "$message" | tail -3
    [[ $code -eq 2 ]] || fail "expected exit code 2 (config error), got $code"
    echo "$message" | grep -q "features.n_mels" || fail "message does not name features.n_mels"
    echo "$message" | grep -q -- "--overwrite" || fail "message does not mention --overwrite"
    ;;
  long_track)
    # The dataset's metadata with a single audio file, the first good clip's mp3 frames repeated (no re-encoding);
    # every other track is a "missing" failure, which costs nothing.
    clip=$(find "$DIR/fma/audio" -name '*.mp3' -size +100k | sort | head -1)
    relative=${clip#"$DIR/fma/"}
    peak_kb() {  # peak_kb MINUTES: the maximum resident set (KB) of one rank preprocessing the track
      local minutes=$1 root="$DIR/long-$1"
      rm -rf "$root" "$root-out" && mkdir -p "$root/$(dirname "$relative")"
      cp -r "$DIR/fma/fma_metadata" "$root/"
      ffmpeg -nostdin -v error -stream_loop $((minutes * 2 - 1)) -i "$clip" -c copy "$root/$relative"
      python3 - "$BIN/musictag-preprocess" --config "$CONFIG" --set "dataset.root=$root" \
        --set "preprocess.output=$root-out" --set preprocess.progress_seconds=0 --set preprocess.segments=all \
        --set "augment.time_stretches=[0.8]" --set "augment.pitch_shifts=[]" \
        --set "augment.splits=[training,validation,test]" <<'PY' 2> "$root.log"
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=sys.stderr).returncode
if code != 0:
    sys.exit(f"musictag-preprocess exited {code}")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
    }
    short=$(peak_kb 2) || { cat "$DIR/long-2.log"; fail "2-minute run"; }
    long=$(peak_kb 16) || { cat "$DIR/long-16.log"; fail "16-minute run"; }
    echo "peak resident memory: 2-minute track $((short / 1024)) MB, 16-minute track $((long / 1024)) MB"
    # Holding the decoded track (as before streaming) would add 14 min x 12000 Hz x 4 bytes = 40 MB, its stretched
    # copy 50 MB more; streaming holds a segment per variant whatever the length.
    (( long - short < 12 * 1024 )) || fail "peak memory grew by $(((long - short) / 1024)) MB with the track's length"
    "${MUSICTAG_VENV:?}/bin/python" - "$DIR/long-2-out" "$DIR/long-16-out" <<'PY'
import glob, sys
import h5py, numpy as np
for out, minutes in zip(sys.argv[1:], (2, 16)):
    rows = [f for p in sorted(glob.glob(out + "/parts/*.h5")) for f in [h5py.File(p, "r")] if f["track_id"].shape[0]]
    assert len(rows) == 1, f"{out}: expected one part with rows, found {len(rows)}"
    variant, segment = rows[0]["variant"][:], rows[0]["segment"][:]
    seconds = minutes * 60
    for v, stretch in ((0, 1.0), (1, 0.8)):
        got = sorted(segment[variant == v].tolist())
        expected = round(seconds / stretch / 29.12)  # segments of 29.12 s; the remainder rule moves it by one at most
        assert got == list(range(len(got))) and abs(len(got) - expected) <= 1, (out, v, len(got), expected)
    print(f"{minutes}-minute track: {(variant == 0).sum()} original and {(variant == 1).sum()} stretched segments")
PY
    ;;
  *) fail "unknown action $ACTION" ;;
esac
