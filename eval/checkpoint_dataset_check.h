// The check that a checkpoint and a preprocessed dataset belong together: same kind of examples (log-mel or
// waveform), same feature parameters, same tags.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace musictag::eval {

// Throws DataError naming both files (`checkpoint_path`, `manifest_path`) and every difference when:
// - the checkpoint was trained on log-mels and the dataset stores waveforms, or the reverse (named as such);
// - the feature parameter keys (FeatureConfig::parameters(): sample rate, FFT, hop, mels, ...) differ; derived
//   and descriptive keys are ignored, so equal parameters always pass;
// - the tag names differ in count, names or order;
// - the dataset stores fewer frames (samples, for waveforms) per example than the model reads (`input_frames`).
// `checkpoint_features_json` is the checkpoint's features_json text, `manifest_features` the manifest's features.
void check_checkpoint_matches_dataset(const std::string& checkpoint_path, const std::string& checkpoint_features_json,
                                      const std::vector<std::string>& checkpoint_tags, int64_t input_frames,
                                      const std::string& manifest_path, const nlohmann::json& manifest_features,
                                      const std::vector<std::string>& manifest_tags);

}  // namespace musictag::eval
