// Musicnn (Pons et al. 2017/2018) as Won et al. 2020 train it: timbral and temporal front-end filters, a dense 1-D
// CNN back-end, max and mean over time, and a dense head.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "train/models/model_registry.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// Layers (state names as Won's code): spec_bn BatchNorm2d(1); `layers` 0..k: the timbral filters (Conv2d 1 -> 204
// of height int(f * n_mels) for each f of timbral_fractions, width 7, no padding along frequency, BN, ReLU, max over
// the frequency left) then the temporal ones (on the mean over frequency: Conv1d 1 -> 51 of each length, "same"
// padding, BN, ReLU), concatenated (561 channels with the defaults); layer1..3: Conv1d(k = 7, "same") -> BN ->
// ReLU of backend_channels, layers 2 and 3 residual; [front, l1, l2, l3] max- and mean-pooled over time
// (2 x 753); dense1 -> bn -> ReLU -> dropout -> dense2. 784,300 parameters for 50 tags with the MTAT defaults.
class MusicnnImpl : public JsonOptionsModelImpl {
 public:
  explicit MusicnnImpl(nlohmann::json options);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return "musicnn"; }
  void use_channels_last() override {}  // mostly 1-D convolutions: NHWC does not apply

 private:
  struct FrontEndFilter {
    bool timbral = false;
    torch::nn::Conv2d conv2d{nullptr};
    torch::nn::Conv1d conv1d{nullptr};
    torch::nn::BatchNorm2d bn2d{nullptr};
    torch::nn::BatchNorm1d bn1d{nullptr};
  };
  struct BackEndLayer {
    torch::nn::Conv1d conv{nullptr};
    torch::nn::BatchNorm1d bn{nullptr};
  };

  torch::Tensor front_end(FrontEndFilter& filter, const torch::Tensor& x, bool training);

  double dropout_ = 0.5;
  torch::nn::BatchNorm2d spec_bn_{nullptr};
  torch::nn::ModuleList layers_{nullptr};
  std::vector<FrontEndFilter> filters_;
  std::vector<BackEndLayer> backend_;
  torch::nn::Linear dense1_{nullptr}, dense2_{nullptr};
  torch::nn::BatchNorm1d bn_{nullptr};
};

// Registry entry "musicnn": keys n_tags, n_mels (96), n_frames (188 = 3 s), timbral_fractions ([0.7, 0.4]),
// timbral_channels (204), temporal_lengths ([129, 65, 33]), temporal_channels (51), backend_channels (64; 512 for
// MSD), dense_channels (200; 500 for MSD), dropout (0.5).
ModelKind musicnn_model_kind();

}  // namespace musictag::train
