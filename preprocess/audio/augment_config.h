// AugmentConfig: the time-stretch and pitch-shift variants made of each track (config section `augment`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/config_reader.h"

namespace musictag::preprocess {

// One version of a track's audio: index 0 is the original; others are made by rubberband.
struct AudioVariant {
  int16_t index = 0;
  double time_stretch = 1.0;  // tempo factor: 1.25 = 25% faster, 0.8 = slower (duration / factor)
  double pitch_shift = 0.0;   // semitones, duration unchanged
  bool is_original() const { return time_stretch == 1.0 && pitch_shift == 0.0; }
};

struct AugmentConfig {
  std::vector<double> time_stretches;              // tempo factors, each a variant (with pitch 0 unless combine)
  std::vector<double> pitch_shifts;                // semitones, each a variant (with tempo 1 unless combine)
  bool combine = false;                            // true: every (stretch, shift) pair instead of each alone
  std::vector<std::string> splits = {"training"};  // splits that get the variants; others only the original

  // Reads section `augment`; ConfigError names the key: rates outside [0.5,2] or equal to 1, shifts outside
  // [-12,12] or equal to 0, a value listed twice, an unknown split, combine without both lists.
  static AugmentConfig from(cluster::ConfigSection& section);

  // Variant 0 = original, then (combine false) each stretch in order, then each shift in order; (combine true)
  // every stretch × shift pair, stretch-major, with the stretches alone and shifts alone left out.
  std::vector<AudioVariant> variants() const;
};

}  // namespace musictag::preprocess
