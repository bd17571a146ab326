// BatchAssembler: runs of consecutive rows read at once, each crop copied or widened row by row into the batch.
#include "train/data/batch_assembler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "cluster/errors.h"
#include "preprocess/format/float16.h"
#include "train/data/streaming_widen.h"

namespace musictag::train {

BatchAssembler::BatchAssembler(const DataIndex& index, int64_t input_frames, int64_t max_open_parts, bool pin_memory,
                               at::ScalarType mel_dtype, int64_t kept_buffers)
    : index_(index),
      input_frames_(input_frames),
      pin_memory_(pin_memory),
      mel_dtype_(mel_dtype),
      parts_(index, max_open_parts),
      buffers_(pin_memory, kept_buffers) {
  if (mel_dtype != at::kFloat && mel_dtype != at::kHalf)
    throw ConfigError(fmt::format("BatchAssembler: mel dtype {} is neither float32 nor float16 (a loader bug)",
                                  c10::toString(mel_dtype)));
}

void BatchAssembler::read_rows(int32_t part, int64_t row, int64_t rows, uint16_t* out) {
  const std::string& path = index_.part_paths()[static_cast<size_t>(part)];
  try {
    // Only HDF5 calls hold the lock (empty where HDF5 is thread-safe, whose own global lock then serialises them):
    // opening a part, locating its chunks once, and H5Dread where the part is compressed or a chunk is rejected.
    // Uncompressed parts are read with preadv and checked outside any lock (PartReader, DirectChunkReader), so loader
    // threads read in parallel; copies and widening run outside it too.
    preprocess::PartReader* reader = nullptr;
    {
      const auto lock = hdf5_lock();
      reader = &parts_.get(part);
    }
    reader->read_examples_float16(row, rows, out, hdf5_lock);
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
  Batch batch = allocate_batch(buffers_, count, n_rows, input_frames_, n_tags, mel_dtype_);
  const bool halves = mel_dtype_ == at::kHalf;
  // The batch's values: float16 bits as stored, or float32.
  auto* half_input = halves ? static_cast<uint16_t*>(batch.input.data_ptr()) : nullptr;
  float* float_input = halves ? nullptr : batch.input.data_ptr<float>();
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

  const int64_t per_example = n_rows * stored, per_crop = n_rows * input_frames_;
  // Runs read into stored_ are cut to kStagedBytes, so that they are still in the core's L2 cache when copied or
  // widened into the batch; runs read straight into a float16 batch are not.
  const bool into_batch = halves && input_frames_ == stored;
  const int64_t max_rows =
      into_batch
          ? kMaxRun
          : std::clamp<int64_t>(kStagedBytes / (per_example * static_cast<int64_t>(sizeof(uint16_t))), 1, kMaxRun);
  for (int64_t k = 0; k < count;) {
    const ExampleRef& first = index_.example(examples[static_cast<size_t>(k)]);
    // Entries k .. k+run-1 are rows first.row .. first.row+rows-1 of one part, each row once or repeated in a row
    // (an evaluation's chunks of one example), so each stored row is read once.
    int64_t run = 1, rows = 1;
    while (k + run < count) {
      const ExampleRef& previous = index_.example(examples[static_cast<size_t>(k + run - 1)]);
      const ExampleRef& next = index_.example(examples[static_cast<size_t>(k + run)]);
      if (next.part != first.part) break;
      if (next.row == previous.row + 1 && rows < max_rows) {
        ++rows;
      } else if (next.row != previous.row) {
        break;
      }
      ++run;
    }
    for (int64_t j = 0; j < run; ++j) {
      const int64_t offset = offsets[static_cast<size_t>(k + j)];
      if (offset < 0 || offset + input_frames_ > stored) {
        throw DataError(fmt::format("part file '{}': crop [{}, {}) of row {} is outside its {} columns (a loader bug)",
                                    index_.part_paths()[static_cast<size_t>(first.part)], offset,
                                    offset + input_frames_, index_.example(examples[static_cast<size_t>(k + j)]).row,
                                    stored));
      }
    }
    if (into_batch && rows == run) {
      // Whole examples, each row once: the batch's own memory is the read's destination, no copy at all.
      read_rows(first.part, first.row, rows, half_input + k * per_example);
      k += run;
      continue;
    }
    stored_.resize(static_cast<size_t>(rows * per_example));
    read_rows(first.part, first.row, rows, stored_.data());
    for (int64_t j = 0; j < run; ++j) {
      const int64_t offset = offsets[static_cast<size_t>(k + j)];
      const int64_t row = index_.example(examples[static_cast<size_t>(k + j)]).row;
      const uint16_t* source = stored_.data() + (row - first.row) * per_example + offset;
      if (!halves && input_frames_ == stored) {
        // A whole example is one contiguous span: widened past the caches (streaming_widen.h).
        widen_streaming(source, float_input + (k + j) * per_crop, static_cast<size_t>(per_example));
        continue;
      }
      for (int64_t m = 0; m < n_rows; ++m) {
        // float32: widened straight from the stored values (bit-identical to PartReader::read_examples).
        if (halves) {
          std::memcpy(half_input + (k + j) * per_crop + m * input_frames_, source + m * stored,
                      static_cast<size_t>(input_frames_) * sizeof(uint16_t));
        } else {
          preprocess::halves_to_floats(source + m * stored, float_input + (k + j) * per_crop + m * input_frames_,
                                       static_cast<size_t>(input_frames_));
        }
      }
    }
    k += run;
  }
  return batch;
}

}  // namespace musictag::train
