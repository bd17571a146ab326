// The interface every tagging model implements: a log-mel batch in, one logit per tag out, options as JSON.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace musictag::train {

// What a BatchNorm layer holds, handed to TaggingModelImpl::batch_norm_override (tensors share storage with the
// layer's).
struct BatchNormState {
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
  double eps = 1e-5;
  double momentum = 0.1;
};
using BatchNormFunction = std::function<torch::Tensor(const torch::Tensor& input, const BatchNormState& state)>;

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
  // Log-mel input [B, n_mels, T] or [B, 1, n_mels, T] -> logits [B, n_tags] (the sigmoid belongs to the loss and
  // to inference). T is n_frames() in training; other lengths are allowed where the kind can pool them (predict
  // scores whole tracks). Throws DataError on a shape it cannot take.
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;

  // The registry key (config `model.kind`), e.g. "crnn".
  virtual std::string kind() const = 0;
  // Every option, as checkpoints store them and make_model() reads them back; always holds n_tags, n_mels and
  // n_frames.
  virtual nlohmann::json options_json() const = 0;

  virtual int64_t n_tags() const = 0;
  virtual int64_t n_mels() const = 0;
  virtual int64_t n_frames() const = 0;

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
// n_tags, n_mels and n_frames read from it.
class JsonOptionsModelImpl : public TaggingModelImpl {
 public:
  explicit JsonOptionsModelImpl(nlohmann::json options) : options_(std::move(options)) {}
  nlohmann::json options_json() const override { return options_; }
  int64_t n_tags() const override { return options_.at("n_tags").get<int64_t>(); }
  int64_t n_mels() const override { return options_.at("n_mels").get<int64_t>(); }
  int64_t n_frames() const override { return options_.at("n_frames").get<int64_t>(); }

 protected:
  nlohmann::json options_;
};

// Models are shared like libtorch's module holders: model->forward(x), *model for a torch::nn::Module&.
using TaggingModel = std::shared_ptr<TaggingModelImpl>;

}  // namespace musictag::train
