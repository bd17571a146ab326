// allocate_batch: the two host tensors of a Batch, optionally page-locked for asynchronous copies or pooled.
#include "train/data/batch_tensors.h"

namespace musictag::train {

Batch allocate_batch(int64_t batch_size, int64_t rows, int64_t input_frames, int64_t n_tags, bool pinned,
                     at::ScalarType mel_dtype) {
  const auto options = at::TensorOptions().dtype(at::kFloat).device(at::kCPU).pinned_memory(pinned);
  Batch batch;
  batch.input = at::empty({batch_size, rows, input_frames}, options.dtype(mel_dtype));
  batch.tags = at::empty({batch_size, n_tags}, options);
  return batch;
}

Batch allocate_batch(BatchBufferPool& pool, int64_t batch_size, int64_t rows, int64_t input_frames, int64_t n_tags,
                     at::ScalarType mel_dtype) {
  Batch batch;
  batch.input = pool.empty({batch_size, rows, input_frames}, mel_dtype);
  batch.tags = at::empty({batch_size, n_tags}, at::TensorOptions().dtype(at::kFloat).pinned_memory(pool.pinned()));
  return batch;
}

}  // namespace musictag::train
