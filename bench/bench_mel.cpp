// Benchmark: log-mel of 30 s at 12 kHz, as a ratio to the bare real FFTs of the same frames measured in this run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <random>
#include <vector>

#include "preprocess/features/fft_real.h"
#include "preprocess/features/mel_spectrogram.h"

namespace {

// Best of `repeats` wall-clock runs of `body`, in milliseconds.
template <typename F>
double best_ms(int repeats, F body) {
  double best = INFINITY;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    body();
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main() {
  using namespace musictag::preprocess;
  const FeatureConfig config;
  const int64_t n = 30 * config.sample_rate;
  std::vector<float> y(static_cast<size_t>(n));
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  for (float& v : y) v = noise(rng);

  MelSpectrogram mel(config);
  std::vector<float> out(static_cast<size_t>(mel.n_mels() * mel.n_frames(n)));
  mel.compute(y.data(), n, out.data());  // warm up
  const double mel_ms = best_ms(20, [&] { mel.compute(y.data(), n, out.data()); });

  // Baseline: the same number of real FFTs on already-framed data (no window, power, mel or log).
  RealFft fft(config.n_fft);
  std::vector<double> frame(static_cast<size_t>(config.n_fft));
  std::vector<std::complex<double>> bins(static_cast<size_t>(config.n_bins()));
  double sink = 0.0;
  const double fft_ms = best_ms(20, [&] {
    for (int64_t t = 0; t < mel.n_frames(n); ++t) {
      const int64_t start = std::min(t * config.hop_length, n - config.n_fft);
      for (int64_t j = 0; j < config.n_fft; ++j) frame[j] = y[start + j];
      fft.forward(frame.data(), bins.data());
      sink += bins[1].real();
    }
  });

  std::printf("log-mel of 30 s at 12 kHz (%lld frames): %.2f ms (%.0fx real time)\n",
              static_cast<long long>(mel.n_frames(n)), mel_ms, 30000.0 / mel_ms);
  std::printf("bare FFTs of the same frames:           %.2f ms\n", fft_ms);
  std::printf("ratio log-mel / FFT: %.2f  (checksum %d)\n", mel_ms / fft_ms, sink != 0.0);
  return 0;
}
