// Gradient buckets: assignment in reverse registration order under a byte cap, and the flat buffers with views.
#include "train/ddp/gradient_bucket.h"

#include <utility>

namespace musictag::train {
namespace {

int64_t byte_size(const at::Tensor& tensor) { return tensor.numel() * static_cast<int64_t>(tensor.element_size()); }

}  // namespace

std::vector<std::vector<std::size_t>> assign_buckets(const std::vector<at::Tensor>& parameters, int64_t cap_bytes) {
  std::vector<std::vector<std::size_t>> buckets;
  int64_t filled = 0;
  for (std::size_t k = parameters.size(); k-- > 0;) {
    const at::Tensor& parameter = parameters[k];
    const int64_t bytes = byte_size(parameter);
    bool fresh = buckets.empty() || filled + bytes > cap_bytes;
    if (!fresh) {
      const at::Tensor& first = parameters[buckets.back().front()];
      fresh = first.scalar_type() != parameter.scalar_type() || first.device() != parameter.device();
    }
    if (fresh) {
      buckets.emplace_back();
      filled = 0;
    }
    buckets.back().push_back(k);
    filled += bytes;
  }
  return buckets;
}

GradientBucket::GradientBucket(const std::vector<at::Tensor>& all_parameters, std::vector<std::size_t> indices)
    : parameters(std::move(indices)) {
  int64_t total = 0;
  for (const std::size_t index : parameters) {
    offsets.push_back(total);
    total += all_parameters[index].numel();
  }
  const at::Tensor& first = all_parameters[parameters.front()];
  flat = at::zeros({total}, first.options().requires_grad(false));
  for (std::size_t slot = 0; slot < parameters.size(); ++slot) {
    const at::Tensor& parameter = all_parameters[parameters[slot]];
    // detach(): a plain tensor sharing the bucket's storage, not an autograd view (zero_grad's detach_() refuses
    // autograd views).
    views.push_back(flat.narrow(0, offsets[slot], parameter.numel()).view(parameter.sizes()).detach());
  }
}

std::vector<GradientBucket> make_gradient_buckets(const std::vector<at::Tensor>& parameters, int64_t cap_bytes) {
  std::vector<GradientBucket> buckets;
  for (auto& indices : assign_buckets(parameters, cap_bytes)) buckets.emplace_back(parameters, std::move(indices));
  return buckets;
}

}  // namespace musictag::train
