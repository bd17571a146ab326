// InferenceModel: a checkpoint's model in eval mode on its device, with the features and tags it was trained on.
#pragma once

#include <ATen/ATen.h>
#include <c10/core/Device.h>

#include <string>
#include <vector>

#include "cluster/device_choice.h"
#include "cluster/world.h"
#include "preprocess/features/feature_config.h"
#include "train/checkpoint_metadata.h"
#include "train/models/tagging_model.h"

namespace musictag::eval {

// What eval and predict need from a checkpoint: meta.json and model.pt only (never the optimizer state).
class InferenceModel {
 public:
  // Reads meta.json, builds the model of its kind and options (model_registry.h), copies model.pt's weights into it,
  // moves it to `device` and switches it to eval mode (BatchNorm running statistics, no dropout). DataError naming the
  // file when it is missing, corrupt, or its weights do not fit its own options.
  InferenceModel(const std::string& checkpoint_path, c10::Device device);

  const std::string& path() const { return path_; }
  const train::CheckpointMetadata& metadata() const { return metadata_; }
  const std::vector<std::string>& tag_names() const { return metadata_.info.tag_names; }
  int64_t n_tags() const { return static_cast<int64_t>(tag_names().size()); }
  // The crop the model was trained on, in stored columns: frames (model.n_frames = train.input_frames) of a log-mel,
  // or samples (model.n_samples) of a waveform; eval and predict give it the centre crop of this many columns of each
  // stored segment, as training's validation does.
  int64_t input_frames() const { return metadata_.model_input_columns(); }
  // Whether the model reads waveforms (stored /audio, decoded audio in predict) rather than log-mels.
  bool reads_waveforms() const { return metadata_.model_options.contains("n_samples"); }
  // The log-mel parameters of the training data (the manifest's features, stored in the checkpoint). DataError
  // naming the checkpoint when they do not parse.
  preprocess::FeatureConfig features() const;
  c10::Device device() const { return device_; }

  // Sigmoid probabilities [B, n_tags] (float32, CPU) of log-mels [B, n_mels, T] (float32, any device; moved to the
  // model's). Each row depends only on its own input (eval mode), not on the other rows of the batch.
  at::Tensor probabilities(const at::Tensor& mel);

 private:
  std::string path_;
  train::CheckpointMetadata metadata_;
  c10::Device device_;
  train::TaggingModel model_;
};

// The device for `choice` (auto, cpu, cuda): auto = cuda when a GPU is visible; with several GPUs, GPU
// local_rank % count. ConfigError (naming `key`) when cuda is asked for and none is visible.
c10::Device choose_inference_device(DeviceChoice choice, const cluster::World& world,
                                    const std::string& key = "eval.device");

}  // namespace musictag::eval
