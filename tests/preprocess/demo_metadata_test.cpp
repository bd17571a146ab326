// The demo's fma_metadata read back with libcsv: FMA's 3 header rows and 52 columns, genre consistency against
// genres.csv (parsed independently of the library's tree), splits, subsets, and exact round trip of every cell.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "demo_test_support.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_metadata_csv.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/fma_list_literal.h"

namespace musictag::preprocess {
namespace {

constexpr int kTracks = 24;
constexpr uint64_t kSeed = 7;

// The column list typed from shared/data/fma-format.md, independent of preprocess/sources/fma_columns.cpp.
std::vector<std::pair<std::string, std::string>> expected_columns() {
  const std::vector<std::pair<std::string, std::string>> groups = {
      {"album",
       "comments date_created date_released engineer favorites id information listens producer tags title "
       "tracks type"},
      {"artist",
       "active_year_begin active_year_end associated_labels bio comments date_created favorites id "
       "latitude location longitude members name related_projects tags website wikipedia_page"},
      {"set", "split subset"},
      {"track",
       "bit_rate comments composer date_created date_recorded duration favorites genre_top genres "
       "genres_all information interest language_code license listens lyricist number publisher tags "
       "title"}};
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& [group, names] : groups) {
    std::istringstream words(names);
    for (std::string name; words >> name;) columns.emplace_back(group, name);
  }
  return columns;
}

class DemoMetadata : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new test::fs::path(test::cached_demo_dataset(kTracks, kSeed));
    tracks_ = new std::vector<CsvRow>(read_csv_file((*root_ / "fma_metadata" / "tracks.csv").string()));
    genres_ = new std::vector<CsvRow>(read_csv_file((*root_ / "fma_metadata" / "genres.csv").string()));
  }
  static void TearDownTestSuite() {
    delete root_;
    delete tracks_;
    delete genres_;
  }
  // Column index (0 = track_id) of group.name in the file's own header rows.
  static size_t col(const std::string& group, const std::string& name) {
    for (size_t i = 1; i < (*tracks_)[0].size(); ++i) {
      if ((*tracks_)[0][i] == group && (*tracks_)[1][i] == name) return i;
    }
    throw std::runtime_error("no column " + group + "." + name);
  }
  static std::vector<CsvRow> data_rows() { return {tracks_->begin() + 3, tracks_->end()}; }

  static test::fs::path* root_;
  static std::vector<CsvRow>* tracks_;
  static std::vector<CsvRow>* genres_;
};
test::fs::path* DemoMetadata::root_ = nullptr;
std::vector<CsvRow>* DemoMetadata::tracks_ = nullptr;
std::vector<CsvRow>* DemoMetadata::genres_ = nullptr;

TEST_F(DemoMetadata, TracksCsvHasFmasThreeHeaderRowsAnd52Columns) {
  ASSERT_EQ(tracks_->size(), 3u + kTracks);
  const auto expected = expected_columns();
  ASSERT_EQ(expected.size(), 52u);
  for (const CsvRow& row : *tracks_) ASSERT_EQ(row.size(), 53u) << "row starting " << row[0];
  EXPECT_EQ((*tracks_)[0][0], "");
  EXPECT_EQ((*tracks_)[1][0], "");
  EXPECT_EQ((*tracks_)[2][0], "track_id");
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*tracks_)[0][i + 1], expected[i].first) << "column " << i;
    EXPECT_EQ((*tracks_)[1][i + 1], expected[i].second) << "column " << i;
    EXPECT_EQ((*tracks_)[2][i + 1], "") << "column " << i;
  }
}

TEST_F(DemoMetadata, EveryCellRoundTripsIncludingQuotesCommasAndNewlines) {
  const DemoPlan plan = plan_demo_dataset(kTracks, kSeed);
  const auto rows = data_rows();
  ASSERT_EQ(rows.size(), plan.tracks.size());
  bool newline = false, comma = false, quote = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> expected = {std::to_string(plan.tracks[i].id)};
    for (std::string& cell : demo_track_cells(plan, plan.tracks[i], demo_genre_tree())) expected.push_back(cell);
    EXPECT_EQ(rows[i], expected) << "track " << rows[i][0];
    for (const std::string& cell : rows[i]) {
      newline |= cell.find('\n') != std::string::npos;
      comma |= cell.find(',') != std::string::npos && cell.front() != '[';
      quote |= cell.find('"') != std::string::npos;
    }
  }
  EXPECT_TRUE(newline && comma && quote) << "the demo must exercise quoted newlines, commas and quotes";
  EXPECT_NE(rows[0][col("track", "title")].find(", "), std::string::npos);
  const std::string info = rows[1][col("track", "information")];
  EXPECT_NE(info.find('\n'), std::string::npos);
  EXPECT_NE(info.find('"'), std::string::npos);
}

