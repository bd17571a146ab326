// cluster/random.h against independent references: Vigna's splitmix64.c outputs, a Python big-integer Fisher-Yates.
#include <gtest/gtest.h>

#include <vector>

#include "cluster/random.h"

namespace musictag {
namespace {

TEST(Random, SplitMix64MatchesVignasReference) {
  // splitmix64.c (Vigna, prng.di.unimi.it) seeded with 1234567 and with 0: the first three outputs.
  SplitMix64 random(1234567);
  EXPECT_EQ(random.next(), 6457827717110365317ULL);
  EXPECT_EQ(random.next(), 3203168211198807973ULL);
  EXPECT_EQ(random.next(), 9817491932198370423ULL);
  SplitMix64 zero(0);
  EXPECT_EQ(zero.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(zero.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(zero.next(), 0x06C45D188009454FULL);
  EXPECT_EQ(splitmix64_mix(0), 0xE220A8397B1DCDAFULL);  // the output function of state 0
}

TEST(Random, PermutationAndSeedsMatchIndependentPythonImplementation) {
  // Python big-integer implementation of the same algorithms, run once:
  //   derive_seed([1, 42, 3]) = 13869247221703910732, perm(10, it) = [5, 2, 7, 4, 0, 1, 9, 8, 6, 3]
  //   perm(20, 7) = [10, 17, 18, 14, 2, 5, 13, 15, 8, 11, 12, 1, 4, 6, 3, 19, 9, 16, 0, 7]
  EXPECT_EQ(derive_seed({1, 42, 3}), 13869247221703910732ULL);
  EXPECT_EQ(random_permutation(10, 13869247221703910732ULL), (std::vector<int64_t>{5, 2, 7, 4, 0, 1, 9, 8, 6, 3}));
  EXPECT_EQ(random_permutation(20, 7),
            (std::vector<int64_t>{10, 17, 18, 14, 2, 5, 13, 15, 8, 11, 12, 1, 4, 6, 3, 19, 9, 16, 0, 7}));
  EXPECT_TRUE(random_permutation(0, 1).empty());
}

TEST(Random, BelowIsInRangeAndRoughlyUniform) {
  SplitMix64 random(99);
  std::vector<int> counts(7);
  for (int i = 0; i < 70000; ++i) {
    const uint64_t value = random.below(7);
    ASSERT_LT(value, 7u);
    ++counts[value];
  }
  for (int count : counts) EXPECT_NEAR(count, 10000, 400);  // 4 sigma of a binomial(70000, 1/7)
  EXPECT_EQ(random.below(1), 0u);
}

TEST(Random, UniformIsTheTop53BitsAndStreamsAreIndependentOfOrder) {
  SplitMix64 a(5), b(5);
  const double u = a.uniform();
  EXPECT_EQ(u, static_cast<double>(b.next() >> 11) / 9007199254740992.0);
  EXPECT_GE(u, 0.0);
  EXPECT_LT(u, 1.0);
  // Stream 3 of seed 7 is the same whether or not streams 0..2 were drawn first, and differs from stream 4.
  SplitMix64 first = SplitMix64::for_stream(7, 3);
  for (uint64_t s = 0; s < 3; ++s) SplitMix64::for_stream(7, s).next();
  SplitMix64 again = SplitMix64::for_stream(7, 3);
  EXPECT_EQ(first.next(), again.next());
  EXPECT_NE(SplitMix64::for_stream(7, 3).next(), SplitMix64::for_stream(7, 4).next());
}

}  // namespace
}  // namespace musictag
