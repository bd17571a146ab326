// PartCache: LRU of PartReaders checked against the index; the process-wide HDF5 lock for non-thread-safe builds.
#include "train/data/data_part_cache.h"

#include <fmt/format.h>
#include <hdf5.h>

#include "cluster/errors.h"

namespace musictag::train {

std::unique_lock<std::mutex> hdf5_lock() {
  static std::mutex mutex;
  static const bool threadsafe = [] {
    hbool_t value = 0;
    return H5is_library_threadsafe(&value) >= 0 && value != 0;
  }();
  return threadsafe ? std::unique_lock<std::mutex>() : std::unique_lock<std::mutex>(mutex);
}

PartCache::PartCache(const DataIndex& index, int64_t max_open)
    : index_(index), max_open_(static_cast<size_t>(max_open < 1 ? 1 : max_open)) {}

preprocess::PartReader& PartCache::get(int32_t part) {
  const auto found = readers_.find(part);
  if (found != readers_.end()) {
    recent_.splice(recent_.begin(), recent_, found->second.second);
    return *found->second.first;
  }
  if (readers_.size() >= max_open_) {
    readers_.erase(recent_.back());
    recent_.pop_back();
  }
  const std::string& path = index_.part_paths()[static_cast<size_t>(part)];
  auto reader = std::make_unique<preprocess::PartReader>(path);
  const int64_t expected = index_.part_sizes()[static_cast<size_t>(part)];
  if (reader->size() != expected || reader->header().kind != index_.kind() ||
      reader->header().rows() != index_.rows() || reader->header().columns() != index_.columns()) {
    throw DataError(
        fmt::format("part file '{}' changed while training: it now holds {} {} examples of [{}, {}], the "
                    "index was built with {} of [{}, {}]; do not rewrite a dataset in use, restart",
                    path, reader->size(), reader->header().kind_text(), reader->header().rows(),
                    reader->header().columns(), expected, index_.rows(), index_.columns()));
  }
  recent_.push_front(part);
  auto& slot = readers_[part];
  slot = {std::move(reader), recent_.begin()};
  return *slot.first;
}

}  // namespace musictag::train
