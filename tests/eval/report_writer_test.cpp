// write_report writes the four files atomically into a new folder; format_summary's console line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cluster/errors.h"
#include "eval/report/eval_results_evaluate.h"
#include "eval/report/report_writer.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

using ReportWriter = testing::ReportFolderTest;

TEST_F(ReportWriter, WritesAllFilesIntoNewFolder) {
  const std::string folder = file("run/eval/test");
  const ReportFiles files = write_report(testing::sample_results(), folder);
  for (const std::string& path : {files.json_path(), files.csv_path(), files.markdown_path(), files.chart_path()}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(path)) << path;
    EXPECT_GT(std::filesystem::file_size(path), 100u) << path;
  }
  size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    ++entries;
    EXPECT_EQ(entry.path().extension() == ".partial", false) << entry.path();
  }
  EXPECT_EQ(entries, 4u);
  std::ifstream json(files.json_path());
  EXPECT_NO_THROW(nlohmann::json::parse(json));
}

TEST_F(ReportWriter, FolderThatIsAFileNamesIt) {
  const std::string blocker = file("blocker");
  std::ofstream(blocker) << "x";
  try {
    write_report(testing::sample_results(), blocker + "/sub");
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find(blocker + "/sub"), std::string::npos) << error.what();
  }
}

TEST_F(ReportWriter, EndToEndFromPredictionsFile) {
  const std::string path = file("predictions.h5");
  write_predictions(testing::sample_predictions(50, 3, 8, 11), path);
  EvaluateOptions options;
  options.bootstrap.resamples = 100;
  options.metrics.warn_undefined = false;
  options.dataset = "demo";
  const EvalResults r = evaluate_predictions(read_predictions(path), options);
  const ReportFiles files = write_report(r, file("report"));
  std::ifstream in(files.json_path());
  const nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("summary").at("macro_roc_auc").get<double>(), r.metrics.macro_roc_auc);
  EXPECT_EQ(j.at("metadata").at("n_tracks"), 50);
  EXPECT_EQ(j.at("metadata").at("n_examples"), 150);
  EXPECT_EQ(j.at("metadata").at("checkpoint_sha256"), std::string(64, 'a'));
  EXPECT_GT(r.metrics.macro_roc_auc, 0.7);  // scores are correlated with labels
}

TEST(ReportSummary, OneParagraphWithEveryAverage) {
  EXPECT_EQ(format_summary(testing::sample_results(), "out/report.md"),
            "macro ROC-AUC 0.8306 [0.7512, 0.8899] \u00b7 micro 0.8765 \u00b7 macro PR-AUC 0.6083 \u00b7 micro PR-AUC "
            "0.5432 \u00b7 test split, 40 tracks (mean of 160 examples), 6 tags (2 undefined: piano, loud) \u00b7 "
            "report: out/report.md");
  EvalResults r = testing::sample_results();
  r.metadata.aggregation = "none";
  r.interval.lower = std::nan("");
  r.metrics.roc_auc[2] = 0.5;
  r.metrics.roc_auc[5] = 0.5;
  EXPECT_EQ(format_summary(r),
            "macro ROC-AUC 0.8306 \u00b7 micro 0.8765 \u00b7 macro PR-AUC 0.6083 \u00b7 micro PR-AUC 0.5432 \u00b7 "
            "test split, 40 tracks, 6 tags");
}

}  // namespace
}  // namespace musictag::eval
