// AudioLoader on the demo generator's MP3s: length and level, the ffmpeg command line and librosa sample for sample
// (and ffmpeg's own sqrt(2) downmix), every broken-file kind with its stage, variants against the command line.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "audio_test_support.h"
#include "demo_test_support.h"
#include "preprocess/audio/audio_loader.h"
#include "preprocess/demo/demo_plan.h"

namespace musictag::preprocess {
namespace {
namespace fs = std::filesystem;

constexpr int kTracks = 24;
constexpr uint64_t kSeed = 1;

class AudioDemoFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = test::cached_demo_dataset(kTracks, kSeed);
    plan_ = plan_demo_dataset(kTracks, kSeed);
    av_log_set_level(AV_LOG_ERROR);
  }
  static std::string audio_path(const DemoTrack& t) {
    return (root_ / "audio" / demo_audio_relative_path(t.id)).string();
  }
  static const DemoTrack& first(DemoClipKind kind, int channels = 0) {
    for (const auto& t : plan_.tracks)
      if (t.kind == kind && (channels == 0 || t.channels == channels)) return t;
    throw std::runtime_error(std::string("no demo track of kind ") + demo_clip_kind_name(kind));
  }

  static inline fs::path root_;
  static inline DemoPlan plan_;
};

TEST_F(AudioDemoFiles, GoodClipsAreThirtySecondsAt12kHzFiniteAndAudible) {
  const AudioLoader loader(12000, 15.0);
  int checked = 0;
  for (const auto& t : plan_.tracks) {
    if (t.kind != DemoClipKind::kGood) continue;
    const auto audio = loader.load(audio_path(t));
    EXPECT_EQ(audio.sample_rate, 12000);
    EXPECT_EQ(audio.source_rate, 44100);
    EXPECT_EQ(audio.source_channels, t.channels) << t.id;
    EXPECT_NEAR(audio.seconds(), 30.0, 0.05) << t.id;
    EXPECT_NEAR(audio.source_seconds, 30.0, 0.1) << t.id;  // LAME's Info header: frames, not the padded end
    EXPECT_EQ(audio.corrupt_packets, 0) << t.id;
    EXPECT_TRUE(std::all_of(audio.samples.begin(), audio.samples.end(), [](float x) { return std::isfinite(x); }));
    float peak = 0;
    for (float x : audio.samples) peak = std::max(peak, std::fabs(x));
    EXPECT_GT(peak, 0.05f) << t.id;
    EXPECT_LE(peak, 1.5f) << t.id;  // mp3 overshoot above 1.0 is possible, a wrong gain is not
    ++checked;
  }
  EXPECT_GE(checked, kTracks - 6);
}

// The same filters as the command line, so only float rounding may differ: 1e-6 is ~1/8 of a 16-bit step.
TEST_F(AudioDemoFiles, MatchesTheFfmpegCommandLineSampleForSample) {
  for (int channels : {2, 1}) {
    const std::string path = audio_path(first(DemoClipKind::kGood, channels));
    const auto ours = AudioLoader(12000).load(path).samples;
    const std::string mean = channels == 2 ? "pan=mono|c0=0.5*c0+0.5*c1," : "";
    const auto reference = test::ffmpeg_floats(path, mean + "aresample=12000:resampler=soxr");
    ASSERT_EQ(ours.size(), reference.size()) << path;
    EXPECT_LE(test::max_difference(ours, reference), 1e-6) << path;
  }
}

// `-ac 1` (swresample's default matrix) gives 0.7071*(L+R) for float stereo: sqrt(2) times librosa's mean, which
// is why the loader downmixes with an explicit pan. A mono file is unaffected.
TEST_F(AudioDemoFiles, FfmpegsOwnDownmixIsSqrt2TimesTheMean) {
  for (int channels : {2, 1}) {
    const std::string path = audio_path(first(DemoClipKind::kGood, channels));
    const auto ours = AudioLoader(12000).load(path).samples;
    const auto cli = test::run_for_floats("ffmpeg -nostdin -v error -i '" + path +
                                          "' -af aresample=12000:resampler=soxr -ac 1 -f f32le - 2>/dev/null");
    ASSERT_EQ(ours.size(), cli.size()) << path;
    const double gain = channels == 2 ? std::sqrt(2.0) : 1.0;
    EXPECT_LE(test::max_difference(cli, ours, gain), 1e-5) << path;
    if (channels == 2) {
      EXPECT_GT(test::max_difference(cli, ours, 1.0), 0.01) << "the gains should differ visibly";
    }
  }
}

TEST_F(AudioDemoFiles, EveryBrokenKindRaisesAudioErrorWithItsStage) {
  const AudioLoader loader(12000, 15.0);  // configs/demo.yaml's preprocess.min_seconds
  const std::pair<DemoClipKind, const char*> expected[] = {
      {DemoClipKind::kZeroBytes, "empty"}, {DemoClipKind::kTruncated, "too_short"},
      {DemoClipKind::kNotMp3, "open"},     {DemoClipKind::kShort, "too_short"},
      {DemoClipKind::kSilent, "silent"},   {DemoClipKind::kMissing, "missing"}};
  for (const auto& [kind, stage] : expected) {
    const std::string path = audio_path(first(kind));
    try {
      loader.load(path);
      ADD_FAILURE() << demo_clip_kind_name(kind) << " " << path << ": loaded without an error";
    } catch (const AudioError& e) {
      EXPECT_EQ(e.stage(), stage) << demo_clip_kind_name(kind) << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      if (std::string(stage) == "too_short") {
        EXPECT_NE(std::string(e.what()).find("at least 15.00 s required"), std::string::npos) << e.what();
      }
    }
  }
}

