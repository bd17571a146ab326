// Predictions of a tagger on one split (scores, labels, track ids) and their HDF5 file, so metrics can be recomputed
// without the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace musictag::eval {

// n rows (segments or tracks) by n_tags tags, row-major: row r, tag t is scores[r * n_tags + t].
struct Predictions {
  std::vector<std::string> tag_names;  // column order, n_tags >= 1, unique, non-empty
  std::vector<int64_t> track_ids;      // per row; a track with several segments repeats its id
  std::vector<float> scores;           // [n, n_tags] sigmoid probabilities
  std::vector<uint8_t> labels;         // [n, n_tags] 0 or 1
  std::string split;                   // e.g. "test"
  std::string checkpoint_sha256;       // of the checkpoint that made the scores; may be empty
  std::string manifest_sha256;         // of the preprocessing run's manifest.json; may be empty

  size_t n_rows() const { return track_ids.size(); }
  size_t n_tags() const { return tag_names.size(); }
};

// Throws DataError (prefixed with `context`, e.g. the file) unless the shapes agree (scores and labels hold
// n_rows * n_tags values, at least one tag, tag names unique and non-empty) and every label is 0 or 1.
void check_predictions(const Predictions& predictions, const std::string& context);

// Format version written to (and required in) the file's `format_version` attribute.
inline constexpr int64_t kPredictionsFormatVersion = 1;

// Writes `path` atomically (`path`.partial, then rename): /scores float32 [n, n_tags], /labels uint8 [n, n_tags],
// /track_id int64 [n]; file attributes tag_names (strings), split, checkpoint_sha256, manifest_sha256 and
// format_version. The same predictions always give the same bytes (no timestamps). check_predictions first;
// DataError naming the file on any failure, leaving no .partial behind.
void write_predictions(const Predictions& predictions, const std::string& path);

// Reads a file written by write_predictions (or by h5py with the same layout). DataError naming the file when it
// is missing, a dataset or attribute is missing, or the shapes disagree.
Predictions read_predictions(const std::string& path);

}  // namespace musictag::eval
