// Cutting decoded audio into fixed-length segments: one centre crop (clips) or every consecutive one (full tracks).
#pragma once

#include <cstdint>
#include <vector>

namespace musictag::preprocess {

// The middle `length` samples; a shorter signal is zero-padded at the end (as librosa.util.fix_length), so the
// music starts at the segment's start like the uncut clip.
std::vector<float> centre_crop_or_pad(const std::vector<float>& samples, int64_t length);

// Every consecutive `length`-sample segment; a remainder of at least half a segment becomes one more, zero-padded
// at the end; a signal shorter than one segment gives one zero-padded segment.
std::vector<std::vector<float>> consecutive_segments(const std::vector<float>& samples, int64_t length);

}  // namespace musictag::preprocess
