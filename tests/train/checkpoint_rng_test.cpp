// RngState: restoring the captured generator state reproduces the same random numbers; bad states are refused.
#include <gtest/gtest.h>

#include <torch/cuda.h>
#include <torch/types.h>

#include "cluster/errors.h"
#include "train/rng_state.h"

namespace musictag::train {
namespace {

TEST(RngState, RestoreReproducesTheSameRandomNumbers) {
  seed_torch(123);
  torch::rand({5});  // move the generator away from its seed
  const auto state = capture_rng_state({{"epoch", 3}});
  const auto first = torch::randn({64});
  const auto drop = torch::dropout(torch::ones({256}), 0.5, /*train=*/true);
  const auto ints = torch::randint(0, 1000, {16});

  torch::manual_seed(999);
  torch::rand({100});
  restore_rng_state(state);
  EXPECT_TRUE(torch::equal(torch::randn({64}), first));
  EXPECT_TRUE(torch::equal(torch::dropout(torch::ones({256}), 0.5, true), drop));
  EXPECT_TRUE(torch::equal(torch::randint(0, 1000, {16}), ints));
  EXPECT_EQ(state.counters.at("epoch"), 3);
  EXPECT_EQ(state.cpu.scalar_type(), torch::kByte);
  EXPECT_TRUE(state.cuda.empty() || torch::cuda::is_available());
}

TEST(RngState, NormalSamplesCachedByTheGeneratorAreRestoredToo) {
  // at::normal on a scalar path caches the second Box-Muller value; the state includes it.
  seed_torch(5);
  torch::randn({1}, torch::kDouble);
  const auto state = capture_rng_state();
  const auto next = torch::randn({3}, torch::kDouble);
  restore_rng_state(state);
  EXPECT_TRUE(torch::equal(torch::randn({3}, torch::kDouble), next));
}

TEST(RngState, EqualityIsBitwise) {
  seed_torch(1);
  const auto a = capture_rng_state({{"k", 1}});
  EXPECT_TRUE(a == capture_rng_state({{"k", 1}}));
  EXPECT_FALSE(a == capture_rng_state({{"k", 2}}));
  torch::rand({1});
  EXPECT_FALSE(a == capture_rng_state({{"k", 1}}));
}

TEST(RngState, MalformedStateIsADataError) {
  RngState missing;
  EXPECT_THROW(restore_rng_state(missing), DataError);
  RngState wrong;
  wrong.cpu = torch::zeros({10}, torch::kByte);
  EXPECT_THROW(restore_rng_state(wrong), DataError);
  wrong.cpu = torch::zeros({5056}, torch::kFloat);
  EXPECT_THROW(restore_rng_state(wrong), DataError);
}

TEST(RngState, DeterminismSwitchesAtenGlobalFlags) {
  apply_determinism(true);
  EXPECT_TRUE(at::globalContext().deterministicAlgorithms());
  EXPECT_TRUE(at::globalContext().deterministicCuDNN());
  EXPECT_FALSE(at::globalContext().benchmarkCuDNN());
  apply_determinism(false);
  EXPECT_FALSE(at::globalContext().deterministicAlgorithms());
}

}  // namespace
}  // namespace musictag::train
