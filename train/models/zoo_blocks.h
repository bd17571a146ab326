// The layers Won et al. 2020's spectrogram models share: conv block, residual block, dense head (docs: models-won2020).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "train/models/crnn_shape.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// 3x3 conv (padding 1) -> BatchNorm2d -> ReLU -> max-pool (window = stride). State names conv.*, bn.* as in Won's
// Conv_2d, so the PyTorch twin and Won's checkpoints map by name.
class ConvBlock2dImpl : public torch::nn::Module {
 public:
  ConvBlock2dImpl(int64_t in_channels, int64_t out_channels, PoolSize pool);
  torch::Tensor forward(const torch::Tensor& x, const BatchNormFunction& bn_override);

  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  PoolSize pool;
};
TORCH_MODULE(ConvBlock2d);

// Won's Res_2d: conv_1 (3x3, stride) -> bn_1 -> ReLU -> conv_2 (3x3) -> bn_2, plus the shortcut (conv_3 3x3 with the
// same stride -> bn_3 when the stride or the channel count changes, else the input), added, then ReLU.
class ResBlock2dImpl : public torch::nn::Module {
 public:
  ResBlock2dImpl(int64_t in_channels, int64_t out_channels, PoolSize stride);
  torch::Tensor forward(const torch::Tensor& x, const BatchNormFunction& bn_override);

  torch::nn::Conv2d conv_1{nullptr}, conv_2{nullptr}, conv_3{nullptr};
  torch::nn::BatchNorm2d bn_1{nullptr}, bn_2{nullptr}, bn_3{nullptr};
};
TORCH_MODULE(ResBlock2d);

// Won's Res_2d_mp (Harmonic CNN): conv_1 (3x3) -> bn_1 -> ReLU -> conv_2 (3x3) -> bn_2, plus the input (channels
// unchanged), ReLU, then max-pool (window = stride).
class ResPoolBlock2dImpl : public torch::nn::Module {
 public:
  ResPoolBlock2dImpl(int64_t channels, PoolSize pool);
  torch::Tensor forward(const torch::Tensor& x, const BatchNormFunction& bn_override);

  torch::nn::Conv2d conv_1{nullptr}, conv_2{nullptr};
  torch::nn::BatchNorm2d bn_1{nullptr}, bn_2{nullptr};
  PoolSize pool;
};
TORCH_MODULE(ResPoolBlock2d);

// Size of one axis after a 3x3 convolution with padding 1 and `stride`: floor((n - 1) / stride) + 1.
int64_t strided_size(int64_t n, int64_t stride);

// The head of the short-chunk models: dense1 (C -> C) -> bn (BatchNorm1d) -> ReLU -> dropout -> dense2 (C -> tags).
// Registered on the owning model under those names (as Won's code has them).
struct DenseHead {
  torch::nn::Linear dense1{nullptr}, dense2{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
  double dropout = 0.5;

  void register_on(torch::nn::Module& model, int64_t channels, int64_t n_tags, double dropout_rate);
  torch::Tensor forward(const torch::Tensor& x, const BatchNormFunction& bn_override, bool training);
};

// [B, n_mels, T] or [B, 1, n_mels, T] log-mel -> [B, 1, n_mels, T]; DataError naming `kind` on another shape.
torch::Tensor as_image(const torch::Tensor& input, int64_t n_mels, const char* kind);

}  // namespace musictag::train
