// Won et al. 2020's port of the CRNN: four conv blocks (ReLU, no dropout), a 2-layer GRU, dropout, a linear layer.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "train/models/model_registry.h"
#include "train/models/zoo_blocks.h"

namespace musictag::train {

// Layers (state names as Won's code): spec_bn BatchNorm2d(1); layer1..4 ConvBlock2d (64-128-128-128, pools 2x2,
// 3x3, 4x4, 4x4: 96 x 1813 -> 1 x 18); the time axis becomes the sequence of layer5 (the layer after the last conv
// block), a GRU(channels x bins left -> gru_hidden, gru_layers); its last step -> dropout -> dense. 394,100 parameters
// for 50 tags. Unlike `crnn` (Choi's Keras model): ReLU, no conv dropout, BatchNorm2d(1) instead of a per-bin input
// BatchNorm, dropout 0.5 at the end.
class CrnnWonImpl : public JsonOptionsModelImpl {
 public:
  explicit CrnnWonImpl(nlohmann::json options);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return "crnn_won"; }
  void use_channels_last() override;

 private:
  std::string gru_name() const { return "layer" + std::to_string(layers_.size() + 1); }  // Won's "layer5"

  double dropout_ = 0.5;
  bool channels_last_ = false;
  torch::nn::BatchNorm2d spec_bn_{nullptr};
  std::vector<ConvBlock2d> layers_;
  torch::nn::GRU gru_{nullptr};
  torch::nn::Linear dense_{nullptr};
};

// Registry entry "crnn_won": keys n_tags, n_mels (96), n_frames (1813), conv_channels, pool_sizes, gru_hidden,
// gru_layers, dropout.
ModelKind crnn_won_model_kind();

}  // namespace musictag::train
