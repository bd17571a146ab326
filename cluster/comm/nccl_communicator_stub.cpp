// NCCL backend stand-in for builds without CUDA/NCCL: the factory branch that refuses with a clear message.
#include "cluster/comm/nccl_communicator.h"
#include "cluster/errors.h"

namespace musictag::cluster {

bool nccl_compiled_in() { return false; }

std::unique_ptr<Communicator> make_nccl_communicator(const World&) {
  throw CommError(
      "built without CUDA/NCCL: the NCCL backend needs a libtorch with CUDA and NCCL found at configure time "
      "(-DMUSICTAG_NCCL_ROOT=...); use the MPI backend for CPU tensors");
}

}  // namespace musictag::cluster
