// Input checks of the metrics functions: shapes, NaN scores, labels other than 0/1.
#include "eval/metrics/metrics_validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "cluster/errors.h"

namespace musictag::eval {

void check_metrics_shape(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags) {
  if (n_examples == 0 || n_tags == 0) {
    throw DataError(
        fmt::format("metrics: need at least one example and one tag, got {} examples x {} tags", n_examples, n_tags));
  }
  if (n_examples > std::numeric_limits<size_t>::max() / n_tags) {
    throw DataError(fmt::format("metrics: {} examples x {} tags overflows size_t", n_examples, n_tags));
  }
  if (scores == nullptr || labels == nullptr) {
    throw DataError(fmt::format("metrics: {} pointer is null for {} examples x {} tags",
                                scores == nullptr ? "scores" : "labels", n_examples, n_tags));
  }
}

void check_metrics_sizes(size_t n_scores, size_t n_labels, size_t n_examples, size_t n_tags) {
  const bool overflow = n_tags != 0 && n_examples > std::numeric_limits<size_t>::max() / n_tags;
  const size_t expected = overflow ? 0 : n_examples * n_tags;
  if (overflow || n_scores != expected || n_labels != expected) {
    throw DataError(
        fmt::format("metrics: scores hold {} values and labels {}, but {} examples x {} tags need {} each (row-major)",
                    n_scores, n_labels, n_examples, n_tags, expected));
  }
}

void check_scores_not_nan(const float* scores, const MatrixShape& shape) {
  constexpr size_t kBlockRows = 4096;
  for (size_t begin = 0; begin < shape.n_rows; begin += kBlockRows) {
    const size_t end = std::min(shape.n_rows, begin + kBlockRows);
    bool any_nan = false;  // branch-free over the block so the compiler vectorises it
    for (size_t r = begin; r < end; ++r) {
      const float* row = scores + r * shape.row_stride;
      for (size_t c = 0; c < shape.n_cols; ++c) any_nan |= (row[c] != row[c]);
    }
    if (!any_nan) continue;
    for (size_t r = begin; r < end; ++r) {
      for (size_t c = 0; c < shape.n_cols; ++c) {
        if (std::isnan(scores[r * shape.row_stride + c])) {
          throw DataError(
              fmt::format("metrics: score of example {}, tag {} is NaN; scores must be numbers "
                          "(check the model's outputs)",
                          r, c));
        }
      }
    }
  }
}

std::vector<size_t> count_positives_checked(const uint8_t* labels, const MatrixShape& shape) {
  std::vector<size_t> positives(shape.n_cols, 0);
  for (size_t r = 0; r < shape.n_rows; ++r) {
    const uint8_t* row = labels + r * shape.row_stride;
    uint8_t bad = 0;
    for (size_t c = 0; c < shape.n_cols; ++c) {
      positives[c] += row[c];
      bad |= row[c] & 0xFE;
    }
    if (bad == 0) continue;
    for (size_t c = 0; c < shape.n_cols; ++c) {
      if (row[c] > 1) {
        throw DataError(fmt::format("metrics: label of example {}, tag {} is {}; labels must be 0 or 1", r, c,
                                    static_cast<int>(row[c])));
      }
    }
  }
  return positives;
}

}  // namespace musictag::eval
