// The optimizer named by TrainConfig (torch::optim::Adam or SGD), built over a model's parameters.
#pragma once

#include <torch/optim/optimizer.h>

#include <memory>
#include <vector>

#include "train/train_config.h"

namespace musictag::train {

// optimizer adam: torch::optim::Adam(lr, betas, eps, weight_decay), amsgrad off;
// optimizer sgd:  torch::optim::SGD(lr, momentum, dampening 0, weight_decay, nesterov).
// lr = config.peak_learning_rate(world_size), i.e. times world_size when scale_lr_with_world; the schedule
// (train/lr_schedule.h) then overwrites it before each step. One parameter group. Throws ConfigError for an
// unknown config.optimizer or a world_size < 1.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<torch::Tensor>& parameters,
                                                        const TrainConfig& config, int world_size = 1);

}  // namespace musictag::train
