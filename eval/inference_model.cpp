// InferenceModel: meta.json -> {kind, options} -> the model with model.pt's weights, in eval mode, scoring without
// autograd.
#include "eval/inference_model.h"

#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/nn/functional/activation.h>
#include <torch/utils.h>

#include "cluster/errors.h"
#include "train/checkpoint.h"

namespace musictag::eval {

InferenceModel::InferenceModel(const std::string& checkpoint_path, c10::Device device)
    : path_(checkpoint_path), metadata_(train::load_checkpoint_metadata(checkpoint_path)), device_(device) {
  try {
    model_ = metadata_.build_model();
  } catch (const ConfigError& e) {
    throw DataError(fmt::format("checkpoint '{}': its model options do not build a model: {}", path_, e.what()));
  }
  train::load_model_weights(path_, *model_);
  model_->to(device_);
  model_->eval();
}

preprocess::FeatureConfig InferenceModel::features() const {
  try {
    return preprocess::FeatureConfig::from_json(nlohmann::json::parse(metadata_.info.features_json));
  } catch (const std::exception& e) {
    throw DataError(
        fmt::format("checkpoint '{}': its feature parameters (meta.json features_json) are not valid: "
                    "{}; the checkpoint is damaged or from another version, retrain or pick another",
                    path_, e.what()));
  }
}

at::Tensor InferenceModel::probabilities(const at::Tensor& mel) {
  torch::NoGradGuard no_grad;
  const at::Tensor logits = model_->forward(mel.to(device_, at::kFloat));
  return torch::sigmoid(logits).to(at::kCPU, at::kFloat).contiguous();
}

c10::Device choose_inference_device(DeviceChoice choice, const cluster::World& world, const std::string& key) {
  const bool cuda = torch::cuda::is_available();
  if (choice == DeviceChoice::cuda && !cuda)
    throw ConfigError(
        fmt::format("{} is cuda but no CUDA device is visible on {}; use auto or cpu", key, world.label()));
  if (choice == DeviceChoice::cpu || !cuda) return c10::Device(c10::kCPU);
  const auto count = static_cast<int>(torch::cuda::device_count());
  return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(world.local_rank % count));
}

}  // namespace musictag::eval
