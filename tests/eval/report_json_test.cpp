// eval.json parses back (nlohmann) with exactly the same doubles, nulls for undefined tags and their list.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cluster/errors.h"
#include "eval/report/eval_results_evaluate.h"
#include "eval/report/report_json.h"
#include "preprocess/format/sha256.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

using ReportJson = testing::ReportFolderTest;

nlohmann::json parse_file(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST_F(ReportJson, NumbersRoundTripExactly) {
  const EvalResults r = testing::sample_results();
  write_eval_json(r, file("eval.json"));
  EXPECT_FALSE(std::filesystem::exists(file("eval.json.partial")));
  const nlohmann::json j = parse_file(file("eval.json"));

  EXPECT_EQ(j.at("format_version"), 1);
  const auto& s = j.at("summary");
  // Tolerance 0: the shortest round-trip decimal parses back to the same double.
  EXPECT_EQ(s.at("macro_roc_auc").get<double>(), r.metrics.macro_roc_auc);
  EXPECT_EQ(s.at("macro_pr_auc").get<double>(), r.metrics.macro_pr_auc);
  EXPECT_EQ(s.at("micro_roc_auc").get<double>(), r.metrics.micro_roc_auc);
  EXPECT_EQ(s.at("micro_pr_auc").get<double>(), r.metrics.micro_pr_auc);
  EXPECT_EQ(s.at("n_examples"), 40);
  EXPECT_EQ(s.at("n_tags"), 6);
  EXPECT_EQ(s.at("n_defined_tags"), 4);
  const auto& ci = s.at("macro_roc_auc_ci");
  EXPECT_EQ(ci.at("estimate").get<double>(), r.interval.estimate);
  EXPECT_EQ(ci.at("lower").get<double>(), r.interval.lower);
  EXPECT_EQ(ci.at("upper").get<double>(), r.interval.upper);
  EXPECT_EQ(ci.at("confidence").get<double>(), 0.95);
  EXPECT_EQ(ci.at("resamples"), 1000);
  EXPECT_EQ(ci.at("resamples_used"), 998);
  EXPECT_EQ(ci.at("skipped_tag_resamples"), 17);

  const auto& tags = j.at("tags");
  ASSERT_EQ(tags.size(), 6u);
  for (size_t t = 0; t < 6; ++t) {
    const auto& tag = tags.at(t);
    EXPECT_EQ(tag.at("name"), r.tag_names[t]);
    EXPECT_EQ(tag.at("column"), t);
    EXPECT_EQ(tag.at("positives"), r.metrics.positives[t]);
    EXPECT_EQ(tag.at("negatives"), 40 - r.metrics.positives[t]);
    if (r.metrics.roc_auc[t]) {
      EXPECT_EQ(tag.at("roc_auc").get<double>(), *r.metrics.roc_auc[t]) << r.tag_names[t];
      EXPECT_EQ(tag.at("pr_auc").get<double>(), *r.metrics.pr_auc[t]) << r.tag_names[t];
      EXPECT_FALSE(tag.contains("undefined_reason"));
    } else {
      EXPECT_TRUE(tag.at("roc_auc").is_null()) << r.tag_names[t];
      EXPECT_TRUE(tag.at("pr_auc").is_null()) << r.tag_names[t];
    }
  }
  EXPECT_EQ(tags.at(2).at("undefined_reason"), "no positive examples");
  EXPECT_EQ(tags.at(5).at("undefined_reason"), "no negative examples");
  EXPECT_EQ(j.at("undefined_tags"), nlohmann::json({"piano", "loud"}));

  const auto& meta = j.at("metadata");
  EXPECT_EQ(meta.at("dataset"), "demo");
  EXPECT_EQ(meta.at("split"), "test");
  EXPECT_EQ(meta.at("aggregation"), "mean");
  EXPECT_EQ(meta.at("n_tracks"), 40);
  EXPECT_EQ(meta.at("n_examples"), 160);
  EXPECT_EQ(meta.at("checkpoint_sha256"), std::string(64, 'c'));
  EXPECT_EQ(meta.at("manifest_sha256"), std::string(64, 'm'));
  EXPECT_EQ(meta.at("config"), r.metadata.config_text);
  EXPECT_EQ(meta.at("config_sha256"), preprocess::sha256_hex(r.metadata.config_text));
}

TEST_F(ReportJson, NanAveragesAreNull) {
  EvalResults r = testing::sample_results();
  r.metrics.micro_roc_auc = TagMetrics::kUndefined;
  r.interval.lower = r.interval.upper = std::nan("");
  const nlohmann::json j = eval_results_to_json(r);
  EXPECT_TRUE(j.at("summary").at("micro_roc_auc").is_null());
  EXPECT_TRUE(j.at("summary").at("macro_roc_auc_ci").at("lower").is_null());
  EXPECT_FALSE(j.at("summary").at("macro_roc_auc").is_null());
}

TEST_F(ReportJson, MismatchedTagNamesAreRefused) {
  EvalResults r = testing::sample_results();
  r.tag_names.pop_back();
  EXPECT_THROW(eval_results_to_json(r), DataError);
}

TEST_F(ReportJson, EvaluatedPredictionsMatchComputeMetrics) {
  const Predictions segments = testing::sample_predictions(30, 4, 5, 3);
  EvaluateOptions options;
  options.aggregation = Aggregation::kMax;
  options.bootstrap.resamples = 50;
  options.metrics.warn_undefined = false;
  const EvalResults r = evaluate_predictions(segments, options);
  EXPECT_EQ(r.metadata.n_tracks, 30u);
  EXPECT_EQ(r.metadata.n_examples, 120u);
  EXPECT_EQ(r.metadata.aggregation, "max");

  const Predictions tracks = aggregate_predictions(segments, Aggregation::kMax);
  const TagMetrics expected = compute_metrics(tracks.scores, tracks.labels, 30, 5, {1, true, false, {}});
  const nlohmann::json j = eval_results_to_json(r);
  EXPECT_EQ(j.at("summary").at("macro_roc_auc").get<double>(), expected.macro_roc_auc);
  EXPECT_EQ(j.at("summary").at("micro_pr_auc").get<double>(), expected.micro_pr_auc);
  for (size_t t = 0; t < 5; ++t) EXPECT_EQ(j.at("tags").at(t).at("roc_auc").get<double>(), *expected.roc_auc[t]);
  EXPECT_EQ(j.at("summary").at("macro_roc_auc_ci").at("resamples"), 50);

  // Without aggregation a repeated track id is an error naming it.
  options.aggregation = std::nullopt;
  try {
    evaluate_predictions(segments, options);
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("track 100 has several rows"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace musictag::eval
