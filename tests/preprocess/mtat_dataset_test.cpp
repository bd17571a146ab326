// load_mtat on a hand-written annotations_final.csv (tab-separated, quoted like the real file): top-N over all
// clips with ties by name, folder splits, multi-hot rows, paths, and errors naming line and column.
#include <gtest/gtest.h>

#include <fstream>

#include "cluster/errors.h"
#include "dataset_test_support.h"
#include "preprocess/sources/dataset_loader.h"
#include "preprocess/sources/mtat_dataset.h"

namespace musictag::preprocess {
namespace {

using test::expect_error;

const std::vector<std::string> kTags = {"guitar", "classical", "slow", "techno", "no voice", "drums"};

struct Clip {
  int64_t id;
  std::string path;
  std::set<std::string> tags;
};

// Counts over all 12 clips: guitar 4, no voice 4, slow 4, classical 3, drums 3, techno 2. In the training
// folders alone (0, 5) the top 3 would be drums, guitar, slow instead.
const std::vector<Clip> kClips = {
    {2, "0/artist_a-album-01-song-0-29.mp3", {"guitar", "slow"}},
    {6, "0/artist_b-album-02-song-30-59.mp3", {"classical", "slow", "no voice"}},
    {10, "5/artist_c-album-01-song-0-29.mp3", {"techno", "drums"}},
    {11, "5/artist_d-album-01-song-0-29.mp3", {"guitar", "drums"}},
    {15, "5/artist_e-album-01-song-0-29.mp3", {}},
    {20, "c/artist_f-album-01-song-0-29.mp3", {"classical", "no voice"}},
    {21, "c/artist_g-album-01-song-0-29.mp3", {"guitar"}},
    {30, "d/artist_h-album-01-song-0-29.mp3", {"techno"}},
    {31, "d/artist_i-album-01-song-0-29.mp3", {"classical", "slow"}},
    {40, "f/artist_j-album-01-song-0-29.mp3", {"guitar", "drums", "no voice"}},
    {41, "f/artist_k-album-01-song-0-29.mp3", {"slow"}},
    {42, "f/artist_l-album-01-song-0-29.mp3", {"no voice"}},
};

class MtatDataset : public ::testing::Test {
 protected:
  // Writes annotations_final.csv; `quote` wraps every cell in double quotes as the real file does.
  void write(bool quote = true, const std::function<void(std::vector<std::vector<std::string>>&)>& edit = {}) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"clip_id"});
    for (const auto& tag : kTags) rows.back().push_back(tag);
    rows.back().push_back("mp3_path");
    for (const auto& clip : kClips) {
      rows.push_back({std::to_string(clip.id)});
      for (const auto& tag : kTags) rows.back().push_back(clip.tags.count(tag) ? "1" : "0");
      rows.back().push_back(clip.path);
    }
    if (edit) edit(rows);
    std::ofstream out(dir_.path() / "annotations_final.csv", std::ios::binary);
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) out << (i ? "\t" : "") << (quote ? "\"" + row[i] + "\"" : row[i]);
      out << "\r\n";
    }
  }
  DatasetIndex load(const std::string& extra = "") {
    return load_dataset(test::dataset_config("{kind: mtat, root: " + dir_.path().string() + extra + "}"));
  }
  std::string file() const { return (dir_.path() / "annotations_final.csv").string(); }

  test::TempDir dir_;
};

TEST_F(MtatDataset, TopNIsOverAllClipsWithTiesByName) {
  write();
  EXPECT_EQ(load(", n_tags: 3").tag_names, (std::vector<std::string>{"guitar", "no voice", "slow"}));
  EXPECT_EQ(load(", n_tags: 5").tag_names,
            (std::vector<std::string>{"guitar", "no voice", "slow", "classical", "drums"}));
  const auto all = load();  // 50 > 6: every tag that occurs
  EXPECT_EQ(all.tag_names.size(), kTags.size());
  EXPECT_EQ(all.tag_counts(), (std::vector<int64_t>{4, 4, 4, 3, 3, 2}));
  EXPECT_EQ(all.source, "mtat");
}

