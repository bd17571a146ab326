// MPI backend of the Communicator: CPU tensors over a private duplicate of MPI_COMM_WORLD.
#pragma once

#include <cstddef>

#include "cluster/comm/communicator.h"
#include "cluster/mpi_check.h"
#include "cluster/world.h"

namespace musictag::cluster {

// Sum maps to MPI_SUM on the tensor's own type, except float16/bfloat16, which MPI has no type for: they are
// reduced through a float32 copy (exact sums of float16 values stay exact) and rounded back once. Average is the
// sum divided by size() (one rounding). Async work uses MPI_Iallreduce; with MPI_THREAD_SERIALIZED it progresses
// inside MPI calls (wait(), is_completed(), other collectives). Counts are MPI ints: at most 2^31-1 elements.
//
// In a world of one process started without a launcher, MPI is never initialised and every collective is the
// identity (a sum over one rank), so single-process runs and tests need no mpirun.
class MpiCommunicator final : public Communicator {
 public:
  // Throws CommError when `world` has several ranks but no MPI (started by srun without --mpi=pmix).
  explicit MpiCommunicator(const World& world);

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  Backend backend() const override { return Backend::Mpi; }
  at::Device device() const override { return at::Device(at::kCPU); }

  std::unique_ptr<PendingWork> all_reduce_async(const at::Tensor& tensor, ReduceOp op) override;
  void broadcast(const at::Tensor& tensor, int root) override;
  void barrier() override;

  // Raw host bytes from `root` to every rank (the NCCL backend sends its unique id this way).
  void broadcast_bytes(void* data, std::size_t bytes, int root);

 protected:
  std::vector<int64_t> gather_int64(int64_t value) override;
  std::vector<double> gather_double(double value) override;
  std::vector<std::string> gather_string(const std::string& value) override;

 private:
  bool alone() const { return !comm_; }

  int rank_ = 0;
  int size_ = 1;
  OwnedMpiComm comm_;  // null when alone()
};

}  // namespace musictag::cluster
