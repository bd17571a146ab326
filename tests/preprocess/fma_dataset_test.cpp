// load_fma on demo metadata (no audio): subsets, split counts and tags against an independent reading of
// tracks.csv, top-N by training frequency, explicit tags, genre_top and max_tracks.
#include <gtest/gtest.h>

#include <algorithm>

#include "cluster/errors.h"
#include "dataset_test_support.h"
#include "preprocess/sources/dataset_loader.h"
#include "preprocess/sources/fma_dataset.h"

namespace musictag::preprocess {
namespace {

using test::expect_error;

constexpr int kTracks = 160;
constexpr uint64_t kSeed = 11;

class FmaDataset : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    test::write_demo_metadata(dir_->path(), kTracks, kSeed);
    ref_ = new test::ReferenceFma(test::read_reference_fma(dir_->path() / "fma_metadata"));
  }
  static void TearDownTestSuite() {
    delete ref_;
    delete dir_;
  }
  static DatasetIndex load(const std::string& extra = "") {
    return load_dataset(test::dataset_config("{root: " + dir_->path().string() + extra + "}"));
  }
  static std::set<int64_t> ids(const DatasetIndex& index) {
    std::set<int64_t> result;
    for (const auto& t : index.tracks) result.insert(t.track_id);
    return result;
  }
  // Tag names of a reference track for the column `source`.
  static std::set<std::string> tags(const test::ReferenceTrack& t, const std::string& source) {
    if (source == "genre_top")
      return t.genre_top.empty() ? std::set<std::string>{} : std::set<std::string>{t.genre_top};
    std::set<std::string> names;
    for (int id : source == "genres" ? t.genres : t.genres_all) names.insert(ref_->title.at(id));
    return names;
  }
  // Each track's multi-hot row equals the reference tags of `source` that are in the vocabulary.
  static void expect_tags_match(const DatasetIndex& index, const std::string& source) {
    std::map<int64_t, const test::ReferenceTrack*> by_id;
    for (const auto& t : ref_->tracks) by_id[t.id] = &t;
    for (const auto& track : index.tracks) {
      const auto& ref = *by_id.at(track.track_id);
      EXPECT_EQ(track.split, ref.split);
      ASSERT_EQ(track.tags.size(), index.tag_names.size());
      std::set<std::string> got, expected;
      for (size_t i = 0; i < track.tags.size(); ++i) {
        ASSERT_LE(track.tags[i], 1);
        if (track.tags[i]) got.insert(index.tag_names[i]);
      }
      for (const auto& name : tags(ref, source))
        if (std::count(index.tag_names.begin(), index.tag_names.end(), name)) expected.insert(name);
      EXPECT_EQ(got, expected) << source << " of track " << track.track_id;
    }
  }
  static test::TempDir* dir_;
  static test::ReferenceFma* ref_;
};
test::TempDir* FmaDataset::dir_ = nullptr;
test::ReferenceFma* FmaDataset::ref_ = nullptr;

TEST_F(FmaDataset, SubsetsAreNestedAndMatchSetSubset) {
  const auto small = ids(load(", subset: small")), medium = ids(load(", subset: medium")),
             large = ids(load(", subset: large")), full = ids(load(", subset: full"));
  EXPECT_TRUE(std::includes(medium.begin(), medium.end(), small.begin(), small.end()));
  EXPECT_TRUE(std::includes(large.begin(), large.end(), medium.begin(), medium.end()));
  EXPECT_EQ(large, full);
  EXPECT_LT(small.size(), medium.size());
  EXPECT_LT(medium.size(), large.size());  // the demo puts tracks without a genre_top in large, as FMA
  std::set<int64_t> expected_medium;
  for (const auto& t : ref_->tracks)
    if (t.subset == "small" || t.subset == "medium") expected_medium.insert(t.id);
  EXPECT_EQ(medium, expected_medium);
}

TEST_F(FmaDataset, SplitCountsMatchAnIndependentCount) {
  for (const std::string subset : {"small", "medium", "full"}) {
    const auto index = load(", subset: " + subset + ", drop_untagged: false");
    std::map<std::string, size_t> expected;
    for (const auto& t : ref_->tracks)
      if (test::in_subset(t.subset, subset) && !t.genres_all.empty()) ++expected[t.split];
    size_t total = 0;
    for (const std::string split : {"training", "validation", "test"}) {
      EXPECT_EQ(index.split(split).size(), expected[split]) << subset << " " << split;
      EXPECT_GT(expected[split], 0u) << subset << " " << split;
      total += expected[split];
    }
    EXPECT_EQ(index.tracks.size(), total);
    EXPECT_EQ(index.counts.rows, kTracks);
  }
}

