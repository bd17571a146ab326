// Gradient clipping by the global L2 norm over all parameters' gradients.
#include "train/optimizer_grad_clip.h"

#include <torch/nn/utils/clip_grad.h>

namespace musictag::train {
namespace {

// The same norm clip_grad_norm_ computes, without touching the gradients.
double gradient_norm(const std::vector<at::Tensor>& parameters) {
  std::vector<at::Tensor> norms;
  for (const auto& parameter : parameters)
    if (parameter.grad().defined()) norms.push_back(parameter.grad().detach().norm(2));
  if (norms.empty()) return 0.0;
  return at::stack(norms).norm(2).item<double>();
}

}  // namespace

double clip_gradient_norm(const std::vector<at::Tensor>& parameters, double max_norm) {
  if (max_norm <= 0.0) return gradient_norm(parameters);
  return torch::nn::utils::clip_grad_norm_(parameters, max_norm, 2.0, /*error_if_nonfinite=*/false);
}

}  // namespace musictag::train
