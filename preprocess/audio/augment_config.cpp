// AugmentConfig: the time-stretch and pitch-shift variants made of each track (config section `augment`).
#include "preprocess/audio/augment_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "preprocess/sources/dataset_index.h"

namespace musictag::preprocess {

AugmentConfig AugmentConfig::from(cluster::ConfigSection& s) {
  AugmentConfig c;
  c.time_stretches = s.reals("time_stretches", c.time_stretches, "[0.5,2]",
                             "Tempo factors (rubberband), one variant each; 1.1 = 10% faster");
  c.pitch_shifts = s.reals("pitch_shifts", c.pitch_shifts, "[-12,12]", "Pitch shifts in semitones, one variant each");
  c.combine = s.boolean("combine", c.combine, "Make every (time_stretch, pitch_shift) pair instead of each alone");
  c.splits = s.texts("splits", c.splits, "Splits whose tracks get the variants (others: only the original)");
  for (const auto& split : c.splits) {
    if (dataset_split_rank(split) < 0)
      s.fail("splits", "unknown split '" + split + "'; use training, validation, test");
  }
  for (double rate : c.time_stretches) {
    if (rate == 1.0) s.fail("time_stretches", "1.0 is the original; list only real stretches");
  }
  for (double shift : c.pitch_shifts) {
    if (shift == 0.0) s.fail("pitch_shifts", "0 is the original; list only real shifts");
  }
  const auto refuse_duplicates = [&s](const char* key, std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const auto repeated = std::adjacent_find(values.begin(), values.end());
    if (repeated != values.end()) s.fail(key, fmt::format("lists {} twice; each value makes one variant", *repeated));
  };
  refuse_duplicates("time_stretches", c.time_stretches);
  refuse_duplicates("pitch_shifts", c.pitch_shifts);
  if (c.combine && (c.time_stretches.empty() || c.pitch_shifts.empty()))
    s.fail("combine", "needs both time_stretches and pitch_shifts");
  // /variant is int16 in the part files.
  const size_t n =
      c.combine ? c.time_stretches.size() * c.pitch_shifts.size() : c.time_stretches.size() + c.pitch_shifts.size();
  if (n >= static_cast<size_t>(INT16_MAX))
    s.fail(c.combine ? "combine" : "time_stretches",
           fmt::format("{} variants; at most {} fit the int16 variant index", n, INT16_MAX - 1));
  return c;
}

std::vector<AudioVariant> AugmentConfig::variants() const {
  std::vector<AudioVariant> out = {AudioVariant{}};
  const auto add = [&out](double rate, double shift) {
    out.push_back({static_cast<int16_t>(out.size()), rate, shift});
  };
  if (combine) {
    for (double rate : time_stretches)
      for (double shift : pitch_shifts) add(rate, shift);
  } else {
    for (double rate : time_stretches) add(rate, 0.0);
    for (double shift : pitch_shifts) add(1.0, shift);
  }
  return out;
}

}  // namespace musictag::preprocess
