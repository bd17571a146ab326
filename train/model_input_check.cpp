// model_input_columns: log-mel models on log-mel datasets, waveform models (and device frontends) on waveforms.
#include "train/model_input_check.h"

#include <fmt/format.h>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

std::string model_text(const ModelConfig& model) {
  return "model.kind " + model.kind + (model.options.contains("frontend") ? " with model.frontend: logmel" : "");
}

}  // namespace

StoredExamples StoredExamples::of(const DataIndex& index) {
  return {index.dataset(), index.kind(), index.rows(), index.columns(), index.sample_rate()};
}

int64_t model_input_columns(const ModelConfig& model, const StoredExamples& stored, int64_t input_frames) {
  const bool stored_waveforms = stored.kind == preprocess::FeatureKind::waveform;
  if (model.input() == ModelInput::logmel) {
    if (stored_waveforms)
      throw ConfigError(fmt::format(
          "{} reads stored log-mels but dataset '{}' stores waveforms (features.kind: waveform, {} samples at {} "
          "Hz): set model.frontend: logmel to compute the log-mel on the training device, or preprocess with "
          "features.kind: logmel",
          model_text(model), stored.dataset, stored.columns, stored.sample_rate));
    const int64_t columns = input_frames > 0 ? input_frames : stored.columns;
    if (model.n_mels() != stored.rows)
      throw ConfigError(fmt::format("model.n_mels is {} but the dataset {} has {} mel bands: set model.n_mels to {}",
                                    model.n_mels(), stored.dataset, stored.rows, stored.rows));
    if (model.n_frames() != columns)
      throw ConfigError(
          fmt::format("model.n_frames is {} but the examples have {} frames (train.input_frames, or the "
                      "stored frames when it is 0): make them equal",
                      model.n_frames(), columns));
    return columns;
  }
  if (!stored_waveforms)
    throw ConfigError(fmt::format(
        "{} reads waveforms [batch, {} samples at {} Hz] but dataset '{}' stores log-mels ([{}, {}] per example): "
        "preprocess the audio with features.kind: waveform (and features.sample_rate: {}), or choose a log-mel "
        "model",
        model_text(model), model.n_samples(), model.sample_rate(), stored.dataset, stored.rows, stored.columns,
        model.sample_rate()));
  if (input_frames > 0 && input_frames != model.n_samples())
    throw ConfigError(
        fmt::format("train.input_frames is {}, but {} crops model.n_samples ({}) samples from the "
                    "waveforms of '{}': set train.input_frames to 0 (or to model.n_samples)",
                    input_frames, model_text(model), model.n_samples(), stored.dataset));
  if (model.sample_rate() != stored.sample_rate)
    throw ConfigError(
        fmt::format("{} expects audio at {} Hz but dataset '{}' stores waveforms at {} Hz: set the "
                    "model.sample_rate to {} or preprocess with features.sample_rate: {}",
                    model_text(model), model.sample_rate(), stored.dataset, stored.sample_rate, stored.sample_rate,
                    model.sample_rate()));
  if (model.n_samples() > stored.columns)
    throw ConfigError(
        fmt::format("model.n_samples is {} but dataset '{}' stores {} samples per example: lower "
                    "model.n_samples or preprocess with a longer features.segment_seconds",
                    model.n_samples(), stored.dataset, stored.columns));
  return model.n_samples();
}

}  // namespace musictag::train
