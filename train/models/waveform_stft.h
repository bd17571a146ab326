// Power STFT of waveform batches on any device, framed exactly as preprocess' CPU frontend frames a track.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace musictag::train {

// How waveform_stft() frames and scales: the FeatureConfig fields it mirrors (preprocess/features/feature_config.h).
struct StftFraming {
  int64_t n_fft = 512;       // window length = FFT size; even
  int64_t hop_length = 256;  // samples between frame starts
  bool center = true;        // frames centred on t * hop_length, n_fft / 2 samples padded at both ends
  bool reflect = false;      // centre padding: numpy's "reflect" (repeated for short signals) or zeros
  double power = 2.0;        // |X|^power; 2 computes re^2 + im^2 as the CPU frontend does
};

// Periodic Hann window of n samples, 0.5 - 0.5 cos(2 pi i / n) as the CPU frontend computes it, by tensor ops in
// float64 on `device` (no host copy), returned in `dtype`.
torch::Tensor periodic_hann(int64_t n_fft, torch::ScalarType dtype, torch::Device device = torch::kCPU);

// |STFT|^power of a waveform batch [B, samples] -> [B, n_fft / 2 + 1, frames], frames = 1 + samples / hop_length when
// centred (else 1 + (samples - n_fft) / hop_length), computed in the dtype of `window` (float32 or float64; the
// waveform is cast to it) with autocast off, whatever the caller's precision. `window` is periodic_hann() on the
// waveform's device. Reflect padding runs on the device (torch's reflection pad) unless the signal is not longer
// than the pad, where numpy's repeated reflection is gathered by index.
torch::Tensor waveform_stft(const torch::Tensor& waveform, const torch::Tensor& window, const StftFraming& framing);

// [B, samples] or [B, 1, samples] -> [B, samples]; DataError naming `kind` on another shape or an empty signal.
torch::Tensor as_waveform_batch(const torch::Tensor& input, const char* kind);

// Indices of numpy's "reflect" padding of a signal of n samples (n >= 2) by `pad` samples on one side: left
// (-pad .. -1) or right (n .. n + pad - 1) mapped back into [0, n), repeating the reflection for pads longer than n.
std::vector<int64_t> reflect_pad_indices(int64_t n, int64_t pad, bool left);

}  // namespace musictag::train
