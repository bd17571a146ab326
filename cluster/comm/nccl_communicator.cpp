// NCCL backend: CUDA-tensor collectives on a dedicated stream, ordered against torch's current stream by events.
#include "cluster/comm/nccl_communicator.h"

#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <fmt/format.h>
#include <nccl.h>

#include <exception>
#include <utility>

#include "cluster/comm/mpi_communicator.h"
#include "cluster/comm/nccl_check.h"
#include "cluster/errors.h"
#include "cluster/log.h"

namespace musictag::cluster {
namespace {

ncclDataType_t nccl_type(at::ScalarType type) {
  switch (type) {
    case at::kFloat:
      return ncclFloat32;
    case at::kDouble:
      return ncclFloat64;
    case at::kHalf:
      return ncclFloat16;
    case at::kBFloat16:
      return ncclBfloat16;
    case at::kInt:
      return ncclInt32;
    case at::kLong:
      return ncclInt64;
    case at::kByte:
      return ncclUint8;
    default:
      throw CommError(fmt::format("no NCCL type for dtype {}", c10::toString(type)));
  }
}

ncclRedOp_t nccl_op(ReduceOp op) { return op == ReduceOp::Average ? ncclAvg : ncclSum; }

// GPU `local_rank`, or GPU 0 when each rank sees exactly one (CUDA_VISIBLE_DEVICES set per task).
c10::DeviceIndex choose_device(const World& world) {
  const int visible = c10::cuda::device_count();
  if (visible == 0) {
    throw CommError("the NCCL backend needs a CUDA device and none is visible on " + world.hostname +
                    "; use the MPI backend (Backend::Mpi) for CPU tensors");
  }
  if (visible == 1) return 0;
  if (world.local_rank >= visible) {
    throw CommError(
        fmt::format("local rank {} on {} has no GPU of its own ({} visible): start at most one rank per GPU",
                    world.local_rank, world.hostname, visible));
  }
  return static_cast<c10::DeviceIndex>(world.local_rank);
}

struct NcclCommDestroyer {
  void operator()(ncclComm_t comm) const { ncclCommDestroy(comm); }
};
using NcclCommPtr = std::unique_ptr<ncclComm, NcclCommDestroyer>;

// A collective enqueued on the communicator's stream; wait() orders the caller's current stream after it.
class NcclPendingWork final : public PendingWork {
 public:
  NcclPendingWork(c10::cuda::CUDAEvent done, at::Tensor tensor, c10::DeviceIndex device)
      : done_(std::move(done)), tensor_(std::move(tensor)), device_(device) {}
  ~NcclPendingWork() override {
    try {
      wait();
    } catch (const std::exception& error) {
      log::error("unfinished NCCL work failed while being discarded: {}", error.what());
    }
  }
  void wait() override {
    if (!tensor_.defined()) return;
    done_.block(c10::cuda::getCurrentCUDAStream(device_));
    tensor_.reset();
  }
  bool is_completed() override { return done_.query(); }

 private:
  c10::cuda::CUDAEvent done_;
  at::Tensor tensor_;  // kept alive until the caller's stream is ordered after the collective
  c10::DeviceIndex device_;
};

class NcclCommunicator final : public Communicator {
 public:
  explicit NcclCommunicator(const World& world)
      : host_(world), device_(choose_device(world)), stream_(c10::cuda::getStreamFromPool(true, device_)) {
    const c10::cuda::CUDAGuard guard(device_);
    ncclUniqueId id{};
    if (host_.rank() == 0) NCCL_CHECK(ncclGetUniqueId(&id));
    host_.broadcast_bytes(&id, sizeof id, 0);
    ncclComm_t comm = nullptr;
    NCCL_CHECK(ncclCommInitRank(&comm, host_.size(), id, host_.rank()));
    comm_.reset(comm);
    log::debug("NCCL {} communicator ready on cuda:{}", world.label(), static_cast<int>(device_));
  }

  ~NcclCommunicator() override {
    if (!comm_) return;
    const c10::cuda::CUDAGuard guard(device_);
    comm_.reset();
  }

  int rank() const override { return host_.rank(); }
  int size() const override { return host_.size(); }
  Backend backend() const override { return Backend::Nccl; }
  at::Device device() const override { return at::Device(at::kCUDA, device_); }

  std::unique_ptr<PendingWork> all_reduce_async(const at::Tensor& tensor, ReduceOp op) override {
    check_collective_tensor(tensor, device(), "NCCL");
    check_reduce_op(tensor, op);
    return enqueue(tensor, [&](ncclComm_t comm, cudaStream_t stream) {
      return ncclAllReduce(tensor.data_ptr(), tensor.data_ptr(), static_cast<size_t>(tensor.numel()),
                           nccl_type(tensor.scalar_type()), nccl_op(op), comm, stream);
    });
  }

  void broadcast(const at::Tensor& tensor, int root) override {
    check_collective_tensor(tensor, device(), "NCCL");
    check_root(root, size());
    enqueue(tensor, [&](ncclComm_t comm, cudaStream_t stream) {
      return ncclBroadcast(tensor.data_ptr(), tensor.data_ptr(), static_cast<size_t>(tensor.numel()),
                           nccl_type(tensor.scalar_type()), root, comm, stream);
    })->wait();
  }

  void barrier() override { host_.barrier(); }

 protected:
  std::vector<int64_t> gather_int64(int64_t value) override { return host_.all_gather(value); }
  std::vector<double> gather_double(double value) override { return host_.all_gather(value); }
  std::vector<std::string> gather_string(const std::string& value) override { return host_.all_gather(value); }

 private:
  // Runs `call(comm, stream)` on stream_ after the work already queued on the caller's current stream.
  // A failed call aborts the communicator (ncclCommAbort) so no rank keeps using a broken one.
  template <class NcclCall>
  std::unique_ptr<PendingWork> enqueue(const at::Tensor& tensor, NcclCall call) {
    if (!comm_) throw CommError(where() + ": the NCCL communicator was aborted after an earlier error");
    const c10::cuda::CUDAGuard guard(device_);
    c10::cuda::CUDAEvent inputs_ready;
    inputs_ready.record(c10::cuda::getCurrentCUDAStream(device_));
    inputs_ready.block(stream_);
    try {
      NCCL_CHECK_COMM(comm_.get(), call(comm_.get(), stream_.stream()));
    } catch (...) {
      abort();
      throw;
    }
    // The caching allocator must not hand this memory to another stream before the collective is done.
    c10::cuda::CUDACachingAllocator::recordStream(tensor.storage().data_ptr(), stream_);
    c10::cuda::CUDAEvent done;
    done.record(stream_);
    return std::make_unique<NcclPendingWork>(std::move(done), tensor, device_);
  }

  void abort() noexcept {
    if (!comm_) return;
    log::error("aborting the NCCL communicator after an error");
    ncclCommAbort(comm_.release());
  }

  MpiCommunicator host_;  // unique-id exchange, barrier, all-gather of host values
  c10::DeviceIndex device_;
  c10::cuda::CUDAStream stream_;
  NcclCommPtr comm_;
};

}  // namespace

bool nccl_compiled_in() { return true; }

std::unique_ptr<Communicator> make_nccl_communicator(const World& world) {
  return std::make_unique<NcclCommunicator>(world);
}

}  // namespace musictag::cluster
