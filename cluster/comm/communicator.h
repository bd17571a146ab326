// Communicator: collectives over torch tensors and small host values across the ranks of a World.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "cluster/world.h"

namespace musictag::cluster {

enum class ReduceOp {
  Sum,      // element-wise sum over the ranks; integers wrap as their C++ type does (uint8 modulo 256)
  Average,  // the sum divided by size(), rounded once; floating-point dtypes only (integers are refused)
};

enum class Backend {
  Auto,  // NCCL when built with it and a CUDA device is visible, else MPI
  Mpi,   // CPU tensors over MPI
  Nccl,  // CUDA tensors over NCCL (device = local rank)
};

const char* to_string(Backend backend);

// An all-reduce in flight. The tensor holds the result only after wait(); destroying unfinished work waits.
class PendingWork {
 public:
  virtual ~PendingWork() = default;
  // MPI: blocks until done. NCCL: makes the caller's current CUDA stream wait for it (the host does not block).
  virtual void wait() = 0;
  // Non-blocking: true once the communication has finished (MPI: also drives its progress). wait() is still due.
  virtual bool is_completed() = 0;
};

// Tensors passed to collectives must be contiguous, on the backend's device, and of dtype float32, float64,
// float16, bfloat16, int32, int64 or uint8; anything else throws CommError before any rank communicates.
// Every rank calls the same collectives in the same order with tensors of the same shape and dtype.
class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual Backend backend() const = 0;
  // The device tensors must be on: CPU for MPI, cuda:<local GPU> for NCCL.
  virtual at::Device device() const = 0;

  // In place: on return (MPI) or in the current stream's order (NCCL) `tensor` holds the reduction.
  void all_reduce(const at::Tensor& tensor, ReduceOp op = ReduceOp::Sum) { all_reduce_async(tensor, op)->wait(); }
  // Starts an in-place all-reduce so that communication overlaps other work; the result is there after wait().
  virtual std::unique_ptr<PendingWork> all_reduce_async(const at::Tensor& tensor, ReduceOp op) = 0;
  // In place: every rank's `tensor` becomes rank `root`'s (bitwise, any supported dtype).
  virtual void broadcast(const at::Tensor& tensor, int root) = 0;
  // Returns once every rank has entered it (host processes only; queued GPU work is not waited for).
  virtual void barrier() = 0;

  // Small host values from every rank, indexed by rank.
  template <class Integer, std::enable_if_t<std::is_integral_v<Integer>, int> = 0>
  std::vector<int64_t> all_gather(Integer value) {
    return gather_int64(static_cast<int64_t>(value));
  }
  std::vector<double> all_gather(double value) { return gather_double(value); }
  std::vector<std::string> all_gather(const std::string& value) { return gather_string(value); }
  std::vector<std::string> all_gather(const char* value) { return gather_string(value); }

 protected:
  virtual std::vector<int64_t> gather_int64(int64_t value) = 0;
  virtual std::vector<double> gather_double(double value) = 0;
  virtual std::vector<std::string> gather_string(const std::string& value) = 0;
};

// The communicator for `world` with the chosen backend. Throws CommError when the world has several ranks but
// no MPI (srun without --mpi=pmix), or the backend cannot run here (no CUDA device, built without NCCL).
std::unique_ptr<Communicator> make_communicator(const World& world, Backend backend = Backend::Auto);

// Checks shared by the backends; each throws CommError saying which rule was broken. `backend` names the caller.
void check_collective_tensor(const at::Tensor& tensor, const at::Device& device, const char* backend);
void check_reduce_op(const at::Tensor& tensor, ReduceOp op);
void check_root(int root, int size);

}  // namespace musictag::cluster
