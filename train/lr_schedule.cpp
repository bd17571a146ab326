// The learning rate at each optimizer step: linear warm-up, then constant, cosine or step decay (pure functions).
#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cluster/errors.h"

namespace musictag::train {
namespace {

double warmup_factor(int64_t step, int64_t warmup_steps) {
  if (step >= warmup_steps) return 1.0;
  return static_cast<double>(step + 1) / static_cast<double>(warmup_steps);
}

double cosine_factor(const ScheduleClock& clock, const TrainConfig& config) {
  const int64_t decay_steps = clock.total_steps - config.warmup_steps;
  if (decay_steps <= 0) return 1.0;  // the whole run is warm-up
  const double progress =
      std::clamp(static_cast<double>(clock.step - config.warmup_steps) / static_cast<double>(decay_steps), 0.0, 1.0);
  const double r = config.min_lr_ratio;
  return r + (1.0 - r) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

double step_factor(const ScheduleClock& clock, const TrainConfig& config) {
  const int64_t epoch = clock.step / clock.steps_per_epoch;
  return std::pow(config.step_gamma, static_cast<double>(epoch / config.step_size_epochs));
}

}  // namespace

double learning_rate_at(const ScheduleClock& clock, const TrainConfig& config, int world_size) {
  if (clock.step < 0 || clock.steps_per_epoch < 1 || clock.total_steps < 1)
    throw std::invalid_argument("learning_rate_at: step must be >= 0 and steps_per_epoch, total_steps >= 1, got " +
                                std::to_string(clock.step) + ", " + std::to_string(clock.steps_per_epoch) + ", " +
                                std::to_string(clock.total_steps));
  double shape = 1.0;
  switch (config.schedule) {
    case LrSchedule::constant:
      break;
    case LrSchedule::cosine:
      shape = cosine_factor(clock, config);
      break;
    case LrSchedule::step:
      shape = step_factor(clock, config);
      break;
  }
  return config.peak_learning_rate(world_size) * warmup_factor(clock.step, config.warmup_steps) * shape;
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(learning_rate);
}

double current_learning_rate(const torch::optim::Optimizer& optimizer) {
  const auto& groups = optimizer.param_groups();
  if (groups.empty()) throw std::invalid_argument("current_learning_rate: the optimizer has no parameter groups");
  return groups.front().options().get_lr();
}

}  // namespace musictag::train
