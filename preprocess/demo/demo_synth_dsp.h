// Internal to the demo synthesizer: inline DSP helpers shared by the voice files (sine table, spans, noise, decay).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "preprocess/demo/demo_random.h"
#include "preprocess/demo/demo_synth_voices.h"

namespace musictag::preprocess::synth {

constexpr double kTwoPi = 6.283185307179586;
constexpr int kSineTableSize = 4096;

inline const std::array<float, kSineTableSize + 1>& sine_table() {
  static const auto table = [] {
    std::array<float, kSineTableSize + 1> t{};
    for (int i = 0; i <= kSineTableSize; ++i) t[i] = static_cast<float>(std::sin(kTwoPi * i / kSineTableSize));
    return t;
  }();
  return table;
}

// Table sine for a phase already in [0, 1) (callers wrap their phase accumulators).
inline float unit_sine(double phase) {
  const double x = phase * kSineTableSize;
  const int i = static_cast<int>(x);
  const auto& t = sine_table();
  return t[i] + (t[i + 1] - t[i]) * static_cast<float>(x - i);
}

// Samples [begin, end) of an event starting at `start_s`, clipped to the track.
struct Span {
  size_t begin, end;
};
inline Span span_of(const MonoTrack& track, double start_s, double length_s) {
  const size_t begin = std::min(track.at(start_s), track.samples.size());
  const size_t end = std::min(track.at(start_s + length_s), track.samples.size());
  return {begin, std::max(begin, end)};
}

// Uniform white noise in [-1, 1) from the top 24 bits.
inline float white(DemoRng& rng) { return static_cast<float>(rng.next() >> 40) * (2.0f / 16777216.0f) - 1.0f; }

// Per-sample multiplier that decays by 1/e over `seconds`.
inline double decay_factor(double seconds, int sample_rate) {
  return std::exp(-1.0 / std::max(1e-4, seconds * sample_rate));
}

}  // namespace musictag::preprocess::synth
