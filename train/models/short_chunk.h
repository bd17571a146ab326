// Won et al. 2020's short-chunk CNN and ResNet: seven blocks on a 3.69 s 128-band log-mel, max over time, dense head.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "train/models/model_registry.h"
#include "train/models/zoo_blocks.h"

namespace musictag::train {

// Layers (state names as Won's code): spec_bn BatchNorm2d(1); layer1..N, one per conv_channels entry: ConvBlock2d
// with a 2x2 pool (short_chunk_cnn) or ResBlock2d with stride 2 (short_chunk_resnet), 128 x 231 -> 1 x 1 (1 x 2
// for the ResNet); the max over what is left; DenseHead dense1 -> bn -> ReLU -> dropout -> dense2.
// 3,687,348 (CNN) and 12,104,244 (ResNet) parameters for 50 tags with the defaults.
class ShortChunkImpl : public JsonOptionsModelImpl {
 public:
  ShortChunkImpl(nlohmann::json options, bool residual);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return residual_ ? "short_chunk_resnet" : "short_chunk_cnn"; }
  void use_channels_last() override;

 private:
  bool residual_ = false;
  bool channels_last_ = false;
  torch::nn::BatchNorm2d spec_bn_{nullptr};
  std::vector<ConvBlock2d> conv_layers_;
  std::vector<ResBlock2d> res_layers_;
  DenseHead head_;
};

// Registry entries "short_chunk_cnn" and "short_chunk_resnet": keys n_tags, n_mels (128), n_frames (231),
// conv_channels (128,128,256,256,256,256,512), dropout.
ModelKind short_chunk_cnn_model_kind();
ModelKind short_chunk_resnet_model_kind();

}  // namespace musictag::train
