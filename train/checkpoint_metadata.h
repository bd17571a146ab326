// What a checkpoint records besides tensors: training progress, config, features, tags, model options (JSON).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "train/models/tagging_model.h"

namespace musictag::train {

// Version of the checkpoint layout (train/checkpoint.h); a reader refuses other versions.
// Version 2 stores the model as {"kind", "options"}; version 1 (CRNN options only, before model kinds) is read too.
inline constexpr int64_t kCheckpointFormatVersion = 2;

// Where the run is; a resumed run continues from exactly here.
struct TrainingProgress {
  int64_t step = 0;                 // optimizer steps taken
  int64_t epoch = 0;                // the epoch to continue in (0-based); after the last batch of epoch e it is e + 1
  int64_t batch_in_epoch = 0;       // batches of `epoch` each rank already consumed (the sampler's position)
  int64_t world_size = 1;           // ranks that consumed them (the sampler's slices depend on it)
  std::optional<double> best_auc;   // validation macro ROC-AUC of the best epoch (train.select_best_by picks it)
  std::optional<double> best_loss;  // validation loss of the best epoch; both none before a validation
  int64_t best_epoch = -1;          // the best epoch (-1 = none)
  int64_t epochs_without_improvement = 0;  // early stopping's count
  int64_t phase = 0;                       // the train.phases item whose optimizer and learning rate are in force

  bool operator==(const TrainingProgress& other) const;
};

// What the trainer hands to a checkpoint besides model, optimizer and RNG; eval and predict need nothing else.
struct CheckpointInfo {
  TrainingProgress progress;
  std::string config_yaml;                      // TrainSettings::resolved_config
  std::string features_json;                    // the dataset manifest's feature parameters, as JSON text
  std::vector<std::string> tag_names;           // in output order; as many as the model's n_tags
  std::map<std::string, int64_t> rng_counters;  // RngState::counters (kept here, readable)
  std::string dataset_config_yaml;  // the dataset manifest's resolved preprocess config (how the examples were
                                    // cut: preprocess.segments, min_seconds, ...); "" in older checkpoints
};

// All of a checkpoint except its tensors, as load_checkpoint_metadata returns it.
struct CheckpointMetadata {
  int64_t format_version = kCheckpointFormatVersion;
  CheckpointInfo info;
  std::string model_kind = "crnn";  // model_registry.h
  nlohmann::json model_options;     // the saved model's options (make_model builds it to load its weights)

  // A fresh model of the saved kind and options (weights not loaded: train/checkpoint.h load_model_weights).
  TaggingModel build_model() const;
  // The crop the model reads per example, in the dataset's columns: model.n_samples for waveform input (sample-level
  // models, device frontends), else model.n_frames.
  int64_t model_input_columns() const {
    return model_options.contains("n_samples") ? model_options.at("n_samples").get<int64_t>()
                                               : model_options.at("n_frames").get<int64_t>();
  }
};

// JSON of the metadata (kind and options from the model that is saved).
nlohmann::json metadata_to_json(const CheckpointInfo& info, const TaggingModelImpl& model);
// Parses and checks it; throws DataError prefixed with `source` (the file) on a missing or wrong field, another
// format version, invalid model options, or a tag count that differs from n_tags.
CheckpointMetadata metadata_from_json(const std::string& text, const std::string& source);

}  // namespace musictag::train
