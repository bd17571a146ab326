// The interface every tagging model implements: a log-mel (or waveform) batch in, one logit per tag out, options as
// JSON.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace musictag::train {

// What a BatchNorm layer holds, handed to TaggingModelImpl::batch_norm_override (tensors share storage with the
// layer's).
struct BatchNormState {
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
  double eps = 1e-5;
  double momentum = 0.1;
};
using BatchNormFunction = std::function<torch::Tensor(const torch::Tensor& input, const BatchNormState& state)>;

// What a model's forward() takes: a log-mel batch [B, n_mels, T] (the dataset's stored features) or a waveform
// batch [B, samples] (the sample-level CNNs, the harmonic CNN, and any log-mel kind with model.frontend: logmel).
enum class ModelInput { logmel, waveform };
// The input of the model whose options (as checkpoints store them) are `options`: waveform exactly when they hold
// n_samples.
ModelInput model_input_of(const nlohmann::json& options);

// A BatchNorm layer's own forward, or `override` with the layer's tensors while `training`: how every BatchNorm of
// every model (and of the blocks in zoo_blocks.h) reaches SyncBatchNorm.
torch::Tensor batch_norm_forward(torch::nn::BatchNorm1d& layer, const torch::Tensor& x,
                                 const BatchNormFunction& override, bool training);
torch::Tensor batch_norm_forward(torch::nn::BatchNorm2d& layer, const torch::Tensor& x,
                                 const BatchNormFunction& override, bool training);

// A music tagger as the trainer, checkpoints, eval, predict and the benchmarks see it. Each kind (the Choi CRNN,
// and the model zoo's) derives from this, registers its layers in forward order (the gradient buckets walk them in
// reverse), and is listed once in model_registry.cpp. The trainer never names a concrete model.
class TaggingModelImpl : public torch::nn::Module {
 public:
  // Log-mel input [B, n_mels, T] or [B, 1, n_mels, T] (waveform kinds: [B, samples] or [B, 1, samples]) -> logits
  // [B, n_tags] (the sigmoid belongs to the loss and to inference). T is n_frames() (samples: n_samples()) in
  // training; other lengths are allowed where the kind can pool them (predict scores whole tracks). Throws
  // DataError on a shape it cannot take.
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;

  // The registry key (config `model.kind`), e.g. "crnn".
  virtual std::string kind() const = 0;
  // Every option, as checkpoints store them and make_model() reads them back; always holds n_tags, and n_mels and
  // n_frames (log-mel input) or n_samples and the sample rate (waveform input, model_input_of()).
  virtual nlohmann::json options_json() const = 0;

  virtual int64_t n_tags() const = 0;
  // The log-mel the model reads: bands and frames per training example. For waveform input, what the model computes
  // from n_samples() on its device: the log-mel of model.frontend: logmel, the harmonic STFT's frames (n_mels 0),
  // nothing for the sample-level CNNs (both 0).
  virtual int64_t n_mels() const = 0;
  virtual int64_t n_frames() const = 0;

  virtual ModelInput input() const { return ModelInput::logmel; }
  // Waveform input: samples per training example and their rate in Hz (what the dataset must hold); 0 for log-mel.
  virtual int64_t n_samples() const { return 0; }
  virtual int64_t sample_rate() const { return 0; }
  // The shape of a training batch: [batch, n_mels, n_frames], or [batch, n_samples] for waveform input.
  std::vector<int64_t> input_shape(int64_t batch) const;

  // NHWC (channels-last) memory for the conv weights and activations (train.channels_last): faster convolutions
  // on tensor-core GPUs, the same values. Call after moving the model to its device.
  virtual void use_channels_last() = 0;

  // Trainable parameters (numel summed over parameters(), PyTorch's definition).
  int64_t parameter_count() const;

  // A deep copy for every kind, as torch::nn::Cloneable gives: a fresh model of the same kind and options
  // (model_registry.h) with this one's parameters and buffers copied (onto `device` when given), its training mode
  // and its batch_norm_override.
  std::shared_ptr<torch::nn::Module> clone(const std::optional<torch::Device>& device = std::nullopt) const override;

  // When set, every BatchNorm layer normalises through it while training (train/ddp/sync_batch_norm.h installs
  // SyncBatchNorm here); unset, or in eval(), torch's BatchNorm with the layer's running statistics.
  BatchNormFunction batch_norm_override;

  // When set, forward() reports each step's output (named as the child module that made it, or e.g. "pool") to it:
  // how --describe-model prints output shapes. Unset costs nothing.
  std::function<void(const std::string& step, const torch::Tensor& output)> shape_probe;

 protected:
  // Reports `output` to shape_probe when set; returns it.
  const torch::Tensor& trace(const std::string& step, const torch::Tensor& output) const {
    if (shape_probe) shape_probe(step, output);
    return output;
  }

  // The layer's own forward, or batch_norm_override with the layer's tensors while training. Kinds route every
  // BatchNorm through these so SyncBatchNorm reaches them.
  torch::Tensor normalize(torch::nn::BatchNorm1d& layer, const torch::Tensor& x);
  torch::Tensor normalize(torch::nn::BatchNorm2d& layer, const torch::Tensor& x);
};

// A model whose options are the JSON a checkpoint stores (the model zoo's kinds): options_json() returns it and
// n_tags, n_mels, n_frames, n_samples and sample_rate read from it (0 when it has no such key).
class JsonOptionsModelImpl : public TaggingModelImpl {
 public:
  explicit JsonOptionsModelImpl(nlohmann::json options) : options_(std::move(options)) {}
  nlohmann::json options_json() const override { return options_; }
  int64_t n_tags() const override { return options_.at("n_tags").get<int64_t>(); }
  int64_t n_mels() const override { return options_.value("n_mels", int64_t{0}); }
  int64_t n_frames() const override { return options_.value("n_frames", int64_t{0}); }
  ModelInput input() const override { return model_input_of(options_); }
  int64_t n_samples() const override { return options_.value("n_samples", int64_t{0}); }
  int64_t sample_rate() const override { return options_.value("sample_rate", int64_t{0}); }

 protected:
  nlohmann::json options_;
};

// Models are shared like libtorch's module holders: model->forward(x), *model for a torch::nn::Module&.
using TaggingModel = std::shared_ptr<TaggingModelImpl>;

}  // namespace musictag::train
