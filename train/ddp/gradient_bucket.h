// Gradient buckets: trainable parameters grouped, last registered first, into flat buffers reduced as one.
#pragma once

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace musictag::train {

// Groups the indices of `parameters` into buckets, walking them from the last registered to the first (the order
// in which backward produces their gradients, so the first bucket is complete first). A bucket holds parameters
// of one dtype and device only and at most `cap_bytes` bytes of them; a parameter larger than the cap gets a
// bucket of its own. A new bucket starts whenever the next parameter would overflow the current one or differs
// from it in dtype or device. Deterministic: equal parameter lists give equal assignments on every rank.
std::vector<std::vector<std::size_t>> assign_buckets(const std::vector<at::Tensor>& parameters, int64_t cap_bytes);

// One bucket: the gradients of its parameters back to back in one flat contiguous buffer (zero-initialised, of
// the parameters' dtype and device), and for each parameter a view of its slice shaped like the parameter.
// The views are detached (not autograd views), so they can serve as the parameters' .grad: AccumulateGrad adds
// into them in place, and Optimizer::zero_grad may detach_(), zero_() or reset them.
struct GradientBucket {
  GradientBucket(const std::vector<at::Tensor>& all_parameters, std::vector<std::size_t> indices);

  std::vector<std::size_t> parameters;  // indices into the list given to the constructor, in bucket order
  std::vector<int64_t> offsets;         // element offset of each parameter's slice in `flat`
  std::vector<at::Tensor> views;        // per parameter: flat[offset, offset + numel) viewed as its shape
  at::Tensor flat;                      // 1-D, what one all-reduce carries

  int64_t bytes() const { return flat.numel() * static_cast<int64_t>(flat.element_size()); }
};

// The buckets for `parameters` under assign_buckets(parameters, cap_bytes).
std::vector<GradientBucket> make_gradient_buckets(const std::vector<at::Tensor>& parameters, int64_t cap_bytes);

}  // namespace musictag::train
