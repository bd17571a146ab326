// Mixed precision for training: an autocast scope (bf16/fp16) and fp16's dynamic loss scaling.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "train/train_config.h"

namespace musictag::train {

// The autocast dtype for train.precision: fp32 -> none (Undefined), bf16 -> BFloat16, fp16 -> Half.
// ConfigError naming train.precision for fp16 on a CPU device (CPU autocast has no fp16 loss scaling here).
at::ScalarType autocast_dtype(Precision precision, const torch::Device& device);

// While alive, eligible ops on `device`'s type run in `dtype` (torch.autocast); Undefined = a no-op scope.
// Wrap the forward pass and the loss only, as PyTorch recommends; backward runs outside.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, at::ScalarType dtype);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  at::DeviceType device_type_;
  bool active_ = false;
  bool was_enabled_ = false;
  at::ScalarType previous_dtype_ = at::ScalarType::Undefined;
};

// Dynamic loss scaling for fp16 (torch.amp.GradScaler's rule): backward runs on loss * scale(); before the
// optimizer step, unscale() divides the gradients by it and reports whether they are all finite. A step with an
// inf/NaN gradient is skipped and the scale halves; after `growth_interval` good steps in a row it doubles.
// Gradients are averaged over the ranks before unscale(), so every rank takes the same decision.
class LossScaler {
 public:
  explicit LossScaler(double initial_scale = 65536.0, int64_t growth_interval = 2000);

  double scale() const { return scale_; }
  // Divides every defined gradient by scale(); true when all of them are finite afterwards.
  bool unscale(const std::vector<torch::Tensor>& parameters) const;
  // After a step: halves the scale on overflow (found_non_finite), doubles it after growth_interval clean steps.
  void update(bool found_non_finite);

 private:
  double scale_;
  int64_t growth_interval_;
  int64_t clean_steps_ = 0;
};

}  // namespace musictag::train
