#!/usr/bin/env bash
# End-to-end tests of the MTG-Jamendo and MagnaTagATune adapters with real mp3s (musictag-make-demo --format jamendo):
#   setup DIR      generate the Jamendo-format demo (24 tracks, six with broken or missing audio) into DIR/jamendo
#   top50 DIR      mpirun -np 2 musictag-preprocess with configs/jamendo_top50.yaml: h5py reads every part, and its
#                  tracks, splits and tags equal Python's csv reading of the split files (jamendo_reference.py);
#                  every listed track is in a part or in failures.tsv (the missing file as stage "missing")
#   moodtheme DIR  the same for tag set moodtheme of split-3: only mood/theme--- tags, stored as data
#   duplicates DIR the demo's bit-identical pair: manifest.json `duplicates` and source_sha256.tsv equal Python's
#                  hashlib over the audio files, with a cross-split warning; with preprocess.drop_duplicates: true
#                  the later id of each group is in no part and not in failures.tsv; a rerun reuses the hashes
#   mtat DIR       an annotations_final.csv as shipped (tab-separated, every field quoted, CRLF) over copies of demo
#                  mp3s and a zero-byte mp3 for clip 35644, one of the real release's empty clips: the run finishes
#                  and failures.tsv has one row for it, stage "empty"
# Needs MUSICTAG_BIN (folder of the executables), MUSICTAG_SOURCE_DIR and MUSICTAG_VENV (python with h5py).
set -euo pipefail
ACTION=$1
DIR=$2
BIN=${MUSICTAG_BIN:?}
SOURCE=${MUSICTAG_SOURCE_DIR:?}
PYTHON=${MUSICTAG_VENV:?}/bin/python
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)

fail() { echo "FAIL: $*" >&2; exit 1; }

# preprocess RANKS CONFIG OUTPUT [extra flags]: small parts, no compression, no progress lines.
preprocess() {
  local ranks=$1 config=$2 output=$3
  shift 3
  "${MPIRUN[@]}" -np "$ranks" "$BIN/musictag-preprocess" --config "$SOURCE/configs/$config" \
    --set "preprocess.output=$output" --set preprocess.part_size=4 --set preprocess.compression=none \
    --set preprocess.progress_seconds=0 "$@"
}

# check_parts OUTPUT SPLIT TAG_SET: parts, manifest and failures.tsv against the Python reference reader.
check_parts() {
  PYTHONPATH="$SOURCE/tests/preprocess" "$PYTHON" - "$DIR/jamendo" "$1" "$2" "$3" <<'PY'
import csv, glob, json, os, sys
import h5py, numpy as np
from jamendo_reference import read_split
root, output, split, tag_set = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
vocabulary, tracks = read_split(root, split, tag_set)
manifest = json.load(open(os.path.join(output, "manifest.json")))
assert manifest["tag_names"] == vocabulary, (manifest["tag_names"], vocabulary)
assert any(t.startswith("mood/theme---") for t in vocabulary), vocabulary
seen = {}
for path in sorted(glob.glob(os.path.join(output, "parts", "*.h5"))):
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f.attrs["tag_names"]]
        assert names == vocabulary, (path, names)
        assert set(f.keys()) >= {"mel", "tags", "track_id"}, (path, list(f.keys()))
        part_split = f.attrs["split"]
        part_split = part_split.decode() if isinstance(part_split, bytes) else str(part_split)
        for track_id, row in zip(f["track_id"][()].tolist(), f["tags"][()]):
            assert track_id not in seen, f"track {track_id} twice"
            name, _, tags = tracks[track_id]
            assert name == part_split, (track_id, name, part_split)
            expected = np.array([1 if t in tags else 0 for t in vocabulary], dtype=np.uint8)
            assert (row == expected).all(), (track_id, row.tolist(), tags)
            seen[track_id] = row
with open(os.path.join(output, "failures.tsv"), newline="") as f:
    failures = {int(r[0]): r[2] for r in list(csv.reader(f, delimiter="\t"))[1:]}
assert set(seen) | set(failures) == set(tracks) and not set(seen) & set(failures), (sorted(seen), failures)
broken = {}
for line in open(os.path.join(root, "README_demo.txt")):
    parts = line.split()
    if len(parts) == 4 and parts[1] == "track_id":
        broken[int(parts[2])] = parts[3]
assert set(failures) == {t for t in broken if t in tracks}, (failures, broken)
stage_of = {"missing": "missing", "zero_bytes": "empty"}
for t, stage in failures.items():
    if broken[t] in stage_of:
        assert stage == stage_of[broken[t]], (t, stage, broken[t])
