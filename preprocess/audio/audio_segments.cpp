// Cutting decoded audio into fixed-length segments: one centre crop (clips) or every consecutive one (full tracks).
#include "preprocess/audio/audio_segments.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace musictag::preprocess {

namespace {
std::vector<float> padded_slice(const std::vector<float>& samples, int64_t start, int64_t length) {
  std::vector<float> out(static_cast<size_t>(length), 0.0f);
  const int64_t end = std::min<int64_t>(start + length, static_cast<int64_t>(samples.size()));
  if (end > start) std::copy(samples.begin() + start, samples.begin() + end, out.begin());
  return out;
}

void check_length(int64_t length) {
  if (length < 1) throw std::invalid_argument("segment length must be >= 1 sample, got " + std::to_string(length));
}
}  // namespace

std::vector<float> centre_crop_or_pad(const std::vector<float>& samples, int64_t length) {
  check_length(length);
  const auto n = static_cast<int64_t>(samples.size());
  return padded_slice(samples, n > length ? (n - length) / 2 : 0, length);
}

std::vector<std::vector<float>> consecutive_segments(const std::vector<float>& samples, int64_t length,
                                                     double min_fraction) {
  check_length(length);
  if (!(min_fraction > 0.0 && min_fraction <= 1.0))
    throw std::invalid_argument("min_fraction must be in (0,1], got " + std::to_string(min_fraction));
  const auto n = static_cast<int64_t>(samples.size());
  std::vector<std::vector<float>> segments;
  int64_t start = 0;
  for (; start + length <= n; start += length) segments.push_back(padded_slice(samples, start, length));
  const int64_t remainder = n - start;
  if (segments.empty() || (remainder > 0 && static_cast<double>(remainder) >= min_fraction * length))
    segments.push_back(padded_slice(samples, start, length));
  return segments;
}

}  // namespace musictag::preprocess
