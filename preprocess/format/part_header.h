// PartHeader: the root attributes of a part file (feature parameters, tag names, split, index, format version).
#pragma once

#include <hdf5.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/features/feature_config.h"

namespace musictag::preprocess {

// What a part file says about itself, attribute for attribute (the data contract: README "Data contract",
// docs/ARCHITECTURE.md). The numeric feature attributes repeat features_json's values for readers that do not parse
// JSON (h5ls, quick scripts).
struct PartHeader {
  static constexpr int64_t kFormatVersion = 1;  // bump when the layout changes; readers refuse other versions

  int64_t format_version = kFormatVersion;  // attribute `format_version`
  std::string features_json;                // `features_json`: FeatureConfig::to_json().dump()
  int64_t sample_rate = 0;                  // `sample_rate`, Hz
  int64_t n_mels = 0;                       // `n_mels`: rows of each mel spectrogram
  int64_t n_frames = 0;                     // `n_frames`: columns (frames per segment)
  int64_t hop_length = 0;                   // `hop_length`
  int64_t n_fft = 0;                        // `n_fft`
  std::vector<std::string> tag_names;       // `tag_names`, in column order of /tags
  std::string split;                        // `split`: training / validation / test
  int64_t part_index = 0;                   // `part_index`: k in parts/<split>-<k>.h5

  // The header of part `part_index` of `split` for features `features` (n_frames = features.segment_frames()).
  static PartHeader make(const FeatureConfig& features, std::vector<std::string> tag_names, std::string split,
                         int64_t part_index);

  int64_t n_tags() const { return static_cast<int64_t>(tag_names.size()); }
  int64_t mel_values() const { return n_mels * n_frames; }  // floats per example
  nlohmann::json features() const;                          // features_json parsed

  // Writes every attribute on `file` (the root group); `path` names the file in errors.
  void write(hid_t file, const std::string& path) const;
  // Reads them back; DataError naming `path` and the attribute when one is missing, of another format version, or
  // disagrees with features_json.
  static PartHeader read(hid_t file, const std::string& path);

  // DataError naming `path` and the attribute (features_json and the keys that differ, or tag_names and the first
  // difference) unless this part was computed with `features` (FeatureConfig::to_json(), compared as JSON) and
  // `tag_names` (same names, same order).
  void check_matches(const nlohmann::json& features, const std::vector<std::string>& tag_names,
                     const std::string& path) const;
};

}  // namespace musictag::preprocess
