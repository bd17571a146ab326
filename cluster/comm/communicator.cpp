// Communicator factory (backend choice) and the tensor checks shared by the MPI and NCCL backends.
#include "cluster/comm/communicator.h"

#include <fmt/format.h>

#include <sstream>

#include "cluster/comm/mpi_communicator.h"
#include "cluster/comm/nccl_communicator.h"
#include "cluster/errors.h"

namespace musictag::cluster {
namespace {

bool supported_dtype(at::ScalarType type) {
  switch (type) {
    case at::kFloat:
    case at::kDouble:
    case at::kHalf:
    case at::kBFloat16:
    case at::kInt:
    case at::kLong:
    case at::kByte:
      return true;
    default:
      return false;
  }
}

template <class T>
std::string describe(const T& value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace

const char* to_string(Backend backend) {
  switch (backend) {
    case Backend::Auto:
      return "auto";
    case Backend::Mpi:
      return "mpi";
    case Backend::Nccl:
      return "nccl";
  }
  return "unknown";
}

std::unique_ptr<Communicator> make_communicator(const World& world, Backend backend) {
  if (backend == Backend::Auto) backend = nccl_compiled_in() && at::hasCUDA() ? Backend::Nccl : Backend::Mpi;
  if (backend == Backend::Nccl) return make_nccl_communicator(world);
  return std::make_unique<MpiCommunicator>(world);
}

void check_collective_tensor(const at::Tensor& tensor, const at::Device& device, const char* backend) {
  if (!tensor.defined()) throw CommError(fmt::format("{} collective got an undefined tensor", backend));
  if (tensor.device() != device) {
    throw CommError(fmt::format("{} collectives need tensors on {}, got one on {}: move it with .to()", backend,
                                describe(device), describe(tensor.device())));
  }
  if (!supported_dtype(tensor.scalar_type())) {
    throw CommError(
        fmt::format("{} collectives support float32, float64, float16, bfloat16, int32, int64 and uint8 "
                    "tensors, got {}",
                    backend, describe(tensor.scalar_type())));
  }
  if (!tensor.is_contiguous()) {
    throw CommError(
        fmt::format("{} collectives need contiguous tensors, got sizes {} strides {}: the result must "
                    "land in the tensor's own storage, so make it contiguous first",
                    backend, describe(tensor.sizes()), describe(tensor.strides())));
  }
}

void check_reduce_op(const at::Tensor& tensor, ReduceOp op) {
  if (op == ReduceOp::Average && !at::isFloatingType(tensor.scalar_type())) {
    throw CommError(
        fmt::format("ReduceOp::Average of a {} tensor is refused: integer division would truncate; use "
                    "ReduceOp::Sum and divide where the rounding is intended",
                    describe(tensor.scalar_type())));
  }
}

void check_root(int root, int size) {
  if (root < 0 || root >= size) {
    throw CommError(fmt::format("broadcast root {} is not a rank of this world of {} ranks", root, size));
  }
}

}  // namespace musictag::cluster
