// BatchAssembler: runs of consecutive rows read at once, each example's crop copied row by row into the batch.
#include "train/data/batch_assembler.h"

#include <fmt/format.h>

#include <cstring>

#include "cluster/errors.h"

namespace musictag::train {

BatchAssembler::BatchAssembler(const DataIndex& index, int64_t input_frames, int64_t max_open_parts, bool pin_memory)
    : index_(index), input_frames_(input_frames), pin_memory_(pin_memory), parts_(index, max_open_parts) {}

Batch BatchAssembler::assemble(const std::vector<int64_t>& examples, const std::vector<int64_t>& offsets) {
  const auto count = static_cast<int64_t>(examples.size());
  const int64_t n_mels = index_.n_mels(), stored = index_.n_frames(), n_tags = index_.n_tags();
  Batch batch = allocate_batch(count, n_mels, input_frames_, n_tags, pin_memory_);
  float* mel = batch.mel.data_ptr<float>();
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

  const auto per_example = static_cast<size_t>(n_mels * stored);
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
    scratch_.resize(per_example * static_cast<size_t>(rows));
    const std::string& path = index_.part_paths()[static_cast<size_t>(first.part)];
    try {
      const auto lock = hdf5_lock();
      parts_.get(first.part).read_mels(first.row, rows, scratch_.data());
    } catch (const DataError&) {
      throw;
    } catch (const std::exception& error) {
      throw DataError(
          fmt::format("part file '{}': reading rows {}..{} failed: {}; check the file (rerun preprocess "
                      "for it if it is damaged)",
                      path, first.row, first.row + rows - 1, error.what()));
    }
    for (int64_t j = 0; j < run; ++j) {
      const int64_t offset = offsets[static_cast<size_t>(k + j)];
      const int64_t row = index_.example(examples[static_cast<size_t>(k + j)]).row;
      if (offset < 0 || offset + input_frames_ > stored) {
        throw DataError(fmt::format("part file '{}': crop [{}, {}) of row {} is outside its {} frames (a loader bug)",
                                    path, offset, offset + input_frames_, row, stored));
      }
      const float* source = scratch_.data() + static_cast<size_t>(row - first.row) * per_example;
      float* target = mel + (k + j) * n_mels * input_frames_;
      for (int64_t m = 0; m < n_mels; ++m) {
        std::memcpy(target + m * input_frames_, source + m * stored + offset,
                    static_cast<size_t>(input_frames_) * sizeof(float));
      }
    }
    k += run;
  }
  return batch;
}

}  // namespace musictag::train
