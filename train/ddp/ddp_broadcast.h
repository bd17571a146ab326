// Coalesced broadcast: many tensors (parameters, buffers) from one rank in one collective per dtype.
#pragma once

#include <ATen/ATen.h>

#include <vector>

#include "cluster/comm/communicator.h"

namespace musictag::train {

// Every rank's `tensors` become bitwise equal to rank `root`'s. Tensors are grouped by dtype; each group travels
// as one flat buffer (one broadcast per dtype instead of one per tensor) and is copied back in place, with autograd
// off, so leaf parameters that require grad may be among them. Every rank passes tensors of the same number,
// shapes and dtypes in the same order. Does nothing in a world of one rank.
void broadcast_coalesced(const std::vector<at::Tensor>& tensors, cluster::Communicator& comm, int root = 0);

}  // namespace musictag::train
