// Seeded random numbers that are identical on every platform: SplitMix64, unbiased bounded draws, seed derivation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <utility>
#include <vector>

namespace musictag {

// Hand-written rather than std::mt19937 + <random>'s distributions or std::shuffle: the standard fixes the engines'
// output but not the distributions' or std::shuffle's algorithm, so libstdc++ and libc++ (or two libstdc++ versions)
// may differ. Every rank, a resumed run, a bootstrap interval, a sweep expanded on the login node and the demo
// dataset must be the same everywhere. Header-only, so torch-free and MPI-free libraries (metrics) can use it.

// The SplitMix64 output function of state + golden gamma (Steele, Lea & Flood 2014; Vigna's splitmix64.c): a
// well-mixed 64-bit value from any 64-bit input.
inline constexpr uint64_t kSplitMix64Gamma = 0x9e3779b97f4a7c15ULL;

inline uint64_t splitmix64_mix(uint64_t z) {
  z += kSplitMix64Gamma;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed derived from several words (e.g. {stream, seed, epoch, track}): h = 0, then h = mix(h ^ word) per word.
inline uint64_t derive_seed(std::initializer_list<uint64_t> words) {
  uint64_t h = 0;
  for (const uint64_t word : words) h = splitmix64_mix(h ^ word);
  return h;
}

// SplitMix64: output is splitmix64_mix of the state, then the state advances by the golden gamma (the sequence of
// Vigna's reference: seed 1234567 gives 6457827717110365317, 3203168211198807973, ...).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    const uint64_t z = splitmix64_mix(state_);
    state_ += kSplitMix64Gamma;
    return z;
  }

  // Uniform in [0, n), n >= 1: Lemire's multiply-shift with rejection (2019, "Fast random integer generation in an
  // interval"): the high word of x * n is uniform once the low words below 2^64 mod n are rejected.
  uint64_t below(uint64_t n) {
    unsigned __int128 product = static_cast<unsigned __int128>(next()) * n;
    auto low = static_cast<uint64_t>(product);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        product = static_cast<unsigned __int128>(next()) * n;
        low = static_cast<uint64_t>(product);
      }
    }
    return static_cast<uint64_t>(product >> 64);
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // The stream number `index` under `seed` (e.g. bootstrap resample b): hashed, so neighbouring seeds and indices
  // give unrelated streams and stream b is the same whichever thread draws it.
  static SplitMix64 for_stream(uint64_t seed, uint64_t index) {
    SplitMix64 seed_mixer(seed);
    SplitMix64 index_mixer(index ^ seed_mixer.next());
    return SplitMix64(index_mixer.next());
  }

 private:
  uint64_t state_;
};

// Fisher-Yates from the identity: for i = n-1 .. 1 swap p[i] with p[rng.below(i + 1)].
inline std::vector<int64_t> random_permutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(n < 0 ? 0 : n));
  std::iota(order.begin(), order.end(), int64_t{0});
  SplitMix64 random(seed);
  for (int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(random.below(static_cast<uint64_t>(i) + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  return order;
}

}  // namespace musictag
