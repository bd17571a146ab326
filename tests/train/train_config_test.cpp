// TrainConfig / TrainSettings: section `train` defaults, ranges and cross-key rules, each error naming its key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster/errors.h"
#include "config_test_support.h"
#include "train/train_config.h"

namespace musictag::train {
namespace {

TrainConfig read(const std::string& yaml) { return test::read_section<TrainConfig>(yaml, "train", "test.yaml"); }

std::string error_of(const std::string& yaml) {
  return test::config_error_of([&] { read(yaml); });
}

TEST(TrainConfig, Defaults) {
  const auto c = read("{}");
  EXPECT_EQ(c.dataset, "out/dataset");
  EXPECT_EQ(c.output, "out/train");
  EXPECT_EQ(c.epochs, 50);
  EXPECT_EQ(c.batch_size, 16);
  EXPECT_EQ(c.input_frames, 0);
  EXPECT_EQ(c.variants, VariantPolicy::random);
  EXPECT_TRUE(c.drop_last);
  EXPECT_EQ(c.loader_threads, 2);
  EXPECT_EQ(c.prefetch_batches, 4);
  EXPECT_EQ(c.max_open_parts, 64);
  EXPECT_FALSE(c.verify_checksums);
  EXPECT_EQ(c.optimizer, OptimizerKind::adam);
  EXPECT_DOUBLE_EQ(c.learning_rate, 1e-3);
  EXPECT_DOUBLE_EQ(c.momentum, 0.9);
  EXPECT_DOUBLE_EQ(c.weight_decay, 0.0);
  EXPECT_EQ(c.betas, (std::vector<double>{0.9, 0.999}));
  EXPECT_DOUBLE_EQ(c.eps, 1e-8);
  EXPECT_EQ(c.warmup_steps, 0);
  EXPECT_EQ(c.schedule, LrSchedule::constant);
  EXPECT_EQ(c.step_size_epochs, 10);
  EXPECT_DOUBLE_EQ(c.step_gamma, 0.1);
  EXPECT_DOUBLE_EQ(c.min_lr_ratio, 0.0);
  EXPECT_FALSE(c.scale_lr_with_world);
  EXPECT_DOUBLE_EQ(c.grad_clip_norm, 0.0);
  EXPECT_EQ(c.accumulation_steps, 1);
  EXPECT_DOUBLE_EQ(c.bucket_cap_mb, 1.0);
  EXPECT_FALSE(c.sync_batchnorm);
  EXPECT_EQ(c.precision, Precision::fp32);
  EXPECT_FALSE(c.channels_last);
  EXPECT_EQ(c.seed, 0);
  EXPECT_FALSE(c.deterministic);
  EXPECT_EQ(c.device, DeviceChoice::automatic);
  EXPECT_EQ(c.checkpoint_every_steps, 0);
  EXPECT_EQ(c.keep_checkpoints, 3);
  EXPECT_EQ(c.early_stopping_patience, 0);
  EXPECT_FALSE(c.early_stopping());
  EXPECT_EQ(c.log_every_steps, 10);
  EXPECT_EQ(c.stop_check_steps, 10);
}

TEST(TrainConfig, StopCheckStepsIsCheckedAndNamed) {
  EXPECT_EQ(read("train: {stop_check_steps: 1}").stop_check_steps, 1);
  EXPECT_EQ(read("train: {stop_check_steps: 1000000}").stop_check_steps, 1000000);
  EXPECT_NE(error_of("train: {stop_check_steps: 0}")
                .find("train.stop_check_steps: expected an integer in "
                      "[1,1000000], got 0"),
            std::string::npos);
  EXPECT_NE(error_of("train: {stop_check_steps: 1000001}").find("train.stop_check_steps"), std::string::npos);
  EXPECT_NE(error_of("train: {stop_check_steps: -3}").find("train.stop_check_steps"), std::string::npos);
}

// Sync points: every stop_check_steps, and every log and checkpoint step (0 = off for those two).
TEST(TrainConfig, SyncsEveryStopCheckLogAndCheckpointStep) {
  const auto only_stop = read("train: {stop_check_steps: 3, log_every_steps: 0, checkpoint_every_steps: 0}");
  std::vector<int64_t> steps;
  for (int64_t step = 1; step <= 12; ++step)
    if (only_stop.sync_at_step(step)) steps.push_back(step);
  EXPECT_EQ(steps, (std::vector<int64_t>{3, 6, 9, 12}));

  const auto all = read("train: {stop_check_steps: 4, log_every_steps: 5, checkpoint_every_steps: 6}");
  steps.clear();
  for (int64_t step = 1; step <= 12; ++step)
    if (all.sync_at_step(step)) steps.push_back(step);
  EXPECT_EQ(steps, (std::vector<int64_t>{4, 5, 6, 8, 10, 12}));

  const auto defaults = read("{}");  // log every 10, stop check every 10: one sync point per 10 steps
  EXPECT_TRUE(defaults.sync_at_step(10));
  EXPECT_FALSE(defaults.sync_at_step(9));
  EXPECT_FALSE(defaults.sync_at_step(11));
}

TEST(TrainConfig, ReadsEveryKindOfValue) {
  const auto c = read(
      "train:\n  optimizer: sgd\n  learning_rate: 0.05\n  momentum: 0.5\n  schedule: cosine\n  min_lr_ratio: 0.1\n"
      "  betas: [0.8, 0.99]\n  variants: all\n  device: cuda\n  precision: bf16\n  accumulation_steps: 4\n"
      "  scale_lr_with_world: true\n  early_stopping_patience: 5\n");
  EXPECT_EQ(c.optimizer, OptimizerKind::sgd);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.05);
  EXPECT_DOUBLE_EQ(c.min_lr_ratio, 0.1);
  EXPECT_EQ(c.betas, (std::vector<double>{0.8, 0.99}));
  EXPECT_EQ(c.variants, VariantPolicy::all);
  EXPECT_EQ(c.precision, Precision::bf16);
  EXPECT_TRUE(c.early_stopping());
  EXPECT_DOUBLE_EQ(c.peak_learning_rate(4), 0.2);
  EXPECT_DOUBLE_EQ(read("{}").peak_learning_rate(4), 1e-3);  // no scaling by default
  EXPECT_EQ(c.examples_per_step(2), 16 * 4 * 2);
}

TEST(TrainConfig, FillsTheLoadersDataConfig) {
  const auto d = read(
                     "train: {dataset: data/x, input_frames: 64, variants: original, drop_last: false, "
                     "prefetch_batches: 8, loader_threads: 3, max_open_parts: 5, seed: 17, verify_checksums: true}")
                     .data_config();
  EXPECT_EQ(d.dataset, "data/x");
  EXPECT_EQ(d.input_frames, 64);
  EXPECT_EQ(d.variants, VariantPolicy::original);
  EXPECT_FALSE(d.drop_last);
  EXPECT_EQ(d.prefetch_batches, 8);
  EXPECT_EQ(d.loader_threads, 3);
  EXPECT_EQ(d.max_open_parts, 5);
  EXPECT_EQ(d.seed, 17u);
  EXPECT_TRUE(d.verify_checksums);
}

TEST(TrainConfig, RangesNameKeyRangeAndValue) {
  EXPECT_NE(error_of("train: {epochs: 0}").find("train.epochs: expected an integer in [1,1000000], got 0"),
            std::string::npos);
  EXPECT_NE(error_of("train: {learning_rate: 0}").find("train.learning_rate"), std::string::npos);
  EXPECT_NE(error_of("train: {learning_rate: -1}").find("(0,10]"), std::string::npos);
  EXPECT_NE(error_of("train: {momentum: 1.0}").find("train.momentum"), std::string::npos);
  EXPECT_NE(error_of("train: {step_gamma: 0}").find("train.step_gamma"), std::string::npos);
  EXPECT_NE(error_of("train: {keep_checkpoints: 0}").find("train.keep_checkpoints"), std::string::npos);
  EXPECT_NE(error_of("train: {bucket_cap_mb: 0}").find("train.bucket_cap_mb"), std::string::npos);
  EXPECT_NE(error_of("train: {grad_clip_norm: -0.5}").find("train.grad_clip_norm"), std::string::npos);
  EXPECT_NE(error_of("train: {accumulation_steps: 0}").find("train.accumulation_steps"), std::string::npos);
  EXPECT_NE(error_of("train: {optimizer: adamw}").find("train.optimizer: expected one of {adam,sgd}, got 'adamw'"),
            std::string::npos);
  EXPECT_NE(error_of("train: {schedule: linear}").find("{constant,cosine,step}"), std::string::npos);
  EXPECT_NE(error_of("train: {precision: fp8}").find("train.precision"), std::string::npos);
  EXPECT_NE(error_of("train: {device: tpu}").find("train.device"), std::string::npos);
  EXPECT_NE(error_of("train: {variants: some}").find("train.variants"), std::string::npos);
  EXPECT_NE(error_of("train: {betas: [0.9, 1.0]}").find("train.betas"), std::string::npos);
  EXPECT_NE(error_of("train: {drop_last: maybe}").find("train.drop_last: expected true or false"), std::string::npos);
  EXPECT_NE(error_of("train: {loader_threads: 0}").find("train.loader_threads"), std::string::npos);
  EXPECT_NE(error_of("train: {prefetch_batches: 257}").find("train.prefetch_batches"), std::string::npos);
  EXPECT_NE(error_of("train: {seed: -1}").find("train.seed"), std::string::npos);
  EXPECT_NE(error_of("train: {epoch: 3}").find("unknown key epoch in section 'train'"), std::string::npos);
}

TEST(TrainConfig, CrossKeyRulesNameTheKey) {
  EXPECT_NE(error_of("train: {betas: [0.9]}").find("train.betas: expected exactly two values"), std::string::npos);
  EXPECT_NE(error_of("train: {betas: [0.9, 0.99, 0.999]}").find("train.betas"), std::string::npos);
  EXPECT_NE(error_of("train: {min_lr_ratio: 0.1}").find("train.min_lr_ratio: applies only to schedule cosine"),
            std::string::npos);
  EXPECT_NE(error_of("train: {min_lr_ratio: 0.1, schedule: step}").find("'step'"), std::string::npos);
  EXPECT_NE(error_of("train: {precision: fp16, device: cpu}").find("train.precision: 'fp16' needs a CUDA device"),
            std::string::npos);
  EXPECT_NO_THROW(read("train: {precision: fp16, device: auto}"));
  EXPECT_NO_THROW(read("train: {min_lr_ratio: 0.1, schedule: cosine}"));
}

TEST(TrainSettings, ReadsModelAndTrainAndResolvesTheConfig) {
  auto file = cluster::ConfigFile::from_string(
      "model: {n_mels: 48, n_frames: 256, pool_sizes: \"2x2,2x2,2x2,2x2\"}\ntrain: {epochs: 3, input_frames: 128}\n",
      "demo.yaml");
  const auto settings = TrainSettings::read(file);
  file.finish();
  EXPECT_EQ(settings.model.n_mels(), 48);
  EXPECT_EQ(settings.train.epochs, 3);
  EXPECT_EQ(settings.train.input_frames, 128);
  EXPECT_NE(settings.resolved_config.find("epochs: 3"), std::string::npos);
  EXPECT_NE(settings.resolved_config.find("keep_checkpoints: 3"), std::string::npos);  // defaults written out
  EXPECT_NE(settings.resolved_config.find("n_mels: 48"), std::string::npos);
}

TEST(TrainSettings, CropMustLeaveATimeStepUnderThePools) {
  auto file = cluster::ConfigFile::from_string("train: {input_frames: 95}\n", "demo.yaml");  // paper pools: 96
  try {
    TrainSettings::read(file);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("demo.yaml: train.input_frames: a crop of 95 frames leaves no time step"),
              std::string::npos)
        << e.what();
  }
  auto ok = cluster::ConfigFile::from_string("train: {input_frames: 96}\n", "demo.yaml");
  EXPECT_NO_THROW(TrainSettings::read(ok));
}

}  // namespace
}  // namespace musictag::train
