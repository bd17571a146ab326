// Portable seeded randomness for the demo generator: xoshiro256** with hand-written distributions, because
// <random>'s distributions differ between standard libraries and the demo must be byte-identical everywhere.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cluster/random.h"

namespace musictag::preprocess {

// An independent stream seed from a base seed and labels, e.g. (seed, track id, purpose): the demo's own
// derivation (not derive_seed's), kept so the demo's bytes stay as they were.
inline uint64_t derive_demo_seed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  return splitmix64_mix(splitmix64_mix(splitmix64_mix(seed) ^ a) ^ (b * 0xD6E8FEB86659FD93ull));
}

class DemoRng {
 public:
  explicit DemoRng(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : state_) {
      x = splitmix64_mix(x);
      word = x;
    }
  }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Integer in [0, n) (n > 0); the modulo bias is below 2^-40 for the small n used here.
  size_t index(size_t n) { return static_cast<size_t>(next() % n); }
  int integer(int low, int high) { return low + static_cast<int>(index(static_cast<size_t>(high - low + 1))); }
  bool chance(double p) { return uniform() < p; }
  // Standard normal via Box-Muller (one value per call; simple beats fast here).
  double normal() {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Index drawn with probability proportional to weights[i].
  size_t weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double r = uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }
  template <typename T>
  const T& pick(const std::vector<T>& values) {
    return values[index(values.size())];
  }
  template <typename T>
  void shuffle(std::vector<T>& values) {
    for (size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[index(i)]);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace musictag::preprocess
