// TrainingStep: the loop's per-batch work, in the order the trainer has always run it.
#include "train/training_step.h"

#include <torch/nn/functional/loss.h>

#include "train/lr_schedule.h"
#include "train/optimizer_grad_clip.h"

namespace musictag::train {

TrainingStep::TrainingStep(TaggingModelImpl& model, DistributedDataParallel& ddp, const TrainConfig& config,
                           const c10::Device& device)
    : model_(model),
      ddp_(ddp),
      device_(device),
      autocast_(autocast_dtype(config.precision, device)),
      sync_batchnorm_(config.sync_batchnorm),
      grad_clip_norm_(config.grad_clip_norm),
      accumulation_steps_(config.accumulation_steps) {
  if (autocast_ == at::kHalf) loss_scaler_.emplace();
}

at::Tensor TrainingStep::forward_backward(const Batch& batch, bool synchronise) {
  std::optional<NoSyncGuard> no_sync;
  if (!synchronise) no_sync.emplace(ddp_);
  if (!sync_batchnorm_) ddp_.sync_buffers();  // SyncBatchNorm keeps them equal on every rank itself
  at::Tensor loss;
  {
    AutocastScope autocast_scope(device_, autocast_);
    const at::Tensor logits = model_.forward(batch.input);
    loss = torch::nn::functional::binary_cross_entropy_with_logits(logits.to(torch::kFloat), batch.tags);
  }
  (loss * (loss_scale() / static_cast<double>(accumulation_steps_))).backward();
  return loss.detach();
}

bool TrainingStep::optimizer_step(torch::optim::Optimizer& optimizer, double learning_rate) {
  ddp_.finish_gradient_sync();
  if (loss_scaler_) {
    // Every rank holds the same averaged gradients, so every rank skips the same overflowing steps.
    const bool finite = loss_scaler_->unscale(model_.parameters());
    loss_scaler_->update(!finite);
    if (!finite) {
      optimizer.zero_grad();
      return false;
    }
  }
  if (grad_clip_norm_ > 0.0) clip_gradient_norm_on_device(model_.parameters(), grad_clip_norm_);
  set_learning_rate(optimizer, learning_rate);
  optimizer.step();
  optimizer.zero_grad();
  return true;
}

}  // namespace musictag::train
