// The check that a model reads what a dataset stores (log-mels or waveforms, bands, sample rate, length), and the
// crop length it takes.
#pragma once

#include <cstdint>
#include <string>

#include "train/data/data_index.h"
#include "train/models/model_config.h"

namespace musictag::train {

// What a dataset split stores per example, as DataIndex describes it.
struct StoredExamples {
  std::string dataset;  // folder, for messages
  preprocess::FeatureKind kind = preprocess::FeatureKind::logmel;
  int64_t rows = 0;         // n_mels, or 1 for waveforms
  int64_t columns = 0;      // stored frames, or samples
  int64_t sample_rate = 0;  // Hz

  static StoredExamples of(const DataIndex& index);
};

// The crop length, in stored columns, that `model` reads from `stored`: model.n_frames for a log-mel model on
// stored log-mels (it must equal `input_frames` when that is > 0, train.input_frames), model.n_samples for a model
// that reads waveforms (sample_cnn, harmonic_cnn, or model.frontend: logmel). ConfigError naming both sides and what
// to change when they do not fit: a waveform model on a log-mel dataset or the reverse, other mel bands, another
// sample rate, a crop longer than what is stored, or train.input_frames other than 0 or model.n_samples for a
// waveform model.
int64_t model_input_columns(const ModelConfig& model, const StoredExamples& stored, int64_t input_frames = 0);

}  // namespace musictag::train
