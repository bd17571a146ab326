// SyncBatchNorm: BatchNorm statistics over the whole data-parallel batch (every rank's examples), forward and backward.
#pragma once

#include "cluster/comm/communicator.h"
#include "train/models/tagging_model.h"

namespace musictag::train {

// Normalises `input` ([B, C, ...], channels on dim 1) with the mean and biased variance of the batch of every rank of
// `comm` together, as one process running BatchNorm on the concatenated batch would (PyTorch's SyncBatchNorm).
// Updates the running statistics like torch's BatchNorm (unbiased variance, momentum), so they stay equal on every
// rank. Backward all-reduces the per-channel sums of dy and dy * x_hat for the input gradient; the weight and bias
// gradients are the rank's own, so DistributedDataParallel's average makes them the global batch's.
// Communication per layer: a host all-gather of the ranks' example counts and two all-reduces in forward (sums in
// float64; squared deviations), one in backward; nothing is read back from the device, so a GPU step is not stalled.
// Every rank must call it for the same layers in the same order (they do: same model, same graph). The state must be
// affine (weight and bias defined); ConfigError otherwise.
torch::Tensor sync_batch_norm(const torch::Tensor& input, const BatchNormState& state, cluster::Communicator& comm);

// Installs sync_batch_norm over `comm` into every BatchNorm of `model` (TaggingModelImpl::batch_norm_override); `comm`
// must outlive the model's training.
void enable_sync_batch_norm(TaggingModelImpl& model, cluster::Communicator& comm);

}  // namespace musictag::train
