// LossScaler: unscaling divides the gradients and detects inf/NaN; the scale halves on overflow and grows back.
#include <gtest/gtest.h>

#include <limits>

#include "cluster/errors.h"
#include "train/mixed_precision.h"

namespace musictag::train {
namespace {

torch::Tensor parameter_with_grad(std::vector<float> grad) {
  torch::Tensor p = torch::zeros({static_cast<int64_t>(grad.size())}, torch::requires_grad());
  p.mutable_grad() = torch::tensor(grad);
  return p;
}

TEST(LossScaler, UnscaleDividesEveryGradientAndReportsFinite) {
  const LossScaler scaler(4.0, 2);
  const auto a = parameter_with_grad({8.0f, -4.0f});
  const auto b = parameter_with_grad({2.0f});
  const torch::Tensor no_grad = torch::zeros({3}, torch::requires_grad());
  EXPECT_TRUE(scaler.unscale({a, b, no_grad}));
  EXPECT_TRUE(torch::equal(a.grad(), torch::tensor({2.0f, -1.0f})));
  EXPECT_FLOAT_EQ(b.grad().item<float>(), 0.5f);
}

TEST(LossScaler, UnscaleReportsInfAndNan) {
  const LossScaler scaler(2.0, 2);
  EXPECT_FALSE(
      scaler.unscale({parameter_with_grad({1.0f}), parameter_with_grad({std::numeric_limits<float>::infinity()})}));
  EXPECT_FALSE(scaler.unscale({parameter_with_grad({std::numeric_limits<float>::quiet_NaN()})}));
}

TEST(LossScaler, HalvesOnOverflowAndDoublesAfterTheGrowthInterval) {
  LossScaler scaler(8.0, 2);
  scaler.update(true);
  EXPECT_EQ(scaler.scale(), 4.0);
  scaler.update(false);
  EXPECT_EQ(scaler.scale(), 4.0);
  scaler.update(false);
  EXPECT_EQ(scaler.scale(), 8.0);
  EXPECT_THROW(LossScaler(0.0, 1), ConfigError);
}

}  // namespace
}  // namespace musictag::train
