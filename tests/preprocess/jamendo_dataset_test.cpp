// load_jamendo on generated MTG-Jamendo files (the demo's metadata: ragged CRLF rows, five tag sets, five splits,
// mood/theme tags, tables holding tracks and tags the splits drop) against Python's csv module reading the same files.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cluster/errors.h"
#include "dataset_test_support.h"
#include "jamendo_test_support.h"
#include "preprocess/sources/dataset_loader.h"
#include "preprocess/sources/jamendo_dataset.h"

namespace musictag::preprocess {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTagSets = {"top50tags", "genre", "instrument", "moodtheme", "all"};

class JamendoDemoFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    test::write_demo_jamendo_metadata(dir_->path(), 400, 11);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static const fs::path& root() { return dir_->path(); }
  static DatasetIndex load(const std::string& extra) {
    return load_dataset(test::dataset_config("{kind: jamendo, root: " + root().string() + extra + "}"));
  }
  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
      lines.push_back(text.substr(start, end - start));
    return lines;
  }

  static test::TempDir* dir_;
};
test::TempDir* JamendoDemoFiles::dir_ = nullptr;

TEST_F(JamendoDemoFiles, FilesAreRaggedCrlfTsvAsMtgWritesThem) {
  for (const auto& file : {"autotagging.tsv", "autotagging_moodtheme.tsv", "splits/split-3/autotagging-train.tsv",
                           "splits/split-0/autotagging_top50tags-test.tsv"}) {
    const std::string bytes = test::read_bytes(root() / file);
    ASSERT_FALSE(bytes.empty()) << file;
    EXPECT_EQ(bytes.rfind("TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS\r\n", 0), 0u) << file;
    const auto lf = std::count(bytes.begin(), bytes.end(), '\n');
    size_t crlf = 0;
    for (size_t at = 0; (at = bytes.find("\r\n", at)) != std::string::npos; at += 2) ++crlf;
    EXPECT_EQ(static_cast<size_t>(lf), crlf) << file << ": every line ends with CRLF";
    EXPECT_EQ(bytes.find('"'), std::string::npos) << file << ": nothing quoted";
  }
  std::set<size_t> widths;
  for (const auto& line : lines_of(test::read_bytes(root() / "autotagging.tsv")))
    widths.insert(static_cast<size_t>(std::count(line.begin(), line.end(), '\t')) + 1);
  EXPECT_GE(widths.size(), 4u) << "rows of 5 + k fields for several k";
  EXPECT_GE(*widths.rbegin(), 9u);
  const std::string moods = test::read_bytes(root() / "autotagging_moodtheme.tsv");
  EXPECT_NE(moods.find("\tmood/theme---happy"), std::string::npos);
}

// The adapter's tracks, splits, paths and tags equal Python's csv reading of the split files, for all five tag sets
// and two of the five splits.
TEST_F(JamendoDemoFiles, EveryTagSetMatchesPythonCsvReader) {
  for (const int split : {0, 3}) {
    for (const auto& tag_set : kTagSets) {
      SCOPED_TRACE("split " + std::to_string(split) + ", tag set " + tag_set);
      const auto [expected, status] = test::python_reference(root(), split, tag_set);
      ASSERT_EQ(status, 0) << expected;
      const DatasetIndex index = load(", jamendo_split: " + std::to_string(split) + ", tag_set: " + tag_set);
      EXPECT_EQ(test::index_text(index, root() / "audio"), expected);
      EXPECT_EQ(index.source, "jamendo");
      EXPECT_EQ(index.counts.rows, static_cast<int64_t>(index.tracks.size()));
      EXPECT_EQ(index.counts.without_vocabulary_tags, 0);
      for (const auto* name : {"training", "validation", "test"}) EXPECT_FALSE(index.split(name).empty()) << name;
    }
  }
}

TEST_F(JamendoDemoFiles, TagSetsSplitsAndWhatTheSplitsDrop) {
  const auto top50 = load("");
  const auto all = load(", tag_set: all");
  const auto moods = load(", tag_set: moodtheme");
  const auto instruments = load(", tag_set: instrument");
  EXPECT_EQ(top50.tag_names.size(), 50u);
  EXPECT_GT(all.tag_names.size(), 50u);
  EXPECT_TRUE(std::is_sorted(all.tag_names.begin(), all.tag_names.end()));
  for (const auto& tag : moods.tag_names) EXPECT_EQ(tag.rfind("mood/theme---", 0), 0u) << tag;
  EXPECT_NE(std::find(top50.tag_names.begin(), top50.tag_names.end(), "mood/theme---happy"), top50.tag_names.end());
  // The rare tags are in the tables only: the split files (and so the vocabulary) drop them and the one track that
  // had nothing else in its category, which leaves that track in the table alone (counts.outside_subset).
  EXPECT_NE(test::read_bytes(root() / "autotagging_instrument.tsv").find("instrument---ukulele"), std::string::npos);
  EXPECT_EQ(std::count(all.tag_names.begin(), all.tag_names.end(), "instrument---ukulele"), 0);
  EXPECT_EQ(std::count(moods.tag_names.begin(), moods.tag_names.end(), "mood/theme---horror"), 0);
  EXPECT_GE(instruments.counts.outside_subset, 1);
  EXPECT_GE(moods.counts.outside_subset, 1);
  EXPECT_EQ(top50.counts.outside_subset, 0);  // top50tags: the union of the split files is the table
  // Five partitions of the same tracks, each assigning them differently.
  std::set<int64_t> ids0, ids4;
  for (const auto& t : top50.tracks) ids0.insert(t.track_id);
  const auto split4 = load(", jamendo_split: 4");
  for (const auto& t : split4.tracks) ids4.insert(t.track_id);
  EXPECT_EQ(ids0, ids4);
  int moved = 0;
  for (size_t i = 0; i < top50.tracks.size(); ++i)
    for (const auto& t : split4.tracks)
      moved += t.track_id == top50.tracks[i].track_id && t.split != top50.tracks[i].split;
  EXPECT_GT(moved, 0);
}

TEST_F(JamendoDemoFiles, LowQualityAudioDirExplicitTagsAndMaxTracks) {
  const auto low = load(", jamendo_low_quality: true, audio_dir: /mnt/jamendo");
  const auto& first = low.tracks.front();
  EXPECT_EQ(first.audio_path, "/mnt/jamendo/" + fmt::format("{:02d}/{}.low.mp3", first.track_id % 100, first.track_id));
  const auto chosen = load(", tag_set: all, tags: [mood/theme---happy, genre---rock]");
  EXPECT_EQ(chosen.tag_names, (std::vector<std::string>{"mood/theme---happy", "genre---rock"}));
  for (const auto& t : chosen.tracks) EXPECT_TRUE(t.tags[0] || t.tags[1]) << t.track_id;  // drop_untagged
  test::expect_error<ConfigError>([&] { load(", tags: [genre---polka]"); },
                                  {"dataset.tags", "'genre---polka'", "mood/theme---happy"});
  const auto few = load(", max_tracks: 3");
  EXPECT_EQ(few.tracks.size(), 9u);
  EXPECT_EQ(few.tag_names, load("").tag_names);  // the vocabulary never depends on max_tracks
}

}  // namespace
}  // namespace musictag::preprocess
