// Options of DistributedDataParallel: derived cap in bytes and the range checks.
#include "train/ddp/ddp_options.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cluster/errors.h"

namespace musictag::train {

int64_t DdpOptions::bucket_cap_bytes() const {
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(bucket_cap_mb_ * 1024.0 * 1024.0)));
}

void DdpOptions::validate() const {
  if (!(std::isfinite(bucket_cap_mb_) && bucket_cap_mb_ > 0)) {
    std::ostringstream message;
    message << "DdpOptions::bucket_cap_mb: expected a number in (0,inf) (MiB), got " << bucket_cap_mb_;
    throw ConfigError(message.str());
  }
}

}  // namespace musictag::train
