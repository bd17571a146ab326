// apply_variant (rubberband through libavfilter) on synthetic tones: where the spectral peak goes, how the length
// changes, that onsets stay in place (no leading latency), and how bad input fails.
#include <gtest/gtest.h>

#include <cmath>

#include "audio_test_support.h"
#include "preprocess/audio/audio_loader.h"

namespace musictag::preprocess {
namespace {

constexpr int kRate = 12000;

// The frequency in [low, high] Hz (1 Hz steps) with the most power in x under a Hann window (a rectangular window
// lets the sidebands of rubberband's phase resets win over the tone itself).
double spectral_peak(const std::vector<float>& x, double low, double high) {
  std::vector<float> windowed(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    windowed[i] = static_cast<float>(x[i] * 0.5 * (1.0 - std::cos(2.0 * M_PI * i / (x.size() - 1))));
  double best_hz = low, best = -1.0;
  for (double hz = low; hz <= high; hz += 1.0) {
    const double power = test::tone_power(windowed, hz, kRate);
    if (power > best) best = power, best_hz = hz;
  }
  return best_hz;
}

// Seconds until the 10 ms RMS envelope first exceeds half of `level`.
double onset_seconds(const std::vector<float>& x, double level) {
  constexpr size_t kWindow = kRate / 100;
  double sum = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    sum += double(x[i]) * x[i];
    if (i >= kWindow) sum -= double(x[i - kWindow]) * x[i - kWindow];
    if (i >= kWindow && std::sqrt(sum / kWindow) > 0.5 * level) return static_cast<double>(i - kWindow / 2) / kRate;
  }
  return -1.0;
}

std::vector<float> middle(const std::vector<float>& x) {  // drop 0.5 s at both ends (onset transients)
  return {x.begin() + kRate / 2, x.end() - kRate / 2};
}

TEST(AudioVariants, OctaveUpMovesTheSpectralPeakFrom440To880HzAndKeepsTheLength) {
  const auto tone = test::sine(440.0, 0.5, 4.0, kRate);
  ASSERT_NEAR(spectral_peak(middle(tone), 300, 1500), 440.0, 1.0);
  const auto shifted = apply_variant(tone, kRate, AudioVariant{1, 1.0, 12.0});
  EXPECT_NEAR(static_cast<double>(shifted.size()), static_cast<double>(tone.size()), 0.01 * tone.size());
  EXPECT_NEAR(spectral_peak(middle(shifted), 300, 1500), 880.0, 0.02 * 880.0);
  const auto down = apply_variant(tone, kRate, AudioVariant{2, 1.0, -12.0});
  EXPECT_NEAR(spectral_peak(middle(down), 100, 1500), 220.0, 0.02 * 220.0);
}

TEST(AudioVariants, TimeStretchDividesTheLengthAndKeepsThePitch) {
  const auto tone = test::sine(440.0, 0.5, 4.0, kRate);
  for (double rate : {1.25, 0.8, 0.5, 2.0}) {
    const auto out = apply_variant(tone, kRate, AudioVariant{1, rate, 0.0});
    const double expected = static_cast<double>(tone.size()) / rate;
    EXPECT_NEAR(static_cast<double>(out.size()), expected, 0.01 * expected) << "tempo " << rate;
    EXPECT_NEAR(spectral_peak(middle(out), 300, 1500), 440.0, 0.02 * 440.0) << "tempo " << rate;
  }
}

// Share of x's energy between low and high Hz, under a Hann window: by Parseval, the band's energy is
// 2 / rate * integral of |X(f)|^2 df over the band (both signs of f), integrated in 0.1 Hz steps.
double band_share(const std::vector<float>& x, double low, double high) {
  std::vector<float> w(x.size());
  double total = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    w[i] = static_cast<float>(x[i] * 0.5 * (1.0 - std::cos(2.0 * M_PI * i / x.size())));
    total += double(w[i]) * w[i];
  }
  const double n = static_cast<double>(x.size());
  double band = 0.0;
  for (double hz = low; hz <= high; hz += 0.1) band += test::tone_power(w, hz, kRate) * n * n * 0.1;
  return 2.0 * band / kRate / total;
}

// Rubberband's default transient mode (crisp) leaves only 60-95% of a stretched steady tone's energy within 10 Hz
// of it at 12 kHz; apply_variant's transients=mixed keeps it a clean tone.
TEST(AudioVariants, StretchedSteadyToneStaysClean) {
  const auto tone = test::sine(440.0, 0.5, 4.0, kRate);
  ASSERT_NEAR(band_share(middle(tone), 430, 450), 1.0, 0.005);
  for (const AudioVariant& v : {AudioVariant{1, 1.25, 0.0}, AudioVariant{2, 1.1, 0.0}, AudioVariant{3, 0.8, 0.0}}) {
    EXPECT_GT(band_share(middle(apply_variant(tone, kRate, v)), 430, 450), 0.99) << "tempo " << v.time_stretch;
  }
}

// A tone entering at 2.0 s enters at 2.0 / tempo s: the stretcher's latency is not left at the start.
TEST(AudioVariants, OnsetsMoveWithTheTempoOnly) {
  std::vector<float> x(2 * kRate, 0.0f);
  const auto tone = test::sine(440.0, 0.5, 3.0, kRate);
  x.insert(x.end(), tone.begin(), tone.end());
  const double level = 0.5 / std::sqrt(2.0);
  ASSERT_NEAR(onset_seconds(x, level), 2.0, 0.01);
  for (const AudioVariant& v :
       {AudioVariant{1, 1.25, 0.0}, AudioVariant{2, 0.8, 0.0}, AudioVariant{3, 1.0, 5.0}, AudioVariant{4, 1.1, -3.0}}) {
    const auto out = apply_variant(x, kRate, v);
    EXPECT_NEAR(onset_seconds(out, level), 2.0 / v.time_stretch, 0.03)
        << "tempo " << v.time_stretch << " pitch " << v.pitch_shift;
  }
}

TEST(AudioVariants, EmptyInputGivesEmptyOutput) {
  EXPECT_TRUE(apply_variant({}, kRate, AudioVariant{1, 1.25, 0.0}).empty());
  EXPECT_TRUE(apply_variant({}, kRate, AudioVariant{}).empty());
}

TEST(AudioVariants, ImpossibleRateRaisesAudioErrorOfStageAugment) {
  const auto tone = test::sine(440.0, 0.5, 1.0, kRate);
  try {
    apply_variant(tone, kRate, AudioVariant{1, 0.0, 0.0}, "track 7");  // rubberband's tempo range is [0.01,100]
    FAIL() << "tempo 0 was accepted";
  } catch (const AudioError& e) {
    EXPECT_EQ(e.stage(), "augment");
    EXPECT_NE(std::string(e.what()).find("track 7"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace musictag::preprocess
