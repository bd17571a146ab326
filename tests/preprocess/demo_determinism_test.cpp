// Same seed, byte-identical dataset (also with a different thread count); another seed, different data;
// the output-folder rules (refuse non-empty, --overwrite replaces audio/ and fma_metadata/ only; for --format jamendo
// its own files only).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "cluster/errors.h"
#include "demo_test_support.h"
#include "preprocess/demo/demo_plan.h"

namespace musictag::preprocess {
namespace {

constexpr int kTracks = 24;
constexpr uint64_t kSeed = 7;

// Every regular file under `root`, relative path -> bytes.
std::map<std::string, std::string> snapshot(const test::fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : test::fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[test::fs::relative(entry.path(), root).string()] = test::read_bytes(entry.path());
    }
  }
  return files;
}

TEST(DemoDeterminism, SameSeedGivesByteIdenticalFilesWhateverTheThreadCount) {
  const test::fs::path cached = test::cached_demo_dataset(kTracks, kSeed);  // written with 2 threads
  test::TempDir dir;
  DemoDatasetOptions options;
  options.output = (dir.path() / "again").string();
  options.tracks = kTracks;
  options.seed = kSeed;
  options.threads = 1;
  make_demo_dataset(options);
  const auto a = snapshot(cached), b = snapshot(options.output);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_GE(a.size(), static_cast<size_t>(kTracks - 1 + 3));  // mp3s (one missing) + 3 metadata files
  for (const auto& [name, bytes] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    EXPECT_TRUE(bytes == b.at(name)) << name << " differs between two runs with seed " << kSeed;
  }
}

TEST(DemoDeterminism, AnotherSeedGivesOtherMetadataAndAudio) {
  const test::fs::path cached = test::cached_demo_dataset(kTracks, kSeed);
  test::TempDir dir;
  DemoDatasetOptions options;
  options.output = dir.path().string();
  options.tracks = kTracks;
  options.seed = kSeed + 1;
  make_demo_dataset(options);
  const auto read = [](const test::fs::path& root, const char* name) {
    return test::read_bytes(root / "fma_metadata" / name);
  };
  EXPECT_NE(read(cached, "tracks.csv"), read(dir.path(), "tracks.csv"));
  // Track 2 (FMA's first id) exists in both; its clip must differ unless it is broken in one of them.
  const auto a = test::read_bytes(cached / "audio" / demo_audio_relative_path(2));
  const auto b = test::read_bytes(dir.path() / "audio" / demo_audio_relative_path(2));
  if (a.size() > 100000 && b.size() > 100000) {
    EXPECT_NE(a, b);
  }
}

TEST(DemoOutputFolder, RefusesANonEmptyFolderAndNamesIt) {
  test::TempDir dir;
  { std::ofstream(dir.path() / "precious.txt") << "keep me"; }
  DemoDatasetOptions options;
  options.output = dir.path().string();
  options.tracks = 12;
  try {
    make_demo_dataset(options);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path().string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(test::fs::exists(dir.path() / "audio"));
}

TEST(DemoOutputFolder, OverwriteReplacesOnlyTheDatasetFolders) {
  test::TempDir dir;
  { std::ofstream(dir.path() / "precious.txt") << "keep me"; }
  test::fs::create_directories(dir.path() / "audio" / "999");
  { std::ofstream(dir.path() / "audio" / "999" / "999999.mp3") << "stale"; }
  DemoDatasetOptions options;
  options.output = dir.path().string();
  options.tracks = 12;
  options.overwrite = true;
  make_demo_dataset(options);
  EXPECT_TRUE(test::fs::exists(dir.path() / "precious.txt"));
  EXPECT_FALSE(test::fs::exists(dir.path() / "audio" / "999"));
  EXPECT_TRUE(test::fs::exists(dir.path() / "fma_metadata" / "tracks.csv"));
}

// --format jamendo owns audio/, splits/, tags/, autotagging*.tsv and README_demo.txt, and its audio sits at PATH.
TEST(DemoOutputFolder, JamendoFormatOverwritesOnlyItsOwnFiles) {
  test::TempDir dir;
  { std::ofstream(dir.path() / "precious.txt") << "keep me"; }
  test::fs::create_directories(dir.path() / "splits" / "split-9");
  { std::ofstream(dir.path() / "splits" / "split-9" / "stale.tsv") << "stale"; }
  DemoDatasetOptions options;
  options.output = dir.path().string();
  options.tracks = 12;
  options.format = DemoFormat::jamendo;
  EXPECT_THROW(make_demo_dataset(options), ConfigError);
  options.overwrite = true;
  const DemoDatasetSummary summary = make_demo_dataset(options);
  EXPECT_TRUE(test::fs::exists(dir.path() / "precious.txt"));
  EXPECT_FALSE(test::fs::exists(dir.path() / "splits" / "split-9"));
  EXPECT_FALSE(test::fs::exists(dir.path() / "fma_metadata"));
  for (const char* file : {"autotagging.tsv", "autotagging_top50tags.tsv", "autotagging_genre.tsv",
                           "autotagging_instrument.tsv", "autotagging_moodtheme.tsv", "tags/top50.txt",
                           "splits/split-4/autotagging_moodtheme-validation.tsv", "README_demo.txt"})
    EXPECT_TRUE(test::fs::exists(dir.path() / file)) << file;
  for (const auto& [id, kind] : summary.bad_tracks) {
    const auto path = dir.path() / "audio" / fmt::format("{:02d}/{}.mp3", id % 100, id);
    EXPECT_EQ(test::fs::exists(path), kind != DemoClipKind::kMissing) << path;
  }
}

TEST(DemoOutputFolder, RejectsBadOptions) {
  test::TempDir dir;
  DemoDatasetOptions options;
  options.output = (dir.path() / "out").string();
  options.tracks = kDemoMinTracks - 1;
  EXPECT_THROW(make_demo_dataset(options), ConfigError);
  options.tracks = 12;
  options.threads = -1;
  EXPECT_THROW(make_demo_dataset(options), ConfigError);
  options.output = "";
  options.threads = 0;
  EXPECT_THROW(make_demo_dataset(options), ConfigError);
}

}  // namespace
}  // namespace musictag::preprocess
