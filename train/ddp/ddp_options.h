// Options of DistributedDataParallel: gradient bucket size and whether BatchNorm buffers follow rank 0.
#pragma once

#include <torch/arg.h>

#include <cstdint>

namespace musictag::train {

// Defaults are PyTorch DDP's. Checked by the DistributedDataParallel constructor (ConfigError naming the option).
struct DdpOptions {
  // Largest gradient bucket in MiB (2^20 bytes), in (0, inf). Parameters are packed, last registered first, into
  // buckets no larger than this; a single parameter larger than the cap gets a bucket of its own. Smaller buckets
  // start communicating earlier in backward, larger ones pay less per-call latency.
  TORCH_ARG(double, bucket_cap_mb) = 25.0;
  // When true, sync_buffers() copies rank 0's buffers (BatchNorm running statistics) to every rank; call it before
  // each forward, as PyTorch DDP does. When false, sync_buffers() does nothing and buffers drift apart per rank.
  TORCH_ARG(bool, broadcast_buffers) = true;

 public:  // (TORCH_ARG leaves the section private)
  // The cap in bytes (at least 1).
  int64_t bucket_cap_bytes() const;
  // Throws ConfigError naming the first option out of range.
  void validate() const;
};

}  // namespace musictag::train
