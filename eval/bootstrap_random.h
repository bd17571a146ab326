// The bootstrap's random numbers: SplitMix64 streams, one per resample, and unbiased bounded draws.
#pragma once

#include <cstdint>

namespace musictag::eval {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, passes BigCrush, and fully specified, unlike the
// distributions of <random> whose output differs between standard libraries. Hand-written for that reason:
// a given seed must give the same interval on every machine.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) : state_(state) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform integer in [0, bound), bound >= 1, without modulo bias (Lemire 2019, multiply and reject).
  uint64_t below(uint64_t bound) {
    unsigned __int128 product = static_cast<unsigned __int128>(next()) * bound;
    uint64_t low = static_cast<uint64_t>(product);
    if (low < bound) {
      const uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        product = static_cast<unsigned __int128>(next()) * bound;
        low = static_cast<uint64_t>(product);
      }
    }
    return static_cast<uint64_t>(product >> 64);
  }

  // The stream of resample `index` under `seed`: hashed so neighbouring seeds and indices give unrelated streams,
  // and resample b draws the same examples whichever thread runs it.
  static SplitMix64 for_stream(uint64_t seed, uint64_t index) {
    SplitMix64 seed_mixer(seed);
    SplitMix64 index_mixer(index ^ seed_mixer.next());
    return SplitMix64(index_mixer.next());
  }

 private:
  uint64_t state_;
};

}  // namespace musictag::eval
