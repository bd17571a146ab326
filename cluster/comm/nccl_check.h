// NCCL_CHECK and CUDA_CHECK (nccl-tests style): a failed call becomes a CommError naming host, rank, place and cause.
#pragma once

#include <cuda_runtime_api.h>
#include <nccl.h>

#include <string>

#include "cluster/errors.h"
#include "cluster/world.h"

namespace musictag::cluster {

// "ncclAllReduce(...) failed on rank 1/2 on node07 at cluster/x.cpp:42: unhandled system error (last NCCL error: ...)".
[[noreturn]] inline void throw_nccl_error(ncclResult_t result, ncclComm_t comm, const char* call, const char* file,
                                          int line) {
  std::string message = std::string(call) + " failed on " + where(file, line) + ": " + ncclGetErrorString(result);
  const char* last = ncclGetLastError(comm);
  if (last && *last) message += std::string(" (last NCCL error: ") + last + ")";
  throw CommError(message);
}

[[noreturn]] inline void throw_cuda_error(cudaError_t error, const char* call, const char* file, int line) {
  throw CommError(std::string(call) + " failed on " + where(file, line) + ": " + cudaGetErrorName(error) + ": " +
                  cudaGetErrorString(error));
}

}  // namespace musictag::cluster

// NCCL_CHECK_COMM also asks `comm` for its last error text (NCCL_CHECK passes none).
#define NCCL_CHECK_COMM(comm, call)                                                                 \
  do {                                                                                              \
    const ncclResult_t nccl_check_result_ = (call);                                                 \
    if (nccl_check_result_ != ncclSuccess) {                                                        \
      ::musictag::cluster::throw_nccl_error(nccl_check_result_, (comm), #call, __FILE__, __LINE__); \
    }                                                                                               \
  } while (0)

#define NCCL_CHECK(call) NCCL_CHECK_COMM(nullptr, call)

#define CUDA_CHECK(call)                                                                   \
  do {                                                                                     \
    const cudaError_t cuda_check_error_ = (call);                                          \
    if (cuda_check_error_ != cudaSuccess) {                                                \
      ::musictag::cluster::throw_cuda_error(cuda_check_error_, #call, __FILE__, __LINE__); \
    }                                                                                      \
  } while (0)
