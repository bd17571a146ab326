#!/usr/bin/env python3
"""Independent reader of MTG-Jamendo split files for the tests (Python's csv module, as MTG's scripts/commons.py).

  jamendo_reference.py ROOT SPLIT TAG_SET   prints the vocabulary and every track of splits/split-SPLIT for TAG_SET:
      vocabulary<TAB>tag<TAB>tag...                     (sorted full tag strings)
      <split><TAB><track id><TAB><PATH><TAB>tag...      (training, validation, test; then by id; tags sorted)
  A track listed twice is an error (exit 1), as it is for the C++ adapter.
Importable: read_split(root, split, tag_set) returns (vocabulary, {track id: (split, PATH, [tags])}).
"""
import csv
import os
import sys

PARTS = (("train", "training"), ("validation", "validation"), ("test", "test"))


def prefix_of(tag_set):
    return "autotagging" if tag_set == "all" else "autotagging_" + tag_set


def read_split(root, split, tag_set):
    tracks, seen = {}, {}
    for part, name in PARTS:
        path = os.path.join(root, "splits", f"split-{split}", f"{prefix_of(tag_set)}-{part}.tsv")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, delimiter="\t"))
        for line, row in enumerate(rows[1:], start=2):
            track_id = int(row[0].split("_")[1])
            if track_id in seen:
                raise SystemExit(f"duplicate track {track_id}: {path} line {line} and {seen[track_id]}")
            seen[track_id] = f"{path} line {line}"
            tracks[track_id] = (name, row[3], sorted(row[5:]))
    vocabulary = sorted({tag for _, _, tags in tracks.values() for tag in tags})
    return vocabulary, tracks


def main():
    root, split, tag_set = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    vocabulary, tracks = read_split(root, split, tag_set)
    order = {name: i for i, (_, name) in enumerate(PARTS)}
    print("\t".join(["vocabulary"] + vocabulary))
    for track_id in sorted(tracks, key=lambda t: (order[tracks[t][0]], t)):
        name, path, tags = tracks[track_id]
        print("\t".join([name, str(track_id), path] + tags))


if __name__ == "__main__":
    main()
