// DeviceBatches: one batch uploaded ahead of the one the caller trains on.
#include "train/data/device_batches.h"

namespace musictag::train {

DeviceBatches::DeviceBatches(BatchLoader& loader, const c10::Device& device)
    : loader_(loader), upload_(make_device_upload(device)) {}

std::optional<Batch> DeviceBatches::next() {
  if (!in_flight_) {
    std::optional<Batch> first = loader_.next();
    if (!first) return std::nullopt;
    upload_->start(std::move(*first));
  }
  in_flight_ = false;
  Batch current = upload_->finish();
  if (std::optional<Batch> following = loader_.next()) {
    upload_->start(std::move(*following));
    in_flight_ = true;
  }
  return current;
}

}  // namespace musictag::train
