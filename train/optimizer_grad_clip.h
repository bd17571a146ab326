// Gradient clipping by the global L2 norm over all parameters' gradients.
#pragma once

#include <ATen/ATen.h>

#include <vector>

namespace musictag::train {

// The L2 norm of all gradients together (parameters without a gradient are skipped); when it exceeds
// `max_norm` every gradient is scaled by max_norm / (norm + 1e-6), as torch.nn.utils.clip_grad_norm_ (which
// does the work). Returns the norm before clipping. max_norm <= 0 only measures (config grad_clip_norm 0 = off).
// Call after the gradient all-reduce, so every rank sees and clips the same global gradient.
double clip_gradient_norm(const std::vector<at::Tensor>& parameters, double max_norm);

// The same clipping (the same operations, so the same bits) without reading the norm back: it stays a scalar tensor
// on the gradients' device (undefined when no parameter has a gradient), so a training step needs no host sync.
// libtorch's clip_grad_norm_ returns a double and therefore waits for the GPU. max_norm must be > 0.
at::Tensor clip_gradient_norm_on_device(const std::vector<at::Tensor>& parameters, double max_norm);

}  // namespace musictag::train
