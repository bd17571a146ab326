// Synthetic preprocessed dataset for bench_loader: manifest.json + float16 parts of log-mel-like values, no audio.
#pragma once

#include <cstdint>
#include <string>

namespace musictag::bench {

// What write_synthetic_dataset writes: `examples` training examples (one per track) in parts of `part_size`,
// [n_mels, frames of segment_seconds at 12 kHz / hop 256] each (29.12 s = 1366 frames, the stored Choi example),
// /mel stored as preprocess stores it (one chunk per example, Fletcher32, deflate + shuffle when deflate_level > 0).
struct SyntheticDatasetOptions {
  int64_t examples = 256;          // [1,inf)
  int64_t part_size = 32;          // [1,inf) examples per part file
  int64_t n_mels = 96;             // [1,inf)
  double segment_seconds = 29.12;  // (0,inf)
  int64_t n_tags = 50;             // [1,inf)
  int deflate_level = 0;           // [0,9]: 0 = uncompressed, as preprocess's default compression: none
  uint64_t seed = 1;
};

// Writes the dataset into `folder` (created; an existing manifest.json there is replaced, old parts are left).
// Values: a smooth spectral envelope per example plus noise, in dB like real log-mels, so deflate sees realistic
// (poorly compressible) float16 mantissas. DataError / ConfigError naming the folder or option on failure.
void write_synthetic_dataset(const std::string& folder, const SyntheticDatasetOptions& options);

}  // namespace musictag::bench
