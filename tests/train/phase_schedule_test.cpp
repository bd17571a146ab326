// train.phases: parsing and its errors, the phase of each epoch, and the optimizer settings in force per phase.
#include <gtest/gtest.h>

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <string>

#include "cluster/errors.h"
#include "config_test_support.h"
#include "train/optimizer.h"
#include "train/phase_schedule.h"
#include "train/train_config.h"

namespace musictag::train {
namespace {

// Won et al. 2020's schedule (their solver.py), as configs/won2020/ write it.
const char* kWonPhases = R"(train:
  weight_decay: 0.0001
  select_best_by: loss
  phases:
    - {epoch: 0, optimizer: adam, learning_rate: 0.0001}
    - {epoch: 80, optimizer: sgd, momentum: 0.9, nesterov: true, learning_rate: 0.001, reload_best: true}
    - {epoch: 100, learning_rate: 0.0001, reload_best: true}
    - {epoch: 120, learning_rate: 0.00001, reload_best: true}
)";

TrainConfig read(const std::string& yaml, std::string* resolved = nullptr) {
  return test::read_section<TrainConfig>(yaml, "train", "test.yaml", resolved);
}

std::string error_of(const std::string& yaml) {
  return test::config_error_of([&] { read(yaml); });
}

TEST(TrainPhases, ReadsWonsScheduleWithTrainLevelDefaults) {
  std::string resolved;
  const TrainConfig c = read(kWonPhases, &resolved);
  ASSERT_EQ(c.phases.size(), 4u);
  EXPECT_EQ(c.select_best_by, BestBy::loss);
  EXPECT_EQ(c.phases[1].epoch, 80);
  EXPECT_EQ(c.phases[1].optimizer, PhaseOptimizer::sgd);
  EXPECT_TRUE(c.phases[1].nesterov);
  EXPECT_TRUE(c.phases[1].reload_best);
  EXPECT_DOUBLE_EQ(c.phases[1].weight_decay, 1e-4);  // from train.weight_decay
  EXPECT_EQ(c.phases[2].optimizer, PhaseOptimizer::keep);
  EXPECT_DOUBLE_EQ(c.phases[3].learning_rate, 1e-5);
  EXPECT_FALSE(c.phases[0].reload_best);
  // The resolved config lists every phase with every key in force, so a checkpoint records the schedule.
  const YAML::Node phases = YAML::Load(resolved)["train"]["phases"];
  ASSERT_EQ(phases.size(), 4u);
  EXPECT_EQ(phases[2]["optimizer"].as<std::string>(), "keep");
  EXPECT_EQ(phases[1]["momentum"].as<double>(), 0.9);
  EXPECT_FALSE(phases[2]["momentum"].IsDefined());  // a kept optimizer's options are not the phase's to show
  EXPECT_EQ(phases[3]["reload_best"].as<bool>(), true);
  read("{}", &resolved);
  EXPECT_EQ(YAML::Load(resolved)["train"]["phases"].size(), 0u);
}

TEST(TrainPhases, ErrorsNameThePhaseAndKey) {
  EXPECT_NE(error_of("train: {phases: [{epoch: 0}, {epoch: 5, momentum: 0.5}]}").find("train.phases[1].momentum"),
            std::string::npos);
  EXPECT_NE(error_of("train: {phases: [{epoch: 0}, {epoch: 5, momentum: 0.5}]}").find("set optimizer: adam or sgd"),
            std::string::npos);
  EXPECT_NE(error_of("train: {phases: [{epoch: 0, learning_rat: 0.1}]}")
                .find("unknown key learning_rat in section "
                      "'train.phases[0]'"),
            std::string::npos);
  EXPECT_NE(error_of("train: {phases: [{epoch: 3}]}").find("the first phase must start at epoch 0"), std::string::npos);
  EXPECT_NE(error_of("train: {phases: [{epoch: 0}, {epoch: 9}, {epoch: 9}]}").find("phase 2 starts at epoch 9"),
            std::string::npos);
  EXPECT_NE(error_of("train: {schedule: cosine, phases: [{epoch: 0}]}").find("train.phases"), std::string::npos);
  EXPECT_NE(error_of("train: {phases: [{epoch: 0, optimizer: sgd_2}]}").find("train.phases[0].optimizer"),
            std::string::npos);
  EXPECT_NE(error_of("train: {phases: {epoch: 0}}").find("expected a list of mappings"), std::string::npos);
  EXPECT_NE(error_of("train: {phases: [3]}").find("train.phases[0]: expected a mapping"), std::string::npos);
  EXPECT_NE(error_of("train: {nesterov: true}").find("Nesterov momentum needs optimizer sgd"), std::string::npos);
  EXPECT_NE(error_of("train: {phases: [{epoch: 0, optimizer: adam, nesterov: true}]}").find("phase 0 sets nesterov"),
            std::string::npos);
}

TEST(TrainPhases, EpochsMapToTheLastPhaseStartedAndTheOptimizerInForce) {
  const TrainConfig c = read(kWonPhases);
  EXPECT_EQ(phase_at(c, 0), 0);
  EXPECT_EQ(phase_at(c, 79), 0);
  EXPECT_EQ(phase_at(c, 80), 1);
  EXPECT_EQ(phase_at(c, 119), 2);
  EXPECT_EQ(phase_at(c, 199), 3);
  EXPECT_FALSE(phase_builds_optimizer(c, 0));  // built before training starts
  EXPECT_TRUE(phase_builds_optimizer(c, 1));
  EXPECT_FALSE(phase_builds_optimizer(c, 2));
  EXPECT_FALSE(phase_builds_optimizer(c, 3));

  const TrainConfig adam = config_of_phase(c, 0);
  EXPECT_EQ(adam.optimizer, OptimizerKind::adam);
  EXPECT_DOUBLE_EQ(adam.learning_rate, 1e-4);
  EXPECT_DOUBLE_EQ(adam.weight_decay, 1e-4);
  for (const int64_t phase : {1, 2, 3}) {
    const TrainConfig sgd = config_of_phase(c, phase);
    EXPECT_EQ(sgd.optimizer, OptimizerKind::sgd) << phase;  // phases 2 and 3 keep phase 1's SGD
    EXPECT_TRUE(sgd.nesterov) << phase;
    EXPECT_DOUBLE_EQ(sgd.momentum, 0.9);
    EXPECT_DOUBLE_EQ(sgd.weight_decay, 1e-4);
  }
  EXPECT_DOUBLE_EQ(config_of_phase(c, 1).learning_rate, 1e-3);
  EXPECT_DOUBLE_EQ(config_of_phase(c, 3).learning_rate, 1e-5);
  EXPECT_THROW(config_of_phase(c, 4), std::invalid_argument);

  const TrainConfig single = read("train: {optimizer: sgd, learning_rate: 0.5}");
  EXPECT_EQ(phase_at(single, 1000), 0);
  EXPECT_EQ(config_of_phase(single, 0).optimizer, OptimizerKind::sgd);
  EXPECT_THROW(config_of_phase(single, 1), std::invalid_argument);

  // The first phase's `keep` is train.optimizer with the train-level options.
  const TrainConfig kept = read("train: {optimizer: sgd, momentum: 0.5, phases: [{epoch: 0, learning_rate: 0.2}]}");
  EXPECT_EQ(config_of_phase(kept, 0).optimizer, OptimizerKind::sgd);
  EXPECT_DOUBLE_EQ(config_of_phase(kept, 0).momentum, 0.5);
  EXPECT_DOUBLE_EQ(config_of_phase(kept, 0).learning_rate, 0.2);
}

// Nesterov SGD against its closed form (PyTorch's documented update, dampening 0):
//   g = grad + wd * p; b = mu * b + g (b = g at the first step); p -= lr * (g + mu * b).
TEST(TrainPhases, NesterovSgdStepsAsPyTorchDocumentsIt) {
  const TrainConfig sgd = config_of_phase(read(kWonPhases), 1);
  torch::Tensor p = torch::tensor({1.0, -2.0}, torch::kDouble).requires_grad_(true);
  auto optimizer = make_optimizer({p}, sgd);
  double b0 = 0, b1 = 0, p0 = 1.0, p1 = -2.0;
  const double lr = 1e-3, mu = 0.9, wd = 1e-4;
  for (int step = 0; step < 3; ++step) {
    optimizer->zero_grad();
    (p * p * p).sum().backward();  // grad = 3 p^2
    const double g0 = 3 * p0 * p0 + wd * p0, g1 = 3 * p1 * p1 + wd * p1;
    b0 = step == 0 ? g0 : mu * b0 + g0;
    b1 = step == 0 ? g1 : mu * b1 + g1;
    p0 -= lr * (g0 + mu * b0);
    p1 -= lr * (g1 + mu * b1);
    optimizer->step();
    EXPECT_NEAR(p[0].item<double>(), p0, 1e-15);
    EXPECT_NEAR(p[1].item<double>(), p1, 1e-15);
  }
}

}  // namespace
}  // namespace musictag::train
