// failures.tsv: sanitised round trip (a reason with tab and newline), sorted de-duplicated merge, strict reading.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cluster/errors.h"
#include "part_test_support.h"
#include "preprocess/failure_log.h"

namespace musictag::preprocess {
namespace {
using FailureLog = testing::PartFolderTest;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(FailureLog, RoundTripsWithSanitisedFields) {
  const std::vector<TrackFailure> failures = {
      {42, "fma_medium/000/000042.mp3", "decode", "Invalid data found\twhen processing input\nat byte 17\r"},
      {7, "fma_medium/000/000007.mp3", "mel", "too short: 0.4 s"},
      {-1, "", "metadata", ""}};
  const std::string path = file("failures.tsv");
  write_failures_tsv(failures, path);
  EXPECT_EQ(read_text(path),
            "track_id\tpath\tstage\treason\n"
            "42\tfma_medium/000/000042.mp3\tdecode\tInvalid data found when processing input at byte 17 \n"
            "7\tfma_medium/000/000007.mp3\tmel\ttoo short: 0.4 s\n"
            "-1\t\tmetadata\t\n");
  const auto loaded = read_failures_tsv(path);
  ASSERT_EQ(loaded.size(), 3u);
  EXPECT_EQ(loaded[0].track_id, 42);
  EXPECT_EQ(loaded[0].reason, "Invalid data found when processing input at byte 17 ");
  EXPECT_EQ(loaded[1], failures[1]);
  EXPECT_EQ(loaded[2], failures[2]);

  write_failures_tsv({}, path);
  EXPECT_EQ(read_text(path), "track_id\tpath\tstage\treason\n");
  EXPECT_TRUE(read_failures_tsv(path).empty());
}

TEST_F(FailureLog, MergesPartsSortedByTrackId) {
  write_failures_tsv({{30, "c.mp3", "decode", "x"}, {10, "a.mp3", "decode", "y"}}, file("training-00001.tsv"));
  write_failures_tsv({{20, "b.mp3", "mel", "z\tw"}, {10, "a.mp3", "decode", "y"}}, file("training-00000.tsv"));
  write_failures_tsv({}, file("validation-00000.tsv"));
  const size_t rows = merge_failures_tsv(
      {file("training-00001.tsv"), file("training-00000.tsv"), file("validation-00000.tsv")}, file("failures.tsv"));
  EXPECT_EQ(rows, 3u);
  EXPECT_EQ(read_text(file("failures.tsv")),
            "track_id\tpath\tstage\treason\n10\ta.mp3\tdecode\ty\n20\tb.mp3\tmel\tz w\n30\tc.mp3\tdecode\tx\n");
}

TEST_F(FailureLog, BadFilesNameFileAndLine) {
  std::ofstream(file("bad.tsv")) << "track_id\tpath\tstage\treason\n1\ta\tb\tc\nx2\ta\tb\tc\n";
  try {
    read_failures_tsv(file("bad.tsv"));
    FAIL() << "no error";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("failure log '" + file("bad.tsv") + "' line 3"), std::string::npos)
        << error.what();
  }
  std::ofstream(file("short.tsv")) << "track_id\tpath\tstage\treason\n1\ta\tb\n";
  EXPECT_THROW(read_failures_tsv(file("short.tsv")), DataError);
  std::ofstream(file("header.tsv")) << "id,path\n";
  EXPECT_THROW(read_failures_tsv(file("header.tsv")), DataError);
  EXPECT_THROW(read_failures_tsv(file("none.tsv")), DataError);
}

}  // namespace
}  // namespace musictag::preprocess
