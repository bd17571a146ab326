// DeviceBatches: a BatchLoader's batches on the training device, the next batch's upload started before this step.
#pragma once

#include <c10/core/Device.h>

#include <memory>
#include <optional>

#include "train/data/batch_loader.h"
#include "train/data/device_upload.h"

namespace musictag::train {

// Usage (the loader configured with pin_memory and mel_dtype float16 on CUDA, train/trainer.cpp):
//   DeviceBatches batches(loader, device);
//   loader.start_epoch(epoch, first_batch);
//   while (auto batch = batches.next()) { step(batch->input, batch->tags); }   // float32 on `device`
// next() finishes batch k's upload (the current stream waits for it on the GPU), then takes batch k+1 from the
// loader and starts its upload on the side stream before returning k: the copy of k+1 runs while the GPU computes
// step k. On the CPU the batches pass through unchanged. The loader's epoch must be drained (next() returned
// std::nullopt) before it starts another; stopping mid-epoch means destroying this object with the loader's epoch.
class DeviceBatches {
 public:
  // `loader` must outlive this object.
  DeviceBatches(BatchLoader& loader, const c10::Device& device);

  // Batch k of the loader's epoch with mel (float32) and tags on the device; std::nullopt after the last one.
  // Rethrows the loader's errors (a DataError naming the part file) when it reaches the failed batch.
  std::optional<Batch> next();

 private:
  BatchLoader& loader_;
  std::unique_ptr<DeviceUpload> upload_;
  bool in_flight_ = false;  // upload_ holds the loader's next batch
};

}  // namespace musictag::train
