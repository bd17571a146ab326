// MelFilterbank: librosa.filters.mel's triangles, written out step by step so the weights match it to float precision.
#include "preprocess/features/mel_filterbank.h"

#include <algorithm>
#include <cmath>

namespace musictag::preprocess {
namespace {

// librosa's Slaney constants: 200/3 Hz per mel up to 1 kHz, then log steps of ln(6.4)/27.
constexpr double kLinearHzPerMel = 200.0 / 3.0;
constexpr double kLogStartHz = 1000.0;
constexpr double kLogStartMel = kLogStartHz / kLinearHzPerMel;  // 15
const double kLogStep = std::log(6.4) / 27.0;

// The n_mels + 2 filter edges in Hz: numpy.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n) mapped back to Hz.
std::vector<double> filter_edges_hz(const FeatureConfig& config) {
  const bool htk = config.mel_scale == MelScale::htk;
  const int64_t n = config.n_mels + 2;
  const double low = hz_to_mel(config.fmin, htk), high = hz_to_mel(config.fmax_hz(), htk);
  const double step = (high - low) / static_cast<double>(n - 1);
  std::vector<double> edges(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) edges[i] = mel_to_hz(i == n - 1 ? high : low + static_cast<double>(i) * step, htk);
  return edges;
}

}  // namespace

double hz_to_mel(double hz, bool htk) {
  if (htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  if (hz < kLogStartHz) return hz / kLinearHzPerMel;
  return kLogStartMel + std::log(hz / kLogStartHz) / kLogStep;
}

double mel_to_hz(double mel, bool htk) {
  if (htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  if (mel < kLogStartMel) return kLinearHzPerMel * mel;
  return kLogStartHz * std::exp(kLogStep * (mel - kLogStartMel));
}

MelFilterbank::MelFilterbank(const FeatureConfig& config) : n_mels_(config.n_mels), n_bins_(config.n_bins()) {
  const auto edges = filter_edges_hz(config);
  // numpy.fft.rfftfreq(n_fft, d=1/sr), with the same arithmetic.
  const double bin_hz = 1.0 / (static_cast<double>(config.n_fft) * (1.0 / static_cast<double>(config.sample_rate)));
  const bool slaney_norm = config.mel_norm == MelNorm::slaney;

  bands_.resize(static_cast<size_t>(n_mels_));
  std::vector<float> row(static_cast<size_t>(n_bins_));
  for (int64_t m = 0; m < n_mels_; ++m) {
    const double rise = edges[m + 1] - edges[m], fall = edges[m + 2] - edges[m + 1];
    const double norm = slaney_norm ? 2.0 / (edges[m + 2] - edges[m]) : 1.0;
    int64_t first = -1, last = -1;
    for (int64_t k = 0; k < n_bins_; ++k) {
      const double hz = static_cast<double>(k) * bin_hz;
      const double lower = -(edges[m] - hz) / rise, upper = (edges[m + 2] - hz) / fall;
      // librosa stores the triangle as float32 first and scales by the norm afterwards: the same two roundings.
      const float triangle = static_cast<float>(std::max(0.0, std::min(lower, upper)));
      row[k] = static_cast<float>(static_cast<double>(triangle) * norm);
      if (row[k] != 0.0f) {
        if (first < 0) first = k;
        last = k;
      }
    }
    Band& band = bands_[m];
    band.offset = static_cast<int64_t>(weights_.size());
    if (first >= 0) {
      band.first_bin = first;
      band.count = last - first + 1;
      weights_.insert(weights_.end(), row.begin() + first, row.begin() + last + 1);
    }
  }
}

std::vector<float> MelFilterbank::dense() const {
  std::vector<float> out(static_cast<size_t>(n_mels_ * n_bins_), 0.0f);
  for (int64_t m = 0; m < n_mels_; ++m) {
    const Band& band = bands_[m];
    std::copy_n(weights_.begin() + band.offset, band.count, out.begin() + m * n_bins_ + band.first_bin);
  }
  return out;
}

std::vector<int64_t> MelFilterbank::empty_bands() const {
  std::vector<int64_t> empty;
  for (int64_t m = 0; m < n_mels_; ++m)
    if (bands_[m].count == 0) empty.push_back(m);
  return empty;
}

void MelFilterbank::apply(const double* spectrum, double* mel) const {
  for (int64_t m = 0; m < n_mels_; ++m) {
    const Band& band = bands_[m];
    const float* w = weights_.data() + band.offset;
    const double* s = spectrum + band.first_bin;
    double sum = 0.0;
    for (int64_t j = 0; j < band.count; ++j) sum += static_cast<double>(w[j]) * s[j];
    mel[m] = sum;
  }
}

}  // namespace musictag::preprocess
