// PartHeader: the root attributes of a part file (what it stores, feature parameters, tag names, split, index,
// format version).
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
//
// Format versions: 1 (log-mels only, /mel) and 2 (adds `feature_kind` and `n_samples`; a waveform part stores
// /audio [N, n_samples] and has no n_mels, n_frames, hop_length, n_fft attributes). Writers write 2; readers read
// both (a version 1 part is a log-mel part).
struct PartHeader {
  static constexpr int64_t kFormatVersion = 2;          // written; bump when the layout changes
  static constexpr int64_t kOldestReadableVersion = 1;  // readers refuse versions outside [this, kFormatVersion]

  int64_t format_version = kFormatVersion;  // attribute `format_version`
  FeatureKind kind = FeatureKind::logmel;   // `feature_kind`: "logmel" or "waveform" (version 1: logmel)
  std::string features_json;                // `features_json`: FeatureConfig::to_json().dump()
  int64_t sample_rate = 0;                  // `sample_rate`, Hz
  int64_t n_samples = 0;                    // `n_samples`: samples per segment (version 1: from features_json)
  int64_t n_mels = 0;                       // `n_mels`: rows of each mel spectrogram (log-mel only)
  int64_t n_frames = 0;                     // `n_frames`: columns (frames per segment) (log-mel only)
  int64_t hop_length = 0;                   // `hop_length` (log-mel only)
  int64_t n_fft = 0;                        // `n_fft` (log-mel only)
  std::vector<std::string> tag_names;       // `tag_names`, in column order of /tags
  std::string split;                        // `split`: training / validation / test
  int64_t part_index = 0;                   // `part_index`: k in parts/<split>-<k>.h5

  // The header of part `part_index` of `split` for features `features` (n_frames = features.segment_frames()).
  static PartHeader make(const FeatureConfig& features, std::vector<std::string> tag_names, std::string split,
                         int64_t part_index);

  int64_t n_tags() const { return static_cast<int64_t>(tag_names.size()); }
  bool is_waveform() const { return kind == FeatureKind::waveform; }
  // Each example as a [rows, columns] matrix with time along the columns: [n_mels, n_frames] or [1, n_samples].
  int64_t rows() const { return is_waveform() ? 1 : n_mels; }
  int64_t columns() const { return is_waveform() ? n_samples : n_frames; }
  int64_t example_values() const { return rows() * columns(); }  // floats per example
  // The per-example dataset: "mel" [N, n_mels, n_frames] or "audio" [N, n_samples].
  const char* data_name() const { return is_waveform() ? "audio" : "mel"; }
  // "log-mel" or "waveform", for messages.
  const char* kind_text() const { return is_waveform() ? "waveform" : "log-mel"; }
  nlohmann::json features() const;  // features_json parsed

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
