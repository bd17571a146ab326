// FCN of Choi, Fazekas & Sandler 2016 as Won et al. 2020 train it: five conv blocks pooled to 1x1, then a linear layer.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "train/models/model_registry.h"
#include "train/models/zoo_blocks.h"

namespace musictag::train {

// Layers (state names as Won's code): spec_bn BatchNorm2d(1) on the log-mel; layer1..5 ConvBlock2d with
// conv_channels and pool_sizes; global max over what the pools leave (1x1 with the paper's 96 x 1813 input);
// dropout; dense Linear(last channels -> n_tags). 447,732 parameters for 50 tags with the defaults.
class FcnImpl : public JsonOptionsModelImpl {
 public:
  explicit FcnImpl(nlohmann::json options);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return "fcn"; }
  void use_channels_last() override;

 private:
  double dropout_ = 0.5;
  bool channels_last_ = false;
  torch::nn::BatchNorm2d spec_bn_{nullptr};
  std::vector<ConvBlock2d> layers_;
  torch::nn::Linear dense_{nullptr};
};

// Registry entry "fcn": keys n_tags, n_mels (96), n_frames (1813), conv_channels, pool_sizes, dropout.
ModelKind fcn_model_kind();

}  // namespace musictag::train
