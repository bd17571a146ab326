// DeviceUpload on the CPU (a pass-through) and the factory that picks the device's implementation.
#include "train/data/device_upload.h"

#include <optional>
#include <stdexcept>

namespace musictag::train {
namespace {

class CpuDeviceUpload final : public DeviceUpload {
 public:
  void start(Batch batch) override {
    if (pending_) throw std::logic_error("DeviceUpload::start: the previous batch was not finished");
    pending_ = std::move(batch);
  }

  Batch finish() override {
    if (!pending_) throw std::logic_error("DeviceUpload::finish: no batch was started");
    Batch batch = std::move(*pending_);
    pending_.reset();
    batch.input = batch.input.to(at::kFloat);  // the same tensor when it is float32 already
    return batch;
  }

 private:
  std::optional<Batch> pending_;
};

}  // namespace

std::unique_ptr<DeviceUpload> make_device_upload(const c10::Device& device) {
  if (device.is_cuda()) return make_cuda_device_upload(device);
  return std::make_unique<CpuDeviceUpload>();
}

}  // namespace musictag::train