TEST_F(FmaDataset, TracksAreSortedBySplitThenIdAndTagsMatchGenresAllWithAncestors) {
  const auto index = load(", subset: full, drop_untagged: false");
  EXPECT_EQ(index.source, "fma");
  EXPECT_TRUE(std::is_sorted(index.tracks.begin(), index.tracks.end(), [](const auto& a, const auto& b) {
    return std::make_pair(dataset_split_rank(a.split), a.track_id) <
           std::make_pair(dataset_split_rank(b.split), b.track_id);
  }));
  expect_tags_match(index, "genres_all");
  std::map<std::string, std::string> parent_title;
  for (const auto& [id, parent] : ref_->parent)
    if (parent != 0) parent_title[ref_->title.at(id)] = ref_->title.at(parent);
  size_t with_child = 0;
  for (const auto& track : index.tracks) {
    for (size_t i = 0; i < track.tags.size(); ++i) {  // genres_all: every child comes with its parent
      if (!track.tags[i] || !parent_title.count(index.tag_names[i])) continue;
      ++with_child;
      const auto parent = std::find(index.tag_names.begin(), index.tag_names.end(), parent_title[index.tag_names[i]]);
      ASSERT_NE(parent, index.tag_names.end());
      EXPECT_EQ(track.tags[static_cast<size_t>(parent - index.tag_names.begin())], 1) << track.track_id;
    }
  }
  EXPECT_GT(with_child, 0u);
}

TEST_F(FmaDataset, GenresColumnIsTakenAsAssigned) {
  const auto index = load(", subset: full, tag_source: genres, drop_untagged: false");
  expect_tags_match(index, "genres");
  EXPECT_EQ(index.tracks.size(), static_cast<size_t>(kTracks));
}

TEST_F(FmaDataset, TopNIsByTrainingFrequencyTiesByName) {
  const auto index = load(", subset: full, n_tags: 6");
  std::map<std::string, int64_t> counts;
  for (const auto& t : ref_->tracks)
    if (t.split == "training")
      for (const auto& name : tags(t, "genres_all")) ++counts[name];
  std::vector<std::pair<int64_t, std::string>> ranked;
  for (const auto& [name, n] : counts) ranked.emplace_back(-n, name);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> expected;
  for (size_t i = 0; i < 6; ++i) expected.push_back(ranked[i].second);
  EXPECT_EQ(index.tag_names, expected);
  // The index's own training counts agree and are non-increasing.
  const auto got = index.tag_counts("training");
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], counts.at(index.tag_names[i]));
  // Every kept track has one of the six (drop_untagged); the rest were counted.
  for (const auto& t : index.tracks) EXPECT_TRUE(std::count(t.tags.begin(), t.tags.end(), 1) > 0);
  EXPECT_EQ(static_cast<int64_t>(index.tracks.size()) + index.counts.without_vocabulary_tags, kTracks);
}

TEST_F(FmaDataset, ExplicitTagsKeepTheirOrder) {
  const auto index = load(", subset: full, tags: [Rock, Jazz, Techno]");
  EXPECT_EQ(index.tag_names, (std::vector<std::string>{"Rock", "Jazz", "Techno"}));
  size_t expected = 0;
  for (const auto& t : ref_->tracks) {
    const auto names = tags(t, "genres_all");
    expected += names.count("Rock") || names.count("Jazz") || names.count("Techno");
  }
  EXPECT_EQ(index.tracks.size(), expected);
  expect_error<ConfigError>([] { load(", tags: [Rock, Polka]"); },
                            {"dataset.tags", "'Polka'", "Rock", "Jazz", "Techno"});
}

TEST_F(FmaDataset, GenreTopSkipsTracksWithoutOneAndCountsThem) {
  const auto index = load(", subset: full, tag_source: genre_top");
  size_t without = 0;
  for (const auto& t : ref_->tracks) without += t.genre_top.empty();
  EXPECT_GT(without, 0u);
  EXPECT_EQ(index.counts.without_source_tags, static_cast<int64_t>(without));
  EXPECT_EQ(index.tracks.size(), static_cast<size_t>(kTracks) - without);
  std::set<std::string> roots;
  for (const auto& [id, parent] : ref_->parent)
    if (parent == 0) roots.insert(ref_->title.at(id));
  for (const auto& name : index.tag_names) EXPECT_TRUE(roots.count(name)) << name << " is not a root";
  expect_tags_match(index, "genre_top");
  for (const auto& t : index.tracks) EXPECT_EQ(std::count(t.tags.begin(), t.tags.end(), 1), 1) << t.track_id;
}

TEST_F(FmaDataset, MaxTracksKeepsTheFirstIdsOfEachSplit) {
  const auto all = load(", subset: full");
  const auto few = load(", subset: full, max_tracks: 3");
  EXPECT_EQ(few.tag_names, all.tag_names);  // vocabulary counted before the limit
  for (const std::string split : {"training", "validation", "test"}) {
    const auto a = all.split(split), f = few.split(split);
    ASSERT_EQ(f.size(), std::min<size_t>(3, a.size()));
    for (size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f[i]->track_id, a[i]->track_id);
  }
  EXPECT_EQ(few.counts.beyond_max_tracks, static_cast<int64_t>(all.tracks.size() - few.tracks.size()));
}

}  // namespace
}  // namespace musictag::preprocess
