// Coalesced broadcast: flatten per dtype, broadcast once, copy the slices back in place.
#include "train/ddp/ddp_broadcast.h"

#include <ATen/core/grad_mode.h>

#include <map>

namespace musictag::train {

void broadcast_coalesced(const std::vector<at::Tensor>& tensors, cluster::Communicator& comm, int root) {
  if (comm.size() == 1) return;
  // std::map: every rank visits the dtypes in the same order.
  std::map<at::ScalarType, std::vector<at::Tensor>> by_dtype;
  for (const at::Tensor& tensor : tensors) by_dtype[tensor.scalar_type()].push_back(tensor);

  at::NoGradGuard no_grad;
  for (auto& [dtype, group] : by_dtype) {
    std::vector<at::Tensor> flat_parts;
    for (const at::Tensor& tensor : group) flat_parts.push_back(tensor.detach().reshape({-1}));
    at::Tensor flat = at::cat(flat_parts).to(comm.device()).contiguous();
    comm.broadcast(flat, root);
    int64_t offset = 0;
    for (const at::Tensor& tensor : group) {
      const int64_t numel = tensor.numel();
      tensor.detach().copy_(flat.narrow(0, offset, numel).view(tensor.sizes()));
      offset += numel;
    }
  }
}

}  // namespace musictag::train
