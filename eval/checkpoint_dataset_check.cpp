// Compares a checkpoint's features and tags with a dataset manifest's, listing every difference in one error.
#include "eval/checkpoint_dataset_check.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/errors.h"
#include "preprocess/features/feature_config.h"

namespace musictag::eval {
namespace {

// The parameter keys of `features` (a FeatureConfig::to_json() or parameters() object); DataError naming `file`.
nlohmann::json parameters_of(const nlohmann::json& features, const std::string& file) {
  try {
    return preprocess::FeatureConfig::from_json(features).parameters();
  } catch (const std::exception& e) {
    throw DataError(
        fmt::format("'{}': its feature parameters are not valid ({}); the file is damaged or from "
                    "another version",
                    file, e.what()));
  }
}

std::string differing_features(const nlohmann::json& checkpoint, const nlohmann::json& manifest) {
  std::string text;
  for (const auto& [key, value] : checkpoint.items()) {
    const nlohmann::json other = manifest.contains(key) ? manifest.at(key) : nlohmann::json();
    if (value != other)
      text += fmt::format("{}features.{}: checkpoint {}, dataset {}", text.empty() ? "" : "; ", key, value.dump(),
                          other.dump());
  }
  return text;
}

std::string differing_tags(const std::vector<std::string>& checkpoint, const std::vector<std::string>& manifest) {
  if (checkpoint.size() != manifest.size())
    return fmt::format("the checkpoint has {} tags, the dataset {}", checkpoint.size(), manifest.size());
  for (size_t t = 0; t < checkpoint.size(); ++t) {
    if (checkpoint[t] != manifest[t])
      return fmt::format("tag {} is '{}' in the checkpoint but '{}' in the dataset", t, checkpoint[t], manifest[t]);
  }
  return "";
}

}  // namespace

void check_checkpoint_matches_dataset(const std::string& checkpoint_path, const std::string& checkpoint_features_json,
                                      const std::vector<std::string>& checkpoint_tags, int64_t input_frames,
                                      const std::string& manifest_path, const nlohmann::json& manifest_features,
                                      const std::vector<std::string>& manifest_tags) {
  nlohmann::json checkpoint_json;
  try {
    checkpoint_json = nlohmann::json::parse(checkpoint_features_json);
  } catch (const std::exception& e) {
    throw DataError(fmt::format("checkpoint '{}': features_json is not JSON ({}); the checkpoint is damaged",
                                checkpoint_path, e.what()));
  }
  const nlohmann::json mine = parameters_of(checkpoint_json, checkpoint_path);
  const nlohmann::json theirs = parameters_of(manifest_features, manifest_path);
  const auto trained_on = preprocess::FeatureConfig::from_json(mine);
  const auto dataset = preprocess::FeatureConfig::from_json(theirs);
  const auto kind_text = [](const preprocess::FeatureConfig& f) {
    return f.is_waveform() ? "waveforms (features.kind: waveform)" : "log-mels (features.kind: logmel)";
  };
  std::vector<std::string> problems;
  if (trained_on.kind != dataset.kind) {
    // The other keys then differ by construction; the kind is the one thing to fix.
    problems.push_back(fmt::format("the model was trained on {} but the dataset stores {}", kind_text(trained_on),
                                   kind_text(dataset)));
  } else {
    if (const std::string d = differing_features(mine, theirs); !d.empty()) problems.push_back(d);
    const int64_t stored = dataset.is_waveform() ? dataset.segment_samples() : dataset.segment_frames();
    if (stored < input_frames)
      problems.push_back(fmt::format("the model reads {} {} per example but the dataset stores {}", input_frames,
                                     dataset.is_waveform() ? "samples" : "frames", stored));
  }
  if (const std::string d = differing_tags(checkpoint_tags, manifest_tags); !d.empty()) problems.push_back(d);
  if (problems.empty()) return;
  std::string joined;
  for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  throw DataError(
      fmt::format("checkpoint '{}' and dataset '{}' do not belong together: {}. Evaluate the checkpoint "
                  "on a dataset preprocessed with the features and tags it was trained on (or train on "
                  "this dataset)",
                  checkpoint_path, manifest_path, joined));
}

}  // namespace musictag::eval
