// BatchLoader across ranks, resumption, the evaluation order and refused settings.
#include <gtest/gtest.h>

#include <set>

#include "batch_loader_fixture.h"
#include "cluster/errors.h"

namespace musictag::train {
namespace {

using testing::BatchLoaderTest;

TEST_F(BatchLoaderTest, RanksGetEqualBatchCountsAndTogetherCoverTheEpoch) {
  DataConfig all = config_;
  all.variants = VariantPolicy::all;
  for (const bool drop_last : {true, false}) {
    all.drop_last = drop_last;
    for (int world = 1; world <= 4; ++world) {
      std::multiset<int64_t> seen;
      std::vector<int64_t> counts;
      for (int rank = 0; rank < world; ++rank) {
        const auto batches = epoch(all, {LoaderMode::training, 2, world, rank}, 3);
        counts.push_back(static_cast<int64_t>(batches.size()));
        for (const auto& batch : batches) seen.insert(batch.examples.begin(), batch.examples.end());
      }
      for (const int64_t count : counts) EXPECT_EQ(count, counts.front()) << "world " << world;
      if (!drop_last) {
        for (int64_t i = 0; i < 18; ++i) EXPECT_GE(seen.count(i), 1u) << "world " << world;
      } else {
        for (int64_t i = 0; i < 18; ++i) EXPECT_LE(seen.count(i), 1u) << "world " << world;
      }
    }
  }
}

TEST_F(BatchLoaderTest, ResumingAtAPositionGivesTheRemainingBatches) {
  DataConfig all = config_;
  all.variants = VariantPolicy::all;
  const auto full = epoch(all, {LoaderMode::training, 4}, 2);
  ASSERT_EQ(full.size(), 4u);
  const auto rest = epoch(all, {LoaderMode::training, 4}, 2, 3);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].index, 3);
  EXPECT_TRUE(at::equal(rest[0].input, full[3].input));

  BatchLoader loader(index_, all, {LoaderMode::training, 4});
  loader.start({2, 2});
  EXPECT_EQ(loader.position(), (SamplerPosition{2, 2}));
  loader.next();
  EXPECT_EQ(loader.position(), (SamplerPosition{2, 3}));
  loader.next();
  EXPECT_EQ(loader.position(), (SamplerPosition{3, 0}));
  EXPECT_FALSE(loader.next());
  EXPECT_EQ(loader.batches_delivered(), 2);
  EXPECT_GE(loader.wait_seconds(), 0.0);
  EXPECT_THROW(loader.start_epoch(2, 5), DataError);
}

TEST_F(BatchLoaderTest, EvaluationDeliversEveryExampleInOrderWithALastSmallerBatch) {
  const auto batches = epoch(config_, {LoaderMode::evaluation, 5}, 0);
  ASSERT_EQ(batches.size(), 4u);
  EXPECT_EQ(batches.back().size(), 3);
  int64_t i = 0;
  for (const auto& batch : batches) {
    for (int64_t k = 0; k < batch.size(); ++k, ++i) {
      EXPECT_EQ(batch.examples[static_cast<size_t>(k)], i);
      EXPECT_EQ(batch.track_ids[static_cast<size_t>(k)], data_.track_ids[static_cast<size_t>(i)]);
      EXPECT_EQ(batch.segments[static_cast<size_t>(k)], data_.segments[static_cast<size_t>(i)]);
      EXPECT_EQ(batch.variants[static_cast<size_t>(k)], data_.variants[static_cast<size_t>(i)]);
    }
  }
  EXPECT_EQ(i, 18);
}

TEST_F(BatchLoaderTest, RefusesBadSettings) {
  DataConfig config = config_;
  config.input_frames = 41;
  try {
    BatchLoader loader(index_, config, {});
    FAIL() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("input_frames: value 41 exceeds the 40 frames"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(BatchLoader(index_, config_, {LoaderMode::training, 0}), ConfigError);
  EXPECT_THROW(BatchLoader(index_, config_, {LoaderMode::training, 2, 2, 2}), ConfigError);
  // At most 9 examples under "random" (one variant per track) with drop_last: 4 ranks get at most 2 each, no batch
  // of 3.
  BatchLoader starved(index_, config_, {LoaderMode::training, 3, 4, 0});
  try {
    starved.start_epoch(0);
    FAIL() << "no DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("gets no batch"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(folder()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace musictag::train
