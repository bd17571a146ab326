// DataIndex: one split of a preprocessed dataset, every part checked against the manifest, examples grouped by track.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/features/feature_config.h"
#include "preprocess/format/manifest.h"

namespace musictag::train {

// One row of one part file.
struct ExampleRef {
  int32_t part = 0;  // index into DataIndex::part_paths()
  int64_t row = 0;   // row in that part
  int64_t track_id = 0;
  int16_t variant = 0;  // 0 = original audio
  int16_t segment = 0;  // segment of the track (0 when a track yields one)
};

// The examples of one track, by variant: variants ascending, each with its example indices (segments ascending).
struct TrackExamples {
  int64_t track_id = 0;
  std::vector<int16_t> variants;
  std::vector<std::vector<int64_t>> examples_of_variant;  // parallel to `variants`
};

// Built once per split and shared (read-only, so thread-safe) by the loaders. Example indices are positions in
// examples(): parts in manifest order (index ascending), rows ascending, i.e. the order preprocess wrote them.
class DataIndex {
 public:
  // Opens `dataset`/manifest.json and every part of `split` it lists. DataError naming the file when the manifest is
  // missing or damaged, the split has no parts, a part is missing, damaged, holds another example count than the
  // manifest says, belongs to another split, or was computed with other features or tags than the manifest's
  // (PartReader::check_matches); with verify_checksums, also when its sha256 differs from the manifest's.
  static DataIndex open(const std::string& dataset, const std::string& split, bool verify_checksums = false);

  const std::string& dataset() const { return dataset_; }
  const std::string& split() const { return split_; }
  const preprocess::Manifest& manifest() const { return manifest_; }
  const std::vector<std::string>& part_paths() const { return part_paths_; }  // full paths
  const std::vector<int64_t>& part_sizes() const { return part_sizes_; }      // examples per part
  const std::vector<std::string>& tag_names() const { return manifest_.tag_names; }

  // What the examples are: log-mels [rows = n_mels, columns = frames] or waveforms [rows = 1, columns = samples].
  // Time runs along the columns; loaders crop columns.
  preprocess::FeatureKind kind() const { return kind_; }
  bool is_waveform() const { return kind_ == preprocess::FeatureKind::waveform; }
  int64_t rows() const { return rows_; }
  int64_t columns() const { return columns_; }          // stored frames (log-mel) or samples (waveform) per example
  int64_t sample_rate() const { return sample_rate_; }  // Hz of the audio the examples come from
  int64_t n_tags() const { return static_cast<int64_t>(manifest_.tag_names.size()); }

  int64_t size() const { return static_cast<int64_t>(examples_.size()); }
  const std::vector<ExampleRef>& examples() const { return examples_; }
  const ExampleRef& example(int64_t i) const { return examples_[static_cast<size_t>(i)]; }
  const uint8_t* tags_of(int64_t i) const { return tags_.data() + i * n_tags(); }  // n_tags() values 0/1
  const std::vector<TrackExamples>& tracks() const { return tracks_; }             // track id ascending

 private:
  std::string dataset_, split_;
  preprocess::Manifest manifest_;
  std::vector<std::string> part_paths_;
  std::vector<int64_t> part_sizes_;
  preprocess::FeatureKind kind_ = preprocess::FeatureKind::logmel;
  int64_t rows_ = 0, columns_ = 0, sample_rate_ = 0;
  std::vector<ExampleRef> examples_;
  std::vector<uint8_t> tags_;
  std::vector<TrackExamples> tracks_;
};

}  // namespace musictag::train