positives = np.sum(list(seen.values()), axis=0)
mood = [i for i, t in enumerate(vocabulary) if t.startswith("mood/theme---")]
assert positives[mood].sum() > 0, "no mood/theme positive in the parts"
print(f"{len(seen)} tracks in parts, {len(failures)} failures ({sorted(failures.values())}), "
      f"{len(vocabulary)} tags, split-{split} {tag_set}: equal to Python's csv reading of the split files")
PY
}

case "$ACTION" in
  setup)
    rm -rf "$DIR" && mkdir -p "$DIR"
    "$BIN/musictag-make-demo" --format jamendo --output "$DIR/jamendo" --tracks 24 --seed 5 --threads 2 \
      > "$DIR/make-demo.log" 2>&1 || { cat "$DIR/make-demo.log"; fail "make-demo --format jamendo"; }
    for f in autotagging.tsv autotagging_top50tags.tsv splits/split-4/autotagging_moodtheme-test.tsv tags/top50.txt \
             README_demo.txt; do
      [[ -f "$DIR/jamendo/$f" ]] || fail "make-demo --format jamendo wrote no $f"
    done
    ;;
  top50)
    out="$DIR/top50"
    rm -rf "$out"
    preprocess 2 jamendo_top50.yaml "$out" --set "dataset.root=$DIR/jamendo" \
      --set "dataset.audio_dir=$DIR/jamendo/audio" > "$DIR/top50.log" 2>&1 \
      || { cat "$DIR/top50.log"; fail "preprocess top50tags"; }
    check_parts "$out" 0 top50tags
    ;;
  moodtheme)
    out="$DIR/moodtheme"
    rm -rf "$out"
    preprocess 2 jamendo_top50.yaml "$out" --set "dataset.root=$DIR/jamendo" \
      --set "dataset.audio_dir=$DIR/jamendo/audio" --set dataset.tag_set=moodtheme --set dataset.jamendo_split=3 > "$DIR/moodtheme.log" 2>&1 || { cat "$DIR/moodtheme.log"; fail "moodtheme"; }
    check_parts "$out" 3 moodtheme
    "$PYTHON" -c 'import json,sys; t=json.load(open(sys.argv[1]))["tag_names"]; assert all(x.startswith("mood/theme---") for x in t), t' \
      "$out/manifest.json"
    ;;
  duplicates)
    for drop in false true; do
      out="$DIR/duplicates-$drop"
      rm -rf "$out"
      preprocess 2 jamendo_top50.yaml "$out" --set "dataset.root=$DIR/jamendo" \
        --set "dataset.audio_dir=$DIR/jamendo/audio" --set "preprocess.drop_duplicates=$drop" \
        > "$DIR/duplicates-$drop.log" 2>&1 || { cat "$DIR/duplicates-$drop.log"; fail "preprocess drop_duplicates=$drop"; }
      grep -q "bit-identical audio in several splits: track .* (training), track .* (test)" "$DIR/duplicates-$drop.log" \
        || { cat "$DIR/duplicates-$drop.log"; fail "no cross-split warning naming both ids and splits"; }
      PYTHONPATH="$SOURCE/tests/preprocess" "$PYTHON" - "$DIR/jamendo" "$out" "$drop" <<'PY'
import collections, csv, glob, hashlib, json, os, sys
import h5py
from jamendo_reference import read_split
root, output, drop = sys.argv[1], sys.argv[2], sys.argv[3] == "true"
_, tracks = read_split(root, 0, "top50tags")
sha = {}
for track_id, (split, path, _) in tracks.items():
    file = os.path.join(root, "audio", path)
    if os.path.exists(file):
        sha[track_id] = hashlib.sha256(open(file, "rb").read()).hexdigest()
by_hash = collections.defaultdict(list)
for track_id in sorted(sha):
    by_hash[sha[track_id]].append(track_id)
expected = sorted(([h, ids] for h, ids in by_hash.items() if len(ids) > 1), key=lambda g: g[1][0])
assert expected, "the demo has no bit-identical pair"
manifest = json.load(open(os.path.join(output, "manifest.json")))
got = manifest["duplicates"]
assert [[g["sha256"], g["track_ids"]] for g in got] == expected, (got, expected)
for g in got:
    assert g["splits"] == [tracks[t][0] for t in g["track_ids"]], g
    assert g["dropped"] == (g["track_ids"][1:] if drop else []), g
with open(os.path.join(output, "source_sha256.tsv"), newline="") as f:
    rows = list(csv.reader(f, delimiter="\t"))
assert rows[0] == ["track_id", "split", "path", "sha256"], rows[0]
assert {int(r[0]): r[3] for r in rows[1:] if r[3]} == sha, "source_sha256.tsv differs from hashlib"
dropped = {t for g in got for t in g["dropped"]}
in_parts = set()
for path in glob.glob(os.path.join(output, "parts", "*.h5")):
    with h5py.File(path, "r") as f:
        in_parts |= set(f["track_id"][()].tolist())