TEST_F(DemoMetadata, GenresAllAreGenresPlusAncestorsAndGenreTopMeansOneRoot) {
  std::map<int, int> parent;
  std::map<int, std::string> title;
  for (size_t i = 1; i < genres_->size(); ++i) {
    parent[std::stoi((*genres_)[i][0])] = std::stoi((*genres_)[i][2]);
    title[std::stoi((*genres_)[i][0])] = (*genres_)[i][3];
  }
  const auto root_of = [&](int id) {
    while (parent.at(id) != 0) id = parent.at(id);
    return id;
  };
  for (const CsvRow& row : data_rows()) {
    const std::vector<int> genres = parse_int_list(row[col("track", "genres")]);
    const std::vector<int> all = parse_int_list(row[col("track", "genres_all")]);
    ASSERT_FALSE(genres.empty()) << row[0];
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end())) << row[0];
    std::set<int> expected_all, roots;
    for (int id : genres) {
      ASSERT_TRUE(parent.count(id)) << "track " << row[0] << " has unknown genre " << id;
      for (int g = id; g != 0; g = parent.at(g)) expected_all.insert(g);
      roots.insert(root_of(id));
    }
    EXPECT_EQ(std::set<int>(all.begin(), all.end()), expected_all) << row[0];
    EXPECT_LE(roots.size(), 2u);
    const std::string top = row[col("track", "genre_top")];
    if (roots.size() == 1) {
      EXPECT_EQ(top, title.at(*roots.begin())) << row[0];
    } else {
      EXPECT_EQ(top, "") << row[0];
    }
  }
}

TEST_F(DemoMetadata, SplitsAndSubsetsAreValidAndArtistDisjoint) {
  std::map<std::string, std::string> split_of_artist;
  std::map<std::string, int> splits;
  for (const CsvRow& row : data_rows()) {
    const std::string split = row[col("set", "split")], subset = row[col("set", "subset")];
    EXPECT_TRUE(split == "training" || split == "validation" || split == "test") << split;
    EXPECT_TRUE(subset == "small" || subset == "medium" || subset == "large") << subset;
    if (row[col("track", "genre_top")].empty()) {
      EXPECT_EQ(subset, "large") << "FMA's small/medium need a genre_top";
    }
    const auto [it, fresh] = split_of_artist.emplace(row[col("artist", "id")], split);
    EXPECT_EQ(it->second, split) << "artist " << row[col("artist", "id")] << " spans splits";
    ++splits[split];
  }
  EXPECT_GE(splits["training"], kTracks * 6 / 10);
  EXPECT_GE(splits["validation"], 1);
  EXPECT_GE(splits["test"], 1);
  // With the default 300 tracks: close to 80/10/10 (training >= 70%), and every genre has at least two tracks
  // in validation and in test, so each tag can be scored there.
  const DemoPlan big = plan_demo_dataset(300, 1);
  std::map<std::string, int> big_splits;
  std::map<int, std::map<std::string, int>> per_genre;
  for (const DemoTrack& t : big.tracks) {
    ++big_splits[t.split];
    for (int id : t.genres_all) ++per_genre[id][t.split];
  }
  EXPECT_GE(big_splits["training"], 210);
  EXPECT_LE(big_splits["training"], 246);
  EXPECT_GE(big_splits["validation"], 24);
  EXPECT_GE(big_splits["test"], 24);
  EXPECT_EQ(per_genre.size(), demo_genre_tree().genres().size());
  for (auto& [id, counts] : per_genre) {
    EXPECT_GE(counts["validation"], 2) << "genre " << id;
    EXPECT_GE(counts["test"], 2) << "genre " << id;
  }
}

TEST_F(DemoMetadata, GenresCsvIsAConsistentTwoLevelTreeWithTrackCounts) {
  ASSERT_EQ((*genres_)[0], (CsvRow{"genre_id", "#tracks", "parent", "title", "top_level"}));
  std::map<int, int> parent, top, count;
  std::map<int, std::string> title;
  for (size_t i = 1; i < genres_->size(); ++i) {
    const CsvRow& g = (*genres_)[i];
    ASSERT_EQ(g.size(), 5u);
    const int id = std::stoi(g[0]);
    EXPECT_TRUE(parent.emplace(id, std::stoi(g[2])).second) << "duplicate " << id;
    count[id] = std::stoi(g[1]);
    title[id] = g[3];
    top[id] = std::stoi(g[4]);
  }
  EXPECT_GE(parent.size(), 18u);
  EXPECT_LE(parent.size(), 24u);
  for (const auto& [id, p] : parent) {
    if (p == 0) {
      EXPECT_EQ(top[id], id);
    } else {
      ASSERT_TRUE(parent.count(p)) << id;
      EXPECT_EQ(parent[p], 0) << "two levels only";
      EXPECT_EQ(top[id], p);
    }
  }
  const std::map<int, std::string> real_roots = {{12, "Rock"},         {15, "Electronic"}, {21, "Hip-Hop"},
                                                 {4, "Jazz"},          {5, "Classical"},   {17, "Folk"},
                                                 {38, "Experimental"}, {10, "Pop"}};
  for (const auto& [id, name] : real_roots) {
    EXPECT_EQ(title[id], name);
    EXPECT_EQ(parent[id], 0);
  }
  std::map<int, int> seen;
  for (const CsvRow& row : data_rows()) {
    for (int id : parse_int_list(row[col("track", "genres_all")])) ++seen[id];
  }
  for (const auto& [id, n] : count) EXPECT_EQ(n, seen[id]) << "#tracks of genre " << id;
}

}  // namespace
}  // namespace musictag::preprocess
