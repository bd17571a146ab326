// PartReader: opens a finished part file, checks its layout, and reads examples (log-mels or waveforms, float16 ->
// float) and labels.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "preprocess/format/part_header.h"

namespace musictag::preprocess {

// Opening reads the header and the small per-example datasets (tags, ids, augmentation parameters) into memory and
// checks every shape against the header; examples are read on demand. An example is header().rows() x columns()
// values: a log-mel [n_mels][n_frames] (/mel) or a waveform of n_samples (/audio). Not thread-safe (one reader per
// loader thread).
//
// Examples of an uncompressed part (one example per chunk, no filter or Fletcher32 alone: what PartWriter writes
// without deflate) are read without HDF5 once their chunks are located: preadv at the chunks' offsets and a
// vectorised Fletcher32 check (DirectChunkReader), which neither takes HDF5's global lock nor runs its byte-at-a-time
// checksum. Any chunk that does not fit (and any checksum that differs) is read with H5Dread as before, so values and
// errors are those of H5Dread. Compressed parts are read with H5Dread.
class PartReader {
 public:
  // Returns a lock held around each group of HDF5 calls a read makes (the caller's lock for an HDF5 built without
  // thread safety); the direct reads and checksums run outside it.
  using Hdf5Guard = std::function<std::unique_lock<std::mutex>()>;

  // DataError naming `path` (and the dataset or attribute) when the file is missing, damaged or of another layout.
  explicit PartReader(std::string path);
  ~PartReader();
  PartReader(PartReader&&) noexcept;
  PartReader& operator=(PartReader&&) noexcept;

  const std::string& path() const { return path_; }
  const PartHeader& header() const { return header_; }
  int64_t size() const { return static_cast<int64_t>(track_ids_.size()); }  // N examples
  int64_t example_values() const { return header_.example_values(); }       // floats per example

  // Example i, example_values() floats (row-major [n_mels][n_frames] for a log-mel); i in [0, size()).
  void read_example(int64_t i, float* out);
  // Examples first .. first + count - 1 into count * example_values() floats (one HDF5 read).
  void read_examples(int64_t first, int64_t count, float* out);
  // The same examples as stored: count * example_values() IEEE binary16 values (raw bits), not widened; for a
  // loader that converts on the GPU.
  void read_examples_float16(int64_t first, int64_t count, uint16_t* out);
  // The same, with `guard` held around the HDF5 calls only (not around the whole read, as the caller of the forms
  // above must when it needs a lock).
  void read_examples_float16(int64_t first, int64_t count, uint16_t* out, const Hdf5Guard& guard);
  // Every chunk carries a Fletcher32 checksum (parts written since it was added; older parts read as before): a
  // damaged example fails with a DataError naming the part, the dataset, the example and its track.

  // Whether examples are read without HDF5 (see the class comment), and how many rows were read each way so far.
  bool reads_chunks_directly() const;
  struct ReadCounts {
    int64_t direct = 0;  // rows delivered by DirectChunkReader
    int64_t hdf5 = 0;    // rows read with H5Dread (every row of a part that does not qualify, and rejected chunks)
  };
  const ReadCounts& read_counts() const { return read_counts_; }

  const std::vector<uint8_t>& tags() const { return tags_; }  // N * n_tags, row-major
  const uint8_t* tags_of(int64_t i) const { return tags_.data() + i * header_.n_tags(); }
  const std::vector<int64_t>& track_ids() const { return track_ids_; }
  const std::vector<int16_t>& variants() const { return variants_; }
  const std::vector<float>& time_stretches() const { return time_stretches_; }
  const std::vector<float>& pitch_shifts() const { return pitch_shifts_; }
  const std::vector<int16_t>& segments() const { return segments_; }

  // DataError naming this part and the attribute that differs unless it was computed with `features`
  // (FeatureConfig::to_json() as stored in the manifest) and `tag_names`; see PartHeader::check_matches.
  void check_matches(const nlohmann::json& features, const std::vector<std::string>& tag_names) const;

 private:
  // Reads example `row` alone into `out` (example_values() halves) with H5Dread; DataError naming the part, dataset,
  // example, track and HDF5's innermost cause (a Fletcher32 checksum mismatch for a damaged chunk) when it fails.
  void read_one_example_or_throw(int64_t row, uint16_t* out);
  // Rows first .. first + count - 1 with one H5Dread (row by row on failure, to name the example that fails).
  void read_through_hdf5(int64_t first, int64_t count, uint16_t* out);
  // DataError naming this part unless rows first .. first + count - 1 exist (count >= 0).
  void check_rows(int64_t first, int64_t count) const;

  struct Hdf5State;
  std::string path_;
  PartHeader header_;
  std::unique_ptr<Hdf5State> hdf5_;
  std::vector<uint16_t> halves_;
  std::vector<int64_t> rejected_;  // rows the direct read left to HDF5, reused
  ReadCounts read_counts_;
  std::vector<uint8_t> tags_;
  std::vector<int64_t> track_ids_;
  std::vector<int16_t> variants_, segments_;
  std::vector<float> time_stretches_, pitch_shifts_;
};

}  // namespace musictag::preprocess
