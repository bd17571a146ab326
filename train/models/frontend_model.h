// A log-mel kind on waveform input: the device log-mel frontend in front of the model (model.frontend: logmel).
#pragma once

#include <nlohmann/json.hpp>

#include "train/models/logmel_frontend.h"
#include "train/models/model_registry.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// forward(waveform [B, n_samples]) = model(frontend(waveform)). The frontend (frontend.filterbank: a buffer, no
// parameters) is registered first; the model's own parameters, buffers and
// children are registered here under their own names, so the state names are the stored-frontend model's plus
// frontend.*: weights move by name between the two, and a model trained on stored log-mels scores waveforms.
// kind() and n_tags/n_mels/n_frames are the model's; options_json() is the model's plus "frontend": "logmel",
// "n_samples" and "features" (the log-mel keys but n_mels). train(), the BatchNorm override and the shape probe
// reach the model.
class FrontendModelImpl : public TaggingModelImpl {
 public:
  FrontendModelImpl(TaggingModel model, const preprocess::FeatureConfig& features, int64_t n_samples);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return model_->kind(); }
  nlohmann::json options_json() const override;
  int64_t n_tags() const override { return model_->n_tags(); }
  int64_t n_mels() const override { return model_->n_mels(); }
  int64_t n_frames() const override { return model_->n_frames(); }
  ModelInput input() const override { return ModelInput::waveform; }
  int64_t n_samples() const override { return n_samples_; }
  int64_t sample_rate() const override { return frontend_->config().sample_rate; }
  void use_channels_last() override { model_->use_channels_last(); }
  void train(bool on = true) override;

  const TaggingModel& model() const { return model_; }

 private:
  TaggingModel model_;
  LogMelFrontend frontend_{nullptr};
  int64_t n_samples_ = 0;
};

// Whether options (a checkpoint's or ModelConfig's) put the model on the device frontend ("frontend" present).
bool uses_device_frontend(const nlohmann::json& options);
// `kind` built from the options without the frontend's keys, behind the frontend. ConfigError when the kind reads
// waveforms itself, when "frontend" is not "logmel", or when n_frames is not the frames of n_samples; DataError on
// a malformed option.
TaggingModel make_frontend_model(const ModelKind& kind, const nlohmann::json& options);

}  // namespace musictag::train
