// Bootstrap CI of the macro ROC-AUC: contains the estimate, narrows with n, reproducible per seed, skips tags
// that lose a class; and the weighted AUC it rests on equals the AUC of explicitly duplicated examples.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "eval/metrics/bootstrap.h"
#include "eval/metrics/bootstrap_weighted_auc.h"
#include "eval/metrics/metrics.h"

namespace musictag::eval {
namespace {

struct Data {
  size_t n_examples;
  size_t n_tags;
  std::vector<float> scores;
  std::vector<uint8_t> labels;
};

// Informative scores (label + Gaussian noise), rounded to 0.05 so ties occur; both classes in every tag.
Data make_data(size_t n, size_t n_tags, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  Data d{n, n_tags, std::vector<float>(n * n_tags), std::vector<uint8_t>(n * n_tags)};
  for (size_t i = 0; i < n; ++i) {
    for (size_t t = 0; t < n_tags; ++t) {
      const uint8_t label = i < 2 ? static_cast<uint8_t>(i) : uniform(rng) < 0.1f + 0.15f * t;
      d.labels[i * n_tags + t] = label;
      d.scores[i * n_tags + t] = std::round((noise(rng) + label) * 20.0f) / 20.0f;
    }
  }
  return d;
}

BootstrapInterval run(const Data& d, uint64_t seed, size_t threads = 0, size_t resamples = 300) {
  BootstrapOptions options;
  options.seed = seed;
  options.threads = threads;
  options.resamples = resamples;
  return bootstrap_macro_roc_auc(d.scores, d.labels, d.n_examples, d.n_tags, options);
}

TEST(Bootstrap, IntervalContainsTheEstimateWhichIsTheMacroRocAuc) {
  const Data d = make_data(500, 4, 1);
  const BootstrapInterval ci = run(d, 7);
  EXPECT_EQ(ci.estimate, compute_metrics(d.scores, d.labels, d.n_examples, d.n_tags).macro_roc_auc);
  EXPECT_LT(ci.lower, ci.estimate);
  EXPECT_GT(ci.upper, ci.estimate);
  EXPECT_EQ(ci.resamples, 300u);
  EXPECT_EQ(ci.resamples_used, 300u);
  EXPECT_EQ(ci.skipped_tag_resamples, 0u);
  EXPECT_DOUBLE_EQ(ci.confidence, 0.95);
}

TEST(Bootstrap, NarrowsAsExamplesGrow) {
  // The width shrinks like 1/sqrt(n): 25x the examples, about 1/5 the width; assert well under 1/2.
  const BootstrapInterval small = run(make_data(200, 3, 2), 11);
  const BootstrapInterval large = run(make_data(5000, 3, 2), 11);
  EXPECT_LT(large.upper - large.lower, 0.5 * (small.upper - small.lower));
  EXPECT_GT(large.upper - large.lower, 0.0);
}

TEST(Bootstrap, HigherConfidenceIsWider) {
  const Data d = make_data(400, 3, 3);
  BootstrapOptions options;
  options.resamples = 400;
  options.confidence = 0.5;
  const auto narrow = bootstrap_macro_roc_auc(d.scores, d.labels, d.n_examples, d.n_tags, options);
  options.confidence = 0.99;
  const auto wide = bootstrap_macro_roc_auc(d.scores, d.labels, d.n_examples, d.n_tags, options);
  EXPECT_LT(wide.lower, narrow.lower);
  EXPECT_GT(wide.upper, narrow.upper);
}

TEST(Bootstrap, SameSeedSameIntervalWhateverTheThreads) {
  const Data d = make_data(300, 3, 4);
  const BootstrapInterval a = run(d, 42, 1);
  const BootstrapInterval b = run(d, 42, 3);
  const BootstrapInterval c = run(d, 42, 0);
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
  EXPECT_EQ(a.lower, c.lower);
  EXPECT_EQ(a.upper, c.upper);
  const BootstrapInterval other = run(d, 43, 1);
  EXPECT_TRUE(other.lower != a.lower || other.upper != a.upper);
}

TEST(Bootstrap, TagLosingAClassIsSkippedForThatResample) {
  // Tag 1 has a single positive among 50 examples: a resample misses it with probability (49/50)^50 = 0.364.
  Data d = make_data(50, 2, 5);
  for (size_t i = 0; i < 50; ++i) d.labels[i * 2 + 1] = i == 10;
  const BootstrapInterval ci = run(d, 9, 0, 1000);
  EXPECT_EQ(ci.resamples_used, 1000u);  // tag 0 keeps both classes every time
  EXPECT_GT(ci.skipped_tag_resamples, 300u);
  EXPECT_LT(ci.skipped_tag_resamples, 430u);
  EXPECT_LE(ci.lower, ci.upper);
}

TEST(Bootstrap, OneClassTagsOfTheFullDataNeverEnter) {
  Data d = make_data(100, 3, 6);
  for (size_t i = 0; i < 100; ++i) d.labels[i * 3 + 2] = 0;
  const BootstrapInterval ci = run(d, 1);
  EXPECT_EQ(ci.estimate, compute_metrics(d.scores, d.labels, d.n_examples, d.n_tags).macro_roc_auc);
  EXPECT_EQ(ci.skipped_tag_resamples, 0u);
}

TEST(Bootstrap, UndefinedWhenNoTagHasBothClasses) {
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f};
  const std::vector<uint8_t> labels = {1, 1, 1};
  const BootstrapInterval ci = bootstrap_macro_roc_auc(scores, labels, 3, 1);
  EXPECT_TRUE(std::isnan(ci.estimate));
  EXPECT_TRUE(std::isnan(ci.lower));
  EXPECT_TRUE(std::isnan(ci.upper));
  EXPECT_EQ(ci.resamples_used, 0u);
}

TEST(Bootstrap, WeightedAucEqualsAucOfDuplicatedExamples) {
  const Data d = make_data(60, 2, 8);
  std::mt19937 rng(12);
  std::uniform_int_distribution<uint32_t> multiplicity(0, 3);
  std::vector<uint32_t> weights(d.n_examples);
  for (auto& w : weights) w = multiplicity(rng);
  for (size_t t = 0; t < d.n_tags; ++t) {
    std::vector<float> scores;
    std::vector<uint8_t> labels;
    for (size_t i = 0; i < d.n_examples; ++i) {
      for (uint32_t k = 0; k < weights[i]; ++k) {
        scores.push_back(d.scores[i * d.n_tags + t]);
        labels.push_back(d.labels[i * d.n_tags + t]);
      }
    }
    const WeightedAucTag tag(d.scores.data(), d.labels.data(), d.n_examples, d.n_tags, t);
    const TagMetrics expanded = compute_metrics(scores, labels, scores.size(), 1);
    EXPECT_DOUBLE_EQ(*tag.roc_auc(weights.data()), *expanded.roc_auc[0]) << "tag " << t;
  }
}

}  // namespace
}  // namespace musictag::eval
