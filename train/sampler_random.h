// Fully specified pseudo-random numbers (SplitMix64, Lemire's bounded draw) so shuffles match on every platform.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace musictag::train {

// Hand-written rather than std::mt19937 + std::uniform_int_distribution / std::shuffle: the standard fixes the
// engine's output but not the distributions or std::shuffle's algorithm, so libstdc++ and libc++ (or two libstdc++
// versions) may order an epoch differently. Every rank, and a resumed run, must compute the same permutation.

// The SplitMix64 output function of state + golden gamma (Steele, Lea & Flood 2014; Vigna's splitmix64.c).
inline uint64_t splitmix64_mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
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

// Stream tags that keep the different uses of one seed independent of each other.
enum class RandomStream : uint64_t { permutation = 1, variant = 2, crop = 3 };

// SplitMix64: state advances by the golden gamma, output is splitmix64_mix of the old state (same sequence as
// Vigna's reference: seed 1234567 gives 6457827717110365317, 3203168211198807973, ...).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    const uint64_t z = splitmix64_mix(state_);
    state_ += 0x9e3779b97f4a7c15ULL;
    return z;
  }
  // Uniform in [0, n), n >= 1: Lemire's multiply-shift with rejection (exactly unbiased, fully specified).
  uint64_t below(uint64_t n);

 private:
  uint64_t state_;
};

// Fisher-Yates from the identity: for i = n-1 .. 1 swap p[i] with p[rng.below(i + 1)].
std::vector<int64_t> random_permutation(int64_t n, uint64_t seed);

}  // namespace musictag::train
