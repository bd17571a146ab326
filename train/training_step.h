// TrainingStep: a micro-batch's forward, loss and backward, and the optimizer step, queued without a host sync.
#pragma once

#include <ATen/ATen.h>
#include <torch/optim/optimizer.h>

#include <optional>

#include "train/data/batch_tensors.h"
#include "train/ddp/ddp_data_parallel.h"
#include "train/mixed_precision.h"
#include "train/models/tagging_model.h"
#include "train/train_config.h"

namespace musictag::train {

// The work of one optimizer step, split as the loop needs it:
//   for each micro-batch: loss = step.forward_backward(batch, /*synchronise=*/last micro-batch of the step);
//   then:                 step.optimizer_step(optimizer, learning_rate);
// Nothing here reads a value back to the host on the fp32 and bf16 paths (no .item(), no blocking copy), so on a GPU
// the host queues step after step; the trainer reads the losses at its sync points (pending_losses.h). fp16 is the
// exception: its loss scaling decides on the host whether the gradients are finite (one sync per optimizer step, as
// torch.amp.GradScaler's step()).
class TrainingStep {
 public:
  // Uses train.precision (autocast), sync_batchnorm, grad_clip_norm and accumulation_steps of `config`. The model
  // and `ddp` (over the same model) must outlive it; `device` is where the model and the batches are.
  TrainingStep(TaggingModelImpl& model, DistributedDataParallel& ddp, const TrainConfig& config,
               const c10::Device& device);

  // Buffers from rank 0 (unless SyncBatchNorm keeps them equal), forward and BCE under autocast, backward of
  // loss * scale / accumulation_steps: with `synchronise` the gradient all-reduce starts during this backward, else
  // it runs under no_sync and gradients accumulate locally. `batch.input` and `batch.tags` are on the device (float32).
  // Returns the unscaled loss, detached: a float32 scalar on the device, not read.
  at::Tensor forward_backward(const Batch& batch, bool synchronise);

  // After the synchronising micro-batch: waits for the gradient all-reduce (on the GPU: the current stream waits),
  // unscales fp16 gradients, clips them (train.grad_clip_norm), sets `learning_rate`, steps and zeroes the
  // gradients. False when fp16 found an inf/NaN gradient: the step was skipped (same decision on every rank: the
  // gradients are averaged first) and the loss scale halved.
  bool optimizer_step(torch::optim::Optimizer& optimizer, double learning_rate);

  double loss_scale() const { return loss_scaler_ ? loss_scaler_->scale() : 1.0; }

 private:
  TaggingModelImpl& model_;
  DistributedDataParallel& ddp_;
  c10::Device device_;
  at::ScalarType autocast_;
  bool sync_batchnorm_;
  double grad_clip_norm_;
  int64_t accumulation_steps_;
  std::optional<LossScaler> loss_scaler_;  // fp16 only
};

}  // namespace musictag::train
