// Multi-tag ranking metrics of an auto-tagger: per-tag ROC-AUC and PR-AUC, macro and micro averages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace musictag::eval {

// How compute_metrics runs. Every default is what the eval harness wants.
struct MetricsOptions {
  // Worker threads (tags are spread over them); 0 = the machine's hardware threads. Results do not depend on it.
  // Pass 1 when several ranks share a node's cores.
  size_t threads = 0;
  // Compute the micro averages, which sort all n_examples * n_tags scores once more (about half the time).
  bool micro = true;
  // Log a warning (spdlog) naming the tags left out of the macro averages because they have only one class.
  bool warn_undefined = true;
  // Tag names used in that warning, in column order; empty = column indices. Else exactly n_tags names.
  std::vector<std::string> tag_names;
};

// Metrics of n_tags tags over n_examples examples. A tag whose labels hold only one class (no positives or no
// negatives) has undefined ROC-AUC and PR-AUC (nullopt) and is left out of both macro averages, which average
// the other tags with equal weight. Micro averages pool every (example, tag) pair, undefined tags included, as
// scikit-learn's average="micro" does. An average with nothing to average is NaN.
struct TagMetrics {
  static constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

  size_t n_examples = 0;
  std::vector<size_t> positives;               // per tag: examples labelled 1
  std::vector<std::optional<double>> roc_auc;  // per tag: = sklearn roc_auc_score
  std::vector<std::optional<double>> pr_auc;   // per tag: average precision = sklearn average_precision_score
  double macro_roc_auc = kUndefined;
  double macro_pr_auc = kUndefined;
  double micro_roc_auc = kUndefined;  // NaN also when MetricsOptions::micro is false
  double micro_pr_auc = kUndefined;

  size_t n_tags() const { return positives.size(); }
  // Tags with both classes, which the macro averages cover.
  std::vector<size_t> defined_tags() const;
  std::vector<size_t> tags_without_positives() const;
  std::vector<size_t> tags_without_negatives() const;
};

// Metrics of scores and labels, both row-major [n_examples, n_tags] (scores[i * n_tags + t] is example i, tag t).
// Labels must be 0 or 1 and scores must not be NaN (infinities are fine); otherwise, and for zero examples or
// tags, DataError naming the first offending position. O(n log n) per tag: one radix sort of the keys per tag
// (and one over all keys for the micro averages).
TagMetrics compute_metrics(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags,
                           const MetricsOptions& options = {});

// As above, and DataError unless both vectors hold exactly n_examples * n_tags values.
TagMetrics compute_metrics(const std::vector<float>& scores, const std::vector<uint8_t>& labels, size_t n_examples,
                           size_t n_tags, const MetricsOptions& options = {});

}  // namespace musictag::eval
