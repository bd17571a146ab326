// SplitMix64's bounded draw and the Fisher-Yates permutation built on it.
#include "train/sampler_random.h"

#include <cstddef>
#include <numeric>
#include <utility>

namespace musictag::train {

uint64_t SplitMix64::below(uint64_t n) {
  // Lemire (2019), "Fast random integer generation in an interval": the high word of x * n is uniform once the
  // low words below 2^64 mod n are rejected.
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

std::vector<int64_t> random_permutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(n < 0 ? 0 : n));
  std::iota(order.begin(), order.end(), int64_t{0});
  SplitMix64 random(seed);
  for (int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(random.below(static_cast<uint64_t>(i) + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  return order;
}

}  // namespace musictag::train