// Truncated to a third inside a frame: decoding keeps what is there (~10 s) instead of failing the file.
TEST_F(AudioDemoFiles, TruncatedClipYieldsTheAudioItHolds) {
  const auto audio = AudioLoader(12000).load(audio_path(first(DemoClipKind::kTruncated)));
  EXPECT_NEAR(audio.seconds(), 10.0, 1.0);
  EXPECT_GT(audio.source_seconds, 25.0);  // the header still states the whole clip
}

TEST_F(AudioDemoFiles, MaxSecondsKeepsTheStartExactly) {
  const std::string path = audio_path(first(DemoClipKind::kGood));
  const auto whole = AudioLoader(12000).load(path).samples;
  const auto part = AudioLoader(12000, 0.0, 10.0).load(path).samples;
  ASSERT_EQ(part.size(), 120000u);
  // The resampler's filter reaches a few ms ahead; away from the cut the samples are the same.
  EXPECT_LE(test::max_difference(std::vector<float>(part.begin(), part.end() - 1200),
                                 std::vector<float>(whole.begin(), whole.begin() + 118800)),
            1e-6);
}

TEST_F(AudioDemoFiles, LoadingAndAugmentingTwiceGiveIdenticalSamples) {
  const std::string path = audio_path(first(DemoClipKind::kGood));
  const AudioVariant variant{3, 1.1, 2.0};
  const auto a = AudioLoader(12000).load(path).samples;
  const auto b = AudioLoader(12000).load(path).samples;
  ASSERT_EQ(a, b);
  EXPECT_EQ(apply_variant(a, 12000, variant), apply_variant(b, 12000, variant));
}

// An independent decoder and resampler: librosa.load(sr=12000, mono=True, res_type="soxr_hq") reads mp3 through
// libsndfile/mpg123 and averages the channels like the loader. Measured: at most 6e-7 apart, one sample longer.
// Runs when MUSICTAG_VENV (scripts/setup.sh) has librosa.
TEST_F(AudioDemoFiles, MatchesLibrosaLoadWhenAvailable) {
  const char* venv = std::getenv("MUSICTAG_VENV");
  if (venv == nullptr || !fs::exists(fs::path(venv) / "bin" / "python")) GTEST_SKIP() << "MUSICTAG_VENV not set";
  for (int channels : {2, 1}) {
    const std::string path = audio_path(first(DemoClipKind::kGood, channels));
    const auto ours = AudioLoader(12000).load(path).samples;
    const auto reference =
        test::run_for_floats(std::string(venv) +
                             "/bin/python -c \"import sys, librosa; y, _ = librosa.load(sys.argv[1], sr=12000, "
                             "mono=True, res_type='soxr_hq'); sys.stdout.buffer.write(y.astype('<f4').tobytes())\" '" +
                             path + "' 2>/dev/null");
    if (reference.empty()) GTEST_SKIP() << "librosa not importable from " << venv;
    ASSERT_NEAR(static_cast<double>(reference.size()), static_cast<double>(ours.size()), 1.0) << path;
    EXPECT_LE(test::max_difference(ours, reference), 1e-5) << path;
  }
}

// The rubberband variant against the command line running the same filter on the same 12 kHz samples: identical
// except in the last 0.1 s, where the two flush the stretcher differently.
TEST_F(AudioDemoFiles, VariantMatchesTheFfmpegCommandLineUpToTheTail) {
  const auto mono = AudioLoader(12000).load(audio_path(first(DemoClipKind::kGood))).samples;
  const test::TempDir dir;
  const std::string raw = (dir.path() / "mono.f32").string();
  std::ofstream(raw, std::ios::binary)
      .write(reinterpret_cast<const char*>(mono.data()), static_cast<std::streamsize>(mono.size() * sizeof(float)));
  for (const AudioVariant& v : {AudioVariant{1, 1.1, 2.0}, AudioVariant{2, 0.8, -3.0}}) {
    const auto ours = apply_variant(mono, 12000, v);
    const auto cli = test::run_for_floats(
        fmt::format("ffmpeg -nostdin -v error -f f32le -ar 12000 -ac 1 -i '{}' -af rubberband=tempo={}:pitch={:.17g}:"
                    "transients=mixed -f f32le - 2>/dev/null",
                    raw, v.time_stretch, std::pow(2.0, v.pitch_shift / 12.0)));
    ASSERT_NEAR(static_cast<double>(cli.size()), static_cast<double>(ours.size()), 2.0);
    const size_t compared = ours.size() - 1200;
    EXPECT_LE(test::max_difference(std::vector<float>(ours.begin(), ours.begin() + compared), cli), 1e-6)
        << "tempo " << v.time_stretch << " pitch " << v.pitch_shift;
  }
}

}  // namespace
}  // namespace musictag::preprocess
