// MelSpectrogram: mono samples -> log-mel [n_mels, n_frames], numerically librosa melspectrogram + power_to_db.
#pragma once

#include <complex>
#include <cstdint>
#include <vector>

#include "preprocess/features/feature_config.h"
#include "preprocess/features/fft_real.h"
#include "preprocess/features/mel_filterbank.h"

namespace musictag::preprocess {

// Per frame t: n_fft samples starting at t*hop_length - n_fft/2 (centred; zeros outside the signal, librosa 0.10's
// pad_mode="constant") or at t*hop_length (center false), times a periodic Hann window, real FFT, |X|^power, the
// mel filterbank, then 10*log10(max(S, amin)) - 10*log10(max(ref, amin)) and, when top_db > 0, a floor at the
// output's maximum - top_db. Everything up to the log runs in double (librosa's STFT runs in float64 and keeps
// complex64), the result is float.
//
// The object owns the FFT context and every work buffer, so compute() allocates nothing per frame: keep one per
// thread and reuse it for every track. Not thread-safe.
class MelSpectrogram {
 public:
  explicit MelSpectrogram(const FeatureConfig& config);  // validates config like FeatureConfig::from (ConfigError)

  const FeatureConfig& config() const { return config_; }
  const MelFilterbank& filterbank() const { return filterbank_; }
  int64_t n_mels() const { return config_.n_mels; }
  int64_t n_frames(int64_t n_samples) const { return config_.n_frames(n_samples); }

  // Log-mel of n_samples mono samples at config().sample_rate into out, row-major [n_mels, n_frames(n_samples)]
  // (frame t of band m at out[m * n_frames + t]). DataError when a sample is NaN or infinite (librosa refuses
  // those too). An empty or shorter-than-n_fft signal is zero-padded like any other (centred: at least 1 frame).
  void compute(const float* samples, int64_t n_samples, float* out);
  std::vector<float> compute(const std::vector<float>& samples);

 private:
  void frame_power(const float* samples, int64_t n_samples, int64_t start);  // fills power_ for one frame

  FeatureConfig config_;  // declared first: the members below are built from it
  MelFilterbank filterbank_;
  RealFft fft_;
  double ref_db_ = 0.0;                     // 10*log10(max(ref, amin))
  std::vector<double> window_;              // periodic Hann, n_fft
  std::vector<double> frame_;               // windowed frame, n_fft
  std::vector<std::complex<double>> bins_;  // n_fft/2 + 1
  std::vector<double> power_;               // |bins|^power
  std::vector<double> mel_;                 // n_mels
};

}  // namespace musictag::preprocess
