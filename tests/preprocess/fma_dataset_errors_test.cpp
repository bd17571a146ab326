// load_fma on damaged copies of demo metadata: every DataError names the file, the line and the column, and line
// numbers stay right after rows with quoted newlines.
#include <gtest/gtest.h>

#include <algorithm>

#include "cluster/errors.h"
#include "dataset_test_support.h"
#include "preprocess/sources/fma_dataset.h"

namespace musictag::preprocess {
namespace {

using test::expect_error;

constexpr int kTracks = 40;
constexpr uint64_t kSeed = 5;

class FmaDatasetErrors : public ::testing::Test {
 protected:
  void SetUp() override { test::write_demo_metadata(base_.path(), kTracks, kSeed); }

  // A copy of the metadata with `edit` applied to tracks.csv; returns the copy's tracks.csv path.
  template <typename Edit>
  std::string damaged(Edit edit) {
    test::copy_metadata_with_edit(base_.path(), copy_.path(), edit);
    return (copy_.path() / "fma_metadata" / "tracks.csv").string();
  }
  DatasetIndex load_copy(const std::string& extra = "") {
    return load_fma(test::dataset_config("{root: " + copy_.path().string() + ", subset: full" + extra + "}"));
  }
  // Column index of group.name in the header rows.
  static size_t col(const std::vector<CsvRow>& rows, const std::string& group, const std::string& name) {
    for (size_t i = 0; i < rows[0].size(); ++i)
      if (rows[0][i] == group && rows[1][i] == name) return i;
    throw std::runtime_error("no column " + group + "." + name);
  }
  // The physical line (1-based) of the line in `path` that starts with `prefix`, found by scanning the text.
  static int64_t line_starting_with(const std::string& path, const std::string& prefix) {
    const std::string text = test::read_bytes(path);
    const size_t pos = text.find("\n" + prefix);
    if (pos == std::string::npos) throw std::runtime_error("no line starts with " + prefix);
    return 2 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
  }

  test::TempDir base_, copy_;
};

TEST_F(FmaDatasetErrors, QuotedNewlinesStayInsideTheirRow) {
  const auto rows = read_csv_file((base_.path() / "fma_metadata" / "tracks.csv").string());
  size_t multi_line = 0;
  for (size_t r = 3; r < rows.size(); ++r)
    multi_line += std::any_of(rows[r].begin(), rows[r].end(), [](const auto& c) { return c.find('\n') != c.npos; });
  ASSERT_GT(multi_line, 0u) << "the fixture must hold quoted newlines";
  const auto text = test::read_bytes(base_.path() / "fma_metadata" / "tracks.csv");
  ASSERT_GT(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')), rows.size());
  const auto index =
      load_fma(test::dataset_config("{root: " + base_.path().string() + ", subset: full, drop_untagged: false}"));
  EXPECT_EQ(index.counts.rows, kTracks);
  EXPECT_EQ(index.tracks.size(), static_cast<size_t>(kTracks));
}

TEST_F(FmaDatasetErrors, GarbageTrackIdNamesItsLineAfterMultiLineRows) {
  const auto path = damaged([](std::vector<CsvRow>& rows) { rows.back()[0] = "12x"; });
  const int64_t line = line_starting_with(path, "12x,");
  EXPECT_GT(line, kTracks + 3);  // earlier rows span several lines
  expect_error<DataError>([&] { load_copy(); },
                          {path, "line " + std::to_string(line) + ",", "column track_id", "'12x'"});
}

TEST_F(FmaDatasetErrors, MissingColumnIsNamed) {
  const auto path = damaged([](std::vector<CsvRow>& rows) { rows[1][col(rows, "set", "split")] = "splits"; });
  expect_error<DataError>([&] { load_copy(); }, {path, "no column set.split"});
  damaged([](std::vector<CsvRow>& rows) {
    const size_t c = col(rows, "track", "genre_top");
    for (auto& row : rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(c));
  });
  EXPECT_NO_THROW(load_copy());  // only the configured tag column is needed
  expect_error<DataError>([&] { load_copy(", tag_source: genre_top"); }, {"no column track.genre_top"});
}

TEST_F(FmaDatasetErrors, UnknownGenreIdAndBadListNameLineAndColumn) {
  int64_t id = 0;
  auto path = damaged([&](std::vector<CsvRow>& rows) {
    rows[7][col(rows, "track", "genres_all")] = "[12, 9999]";
    id = std::stoll(rows[7][0]);
  });
  const auto line = line_starting_with(path, std::to_string(id) + ",");
  expect_error<DataError>([&] { load_copy(); },
                          {path, "line " + std::to_string(line), "column track.genres_all", "9999", "genres.csv"});
  path = damaged([](std::vector<CsvRow>& rows) { rows[5][col(rows, "track", "genres_all")] = "[12, rock]"; });
  expect_error<DataError>([&] { load_copy(); }, {"column track.genres_all", "[12, rock]"});
}

TEST_F(FmaDatasetErrors, BadSplitSubsetAndDuplicateIdsAreNamed) {
  damaged([](std::vector<CsvRow>& rows) { rows[4][col(rows, "set", "split")] = "train"; });
  expect_error<DataError>([&] { load_copy(); }, {"column set.split", "'train'"});
  damaged([](std::vector<CsvRow>& rows) { rows[4][col(rows, "set", "subset")] = "tiny"; });
  expect_error<DataError>([&] { load_copy(); }, {"column set.subset", "'tiny'"});
  damaged([](std::vector<CsvRow>& rows) { rows[6][0] = rows[5][0]; });
  expect_error<DataError>([&] { load_copy(); }, {"column track_id", "already appeared on line"});
  damaged([](std::vector<CsvRow>& rows) { rows[2][0] = "id"; });
  expect_error<DataError>([&] { load_copy(); }, {"line 3", "'track_id'"});
  damaged([](std::vector<CsvRow>& rows) { rows[9].pop_back(); });
  expect_error<DataError>([&] { load_copy(); }, {"52 cells where the header has 53"});
}

TEST_F(FmaDatasetErrors, MissingFilesNameThePathAndTheKey) {
  test::TempDir empty;
  expect_error<DataError>([&] { load_fma(test::dataset_config("{root: " + empty.path().string() + "}")); },
                          {(empty.path() / "fma_metadata" / "tracks.csv").string(), "dataset.root"});
}

TEST_F(FmaDatasetErrors, BrokenGenresCsvIsNamed) {
  const auto genres = copy_.path() / "fma_metadata" / "genres.csv";
  damaged([](std::vector<CsvRow>&) {});
  auto rows = read_csv_file(genres.string());
  rows[3][2] = "777";  // parent that does not exist
  {
    std::ofstream out(genres, std::ios::binary);
    CsvWriter writer(out);
    for (const auto& row : rows) writer.write_row(row);
  }
  expect_error<DataError>([&] { load_copy(); }, {genres.string(), "777"});
  rows[3][2] = "x";
  {
    std::ofstream out(genres, std::ios::binary);
    CsvWriter writer(out);
    for (const auto& row : rows) writer.write_row(row);
  }
  expect_error<DataError>([&] { load_copy(); }, {genres.string(), "line 4", "column parent", "'x'"});
}

}  // namespace
}  // namespace musictag::preprocess
