// BatchAssembler: builds one Batch from example indices and crop offsets, reading mels through its own PartCache.
#pragma once

#include <cstdint>
#include <vector>

#include "train/data/batch_tensors.h"
#include "train/data/data_index.h"
#include "train/data/data_part_cache.h"

namespace musictag::train {

// One per loader thread (it owns PartReaders, which are not thread-safe); the index is shared read-only.
// Consecutive rows of one part in a batch are read with one read (up to kMaxRun rows; a row repeated in a row,
// as an evaluation's chunks of one example are, is read once). Every pass over an example's values costs about as
// much as the read itself (bench_loader), so each value is touched once after the read: float16 whole examples
// are read straight into the batch; otherwise the run is read into a reused float16 buffer and only the crop's
// columns are copied (float16) or widened (float32) from it into the batch. Uncompressed parts are read with preadv
// outside HDF5 and its lock (PartReader's direct chunk reads), so the threads' reads overlap.
class BatchAssembler {
 public:
  static constexpr int64_t kMaxRun = 16;
  // At most this many bytes of a run are staged in the reused float16 buffer at once (at least one row): a 16-row
  // run of 96 x 1366 examples (4 MiB) had left the L2 cache before it was widened.
  static constexpr int64_t kStagedBytes = 512 * 1024;

  // input_frames (crop length in the index's columns: frames of a log-mel, samples of a waveform) in
  // [1, index.columns()]; the index must outlive the assembler. mel_dtype: at::kFloat (the stored
  // float16 values widened exactly) or at::kHalf (the stored values as they are, for a device-side conversion);
  // ConfigError for any other.
  // kept_buffers: batch buffers kept for reuse once the consumer drops their batches (BatchBufferPool); enough for
  // the batches this thread has alive at once (built ahead, being built, held by the consumer) avoids any allocation.
  BatchAssembler(const DataIndex& index, int64_t input_frames, int64_t max_open_parts, bool pin_memory,
                 at::ScalarType mel_dtype = at::kFloat, int64_t kept_buffers = 4);

  // input[k] = stored example examples[k], columns offsets[k] .. offsets[k] + input_frames - 1, in mel_dtype; tags,
  // ids, variants and segments from the index. DataError naming the part file when reading fails (other exceptions from
  // a read are rethrown as DataError naming the file too).
  Batch assemble(const std::vector<int64_t>& examples, const std::vector<int64_t>& offsets);

 private:
  // Reads `rows` stored examples from row `row` of `part` as stored (float16) into `out`.
  void read_rows(int32_t part, int64_t row, int64_t rows, uint16_t* out);

  const DataIndex& index_;
  int64_t input_frames_;
  bool pin_memory_;
  at::ScalarType mel_dtype_;
  PartCache parts_;
  BatchBufferPool buffers_;
  std::vector<uint16_t> stored_;  // up to kStagedBytes of stored examples as stored; reused, so in the core's cache
};

}  // namespace musictag::train
