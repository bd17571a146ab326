// MelFilterbank: triangular mel filters [n_mels, n_fft/2+1], numerically librosa.filters.mel, stored sparse by band.
#pragma once

#include <cstdint>
#include <vector>

#include "preprocess/features/feature_config.h"

namespace musictag::preprocess {

// Hz <-> mel on the Slaney scale (linear below 1 kHz, logarithmic above; librosa htk=False) or HTK's
// 2595*log10(1 + f/700) (htk=True). Written out because librosa's formulas are the specification.
double hz_to_mel(double hz, bool htk);
double mel_to_hz(double mel, bool htk);

// The filters of librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm) for the config: n_mels + 2 edges
// equally spaced in mel between fmin and fmax, triangle i rising from edge i to i+1 and falling to i+2, evaluated
// at the rfft bin frequencies k*sr/n_fft; with norm "slaney" each row is scaled by 2 / (edge[i+2] - edge[i]).
// Computed in double, stored as float (as librosa's default dtype); each band keeps only its non-zero bin range,
// so apply() costs about 2 * n_bins multiply-adds per frame.
class MelFilterbank {
 public:
  explicit MelFilterbank(const FeatureConfig& config);

  int64_t n_mels() const { return n_mels_; }
  int64_t n_bins() const { return n_bins_; }
  // Dense row-major weights [n_mels, n_bins] (zeros included), e.g. to compare with librosa.
  std::vector<float> dense() const;
  // Bands whose weights are all zero (librosa warns "Empty filters detected"); FeatureConfig refuses them.
  std::vector<int64_t> empty_bands() const;

  // mel[m] = sum_k weights[m][k] * spectrum[k] for m < n_mels; spectrum has n_bins values, accumulated in double.
  void apply(const double* spectrum, double* mel) const;

 private:
  struct Band {
    int64_t first_bin = 0;  // weights_[offset + j] belongs to bin first_bin + j
    int64_t offset = 0;
    int64_t count = 0;
  };
  int64_t n_mels_ = 0, n_bins_ = 0;
  std::vector<Band> bands_;
  std::vector<float> weights_;  // the non-zero runs of all bands, back to back
};

}  // namespace musictag::preprocess
