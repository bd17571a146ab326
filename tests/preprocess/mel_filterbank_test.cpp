// MelFilterbank against librosa.filters.mel (Slaney defaults and an HTK / no-norm bank), and the mel scales.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "mel_fixture.h"
#include "preprocess/features/mel_filterbank.h"

namespace musictag::preprocess {
namespace {

// Largest |ours - librosa| relative to librosa's largest weight; both are float32 from the same float64 formula.
double max_relative_diff(const std::vector<float>& ours, const test::NpyArray& reference) {
  EXPECT_EQ(ours.size(), reference.values.size());
  double largest = 0.0, diff = 0.0;
  for (size_t i = 0; i < ours.size() && i < reference.values.size(); ++i) {
    largest = std::max(largest, std::abs(static_cast<double>(reference.values[i])));
    diff = std::max(diff, std::abs(static_cast<double>(ours[i]) - reference.values[i]));
  }
  return diff / largest;
}

TEST(MelFilterbank, MatchesLibrosaSlaneyDefaults) {
  const auto reference = test::read_mel_fixture("filterbank.npy");
  const FeatureConfig config;  // sr 12000, n_fft 512, 96 mels, 0..6000 Hz, Slaney scale and norm
  const MelFilterbank bank(config);
  ASSERT_EQ(reference.shape, (std::vector<int64_t>{bank.n_mels(), bank.n_bins()}));
  const double diff = max_relative_diff(bank.dense(), reference);
  std::cout << "[ mel      ] Slaney filterbank max |diff| / max weight = " << diff << "\n";
  EXPECT_LE(diff, 1e-6);
  EXPECT_TRUE(bank.empty_bands().empty());
}

TEST(MelFilterbank, MatchesLibrosaHtkWithoutNorm) {
  const auto index = test::mel_fixture_index().at("filterbank_htk");
  const auto reference = test::read_mel_fixture(index.at("file"));
  FeatureConfig config;
  config.sample_rate = index.at("sample_rate");
  config.n_fft = index.at("n_fft");
  config.n_mels = index.at("n_mels");
  config.fmin = index.at("fmin");
  config.fmax = index.at("fmax");
  ASSERT_TRUE(choice_value(kMelScaleNames, index.at("mel_scale").get<std::string>().c_str(), config.mel_scale));
  ASSERT_TRUE(choice_value(kMelNormNames, index.at("mel_norm").get<std::string>().c_str(), config.mel_norm));
  const MelFilterbank bank(config);
  ASSERT_EQ(reference.shape, (std::vector<int64_t>{bank.n_mels(), bank.n_bins()}));
  const double diff = max_relative_diff(bank.dense(), reference);
  std::cout << "[ mel      ] HTK filterbank max |diff| / max weight = " << diff << "\n";
  EXPECT_LE(diff, 1e-6);
}

TEST(MelFilterbank, ApplyEqualsTheDenseProduct) {
  const MelFilterbank bank{FeatureConfig{}};
  const auto dense = bank.dense();
  std::vector<double> spectrum(static_cast<size_t>(bank.n_bins()));
  for (size_t k = 0; k < spectrum.size(); ++k) spectrum[k] = 1.0 + std::sin(0.3 * static_cast<double>(k));
  std::vector<double> mel(static_cast<size_t>(bank.n_mels()));
  bank.apply(spectrum.data(), mel.data());
  for (int64_t m = 0; m < bank.n_mels(); ++m) {
    double expected = 0.0;
    for (int64_t k = 0; k < bank.n_bins(); ++k) expected += dense[m * bank.n_bins() + k] * spectrum[k];
    EXPECT_NEAR(mel[m], expected, 1e-12 * std::abs(expected)) << m;
  }
}

TEST(MelFilterbank, TooManyBandsLeaveSomeEmpty) {
  FeatureConfig config;
  config.n_mels = 256;  // > 257 bins spread unevenly: low Slaney bands are narrower than one bin
  EXPECT_FALSE(MelFilterbank(config).empty_bands().empty());
}

TEST(MelScale, KnownValuesAndRoundTrip) {
  EXPECT_DOUBLE_EQ(hz_to_mel(0.0, false), 0.0);
  EXPECT_NEAR(hz_to_mel(1000.0, false), 15.0, 1e-12);             // Slaney: linear 200/3 Hz per mel up to 1 kHz
  EXPECT_NEAR(hz_to_mel(6400.0, false), 42.0, 1e-12);             // then 27 mels per factor 6.4
  EXPECT_NEAR(hz_to_mel(1000.0, true), 999.9855371396392, 1e-9);  // HTK: 2595*log10(1 + 1000/700)
  for (bool htk : {false, true})
    for (double hz : {0.0, 20.0, 440.0, 999.0, 1000.0, 1001.0, 6000.0, 22050.0})
      EXPECT_NEAR(mel_to_hz(hz_to_mel(hz, htk), htk), hz, 1e-9 * std::max(hz, 1.0)) << hz << " htk " << htk;
}

}  // namespace
}  // namespace musictag::preprocess
