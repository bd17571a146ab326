// The trainer's sync points across ranks: a stop request on one rank stops every rank at the same step, within
// train.stop_check_steps steps (or at the epoch end), and the resumed run ends where an uninterrupted one does.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "cluster/comm/communicator.h"
#include "cluster/config_file.h"
#include "cluster/world.h"
#include "data_test_support.h"
#include "train/stop_signal.h"
#include "train/train_config.h"
#include "train/trainer.h"

namespace musictag::train {
namespace {

// Training and validation splits (18 examples each with variants: all) under one manifest.
void write_two_split_dataset(const std::string& root) {
  testing::write_test_dataset(root, testing::default_spec());
  preprocess::Manifest merged = preprocess::load_manifest(root + "/manifest.json");
  testing::DatasetSpec validation = testing::default_spec();
  validation.split = "validation";
  validation.seed = 2;
  testing::write_test_dataset(root, validation);
  const preprocess::Manifest second = preprocess::load_manifest(root + "/manifest.json");
  for (const auto& part : second.parts) merged.parts.push_back(part);
  merged.counts["validation"] = second.counts.at("validation");
  preprocess::write_manifest(merged, root + "/manifest.json");
}

// A tiny CRNN on 8 mel bins x 16 frames, deterministic on the CPU; `extra`: more train keys ("epochs: 2, ...").
TrainSettings settings(const std::string& root, const std::string& output, const std::string& extra) {
  const std::string yaml = fmt::format(
      "model: {{kind: crnn, n_mels: 8, n_frames: 16, conv_channels: [4, 4], pool_sizes: [2x2, 2x2], gru_hidden: 4, "
      "gru_layers: 1, conv_dropout: 0.1, gru_dropout: 0}}\n"
      "train: {{dataset: '{}', output: '{}', batch_size: 2, input_frames: 16, variants: all, device: cpu, "
      "deterministic: true, loader_threads: 1, log_every_steps: 0, learning_rate: 0.01, {}}}\n",
      root, output, extra);
  auto file = cluster::ConfigFile::from_string(yaml, "stop-test.yaml");
  TrainSettings result = TrainSettings::read(file);
  file.finish();
  return result;
}

class TrainerStopTest : public testing::DataFolderTest {
 protected:
  void SetUp() override {
    DataFolderTest::SetUp();
    comm_ = cluster::make_communicator(world_, cluster::Backend::Mpi);
    if (world_.rank == 0) write_two_split_dataset(folder());
    root_ = comm_->all_gather(folder())[0];  // rank 0's folder, written before anyone gets its name
    clear_stop_request();
  }
  void TearDown() override {
    clear_stop_request();
    comm_->barrier();  // nobody reads rank 0's folder any more
    DataFolderTest::TearDown();
  }

  // Every rank's value of `value`, checked equal; returns it.
  int64_t same_on_every_rank(int64_t value) {
    for (const int64_t other : comm_->all_gather(value)) EXPECT_EQ(other, value);
    return value;
  }

  const cluster::World& world_ = cluster::World::resolve();
  std::unique_ptr<cluster::Communicator> comm_;
  std::string root_;
};

TEST_F(TrainerStopTest, AStopOnTheLastRankStopsEveryRankAtTheFirstStopCheckAndTheResumeEndsAsUninterrupted) {
  const std::string keys = "epochs: 2, stop_check_steps: 3";
  const TrainOutcome reference = run_training(world_, settings(root_, root_ + "/reference", keys), "none");
  ASSERT_EQ(reference.exit_code, 0);
  const int64_t steps_per_epoch = reference.steps / 2;
  ASSERT_GT(steps_per_epoch, 3) << "the stop check must come before the epoch end";

  if (world_.rank == world_.size - 1) request_stop();  // as SIGUSR1 on one rank only would
  const TrainSettings stopped = settings(root_, root_ + "/stopped", keys);
  const TrainOutcome first = run_training(world_, stopped, "none");
  EXPECT_EQ(same_on_every_rank(first.exit_code), kExitPreempted);
  EXPECT_EQ(same_on_every_rank(first.steps), 3);  // the first sync point: within stop_check_steps of the request

  clear_stop_request();
  const TrainOutcome resumed = run_training(world_, stopped, "auto");
  EXPECT_EQ(resumed.exit_code, 0);
  EXPECT_EQ(resumed.steps, reference.steps);
  ASSERT_TRUE(resumed.best_loss && reference.best_loss);
  EXPECT_EQ(*resumed.best_loss, *reference.best_loss);  // deterministic CPU: the same weights give the same loss
  EXPECT_EQ(resumed.best_epoch, reference.best_epoch);
}

TEST_F(TrainerStopTest, WithoutAStopCheckInTheEpochTheEpochEndStopsEveryRankAfterItsCheckpoint) {
  if (world_.rank == 0) request_stop();
  const TrainOutcome outcome =
      run_training(world_, settings(root_, root_ + "/epoch-end", "epochs: 2, stop_check_steps: 1000"), "none");
  EXPECT_EQ(same_on_every_rank(outcome.exit_code), kExitPreempted);
  EXPECT_EQ(same_on_every_rank(outcome.epochs_done), 1);
  same_on_every_rank(outcome.steps);
  if (world_.rank == 0) {
    EXPECT_NE(outcome.last_checkpoint.find("checkpoint-"), std::string::npos);
  }
}

TEST_F(TrainerStopTest, AStopDuringTheLastEpochLetsTheRunFinish) {
  request_stop();
  const TrainOutcome outcome =
      run_training(world_, settings(root_, root_ + "/last", "stop_check_steps: 1000, epochs: 1"), "none");
  EXPECT_EQ(same_on_every_rank(outcome.exit_code), 0);  // nothing left to resume: the run is complete
  EXPECT_EQ(outcome.epochs_done, 1);
}

}  // namespace
}  // namespace musictag::train
