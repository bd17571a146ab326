// The learning rate at each optimizer step: linear warm-up, then constant, cosine or step decay (pure functions).
#pragma once

#include <cstdint>

#include <torch/optim/optimizer.h>

#include "train/train_config.h"

namespace musictag::train {

// Where training is, in optimizer steps (after gradient accumulation).
struct ScheduleClock {
  int64_t step = 0;             // optimizer steps already taken = index of the step about to be taken (0-based)
  int64_t steps_per_epoch = 1;  // optimizer steps in one epoch, >= 1
  int64_t total_steps = 1;      // optimizer steps of the whole run (epochs * steps_per_epoch), >= 1
};

// The learning rate for the step `clock.step`, with peak = config.peak_learning_rate(world_size), W =
// config.warmup_steps, s = clock.step:
//   warm-up factor w(s) = (s + 1) / W for s < W (a line from 0 at s = -1 to the peak at s = W - 1), else 1;
//   constant  f(s) = 1
//   cosine    f(s) = r + (1 - r) * (1 + cos(pi * p)) / 2, p = clamp((s - W) / (total_steps - W), 0, 1),
//             r = config.min_lr_ratio: the peak right after warm-up, r * peak at total_steps and after
//   step      f(s) = step_gamma ^ floor(epoch / step_size_epochs), epoch = floor(s / steps_per_epoch)
//   lr(s) = peak * w(s) * f(s).
// Throws std::invalid_argument when steps_per_epoch or total_steps < 1 or step < 0 (a trainer bug).
double learning_rate_at(const ScheduleClock& clock, const TrainConfig& config, int world_size = 1);

// Sets lr of every parameter group of `optimizer` (Adam or SGD) to `learning_rate`.
void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate);
// lr of the first parameter group (every group has the same one here).
double current_learning_rate(const torch::optim::Optimizer& optimizer);

}  // namespace musictag::train
