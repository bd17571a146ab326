// Variant policies per epoch and the evaluation order.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "data_test_support.h"
#include "train/data/data_index.h"
#include "train/data/data_selection.h"

namespace musictag::train {
namespace {

using DataSelection = testing::DataFolderTest;

TEST_F(DataSelection, RandomPicksExactlyOneVariantPerTrackWithAllItsSegments) {
  testing::write_test_dataset(folder(), testing::default_spec());
  const DataIndex index = DataIndex::open(folder(), "training");
  std::map<int64_t, std::set<int16_t>> variants_seen;  // over epochs
  for (int64_t epoch = 0; epoch < 20; ++epoch) {
    const auto selected = select_examples(index, VariantPolicy::random, 5, epoch);
    EXPECT_TRUE(std::is_sorted(selected.begin(), selected.end()));
    EXPECT_EQ(selected, select_examples(index, VariantPolicy::random, 5, epoch));  // deterministic
    std::map<int64_t, std::set<int16_t>> chosen;
    for (const int64_t i : selected) chosen[index.example(i).track_id].insert(index.example(i).variant);
    ASSERT_EQ(chosen.size(), index.tracks().size()) << "every track once, epoch " << epoch;
    for (const auto& track : index.tracks()) {
      ASSERT_EQ(chosen[track.track_id].size(), 1u) << "track " << track.track_id << " epoch " << epoch;
      const int16_t variant = *chosen[track.track_id].begin();
      variants_seen[track.track_id].insert(variant);
      // All segments of the chosen variant are in the epoch.
      for (size_t v = 0; v < track.variants.size(); ++v) {
        if (track.variants[v] != variant) continue;
        for (const int64_t i : track.examples_of_variant[v]) {
          EXPECT_TRUE(std::binary_search(selected.begin(), selected.end(), i));
        }
      }
    }
  }
  // Over 20 epochs a track with 3 variants shows more than one (probability of one only: 3 * 3^-20).
  EXPECT_GT(variants_seen[10].size(), 1u);
  EXPECT_EQ(variants_seen[12].size(), 1u);  // only variant 0 exists
}

TEST_F(DataSelection, AllIncludesEveryExampleAndOriginalOnlyVariantZero) {
  testing::write_test_dataset(folder(), testing::default_spec());
  const DataIndex index = DataIndex::open(folder(), "training");
  const auto all = select_examples(index, VariantPolicy::all, 5, 3);
  ASSERT_EQ(static_cast<int64_t>(all.size()), index.size());
  for (int64_t i = 0; i < index.size(); ++i) EXPECT_EQ(all[static_cast<size_t>(i)], i);
  const auto original = select_examples(index, VariantPolicy::original, 5, 3);
  EXPECT_EQ(original.size(), 8u);  // variant-0 segments: 1 + 2 + 1 + 1 + 2 + 1
  for (const int64_t i : original) EXPECT_EQ(index.example(i).variant, 0);
}

TEST_F(DataSelection, EvaluationOrderIsEveryExampleInIndexOrderSplitIntoContiguousBlocks) {
  const auto data = testing::write_test_dataset(folder(), testing::default_spec());
  const DataIndex index = DataIndex::open(folder(), "training");
  const auto order = evaluation_order(index);
  ASSERT_EQ(static_cast<int64_t>(order.size()), index.size());
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(order[i].example, static_cast<int64_t>(i));
    EXPECT_EQ(order[i].track_id, data.track_ids[i]);
    EXPECT_EQ(order[i].variant, data.variants[i]);
    EXPECT_EQ(order[i].segment, data.segments[i]);
    if (i > 0) {
      EXPECT_LE(order[i - 1].track_id, order[i].track_id);
    }
  }
  for (int world = 1; world <= 5; ++world) {
    std::vector<int64_t> joined;
    for (int rank = 0; rank < world; ++rank) {
      const auto block = evaluation_order(index, world, rank);
      EXPECT_NEAR(static_cast<double>(block.size()), 18.0 / world, 1.0);
      for (const auto& e : block) joined.push_back(e.example);
    }
    ASSERT_EQ(joined.size(), order.size());
    for (size_t i = 0; i < joined.size(); ++i) EXPECT_EQ(joined[i], static_cast<int64_t>(i));
  }
}

}  // namespace
}  // namespace musictag::train
