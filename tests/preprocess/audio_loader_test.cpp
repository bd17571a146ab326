// AudioLoader and apply_variant on real files: against the ffmpeg command line, downmix, length, augmentation,
// and every kind of unusable file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "audio_test_support.h"
#include "preprocess/audio/audio_loader.h"
#include "preprocess/audio/audio_segments.h"

namespace musictag::preprocess {
namespace {
namespace fs = std::filesystem;

class AudioLoaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("musictag-audio-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // 3 s stereo at 44.1 kHz: left a 440 Hz sine of amplitude 0.5, right silent.
    const auto left = test::sine(440.0, 0.5, 3.0, 44100);
    std::vector<float> stereo(left.size() * 2, 0.0f);
    for (size_t i = 0; i < left.size(); ++i) stereo[2 * i] = left[i];
    test::write_float_wav(path("stereo.wav"), stereo, 2, 44100);
    test::write_float_wav(path("tone.wav"), test::sine(440.0, 0.5, 4.0, 12000), 1, 12000);
    test::write_float_wav(path("silent.wav"), std::vector<float>(44100, 0.0f), 1, 44100);
    std::ofstream(path("empty.mp3")).close();
    std::ofstream(path("page.mp3")) << "<html><body>404 Not Found</body></html>\n";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }

  static void expect_stage(const AudioLoader& loader, const std::string& file, const std::string& stage) {
    try {
      loader.load(file);
      FAIL() << file << ": expected AudioError " << stage;
    } catch (const AudioError& e) {
      EXPECT_EQ(e.stage(), stage) << e.what();
      EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << "message must name the file: " << e.what();
    }
  }

  static inline fs::path dir_;
};

TEST_F(AudioLoaderTest, MatchesTheFfmpegCommandLineSampleForSample) {
  const AudioLoader loader(12000);
  const auto ours = loader.load(path("stereo.wav")).samples;
  const auto reference =
      test::run_for_floats("ffmpeg -v error -i '" + path("stereo.wav") +
                           "' -af 'pan=mono|c0=0.5*c0+0.5*c1,aresample=12000:resampler=soxr' -f f32le - 2>/dev/null");
  ASSERT_FALSE(reference.empty()) << "ffmpeg produced nothing";
  ASSERT_EQ(ours.size(), reference.size());
  double max_error = 0.0;
  for (size_t i = 0; i < ours.size(); ++i) max_error = std::max(max_error, double(std::fabs(ours[i] - reference[i])));
  EXPECT_LE(max_error, 1e-6);  // the same filters: only float rounding may differ
}

TEST_F(AudioLoaderTest, StereoIsTheMeanOfTheChannelsResampled) {
  const auto audio = AudioLoader(12000).load(path("stereo.wav"));
  EXPECT_EQ(audio.sample_rate, 12000);
  EXPECT_EQ(audio.source_rate, 44100);
  EXPECT_EQ(audio.source_channels, 2);
  EXPECT_NEAR(static_cast<double>(audio.samples.size()), 36000.0, 1.0);  // 3 s at 12 kHz
  // Mean of (0.5 sine, 0): a 0.25 sine, whose power at 440 Hz is amplitude^2 / 4.
  const std::vector<float> middle(audio.samples.begin() + 6000, audio.samples.end() - 6000);
  EXPECT_NEAR(test::tone_power(middle, 440.0, 12000), 0.25 * 0.25 / 4, 0.01 * 0.25 * 0.25 / 4);
}

TEST_F(AudioLoaderTest, MaxSecondsStopsDecoding) {
  const auto audio = AudioLoader(12000, 0.0, 1.5).load(path("stereo.wav"));
  EXPECT_EQ(audio.samples.size(), 18000u);
}

TEST_F(AudioLoaderTest, TimeStretchChangesTheLengthByTheFactor) {
  const auto audio = AudioLoader(12000).load(path("tone.wav"));
  const auto faster = apply_variant(audio.samples, 12000, AudioVariant{1, 1.25, 0.0});
  EXPECT_NEAR(static_cast<double>(faster.size()), audio.samples.size() / 1.25, 0.01 * audio.samples.size() / 1.25);
}

TEST_F(AudioLoaderTest, PitchShiftOfAnOctaveDoublesTheFrequencyAndKeepsTheLength) {
  const auto audio = AudioLoader(12000).load(path("tone.wav"));
  const auto shifted = apply_variant(audio.samples, 12000, AudioVariant{1, 1.0, 12.0});
  EXPECT_NEAR(static_cast<double>(shifted.size()), static_cast<double>(audio.samples.size()),
              0.01 * audio.samples.size());
  const std::vector<float> middle(shifted.begin() + 6000, shifted.end() - 6000);
  EXPECT_GT(test::tone_power(middle, 880.0, 12000), 100 * test::tone_power(middle, 440.0, 12000));
}

TEST_F(AudioLoaderTest, OriginalVariantIsACopyAndVariantsAreDeterministic) {
  const auto audio = AudioLoader(12000).load(path("tone.wav"));
  EXPECT_EQ(apply_variant(audio.samples, 12000, AudioVariant{}), audio.samples);
  const AudioVariant variant{2, 0.9, -2.0};
  EXPECT_EQ(apply_variant(audio.samples, 12000, variant), apply_variant(audio.samples, 12000, variant));
}

TEST_F(AudioLoaderTest, UnusableFilesRaiseAudioErrorWithTheirStage) {
  const AudioLoader loader(12000, 2.0);
  expect_stage(loader, path("nothing-here.mp3"), "missing");
  expect_stage(loader, path("empty.mp3"), "empty");
  expect_stage(loader, path("page.mp3"), "open");
  expect_stage(loader, path("silent.wav"), "too_short");  // 1 s < 2 s is checked before silence
  expect_stage(AudioLoader(12000), path("silent.wav"), "silent");
}

TEST(AudioSegments, CentreCropTakesTheMiddleAndPadsShortSignalsAtTheEnd) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(centre_crop_or_pad(x, 3), (std::vector<float>{3, 4, 5}));
  EXPECT_EQ(centre_crop_or_pad(x, 9), (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 0, 0}));
  EXPECT_EQ(centre_crop_or_pad({}, 2), (std::vector<float>{0, 0}));
}

TEST(AudioSegments, ConsecutiveSegmentsKeepARemainderOfHalfASegment) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7};
  const auto three = consecutive_segments(x, 3);  // remainder 1 < 1.5: dropped
  ASSERT_EQ(three.size(), 2u);
  EXPECT_EQ(three[1], (std::vector<float>{4, 5, 6}));
  const auto two = consecutive_segments(x, 2);  // remainder 1 >= 1: padded
  ASSERT_EQ(two.size(), 4u);
  EXPECT_EQ(two[3], (std::vector<float>{7, 0}));
  EXPECT_EQ(consecutive_segments({1}, 4).size(), 1u);
}

}  // namespace
}  // namespace musictag::preprocess
