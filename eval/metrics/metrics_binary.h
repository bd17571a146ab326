// Single-tag (binary) ROC-AUC and average precision, equal to scikit-learn's roc_auc_score and
// average_precision_score, computed with one sort.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace musictag::eval {

// Both ranking metrics of one tag. Undefined (nullopt) when the tag has no positive or no negative example:
// ROC-AUC has no pairs to rank then, and average precision is degenerate (scikit-learn returns 0.0 with no
// positives and 1.0 with no negatives); musictag reports both as undefined so they never enter an average.
struct BinaryMetrics {
  std::optional<double> roc_auc;
  std::optional<double> average_precision;
};

// Metrics from the tag's scores already turned into score_sort_key() keys and sorted ascending, split by label:
// positive_keys[0, n_positives) and negative_keys[0, n_negatives).
//
// ROC-AUC is the Mann-Whitney U with ties counted one half (= midranks = scikit-learn's trapezoidal ROC curve):
//   AUC = sum over positives p of (#negatives below p + #negatives tied with p / 2) / (P * N),
// accumulated as an exact integer 2U.
// Average precision treats each group of tied scores as one threshold, like scikit-learn's _binary_clf_curve:
//   AP = sum over thresholds n of (R_n - R_{n-1}) * P_n, and only thresholds holding positives change recall, so
//   AP = (1 / P) * sum over distinct positive scores s of (#positives at s) * precision(score >= s).
BinaryMetrics binary_metrics_from_sorted_keys(const uint32_t* positive_keys, size_t n_positives,
                                              const uint32_t* negative_keys, size_t n_negatives);

// Both metrics of one tag: scores[i * stride] and labels[i * stride] for i in [0, n). Labels must be 0 or 1 and
// scores must not be NaN (DataError otherwise).
BinaryMetrics binary_metrics(const float* scores, const uint8_t* labels, size_t n, size_t stride = 1);

// ROC-AUC of one tag (see binary_metrics); nullopt when only one class occurs.
std::optional<double> roc_auc(const float* scores, const uint8_t* labels, size_t n, size_t stride = 1);

// Average precision (PR-AUC) of one tag (see binary_metrics); nullopt when only one class occurs.
std::optional<double> average_precision(const float* scores, const uint8_t* labels, size_t n, size_t stride = 1);

}  // namespace musictag::eval
