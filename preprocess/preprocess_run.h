// The preprocess stage: dataset → part files shared dynamically over the ranks → manifest.json and failures.tsv.
#pragma once

#include <cstdint>

#include "cluster/world.h"
#include "preprocess/preprocess_settings.h"

namespace musictag::preprocess {

struct PreprocessSummary {
  int64_t tracks = 0;         // tracks in the plan (dropped duplicates excluded)
  int64_t tracks_done = 0;    // in the parts (rank 0: all of them, after the run)
  int64_t tracks_failed = 0;  // in failures.tsv
  int64_t examples = 0;
  int64_t parts = 0;
  int64_t parts_reused = 0;        // already complete from an earlier run (resume)
  int64_t duplicate_groups = 0;    // groups of tracks with bit-identical source files (manifest.json `duplicates`)
  int64_t duplicate_tracks = 0;    // tracks beyond the lowest id of their group
  int64_t duplicates_dropped = 0;  // of those, left out of the parts (preprocess.drop_duplicates)
  double seconds = 0.0;
};

// Runs the whole stage on every rank of `world` (the same settings everywhere). Rank 0 prepares the output folder,
// hands out parts, prints progress and writes manifest.json and failures.tsv at the end; the summary's totals are
// complete on rank 0. Resumable: parts already complete are not computed again. A write that the environment
// refuses (disk full, quota, read-only) throws IoError in one line: the file, the system's reason, and "free space
// or set preprocess.output elsewhere; rerun the same command to resume".
PreprocessSummary run_preprocess(const cluster::World& world, const PreprocessSettings& settings);

}  // namespace musictag::preprocess
