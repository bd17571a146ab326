// MelSpectrogram: framing, window, FFT, power, mel projection and dB conversion with reused buffers.
#include "preprocess/features/mel_spectrogram.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cluster/errors.h"

namespace musictag::preprocess {
namespace {

// scipy.signal.get_window("hann", n, fftbins=True): the symmetric window of n + 1 points without its last one.
std::vector<double> periodic_hann(int64_t n) {
  std::vector<double> window(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    window[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * static_cast<double>(i) / static_cast<double>(n));
  return window;
}

// 10*log10(x) through the natural log, which glibc computes several times faster than log10.
inline double decibels(double x) {
  constexpr double kTenOverLn10 = 4.342944819032518276511289;  // 10 / ln(10)
  return kTenOverLn10 * std::log(x);
}

}  // namespace

// The config goes through the same checks as one read from YAML (a struct filled in by hand could hold hop 0 or
// an odd n_fft): ConfigError names the key.
MelSpectrogram::MelSpectrogram(const FeatureConfig& config)
    : config_(FeatureConfig::from_json(config.parameters())),
      filterbank_(config_),
      fft_(config_.n_fft),
      ref_db_(decibels(std::max(config_.ref, config_.amin))),
      window_(periodic_hann(config_.n_fft)),
      frame_(static_cast<size_t>(config_.n_fft)),
      bins_(static_cast<size_t>(config_.n_bins())),
      power_(static_cast<size_t>(config_.n_bins())),
      mel_(static_cast<size_t>(config_.n_mels)) {}

void MelSpectrogram::frame_power(const float* samples, int64_t n_samples, int64_t start) {
  const int64_t n_fft = config_.n_fft;
  if (start >= 0 && start + n_fft <= n_samples) {  // the common case: the frame lies inside the signal
    const float* x = samples + start;
    for (int64_t j = 0; j < n_fft; ++j) frame_[j] = window_[j] * static_cast<double>(x[j]);
  } else if (config_.pad_mode == PadMode::reflect && n_samples > 1) {
    // numpy's "reflect": x[-k] = x[k], x[n-1+k] = x[n-1-k], repeated for pads longer than the signal.
    const int64_t period = 2 * (n_samples - 1);
    for (int64_t j = 0; j < n_fft; ++j) {
      int64_t i = (start + j) % period;
      if (i < 0) i += period;
      if (i >= n_samples) i = period - i;
      frame_[j] = window_[j] * static_cast<double>(samples[i]);
    }
  } else {
    for (int64_t j = 0; j < n_fft; ++j) {
      const int64_t i = start + j;
      frame_[j] = (i >= 0 && i < n_samples) ? window_[j] * static_cast<double>(samples[i]) : 0.0;
    }
  }
  fft_.forward(frame_.data(), bins_.data());
  const int64_t n_bins = config_.n_bins();
  if (config_.power == 2.0) {
    for (int64_t k = 0; k < n_bins; ++k) power_[k] = std::norm(bins_[k]);
  } else if (config_.power == 1.0) {
    for (int64_t k = 0; k < n_bins; ++k) power_[k] = std::abs(bins_[k]);
  } else {
    for (int64_t k = 0; k < n_bins; ++k) power_[k] = std::pow(std::abs(bins_[k]), config_.power);
  }
}

void MelSpectrogram::compute(const float* samples, int64_t n_samples, float* out) {
  if (n_samples < 0) throw DataError(fmt::format("MelSpectrogram: negative sample count {}", n_samples));
  for (int64_t i = 0; i < n_samples; ++i)
    if (!std::isfinite(samples[i]))
      throw DataError(fmt::format("MelSpectrogram: sample {} of {} is {} (audio must be finite everywhere)", i,
                                  n_samples, samples[i]));

  const int64_t frames = n_frames(n_samples), n_mels = config_.n_mels;
  const int64_t offset = config_.center ? config_.n_fft / 2 : 0;
  const double amin = config_.amin;
  float loudest = -INFINITY;
  for (int64_t t = 0; t < frames; ++t) {
    frame_power(samples, n_samples, t * config_.hop_length - offset);
    filterbank_.apply(power_.data(), mel_.data());
    for (int64_t m = 0; m < n_mels; ++m) {
      const float db = static_cast<float>(decibels(std::max(mel_[m], amin)) - ref_db_);
      out[m * frames + t] = db;
      loudest = std::max(loudest, db);
    }
  }
  if (config_.top_db > 0.0 && frames > 0) {
    const float floor = static_cast<float>(static_cast<double>(loudest) - config_.top_db);
    std::replace_if(
        out, out + n_mels * frames, [floor](float v) { return v < floor; }, floor);
  }
}

std::vector<float> MelSpectrogram::compute(const std::vector<float>& samples) {
  const auto n = static_cast<int64_t>(samples.size());
  std::vector<float> out(static_cast<size_t>(n_mels() * n_frames(n)));
  compute(samples.data(), n, out.data());
  return out;
}

}  // namespace musictag::preprocess
