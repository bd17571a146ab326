// DeviceUpload on CUDA: non-blocking copies on a side stream, float16 widened there, an event for the compute stream.
#include <c10/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <optional>
#include <stdexcept>

#include "train/data/device_upload.h"

namespace musictag::train {
namespace {

class CudaDeviceUpload final : public DeviceUpload {
 public:
  explicit CudaDeviceUpload(const c10::Device& device)
      : device_(c10::kCUDA, device.has_index() ? device.index() : c10::cuda::current_device()),
        copy_stream_(c10::cuda::getStreamFromPool(/*isHighPriority=*/false, device_.index())) {}

  void start(Batch batch) override {
    if (pending_) throw std::logic_error("DeviceUpload::start: the previous batch was not finished");
    {
      const c10::cuda::CUDAStreamGuard on_copy_stream(copy_stream_);  // current device and stream for what follows
      // Allocated while the copy stream is current, so they belong to it: no other stream is using this memory.
      const at::Tensor stored = batch.input.to(device_, /*non_blocking=*/true);
      batch.tags = batch.tags.to(device_, /*non_blocking=*/true);
      batch.input = stored.to(at::kFloat);  // float16 -> float32 on the GPU (the same tensor when already float32)
      copied_.record(copy_stream_);
    }
    pending_ = std::move(batch);
  }

  Batch finish() override {
    if (!pending_) throw std::logic_error("DeviceUpload::finish: no batch was started");
    const c10::cuda::CUDAStream compute = c10::cuda::getCurrentCUDAStream(device_.index());
    copied_.block(compute);  // cudaStreamWaitEvent: the GPU waits, the host goes on
    // Freed later while the compute stream may still read them: the allocator waits for that stream's work first.
    pending_->input.record_stream(compute);
    pending_->tags.record_stream(compute);
    Batch batch = std::move(*pending_);
    pending_.reset();
    return batch;
  }

 private:
  c10::Device device_;
  c10::cuda::CUDAStream copy_stream_;
  c10::cuda::CUDAEvent copied_;  // recorded after each batch's copies and conversion on copy_stream_
  std::optional<Batch> pending_;
};

}  // namespace

std::unique_ptr<DeviceUpload> make_cuda_device_upload(const c10::Device& device) {
  return std::make_unique<CudaDeviceUpload>(device);
}

}  // namespace musictag::train
