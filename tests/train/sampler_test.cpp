// DistributedSampler and its PRNG: reference values, per-epoch orders, disjoint equal slices, equal batch counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "cluster/errors.h"
#include "cluster/random.h"
#include "train/data/sampler.h"

namespace musictag::train {
namespace {

TEST(SamplerRandom, EpochOrderIsThePermutationOfTheDerivedSeed) {
  // random_permutation and derive_seed are checked against a Python reference in tests/cluster/random_test.cpp.
  // The sampler's epoch order is that permutation with seed derive_seed({permutation = 1, seed, epoch}).
  EXPECT_EQ(DistributedSampler(10, 1, 0, 42, true, false).order(3), random_permutation(10, derive_seed({1, 42, 3})));
}

TEST(Sampler, SameSeedAndEpochGiveTheSameOrder) {
  const DistributedSampler a(1000, 3, 1, 7, true, true), b(1000, 3, 1, 7, true, true);
  EXPECT_EQ(a.order(5), b.order(5));
  EXPECT_EQ(a.indices(5), b.indices(5));
}

TEST(Sampler, OrderDiffersPerEpochAndSeedAndIsAPermutation) {
  const DistributedSampler sampler(1000, 1, 0, 7, true, true);
  const auto e0 = sampler.order(0), e1 = sampler.order(1);
  EXPECT_NE(e0, e1);
  EXPECT_NE(e0, DistributedSampler(1000, 1, 0, 8, true, true).order(0));
  auto sorted = e1;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[static_cast<size_t>(i)], i);
}

TEST(Sampler, WithoutShuffleTheOrderIsTheIdentity) {
  const DistributedSampler sampler(5, 2, 1, 7, false, false);
  EXPECT_EQ(sampler.order(3), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(sampler.indices(3), (std::vector<int64_t>{1, 3, 0}));  // positions 1, 3, 5 -> 5 wraps to item 0
}

const std::vector<int64_t> kSizes = {0, 1, 2, 3, 4, 5, 7, 10, 11, 16, 17, 31, 33, 100, 101};

TEST(Sampler, DropLastSlicesAreDisjointEqualAndLeaveOutOnlyTheTail) {
  for (int world = 1; world <= 5; ++world) {
    for (const int64_t n : kSizes) {
      std::set<int64_t> seen;
      for (int rank = 0; rank < world; ++rank) {
        const DistributedSampler sampler(n, world, rank, 3, true, true);
        const auto slice = sampler.indices(2);
        ASSERT_EQ(static_cast<int64_t>(slice.size()), n / world) << "n " << n << " world " << world;
        for (const int64_t item : slice) {
          ASSERT_TRUE(item >= 0 && item < n);
          ASSERT_TRUE(seen.insert(item).second) << "item " << item << " twice, n " << n << " world " << world;
        }
      }
      // The items left out are exactly the last n mod W of the epoch's order.
      const auto order = DistributedSampler(n, world, 0, 3, true, true).order(2);
      for (size_t p = 0; p < order.size(); ++p) {
        EXPECT_EQ(seen.count(order[p]) == 1, static_cast<int64_t>(p) < n - n % world);
      }
    }
  }
}

TEST(Sampler, PaddedSlicesCoverEveryItemAndRepeatOnlyThePadding) {
  for (int world = 1; world <= 5; ++world) {
    for (const int64_t n : kSizes) {
      std::map<int64_t, int> count;
      const int64_t per_rank = (n + world - 1) / world;
      for (int rank = 0; rank < world; ++rank) {
        const auto slice = DistributedSampler(n, world, rank, 3, true, false).indices(4);
        ASSERT_EQ(static_cast<int64_t>(slice.size()), per_rank) << "n " << n << " world " << world;
        for (const int64_t item : slice) ++count[item];
      }
      ASSERT_EQ(static_cast<int64_t>(count.size()), n) << "every item at least once, n " << n << " world " << world;
      int64_t repeats = 0;
      for (const auto& [item, times] : count) repeats += times - 1;
      EXPECT_EQ(repeats, world * per_rank - n) << "n " << n << " world " << world;
    }
  }
}

TEST(Sampler, EveryRankHasTheSameBatchesCountAndSizes) {
  for (const bool drop_last : {true, false}) {
    for (int world = 1; world <= 5; ++world) {
      for (const int64_t n : kSizes) {
        for (const int64_t batch_size : {1, 3, 4, 16}) {
          std::vector<size_t> sizes_of_rank0;
          for (int rank = 0; rank < world; ++rank) {
            const DistributedSampler sampler(n, world, rank, 11, true, drop_last);
            const auto batches = sampler.batches(6, batch_size);
            ASSERT_EQ(static_cast<int64_t>(batches.size()), sampler.batches_per_epoch(batch_size));
            std::vector<size_t> sizes;
            std::vector<int64_t> joined;
            for (const auto& batch : batches) {
              sizes.push_back(batch.size());
              if (drop_last) {
                EXPECT_EQ(static_cast<int64_t>(batch.size()), batch_size);
              }
              joined.insert(joined.end(), batch.begin(), batch.end());
            }
            const auto slice = sampler.indices(6);
            // Batches are the slice in order; drop_last drops only the partial last batch.
            ASSERT_TRUE(std::equal(joined.begin(), joined.end(), slice.begin()));
            if (!drop_last) {
              EXPECT_EQ(joined, slice);
            }
            if (rank == 0) sizes_of_rank0 = sizes;
            EXPECT_EQ(sizes, sizes_of_rank0) << "n " << n << " world " << world << " rank " << rank;
          }
        }
      }
    }
  }
}

TEST(Sampler, CountsForAwkwardSizes) {
  EXPECT_EQ(DistributedSampler(10, 3, 0, 0, true, true).per_rank(), 3);
  EXPECT_EQ(DistributedSampler(10, 3, 0, 0, true, false).per_rank(), 4);
  EXPECT_EQ(DistributedSampler(10, 3, 2, 0, true, true).batches_per_epoch(2), 1);
  EXPECT_EQ(DistributedSampler(10, 3, 2, 0, true, false).batches_per_epoch(3), 2);  // 3 + 1
  EXPECT_EQ(DistributedSampler(2, 5, 4, 0, true, true).batches_per_epoch(1), 0);    // fewer items than ranks
  EXPECT_EQ(DistributedSampler(2, 5, 4, 0, true, false).indices(0).size(), 1u);     // padded
}

TEST(Sampler, RefusesBadArguments) {
  EXPECT_THROW(DistributedSampler(10, 0, 0, 0, true, true), ConfigError);
  EXPECT_THROW(DistributedSampler(10, 2, 2, 0, true, true), ConfigError);
  EXPECT_THROW(DistributedSampler(10, 2, -1, 0, true, true), ConfigError);
  EXPECT_THROW(DistributedSampler(-1, 2, 0, 0, true, true), ConfigError);
  EXPECT_THROW(DistributedSampler(10, 2, 0, 0, true, true).batches_per_epoch(0), ConfigError);
}

TEST(SamplerPosition, RoundTripsThroughJsonAndRefusesDamage) {
  const SamplerPosition position{3, 17};
  EXPECT_EQ(SamplerPosition::from_json(position.to_json(), "ckpt"), position);
  try {
    SamplerPosition::from_json({{"epoch", 1}}, "ckpt/step-10.pt");
    FAIL() << "no DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("ckpt/step-10.pt"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("'batch'"), std::string::npos) << error.what();
  }
  EXPECT_THROW(SamplerPosition::from_json({{"epoch", -1}, {"batch", 0}}, "x"), DataError);
  EXPECT_THROW(SamplerPosition::from_json({{"epoch", "1"}, {"batch", 0}}, "x"), DataError);
}

}  // namespace
}  // namespace musictag::train
