// DeviceUpload: moves one batch's mel and tags from host memory to the training device, one batch in flight.
#pragma once

#include <c10/core/Device.h>

#include <memory>

#include "train/data/batch_tensors.h"

namespace musictag::train {

// start(batch) begins the move, finish() returns the batch with mel (float32) and tags on the device, ready for the
// work the caller queues next on its current stream. Calls alternate: start, finish, start, ... (std::logic_error
// otherwise).
//   CPU: nothing to copy; the batch comes back as it went in (a float16 mel is widened, a float32 one is the same
//   tensor), so the CPU path is unchanged bit for bit.
//   CUDA (device_upload_cuda.cpp): start() allocates the device tensors on a side stream, enqueues non-blocking
//   copies from the (pinned) host tensors there, widens a float16 mel to float32 on the GPU there, and records an
//   event. finish() makes the caller's current (compute) stream wait for the event on the GPU (the host never
//   blocks) and marks the device tensors as used by it (record_stream), so the caching allocator does not hand their
//   memory to the side stream's next upload while the step still reads them. The pinned host tensors may be freed
//   right after start(): torch's pinned-memory allocator records the copy on the side stream and reuses the block
//   only once it has finished.
class DeviceUpload {
 public:
  virtual ~DeviceUpload() = default;
  virtual void start(Batch batch) = 0;
  virtual Batch finish() = 0;
};

// For the training device: the CPU pass-through or the CUDA upload. ConfigError for a CUDA device in a build
// without the CUDA path.
std::unique_ptr<DeviceUpload> make_device_upload(const c10::Device& device);

// The CUDA upload (device_upload_cuda.cpp; device_upload_stub.cpp refuses in builds without CUDA).
std::unique_ptr<DeviceUpload> make_cuda_device_upload(const c10::Device& device);

}  // namespace musictag::train
