// The training loop: data-parallel CRNN training with validation, checkpoints, resume and preemption.
#pragma once

#include <optional>
#include <string>

#include "cluster/world.h"
#include "train/train_config.h"

namespace musictag::train {

struct TrainOutcome {
  int exit_code = 0;  // 0, or kExitPreempted (75) after a signal-triggered checkpoint
  int64_t steps = 0;  // optimizer steps taken in all (including those of resumed-from runs)
  int64_t epochs_done = 0;
  int64_t best_epoch = -1;          // the epoch best.pt holds (train.select_best_by), -1 = none
  std::optional<double> best_auc;   // its validation macro ROC-AUC
  std::optional<double> best_loss;  // its validation loss
  std::string last_checkpoint;      // rank 0
};

// Trains on every rank of `world` (the same settings everywhere). `resume`: "auto" (the newest complete checkpoint
// in <output>/checkpoints, else from scratch), "none", or a checkpoint path. Rank 0 writes checkpoints, the JSON
// lines log and the curves; a SIGTERM/SIGUSR1 on any rank makes every rank stop at the same step, the next sync
// point (every train.stop_check_steps optimizer steps, log and checkpoint steps, epoch ends), after a checkpoint,
// with outcome.exit_code = kExitPreempted.
TrainOutcome run_training(const cluster::World& world, const TrainSettings& settings, const std::string& resume);

// --describe-model: the configured model's steps, output shapes and exact parameter count (model_description.h),
// without training. n_tags from model.n_tags, else from train.dataset's manifest when it exists; ConfigError when
// neither gives one.
std::string describe_configured_model(const TrainSettings& settings);

}  // namespace musictag::train
