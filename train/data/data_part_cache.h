// PartCache: one loader thread's open PartReaders, at most max_open of them (least recently used closed first).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "preprocess/format/part_reader.h"
#include "train/data/data_index.h"

namespace musictag::train {

// Not thread-safe: each loader thread owns one (PartReader is not thread-safe either). A reader opened here is
// checked against the index (n_mels, n_frames, example count), so a part replaced after the index was built fails
// with a DataError naming it instead of delivering other data.
class PartCache {
 public:
  PartCache(const DataIndex& index, int64_t max_open);

  preprocess::PartReader& get(int32_t part);
  int64_t open_count() const { return static_cast<int64_t>(readers_.size()); }

 private:
  const DataIndex& index_;
  size_t max_open_;
  std::list<int32_t> recent_;  // most recently used first
  std::unordered_map<int32_t, std::pair<std::unique_ptr<preprocess::PartReader>, std::list<int32_t>::iterator>>
      readers_;
};

// Held around every HDF5 call of the loader threads. Debian's libhdf5 is built thread-safe (a global lock inside
// the library), so this lock is then empty; a cluster's HDF5 built without --enable-threadsafe gets serialised here
// instead of crashing. Decided once per process with H5is_library_threadsafe.
std::unique_lock<std::mutex> hdf5_lock();

}  // namespace musictag::train
