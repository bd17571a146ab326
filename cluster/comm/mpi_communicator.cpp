// MPI backend: in-place (I)allreduce, broadcast, barrier and all-gather of CPU tensors and host values.
#include "cluster/comm/mpi_communicator.h"

#include <fmt/format.h>

#include <climits>
#include <exception>
#include <utility>

#include "cluster/errors.h"
#include "cluster/log.h"

namespace musictag::cluster {
namespace {

// float16/bfloat16 travel as their 16-bit patterns (broadcast) and are never reduced in that type.
MPI_Datatype mpi_type(at::ScalarType type) {
  switch (type) {
    case at::kFloat:
      return MPI_FLOAT;
    case at::kDouble:
      return MPI_DOUBLE;
    case at::kInt:
      return MPI_INT32_T;
    case at::kLong:
      return MPI_INT64_T;
    case at::kByte:
      return MPI_UINT8_T;
    case at::kHalf:
    case at::kBFloat16:
      return MPI_UINT16_T;
    default:
      throw CommError(fmt::format("no MPI type for dtype {}", c10::toString(type)));
  }
}

int mpi_count(std::size_t count, const char* what) {
  if (count > static_cast<std::size_t>(INT_MAX)) {
    throw CommError(fmt::format("{} of {} elements exceeds MPI's int count (2^31-1): split it", what, count));
  }
  return static_cast<int>(count);
}

bool reduced_as_float32(at::ScalarType type) { return type == at::kHalf || type == at::kBFloat16; }

// An MPI_Iallreduce into `buffer` (the tensor itself, or its float32 copy), finished by wait().
class MpiPendingWork final : public PendingWork {
 public:
  MpiPendingWork(at::Tensor target, at::Tensor buffer, ReduceOp op, int ranks)
      : target_(std::move(target)), buffer_(std::move(buffer)), op_(op), ranks_(ranks) {}

  ~MpiPendingWork() override {
    if (finished_) return;
    try {
      wait();
    } catch (const std::exception& error) {
      log::error("unfinished all-reduce failed while being discarded: {}", error.what());
    }
  }

  void start(MPI_Comm comm) {
    const int count = mpi_count(static_cast<std::size_t>(buffer_.numel()), "all-reduce tensor");
    MPI_CHECK(MPI_Iallreduce(MPI_IN_PLACE, buffer_.data_ptr(), count, mpi_type(buffer_.scalar_type()), MPI_SUM, comm,
                             &request_));
  }

  void wait() override {
    if (finished_) return;
    if (request_ != MPI_REQUEST_NULL) MPI_CHECK(MPI_Wait(&request_, MPI_STATUS_IGNORE));
    finished_ = true;
    if (op_ == ReduceOp::Average) buffer_.div_(ranks_);  // true division: one correctly rounded result
    if (!buffer_.is_same(target_)) target_.copy_(buffer_);
  }

  bool is_completed() override {
    if (finished_ || request_ == MPI_REQUEST_NULL) return true;
    int done = 0;
    MPI_CHECK(MPI_Test(&request_, &done, MPI_STATUS_IGNORE));
    return done != 0;
  }

 private:
  at::Tensor target_;
  at::Tensor buffer_;
  ReduceOp op_;
  int ranks_;
  MPI_Request request_ = MPI_REQUEST_NULL;
  bool finished_ = false;
};

}  // namespace

MpiCommunicator::MpiCommunicator(const World& world) : rank_(world.rank), size_(world.size) {
  if (!world.mpi) {
    if (world.size > 1) {
      throw CommError(
          fmt::format("this job's {} ranks were started without MPI (srun without --mpi=pmix?), so they cannot "
                      "communicate: launch with `srun --mpi=pmix ...` or `mpirun -np {} ...`",
                      world.size, world.size));
    }
    return;  // a single process: every collective is the identity
  }
  if (!mpi_running()) {
    throw CommError("the World says MPI but MPI is not running: get the World from World::resolve()");
  }
  comm_ = OwnedMpiComm::duplicate(MPI_COMM_WORLD);
  int mpi_rank = -1;
  int mpi_size = 0;
  MPI_CHECK(MPI_Comm_rank(comm_.get(), &mpi_rank));
  MPI_CHECK(MPI_Comm_size(comm_.get(), &mpi_size));
  if (mpi_rank != rank_ || mpi_size != size_) {
    throw CommError(
        fmt::format("the World says {} but MPI_COMM_WORLD says rank {}/{}", world.label(), mpi_rank, mpi_size));
  }
}

std::unique_ptr<PendingWork> MpiCommunicator::all_reduce_async(const at::Tensor& tensor, ReduceOp op) {
  check_collective_tensor(tensor, device(), "MPI");
  check_reduce_op(tensor, op);
  at::Tensor buffer = reduced_as_float32(tensor.scalar_type()) ? tensor.to(at::kFloat) : tensor;
  auto work = std::make_unique<MpiPendingWork>(tensor, std::move(buffer), op, size_);
  if (!alone()) work->start(comm_.get());
  return work;
}

void MpiCommunicator::broadcast(const at::Tensor& tensor, int root) {
  check_collective_tensor(tensor, device(), "MPI");
  check_root(root, size_);
  if (alone()) return;
  const int count = mpi_count(static_cast<std::size_t>(tensor.numel()), "broadcast tensor");
  MPI_CHECK(MPI_Bcast(tensor.data_ptr(), count, mpi_type(tensor.scalar_type()), root, comm_.get()));
}

void MpiCommunicator::barrier() {
  if (!alone()) MPI_CHECK(MPI_Barrier(comm_.get()));
}

void MpiCommunicator::broadcast_bytes(void* data, std::size_t bytes, int root) {
  check_root(root, size_);
  if (alone()) return;
  MPI_CHECK(MPI_Bcast(data, mpi_count(bytes, "byte broadcast"), MPI_BYTE, root, comm_.get()));
}

std::vector<int64_t> MpiCommunicator::gather_int64(int64_t value) {
  std::vector<int64_t> values(size_, value);
  if (!alone()) MPI_CHECK(MPI_Allgather(&value, 1, MPI_INT64_T, values.data(), 1, MPI_INT64_T, comm_.get()));
  return values;
}

std::vector<double> MpiCommunicator::gather_double(double value) {
  std::vector<double> values(size_, value);
  if (!alone()) MPI_CHECK(MPI_Allgather(&value, 1, MPI_DOUBLE, values.data(), 1, MPI_DOUBLE, comm_.get()));
  return values;
}

std::vector<std::string> MpiCommunicator::gather_string(const std::string& value) {
  if (alone()) return {value};
  const std::vector<int64_t> lengths = gather_int64(static_cast<int64_t>(value.size()));
  std::vector<int> counts(size_);
  std::vector<int> offsets(size_);
  std::size_t total = 0;
  for (int rank = 0; rank < size_; ++rank) {
    counts[rank] = mpi_count(static_cast<std::size_t>(lengths[rank]), "gathered string");
    offsets[rank] = mpi_count(total, "gathered strings");
    total += static_cast<std::size_t>(lengths[rank]);
  }
  std::string joined(total, '\0');
  MPI_CHECK(MPI_Allgatherv(value.data(), counts[rank_], MPI_CHAR, joined.data(), counts.data(), offsets.data(),
                           MPI_CHAR, comm_.get()));
  std::vector<std::string> values;
  for (int rank = 0; rank < size_; ++rank) values.push_back(joined.substr(offsets[rank], counts[rank]));
  return values;
}

}  // namespace musictag::cluster
