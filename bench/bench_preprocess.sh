#!/usr/bin/env bash
# Benchmark of musictag-preprocess; every number is a ratio against a baseline measured in this same run:
#   1. per-core throughput vs `ffmpeg` decoding + soxr-resampling the same files to null (the decoding floor)
#   2. vs librosa (load at 12 kHz + melspectrogram + power_to_db) on the same files
#   3. 2 ranks vs 1 rank (strong-scaling efficiency)
#   4. each augmentation variant's cost relative to the plain pass
#   5. peak memory per rank, for N and 3N tracks (must not grow with the number of tracks)
#   6. long tracks: the N tracks looped to 5 minutes with segments: centre (only the centre is decoded) vs the 30-s
#      clips, cost per track; peak memory of segments: all on one 60-minute file vs one 5-minute file
#   8. features.kind: waveform (decode, resample, float16 /audio) vs logmel (section 1's run) on the same files, and
#      the disk bytes per example of each
# Usage: bench/bench_preprocess.sh [TRACKS=120]   (after scripts/build.sh; uses build/bin and the setup venv)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MUSICTAG_BUILD_DIR:-$ROOT/build}/bin"
TRACKS="${1:-120}"
WORK="${MUSICTAG_BENCH_DIR:-$ROOT/out/bench-preprocess}"
eval "$("$ROOT/scripts/setup.sh" 2>/dev/null)"
PY="$MUSICTAG_VENV/bin/python"
MPIRUN=(mpirun --oversubscribe)
[[ $(id -u) -eq 0 ]] && MPIRUN+=(--allow-run-as-root)

now() { date +%s.%N; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

mkdir -p "$WORK"
for n in "$TRACKS" $((3 * TRACKS)); do
  [[ -f "$WORK/fma-$n/fma_metadata/README_demo.txt" ]] ||
    "$BIN/musictag-make-demo" --output "$WORK/fma-$n" --tracks "$n" --seed 11 --overwrite > /dev/null
done
FMA="$WORK/fma-$TRACKS"
mapfile -t FILES < <(find "$FMA/audio" -name '*.mp3' -size +100k | sort)
echo "files: ${#FILES[@]} mp3s (30 s, 44.1 kHz) from the demo generator, 1 core unless stated"

# run_preprocess RANKS OUTPUT [--set ...]: seconds of one uninterrupted run (dataset $ROOT_DIR, default $FMA).
run_preprocess() {
  local ranks=$1 output=$2
  shift 2
  rm -rf "$output"
  local start; start=$(now)
  "${MPIRUN[@]}" -np "$ranks" "$BIN/musictag-preprocess" --config "$ROOT/configs/demo.yaml" \
    --set "dataset.root=${ROOT_DIR:-$FMA}" --set "preprocess.output=$output" --set preprocess.part_size=16 \
    --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" "$@" > "$output.log" 2>&1
  python3 -c "print($(now) - $start)"
}

# The decoding floor: ffmpeg's own -benchmark CPU time (utime + stime) of each decode, which leaves out its process
# start-up, summed over the files; the whole loop's wall time (with start-ups) is printed too.
start=$(now)
t_ffmpeg=$(for f in "${FILES[@]}"; do
  ffmpeg -nostdin -hide_banner -nostats -benchmark -i "$f" -af "aresample=12000:resampler=soxr" -ac 1 -f null - 2>&1
done | sed -n 's/^bench: utime=\([0-9.]*\)s stime=\([0-9.]*\)s.*/\1 \2/p' |
  python3 -c "import sys; print(sum(float(a) + float(b) for a, b in (l.split() for l in sys.stdin)))")
t_ffmpeg_wall=$(python3 -c "print($(now) - $start)")
t_one=$(run_preprocess 1 "$WORK/one")
echo "1. musictag-preprocess (decode, resample, log-mel, HDF5), 1 rank: $(printf %.1f $t_one) s; ffmpeg decode+resample: $(printf %.1f $t_ffmpeg) s of decoding ($(printf %.1f $t_ffmpeg_wall) s with one process start per file)"
echo "   throughput ratio vs ffmpeg (goal >= 0.9): $(ratio "$t_ffmpeg" "$t_one")"

t_librosa=$("$PY" - "${FILES[@]}" <<'PY'
import sys, time, warnings
warnings.filterwarnings("ignore")
import librosa
start = time.time()
for path in sys.argv[1:]:
    y, sr = librosa.load(path, sr=12000, mono=True)
    librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, n_fft=512, hop_length=256, n_mels=96), ref=1.0)
print(time.time() - start)
PY
)
echo "2. librosa load + melspectrogram: $(printf %.1f $t_librosa) s; speed-up of musictag (goal >= 20): $(ratio "$t_librosa" "$t_one")"

t_two=$(run_preprocess 2 "$WORK/two")
echo "3. 2 ranks: $(printf %.1f $t_two) s; strong-scaling efficiency t1/(2*t2) (goal >= 0.9): $(python3 -c "print(f'{$t_one / (2 * $t_two):.2f}')")"

t_stretch=$(run_preprocess 1 "$WORK/stretch" --set "augment.time_stretches=[1.1]")
t_shift=$(run_preprocess 1 "$WORK/shift" --set "augment.pitch_shifts=[2]")
echo "4. one time-stretch variant (training split): $(ratio "$t_stretch" "$t_one")x the plain pass;" \
  "one pitch-shift variant: $(ratio "$t_shift" "$t_one")x"

