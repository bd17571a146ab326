// Won et al. 2020's Harmonic CNN: the learnable harmonic filterbank on 5 s of waveform, a 2-D CNN, max, dense head.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <nlohmann/json.hpp>

#include <string>

#include "train/models/harmonic_stft.h"
#include "train/models/model_registry.h"
#include "train/models/zoo_blocks.h"

namespace musictag::train {

// Input [B, n_samples] (16 kHz). Layers (state names as Won's code): hstft (HarmonicStft: 6 harmonics x 128
// fundamentals x 313 frames for 80,000 samples) -> hstft_bn BatchNorm2d(n_harmonics); layer1 ConvBlock2d(-> C,
// pool 2); layer2..4 ResPoolBlock2d(C, pool 2); layer5 ConvBlock2d(-> 2C, pool 2); layer6..7 ResPoolBlock2d(2C,
// pool 2 x 3): 128 x 313 -> 1 x 1; the max over what is left; DenseHead(2C) dense1 -> bn -> ReLU -> dropout ->
// dense2. C = channels (128): 3,631,551 parameters for 50 tags (the one Q included).
class HarmonicCnnImpl : public JsonOptionsModelImpl {
 public:
  explicit HarmonicCnnImpl(nlohmann::json options);
  torch::Tensor forward(const torch::Tensor& input) override;
  std::string kind() const override { return "harmonic_cnn"; }
  int64_t n_frames() const override;  // STFT frames of n_samples (313 for 80,000)
  void use_channels_last() override;

 private:
  bool channels_last_ = false;
  HarmonicStft hstft_{nullptr};
  torch::nn::BatchNorm2d hstft_bn_{nullptr};
  std::vector<ConvBlock2d> conv_layers_;    // layer1, layer5
  std::vector<ResPoolBlock2d> res_layers_;  // layer2..4, layer6..7
  DenseHead head_;
};

// The options' HarmonicStftOptions (keys sample_rate, n_fft, hop_length, n_harmonics, semitone_scale, lowest_midi,
// bandwidth_q, learn_q); DataError naming a missing one.
HarmonicStftOptions harmonic_stft_options(const nlohmann::json& options);

// Registry entry "harmonic_cnn": keys n_tags, n_samples (80000), sample_rate (16000), n_fft (512), hop_length (256),
// n_harmonics (6), semitone_scale (2), lowest_midi (24), bandwidth_q (1.0), learn_q (true), channels (128), dropout.
ModelKind harmonic_cnn_model_kind();

}  // namespace musictag::train
