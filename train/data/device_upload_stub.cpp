// DeviceUpload's CUDA factory in builds without the CUDA path: refuses with what to do.
#include "cluster/errors.h"
#include "train/data/device_upload.h"

namespace musictag::train {

std::unique_ptr<DeviceUpload> make_cuda_device_upload(const c10::Device&) {
  throw ConfigError(
      "this musictag was built without the CUDA path, so it cannot feed batches to a GPU: set train.device=cpu, or "
      "rebuild against a libtorch with CUDA and NCCL found at configure time (-DMUSICTAG_NCCL_ROOT=...)");
}

}  // namespace musictag::train
