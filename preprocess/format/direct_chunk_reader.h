// DirectChunkReader: a part's examples read chunk by chunk with preadv at the offsets HDF5 reports, Fletcher32 checked
// here: no HDF5 call, so no HDF5 lock, per read once a row's chunk is located.
#pragma once

#include <hdf5.h>
#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "preprocess/format/read_only_file.h"

namespace musictag::preprocess {

// For datasets laid out as PartWriter writes /mel and /audio without compression: one example per chunk, stored as
// the bytes H5Dread would deliver, optionally followed by Fletcher32's 4 bytes. What HDF5 would refuse or convert is
// left to it: the caller reads the rows read() rejects with H5Dread, whose error names the cause. Not thread-safe.
class DirectChunkReader {
 public:
  // nullptr unless `dataset` (of `file`, opened from `path` with the default sec2 driver) qualifies: chunked with one
  // example per chunk (chunk dims [1, the dataset's other dims]), no filter or Fletcher32 alone, stored as
  // `memory_type` exactly (H5Dread into it copies bytes), no user block, a little-endian host; and `path` opens
  // read-only (its own descriptor, closed on destruction). Makes HDF5 calls: hold the HDF5 lock. `dataset` must stay
  // open while the reader lives.
  static std::unique_ptr<DirectChunkReader> open_if_qualifies(hid_t file, hid_t dataset, hid_t memory_type,
                                                              const std::string& path);

  bool checksummed() const { return checksummed_; }  // Fletcher32 stored after each chunk's data
  size_t example_bytes() const { return example_bytes_; }

  // True when every chunk of rows first .. first + count - 1 has been looked up (no HDF5 call).
  bool located(int64_t first, int64_t count) const;
  // Looks up the chunks of those rows not looked up yet, each row once per reader: HDF5 calls, hold the HDF5 lock.
  // A chunk is read directly when it is allocated, its filter mask is 0 and its size is example_bytes() (+ 4 when
  // checksummed), else it is left to HDF5. HDF5 1.10's H5Dget_chunk_info_by_coord walks the chunk index from the
  // first chunk (H5Dget_chunk_info by index too): about 15 ns per chunk before the row (0.25 us for row 0, 59 us for
  // row 3999), so a part's rows are located lazily, as they are first read: 0.12-0.2 s for all of a 4000-row part,
  // once, against H5Dread's 100+ us per 96 x 1366 example in every epoch.
  void locate(int64_t first, int64_t count);
  // Rows first .. first + count - 1 (located, within the dataset) into `out`, count * example_bytes() bytes, without
  // HDF5: chunks adjacent in the file with one preadv (each chunk's data straight into `out`), then each checksum
  // checked. Sets `rejected` to the rows not delivered, ascending: chunks left to HDF5, a short or failed read (a
  // file truncated since), a checksum that differs (a damaged chunk).
  void read(int64_t first, int64_t count, unsigned char* out, std::vector<int64_t>& rejected);

 private:
  DirectChunkReader(ReadOnlyFile file, hid_t dataset, int rank, size_t example_bytes, bool checksummed, size_t rows);
  // Reads the rows group_first_ .. end - 1 (chunks adjacent in the file, destinations in buffers_) with one preadv and
  // checks their checksums; rows of `out` are counted from `first`.
  void read_group(int64_t first, int64_t end, unsigned char* out, std::vector<int64_t>& rejected);

  enum class State : uint8_t { unknown, direct, hdf5 };
  struct Chunk {
    uint64_t offset = 0;
    State state = State::unknown;
  };

  ReadOnlyFile file_;
  hid_t dataset_;
  int rank_;
  size_t example_bytes_;
  bool checksummed_;
  std::vector<Chunk> chunks_;                  // per row
  std::vector<iovec> buffers_;                 // the current group's destinations
  std::vector<unsigned char> checksums_;       // 4 bytes per row of the current read
  int64_t group_first_ = -1;                   // first row of the current group, -1 when none
  uint64_t group_offset_ = 0, group_end_ = 0;  // its file extent
};

}  // namespace musictag::preprocess
