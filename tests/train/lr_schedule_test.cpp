// learning_rate_at: warm-up and the constant / cosine / step shapes against their closed forms (1e-12).
#include <gtest/gtest.h>

#include <torch/optim/adam.h>

#include <cmath>
#include <stdexcept>

#include "train/lr_schedule.h"

namespace musictag::train {
namespace {

constexpr double kTolerance = 1e-12;

double lr(const TrainConfig& config, int64_t step, int64_t per_epoch = 10, int64_t total = 100, int world = 1) {
  return learning_rate_at(ScheduleClock{step, per_epoch, total}, config, world);
}

TEST(LrSchedule, ConstantWithoutWarmupIsThePeak) {
  TrainConfig c;
  c.learning_rate = 0.01;
  for (int64_t step : {0, 1, 50, 99, 150}) EXPECT_NEAR(lr(c, step), 0.01, kTolerance);
  c.scale_lr_with_world = true;
  EXPECT_NEAR(lr(c, 7, 10, 100, 8), 0.08, kTolerance);
}

TEST(LrSchedule, WarmupIsLinearFromZero) {
  TrainConfig c;
  c.learning_rate = 0.004;
  c.warmup_steps = 4;
  EXPECT_NEAR(lr(c, 0), 0.001, kTolerance);
  EXPECT_NEAR(lr(c, 1), 0.002, kTolerance);
  EXPECT_NEAR(lr(c, 2), 0.003, kTolerance);
  EXPECT_NEAR(lr(c, 3), 0.004, kTolerance);
  EXPECT_NEAR(lr(c, 4), 0.004, kTolerance);
  EXPECT_NEAR(lr(c, 80), 0.004, kTolerance);
}

TEST(LrSchedule, CosineDecaysToMinRatioAfterWarmup) {
  TrainConfig c;
  c.learning_rate = 0.1;
  c.schedule = LrSchedule::cosine;
  c.warmup_steps = 10;
  c.min_lr_ratio = 0.2;
  // total 110: decay over steps 10..110, so p = (s - 10) / 100.
  auto expected = [](int64_t s) {
    const double p = std::min(1.0, (s - 10) / 100.0);
    return 0.1 * (0.2 + 0.8 * 0.5 * (1.0 + std::cos(M_PI * p)));
  };
  EXPECT_NEAR(lr(c, 4, 10, 110), 0.1 * 5 / 10, kTolerance);  // warm-up
  EXPECT_NEAR(lr(c, 10, 10, 110), 0.1, kTolerance);
  EXPECT_NEAR(lr(c, 35, 10, 110), expected(35), kTolerance);
  EXPECT_NEAR(lr(c, 60, 10, 110), 0.1 * (0.2 + 0.8 * 0.5), kTolerance);  // halfway: cos = 0
  EXPECT_NEAR(lr(c, 60, 10, 110), expected(60), kTolerance);
  EXPECT_NEAR(lr(c, 109, 10, 110), expected(109), kTolerance);
  EXPECT_NEAR(lr(c, 110, 10, 110), 0.02, kTolerance);
  EXPECT_NEAR(lr(c, 500, 10, 110), 0.02, kTolerance);  // past the end: stays at the floor
  c.min_lr_ratio = 0.0;
  EXPECT_NEAR(lr(c, 110, 10, 110), 0.0, kTolerance);
}

TEST(LrSchedule, StepDecaysEveryStepSizeEpochs) {
  TrainConfig c;
  c.learning_rate = 1.0;
  c.schedule = LrSchedule::step;
  c.step_size_epochs = 3;
  c.step_gamma = 0.5;
  // 10 steps per epoch: epochs 0-2 -> 1, 3-5 -> 0.5, 6-8 -> 0.25.
  EXPECT_NEAR(lr(c, 0), 1.0, kTolerance);
  EXPECT_NEAR(lr(c, 29), 1.0, kTolerance);
  EXPECT_NEAR(lr(c, 30), 0.5, kTolerance);
  EXPECT_NEAR(lr(c, 59), 0.5, kTolerance);
  EXPECT_NEAR(lr(c, 60), 0.25, kTolerance);
  EXPECT_NEAR(lr(c, 95), 0.125, kTolerance);
  c.warmup_steps = 5;  // warm-up multiplies the step shape
  EXPECT_NEAR(lr(c, 1), 2.0 / 5.0, kTolerance);
}

TEST(LrSchedule, WholeRunInWarmupAndBadClocks) {
  TrainConfig c;
  c.schedule = LrSchedule::cosine;
  c.warmup_steps = 200;
  EXPECT_NEAR(lr(c, 99, 10, 100), 1e-3 * 100 / 200, kTolerance);
  EXPECT_THROW(lr(c, -1), std::invalid_argument);
  EXPECT_THROW(lr(c, 0, 0, 100), std::invalid_argument);
  EXPECT_THROW(lr(c, 0, 10, 0), std::invalid_argument);
}

TEST(LrSchedule, SetLearningRateReachesEveryParamGroup) {
  auto a = torch::zeros({2}, torch::requires_grad());
  auto b = torch::zeros({3}, torch::requires_grad());
  torch::optim::Adam adam(std::vector<torch::optim::OptimizerParamGroup>{torch::optim::OptimizerParamGroup({a}),
                                                                         torch::optim::OptimizerParamGroup({b})});
  set_learning_rate(adam, 0.125);
  for (const auto& group : adam.param_groups()) EXPECT_EQ(group.options().get_lr(), 0.125);
  EXPECT_EQ(current_learning_rate(adam), 0.125);
}

}  // namespace
}  // namespace musictag::train
