// Input checks of the metrics functions: shapes, NaN scores, labels other than 0/1 (DataError with the position).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace musictag::eval {

// A matrix of n_rows x n_cols values, row r starting at r * row_stride (row_stride >= n_cols). The metrics
// functions see [n_examples, n_tags] row-major (row_stride = n_tags) or one tag's strided column (n_cols = 1).
struct MatrixShape {
  size_t n_rows = 0;
  size_t n_cols = 0;
  size_t row_stride = 0;
};

// Throws DataError when there is no example or no tag, when n_examples * n_tags overflows, or when a pointer is
// null.
void check_metrics_shape(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags);

// Throws DataError unless both buffers hold exactly n_examples * n_tags values.
void check_metrics_sizes(size_t n_scores, size_t n_labels, size_t n_examples, size_t n_tags);

// Throws DataError naming the first NaN score (example, tag). Infinite scores are allowed: they order fine.
void check_scores_not_nan(const float* scores, const MatrixShape& shape);

// Throws DataError naming the first label that is not 0 or 1; returns the number of positives per column.
std::vector<size_t> count_positives_checked(const uint8_t* labels, const MatrixShape& shape);

}  // namespace musictag::eval
