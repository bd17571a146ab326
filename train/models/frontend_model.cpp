// A log-mel kind on waveform input: the device log-mel frontend in front of the model, sharing its state names.
#include "train/models/frontend_model.h"

#include <string>

#include "cluster/errors.h"
#include "train/models/frontend_config.h"
#include "train/models/model_keys.h"

namespace musictag::train {

FrontendModelImpl::FrontendModelImpl(TaggingModel model, const preprocess::FeatureConfig& features, int64_t n_samples)
    : model_(std::move(model)), n_samples_(n_samples) {
  if (features.n_mels != model_->n_mels() || features.n_frames(n_samples) != model_->n_frames())
    throw ConfigError(model_->kind() + " on the log-mel frontend: " + std::to_string(n_samples) + " samples give " +
                      std::to_string(features.n_frames(n_samples)) + " frames of " + std::to_string(features.n_mels) +
                      " bands, but the model reads " + std::to_string(model_->n_frames()) + " frames of " +
                      std::to_string(model_->n_mels()) + "; make model.n_frames the frames of model.n_samples");
  frontend_ = register_module("frontend", LogMelFrontend(features));
  // The model itself is not a child: its state is registered here under its own names (shared tensors and modules).
  for (const auto& item : model_->named_parameters(/*recurse=*/false))
    register_parameter(item.key(), item.value(), item.value().requires_grad());
  for (const auto& item : model_->named_buffers(/*recurse=*/false)) register_buffer(item.key(), item.value());
  for (const auto& item : model_->named_children()) register_module(item.key(), item.value());
  train(model_->is_training());
}

torch::Tensor FrontendModelImpl::forward(const torch::Tensor& input) {
  model_->batch_norm_override = batch_norm_override;
  model_->shape_probe = shape_probe;
  return model_->forward(trace("frontend", frontend_->forward(input)));
}

nlohmann::json FrontendModelImpl::options_json() const {
  nlohmann::json options = model_->options_json();
  nlohmann::json features = frontend_->config().parameters();
  features.erase("n_mels");
  features.erase("segment_seconds");
  options.update({{"frontend", "logmel"}, {"n_samples", n_samples_}, {"features", features}});
  return options;
}

void FrontendModelImpl::train(bool on) {
  TaggingModelImpl::train(on);
  model_->train(on);  // not a child: its own flag decides dropout and BatchNorm in its forward()
}

bool uses_device_frontend(const nlohmann::json& options) { return options.contains("frontend"); }

TaggingModel make_frontend_model(const ModelKind& kind, const nlohmann::json& options) {
  if (kind.input != ModelInput::logmel)
    throw ConfigError(kind.name + " reads waveforms itself; model.frontend applies to log-mel kinds only");
  const auto frontend = option_of<std::string>(options, kind.name.c_str(), "frontend");
  if (frontend != "logmel")
    throw ConfigError(kind.name + ": unknown model frontend '" + frontend + "'; known: logmel (or none: stored)");
  const auto n_samples = option_of<int64_t>(options, kind.name.c_str(), "n_samples");
  nlohmann::json model_options = options;
  for (const char* key : {"frontend", "n_samples", "features"}) model_options.erase(key);
  return std::make_shared<FrontendModelImpl>(kind.build(model_options), frontend_features(options), n_samples);
}

}  // namespace musictag::train
