// DirectChunkReader: qualification from the dataset's creation properties, chunk lookup per row, preadv of adjacent
// chunks and the Fletcher32 check.
#include "preprocess/format/direct_chunk_reader.h"

#include <algorithm>

#include "preprocess/format/fletcher32.h"
#include "preprocess/format/hdf5_handle.h"

namespace musictag::preprocess {
namespace {

constexpr size_t kChecksumBytes = 4;
constexpr size_t kMaxBuffers = 512;  // iovecs per preadv, well below IOV_MAX (1024)
// Bytes per preadv (beyond one chunk): a group's checksums are computed right after its read, while the bytes are
// still in the core's L2 cache; a 16-row run of 262 KB examples read at once was checked from L3, 25% slower.
constexpr uint64_t kMaxGroupBytes = 256 * 1024;

// No filter, or Fletcher32 alone; false when it cannot be told.
bool plain_or_fletcher32_only(hid_t create, bool& checksummed) {
  const int count = H5Pget_nfilters(create);
  if (count < 0 || count > 1) return false;
  checksummed = count == 1;
  if (count == 0) return true;
  unsigned flags = 0, config = 0, values[4] = {0, 0, 0, 0};
  size_t n_values = 4;
  char name[64] = {};
  return H5Pget_filter2(create, 0, &flags, &n_values, values, sizeof name, name, &config) == H5Z_FILTER_FLETCHER32;
}

// Offsets HDF5 reports are relative to the superblock: equal to file offsets only without a user block, and only the
// sec2 driver maps them to one file as they are.
bool plain_file_layout(hid_t file) {
  const Hdf5PropertyList create(H5Fget_create_plist(file));
  hsize_t user_block = 1;
  if (!create || H5Pget_userblock(create.get(), &user_block) < 0 || user_block != 0) return false;
  const Hdf5PropertyList access(H5Fget_access_plist(file));
  return access && H5Pget_driver(access.get()) == H5FD_SEC2;
}

}  // namespace

std::unique_ptr<DirectChunkReader> DirectChunkReader::open_if_qualifies(hid_t file, hid_t dataset, hid_t memory_type,
                                                                        const std::string& path) {
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  return nullptr;  // the stored little-endian values would need swapping
#endif
  const Hdf5PropertyList create(H5Dget_create_plist(dataset));
  if (!create || H5Pget_layout(create.get()) != H5D_CHUNKED) return nullptr;
  const Hdf5Dataspace space(H5Dget_space(dataset));
  const int rank = space ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (rank < 1 || rank > 8) return nullptr;
  std::vector<hsize_t> dims(static_cast<size_t>(rank)), chunk(static_cast<size_t>(rank));
  if (H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) != rank ||
      H5Pget_chunk(create.get(), rank, chunk.data()) != rank || chunk[0] != 1 ||
      !std::equal(dims.begin() + 1, dims.end(), chunk.begin() + 1)) {
    return nullptr;
  }
  bool checksummed = false;
  if (!plain_or_fletcher32_only(create.get(), checksummed)) return nullptr;
  const Hdf5Datatype stored(H5Dget_type(dataset));
  if (!stored || H5Tequal(stored.get(), memory_type) <= 0) return nullptr;
  if (!plain_file_layout(file)) return nullptr;
  size_t example_bytes = H5Tget_size(memory_type);
  for (int d = 1; d < rank; ++d) example_bytes *= static_cast<size_t>(dims[static_cast<size_t>(d)]);
  if (example_bytes == 0) return nullptr;
  ReadOnlyFile descriptor(path);
  if (!descriptor.is_open()) return nullptr;  // HDF5 has it open: let it read (and report) as before
  return std::unique_ptr<DirectChunkReader>(new DirectChunkReader(std::move(descriptor), dataset, rank, example_bytes,
                                                                  checksummed, static_cast<size_t>(dims[0])));
}

