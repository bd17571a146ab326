// per_tag.csv sorted and parseable (RFC 4180, exact numbers); report.md has the macro line, every tag, the reasons.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "eval/report/report_csv.h"
#include "eval/report/report_markdown.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

using ReportCsv = testing::ReportFolderTest;

// A small RFC 4180 reader for the test: quoted fields with doubled quotes, '\n' record ends.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back().push_back(c);
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(ReportCsv, SortedByRocAucUndefinedLastExactNumbers) {
  const EvalResults r = testing::sample_results();
  write_per_tag_csv(r, file("per_tag.csv"));
  const auto rows = parse_csv(read_all(file("per_tag.csv")));
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"tag", "positives", "roc_auc", "pr_auc"}));
  // Ties (0.95) keep column order; the undefined tags follow in column order with empty fields.
  const std::vector<size_t> columns = {1, 4, 0, 3, 2, 5};
  for (size_t k = 0; k < columns.size(); ++k) {
    const auto& row = rows[k + 1];
    const size_t t = columns[k];
    ASSERT_EQ(row.size(), 4u) << k;
    EXPECT_EQ(row[0], r.tag_names[t]);
    EXPECT_EQ(row[1], std::to_string(r.metrics.positives[t]));
    if (r.metrics.roc_auc[t]) {
      EXPECT_EQ(std::strtod(row[2].c_str(), nullptr), *r.metrics.roc_auc[t]) << row[0];  // tolerance 0
      EXPECT_EQ(std::strtod(row[3].c_str(), nullptr), *r.metrics.pr_auc[t]) << row[0];
    } else {
      EXPECT_EQ(row[2], "");
      EXPECT_EQ(row[3], "");
    }
  }
  EXPECT_NE(read_all(file("per_tag.csv")).find("\"a,b \"\"quoted\"\"\",5,0.95,0.9000000000000001\n"),
            std::string::npos);
}

TEST(ReportMarkdown, HasMacroLineEveryTagAndReasons) {
  const EvalResults r = testing::sample_results();
  const std::string md = report_markdown(r);
  EXPECT_EQ(md.rfind("# Evaluation: demo test\n", 0), 0u) << md;
  // macro = (0.8123456789012345 + 0.95 + 0.61 + 0.95) / 4 = 0.83058641...
  EXPECT_NE(md.find("Macro ROC-AUC: **0.8306** (95% CI [0.7512, 0.8899], 1000 bootstrap resamples of tracks)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| ROC-AUC | 0.8306 (95% CI [0.7512, 0.8899]) | 0.8765 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| PR-AUC | 0.6083 | 0.5432 |"), std::string::npos) << md;
  EXPECT_NE(md.find("- Checkpoint SHA-256: `" + std::string(64, 'c') + "`"), std::string::npos) << md;
  EXPECT_NE(md.find("- Tracks evaluated: 40 (160 examples before aggregation, aggregation: mean)"), std::string::npos);
  EXPECT_NE(md.find("![Per-tag ROC-AUC](per_tag_auc.svg)"), std::string::npos);

  // Table rows in AUC order, every tag present (the pipe escaped), undefined tags with n/a and no rank.
  const std::vector<std::string> rows = {"| 1 | a,b \"quoted\" | 5 | 0.9500 | 0.9000 |",
                                         "| 2 | pipe\\|tag | 3 | 0.9500 | 0.5000 |",
                                         "| 3 | rock | 10 | 0.8123 | 0.7000 |",
                                         "| 4 | <jazz & blues> | 8 | 0.6100 | 0.3333 |",
                                         "|  | piano | 0 | n/a | n/a |",
                                         "|  | loud | 40 | n/a | n/a |"};
  size_t previous = 0;
  for (const std::string& row : rows) {
    const size_t at = md.find(row);
    ASSERT_NE(at, std::string::npos) << row << "\n" << md;
    EXPECT_GT(at, previous) << row;
    previous = at;
  }
  EXPECT_NE(md.find("## Undefined tags"), std::string::npos);
  EXPECT_NE(md.find("- piano: no positive examples in this split"), std::string::npos) << md;
  EXPECT_NE(md.find("- loud: no negative examples in this split"), std::string::npos) << md;
}

TEST(ReportMarkdown, NoUndefinedSectionWhenAllDefined) {
  EvalResults r = testing::sample_results();
  r.metrics.positives[2] = 4;
  r.metrics.positives[5] = 4;
  r.metrics.roc_auc[2] = r.metrics.roc_auc[5] = 0.7;
  r.metrics.pr_auc[2] = r.metrics.pr_auc[5] = 0.2;
  EXPECT_EQ(report_markdown(r).find("Undefined"), std::string::npos);
}

}  // namespace
}  // namespace musictag::eval
