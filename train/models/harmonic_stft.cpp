// The harmonic filterbank: centre frequencies from MIDI notes, triangles rebuilt from Q each forward, dB output.
#include "train/models/harmonic_stft.h"

#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/torch.h>

#include <cfenv>
#include <cmath>
#include <string>
#include <vector>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

constexpr double kBandwidthAlpha = 0.1079, kBandwidthBeta = 24.7;  // bw = (alpha * f + beta) / Q (Won et al.)

double midi_of(double hz) { return 12.0 * (std::log2(hz) - std::log2(440.0)) + 69.0; }

// Centre frequencies, harmonic-major: h * f0_i for h = 1 .. n_harmonics, i over the fundamentals; in double, then
// float32 (as numpy computes Won's and torch stores it).
torch::Tensor centre_frequencies(const HarmonicStftOptions& o, int64_t n_fundamentals) {
  const int64_t highest = o.lowest_midi + n_fundamentals / o.semitone_scale;
  const double step = static_cast<double>(highest - o.lowest_midi) / static_cast<double>(n_fundamentals);
  std::vector<double> hz;
  for (int64_t h = 1; h <= o.n_harmonics; ++h)
    for (int64_t i = 0; i < n_fundamentals; ++i) {
      const double midi = static_cast<double>(o.lowest_midi) + static_cast<double>(i) * step;
      hz.push_back(440.0 * std::pow(2.0, (midi - 69.0) / 12.0) * static_cast<double>(h));
    }
  return torch::tensor(hz, torch::kDouble).to(torch::kFloat);
}

}  // namespace

int64_t harmonic_fundamentals(const HarmonicStftOptions& o) {
  const double top = static_cast<double>(o.sample_rate) / (2.0 * static_cast<double>(o.n_harmonics));
  const auto highest = static_cast<int64_t>(std::nearbyint(midi_of(top)));  // half to even under FE_TONEAREST
  return (highest - o.lowest_midi) * o.semitone_scale;
}

HarmonicStftImpl::HarmonicStftImpl(const HarmonicStftOptions& options)
    : options_(options), n_fundamentals_(harmonic_fundamentals(options)) {
  if (n_fundamentals_ < 1 || options_.n_harmonics < 1 || options_.n_fft < 2 || options_.n_fft % 2 != 0)
    throw ConfigError("harmonic filterbank: sample_rate / (2 * n_harmonics) = " +
                      std::to_string(options_.sample_rate / (2 * std::max<int64_t>(options_.n_harmonics, 1))) +
                      " Hz leaves no fundamental above MIDI note " + std::to_string(options_.lowest_midi) +
                      " (or n_fft is not even); lower lowest_midi or n_harmonics");
  const torch::Tensor q = torch::full({1}, options_.bandwidth_q, torch::kFloat);
  bw_Q = options_.learn_q ? register_parameter("bw_Q", q) : register_buffer("bw_Q", q);
  window = register_buffer("window", periodic_hann(options_.n_fft, torch::kFloat));
  f0 = register_buffer("f0", centre_frequencies(options_, n_fundamentals_));
  fft_bins = register_buffer(
      "fft_bins", torch::linspace(0.0, static_cast<double>(options_.sample_rate / 2), options_.n_fft / 2 + 1));
}

torch::Tensor HarmonicStftImpl::filterbank() const {
  // The same operations, in the same order, as the PyTorch twin (python/musictag/frontends.py).
  const torch::Tensor bw = (f0 * kBandwidthAlpha + kBandwidthBeta) / bw_Q;
  const torch::Tensor bins = fft_bins.unsqueeze(1);
  const torch::Tensor rise = torch::matmul(bins, (bw.reciprocal() * 2.0).unsqueeze(0)) + 1.0 - (f0 * 2.0 / bw);
  const torch::Tensor fall = torch::matmul(bins, (bw.reciprocal() * -2.0).unsqueeze(0)) + 1.0 + (f0 * 2.0 / bw);
  return torch::clamp_min(torch::minimum(fall, rise), 0.0);
}

torch::Tensor HarmonicStftImpl::forward(const torch::Tensor& waveform) {
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::autocast_dispatch_keyset);
  const StftFraming framing{options_.n_fft, options_.hop_length, /*center=*/true, /*reflect=*/true, 2.0};
  const torch::Tensor power = waveform_stft(as_waveform_batch(waveform, "harmonic_cnn"), window, framing);
  const torch::Tensor filtered = torch::matmul(power.transpose(1, 2), filterbank()).transpose(1, 2);  // [B, K, T]
  const torch::Tensor bands =
      filtered.view({filtered.size(0), options_.n_harmonics, n_fundamentals_, filtered.size(2)});
  return torch::log10(torch::clamp_min(bands, 1e-10)) * 10.0;
}

}  // namespace musictag::train
