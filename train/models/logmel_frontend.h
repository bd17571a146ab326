// The log-mel frontend on the training device: waveform batches in, preprocess' CPU log-mel out (libtorch ops only).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "preprocess/features/feature_config.h"
#include "train/models/waveform_stft.h"

namespace musictag::train {

// What preprocess::MelSpectrogram computes for one track, for a batch [B, samples] on any device: the same framing
// (centred, zero or reflect padding), periodic Hann window, |X|^power, mel filterbank (preprocess' own
// MelFilterbank weights, so librosa's), 10*log10(max(S, amin)) - 10*log10(max(ref, amin)), and with top_db > 0 a
// floor at each example's maximum - top_db (the CPU frontend floors at the stored segment's maximum, so the two
// agree when the example is the whole segment). Like the CPU frontend it computes in float64 up to the dB values
// (window, FFT, power, mel product with the float32 weights, log), autocast off, and returns float32 (float64 for
// float64 input): in float32 the FFT's rounding reaches 3.5e-4 dB mean |diff| on a real clip with empty high bands,
// in float64 ~1e-6 (tests/train/logmel_frontend_test.cpp); the frontend costs little next to any model. State: the
// buffer `filterbank` [n_mels, n_fft / 2 + 1] (float32, follows the module's device); nothing is trainable, and the
// window is built on the input's device each call.
class LogMelFrontendImpl : public torch::nn::Module {
 public:
  // `config` goes through FeatureConfig::from_json's checks (ConfigError naming the features key).
  explicit LogMelFrontendImpl(const preprocess::FeatureConfig& config);
  torch::Tensor forward(const torch::Tensor& waveform);

  const preprocess::FeatureConfig& config() const { return config_; }
  int64_t n_frames(int64_t n_samples) const { return config_.n_frames(n_samples); }

  torch::Tensor filterbank;

 private:
  preprocess::FeatureConfig config_;
  StftFraming framing_;
};
TORCH_MODULE(LogMelFrontend);

}  // namespace musictag::train
