// Metrics on hand-made cases with answers known by hand: perfect, reversed, tied, one-class tags, signed zeros.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "eval/metrics/metrics.h"
#include "eval/metrics/metrics_binary.h"

namespace musictag::eval {
namespace {

constexpr double kTolerance = 1e-12;

TEST(MetricsKnown, PerfectRankingIsOne) {
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f, 0.8f, 0.9f};
  const std::vector<uint8_t> labels = {0, 0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*roc_auc(scores.data(), labels.data(), 5), 1.0);
  EXPECT_DOUBLE_EQ(*average_precision(scores.data(), labels.data(), 5), 1.0);
}

TEST(MetricsKnown, ReversedRankingIsZero) {
  // Descending: neg, neg, pos, pos -> precisions 1/3 and 2/4 at recalls 1/2 and 1: AP = (1/3 + 1/2) / 2.
  const std::vector<float> scores = {4.0f, 3.0f, 2.0f, 1.0f};
  const std::vector<uint8_t> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*roc_auc(scores.data(), labels.data(), 4), 0.0);
  EXPECT_NEAR(*average_precision(scores.data(), labels.data(), 4), (1.0 / 3.0 + 0.5) / 2.0, kTolerance);
}

TEST(MetricsKnown, AllTiedIsOneHalfAndApIsPrevalence) {
  const std::vector<float> scores(10, 0.7f);
  const std::vector<uint8_t> labels = {1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
  EXPECT_DOUBLE_EQ(*roc_auc(scores.data(), labels.data(), 10), 0.5);
  EXPECT_NEAR(*average_precision(scores.data(), labels.data(), 10), 0.3, kTolerance);
}

TEST(MetricsKnown, ScikitLearnDocstringExample) {
  // sklearn's docs: roc_auc_score -> 0.75, average_precision_score -> 0.8333...
  const std::vector<float> scores = {0.1f, 0.4f, 0.35f, 0.8f};
  const std::vector<uint8_t> labels = {0, 0, 1, 1};
  EXPECT_NEAR(*roc_auc(scores.data(), labels.data(), 4), 0.75, kTolerance);
  EXPECT_NEAR(*average_precision(scores.data(), labels.data(), 4), 5.0 / 6.0, kTolerance);
}

TEST(MetricsKnown, TieAcrossClassesCountsOneHalf) {
  // Pairs (pos, neg): (0.5 vs 0.5) = 1/2, (0.5 vs 0.1) = 1, (0.9 vs both) = 2: U = 3.5 of 4.
  // Descending thresholds: 0.9 -> P 1, R 1/2; 0.5 (one pos, one neg) -> P 2/3, R 1: AP = 1/2 + 1/3.
  const std::vector<float> scores = {0.9f, 0.5f, 0.5f, 0.1f};
  const std::vector<uint8_t> labels = {1, 1, 0, 0};
  EXPECT_NEAR(*roc_auc(scores.data(), labels.data(), 4), 3.5 / 4.0, kTolerance);
  EXPECT_NEAR(*average_precision(scores.data(), labels.data(), 4), 0.5 + 1.0 / 3.0, kTolerance);
}

TEST(MetricsKnown, NegativeZeroTiesWithPositiveZero) {
  const std::vector<float> scores = {-0.0f, 0.0f, -1.0f};
  const std::vector<uint8_t> labels = {1, 0, 0};
  EXPECT_NEAR(*roc_auc(scores.data(), labels.data(), 3), 0.75, kTolerance);
}

TEST(MetricsKnown, InfiniteScoresRankAtTheEnds) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> scores = {-inf, -1e30f, 1e30f, inf};
  const std::vector<uint8_t> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*roc_auc(scores.data(), labels.data(), 4), 1.0);
}

TEST(MetricsKnown, OneClassTagsAreUndefinedAndLeftOutOfMacro) {
  // Tag 0: perfect (1.0); tag 1: no positives; tag 2: reversed (0.0); tag 3: no negatives.
  const std::vector<float> scores = {0.1f, 0.5f, 0.9f, 0.2f,  //
                                     0.2f, 0.6f, 0.8f, 0.3f,  //
                                     0.8f, 0.7f, 0.2f, 0.4f,  //
                                     0.9f, 0.8f, 0.1f, 0.5f};
  const std::vector<uint8_t> labels = {0, 0, 0, 1,  //
                                       0, 0, 0, 1,  //
                                       1, 0, 1, 1,  //
                                       1, 0, 1, 1};
  const TagMetrics m = compute_metrics(scores, labels, 4, 4);
  EXPECT_DOUBLE_EQ(*m.roc_auc[0], 1.0);
  EXPECT_FALSE(m.roc_auc[1].has_value());
  EXPECT_FALSE(m.pr_auc[1].has_value());
  EXPECT_DOUBLE_EQ(*m.roc_auc[2], 0.0);
  EXPECT_FALSE(m.roc_auc[3].has_value());
  EXPECT_FALSE(m.pr_auc[3].has_value());
  EXPECT_DOUBLE_EQ(m.macro_roc_auc, 0.5);
  EXPECT_NEAR(m.macro_pr_auc, (1.0 + (1.0 / 3.0 + 0.5) / 2.0) / 2.0, kTolerance);
  EXPECT_EQ(m.defined_tags(), (std::vector<size_t>{0, 2}));
  EXPECT_EQ(m.tags_without_positives(), std::vector<size_t>{1});
  EXPECT_EQ(m.tags_without_negatives(), std::vector<size_t>{3});
  EXPECT_EQ(m.positives, (std::vector<size_t>{2, 0, 2, 4}));
  EXPECT_FALSE(std::isnan(m.micro_roc_auc));  // the pooled pairs hold both classes
}

TEST(MetricsKnown, AveragesWithNothingToAverageAreNaN) {
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f, 0.4f};
  const std::vector<uint8_t> labels = {1, 1, 1, 1};
  MetricsOptions options;
  options.tag_names = {"rock", "jazz"};
  const TagMetrics m = compute_metrics(scores, labels, 2, 2, options);
  EXPECT_TRUE(std::isnan(m.macro_roc_auc));
  EXPECT_TRUE(std::isnan(m.macro_pr_auc));
  EXPECT_TRUE(std::isnan(m.micro_roc_auc));
  EXPECT_TRUE(std::isnan(m.micro_pr_auc));
  EXPECT_TRUE(m.defined_tags().empty());
}

TEST(MetricsKnown, MicroCanBeSwitchedOff) {
  const std::vector<float> scores = {0.1f, 0.9f, 0.8f, 0.2f};
  const std::vector<uint8_t> labels = {0, 1, 1, 0};
  MetricsOptions options;
  options.micro = false;
  const TagMetrics m = compute_metrics(scores, labels, 2, 2, options);
  EXPECT_DOUBLE_EQ(m.macro_roc_auc, 1.0);
  EXPECT_TRUE(std::isnan(m.micro_roc_auc));
  EXPECT_TRUE(std::isnan(m.micro_pr_auc));
}

}  // namespace
}  // namespace musictag::eval
