// Source hashes: the SHA-256 of every track's audio file, computed over the ranks, kept in source_sha256.tsv.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/world.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

struct SourceHashes {
  std::vector<std::string> sha256;  // per track, in the order given; "" = the file could not be read
  int64_t bytes = 0;                // read to compute them (0 when taken from the table)
  bool reused = false;              // taken from an earlier run's table
};

// The hashes of `tracks` (the same list on every rank). When `table_path` lists exactly these tracks (id, split,
// path, in order) it is read instead, so a resumed run does not read every file again. Otherwise rank r hashes
// tracks r, r + size, ... (file sizes are unrelated to id order, so the shares are even), every rank gets all
// hashes (one MPI_Allreduce), and rank 0 writes the table. Collective: call on every rank.
SourceHashes hash_source_files(const cluster::World& world, const std::vector<TrackRecord>& tracks,
                               const std::string& table_path);

// source_sha256.tsv: "track_id\tsplit\tpath\tsha256", then one row per track.
std::string format_source_hashes(const std::vector<TrackRecord>& tracks, const std::vector<std::string>& sha256);

// The hashes of `table_text` when its rows are exactly `tracks` (id, split, path, in order) with a valid or empty
// sha256 each; empty otherwise (a table of another dataset or a damaged one is recomputed, never trusted).
std::vector<std::string> parse_source_hashes(const std::string& table_text, const std::vector<TrackRecord>& tracks);

}  // namespace musictag::preprocess