DirectChunkReader::DirectChunkReader(ReadOnlyFile file, hid_t dataset, int rank, size_t example_bytes, bool checksummed,
                                     size_t rows)
    : file_(std::move(file)),
      dataset_(dataset),
      rank_(rank),
      example_bytes_(example_bytes),
      checksummed_(checksummed),
      chunks_(rows) {}

bool DirectChunkReader::located(int64_t first, int64_t count) const {
  for (int64_t row = first; row < first + count; ++row)
    if (chunks_[static_cast<size_t>(row)].state == State::unknown) return false;
  return true;
}

void DirectChunkReader::locate(int64_t first, int64_t count) {
  std::vector<hsize_t> coordinates(static_cast<size_t>(rank_), 0);
  const hsize_t expected = example_bytes_ + (checksummed_ ? kChecksumBytes : 0);
  for (int64_t row = first; row < first + count; ++row) {
    Chunk& chunk = chunks_[static_cast<size_t>(row)];
    if (chunk.state != State::unknown) continue;
    coordinates[0] = static_cast<hsize_t>(row);
    unsigned filter_mask = 0;
    haddr_t address = HADDR_UNDEF;
    hsize_t bytes = 0;
    const bool direct = H5Dget_chunk_info_by_coord(dataset_, coordinates.data(), &filter_mask, &address, &bytes) >= 0 &&
                        address != HADDR_UNDEF && filter_mask == 0 && bytes == expected;
    chunk.offset = direct ? static_cast<uint64_t>(address) : 0;
    chunk.state = direct ? State::direct : State::hdf5;
  }
}

void DirectChunkReader::read(int64_t first, int64_t count, unsigned char* out, std::vector<int64_t>& rejected) {
  rejected.clear();
  checksums_.resize(static_cast<size_t>(count) * kChecksumBytes);
  buffers_.clear();
  group_first_ = -1;
  const uint64_t stored = example_bytes_ + (checksummed_ ? kChecksumBytes : 0);
  for (int64_t row = first; row < first + count; ++row) {
    const Chunk& chunk = chunks_[static_cast<size_t>(row)];
    if (chunk.state != State::direct) {
      read_group(first, row, out, rejected);
      rejected.push_back(row);
      continue;
    }
    if (group_first_ >= 0 && (chunk.offset != group_end_ || buffers_.size() + 2 > kMaxBuffers ||
                              group_end_ - group_offset_ + stored > kMaxGroupBytes))
      read_group(first, row, out, rejected);
    if (group_first_ < 0) {
      group_first_ = row;
      group_offset_ = group_end_ = chunk.offset;
    }
    buffers_.push_back({out + static_cast<size_t>(row - first) * example_bytes_, example_bytes_});
    if (checksummed_)
      buffers_.push_back({checksums_.data() + static_cast<size_t>(row - first) * kChecksumBytes, kChecksumBytes});
    group_end_ += stored;
  }
  read_group(first, first + count, out, rejected);
  std::sort(rejected.begin(), rejected.end());
}

void DirectChunkReader::read_group(int64_t first, int64_t end, unsigned char* out, std::vector<int64_t>& rejected) {
  if (group_first_ < 0) return;
  const int64_t group_first = group_first_;
  const auto wanted = static_cast<ssize_t>(group_end_ - group_offset_);
  const ssize_t got =
      file_.read_at(buffers_.data(), static_cast<int>(buffers_.size()), static_cast<off_t>(group_offset_));
  buffers_.clear();
  group_first_ = -1;
  for (int64_t row = group_first; row < end; ++row) {
    const size_t k = static_cast<size_t>(row - first);
    if (got != wanted || (checksummed_ && !fletcher32_accepts(fletcher32(out + k * example_bytes_, example_bytes_),
                                                              checksums_.data() + k * kChecksumBytes))) {
      rejected.push_back(row);
    }
  }
}

}  // namespace musictag::preprocess
