// Gradient clipping by the global L2 norm over all parameters' gradients.
#include "train/optimizer_grad_clip.h"

#include <ATen/core/grad_mode.h>

#include <optional>

namespace musictag::train {
namespace {

// Each gradient's L2 norm and their L2 norm, as clip_grad_norm_ computes them; undefined when there is no gradient.
at::Tensor total_gradient_norm(const std::vector<at::Tensor>& gradients) {
  if (gradients.empty()) return {};
  std::vector<at::Tensor> norms;
  norms.reserve(gradients.size());
  for (const auto& grad : gradients) norms.push_back(grad.norm(2.0));
  return norms.size() == 1 ? norms[0] : at::stack(norms).norm(2.0);
}

std::vector<at::Tensor> gradients_of(const std::vector<at::Tensor>& parameters) {
  std::vector<at::Tensor> gradients;
  for (const auto& parameter : parameters)
    if (parameter.grad().defined()) gradients.push_back(parameter.grad().detach());
  return gradients;
}

}  // namespace

at::Tensor clip_gradient_norm_on_device(const std::vector<at::Tensor>& parameters, double max_norm) {
  at::NoGradGuard no_grad;
  const std::vector<at::Tensor> gradients = gradients_of(parameters);
  const at::Tensor total = total_gradient_norm(gradients);
  if (!total.defined() || max_norm <= 0.0) return total;
  // torch::nn::utils::clip_grad_norm_'s steps, without its final .item().
  const at::Tensor coefficient = at::clamp(max_norm / (total + 1e-6), std::nullopt, 1.0);
  for (const auto& grad : gradients) grad.mul_(coefficient);
  return total;
}

double clip_gradient_norm(const std::vector<at::Tensor>& parameters, double max_norm) {
  const at::Tensor total = clip_gradient_norm_on_device(parameters, max_norm);
  return total.defined() ? total.item<double>() : 0.0;
}

}  // namespace musictag::train
