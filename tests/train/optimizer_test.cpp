// make_optimizer and clip_gradient_norm: steps on a tiny module against hand-computed Adam / SGD updates (1e-6).
#include <gtest/gtest.h>

#include <torch/nn/modules/linear.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <cmath>
#include <vector>

#include "cluster/errors.h"
#include "train/optimizer.h"
#include "train/optimizer_grad_clip.h"

namespace musictag::train {
namespace {

constexpr double kTolerance = 1e-6;

// A Linear(3 -> 2) with fixed weights, and two fixed gradients to apply one after the other.
struct Tiny {
  torch::nn::Linear linear{3, 2};
  std::vector<double> start;  // all parameters, flattened in parameters() order
  Tiny() {
    torch::NoGradGuard no_grad;
    linear->weight.copy_(torch::tensor({{0.5, -1.0, 2.0}, {0.25, 0.0, -0.75}}));
    linear->bias.copy_(torch::tensor({0.1, -0.2}));
    start = flat();
  }
  std::vector<double> flat() const {
    std::vector<double> out;
    for (const auto& p : linear->parameters()) {
      auto c = p.detach().to(torch::kDouble).flatten();
      for (int64_t i = 0; i < c.numel(); ++i) out.push_back(c[i].item<double>());
    }
    return out;
  }
  static std::vector<double> gradient(int k) {  // 8 values: weight (6) then bias (2)
    std::vector<double> g;
    for (int i = 0; i < 8; ++i) g.push_back(k == 0 ? 0.1 * (i - 3) : 0.05 * (i * i % 5) - 0.1);
    return g;
  }
  void set_gradient(int k) {
    const auto g = gradient(k);
    linear->weight.mutable_grad() = torch::tensor(std::vector<float>(g.begin(), g.begin() + 6)).reshape({2, 3});
    linear->bias.mutable_grad() = torch::tensor(std::vector<float>(g.begin() + 6, g.end()));
  }
};

TEST(Optimizer, AdamMatchesHandComputedUpdates) {
  TrainConfig c;
  c.learning_rate = 0.01;
  c.betas = {0.8, 0.95};
  c.eps = 1e-6;
  c.weight_decay = 0.1;
  Tiny tiny;
  auto optimizer = make_optimizer(tiny.linear->parameters(), c);
  ASSERT_NE(dynamic_cast<torch::optim::Adam*>(optimizer.get()), nullptr);

  std::vector<double> p = tiny.start, m(8, 0.0), v(8, 0.0);
  for (int t = 1; t <= 2; ++t) {
    tiny.set_gradient(t - 1);
    optimizer->step();
    const auto g0 = Tiny::gradient(t - 1);
    for (int i = 0; i < 8; ++i) {
      const double g = g0[i] + 0.1 * p[i];  // L2 weight decay on the gradient
      m[i] = 0.8 * m[i] + 0.2 * g;
      v[i] = 0.95 * v[i] + 0.05 * g * g;
      const double m_hat = m[i] / (1 - std::pow(0.8, t)), v_hat = v[i] / (1 - std::pow(0.95, t));
      p[i] -= 0.01 * m_hat / (std::sqrt(v_hat) + 1e-6);
    }
    const auto got = tiny.flat();
    for (int i = 0; i < 8; ++i) EXPECT_NEAR(got[i], p[i], kTolerance) << "step " << t << " parameter " << i;
  }
}

TEST(Optimizer, SgdWithMomentumMatchesHandComputedUpdates) {
  TrainConfig c;
  c.optimizer = OptimizerKind::sgd;
  c.learning_rate = 0.1;
  c.momentum = 0.9;
  c.weight_decay = 0.01;
  Tiny tiny;
  auto optimizer = make_optimizer(tiny.linear->parameters(), c);
  ASSERT_NE(dynamic_cast<torch::optim::SGD*>(optimizer.get()), nullptr);

  std::vector<double> p = tiny.start, buffer(8, 0.0);
  for (int t = 1; t <= 3; ++t) {
    tiny.set_gradient((t - 1) % 2);
    optimizer->step();
    const auto g0 = Tiny::gradient((t - 1) % 2);
    for (int i = 0; i < 8; ++i) {
      const double g = g0[i] + 0.01 * p[i];
      buffer[i] = t == 1 ? g : 0.9 * buffer[i] + g;  // first step: buffer = gradient (torch's rule)
      p[i] -= 0.1 * buffer[i];
    }
    const auto got = tiny.flat();
    for (int i = 0; i < 8; ++i) EXPECT_NEAR(got[i], p[i], kTolerance) << "step " << t << " parameter " << i;
  }
}

TEST(Optimizer, LearningRateScalesWithWorldSizeWhenAsked) {
  TrainConfig c;
  c.learning_rate = 0.002;
  Tiny tiny;
  EXPECT_DOUBLE_EQ(make_optimizer(tiny.linear->parameters(), c, 4)->param_groups()[0].options().get_lr(), 0.002);
  c.scale_lr_with_world = true;
  EXPECT_DOUBLE_EQ(make_optimizer(tiny.linear->parameters(), c, 4)->param_groups()[0].options().get_lr(), 0.008);
  auto adam = make_optimizer(tiny.linear->parameters(), c, 1);
  const auto& options = static_cast<const torch::optim::AdamOptions&>(adam->param_groups()[0].options());
  EXPECT_EQ(std::get<0>(options.betas()), 0.9);
  EXPECT_EQ(std::get<1>(options.betas()), 0.999);
  EXPECT_FALSE(options.amsgrad());
  EXPECT_THROW(make_optimizer(tiny.linear->parameters(), c, 0), ConfigError);
}

TEST(GradClip, ScalesToTheGlobalNormAndReturnsTheNormBefore) {
  Tiny tiny;
  tiny.set_gradient(0);
  double sum = 0;
  for (double g : Tiny::gradient(0)) sum += g * g;
  const double norm = std::sqrt(sum);  // global over weight and bias together
  const auto params = tiny.linear->parameters();

  EXPECT_NEAR(clip_gradient_norm(params, 0.0), norm, kTolerance);  // 0 = off: measures only
  EXPECT_NEAR(tiny.linear->bias.grad()[0].item<double>(), 0.3, kTolerance);

  EXPECT_NEAR(clip_gradient_norm(params, 0.25), norm, kTolerance);
  const double scale = 0.25 / (norm + 1e-6);
  const auto g = Tiny::gradient(0);
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(tiny.linear->weight.grad().flatten()[i].item<double>(), g[i] * scale, kTolerance);
  EXPECT_NEAR(clip_gradient_norm(params, 0.0), 0.25, 1e-5);

  EXPECT_NEAR(clip_gradient_norm(params, 10.0), 0.25, 1e-5);  // below the cap: unchanged
  EXPECT_NEAR(clip_gradient_norm(params, 0.0), 0.25, 1e-5);
  EXPECT_EQ(clip_gradient_norm({torch::zeros({2}, torch::requires_grad())}, 1.0), 0.0);  // no gradients
}

}  // namespace
}  // namespace musictag::train
