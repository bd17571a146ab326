// TaggingModelImpl's shared parts: input shape, parameter count, clone and the BatchNorm hook.
#include "train/models/tagging_model.h"

#include <torch/utils.h>

#include "train/models/model_registry.h"

namespace musictag::train {
namespace {

template <typename BatchNorm>
torch::Tensor normalize_with(BatchNorm& layer, const torch::Tensor& x, const BatchNormFunction& override,
                             bool training) {
  if (!override || !training) return layer->forward(x);
  const auto& options = layer->options;
  return override(x, BatchNormState{layer->weight, layer->bias, layer->running_mean, layer->running_var,
                                    layer->num_batches_tracked, options.eps(), options.momentum().value_or(0.1)});
}

}  // namespace

torch::Tensor batch_norm_forward(torch::nn::BatchNorm1d& layer, const torch::Tensor& x,
                                 const BatchNormFunction& override, bool training) {
  return normalize_with(layer, x, override, training);
}

torch::Tensor batch_norm_forward(torch::nn::BatchNorm2d& layer, const torch::Tensor& x,
                                 const BatchNormFunction& override, bool training) {
  return normalize_with(layer, x, override, training);
}

ModelInput model_input_of(const nlohmann::json& options) {
  return options.contains("n_samples") ? ModelInput::waveform : ModelInput::logmel;
}

std::vector<int64_t> TaggingModelImpl::input_shape(int64_t batch) const {
  if (input() == ModelInput::waveform) return {batch, n_samples()};
  return {batch, n_mels(), n_frames()};
}

int64_t TaggingModelImpl::parameter_count() const {
  int64_t count = 0;
  for (const auto& p : parameters()) count += p.numel();
  return count;
}

std::shared_ptr<torch::nn::Module> TaggingModelImpl::clone(const std::optional<torch::Device>& device) const {
  torch::NoGradGuard no_grad;
  TaggingModel copy = make_model(kind(), options_json());
  auto copy_tensors = [&](const auto& from, auto to) {
    for (const auto& item : from) {
      at::Tensor* target = to.find(item.key());
      const at::Tensor& source = item.value();
      target->set_data(device ? source.to(*device) : source.clone());
    }
  };
  copy_tensors(named_parameters(), copy->named_parameters());
  copy_tensors(named_buffers(), copy->named_buffers());
  copy->train(is_training());
  copy->batch_norm_override = batch_norm_override;
  return copy;
}

torch::Tensor TaggingModelImpl::normalize(torch::nn::BatchNorm1d& layer, const torch::Tensor& x) {
  return normalize_with(layer, x, batch_norm_override, is_training());
}

torch::Tensor TaggingModelImpl::normalize(torch::nn::BatchNorm2d& layer, const torch::Tensor& x) {
  return normalize_with(layer, x, batch_norm_override, is_training());
}

}  // namespace musictag::train
