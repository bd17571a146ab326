// Helpers of the eval report tests: a per-test temporary folder, sample EvalResults / Predictions, running python.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "eval/report/eval_results.h"
#include "eval/report/predictions.h"

namespace musictag::eval::testing {

// A fresh folder under the system temp dir for the running test, removed afterwards.
class ReportFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            ("musictag-report-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string file(const std::string& name) const { return (root_ / name).string(); }

  std::filesystem::path root_;
};

// Runs `command` through the shell, returning its stdout and exit status.
inline std::pair<std::string, int> run_command(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  char buffer[4096];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
  return {output, ::pclose(pipe)};
}

// $MUSICTAG_VENV/bin/python, or empty when MUSICTAG_VENV is unset or has no python (tests then skip).
inline std::string venv_python() {
  const char* venv = std::getenv("MUSICTAG_VENV");
  if (venv == nullptr) return "";
  const std::string python = std::string(venv) + "/bin/python";
  return std::filesystem::exists(python) ? python : "";
}

// Hand-made results: 6 tags in column order with known AUCs, including a tie (b, e), one tag without positives
// (piano) and one without negatives (loud), and names that need CSV / XML / Markdown escaping.
inline EvalResults sample_results() {
  EvalResults r;
  r.tag_names = {"rock", "a,b \"quoted\"", "piano", "<jazz & blues>", "pipe|tag", "loud"};
  TagMetrics& m = r.metrics;
  m.n_examples = 40;
  m.positives = {10, 5, 0, 8, 3, 40};
  m.roc_auc = {0.8123456789012345, 0.95, std::nullopt, 0.61, 0.95, std::nullopt};
  m.pr_auc = {0.7, 0.9000000000000001, std::nullopt, 0.33333333333333331, 0.5, std::nullopt};
  m.macro_roc_auc = (0.8123456789012345 + 0.95 + 0.61 + 0.95) / 4.0;
  m.macro_pr_auc = (0.7 + 0.9000000000000001 + 0.33333333333333331 + 0.5) / 4.0;
  m.micro_roc_auc = 0.8765432101234567;
  m.micro_pr_auc = 0.5432109876543210;
  r.interval = {m.macro_roc_auc, 0.7512345678901234, 0.8898765432109876, 0.95, 1000, 998, 17};
  r.metadata = {"demo", "test", std::string(64, 'c'), std::string(64, 'm'), "eval:\n  aggregation: mean\n", "mean",
                40,     160};
  return r;
}

// `n_tracks` tracks with `segments` rows each (ids 100, 103, ...; rows of a track interleaved with others'),
// `n_tags` tags with labels of both classes, scores correlated with labels.
inline Predictions sample_predictions(size_t n_tracks, size_t segments, size_t n_tags, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  Predictions p;
  for (size_t t = 0; t < n_tags; ++t) p.tag_names.push_back("tag" + std::to_string(t));
  p.split = "test";
  p.checkpoint_sha256 = std::string(64, 'a');
  p.manifest_sha256 = std::string(64, 'b');
  std::vector<std::vector<uint8_t>> track_labels(n_tracks, std::vector<uint8_t>(n_tags));
  for (size_t i = 0; i < n_tracks; ++i) {
    for (size_t t = 0; t < n_tags; ++t) track_labels[i][t] = static_cast<uint8_t>((i + t) % 3 == 0);
  }
  for (size_t s = 0; s < segments; ++s) {
    for (size_t i = 0; i < n_tracks; ++i) {
      p.track_ids.push_back(100 + 3 * static_cast<int64_t>(i));
      for (size_t t = 0; t < n_tags; ++t) {
        p.labels.push_back(track_labels[i][t]);
        p.scores.push_back(0.6f * uniform(random) + 0.4f * static_cast<float>(track_labels[i][t]));
      }
    }
  }
  return p;
}

}  // namespace musictag::eval::testing
