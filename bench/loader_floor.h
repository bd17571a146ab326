// The floor bench_loader compares the BatchLoader with: the same examples read with the HDF5 C API, raw float16.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "preprocess/format/hdf5_handle.h"
#include "train/data/batch_plan.h"
#include "train/data/data_index.h"

namespace musictag::bench {

// One part's /mel opened for raw reads: the memory type is the file's own float16 type, so H5Dread converts
// nothing; it still runs the filter pipeline (Fletcher32 check, inflate when deflated). Not thread-safe.
class RawMelReader {
 public:
  explicit RawMelReader(const std::string& path);  // DataError naming the file

  int64_t values_per_row() const { return values_per_row_; }
  // Rows first .. first + count - 1 into count * values_per_row() float16 values: one H5Dread of a hyperslab.
  void read_rows(int64_t first, int64_t count, uint16_t* out);
  // Row `row`'s chunk as stored (compressed or not, with its 4 checksum bytes): H5Dread_chunk, no filters run.
  size_t read_stored_chunk(int64_t row, std::vector<unsigned char>& out);
  // Where row `row`'s chunk lies in the file (H5Dget_chunk_info_by_coord), to read it with pread.
  struct Location {
    haddr_t offset = 0;
    hsize_t bytes = 0;
  };
  Location locate(int64_t row) const;
  const std::string& path() const { return path_; }
  std::string filters() const;  // the /mel filter pipeline, e.g. "shuffle+deflate(4)+fletcher32"

 private:
  std::string path_;
  preprocess::Hdf5File file_;
  preprocess::Hdf5Dataset mel_;
  preprocess::Hdf5Datatype type_;
  int64_t n_mels_ = 0, n_frames_ = 0, values_per_row_ = 0;
};

// Reads batches as the BatchLoader's threads would (thread t of `threads`: batches t, t + T, ... of each plan; runs
// of consecutive rows of one part in one read, at most train::BatchAssembler::kMaxRun rows), each thread with its own
// open parts (kept across read() calls, as the loader keeps them across epochs) and buffer, nothing converted or
// cropped. The index must outlive it.
class RawFloor {
 public:
  RawFloor(const train::DataIndex& index, int threads);
  // Reads every batch of `plans`; returns the examples read. Rethrows a thread's DataError.
  int64_t read(const std::vector<train::EpochPlan>& plans);

 private:
  int64_t read_share(const std::vector<train::EpochPlan>& plans, int thread);

  const train::DataIndex& index_;
  int threads_;
  std::vector<std::map<int32_t, std::unique_ptr<RawMelReader>>> parts_;  // per thread
  std::vector<std::vector<uint16_t>> buffers_;                           // per thread
};

}  // namespace musictag::bench