for n in "$TRACKS" $((3 * TRACKS)); do
  rm -rf "$WORK/mem-$n"
  "${MPIRUN[@]}" -np 2 bash -c '/usr/bin/time -f %M -o "$0.rank$OMPI_COMM_WORLD_RANK" "$@"' "$WORK/mem-$n" \
    "$BIN/musictag-preprocess" --config "$ROOT/configs/demo.yaml" --set "dataset.root=$WORK/fma-$n" \
    --set "preprocess.output=$WORK/mem-$n" --set preprocess.part_size=16 > "$WORK/mem-$n.log" 2>&1 || true
done
echo "5. peak memory per rank (MB), $TRACKS vs $((3 * TRACKS)) tracks, 2 ranks, with augmentation:"
for n in "$TRACKS" $((3 * TRACKS)); do
  printf '   %5d tracks:' "$n"
  for f in "$WORK"/mem-"$n".rank*; do [[ -f $f ]] && printf ' %s' "$(( $(tail -1 "$f") / 1024 ))"; done
  echo
done

# loop_mp3 SOURCE TARGET TIMES: SOURCE's audio TIMES times over, re-encoded (-c copy would leave junk packets at the
# joins, which the decoder drops: such files are decoded whole, see preprocess/README.md "Long tracks").
loop_mp3() {
  ffmpeg -nostdin -v error -y -stream_loop $(($3 - 1)) -i "$1" -c:a libmp3lame -b:a 128k -compression_level 9 "$2"
}

# The same dataset with every good clip looped to 5 minutes (broken files kept as they are).
LONG="$WORK/fma-long-$TRACKS"
if [[ ! -f "$LONG/.complete" ]]; then
  rm -rf "$LONG" && mkdir -p "$LONG" && cp -r "$FMA/fma_metadata" "$LONG/"
  (cd "$FMA" && find audio -type d) | while read -r d; do mkdir -p "$LONG/$d"; done
  (cd "$FMA" && find audio -type f) | while read -r f; do
    if [[ $(stat -c %s "$FMA/$f") -gt 100000 ]]; then loop_mp3 "$FMA/$f" "$LONG/$f" 10; else cp "$FMA/$f" "$LONG/$f"; fi
  done
  touch "$LONG/.complete"
fi
t_long=$(ROOT_DIR="$LONG" run_preprocess 1 "$WORK/long")
echo "6. 5-minute tracks, segments: centre, 1 rank: $(printf %.1f "$t_long") s for the same ${#FILES[@]} tracks;" \
  "cost per track vs the 30-s clips (goal <= 1.3): $(ratio "$t_long" "$t_one")"

# Peak memory (maximum resident set) of one rank on a dataset whose only audio is one long track (the demo's other
# tracks removed: missing files are failures.tsv rows at no cost).
HOUR="$WORK/fma-hour"
if [[ ! -f "$HOUR/.complete" ]]; then
  rm -rf "$HOUR" && "$BIN/musictag-make-demo" --output "$HOUR" --tracks 12 --seed 11 --overwrite > /dev/null
  mapfile -t hour_files < <(find "$HOUR/audio" -name '*.mp3' -size +100k | sort)
  cp "${hour_files[0]}" "$HOUR/clip.mp3" && echo "${hour_files[0]}" > "$HOUR/target.txt"
  find "$HOUR/audio" -name '*.mp3' -delete
  touch "$HOUR/.complete"
fi
peak_memory() {  # peak_memory MINUTES SEGMENTS: MB
  loop_mp3 "$HOUR/clip.mp3" "$(cat "$HOUR/target.txt")" $(($1 * 2))
  rm -rf "$WORK/hour-out"
  /usr/bin/time -f %M -o "$WORK/hour.mem" "$BIN/musictag-preprocess" --config "$ROOT/configs/demo.yaml" \
    --set "dataset.root=$HOUR" --set "preprocess.output=$WORK/hour-out" --set "preprocess.segments=$2" \
    --set "augment.time_stretches=[]" --set "augment.pitch_shifts=[]" > "$WORK/hour.log" 2>&1 || true
  echo $(($(tail -1 "$WORK/hour.mem") / 1024))
}
echo "7. peak memory (MB) of 1 rank whose only track is 5 or 60 minutes long:"
for minutes in 5 60; do
  echo "   $minutes min: segments: all $(peak_memory "$minutes" all), segments: centre $(peak_memory "$minutes" centre)"
done

# Waveform parts: no log-mel, three times the bytes (12 kHz samples vs 96 bands x hop 256 frames).
t_wave=$(run_preprocess 1 "$WORK/wave" --set features.kind=waveform)
bytes_per_example() {  # bytes_per_example OUTPUT: parts' bytes / examples in the manifest
  python3 - "$1" <<'PY'
import json, os, sys
out = sys.argv[1]
m = json.load(open(os.path.join(out, "manifest.json")))
parts = [p for p in m["parts"]]
total = sum(os.path.getsize(os.path.join(out, p["file"])) for p in parts)
print(f"{total / max(1, sum(p['examples'] for p in parts)):.0f}")
PY
}
b_mel=$(bytes_per_example "$WORK/one")
b_wave=$(bytes_per_example "$WORK/wave")
echo "8. features.kind: waveform, 1 rank: $(printf %.1f "$t_wave") s; time vs logmel (section 1): $(ratio "$t_wave" "$t_one")x;" \
  "disk per example: waveform $b_wave bytes, logmel $b_mel bytes ($(ratio "$b_wave" "$b_mel")x)"
