// MelSpectrogram against librosa 0.10 on stored real-music samples, plus silence, short input, frames and a sine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include "cluster/errors.h"
#include "mel_fixture.h"
#include "preprocess/features/mel_spectrogram.h"

namespace musictag::preprocess {
namespace {

// Bounds against librosa (melspectrogram + power_to_db: float64 STFT stored as complex64, float32 |X|^2, mel
// product and log). Measured here (librosa 0.10.2.post1, numpy 2.3.5): mean |diff| 1.0e-6 to 1.5e-6 dB and max
// 1.5e-5 dB on the real clips (values -92..+22 dB), max 7.6e-6 dB on silence (librosa's float32 floor is one ulp
// above -100 dB). The bounds are ~60x the measured maxima: room for another libm, none for another algorithm.
constexpr double kMaxMeanAbsDb = 1e-3;
constexpr double kMaxAbsDb = 1e-3;

struct Error {
  double mean = 0.0, max = 0.0;
};

Error compare(const std::vector<float>& ours, const std::vector<float>& reference) {
  Error e;
  for (size_t i = 0; i < ours.size(); ++i) {
    const double d = std::abs(static_cast<double>(ours[i]) - static_cast<double>(reference[i]));
    e.mean += d;
    e.max = std::max(e.max, d);
  }
  e.mean /= static_cast<double>(std::max<size_t>(ours.size(), 1));
  return e;
}

TEST(MelSpectrogram, MatchesLibrosaOnEveryFixtureCase) {
  const auto index = test::mel_fixture_index();
  ASSERT_GE(index.at("cases").size(), 5u);
  MelSpectrogram mel(FeatureConfig{});  // the defaults are the fixture's parameters
  EXPECT_EQ(index.at("parameters").at("n_mels").get<int64_t>(), mel.n_mels());
  for (const auto& c : index.at("cases")) {
    const std::string name = c.at("name");
    SCOPED_TRACE(name);
    const auto samples = test::read_mel_fixture(c.at("samples").at("file"));
    const auto reference = test::read_mel_fixture(c.at("logmel").at("file"));
    const auto n = static_cast<int64_t>(samples.values.size());
    ASSERT_EQ(reference.shape, (std::vector<int64_t>{mel.n_mels(), mel.n_frames(n)}));

    const auto ours = mel.compute(samples.values);
    ASSERT_EQ(ours.size(), reference.values.size());
    const Error e = compare(ours, reference.values);
    std::cout << "[ mel      ] " << name << ": " << n << " samples, mean |diff| " << e.mean << " dB, max " << e.max
              << " dB\n";
    EXPECT_LE(e.mean, kMaxMeanAbsDb);
    EXPECT_LE(e.max, kMaxAbsDb);
  }
}

TEST(MelSpectrogram, MatchesLibrosaWithWon2020sFrontend) {
  // 16 kHz, 128 HTK bands without area normalisation up to 8 kHz, reflect padding: the model zoo's frontend. The
  // 100-sample case is shorter than the n_fft/2 pad, so numpy's reflection repeats.
  const auto index = test::mel_fixture_index();
  const auto& p = index.at("won2020_parameters");
  FeatureConfig config;
  config.sample_rate = p.at("sample_rate").get<int64_t>();
  config.n_mels = p.at("n_mels").get<int64_t>();
  config.fmax = p.at("fmax").get<double>();
  config.mel_scale = MelScale::htk;
  config.mel_norm = MelNorm::none;
  config.pad_mode = PadMode::reflect;
  config.allow_empty_bands = true;  // band 0 of 128 HTK bands at 16 kHz / n_fft 512 holds no FFT bin (librosa warns)
  ASSERT_EQ(p.at("mel_scale"), "htk");
  ASSERT_EQ(p.at("pad_mode"), "reflect");
  MelSpectrogram mel(config);
  ASSERT_EQ(index.at("won2020_cases").size(), 2u);
  for (const auto& c : index.at("won2020_cases")) {
    const std::string name = c.at("name");
    SCOPED_TRACE(name);
    const auto samples = test::read_mel_fixture(c.at("samples").at("file"));
    const auto reference = test::read_mel_fixture(c.at("logmel").at("file"));
    const auto n = static_cast<int64_t>(samples.values.size());
    ASSERT_EQ(reference.shape, (std::vector<int64_t>{mel.n_mels(), mel.n_frames(n)}));
    const Error e = compare(mel.compute(samples.values), reference.values);
    std::cout << "[ mel      ] " << name << ": " << n << " samples, mean |diff| " << e.mean << " dB, max " << e.max
              << " dB\n";
    EXPECT_LE(e.mean, kMaxMeanAbsDb);
    EXPECT_LE(e.max, kMaxAbsDb);
  }
  // Constant padding differs from librosa's reflect output at the edges: the setting is really used.
  config.pad_mode = PadMode::constant;
  const auto samples = test::read_mel_fixture(index.at("won2020_cases").at(0).at("samples").at("file"));
  const auto reference = test::read_mel_fixture(index.at("won2020_cases").at(0).at("logmel").at("file"));
  EXPECT_GT(compare(MelSpectrogram(config).compute(samples.values), reference.values).max, 1.0);
}

TEST(MelSpectrogram, SilenceIsTheAminFloorEverywhere) {
  MelSpectrogram mel(FeatureConfig{});
  const auto out = mel.compute(std::vector<float>(12000, 0.0f));
  const float floor = static_cast<float>(10.0 * std::log10(1e-10));
  EXPECT_EQ(floor, -100.0f);
  ASSERT_EQ(out.size(), static_cast<size_t>(96 * 47));
  for (float v : out) ASSERT_EQ(v, floor);
}

TEST(MelSpectrogram, FrameCountFollowsCentredFraming) {
  FeatureConfig config;
  MelSpectrogram mel(config);
  for (int64_t n : {0, 1, 100, 255, 256, 257, 511, 512, 513, 12000, 72000, 349440})
    EXPECT_EQ(mel.n_frames(n), 1 + n / 256) << n;
  EXPECT_EQ(mel.compute(std::vector<float>(100, 0.1f)).size(), 96u);  // shorter than n_fft: one padded frame
  EXPECT_EQ(mel.compute(std::vector<float>()).size(), 96u);

  config.center = false;
  MelSpectrogram uncentred(config);
  EXPECT_EQ(uncentred.n_frames(511), 0);
  EXPECT_EQ(uncentred.n_frames(512), 1);
  EXPECT_EQ(uncentred.n_frames(767), 1);
  EXPECT_EQ(uncentred.n_frames(768), 2);
  EXPECT_TRUE(uncentred.compute(std::vector<float>(100, 0.1f)).empty());
}

// A periodic-Hann-windowed sine of amplitude A exactly on FFT bin k has |X[k]| = A/2 * sum(window) = A*n_fft/4 and
// |X[k+-1]| = A*n_fft/8, nothing else (for 2 <= k < n_fft/2 - 1). So band m of a frame inside the signal holds
// exactly S_m = (A*n_fft/4)^2 * w[m][k] + (A*n_fft/8)^2 * (w[m][k-1] + w[m][k+1]); the loudest band must be the
// one this predicts, its level must match, and its triangle must contain the sine's frequency.
TEST(MelSpectrogram, BinCentredSinePeaksInItsMelBand) {
  const FeatureConfig config;
  MelSpectrogram mel(config);
  const auto w = mel.filterbank().dense();
  const int64_t bins = config.n_bins();
  const double amplitude = 0.5, centre = amplitude * config.n_fft / 4, side = amplitude * config.n_fft / 8;
  for (int64_t bin : {3, 10, 40, 100, 200, 250}) {
    SCOPED_TRACE(bin);
    const double hz = static_cast<double>(bin) * config.sample_rate / config.n_fft;
    std::vector<float> y(12000);
    for (size_t i = 0; i < y.size(); ++i)
      y[i] = static_cast<float>(amplitude * std::sin(2.0 * M_PI * hz * static_cast<double>(i) / config.sample_rate));
    const auto out = mel.compute(y);
    const int64_t frames = mel.n_frames(12000), t = frames / 2;
    int64_t loudest = 0, predicted = 0;
    std::vector<double> expected(static_cast<size_t>(config.n_mels));
    for (int64_t m = 0; m < config.n_mels; ++m) {
      const float* row = w.data() + m * bins;
      expected[m] = centre * centre * row[bin] + side * side * (row[bin - 1] + row[bin + 1]);
      if (out[m * frames + t] > out[loudest * frames + t]) loudest = m;
      if (expected[m] > expected[predicted]) predicted = m;
    }
    EXPECT_EQ(loudest, predicted);
    EXPECT_GT(w[predicted * bins + bin], 0.0f);  // the band's triangle covers the sine's bin
    EXPECT_NEAR(out[predicted * frames + t], 10.0 * std::log10(expected[predicted]), 1e-3);
  }
}

TEST(MelSpectrogram, TopDbFloorsBelowTheLoudestValue) {
  FeatureConfig config;
  config.top_db = 80.0;
  MelSpectrogram mel(config);
  const auto samples = test::read_mel_fixture("bensound-cute.samples.npy");
  const auto out = mel.compute(samples.values);
  const float loudest = *std::max_element(out.begin(), out.end());
  const float quietest = *std::min_element(out.begin(), out.end());
  EXPECT_FLOAT_EQ(quietest, static_cast<float>(static_cast<double>(loudest) - 80.0));

  // Values above the floor are untouched.
  MelSpectrogram plain{FeatureConfig{}};
  const auto unclamped = plain.compute(samples.values);
  for (size_t i = 0; i < out.size(); ++i) {
    if (unclamped[i] > quietest) {
      ASSERT_EQ(out[i], unclamped[i]);
    }
  }
}

TEST(MelSpectrogram, ReusedObjectGivesIdenticalResults) {
  const auto a = test::read_mel_fixture("flamenco.samples.npy");
  const auto b = test::read_mel_fixture("short.samples.npy");
  MelSpectrogram mel(FeatureConfig{});
  const auto first = mel.compute(a.values);
  mel.compute(b.values);
  EXPECT_EQ(mel.compute(a.values), first);
}

TEST(MelSpectrogram, RefusesNonFiniteSamples) {
  MelSpectrogram mel(FeatureConfig{});
  std::vector<float> y(1000, 0.1f);
  y[321] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(mel.compute(y), DataError);
  y[321] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(mel.compute(y), DataError);
}

TEST(MelSpectrogram, ValidatesAHandMadeConfig) {
  FeatureConfig config;
  config.hop_length = 0;
  EXPECT_THROW(MelSpectrogram{config}, ConfigError);
  config = FeatureConfig{};
  config.n_fft = 511;
  EXPECT_THROW(MelSpectrogram{config}, ConfigError);
}

}  // namespace
}  // namespace musictag::preprocess
