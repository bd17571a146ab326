// Config section `model`: the kind, then the frontend's and the kind's own keys through the registry.
#include "train/models/model_config.h"

#include <string>

#include "cluster/errors.h"
#include "train/models/frontend_config.h"
#include "train/models/model_registry.h"

namespace musictag::train {
namespace {

[[noreturn]] void throw_waveform_input(const ModelConfig& config, const char* what) {
  throw ConfigError("model." + std::string(what) + ": model.kind " + config.kind +
                    (config.options.contains("frontend") ? " with model.frontend: logmel" : "") +
                    " reads waveforms [batch, " + std::to_string(config.n_samples()) + " samples at " +
                    std::to_string(config.sample_rate()) + " Hz], not stored log-mels: it has no " + what +
                    "; train it on a dataset preprocessed with "
                    "features.kind: waveform");
}

}  // namespace

int64_t ModelConfig::n_mels() const {
  if (input() == ModelInput::waveform) throw_waveform_input(*this, "n_mels");
  return options.at("n_mels").get<int64_t>();
}

int64_t ModelConfig::n_frames() const {
  if (input() == ModelInput::waveform) throw_waveform_input(*this, "n_frames");
  return options.at("n_frames").get<int64_t>();
}

int64_t ModelConfig::sample_rate() const {
  if (options.contains("features")) return options.at("features").value("sample_rate", int64_t{0});
  return options.value("sample_rate", int64_t{0});
}

ModelConfig ModelConfig::from(cluster::ConfigSection& section) {
  ModelConfig config;
  const std::vector<std::string> names = model_kind_names();
  config.kind = section.choice("kind", names.front(), names,
                               "Model architecture; the keys below are those of the default kind (train/README.md)");
  const ModelKind& kind = find_model_kind(config.kind);
  const nlohmann::json frontend = read_frontend_keys(section, kind);
  config.options = kind.read_config(section);
  if (!frontend.empty()) config.options = frontend_options(section, config.options, frontend);
  return config;
}

nlohmann::json ModelConfig::options_for(int64_t dataset_tags) const {
  const int64_t tags = n_tags();
  if (tags == 0 && dataset_tags <= 0)
    throw ConfigError(
        "model.n_tags is 0 (take it from the dataset) but no dataset tag count was given; set "
        "model.n_tags explicitly or build the model from the dataset's manifest");
  if (tags > 0 && dataset_tags > 0 && tags != dataset_tags)
    throw ConfigError("model.n_tags = " + std::to_string(tags) + " but the dataset's manifest lists " +
                      std::to_string(dataset_tags) + " tags; set model.n_tags to 0 to take the dataset's count");
  nlohmann::json resolved = options;
  if (tags == 0) resolved["n_tags"] = dataset_tags;
  return resolved;
}

TaggingModel ModelConfig::build(int64_t dataset_tags) const { return make_model(kind, options_for(dataset_tags)); }

int64_t ModelConfig::min_frames() const {
  const int64_t min = find_model_kind(kind).min_frames(options);
  if (!options.contains("frontend")) return min;
  // The fewest samples whose log-mel has `min` frames.
  const auto features = frontend_features(options);
  return features.center ? (min - 1) * features.hop_length : (min - 1) * features.hop_length + features.n_fft;
}

}  // namespace musictag::train
