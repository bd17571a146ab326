// Seeded random samples of a sweep's `random:` keys, identical on every machine and compiler.
#pragma once

#include <cstdint>
#include <vector>

#include "slurm/sweep_spec.h"

namespace musictag::sweep {

// SplitMix64 (Steele, Lea, Flood 2014), written out instead of <random>'s distributions, whose results differ
// between standard libraries: a sweep must expand to the same runs on the login node and on every compute node.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next();
  double uniform();  // [0, 1), 53 random bits
 private:
  uint64_t state_;
};

// `random.n` samples, each one Override per param in file order. Sample i draws its values after samples 0..i-1
// from one generator seeded with random.seed, so raising n keeps the earlier samples. Reals are rounded to 4
// significant digits (readable configs and leaderboards); int_uniform includes both ends.
std::vector<std::vector<Override>> draw_random_samples(const RandomSpec& random);

}  // namespace musictag::sweep
