// CheckpointDirectory and find_latest_checkpoint: partial files ignored, stale `latest`, keep-last-K, best.pt.
#include <gtest/gtest.h>

#include <torch/optim/adam.h>

#include <fstream>
#include <string>
#include <vector>

#include "checkpoint_test_support.h"
#include "cluster/files.h"
#include "train/checkpoint_directory.h"
#include "train/models/crnn.h"

namespace musictag::train {
namespace {

class CheckpointDirectoryTest : public ::testing::Test {
 protected:
  std::string save(CheckpointDirectory& directory, int64_t step) {
    CheckpointInfo info;
    info.progress.step = step;
    return directory.save(*model, adam, info, capture_rng_state());
  }
  std::string at(const std::string& name) const { return join_path(dir(), name); }
  std::string dir() const { return temp.at("run/checkpoints"); }  // created by CheckpointDirectory
  static void touch(const std::string& path, const std::string& text = "junk") { std::ofstream(path) << text; }

  TempFolder temp;
  Crnn model{CrnnOptions(2).n_mels(4).n_frames(4).conv_channels({2}).pool_sizes({{2, 2}}).gru_hidden(2)};
  torch::optim::Adam adam{model->parameters()};
};

TEST_F(CheckpointDirectoryTest, FileNames) {
  EXPECT_EQ(checkpoint_file_name(120), "checkpoint-120.pt");
  EXPECT_EQ(checkpoint_step_of("checkpoint-120.pt"), 120);
  EXPECT_EQ(checkpoint_step_of("checkpoint-0.pt"), 0);
  EXPECT_FALSE(checkpoint_step_of("checkpoint-120.pt.partial"));
  EXPECT_FALSE(checkpoint_step_of("checkpoint-.pt"));
  EXPECT_FALSE(checkpoint_step_of("checkpoint-1x.pt"));
  EXPECT_FALSE(checkpoint_step_of("best.pt"));
  EXPECT_FALSE(checkpoint_step_of("latest"));
}

TEST_F(CheckpointDirectoryTest, NoFolderOrNoCheckpointMeansStartFresh) {
  EXPECT_FALSE(find_latest_checkpoint(dir()));
  make_folders(dir());
  touch(at("checkpoint-9.pt.partial"));
  touch(at("best.pt"));
  EXPECT_FALSE(find_latest_checkpoint(dir()));
}

TEST_F(CheckpointDirectoryTest, SaveWritesLatestAndLeavesNoPartial) {
  CheckpointDirectory directory(dir(), 3);
  const auto path = save(directory, 10);
  EXPECT_EQ(path, at("checkpoint-10.pt"));
  EXPECT_EQ(read_whole_file(at("latest")), "checkpoint-10.pt\n");
  EXPECT_EQ(load_checkpoint_metadata(path).info.progress.step, 10);
  for (const auto& entry : regular_files_in(dir())) EXPECT_EQ(entry.find(".partial"), std::string::npos) << entry;
  EXPECT_EQ(find_latest_checkpoint(dir()), path);
}

TEST_F(CheckpointDirectoryTest, LeftoverPartialIsIgnored) {
  CheckpointDirectory directory(dir(), 3);
  save(directory, 10);
  touch(at("checkpoint-20.pt.partial"));  // a write that was interrupted
  EXPECT_EQ(find_latest_checkpoint(dir()), at("checkpoint-10.pt"));
  CheckpointDirectory reopened(dir(), 3);  // a new run cleans it up
  EXPECT_FALSE(is_regular_file(at("checkpoint-20.pt.partial")));
}

TEST_F(CheckpointDirectoryTest, LatestPointingToADeletedFileFallsBackToTheNewestComplete) {
  CheckpointDirectory directory(dir(), 5);
  save(directory, 10);
  save(directory, 20);
  save(directory, 30);
  remove_file(at("checkpoint-30.pt"));
  EXPECT_EQ(read_whole_file(at("latest")), "checkpoint-30.pt\n");
  EXPECT_EQ(find_latest_checkpoint(dir()), at("checkpoint-20.pt"));
}

TEST_F(CheckpointDirectoryTest, StaleLatestLosesToANewerCompleteCheckpoint) {
  CheckpointDirectory directory(dir(), 5);
  save(directory, 10);
  save(directory, 20);
  write_file_atomically(at("latest"), "checkpoint-10.pt\n");  // a crash after the rename, before `latest`
  EXPECT_EQ(find_latest_checkpoint(dir()), at("checkpoint-20.pt"));
  write_file_atomically(at("latest"), "garbage");
  EXPECT_EQ(find_latest_checkpoint(dir()), at("checkpoint-20.pt"));
  remove_file(at("latest"));
  EXPECT_EQ(find_latest_checkpoint(dir()), at("checkpoint-20.pt"));
}

TEST_F(CheckpointDirectoryTest, KeepLastKDeletesTheOldestButNeverBest) {
  CheckpointDirectory directory(dir(), 2);
  const auto first = save(directory, 1);
  directory.mark_best(first);
  save(directory, 2);
  save(directory, 3);
  save(directory, 4);
  EXPECT_EQ(directory.checkpoints(), (std::vector<std::string>{at("checkpoint-3.pt"), at("checkpoint-4.pt")}));
  EXPECT_FALSE(is_regular_file(first));
  ASSERT_TRUE(is_regular_file(directory.best_path()));
  EXPECT_EQ(load_checkpoint_metadata(directory.best_path()).info.progress.step, 1);
  EXPECT_EQ(find_latest_checkpoint(dir()), at("checkpoint-4.pt"));  // best.pt is not a candidate

  directory.mark_best(at("checkpoint-4.pt"));  // a new best replaces the old one
  EXPECT_EQ(load_checkpoint_metadata(directory.best_path()).info.progress.step, 4);
  save(directory, 5);
  save(directory, 6);
  EXPECT_FALSE(is_regular_file(at("checkpoint-4.pt")));
  EXPECT_EQ(load_checkpoint_metadata(directory.best_path()).info.progress.step, 4);
}

}  // namespace
}  // namespace musictag::train
