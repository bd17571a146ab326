// compute_metrics on thousands of examples (the radix-sort path) against O(P*N) pair counting and AP by definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "eval/metrics/metrics.h"

namespace musictag::eval {
namespace {

constexpr double kTolerance = 1e-9;

// Fraction of (positive, negative) pairs ranked right, ties one half: the definition of ROC-AUC.
double pairwise_auc(const std::vector<float>& scores, const std::vector<uint8_t>& labels) {
  double right = 0.0, pairs = 0.0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!labels[i]) continue;
    for (size_t j = 0; j < scores.size(); ++j) {
      if (labels[j]) continue;
      right += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
      pairs += 1.0;
    }
  }
  return right / pairs;
}

// AP = sum over distinct thresholds (descending) of (R_n - R_{n-1}) * P_n, each threshold "score >= s".
double definition_ap(const std::vector<float>& scores, const std::vector<uint8_t>& labels) {
  std::map<float, std::pair<double, double>, std::greater<float>> at;  // score -> (positives, negatives)
  double total_positives = 0.0;
  for (size_t i = 0; i < scores.size(); ++i) {
    (labels[i] ? at[scores[i]].first : at[scores[i]].second) += 1.0;
    total_positives += labels[i];
  }
  double tp = 0.0, fp = 0.0, previous_recall = 0.0, ap = 0.0;
  for (const auto& [score, counts] : at) {
    tp += counts.first;
    fp += counts.second;
    const double recall = tp / total_positives;
    ap += (recall - previous_recall) * tp / (tp + fp);
    previous_recall = recall;
  }
  return ap;
}

void check_against_definitions(size_t n, size_t n_tags, int quantisation_steps, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> scores(n * n_tags);
  std::vector<uint8_t> labels(n * n_tags);
  for (size_t i = 0; i < n; ++i) {
    for (size_t t = 0; t < n_tags; ++t) {
      const float prevalence = 0.05f + 0.3f * static_cast<float>(t);
      labels[i * n_tags + t] = uniform(rng) < prevalence;
      float s = noise(rng) + static_cast<float>(labels[i * n_tags + t]);
      if (quantisation_steps > 0) s = std::round(s * quantisation_steps) / quantisation_steps;
      scores[i * n_tags + t] = s;
    }
  }
  const TagMetrics m = compute_metrics(scores, labels, n, n_tags);
  for (size_t t = 0; t < n_tags; ++t) {
    std::vector<float> column_scores(n);
    std::vector<uint8_t> column_labels(n);
    for (size_t i = 0; i < n; ++i) {
      column_scores[i] = scores[i * n_tags + t];
      column_labels[i] = labels[i * n_tags + t];
    }
    EXPECT_NEAR(*m.roc_auc[t], pairwise_auc(column_scores, column_labels), kTolerance) << "tag " << t;
    EXPECT_NEAR(*m.pr_auc[t], definition_ap(column_scores, column_labels), kTolerance) << "tag " << t;
  }
  EXPECT_NEAR(m.micro_roc_auc, pairwise_auc(scores, labels), kTolerance);
  EXPECT_NEAR(m.micro_pr_auc, definition_ap(scores, labels), kTolerance);
}

TEST(MetricsBruteForce, ContinuousScores) { check_against_definitions(3000, 3, 0, 1); }

TEST(MetricsBruteForce, CoarseScoresWithManyTies) { check_against_definitions(2500, 3, 4, 2); }

TEST(MetricsBruteForce, ThreadCountDoesNotChangeResults) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  const size_t n = 20000, n_tags = 7;  // above the size where compute_metrics starts threads
  std::vector<float> scores(n * n_tags);
  std::vector<uint8_t> labels(n * n_tags);
  for (size_t k = 0; k < n * n_tags; ++k) {
    labels[k] = uniform(rng) < 0.2f;
    scores[k] = uniform(rng) + 0.3f * labels[k];
  }
  MetricsOptions one, four;
  one.threads = 1;
  four.threads = 4;
  const TagMetrics a = compute_metrics(scores, labels, n, n_tags, one);
  const TagMetrics b = compute_metrics(scores, labels, n, n_tags, four);
  EXPECT_EQ(a.roc_auc, b.roc_auc);
  EXPECT_EQ(a.pr_auc, b.pr_auc);
  EXPECT_EQ(a.micro_roc_auc, b.micro_roc_auc);
  EXPECT_EQ(a.micro_pr_auc, b.micro_pr_auc);
}

}  // namespace
}  // namespace musictag::eval
