// Validation during training: every rank scores its block of the validation split; loss and macro ROC-AUC over all.
#pragma once

#include <c10/core/Device.h>

#include <cmath>
#include <optional>

#include "cluster/comm/communicator.h"
#include "train/data/batch_loader.h"
#include "train/models/tagging_model.h"
#include "train/train_config.h"

namespace musictag::train {

struct ValidationScores {
  double loss = NAN;           // mean over examples of the mean BCE over its chunks and tags (Won et al.'s loss)
  double macro_roc_auc = NAN;  // of the chunk-averaged sigmoid scores; NaN when no tag has both classes
};

// `loader` is an evaluation-mode BatchLoader (loader.chunks() crops per example). Each example's chunks are scored
// in eval mode, their sigmoid probabilities averaged; rows are summed into one matrix on every rank (collective:
// every rank calls it). The model is back in training mode afterwards. NaN scores for an empty split.
ValidationScores validate(TaggingModel& model, BatchLoader& loader, cluster::Communicator& comm, c10::Device device);

// True when `scores` beats the best so far under train.select_best_by (higher AUC, or lower loss); a NaN score
// never does.
bool improves(const ValidationScores& scores, BestBy best_by, const std::optional<double>& best_auc,
              const std::optional<double>& best_loss);

}  // namespace musictag::train
