// PreprocessConfig: where and how the preprocess stage writes its dataset (config section `preprocess`).
#include "preprocess/preprocess_config.h"

namespace musictag::preprocess {

PreprocessConfig PreprocessConfig::from(cluster::ConfigSection& s) {
  PreprocessConfig c;
  c.output = s.text("output", c.output, "Output folder (manifest.json, parts/, failures.tsv)");
  c.part_size = s.integer("part_size", c.part_size, "[1,inf)",
                          "Tracks per part file: the unit of work sharing, resume and checksums");
  c.compression =
      s.choice("compression", c.compression, kPartCompressionNames, "Compression of /mel (or /audio) in each part");
  c.compression_level = s.integer("compression_level", c.compression_level, "[1,9]", "Deflate level");
  c.segments = s.choice("segments", c.segments, kSegmentModeNames,
                        "centre: one centre-cropped or zero-padded segment per track; all: every consecutive "
                        "segment (full-length tracks)");
  c.min_seconds = s.real("min_seconds", c.min_seconds, "[0,inf)",
                         "Tracks whose decoded audio is shorter are reported as too_short and skipped");
  c.max_seconds = s.real("max_seconds", c.max_seconds, "[0,inf)", "Decode at most this much of a file; 0 = all");
  c.progress_seconds = s.real("progress_seconds", c.progress_seconds, "[0,inf)", "Seconds between progress lines");
  c.drop_duplicates =
      s.boolean("drop_duplicates", c.drop_duplicates,
                "Tracks whose audio files are bit-identical (sha256) are always listed in manifest.json "
                "`duplicates`; true also leaves all but the lowest id of each group out of the parts");
  if (c.max_seconds > 0.0 && c.max_seconds < c.min_seconds)
    s.fail("max_seconds", "must be 0 (whole file) or at least preprocess.min_seconds");
  return c;
}

}  // namespace musictag::preprocess
