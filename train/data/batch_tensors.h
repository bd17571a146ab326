// Batch: one batch of log-mels and multi-hot tags as float32 tensors, with the examples' identities.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace musictag::train {

struct Batch {
  at::Tensor mel;                     // [B, n_mels, input_frames] float32 (pinned host memory when the loader pins)
  at::Tensor tags;                    // [B, n_tags] float32, 0 or 1
  std::vector<int64_t> track_ids;     // B
  std::vector<int64_t> examples;      // B indices into DataIndex::examples()
  std::vector<int16_t> variants;      // B (0 = original)
  std::vector<int16_t> segments;      // B
  std::vector<int64_t> crop_offsets;  // B: first stored frame of each example's crop
  int64_t epoch = 0;
  int64_t index = 0;  // batch number within the epoch

  int64_t size() const { return static_cast<int64_t>(examples.size()); }
};

// A Batch with uninitialised mel and tags tensors of the given sizes, in pinned memory when `pinned` (needs CUDA).
Batch allocate_batch(int64_t batch_size, int64_t n_mels, int64_t input_frames, int64_t n_tags, bool pinned);

}  // namespace musictag::train
