// PendingLosses: the training losses since the last sync point, kept on the device until the trainer reads them.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "train/data/batch_tensors.h"

namespace musictag::train {

// Which micro-batch a loss came from: enough to name it, and to read its inputs again, in an error message.
struct LossBatch {
  int64_t step = 0;   // optimizer steps taken before it
  int64_t epoch = 0;  // Batch::epoch, Batch::index
  int64_t batch = 0;
  std::vector<int64_t> examples;  // Batch::examples, Batch::crop_offsets
  std::vector<int64_t> crop_offsets;
};

// The losses of one read, in the order they were added.
struct LossReadout {
  std::vector<double> losses;      // each float32 loss widened exactly (what loss.item<double>() gave)
  std::vector<LossBatch> batches;  // same length

  int64_t size() const { return static_cast<int64_t>(losses.size()); }
  // Position of the first NaN or infinite loss, if any.
  std::optional<size_t> first_non_finite() const;
};

// add() keeps the detached loss tensor (no .item(), so no host sync: on a GPU the step stays queued) and a
// description of its batch; read() stacks them, copies them to the host in one transfer and forgets them. The
// trainer reads at sync points (TrainConfig::sync_at_step, epoch ends) and sums the values in order on the host, so
// its logged means are bit-identical to reading each loss as it came. Losses stay separate rather than summed on the
// device so that a NaN still names its batch.
class PendingLosses {
 public:
  // `loss`: a scalar on any device, the loss of `batch` at optimizer step `step`.
  void add(const at::Tensor& loss, const Batch& batch, int64_t step);
  // Every kept loss (blocks until the device has computed them), in order; then none is kept.
  LossReadout read();
  int64_t size() const { return static_cast<int64_t>(losses_.size()); }

 private:
  std::vector<at::Tensor> losses_;
  std::vector<LossBatch> batches_;
};

}  // namespace musictag::train
