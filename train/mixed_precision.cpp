// Autocast scope and dynamic loss scaling (see mixed_precision.h).
#include "train/mixed_precision.h"

#include <ATen/autocast_mode.h>

#include "cluster/errors.h"

namespace musictag::train {

at::ScalarType autocast_dtype(Precision precision, const torch::Device& device) {
  switch (precision) {
    case Precision::fp32:
      return at::ScalarType::Undefined;
    case Precision::bf16:
      return at::kBFloat16;
    case Precision::fp16:
      if (!device.is_cuda())
        throw ConfigError("train.precision is fp16 but training runs on " + device.str() +
                          ": fp16 autocast needs a CUDA device; use bf16 or fp32 on CPU");
      return at::kHalf;
  }
  throw ConfigError("train.precision: unknown precision value");
}

AutocastScope::AutocastScope(const torch::Device& device, at::ScalarType dtype) : device_type_(device.type()) {
  if (dtype == at::ScalarType::Undefined) return;
  active_ = true;
  was_enabled_ = at::autocast::is_autocast_enabled(device_type_);
  previous_dtype_ = at::autocast::get_autocast_dtype(device_type_);
  at::autocast::set_autocast_dtype(device_type_, dtype);
  at::autocast::set_autocast_enabled(device_type_, true);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // Casted weights are cached while the outermost scope lives; drop them with it (torch.autocast.__exit__).
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  at::autocast::set_autocast_enabled(device_type_, was_enabled_);
  at::autocast::set_autocast_dtype(device_type_, previous_dtype_);
}

LossScaler::LossScaler(double initial_scale, int64_t growth_interval)
    : scale_(initial_scale), growth_interval_(growth_interval) {
  if (!(initial_scale > 0.0) || growth_interval < 1)
    throw ConfigError("LossScaler: expected a positive initial scale and growth_interval >= 1");
}

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) const {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> finite;  // one flag per gradient, read back once (one device sync per step)
  for (const auto& parameter : parameters) {
    const torch::Tensor& grad = parameter.grad();
    if (!grad.defined()) continue;
    grad.div_(scale_);
    finite.push_back(grad.isfinite().all());
  }
  return finite.empty() || torch::stack(finite).all().item<bool>();
}

void LossScaler::update(bool found_non_finite) {
  if (found_non_finite) {
    scale_ *= 0.5;
    clean_steps_ = 0;
    return;
  }
  if (++clean_steps_ >= growth_interval_) {
    scale_ *= 2.0;
    clean_steps_ = 0;
  }
}

}  // namespace musictag::train
