// Config section `model`: which kind (model_registry.h) and its options, as read from YAML.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "cluster/config_reader.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// Section `model`: `kind` (default: the first registered kind, the Choi CRNN) and the kind's keys, each declared
// once by the kind's read_config with its default, range and doc (musictag-train --help prints them). Every kind has
// n_tags (0 = as many as the dataset's manifest lists). Log-mel kinds have n_mels (must equal the dataset's) and
// n_frames, and `frontend` (frontend_config.h: stored, or logmel to read waveforms through the device log-mel);
// waveform kinds (sample_cnn, sample_cnn_se, harmonic_cnn) have n_samples and sample_rate instead.
struct ModelConfig {
  std::string kind;
  nlohmann::json options;  // as read; n_tags may still be 0

  int64_t n_tags() const { return options.at("n_tags").get<int64_t>(); }
  // What the model's forward() takes (model_input_of(options)).
  ModelInput input() const { return model_input_of(options); }
  // The stored log-mel the model reads: bands and frames per example. ConfigError for waveform input (input() ==
  // waveform), whose examples are n_samples() samples at sample_rate(): such a model cannot read a log-mel dataset.
  int64_t n_mels() const;
  int64_t n_frames() const;
  // Waveform input: samples per example and their rate in Hz; 0 for log-mel input.
  int64_t n_samples() const { return options.value("n_samples", int64_t{0}); }
  int64_t sample_rate() const;

  // Reads and validates section `model`; errors name the key (ConfigError).
  static ModelConfig from(cluster::ConfigSection& section);

  // The options for a dataset whose manifest lists `dataset_tags` tags (0 = not known yet): n_tags 0 takes the
  // dataset's count; an explicit n_tags must agree with it. ConfigError when neither gives a count or they differ.
  nlohmann::json options_for(int64_t dataset_tags = 0) const;
  // The model, built from options_for(dataset_tags).
  TaggingModel build(int64_t dataset_tags = 0) const;
  // The shortest input this model accepts (ModelKind::min_frames): frames, or samples for waveform input.
  int64_t min_frames() const;
};

}  // namespace musictag::train
