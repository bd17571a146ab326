// Model keys `frontend` and, for `logmel`, the waveform length and the log-mel parameters of the device frontend.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "cluster/config_reader.h"
#include "preprocess/features/feature_config.h"
#include "train/models/model_registry.h"

namespace musictag::train {

// Section `model`, for log-mel kinds only (read before the kind's own keys):
//   frontend: stored | logmel   stored (default): the model reads the dataset's stored log-mels [B, n_mels, frames];
//                               logmel: it reads waveforms [B, n_samples] and computes the log-mel on its device
//                               (frontend_model.h), exactly as preprocess would with the same parameters.
// With logmel, also: n_samples (0 = (n_frames - 1) * hop_length) and the log-mel keys of section `features`, with its
// names, defaults and meaning: sample_rate, n_fft, hop_length, fmin, fmax, mel_scale, mel_norm, center, pad_mode,
// allow_empty_bands, power, amin, ref, top_db (n_mels is the model's own key). Returns {} for stored, else
// {"frontend": "logmel", "n_samples": ..., "features": {...}} to merge with frontend_options().
nlohmann::json read_frontend_keys(cluster::ConfigSection& section, const ModelKind& kind);

// The kind's options (read by kind.read_config) with the frontend's added: n_samples resolved, the log-mel checked
// as FeatureConfig checks section `features` with n_mels = model.n_mels, and model.n_frames equal to the frames of
// n_samples. ConfigError naming the key otherwise.
nlohmann::json frontend_options(cluster::ConfigSection& section, nlohmann::json options,
                                const nlohmann::json& frontend);

// The FeatureConfig of the options of a model on the device frontend (model.n_mels and options["features"]);
// ConfigError naming what the features refuse.
preprocess::FeatureConfig frontend_features(const nlohmann::json& options);

}  // namespace musictag::train
