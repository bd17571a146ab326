// Invalid input to the metrics and the bootstrap: DataError / ConfigError with a message naming the problem.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cluster/errors.h"
#include "eval/metrics/bootstrap.h"
#include "eval/metrics/metrics.h"
#include "eval/metrics/metrics_binary.h"

namespace musictag::eval {
namespace {

// Runs f, expects it to throw E, and returns the message (empty when it did not throw).
template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return "";
}

const std::vector<float> kScores = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};  // 3 examples x 2 tags
const std::vector<uint8_t> kLabels = {0, 1, 1, 0, 1, 1};

TEST(MetricsInvalid, NaNScoreNamesItsPosition) {
  std::vector<float> scores = kScores;
  scores[3] = std::numeric_limits<float>::quiet_NaN();
  const auto message = message_of<DataError>([&] { compute_metrics(scores, kLabels, 3, 2); });
  EXPECT_NE(message.find("example 1, tag 1 is NaN"), std::string::npos) << message;
  EXPECT_THROW(roc_auc(scores.data(), kLabels.data(), 6), DataError);
  EXPECT_THROW(bootstrap_macro_roc_auc(scores, kLabels, 3, 2), DataError);
}

TEST(MetricsInvalid, LabelOtherThanZeroOrOne) {
  std::vector<uint8_t> labels = kLabels;
  labels[4] = 2;
  const auto message = message_of<DataError>([&] { compute_metrics(kScores, labels, 3, 2); });
  EXPECT_NE(message.find("example 2, tag 0 is 2"), std::string::npos) << message;
  labels[4] = 255;
  EXPECT_THROW(average_precision(kScores.data(), labels.data(), 6), DataError);
  EXPECT_THROW(bootstrap_macro_roc_auc(kScores, labels, 3, 2), DataError);
}

TEST(MetricsInvalid, MismatchedSizes) {
  const auto message = message_of<DataError>([&] { compute_metrics(kScores, kLabels, 2, 2); });
  EXPECT_NE(message.find("need 4 each"), std::string::npos) << message;
  const std::vector<uint8_t> short_labels(kLabels.begin(), kLabels.end() - 1);
  EXPECT_THROW(compute_metrics(kScores, short_labels, 3, 2), DataError);
  EXPECT_THROW(bootstrap_macro_roc_auc(kScores, short_labels, 3, 2), DataError);
  EXPECT_THROW(compute_metrics(kScores, kLabels, std::numeric_limits<size_t>::max(), 2), DataError);
}

TEST(MetricsInvalid, EmptyInput) {
  const std::vector<float> no_scores;
  const std::vector<uint8_t> no_labels;
  EXPECT_THROW(compute_metrics(no_scores, no_labels, 0, 5), DataError);
  EXPECT_THROW(compute_metrics(no_scores, no_labels, 5, 0), DataError);
  EXPECT_THROW(roc_auc(kScores.data(), kLabels.data(), 0), DataError);
}

TEST(MetricsInvalid, NullPointersAndZeroStride) {
  EXPECT_THROW(compute_metrics(nullptr, kLabels.data(), 3, 2), DataError);
  EXPECT_THROW(compute_metrics(kScores.data(), nullptr, 3, 2), DataError);
  EXPECT_THROW(roc_auc(kScores.data(), kLabels.data(), 3, 0), DataError);
}

TEST(MetricsInvalid, WrongNumberOfTagNames) {
  MetricsOptions options;
  options.tag_names = {"rock"};
  EXPECT_THROW(compute_metrics(kScores, kLabels, 3, 2, options), DataError);
}

TEST(MetricsInvalid, BootstrapOptions) {
  BootstrapOptions options;
  options.resamples = 0;
  auto message = message_of<ConfigError>([&] { bootstrap_macro_roc_auc(kScores, kLabels, 3, 2, options); });
  EXPECT_NE(message.find("resamples"), std::string::npos) << message;
  options.resamples = 10;
  for (double confidence : {0.0, 1.0, -0.5, 95.0, std::numeric_limits<double>::quiet_NaN()}) {
    options.confidence = confidence;
    EXPECT_THROW(bootstrap_macro_roc_auc(kScores, kLabels, 3, 2, options), ConfigError) << confidence;
  }
}

}  // namespace
}  // namespace musictag::eval
