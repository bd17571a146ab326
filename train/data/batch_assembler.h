// BatchAssembler: builds one Batch from example indices and crop offsets, reading mels through its own PartCache.
#pragma once

#include <cstdint>
#include <vector>

#include "train/data/batch_tensors.h"
#include "train/data/data_index.h"
#include "train/data/data_part_cache.h"

namespace musictag::train {

// One per loader thread (it owns PartReaders, which are not thread-safe); the index is shared read-only.
// Consecutive rows of one part in a batch are read with one HDF5 call (up to kMaxRun rows; a row repeated in a row,
// as an evaluation's chunks of one example are, is read once).
class BatchAssembler {
 public:
  static constexpr int64_t kMaxRun = 16;

  // input_frames (crop length in the index's columns: frames of a log-mel, samples of a waveform) in
  // [1, index.columns()]; the index must outlive the assembler. mel_dtype: at::kFloat (the stored
  // float16 values widened exactly) or at::kHalf (the stored values as they are, for a device-side conversion);
  // ConfigError for any other.
  BatchAssembler(const DataIndex& index, int64_t input_frames, int64_t max_open_parts, bool pin_memory,
                 at::ScalarType mel_dtype = at::kFloat);

  // input[k] = stored example examples[k], columns offsets[k] .. offsets[k] + input_frames - 1, in mel_dtype; tags,
  // ids, variants and segments from the index. DataError naming the part file when reading fails (other exceptions from
  // a read are rethrown as DataError naming the file too).
  Batch assemble(const std::vector<int64_t>& examples, const std::vector<int64_t>& offsets);

 private:
  // Reads `rows` stored mels from row `row` of `part` into the scratch buffer of mel_dtype_; returns its bytes.
  const char* read_rows(int32_t part, int64_t row, int64_t rows);

  const DataIndex& index_;
  int64_t input_frames_;
  bool pin_memory_;
  at::ScalarType mel_dtype_;
  PartCache parts_;
  std::vector<float> scratch_;            // up to kMaxRun stored mels, widened (mel_dtype_ float32)
  std::vector<uint16_t> scratch_halves_;  // up to kMaxRun stored mels as stored (mel_dtype_ float16)
};

}  // namespace musictag::train
