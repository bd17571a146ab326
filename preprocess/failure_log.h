// failures.tsv: one row per track that could not be used (track_id, path, stage, reason); write, read, merge.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace musictag::preprocess {

// One failed track. Text fields are sanitised when written (tabs, CR and LF become spaces), so a reason taken from
// an FFmpeg or HDF5 message cannot break the table.
struct TrackFailure {
  int64_t track_id = 0;
  std::string path;    // the audio file, as the dataset's metadata names it
  std::string stage;   // where it failed: "decode", "augment", "mel", "metadata", ...
  std::string reason;  // the error message

  bool operator==(const TrackFailure& other) const {
    return track_id == other.track_id && path == other.path && stage == other.stage && reason == other.reason;
  }
  bool operator<(const TrackFailure& other) const;  // by track id, then stage, path, reason
};

inline constexpr const char* kFailuresHeader = "track_id\tpath\tstage\treason";

// `text` with every tab, CR and LF replaced by a space.
std::string sanitize_tsv_field(std::string text);

// The header line and one line per failure, in the given order, each ending in '\n'.
std::string format_failures_tsv(const std::vector<TrackFailure>& failures);

// Writes `path` atomically (`path`.partial, then rename); a header-only file when there are no failures.
void write_failures_tsv(const std::vector<TrackFailure>& failures, const std::string& path);

// Reads a file written by write_failures_tsv; DataError naming the file and line when the header or a row is wrong.
std::vector<TrackFailure> read_failures_tsv(const std::string& path);

// Reads every per-part failure file in `inputs` and writes their rows to `output`, sorted by track id (duplicate
// rows, e.g. a part recomputed after a crash, appear once). Returns the number of rows written.
size_t merge_failures_tsv(const std::vector<std::string>& inputs, const std::string& output);

}  // namespace musictag::preprocess
