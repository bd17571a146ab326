// Cutting decoded audio into fixed-length segments: one centre crop (clips) or every consecutive one (full tracks).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "cluster/choice.h"

namespace musictag::preprocess {

// How a track becomes examples (preprocess.segments, predict --segments): one centre segment, or every one.
enum class SegmentMode { centre, all };
inline constexpr ChoiceName<SegmentMode> kSegmentModeNames[] = {{SegmentMode::centre, "centre"},
                                                                {SegmentMode::all, "all"}};

// The middle `length` samples (start = (n - length) / 2, rounded down); a shorter signal is zero-padded at the end
// (as librosa.util.fix_length), so the music starts at the segment's start like the uncut clip. length >= 1.
std::vector<float> centre_crop_or_pad(const std::vector<float>& samples, int64_t length);

// The share of a segment a track's remainder needs to become one more segment (preprocess and predict).
inline constexpr double kMinSegmentFraction = 0.5;

// Every consecutive `length`-sample segment from the start; a remainder of at least `min_fraction` of a segment
// becomes one more, zero-padded at the end (shorter remainders are dropped); a signal shorter than one segment
// always gives one zero-padded segment, so a track that passed the loader is never lost here.
// length >= 1, min_fraction in (0,1]; anything else throws std::invalid_argument (a programming error).
std::vector<std::vector<float>> consecutive_segments(const std::vector<float>& samples, int64_t length,
                                                     double min_fraction = kMinSegmentFraction);

// consecutive_segments of samples that arrive in pieces: each segment goes to the sink as soon as it is complete,
// the (kept, padded) remainder at finish(), so only one segment is ever held. Usage: push(piece)...; finish().
class SegmentStream {
 public:
  // segment: `length` samples; index: 0, 1, ... in order.
  using Sink = std::function<void(const std::vector<float>& segment, int64_t index)>;

  // Same arguments and errors as consecutive_segments.
  SegmentStream(int64_t length, double min_fraction, Sink sink);
  void push(const float* samples, size_t count);
  void finish();  // once, after the last push

  int64_t segments() const { return segments_; }  // handed to the sink so far

 private:
  void emit();

  int64_t length_;
  double min_fraction_;
  Sink sink_;
  std::vector<float> current_;  // the segment being filled, < length_ samples
  int64_t segments_ = 0;
};

}  // namespace musictag::preprocess
