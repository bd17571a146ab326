// Single-tag (binary) ROC-AUC and average precision from sorted keys, equal to scikit-learn's.
#include "eval/metrics/metrics_binary.h"

#include <cmath>
#include <memory>

#include "cluster/errors.h"
#include "eval/metrics/metrics_radix_sort.h"
#include "eval/metrics/metrics_validate.h"

namespace musictag::eval {
namespace {

// Neumaier-compensated sum: average precision adds up to 10^8 terms (micro-averaging), where a plain double sum
// could drift towards the 1e-9 agreement with scikit-learn the tests ask for.
class CompensatedSum {
 public:
  void add(double x) {
    const double t = sum_ + x;
    compensation_ += (std::abs(sum_) >= std::abs(x)) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

}  // namespace

BinaryMetrics binary_metrics_from_sorted_keys(const uint32_t* positive_keys, size_t n_positives,
                                              const uint32_t* negative_keys, size_t n_negatives) {
  if (n_positives == 0 || n_negatives == 0) return {};
  // Walk the distinct positive scores upwards; j counts the negatives strictly below the current score.
  uint64_t twice_u = 0;  // 2U <= 2 P N fits 64 bits up to ~4e9 examples
  CompensatedSum precision_sum;
  size_t i = 0;
  size_t j = 0;
  while (i < n_positives) {
    const uint32_t key = positive_keys[i];
    while (j < n_negatives && negative_keys[j] < key) ++j;
    size_t j_end = j;
    while (j_end < n_negatives && negative_keys[j_end] == key) ++j_end;
    size_t i_end = i + 1;
    while (i_end < n_positives && positive_keys[i_end] == key) ++i_end;
    const uint64_t tied_positives = i_end - i;
    const uint64_t tied_negatives = j_end - j;
    twice_u += tied_positives * (2 * uint64_t{j} + tied_negatives);
    // Threshold "score >= key": true positives n_positives - i, false positives n_negatives - j.
    const double true_positives = static_cast<double>(n_positives - i);
    const double false_positives = static_cast<double>(n_negatives - j);
    precision_sum.add(static_cast<double>(tied_positives) * true_positives / (true_positives + false_positives));
    i = i_end;
    j = j_end;
  }
  BinaryMetrics metrics;
  metrics.roc_auc =
      static_cast<double>(twice_u) / (2.0 * static_cast<double>(n_positives) * static_cast<double>(n_negatives));
  metrics.average_precision = precision_sum.value() / static_cast<double>(n_positives);
  return metrics;
}

BinaryMetrics binary_metrics(const float* scores, const uint8_t* labels, size_t n, size_t stride) {
  check_metrics_shape(scores, labels, n, 1);
  if (stride == 0) throw DataError("metrics: stride of a single tag's scores and labels must be >= 1, got 0");
  const MatrixShape shape{n, 1, stride};
  check_scores_not_nan(scores, shape);
  const size_t n_positives = count_positives_checked(labels, shape)[0];
  const size_t n_negatives = n - n_positives;
  // One buffer: positives' keys in [0, P), negatives' in [P, n); a second as the sort's scratch.
  std::unique_ptr<uint32_t[]> keys(new uint32_t[n]);
  std::unique_ptr<uint32_t[]> scratch(new uint32_t[n]);
  uint32_t* next[2] = {keys.get() + n_positives, keys.get()};  // [label 0], [label 1]
  for (size_t i = 0; i < n; ++i) *next[labels[i * stride]]++ = score_sort_key(scores[i * stride]);
  const uint32_t* positives = radix_sort_keys(keys.get(), scratch.get(), n_positives);
  const uint32_t* negatives = radix_sort_keys(keys.get() + n_positives, scratch.get() + n_positives, n_negatives);
  return binary_metrics_from_sorted_keys(positives, n_positives, negatives, n_negatives);
}

std::optional<double> roc_auc(const float* scores, const uint8_t* labels, size_t n, size_t stride) {
  return binary_metrics(scores, labels, n, stride).roc_auc;
}

std::optional<double> average_precision(const float* scores, const uint8_t* labels, size_t n, size_t stride) {
  return binary_metrics(scores, labels, n, stride).average_precision;
}

}  // namespace musictag::eval
