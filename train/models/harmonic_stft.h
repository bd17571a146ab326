// Won et al. 2019/2020's harmonic filterbank: triangular band-passes at h * f0 on the power STFT, bandwidth Q
// learnable.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "train/models/waveform_stft.h"

namespace musictag::train {

struct HarmonicStftOptions {
  int64_t sample_rate = 16000;  // Hz of the waveform
  int64_t n_fft = 512;          // STFT size = periodic Hann window; centred frames, reflect padding, power 2
  int64_t hop_length = 256;
  int64_t n_harmonics = 6;     // filters at h * f0 for h = 1 .. n_harmonics
  int64_t semitone_scale = 2;  // fundamentals per semitone
  int64_t lowest_midi = 24;    // lowest fundamental (C1 = 32.7 Hz); the highest is the note nearest
                               // sample_rate / (2 * n_harmonics), exclusive
  double bandwidth_q = 1.0;    // initial Q
  bool learn_q = true;         // Q a trainable parameter (Won's learn_bw "only_Q"), else a fixed buffer
};

// forward(waveform [B, samples]) -> dB [B, n_harmonics, n_fundamentals, frames]: the power STFT (waveform_stft,
// float32 as Won's, autocast off) times the filterbank [n_fft / 2 + 1, n_harmonics * n_fundamentals], then
// 10 * log10(max(S, 1e-10)). Filter k peaks (1.0) at its centre f_k = h * f0 and falls linearly to 0 at
// f_k +- bw_k / 2 with bw_k = (0.1079 * f_k + 24.7) / Q, evaluated at the bin frequencies
// linspace(0, sample_rate / 2, n_fft / 2 + 1); rebuilt every forward, so Q's gradient flows through it.
// State: bw_Q [1] (parameter, or buffer when fixed), buffers window [n_fft], f0 [n_harmonics * n_fundamentals]
// (harmonic-major, float32) and fft_bins [n_fft / 2 + 1].
class HarmonicStftImpl : public torch::nn::Module {
 public:
  explicit HarmonicStftImpl(const HarmonicStftOptions& options);
  torch::Tensor forward(const torch::Tensor& waveform);
  torch::Tensor filterbank() const;  // [n_bins, n_harmonics * n_fundamentals] for the current Q

  int64_t n_fundamentals() const { return n_fundamentals_; }
  const HarmonicStftOptions& options() const { return options_; }

  torch::Tensor bw_Q, window, f0, fft_bins;

 private:
  HarmonicStftOptions options_;
  int64_t n_fundamentals_ = 0;
};
TORCH_MODULE(HarmonicStft);

// Fundamentals per harmonic: (round(midi(sample_rate / (2 * n_harmonics))) - lowest_midi) * semitone_scale, with
// midi(hz) = 12 * log2(hz / 440) + 69 rounded half to even as numpy (Won's librosa hz_to_note): 128 for the defaults.
int64_t harmonic_fundamentals(const HarmonicStftOptions& options);

}  // namespace musictag::train
