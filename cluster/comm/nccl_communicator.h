// NCCL backend of the Communicator (CUDA tensors); builds without CUDA link a stub that refuses it.
#pragma once

#include <memory>

#include "cluster/comm/communicator.h"
#include "cluster/world.h"

namespace musictag::cluster {

// True when this build has the NCCL backend (CMake compiled nccl_communicator.cpp, not the stub).
bool nccl_compiled_in();

// One NCCL communicator over all ranks of `world`, on GPU `local_rank` (or GPU 0 when each rank sees exactly one,
// e.g. srun --gpus-per-task=1). The NCCL unique id travels from rank 0 over MPI. Host-side operations (barrier,
// all_gather) go over MPI. Throws CommError when no usable GPU is visible, NCCL fails, or the build has no NCCL.
std::unique_ptr<Communicator> make_nccl_communicator(const World& world);

}  // namespace musictag::cluster
