// load_mtat on a generated full-size annotations_final.csv (25,860 clips, 190 columns, quoted CRLF as shipped and
// unquoted LF): the folder split minus clips without a top-50 tag gives the benchmark's 15,247 / 1,529 / 4,332.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <set>

#include "dataset_test_support.h"
#include "preprocess/sources/dataset_loader.h"

namespace musictag::preprocess {
namespace {

namespace fs = std::filesystem;

// How the file is built. The real file's folder split has 18,706 / 1,825 / 5,329 usable clips (folders 0-b, c,
// d-f; ../shared/data/jamendo-format.md, MagnaTagATune section) and keeps 15,247 / 1,529 / 4,332 of them with a
// top-50 tag (Won et al. 2020, ../shared/models-won2020.md). So each split gets exactly its clip count, spread
// round-robin over its folders, and exactly (clips - kept) of them carry no top-50 tag: clip j of a split with N
// clips of which T are tag-less is tag-less when floor((j+1)T/N) > floor(jT/N), which picks T of the N evenly.
// Half of those have no tag at all, half only tags outside the top 50. Every other clip has one or two of the 50
// "top" tags, and some a rare one as well; each top tag ends up on >= 400 clips, each rare tag on < 100, so the 50
// most frequent tags are exactly the top ones.
struct SplitShape {
  std::string folders;
  int clips, kept;
};
const SplitShape kShapes[] = {{"0123456789ab", 18706, 15247}, {"c", 1825, 1529}, {"def", 5329, 4332}};
constexpr int kTopTags = 50;
constexpr int kRareTags = 138;  // 188 tag columns in all

std::string tag_name(int column) {
  // Top tags at every third of the first 150 columns, the rare ones in between and after; names with a space, as
  // MagnaTagATune's "no voice".
  return column < 150 && column % 3 == 0
             ? fmt::format("top tag {:02d}", column / 3)
             : fmt::format("rare{:03d}", column < 150 ? column - column / 3 - 1 : column - 50);
}

struct Clip {
  int64_t id;
  std::string path;
  std::set<std::string> tags;
};

std::vector<Clip> make_clips() {
  std::vector<Clip> clips;
  int64_t next_id = 2;
  for (int s = 0; s < 3; ++s) {
    const SplitShape& shape = kShapes[s];
    const int64_t n = shape.clips, tagless = shape.clips - shape.kept;
    for (int64_t j = 0; j < n; ++j) {
      Clip clip;
      clip.id = next_id++;
      const char folder = shape.folders[static_cast<size_t>(j) % shape.folders.size()];
      clip.path = fmt::format("{}/artist_{}-album_{}-{:02d}-title_{}-{}-{}.mp3", folder, j / 40, j / 10, j % 10 + 1,
                              clip.id, 29 * (j % 5), 29 * (j % 5) + 29);
      const bool no_top = (j + 1) * tagless / n > j * tagless / n;
      if (no_top) {
        if (j % 2 == 0) clip.tags.insert(fmt::format("rare{:03d}", j % kRareTags));
      } else {
        clip.tags.insert(fmt::format("top tag {:02d}", (j * 7 + s) % kTopTags));
        if (j % 3 == 0) clip.tags.insert(fmt::format("top tag {:02d}", (j * 13 + 5) % kTopTags));
        if (j % 5 == 0) clip.tags.insert(fmt::format("rare{:03d}", (j / 5) % kRareTags));
      }
      clips.push_back(std::move(clip));
    }
  }
  return clips;
}

// annotations_final.csv: tab-separated, `quoted` = every field in double quotes with CRLF (as shipped), else bare
// fields with LF.
void write_annotations(const fs::path& path, const std::vector<Clip>& clips, bool quoted) {
  std::ofstream out(path, std::ios::binary);
  const std::string q = quoted ? "\"" : "", eol = quoted ? "\r\n" : "\n";
  out << q << "clip_id" << q;
  for (int c = 0; c < kTopTags + kRareTags; ++c) out << '\t' << q << tag_name(c) << q;
  out << '\t' << q << "mp3_path" << q << eol;
  for (const Clip& clip : clips) {
    out << q << clip.id << q;
    for (int c = 0; c < kTopTags + kRareTags; ++c) out << '\t' << q << (clip.tags.count(tag_name(c)) ? 1 : 0) << q;
    out << '\t' << q << clip.path << q << eol;
  }
}

TEST(MtatSplitCounts, FolderSplitMinusClipsWithoutTop50TagGivesTheBenchmarkCounts) {
  test::TempDir dir;
  const auto clips = make_clips();
  ASSERT_EQ(clips.size(), 25860u);
  std::set<std::string> columns;
  for (int c = 0; c < kTopTags + kRareTags; ++c) columns.insert(tag_name(c));
  ASSERT_EQ(columns.size(), 188u);

  std::vector<std::vector<TrackRecord>> results;
  for (const bool quoted : {true, false}) {
    SCOPED_TRACE(quoted ? "quoted, CRLF" : "unquoted, LF");
    write_annotations(dir.path() / "annotations_final.csv", clips, quoted);
    if (quoted) {
      const std::string head = test::read_bytes(dir.path() / "annotations_final.csv").substr(0, 40);
      EXPECT_EQ(head.rfind("\"clip_id\"\t\"top tag 00\"\t\"rare000\"", 0), 0u) << head;
    }
    const auto index = load_dataset(test::dataset_config("{kind: mtat, root: " + dir.path().string() + "}"));
    EXPECT_EQ(index.split("training").size(), 15247u);
    EXPECT_EQ(index.split("validation").size(), 1529u);
    EXPECT_EQ(index.split("test").size(), 4332u);
    EXPECT_EQ(index.counts.rows, 25860);
    EXPECT_EQ(index.counts.without_source_tags + index.counts.without_vocabulary_tags, 25860 - 21108);
    EXPECT_GT(index.counts.without_source_tags, 2000);  // both kinds of tag-less clip occur
    EXPECT_GT(index.counts.without_vocabulary_tags, 2000);
    const std::set<std::string> chosen(index.tag_names.begin(), index.tag_names.end());
    ASSERT_EQ(chosen.size(), 50u);
    for (const auto& tag : chosen) EXPECT_EQ(tag.rfind("top tag ", 0), 0u) << tag;
    results.push_back(index.tracks);
  }
  ASSERT_EQ(results[0].size(), results[1].size());
  for (size_t i = 0; i < results[0].size(); ++i) {
    EXPECT_EQ(results[0][i].track_id, results[1][i].track_id);
    EXPECT_EQ(results[0][i].tags, results[1][i].tags);
    EXPECT_EQ(results[0][i].audio_path, results[1][i].audio_path);
  }
}

// The three clips whose mp3 is empty in the real release (35644, 55753, 57881) are ordinary rows to the adapter:
// it reads no audio, so they stay in the index and the decoder turns each into a failures.tsv row (stage "empty";
// checked end to end in jamendo_stage_test.sh mtat).
TEST(MtatSplitCounts, KnownEmptyClipsStayInTheIndex) {
  test::TempDir dir;
  auto clips = make_clips();
  for (const int64_t id : {35644, 55753, 57881})
    clips.push_back({id, fmt::format("9/empty_clip-{}.mp3", id), {"top tag 00"}});
  write_annotations(dir.path() / "annotations_final.csv", clips, true);
  const auto index = load_dataset(test::dataset_config("{kind: mtat, root: " + dir.path().string() + "}"));
  EXPECT_EQ(index.split("training").size(), 15247u + 3u);
  EXPECT_EQ(index.split("training").back()->track_id, 57881);
}

}  // namespace
}  // namespace musictag::preprocess