TEST_F(MtatDataset, SplitsFollowTheFolderAndTagsAreMultiHot) {
  write();
  const auto index = load(", n_tags: 3");
  std::vector<int64_t> training, validation, test;
  for (const auto* t : index.split("training")) training.push_back(t->track_id);
  for (const auto* t : index.split("validation")) validation.push_back(t->track_id);
  for (const auto* t : index.split("test")) test.push_back(t->track_id);
  // 15 has no tag at all; 10 and 30 have none of the top 3 (drop_untagged).
  EXPECT_EQ(training, (std::vector<int64_t>{2, 6, 11}));
  EXPECT_EQ(validation, (std::vector<int64_t>{20, 21}));
  EXPECT_EQ(test, (std::vector<int64_t>{31, 40, 41, 42}));
  EXPECT_EQ(index.counts.rows, 12);
  EXPECT_EQ(index.counts.without_source_tags, 1);
  EXPECT_EQ(index.counts.without_vocabulary_tags, 2);
  std::map<int64_t, const Clip*> by_id;
  for (const auto& clip : kClips) by_id[clip.id] = &clip;
  for (const auto& track : index.tracks) {
    const Clip& clip = *by_id.at(track.track_id);
    ASSERT_EQ(track.tags.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(track.tags[i], clip.tags.count(index.tag_names[i])) << track.track_id;
    EXPECT_EQ(track.audio_path, (dir_.path() / clip.path).string());
  }
  const auto kept = load(", n_tags: 3, drop_untagged: false");
  EXPECT_EQ(kept.tracks.size(), 11u);
  EXPECT_EQ(kept.split("training").size(), 4u);                                 // 2, 6, 10, 11 (15 has no tag at all)
  EXPECT_EQ(kept.split("training")[2]->tags, (std::vector<uint8_t>{0, 0, 0}));  // clip 10
}

TEST_F(MtatDataset, UnquotedCellsAudioDirAndExplicitTags) {
  write(false);
  const auto index = load(", audio_dir: /mnt/mtat, tags: [techno, drums]");
  EXPECT_EQ(index.tag_names, (std::vector<std::string>{"techno", "drums"}));
  ASSERT_EQ(index.tracks.size(), 4u);  // 10, 11, 30, 40
  EXPECT_EQ(index.tracks[0].track_id, 10);
  EXPECT_EQ(index.tracks[0].tags, (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(index.tracks[0].audio_path, "/mnt/mtat/5/artist_c-album-01-song-0-29.mp3");
  expect_error<ConfigError>([&] { load(", tags: [techno, rock]"); }, {"dataset.tags", "'rock'", "no voice"});
}

TEST_F(MtatDataset, SplitOfPath) {
  EXPECT_EQ(mtat_split_of_path("0/x.mp3"), "training");
  EXPECT_EQ(mtat_split_of_path("b/x.mp3"), "training");
  EXPECT_EQ(mtat_split_of_path("c/x.mp3"), "validation");
  EXPECT_EQ(mtat_split_of_path("d/x.mp3"), "test");
  EXPECT_EQ(mtat_split_of_path("f/x.mp3"), "test");
  EXPECT_EQ(mtat_split_of_path("g/x.mp3"), "");
  EXPECT_EQ(mtat_split_of_path("x.mp3"), "");
}

TEST_F(MtatDataset, BadCellsNameLineAndColumn) {
  write(true, [](auto& rows) { rows[4][3] = "2"; });  // clip 11, column "slow"
  expect_error<DataError>([&] { load(); }, {file(), "line 5", "column slow", "'2'"});
  write(true, [](auto& rows) { rows[6].back() = "g/x.mp3"; });
  expect_error<DataError>([&] { load(); }, {"line 7", "column mp3_path", "'g/x.mp3'"});
  write(true, [](auto& rows) { rows[8][0] = "abc"; });
  expect_error<DataError>([&] { load(); }, {"line 9", "column clip_id", "'abc'"});
  write(true, [](auto& rows) { rows[9][0] = rows[8][0]; });
  expect_error<DataError>([&] { load(); }, {"line 10", "already appeared on line 9"});
  write(true, [](auto& rows) { rows[0].back() = "path"; });
  expect_error<DataError>([&] { load(); }, {file(), "no column 'mp3_path'"});
  write(false, [](auto& rows) {
    for (auto& row : rows)
      row = {[&] {
        std::string joined;
        for (size_t i = 0; i < row.size(); ++i) joined += (i ? "," : "") + row[i];
        return joined;
      }()};
  });
  expect_error<DataError>([&] { load(); }, {"no column 'clip_id'", "tab-separated"});
}

TEST_F(MtatDataset, MissingFileNamesThePath) {
  expect_error<DataError>([&] { load(); }, {file(), "dataset.root"});
}

}  // namespace
}  // namespace musictag::preprocess
