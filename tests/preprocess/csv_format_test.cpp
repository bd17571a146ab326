// CsvWriter quoting, the libcsv-based reader (round trips of the nasty cases), FMA list literals, GenreTree checks.
#include <gtest/gtest.h>

#include <sstream>

#include "cluster/csv_writer.h"
#include "cluster/errors.h"
#include "demo_test_support.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/fma_list_literal.h"
#include "preprocess/sources/genre_tree.h"

namespace musictag::preprocess {
namespace {

std::vector<CsvRow> parse(const std::string& text) {
  std::vector<CsvRow> rows;
  for_each_csv_row_in_text(text, "test", [&rows](CsvRow&& row) { rows.push_back(std::move(row)); });
  return rows;
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvWriter::escape("plain text"), "plain text");
  EXPECT_EQ(CsvWriter::escape(""), "");
  EXPECT_EQ(CsvWriter::escape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvWriter::escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvWriter::escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvWriter::escape("cr\rlf"), "\"cr\rlf\"");
  EXPECT_EQ(CsvWriter::escape("[21, 38]"), "\"[21, 38]\"");
}

TEST(CsvTable, RoundTripsEveryNastyField) {
  const std::vector<CsvRow> rows = {
      {"", "album", "track"},
      {"1", "Hello, Goodbye", "<p>He said \"yes\".\r\nNext line</p>"},
      {"2", " leading and trailing spaces ", ""},
      {"3", "\"", "\n"},
      {"4", "Café Müller", "[21, 38]"},
  };
  std::ostringstream out;
  CsvWriter writer(out);
  for (const CsvRow& row : rows) writer.write_row(row);
  EXPECT_EQ(parse(out.str()), rows);
}

TEST(CsvTable, ReadsFilesInBlocksAcrossBoundaries) {
  test::TempDir dir;
  const auto path = dir.path() / "big.csv";
  std::vector<CsvRow> rows;
  {
    std::ofstream out(path, std::ios::binary);
    CsvWriter writer(out);
    for (int i = 0; i < 5000; ++i) {  // ~300 KB: several 64 KiB blocks, quoted newlines across block edges
      rows.push_back({std::to_string(i), "line one\nline \"two\", end", std::string(static_cast<size_t>(i % 7), 'x')});
      writer.write_row(rows.back());
    }
  }
  EXPECT_EQ(read_csv_file(path.string()), rows);
}

TEST(CsvTable, KeepsTrailingEmptyFields) {
  const auto rows = parse("track_id,,,\n1,a,,\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].size(), 4u);
  EXPECT_EQ(rows[1], (CsvRow{"1", "a", "", ""}));
}

TEST(CsvTable, RejectsMalformedQuoting) {
  EXPECT_THROW(parse("a,\"unterminated\n"), DataError);
  EXPECT_THROW(parse("a,b\"c\n"), DataError);
  EXPECT_THROW(read_csv_file("/nonexistent/tracks.csv"), DataError);
}

TEST(FmaListLiteral, FormatsAndParsesLikePython) {
  EXPECT_EQ(format_int_list({}), "[]");
  EXPECT_EQ(format_int_list({21, 38}), "[21, 38]");
  EXPECT_EQ(format_string_list({"rock", "live"}), "['rock', 'live']");
  EXPECT_EQ(format_string_list({"rock 'n' roll"}), "[\"rock 'n' roll\"]");
  EXPECT_EQ(parse_int_list("[21, 38]"), (std::vector<int>{21, 38}));
  EXPECT_EQ(parse_int_list("[]"), std::vector<int>{});
  EXPECT_EQ(parse_int_list(" [ 1,2 ] "), (std::vector<int>{1, 2}));
  EXPECT_THROW(parse_int_list("21, 38"), DataError);
  EXPECT_THROW(parse_int_list("[21 38]"), DataError);
  EXPECT_THROW(parse_int_list("[21,]"), DataError);
}

TEST(GenreTree, AncestorsRootsAndValidation) {
  const GenreTree tree({{12, 0, "Rock"}, {25, 12, "Punk"}, {999, 25, "Crust"}, {15, 0, "Electronic"}});
  EXPECT_EQ(tree.top_level(999), 12);
  EXPECT_EQ(tree.with_ancestors({999, 15}), (std::vector<int>{12, 15, 25, 999}));
  EXPECT_EQ(tree.roots_of({25, 999}), std::vector<int>{12});
  EXPECT_EQ(tree.roots(), (std::vector<int>{12, 15}));
  EXPECT_EQ(tree.children(12), std::vector<int>{25});
  EXPECT_THROW(tree.genre(7), DataError);
  EXPECT_THROW(GenreTree({{1, 0, "A"}, {1, 0, "B"}}), DataError);
  EXPECT_THROW(GenreTree({{1, 2, "A"}}), DataError);
  EXPECT_THROW(GenreTree({{1, 2, "A"}, {2, 1, "B"}}), DataError);
}

}  // namespace
}  // namespace musictag::preprocess
