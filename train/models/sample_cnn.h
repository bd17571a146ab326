// Won et al. 2020's sample-level CNNs on raw waveforms: Lee et al. 2017's, and Kim et al. 2018's with residual SE
// blocks.
#pragma once

#include <torch/nn/modules/linear.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "train/models/model_registry.h"
#include "train/models/sample_blocks.h"
#include "train/models/zoo_blocks.h"

namespace musictag::train {

// Input [B, n_samples] (16 kHz in the paper). Layers (state names as Won's code): layer1..N, one per conv_channels
// entry: ConvBlock1d (sample_cnn) or ResSeBlock1d (sample_cnn_se); layer1 a kernel-3 stride-3 conv (59,049 ->
// 19,683 samples), the middle ones kernel 3 + max-pool 3, the last kernel 1 without pool; then the max over the time
// left (one step at 59,049 samples; longer inputs, e.g. whole tracks in predict, are max-pooled); sample_cnn:
// dropout -> dense; sample_cnn_se: DenseHead dense1 -> bn -> ReLU -> dropout -> dense2. 1,869,874 (sample_cnn) and
// 6,951,858 (sample_cnn_se) parameters for 50 tags with the defaults.
class SampleCnnImpl : public JsonOptionsModelImpl {
 public:
  SampleCnnImpl(nlohmann::json options, bool squeeze_excitation);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return se_ ? "sample_cnn_se" : "sample_cnn"; }
  void use_channels_last() override {}  // 1-D convolutions: NHWC does not apply

 private:
  bool se_ = false;
  double dropout_ = 0.5;
  std::vector<ConvBlock1d> conv_layers_;
  std::vector<ResSeBlock1d> se_layers_;
  torch::nn::Linear dense_{nullptr};  // sample_cnn's output layer
  DenseHead head_;                    // sample_cnn_se's
};

// The shortest input the blocks leave a time step of: 3^(blocks - 1) - 2 samples (59,047 for 11 blocks).
int64_t sample_cnn_min_samples(size_t blocks);

// Registry entries "sample_cnn" and "sample_cnn_se": keys n_tags, n_samples (59049), sample_rate (16000),
// conv_channels (128,128,128,256,256,256,256,256,256,512,512), dropout (0.5).
ModelKind sample_cnn_model_kind();
ModelKind sample_cnn_se_model_kind();

}  // namespace musictag::train
