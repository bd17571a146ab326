// The demo's audio decoded with libavformat/libavcodec: good clips are 30 s +- 0.1 s at 44.1 kHz, the broken
// ones are what the sidecar says (zero bytes, truncated, not an MP3, 5 s, silent, missing); FMA file paths.
#include <gtest/gtest.h>

#include "demo_test_support.h"
#include "preprocess/demo/demo_plan.h"

namespace musictag::preprocess {
namespace {

constexpr int kTracks = 24;
constexpr uint64_t kSeed = 7;

class DemoAudioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = test::cached_demo_dataset(kTracks, kSeed);
    plan_ = plan_demo_dataset(kTracks, kSeed);
  }
  test::fs::path path_of(const DemoTrack& t) const { return root_ / "audio" / demo_audio_relative_path(t.id); }
  const DemoTrack& track_of(DemoClipKind kind) const {
    for (const DemoTrack& t : plan_.tracks) {
      if (t.kind == kind) return t;
    }
    throw std::runtime_error("no track of this kind");
  }
  test::fs::path root_;
  DemoPlan plan_;
};

TEST_F(DemoAudioFiles, GoodClipsDecodeTo30SecondsAt44100Hz) {
  int good = 0;
  for (const DemoTrack& t : plan_.tracks) {
    if (t.kind != DemoClipKind::kGood) continue;
    ++good;
    const test::DecodeResult d = test::decode_audio(path_of(t));
    EXPECT_EQ(d.error, "") << path_of(t);
    EXPECT_EQ(d.sample_rate, 44100) << path_of(t);
    EXPECT_EQ(d.channels, t.channels) << path_of(t);
    EXPECT_NEAR(d.seconds(), 30.0, 0.1) << path_of(t);
    EXPECT_GT(d.peak, 0.05) << path_of(t);
    EXPECT_LE(d.peak, 1.2) << path_of(t);
    // Size matches the constant bit rate: 30 s at bit_rate, +- 5% for headers and padding.
    const double expected_bytes = 30.0 * t.bit_rate / 8;
    EXPECT_NEAR(static_cast<double>(test::fs::file_size(path_of(t))), expected_bytes, 0.05 * expected_bytes);
  }
  EXPECT_EQ(good, kTracks - 6);
}

TEST_F(DemoAudioFiles, ZeroByteFileIsEmptyAndDoesNotOpen) {
  const auto path = path_of(track_of(DemoClipKind::kZeroBytes));
  EXPECT_EQ(test::fs::file_size(path), 0u);
  const test::DecodeResult d = test::decode_audio(path);
  EXPECT_FALSE(d.opened);
  EXPECT_NE(d.error, "");
}

TEST_F(DemoAudioFiles, TruncatedFileIsAThirdAndDecodesShort) {
  const DemoTrack& t = track_of(DemoClipKind::kTruncated);
  const double full = 30.0 * t.bit_rate / 8;
  const auto size = static_cast<double>(test::fs::file_size(path_of(t)));
  EXPECT_NEAR(size, full / 3, full * 0.05);
  const test::DecodeResult d = test::decode_audio(path_of(t));
  EXPECT_GT(d.seconds(), 5.0);
  EXPECT_LT(d.seconds(), 15.0) << "a truncated clip must not decode to full length";
}

TEST_F(DemoAudioFiles, TextFileRenamedMp3IsNotAudio) {
  const auto path = path_of(track_of(DemoClipKind::kNotMp3));
  EXPECT_NE(test::read_bytes(path).find("404 Not Found"), std::string::npos);
  const test::DecodeResult d = test::decode_audio(path);
  EXPECT_EQ(d.samples, 0);
  EXPECT_NE(d.error, "");
}

TEST_F(DemoAudioFiles, ShortClipLastsFiveSeconds) {
  const DemoTrack& t = track_of(DemoClipKind::kShort);
  const test::DecodeResult d = test::decode_audio(path_of(t));
  EXPECT_EQ(d.error, "");
  EXPECT_NEAR(d.seconds(), 5.0, 0.1);
  EXPECT_GT(d.peak, 0.05);
}

TEST_F(DemoAudioFiles, SilentClipIsAllZeros) {
  const test::DecodeResult d = test::decode_audio(path_of(track_of(DemoClipKind::kSilent)));
  EXPECT_EQ(d.error, "");
  EXPECT_NEAR(d.seconds(), 30.0, 0.1);
  EXPECT_EQ(d.peak, 0.0);
}

TEST_F(DemoAudioFiles, MissingTrackHasNoFileButARow) {
  const DemoTrack& t = track_of(DemoClipKind::kMissing);
  EXPECT_FALSE(test::fs::exists(path_of(t)));
  const std::string csv = test::read_bytes(root_ / "fma_metadata" / "tracks.csv");
  EXPECT_NE(csv.find("\n" + std::to_string(t.id) + ","), std::string::npos);
}

TEST_F(DemoAudioFiles, FilesSitAtFmaPathsAndTheSidecarNamesTheBadOnes) {
  const std::string readme = test::read_bytes(root_ / "fma_metadata" / "README_demo.txt");
  int bad = 0;
  for (const DemoTrack& t : plan_.tracks) {
    const auto path = root_ / "audio" / demo_audio_relative_path(t.id);
    EXPECT_EQ(test::fs::exists(path), t.kind != DemoClipKind::kMissing) << path;
    if (t.kind == DemoClipKind::kGood) continue;
    ++bad;
    EXPECT_NE(readme.find(demo_audio_relative_path(t.id) + "  track_id " + std::to_string(t.id) + "  " +
                          demo_clip_kind_name(t.kind)),
              std::string::npos);
  }
  EXPECT_EQ(bad, 6);
  EXPECT_EQ(demo_audio_relative_path(2), "000/000002.mp3");
  EXPECT_EQ(demo_audio_relative_path(133297), "133/133297.mp3");
  // Nothing half-written is left behind.
  for (const auto& entry : test::fs::recursive_directory_iterator(root_)) {
    EXPECT_EQ(entry.path().string().find(".partial"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace musictag::preprocess
