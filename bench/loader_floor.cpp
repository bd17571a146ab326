// RawMelReader and RawFloor: H5Dread / H5Dread_chunk / chunk locations of /mel, read by the plan's threads.
#include "bench/loader_floor.h"

#include <fmt/format.h>

#include <thread>

#include "cluster/errors.h"
#include "preprocess/format/hdf5_check.h"
#include "train/data/batch_assembler.h"
#include "train/data/data_part_cache.h"

namespace musictag::bench {

RawMelReader::RawMelReader(const std::string& path)
    : path_(path),
      file_(preprocess::open_hdf5_file(path)),
      mel_(preprocess::open_hdf5_dataset(file_.get(), "mel", path)),
      type_(H5_CHECK_CTX(H5Dget_type(mel_.get()), path)) {
  const preprocess::Hdf5Dataspace space = preprocess::hdf5_dataspace_of(mel_, path);
  hsize_t dims[3] = {0, 0, 0};
  if (H5Sget_simple_extent_ndims(space.get()) != 3 || H5Sget_simple_extent_dims(space.get(), dims, nullptr) != 3)
    throw DataError(fmt::format("part file '{}': /mel is not 3-dimensional; rerun preprocess for it", path));
  n_mels_ = static_cast<int64_t>(dims[1]);
  n_frames_ = static_cast<int64_t>(dims[2]);
  values_per_row_ = n_mels_ * n_frames_;
}

void RawMelReader::read_rows(int64_t first, int64_t count, uint16_t* out) {
  const hsize_t start[3] = {static_cast<hsize_t>(first), 0, 0};
  const hsize_t block[3] = {static_cast<hsize_t>(count), static_cast<hsize_t>(n_mels_),
                            static_cast<hsize_t>(n_frames_)};
  const preprocess::Hdf5Dataspace file_space = preprocess::hdf5_dataspace_of(mel_, path_);
  H5_CHECK_CTX(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr), path_);
  const preprocess::Hdf5Dataspace memory_space(H5_CHECK_CTX(H5Screate_simple(3, block, nullptr), path_));
  H5_CHECK_CTX(H5Dread(mel_.get(), type_.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, out), path_);
}

size_t RawMelReader::read_stored_chunk(int64_t row, std::vector<unsigned char>& out) {
  const hsize_t offset[3] = {static_cast<hsize_t>(row), 0, 0};
  hsize_t bytes = 0;
  H5_CHECK_CTX(H5Dget_chunk_storage_size(mel_.get(), offset, &bytes), path_);
  if (out.size() < bytes) out.resize(bytes);
  uint32_t filter_mask = 0;
  H5_CHECK_CTX(H5Dread_chunk(mel_.get(), H5P_DEFAULT, offset, &filter_mask, out.data()), path_);
  return static_cast<size_t>(bytes);
}

RawMelReader::Location RawMelReader::locate(int64_t row) const {
  const hsize_t offset[3] = {static_cast<hsize_t>(row), 0, 0};
  Location location;
  unsigned filter_mask = 0;
  H5_CHECK_CTX(H5Dget_chunk_info_by_coord(mel_.get(), offset, &filter_mask, &location.offset, &location.bytes), path_);
  return location;
}

std::string RawMelReader::filters() const {
  const preprocess::Hdf5PropertyList create = preprocess::hdf5_create_plist_of(mel_, path_);
  const int count = H5_CHECK_CTX(H5Pget_nfilters(create.get()), path_);
  std::string names;
  for (int i = 0; i < count; ++i) {
    unsigned flags = 0, config = 0;
    size_t values = 4;
    unsigned parameters[4] = {0, 0, 0, 0};
    char name[64] = {};
    const H5Z_filter_t id =
        H5Pget_filter2(create.get(), static_cast<unsigned>(i), &flags, &values, parameters, sizeof name, name, &config);
    std::string item = id == H5Z_FILTER_DEFLATE      ? fmt::format("deflate({})", parameters[0])
                       : id == H5Z_FILTER_SHUFFLE    ? std::string("shuffle")
                       : id == H5Z_FILTER_FLETCHER32 ? std::string("fletcher32")
                                                     : fmt::format("filter{}", id);
    names += (names.empty() ? "" : "+") + item;
  }
  return names.empty() ? "none" : names;
}

RawFloor::RawFloor(const train::DataIndex& index, int threads)
    : index_(index),
      threads_(threads < 1 ? 1 : threads),
      parts_(static_cast<size_t>(threads_)),
      buffers_(static_cast<size_t>(threads_)) {}

int64_t RawFloor::read_share(const std::vector<train::EpochPlan>& plans, int thread) {
  auto& parts = parts_[static_cast<size_t>(thread)];
  auto& buffer = buffers_[static_cast<size_t>(thread)];
  int64_t examples = 0;
  for (const train::EpochPlan& plan : plans) {
    for (size_t b = static_cast<size_t>(thread); b < plan.examples.size(); b += static_cast<size_t>(threads_)) {
      const std::vector<int64_t>& batch = plan.examples[b];
      for (size_t k = 0; k < batch.size();) {
        const train::ExampleRef& first = index_.example(batch[k]);
        // As BatchAssembler: consecutive rows of one part (or a row repeated) form one read of up to kMaxRun rows.
        size_t run = 1;
        int64_t rows = 1;
        while (k + run < batch.size()) {
          const train::ExampleRef& previous = index_.example(batch[k + run - 1]);
          const train::ExampleRef& next = index_.example(batch[k + run]);
          if (next.part != first.part) break;
          if (next.row == previous.row + 1 && rows < train::BatchAssembler::kMaxRun) {
            ++rows;
          } else if (next.row != previous.row) {
            break;
          }
          ++run;
        }
        auto& reader = parts[first.part];
        if (!reader) reader = std::make_unique<RawMelReader>(index_.part_paths()[static_cast<size_t>(first.part)]);
        buffer.resize(static_cast<size_t>(rows * reader->values_per_row()));
        {
          const auto lock = train::hdf5_lock();
          reader->read_rows(first.row, rows, buffer.data());
        }
        examples += static_cast<int64_t>(run);
        k += run;
      }
    }
  }
  return examples;
}

int64_t RawFloor::read(const std::vector<train::EpochPlan>& plans) {
  if (threads_ == 1) return read_share(plans, 0);
  std::vector<int64_t> counts(static_cast<size_t>(threads_), 0);
  std::vector<std::exception_ptr> errors(static_cast<size_t>(threads_));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads_; ++t) {
    workers.emplace_back([&, t] {
      try {
        counts[static_cast<size_t>(t)] = read_share(plans, t);
      } catch (...) {
        errors[static_cast<size_t>(t)] = std::current_exception();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
  int64_t total = 0;
  for (const int64_t count : counts) total += count;
  return total;
}

}  // namespace musictag::bench
