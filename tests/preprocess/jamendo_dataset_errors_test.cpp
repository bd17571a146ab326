// load_jamendo on hand-written MTG-Jamendo files: a table with a track and a tag the splits drop, CRLF and LF, and
// errors naming file, line and field (duplicates, a missing file, malformed rows, a tag of the wrong category).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <functional>
#include <map>

#include "cluster/errors.h"
#include "dataset_test_support.h"
#include "jamendo_test_support.h"
#include "preprocess/sources/dataset_loader.h"

namespace musictag::preprocess {
namespace {

namespace fs = std::filesystem;

using test::expect_error;
using Rows = std::vector<std::vector<std::string>>;

const std::vector<std::string> kHeader = {"TRACK_ID", "ARTIST_ID", "ALBUM_ID", "PATH", "DURATION", "TAGS"};

// One row as MTG writes it: padded ids, PATH NN/<id>.mp3, one tag per field.
std::vector<std::string> row(int64_t id, const std::vector<std::string>& tags) {
  std::vector<std::string> cells = {fmt::format("track_{:07d}", id), fmt::format("artist_{:06d}", id / 10),
                                    fmt::format("album_{:06d}", id / 2), fmt::format("{:02d}/{}.mp3", id % 100, id),
                                    "203.6"};
  cells.insert(cells.end(), tags.begin(), tags.end());
  return cells;
}

class JamendoFiles : public ::testing::Test {
 protected:
  // The files of tag set `all`, split-2, keyed by path below the root. Track 88 (only a horror tag) and the ukulele
  // tag of 1009600 are in the table only, as MTG's splits drop rare tags and then tracks left without tags.
  std::map<std::string, Rows> files() const {
    return {
        {"autotagging.tsv",
         {kHeader, row(7, {"genre---jazz", "mood/theme---sad"}), row(88, {"mood/theme---horror"}),
          row(3905, {"genre---pop", "instrument---piano", "mood/theme---happy"}), row(4217, {"genre---rock"}),
          row(1009600, {"genre---electronic", "instrument---ukulele"})}},
        {"splits/split-2/autotagging-train.tsv",
         {kHeader, row(7, {"genre---jazz", "mood/theme---sad"}),
          row(3905, {"genre---pop", "instrument---piano", "mood/theme---happy"})}},
        {"splits/split-2/autotagging-validation.tsv", {kHeader, row(4217, {"genre---rock"})}},
        {"splits/split-2/autotagging-test.tsv", {kHeader, row(1009600, {"genre---electronic"})}},
    };
  }
  void write(const std::function<void(std::map<std::string, Rows>&)>& edit = {}, const std::string& eol = "\r\n") {
    fs::remove_all(dir_.path());
    fs::create_directories(dir_.path());
    auto all = files();
    if (edit) edit(all);
    for (const auto& [name, rows] : all) test::write_tsv(dir_.path() / name, rows, eol);
  }
  DatasetIndex load(const std::string& tag_set = "all") {
    return load_dataset(test::dataset_config("{kind: jamendo, root: " + dir_.path().string() +
                                             ", jamendo_split: 2, tag_set: " + tag_set + "}"));
  }
  std::string file(const std::string& name) const { return (dir_.path() / name).string(); }
  void expect_data_error(const std::function<void(std::map<std::string, Rows>&)>& edit,
                         const std::vector<std::string>& parts) {
    write(edit);
    expect_error<DataError>([&] { load(); }, parts);
  }

