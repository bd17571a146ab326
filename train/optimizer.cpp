// The optimizer named by TrainConfig (torch::optim::Adam or SGD), built over a model's parameters.
#include "train/optimizer.h"

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <string>

#include "cluster/errors.h"

namespace musictag::train {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<torch::Tensor>& parameters,
                                                        const TrainConfig& config, int world_size) {
  if (world_size < 1) throw ConfigError("make_optimizer: world size must be >= 1, got " + std::to_string(world_size));
  const double lr = config.peak_learning_rate(world_size);
  switch (config.optimizer) {
    case OptimizerKind::adam: {
      if (config.betas.size() != 2)
        throw ConfigError("train.betas: expected exactly two values, got " + std::to_string(config.betas.size()));
      auto options = torch::optim::AdamOptions(lr)
                         .betas(std::make_tuple(config.betas[0], config.betas[1]))
                         .eps(config.eps)
                         .weight_decay(config.weight_decay)
                         .amsgrad(false);
      return std::make_unique<torch::optim::Adam>(parameters, options);
    }
    case OptimizerKind::sgd: {
      auto options = torch::optim::SGDOptions(lr)
                         .momentum(config.momentum)
                         .dampening(0.0)
                         .weight_decay(config.weight_decay)
                         .nesterov(config.nesterov);
      return std::make_unique<torch::optim::SGD>(parameters, options);
    }
  }
  throw ConfigError("train.optimizer: unknown optimizer value");
}

}  // namespace musictag::train
