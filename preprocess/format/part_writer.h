// PartWriter: writes one part file (examples' float16 log-mels or waveforms, tags, ids) as <path>.partial, renamed on
// commit().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "preprocess/format/part_header.h"

namespace musictag::preprocess {

// How /mel or /audio is stored. Chunks are always one example ([1, n_mels, n_frames] or [1, n_samples]), the unit the
// loader reads.
struct PartWriterOptions {
  int deflate_level = 0;  // 0 = no compression; 1..9 = HDF5's deflate (gzip) filter at that level
  bool shuffle = true;    // byte-shuffle filter before deflate (groups the halves' high bytes); only with deflate
};

// One example: a segment of one (possibly augmented) track.
struct PartExample {
  int64_t track_id = 0;
  int16_t variant = 0;            // 0 = original audio, 1.. = augmented variants
  float time_stretch = 1.0f;      // tempo factor of the variant (1 = none)
  float pitch_shift = 0.0f;       // semitones of the variant (0 = none)
  int16_t segment = 0;            // index of the segment within the track
  const float* data = nullptr;    // header.example_values() floats: the log-mel (dB) row-major [n_mels][n_frames],
                                  // or the n_samples waveform samples
  const uint8_t* tags = nullptr;  // n_tags values, 0 or 1
};

// Usage: PartWriter writer(path, header, options); writer.append(example)...; writer.commit();
// The file exists under `path` only after commit(); until then it is `path`.partial, and a writer destroyed without
// commit() (an exception, a crash of the track loop) deletes the .partial. /mel (/audio) grows by one chunk per
// append(), written to disk at once; the small per-example datasets are kept in memory and written by commit(). A write
// the system refuses (disk full, quota, read-only) throws IoError naming the .partial file. Not thread-safe.
class PartWriter {
 public:
  PartWriter(std::string path, PartHeader header, PartWriterOptions options = {});
  ~PartWriter();
  PartWriter(const PartWriter&) = delete;
  PartWriter& operator=(const PartWriter&) = delete;

  // Converts the example's data to float16 (round to nearest even) and adds it as row size().
  void append(const PartExample& example);
  // Keeps the first `rows` examples (rows in [0, size()]) and drops the rest: a track that failed after some of its
  // examples were written leaves nothing behind. HDF5 frees the dropped chunks for the next appends to reuse.
  void truncate(int64_t rows);
  // Writes the remaining datasets, flushes and closes the file, syncs it to disk and renames it to path().
  void commit();

  int64_t size() const { return static_cast<int64_t>(track_ids_.size()); }
  const std::string& path() const { return path_; }
  std::string partial_path() const { return path_ + ".partial"; }
  const PartHeader& header() const { return header_; }

 private:
  struct Hdf5State;
  std::string path_;
  PartHeader header_;
  PartWriterOptions options_;
  std::unique_ptr<Hdf5State> hdf5_;  // open file and /mel or /audio; null once committed
  std::vector<uint16_t> halves_;     // one example's data as float16
  std::vector<uint8_t> tags_;
  std::vector<int64_t> track_ids_;
  std::vector<int16_t> variants_, segments_;
  std::vector<float> time_stretches_, pitch_shifts_;
};

}  // namespace musictag::preprocess
