// prepare_output_folder: new, resumed, different-config (refused / overwritten) and foreign folders.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cluster/errors.h"
#include "preprocess/output_folder.h"

namespace musictag::preprocess {
namespace {
namespace fs = std::filesystem;

class OutputFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("musictag-output-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    folder_.root = root_.string();
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const fs::path& path) { std::ofstream(path) << "x"; }

  fs::path root_;
  OutputFolder folder_;
  const std::string config_a_ = "features:\n  n_mels: 96\n  hop_length: 256\npreprocess:\n  part_size: 8\n";
  const std::string config_b_ = "features:\n  n_mels: 48\n  hop_length: 256\npreprocess:\n  part_size: 8\n";
};

TEST_F(OutputFolderTest, NewFolderGetsPartsAndConfig) {
  prepare_output_folder(folder_, config_a_, false);
  EXPECT_TRUE(fs::is_directory(folder_.parts_dir()));
  EXPECT_TRUE(fs::exists(folder_.config_path()));
  EXPECT_EQ(OutputFolder::part_name("training", 3), "parts/training-00003.h5");
}

TEST_F(OutputFolderTest, SameConfigKeepsFinishedParts) {
  prepare_output_folder(folder_, config_a_, false);
  touch(folder_.part_path("training", 0));
  prepare_output_folder(folder_, config_a_, false);
  EXPECT_TRUE(fs::exists(folder_.part_path("training", 0)));
}

TEST_F(OutputFolderTest, DifferentConfigIsRefusedNamingTheKey) {
  prepare_output_folder(folder_, config_a_, false);
  touch(folder_.part_path("training", 0));
  try {
    prepare_output_folder(folder_, config_b_, false);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("features.n_mels"), std::string::npos) << message;
    EXPECT_NE(message.find("--overwrite"), std::string::npos) << message;
    EXPECT_EQ(message.find("hop_length"), std::string::npos) << message;
  }
  EXPECT_TRUE(fs::exists(folder_.part_path("training", 0)));
}

TEST_F(OutputFolderTest, OverwriteDiscardsTheEarlierRun) {
  prepare_output_folder(folder_, config_a_, false);
  touch(folder_.part_path("training", 0));
  touch(folder_.manifest_path());
  prepare_output_folder(folder_, config_b_, true);
  EXPECT_FALSE(fs::exists(folder_.part_path("training", 0)));
  EXPECT_FALSE(fs::exists(folder_.manifest_path()));
  EXPECT_TRUE(fs::is_directory(folder_.parts_dir()));
}

TEST_F(OutputFolderTest, ForeignNonEmptyFolderIsNeverTouched) {
  fs::create_directories(root_);
  touch(root_ / "thesis.tex");
  EXPECT_THROW(prepare_output_folder(folder_, config_a_, true), ConfigError);
  EXPECT_TRUE(fs::exists(root_ / "thesis.tex"));
}

TEST(DifferingKeys, ListsChangedAddedAndRemovedKeys) {
  const auto keys = differing_keys("a: {x: 1, y: [1, 2]}\nb: {z: 3}", "a: {x: 1, y: [1, 3]}\nb: {w: 4}");
  EXPECT_EQ(keys, (std::vector<std::string>{"a.y", "b.w", "b.z"}));
}

}  // namespace
}  // namespace musictag::preprocess
