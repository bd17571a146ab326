// compute_metrics and the single-tag functions against scikit-learn 1.7 (tests/fixtures/metrics), to 1e-9.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "eval/metrics/metrics.h"
#include "eval/metrics/metrics_binary.h"

namespace musictag::eval {
namespace {

constexpr double kTolerance = 1e-9;

nlohmann::json load_fixture() {
  const char* source_dir = std::getenv("MUSICTAG_SOURCE_DIR");
  if (source_dir == nullptr) throw std::runtime_error("MUSICTAG_SOURCE_DIR is not set (ctest sets it)");
  const std::string path = std::string(source_dir) + "/tests/fixtures/metrics/sklearn_metrics.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

struct Case {
  std::string name;
  size_t n_examples;
  size_t n_tags;
  std::vector<float> scores;
  std::vector<uint8_t> labels;
  nlohmann::json expected;
};

std::vector<Case> load_cases() {
  const nlohmann::json fixture = load_fixture();  // kept alive: a range-for over a temporary's member dangles
  std::vector<Case> cases;
  for (const auto& c : fixture.at("cases")) {
    Case parsed{c.at("name"), c.at("n_examples"), c.at("n_tags"), {}, {}, c.at("expected")};
    // Parsed as double, then rounded to float: the fixture's decimals round-trip to the same float32 this way.
    for (double s : c.at("scores")) parsed.scores.push_back(static_cast<float>(s));
    for (int l : c.at("labels")) parsed.labels.push_back(static_cast<uint8_t>(l));
    cases.push_back(std::move(parsed));
  }
  if (cases.empty()) throw std::runtime_error("the metrics fixture holds no cases");
  return cases;
}

void expect_optional_near(const std::optional<double>& actual, const nlohmann::json& expected,
                          const std::string& what) {
  if (expected.is_null()) {
    EXPECT_FALSE(actual.has_value()) << what << " should be undefined";
  } else {
    ASSERT_TRUE(actual.has_value()) << what << " should be " << expected.get<double>();
    EXPECT_NEAR(*actual, expected.get<double>(), kTolerance) << what;
  }
}

void expect_average_near(double actual, const nlohmann::json& expected, const std::string& what) {
  if (expected.is_null()) {
    EXPECT_TRUE(std::isnan(actual)) << what << " should be NaN, got " << actual;
  } else {
    EXPECT_NEAR(actual, expected.get<double>(), kTolerance) << what;
  }
}

TEST(MetricsSklearn, FixtureHasTheEdgeCases) {
  const auto cases = load_cases();
  ASSERT_GE(cases.size(), 6u);
  bool no_positives = false, no_negatives = false;
  for (const auto& c : cases) {
    no_positives |= !c.expected.at("tags_without_positives").empty();
    no_negatives |= !c.expected.at("tags_without_negatives").empty();
  }
  EXPECT_TRUE(no_positives);
  EXPECT_TRUE(no_negatives);
}

TEST(MetricsSklearn, ComputeMetricsMatchesSklearn) {
  for (size_t threads : {1, 3}) {
    for (const auto& c : load_cases()) {
      SCOPED_TRACE(c.name + ", threads " + std::to_string(threads));
      MetricsOptions options;
      options.threads = threads;
      const TagMetrics m = compute_metrics(c.scores, c.labels, c.n_examples, c.n_tags, options);
      ASSERT_EQ(m.n_tags(), c.n_tags);
      for (size_t t = 0; t < c.n_tags; ++t) {
        expect_optional_near(m.roc_auc[t], c.expected.at("roc_auc")[t], "roc_auc of tag " + std::to_string(t));
        expect_optional_near(m.pr_auc[t], c.expected.at("pr_auc")[t], "pr_auc of tag " + std::to_string(t));
      }
      expect_average_near(m.macro_roc_auc, c.expected.at("macro_roc_auc"), "macro_roc_auc");
      expect_average_near(m.macro_pr_auc, c.expected.at("macro_pr_auc"), "macro_pr_auc");
      expect_average_near(m.micro_roc_auc, c.expected.at("micro_roc_auc"), "micro_roc_auc");
      expect_average_near(m.micro_pr_auc, c.expected.at("micro_pr_auc"), "micro_pr_auc");
      EXPECT_EQ(m.tags_without_positives(), c.expected.at("tags_without_positives").get<std::vector<size_t>>());
      EXPECT_EQ(m.tags_without_negatives(), c.expected.at("tags_without_negatives").get<std::vector<size_t>>());
    }
  }
}

TEST(MetricsSklearn, SingleTagFunctionsMatchSklearn) {
  for (const auto& c : load_cases()) {
    SCOPED_TRACE(c.name);
    for (size_t t = 0; t < c.n_tags; ++t) {
      const std::string tag = "tag " + std::to_string(t);
      // Strided over the row-major matrix, and on a contiguous copy of the column.
      expect_optional_near(roc_auc(c.scores.data() + t, c.labels.data() + t, c.n_examples, c.n_tags),
                           c.expected.at("roc_auc")[t], "strided roc_auc of " + tag);
      std::vector<float> scores;
      std::vector<uint8_t> labels;
      for (size_t i = 0; i < c.n_examples; ++i) {
        scores.push_back(c.scores[i * c.n_tags + t]);
        labels.push_back(c.labels[i * c.n_tags + t]);
      }
      expect_optional_near(average_precision(scores.data(), labels.data(), c.n_examples), c.expected.at("pr_auc")[t],
                           "contiguous average_precision of " + tag);
    }
  }
}

}  // namespace
}  // namespace musictag::eval