  test::TempDir dir_;
};

TEST_F(JamendoFiles, TagsComeFromTheSplitFilesForCrlfAndLf) {
  for (const std::string eol : {"\r\n", "\n"}) {
    SCOPED_TRACE(eol == "\n" ? "LF" : "CRLF");
    write({}, eol);
    const DatasetIndex index = load();
    EXPECT_EQ(index.tag_names,
              (std::vector<std::string>{"genre---electronic", "genre---jazz", "genre---pop", "genre---rock",
                                        "instrument---piano", "mood/theme---happy", "mood/theme---sad"}));
    const auto [expected, status] = test::python_reference(dir_.path(), 2, "all");
    ASSERT_EQ(status, 0) << expected;
    EXPECT_EQ(test::index_text(index, dir_.path() / "audio"), expected);
    ASSERT_EQ(index.tracks.size(), 4u);
    EXPECT_EQ(index.tracks[1].track_id, 3905);
    EXPECT_EQ(index.tracks[1].tags, (std::vector<uint8_t>{0, 0, 1, 0, 1, 1, 0}));
    EXPECT_EQ(index.tracks[1].audio_path, (dir_.path() / "audio" / "05" / "3905.mp3").string());
    EXPECT_EQ(index.tracks[3].split, "test");
    EXPECT_EQ(index.counts.rows, 4);
    EXPECT_EQ(index.counts.outside_subset, 1);  // track 88
  }
}

TEST_F(JamendoFiles, DuplicatesNameBothPlaces) {
  const std::string train = file("splits/split-2/autotagging-train.tsv");
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"].push_back(row(7, {"genre---jazz"})); },
                    {train, "line 4, column TRACK_ID", "track_0000007", "already listed on line 2 of " + train});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-test.tsv"].push_back(row(3905, {"genre---pop"})); },
                    {file("splits/split-2/autotagging-test.tsv"), "line 3, column TRACK_ID", "line 3 of " + train});
  expect_data_error([](auto& f) { f["autotagging.tsv"].push_back(row(7, {"genre---jazz"})); },
                    {file("autotagging.tsv"), "line 7, column TRACK_ID", "already appeared on line 2"});
  // Python's reference reader refuses the duplicate too, rather than keeping one of the rows.
  write([](auto& f) { f["splits/split-2/autotagging-test.tsv"].push_back(row(3905, {"genre---pop"})); });
  const auto [message, status] = test::python_reference(dir_.path(), 2, "all");
  EXPECT_NE(status, 0);
  EXPECT_NE(message.find("duplicate track 3905"), std::string::npos) << message;
}

TEST_F(JamendoFiles, MissingFilesNameThePathAndTheKeys) {
  write([](auto& f) { f.erase("splits/split-2/autotagging-validation.tsv"); });
  expect_error<DataError>([&] { load(); }, {file("splits/split-2/autotagging-validation.tsv"), "dataset.tag_set all",
                                            "dataset.jamendo_split 2", "dataset.root"});
  write();
  expect_error<DataError>([&] { load("genre"); }, {file("autotagging_genre.tsv"), "not found"});
  expect_error<DataError>(
      [&] { load_dataset(test::dataset_config("{kind: jamendo, root: " + dir_.path().string() + ", tag_set: all}")); },
      {file("splits/split-0/autotagging-train.tsv")});
}

TEST_F(JamendoFiles, MalformedRowsNameLineAndField) {
  const std::string train = file("splits/split-2/autotagging-train.tsv");
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][0][5] = "TAG"; },
                    {train, "line 1", "TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION, TAGS"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][2].resize(5); },
                    {train, "line 3", "5 field(s)", "at least one tag"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][1][0] = "track_abc"; },
                    {train, "line 2, column TRACK_ID", "'track_abc'"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][1][1] = "7"; },
                    {train, "line 2, column ARTIST_ID", "'7'"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][2][3] = "05/3906.mp3"; },
                    {train, "line 3, column PATH", "'05/3906.mp3'", "'05/3905.mp3'"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][2][4] = "3:25"; },
                    {train, "line 3, column DURATION", "'3:25'"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][2].push_back(""); },
                    {train, "line 3, column TAGS (field 9)", "stray tab"});
  expect_data_error([](auto& f) { f["splits/split-2/autotagging-train.tsv"][1][5] = "jazz"; },
                    {train, "line 2, column TAGS (field 6)", "'jazz'"});
  expect_data_error(
      [](auto& f) { f["splits/split-2/autotagging-test.tsv"].push_back(row(99, {"genre---pop"})); },
      {file("splits/split-2/autotagging-test.tsv"), "line 3, column TRACK_ID", "not in", file("autotagging.tsv")});
}

TEST_F(JamendoFiles, TagOfAnotherCategoryInAPerCategoryFile) {
  write([](auto& f) {
    f["autotagging_genre.tsv"] = f["autotagging.tsv"];
    for (const auto* part : {"train", "validation", "test"})
      f[std::string("splits/split-2/autotagging_genre-") + part + ".tsv"] =
          f[std::string("splits/split-2/autotagging-") + part + ".tsv"];
  });
  expect_error<DataError>([&] { load("genre"); },
                          {file("splits/split-2/autotagging_genre-train.tsv"), "line 2, column TAGS (field 7)",
                           "'mood/theme---sad'", "not a genre tag"});
}

}  // namespace
}  // namespace musictag::preprocess
