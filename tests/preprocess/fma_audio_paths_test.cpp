// FMA audio paths: NNN/NNNNNN.mp3 below dataset.audio_dir, pointing at the files the demo generator wrote.
#include <gtest/gtest.h>

#include <regex>

#include "dataset_test_support.h"
#include "preprocess/sources/dataset_loader.h"
#include "preprocess/sources/fma_dataset.h"

namespace musictag::preprocess {
namespace {

TEST(FmaAudioPath, IsThreeDigitFolderAndSixDigitName) {
  EXPECT_EQ(fma_audio_relative_path(2), "000/000002.mp3");
  EXPECT_EQ(fma_audio_relative_path(133297), "133/133297.mp3");
  EXPECT_EQ(fma_audio_relative_path(99134), "099/099134.mp3");
}

// With audio: the paths point at the generator's files (bad clips too: missing audio is the decoder's business).
TEST(FmaDatasetAudio, PathsAreNnnSlashNnnnnnMp3AndExistForGoodTracks) {
  const test::fs::path root = test::cached_demo_dataset(24, 7);
  const auto index = load_dataset(test::dataset_config("{root: " + root.string() + ", subset: full}"));
  const DemoPlan plan = plan_demo_dataset(24, 7);
  std::map<int64_t, DemoClipKind> kind;
  for (const auto& t : plan.tracks) kind[t.id] = t.kind;
  ASSERT_GT(index.tracks.size(), 12u);
  const std::regex pattern(R"(.*/audio/(\d{3})/(\d{6})\.mp3)");
  for (const auto& track : index.tracks) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(track.audio_path, m, pattern)) << track.audio_path;
    EXPECT_EQ(std::stoll(m[2].str()), track.track_id);
    EXPECT_EQ(m[1].str(), m[2].str().substr(0, 3));
    EXPECT_EQ(test::fs::path(track.audio_path).parent_path().parent_path(), root / "audio");
    if (kind.at(track.track_id) == DemoClipKind::kGood) {
      EXPECT_TRUE(test::fs::is_regular_file(track.audio_path)) << track.audio_path;
      EXPECT_GT(test::fs::file_size(track.audio_path), 1000u) << track.audio_path;
    }
    if (kind.at(track.track_id) == DemoClipKind::kMissing) {
      EXPECT_FALSE(test::fs::exists(track.audio_path)) << track.audio_path;
    }
  }
}

}  // namespace
}  // namespace musictag::preprocess
