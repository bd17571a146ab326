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
  std::vector<std::vector<float>> segments;
  SegmentStream stream(length, min_fraction,
                       [&](const std::vector<float>& segment, int64_t) { segments.push_back(segment); });
  stream.push(samples.data(), samples.size());
  stream.finish();
  return segments;
}

SegmentStream::SegmentStream(int64_t length, double min_fraction, Sink sink)
    : length_(length), min_fraction_(min_fraction), sink_(std::move(sink)) {
  check_length(length);
  if (!(min_fraction > 0.0 && min_fraction <= 1.0))
    throw std::invalid_argument("min_fraction must be in (0,1], got " + std::to_string(min_fraction));
  current_.reserve(static_cast<size_t>(length));
}

void SegmentStream::push(const float* samples, size_t count) {
  while (count > 0) {
    const size_t n = std::min(count, static_cast<size_t>(length_) - current_.size());
    current_.insert(current_.end(), samples, samples + n);
    samples += n;
    count -= n;
    if (static_cast<int64_t>(current_.size()) == length_) emit();
  }
}

void SegmentStream::finish() {
  const auto remainder = static_cast<int64_t>(current_.size());
  if (segments_ == 0 || (remainder > 0 && static_cast<double>(remainder) >= min_fraction_ * length_)) {
    current_.resize(static_cast<size_t>(length_), 0.0f);
    emit();
  }
  current_.clear();
}

void SegmentStream::emit() {
  sink_(current_, segments_++);
  current_.clear();
}

}  // namespace musictag::preprocess
