// demo_clip_features: libavutil's real FFT (av_tx) over Hann-windowed frames, summed into log-spaced bands.
#include "preprocess/demo/demo_features.h"

#include <algorithm>
#include <cmath>

#include "cluster/errors.h"
#include "preprocess/audio/av_handles.h"

namespace musictag::preprocess {

std::vector<double> demo_clip_features(const std::vector<float>& mono, int sample_rate, int bands) {
  constexpr int kFrame = 2048;
  const size_t n_frames = mono.size() / kFrame;
  if (n_frames == 0 || bands <= 0 || sample_rate <= 0) {
    throw ConfigError("demo features: need at least " + std::to_string(kFrame) + " samples and bands > 0");
  }
  av_tx_fn fft = nullptr;
  TxContextPtr tx = make_tx(AV_TX_FLOAT_RDFT, 0, kFrame, 1.0, AV_TX_UNALIGNED, &fft);

  std::vector<float> window(kFrame), frame(kFrame);
  for (int i = 0; i < kFrame; ++i) window[i] = static_cast<float>(0.5 - 0.5 * std::cos(6.283185307179586 * i / kFrame));
  std::vector<int> band_of_bin(kFrame / 2 + 1, -1);
  for (int bin = 0; bin <= kFrame / 2; ++bin) {
    const double hz = static_cast<double>(bin) * sample_rate / kFrame;
    if (hz < 60.0 || hz >= 6000.0) continue;
    band_of_bin[bin] = static_cast<int>(std::log(hz / 60.0) / std::log(100.0) * bands);
  }

  std::vector<AVComplexFloat> spectrum(kFrame / 2 + 1);
  std::vector<double> sum(bands, 0.0), sum_sq(bands, 0.0), energy(bands);
  for (size_t f = 0; f < n_frames; ++f) {
    for (int i = 0; i < kFrame; ++i) frame[i] = mono[f * kFrame + i] * window[i];
    fft(tx.get(), spectrum.data(), frame.data(), sizeof(float));
    std::fill(energy.begin(), energy.end(), 0.0);
    for (int bin = 0; bin <= kFrame / 2; ++bin) {
      if (band_of_bin[bin] >= 0) {
        energy[band_of_bin[bin]] += static_cast<double>(spectrum[bin].re) * spectrum[bin].re +
                                    static_cast<double>(spectrum[bin].im) * spectrum[bin].im;
      }
    }
    for (int b = 0; b < bands; ++b) {
      const double db = std::log10(energy[b] + 1e-10);
      sum[b] += db;
      sum_sq[b] += db * db;
    }
  }
  std::vector<double> features(2 * bands);
  double average = 0;
  for (int b = 0; b < bands; ++b) average += sum[b] / n_frames / bands;
  for (int b = 0; b < bands; ++b) {
    const double mean = sum[b] / n_frames;
    features[b] = mean - average;
    features[bands + b] = std::sqrt(std::max(0.0, sum_sq[b] / n_frames - mean * mean));
  }
  return features;
}

}  // namespace musictag::preprocess
