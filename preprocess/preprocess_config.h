// PreprocessConfig: where and how the preprocess stage writes its dataset (config section `preprocess`).
#pragma once

#include <cstdint>
#include <string>

#include "cluster/config_reader.h"
#include "preprocess/audio/audio_segments.h"

namespace musictag::preprocess {

// Compression of /mel in each part.
enum class PartCompression { none, deflate };
inline constexpr ChoiceName<PartCompression> kPartCompressionNames[] = {{PartCompression::none, "none"},
                                                                        {PartCompression::deflate, "deflate"}};

struct PreprocessConfig {
  std::string output = "out/dataset";  // folder for manifest.json, parts/, failures.tsv
  int64_t part_size = 256;             // tracks per part file; a part is the unit of work, resume and checksums
  PartCompression compression = PartCompression::none;  // deflate: deflate + shuffle filter on /mel
  int64_t compression_level = 4;                        // deflate level [1,9]
  SegmentMode segments = SegmentMode::centre;           // one centre crop / zero-padded segment per track, or every
                                                        // consecutive segment (full-length tracks, fma_full)
  double min_seconds = 15.0;                            // shorter decoded audio is a failure (stage too_short)
  double max_seconds = 0.0;                             // decode at most this much of each file; 0 = whole file
  double progress_seconds = 10.0;                       // rank 0 prints progress at most this often
  bool drop_duplicates = false;                         // keep only the lowest id of tracks with bit-identical audio

  // Reads section `preprocess` (all keys optional) and checks each value once; ConfigError names the key.
  static PreprocessConfig from(cluster::ConfigSection& section);
};

}  // namespace musictag::preprocess
