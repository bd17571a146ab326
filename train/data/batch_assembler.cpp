// BatchAssembler: runs of consecutive rows read at once, each example's crop copied row by row into the batch.
#include "train/data/batch_assembler.h"

#include <fmt/format.h>

#include <cstring>

#include "cluster/errors.h"

namespace musictag::train {

BatchAssembler::BatchAssembler(const DataIndex& index, int64_t input_frames, int64_t max_open_parts, bool pin_memory,
                               at::ScalarType mel_dtype)
    : index_(index),
      input_frames_(input_frames),
      pin_memory_(pin_memory),
      mel_dtype_(mel_dtype),
      parts_(index, max_open_parts) {
  if (mel_dtype != at::kFloat && mel_dtype != at::kHalf)
    throw ConfigError(fmt::format("BatchAssembler: mel dtype {} is neither float32 nor float16 (a loader bug)",
                                  c10::toString(mel_dtype)));
}

const char* BatchAssembler::read_rows(int32_t part, int64_t row, int64_t rows) {
  const auto values = static_cast<size_t>(rows * index_.rows() * index_.columns());
  const std::string& path = index_.part_paths()[static_cast<size_t>(part)];
  try {
    const auto lock = hdf5_lock();
    if (mel_dtype_ == at::kHalf) {
      scratch_halves_.resize(values);
      parts_.get(part).read_examples_float16(row, rows, scratch_halves_.data());
      return reinterpret_cast<const char*>(scratch_halves_.data());
    }
    scratch_.resize(values);
    parts_.get(part).read_examples(row, rows, scratch_.data());
    return reinterpret_cast<const char*>(scratch_.data());
  } catch (const DataError&) {
    throw;
  } catch (const std::exception& error) {
    throw DataError(
        fmt::format("part file '{}': reading rows {}..{} failed: {}; check the file (rerun preprocess "
                    "for it if it is damaged)",
                    path, row, row + rows - 1, error.what()));
  }
}

Batch BatchAssembler::assemble(const std::vector<int64_t>& examples, const std::vector<int64_t>& offsets) {
  const auto count = static_cast<int64_t>(examples.size());
  const int64_t n_rows = index_.rows(), stored = index_.columns(), n_tags = index_.n_tags();
  Batch batch = allocate_batch(count, n_rows, input_frames_, n_tags, pin_memory_, mel_dtype_);
  char* mel = static_cast<char*>(batch.input.data_ptr());
  const auto element = static_cast<int64_t>(batch.input.element_size());
  float* tags = batch.tags.data_ptr<float>();
  batch.examples = examples;
  batch.crop_offsets = offsets;

  for (int64_t k = 0; k < count; ++k) {
    const int64_t i = examples[static_cast<size_t>(k)];
    const ExampleRef& e = index_.example(i);
    batch.track_ids.push_back(e.track_id);
    batch.variants.push_back(e.variant);
    batch.segments.push_back(e.segment);
    const uint8_t* labels = index_.tags_of(i);
    for (int64_t t = 0; t < n_tags; ++t) tags[k * n_tags + t] = labels[t] ? 1.0f : 0.0f;
  }

  const int64_t per_example = n_rows * stored;
  for (int64_t k = 0; k < count;) {
    const ExampleRef& first = index_.example(examples[static_cast<size_t>(k)]);
    // Entries k .. k+run-1 are rows first.row .. first.row+rows-1 of one part, each row once or repeated in a row
    // (an evaluation's chunks of one example), so each stored row is read once.
    int64_t run = 1, rows = 1;
    while (k + run < count) {
      const ExampleRef& previous = index_.example(examples[static_cast<size_t>(k + run - 1)]);
      const ExampleRef& next = index_.example(examples[static_cast<size_t>(k + run)]);
      if (next.part != first.part) break;
      if (next.row == previous.row + 1 && rows < kMaxRun) {
        ++rows;
      } else if (next.row != previous.row) {
        break;
      }
      ++run;
    }
    const char* stored_rows = read_rows(first.part, first.row, rows);
    for (int64_t j = 0; j < run; ++j) {
      const int64_t offset = offsets[static_cast<size_t>(k + j)];
      const int64_t row = index_.example(examples[static_cast<size_t>(k + j)]).row;
      if (offset < 0 || offset + input_frames_ > stored) {
        throw DataError(fmt::format("part file '{}': crop [{}, {}) of row {} is outside its {} columns (a loader bug)",
                                    index_.part_paths()[static_cast<size_t>(first.part)], offset,
                                    offset + input_frames_, row, stored));
      }
      const char* source = stored_rows + (row - first.row) * per_example * element;
      char* target = mel + (k + j) * n_rows * input_frames_ * element;
      for (int64_t m = 0; m < n_rows; ++m) {
        std::memcpy(target + m * input_frames_ * element, source + (m * stored + offset) * element,
                    static_cast<size_t>(input_frames_ * element));
      }
    }
    k += run;
  }
  return batch;
}

}  // namespace musictag::train
