// train.phases as pure functions: which phase an epoch is in, and the optimizer settings in force in a phase.
#include "train/phase_schedule.h"

#include <stdexcept>
#include <string>

namespace musictag::train {

int64_t phase_at(const TrainConfig& config, int64_t epoch) {
  int64_t phase = 0;
  for (size_t i = 1; i < config.phases.size(); ++i)
    if (config.phases[i].epoch <= epoch) phase = static_cast<int64_t>(i);
  return phase;
}

bool phase_builds_optimizer(const TrainConfig& config, int64_t phase) {
  return phase > 0 && phase < static_cast<int64_t>(config.phases.size()) &&
         config.phases[static_cast<size_t>(phase)].optimizer != PhaseOptimizer::keep;
}

TrainConfig config_of_phase(const TrainConfig& config, int64_t phase) {
  if (config.phases.empty()) {
    if (phase != 0) throw std::invalid_argument("config_of_phase: no train.phases, but phase " + std::to_string(phase));
    return config;
  }
  if (phase < 0 || phase >= static_cast<int64_t>(config.phases.size()))
    throw std::invalid_argument("config_of_phase: phase " + std::to_string(phase) + " outside [0, " +
                                std::to_string(config.phases.size()) + ")");
  TrainConfig active = config;
  for (int64_t i = 0; i <= phase; ++i) {
    const TrainPhase& p = config.phases[static_cast<size_t>(i)];
    if (p.optimizer == PhaseOptimizer::keep && i > 0) continue;
    if (p.optimizer != PhaseOptimizer::keep)
      active.optimizer = p.optimizer == PhaseOptimizer::adam ? OptimizerKind::adam : OptimizerKind::sgd;
    active.weight_decay = p.weight_decay;
    active.momentum = p.momentum;
    active.nesterov = p.nesterov;
  }
  active.learning_rate = config.phases[static_cast<size_t>(phase)].learning_rate;
  active.schedule = LrSchedule::constant;
  return active;
}

}  // namespace musictag::train
