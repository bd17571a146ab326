// train.phases as pure functions: which phase an epoch is in, and the optimizer settings in force in a phase.
#pragma once

#include <cstdint>

#include "train/train_config.h"

namespace musictag::train {

// Index of the phase that epoch `epoch` trains in: the last phase whose `epoch` is <= it; 0 when there are no phases
// (the train-level keys are then the one phase).
int64_t phase_at(const TrainConfig& config, int64_t epoch);

// `config` with the optimizer keys in force during phase `phase` (0 <= phase < max(1, phases.size())): optimizer,
// weight_decay, momentum and nesterov of the last phase <= `phase` that built a fresh optimizer (train-level ones
// for a first phase that keeps), learning_rate of phase `phase`; schedule constant. The trainer builds the
// optimizer of a resumed run from it, so the saved state loads into the same kind. Without phases: `config` itself.
TrainConfig config_of_phase(const TrainConfig& config, int64_t phase);

// True when entering phase `phase` (> 0) replaces the optimizer.
bool phase_builds_optimizer(const TrainConfig& config, int64_t phase);

}  // namespace musictag::train
