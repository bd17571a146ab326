// Duplicate groups: grouping by sha256 (order-independent), lowest id kept, cross-split warning, dropping, and the
// source_sha256.tsv table that a resumed run reuses only when it lists exactly the dataset's tracks.
#include <gtest/gtest.h>

#include <algorithm>

#include "preprocess/duplicate_groups.h"
#include "preprocess/source_hashes.h"

namespace musictag::preprocess {
namespace {

const std::string kA(64, 'a'), kB(64, 'b'), kC(64, 'c');

TrackRecord track(int64_t id, const std::string& split) {
  return {id, "audio/" + std::to_string(id) + ".mp3", split, {}};
}

// Tracks as DatasetIndex holds them (by split, then id): 3 and 40 share kA across splits, 7 / 9 / 12 share kB in
// training, 20 is alone, 30 could not be read ("").
std::vector<TrackRecord> tracks() {
  return {track(3, "training"),  track(7, "training"),    track(9, "training"), track(12, "training"),
          track(20, "training"), track(30, "validation"), track(40, "test")};
}
const std::vector<std::string> kHashes = {kA, kB, kB, kB, kC, "", kA};

TEST(DuplicateGroups, GroupsEqualHashesWithIdsAscendingAndGroupsByFirstId) {
  const auto groups = find_duplicate_groups(tracks(), kHashes, false);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].sha256, kA);
  EXPECT_EQ(groups[0].track_ids, (std::vector<int64_t>{3, 40}));
  EXPECT_EQ(groups[0].splits, (std::vector<std::string>{"training", "test"}));
  EXPECT_EQ(groups[1].sha256, kB);
  EXPECT_EQ(groups[1].track_ids, (std::vector<int64_t>{7, 9, 12}));
  for (const auto& group : groups) EXPECT_TRUE(group.dropped.empty()) << "drop_duplicates false drops nothing";
}

TEST(DuplicateGroups, DoNotDependOnTheOrderOfTheTracks) {
  auto shuffled = tracks();
  auto hashes = kHashes;
  std::reverse(shuffled.begin(), shuffled.end());
  std::reverse(hashes.begin(), hashes.end());
  std::rotate(shuffled.begin(), shuffled.begin() + 2, shuffled.end());
  std::rotate(hashes.begin(), hashes.begin() + 2, hashes.end());
  EXPECT_EQ(find_duplicate_groups(shuffled, hashes, true), find_duplicate_groups(tracks(), kHashes, true));
}

TEST(DuplicateGroups, DropKeepsTheLowestIdOfEachGroup) {
  const auto groups = find_duplicate_groups(tracks(), kHashes, true);
  EXPECT_EQ(groups[0].dropped, (std::vector<int64_t>{40}));
  EXPECT_EQ(groups[1].dropped, (std::vector<int64_t>{9, 12}));
  DatasetIndex dataset;
  dataset.tracks = tracks();
  EXPECT_EQ(drop_duplicate_tracks(dataset, groups), 3);
  std::vector<int64_t> left;
  for (const auto& t : dataset.tracks) left.push_back(t.track_id);
  EXPECT_EQ(left, (std::vector<int64_t>{3, 7, 20, 30}));
}

TEST(DuplicateGroups, UnreadableFilesAndSingletonsAreInNoGroup) {
  const std::vector<std::string> unreadable = {"", "", kA, "", "", "", ""};
  EXPECT_TRUE(find_duplicate_groups(tracks(), unreadable, true).empty());
}

TEST(DuplicateGroups, CrossSplitGroupWarnsNamingEveryIdAndSplit) {
  const auto kept = find_duplicate_groups(tracks(), kHashes, false);
  const std::string warning = cross_split_warning(kept[0]);
  EXPECT_NE(warning.find("track 3 (training), track 40 (test)"), std::string::npos) << warning;
  EXPECT_NE(warning.find("preprocess.drop_duplicates: true"), std::string::npos) << warning;
  EXPECT_NE(cross_split_warning(find_duplicate_groups(tracks(), kHashes, true)[0]).find("only track 3 is kept"),
            std::string::npos);
  EXPECT_EQ(cross_split_warning(kept[1]), "") << "7, 9, 12 are all training";
}

TEST(SourceHashes, TableRoundTripsAndIsReusedOnlyForTheSameTracks) {
  const std::string text = format_source_hashes(tracks(), kHashes);
  EXPECT_EQ(text.substr(0, text.find('\n')), "track_id\tsplit\tpath\tsha256");
  EXPECT_EQ(parse_source_hashes(text, tracks()), kHashes);

  auto other_path = tracks();
  other_path[2].audio_path = "elsewhere/9.mp3";
  EXPECT_TRUE(parse_source_hashes(text, other_path).empty()) << "another path: hash again";
  auto fewer = tracks();
  fewer.pop_back();
  EXPECT_TRUE(parse_source_hashes(text, fewer).empty()) << "rows beyond the dataset: hash again";
  auto damaged = text;
  damaged.replace(damaged.find(kC), 3, "xyz");
  EXPECT_TRUE(parse_source_hashes(damaged, tracks()).empty()) << "a damaged digest: hash again";
}

}  // namespace
}  // namespace musictag::preprocess