with open(os.path.join(output, "failures.tsv"), newline="") as f:
    failed = {int(r[0]) for r in list(csv.reader(f, delimiter="\t"))[1:]}
assert not dropped & (in_parts | failed), ("dropped ids in parts or failures.tsv", dropped & (in_parts | failed))
assert in_parts | failed | dropped == set(tracks), "a track is neither in a part, nor failed, nor dropped"
counts = manifest["counts"]
assert sum(c["duplicates_dropped"] for c in counts.values()) == len(dropped), counts
print(f"drop_duplicates {drop}: groups {[g['track_ids'] for g in got]} equal hashlib's; "
      f"{len(dropped)} dropped, none in the {len(in_parts)} tracks of the parts")
PY
    done
    # A rerun resumes: every part is kept, the hashes come from source_sha256.tsv, the manifest is the same.
    cp "$DIR/duplicates-true/manifest.json" "$DIR/duplicates-first-manifest.json"
    preprocess 2 jamendo_top50.yaml "$DIR/duplicates-true" --set "dataset.root=$DIR/jamendo" \
      --set "dataset.audio_dir=$DIR/jamendo/audio" --set "preprocess.drop_duplicates=true" \
      > "$DIR/duplicates-rerun.log" 2>&1 || { cat "$DIR/duplicates-rerun.log"; fail "rerun"; }
    grep -q "source sha256: .* taken from" "$DIR/duplicates-rerun.log" \
      || { cat "$DIR/duplicates-rerun.log"; fail "the rerun read every file again"; }
    "$PYTHON" -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); [d.pop("created") for d in (a,b)]; assert a==b' \
      "$DIR/duplicates-first-manifest.json" "$DIR/duplicates-true/manifest.json" || fail "the rerun changed manifest.json"
    ;;
  mtat)
    mtat="$DIR/mtat"
    rm -rf "$mtat" "$DIR/mtat-out"
    "$PYTHON" - "$DIR/jamendo" "$mtat" <<'PY'
import os, shutil, sys
demo, mtat = sys.argv[1], sys.argv[2]
broken = {int(l.split()[2]) for l in open(os.path.join(demo, "README_demo.txt")) if " track_id " in l}
good = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(demo, "audio")) for f in fs
              if int(f.split(".")[0]) not in broken)[:5]
tags = ["guitar", "no voice", "classical"] + [f"tag{i:03d}" for i in range(185)]
rows = [["clip_id"] + tags + ["mp3_path"]]
for i, (source, folder) in enumerate(zip(good, "05cdf")):
    path = f"{folder}/artist_{i}-album_{i}-01-title_{i}-0-29.mp3"
    os.makedirs(os.path.join(mtat, folder), exist_ok=True)
    shutil.copy(source, os.path.join(mtat, path))
    rows.append([str(100 + i)] + ["1" if t == tags[i % 3] else "0" for t in tags] + [path])
empty = "9/artist_x-album_x-19-title_x-204-233.mp3"
os.makedirs(os.path.join(mtat, "9"), exist_ok=True)
open(os.path.join(mtat, empty), "wb").close()
rows.append(["35644"] + ["1" if t == "guitar" else "0" for t in tags] + [empty])
with open(os.path.join(mtat, "annotations_final.csv"), "w", newline="") as f:
    for row in rows:
        f.write("\t".join(f'"{cell}"' for cell in row) + "\r\n")
PY
    preprocess 2 mtat.yaml "$DIR/mtat-out" --set "dataset.root=$mtat" > "$DIR/mtat.log" 2>&1 \
      || { cat "$DIR/mtat.log"; fail "preprocess of the quoted CRLF annotations_final.csv"; }
    tsv="$DIR/mtat-out/failures.tsv"
    cat "$tsv"
    [[ $(tail -n +2 "$tsv" | wc -l) -eq 1 ]] || fail "expected one failures.tsv row"
    tail -n +2 "$tsv" | cut -f1,3 | grep -qxP '35644\tempty' || fail "clip 35644 is not a failure with stage empty"
    "$PYTHON" - "$DIR/mtat-out/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
done = sum(c["tracks_done"] for c in m["counts"].values())
failed = sum(c["tracks_failed"] for c in m["counts"].values())
assert (done, failed) == (5, 1), (done, failed, m["counts"])
assert m["tag_names"] == ["guitar", "no voice", "classical"], m["tag_names"]  # by count, then name
print("mtat: 5 clips done, clip 35644 (zero bytes) a failures.tsv row; tags", m["tag_names"])
PY
    ;;
  *) fail "unknown action $ACTION" ;;
esac
