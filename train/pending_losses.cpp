// PendingLosses: detached loss tensors and their batches, read back with one stack and one copy.
#include "train/pending_losses.h"

#include <cmath>

namespace musictag::train {

std::optional<size_t> LossReadout::first_non_finite() const {
  for (size_t i = 0; i < losses.size(); ++i)
    if (!std::isfinite(losses[i])) return i;
  return std::nullopt;
}

void PendingLosses::add(const at::Tensor& loss, const Batch& batch, int64_t step) {
  losses_.push_back(loss.detach().reshape({}));
  batches_.push_back({step, batch.epoch, batch.index, batch.examples, batch.crop_offsets});
}

LossReadout PendingLosses::read() {
  LossReadout readout;
  if (!losses_.empty()) {
    const at::Tensor values = at::stack(losses_).to(at::kCPU).to(at::kDouble).contiguous();
    const double* data = values.data_ptr<double>();
    readout.losses.assign(data, data + values.numel());
  }
  readout.batches = std::move(batches_);
  losses_.clear();
  batches_.clear();
  return readout;
}

}  // namespace musictag::train
