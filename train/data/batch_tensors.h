// Batch: one batch of model inputs (log-mel or waveform crops) and multi-hot tags as tensors, with the examples'
// identities.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

#include "train/data/batch_buffer_pool.h"

namespace musictag::train {

struct Batch {
  // [B, rows, input_frames]: log-mel crops [B, n_mels, frames] or waveform crops [B, 1, samples] (DataIndex::rows(),
  // columns()); float32 from the loader (float16 as stored when the loader keeps float16 for a GPU), in pinned host
  // memory when the loader pins; float32 on the training device after DeviceBatches.
  at::Tensor input;
  at::Tensor tags;                    // [B, n_tags] float32, 0 or 1 (host, or the device after DeviceBatches)
  std::vector<int64_t> track_ids;     // B
  std::vector<int64_t> examples;      // B indices into DataIndex::examples()
  std::vector<int16_t> variants;      // B (0 = original)
  std::vector<int16_t> segments;      // B
  std::vector<int64_t> crop_offsets;  // B: first stored column (frame or sample) of each example's crop
  int64_t epoch = 0;
  int64_t index = 0;  // batch number within the epoch

  int64_t size() const { return static_cast<int64_t>(examples.size()); }
};

// A Batch with uninitialised input (`mel_dtype`: float32 or float16) and float32 tags of the given sizes, in pinned
// memory when `pinned` (needs CUDA).
Batch allocate_batch(int64_t batch_size, int64_t rows, int64_t input_frames, int64_t n_tags, bool pinned,
                     at::ScalarType mel_dtype = at::kFloat);

// The same with the input on a buffer of `pool` (pinned when the pool is; the small tags tensor as above).
Batch allocate_batch(BatchBufferPool& pool, int64_t batch_size, int64_t rows, int64_t input_frames, int64_t n_tags,
                     at::ScalarType mel_dtype);

}  // namespace musictag::train
