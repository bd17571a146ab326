// The 1-D blocks of the sample-level CNNs (Lee et al. 2017, Kim et al. 2018) as Won et al. 2020 train them.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "train/models/tagging_model.h"

namespace musictag::train {

// One block's geometry: conv kernel and stride ("same" padding kernel / 2), then a max-pool window (1 = none).
struct SampleBlockShape {
  int64_t kernel = 3, stride = 1, pool = 3;
};

// Won's Conv_1d: conv -> BatchNorm1d -> ReLU -> max-pool. State names conv.*, bn.*.
class ConvBlock1dImpl : public torch::nn::Module {
 public:
  ConvBlock1dImpl(int64_t in_channels, int64_t out_channels, SampleBlockShape shape);
  torch::Tensor forward(const torch::Tensor& x, const BatchNormFunction& bn_override);

  torch::nn::Conv1d conv{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
  int64_t pool = 1;
};
TORCH_MODULE(ConvBlock1d);

// Won's ResSE_1d: conv_1 (kernel, stride) -> bn_1 -> ReLU -> conv_2 (kernel) -> bn_2, scaled per channel by the
// squeeze-excitation of its time average (dense1 C -> C, ReLU, dense2 C -> C, sigmoid; no reduction), plus the
// shortcut (conv_3 with conv_1's kernel and stride -> bn_3 when the stride or the channel count changes, else the
// input), ReLU, max-pool.
class ResSeBlock1dImpl : public torch::nn::Module {
 public:
  ResSeBlock1dImpl(int64_t in_channels, int64_t out_channels, SampleBlockShape shape);
  torch::Tensor forward(const torch::Tensor& x, const BatchNormFunction& bn_override);

  torch::nn::Conv1d conv_1{nullptr}, conv_2{nullptr}, conv_3{nullptr};
  torch::nn::BatchNorm1d bn_1{nullptr}, bn_2{nullptr}, bn_3{nullptr};
  torch::nn::Linear dense1{nullptr}, dense2{nullptr};
  int64_t pool = 1;
};
TORCH_MODULE(ResSeBlock1d);

}  // namespace musictag::train
