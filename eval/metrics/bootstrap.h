// Seeded bootstrap confidence interval of the macro ROC-AUC (resampling examples with replacement).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace musictag::eval {

// How the bootstrap runs.
struct BootstrapOptions {
  size_t resamples = 1000;   // B, number of resamples, >= 1
  uint64_t seed = 0;         // same seed and data -> same interval, whatever the thread count
  double confidence = 0.95;  // in (0, 1); the interval spans the (1 -/+ confidence) / 2 quantiles
  size_t threads = 0;        // resamples spread over threads; 0 = the machine's hardware threads
};

// A percentile bootstrap interval. The point estimate is the macro ROC-AUC of all examples (= compute_metrics'
// macro_roc_auc); lower and upper are quantiles of the resampled macro ROC-AUCs with numpy's default ("linear")
// interpolation. NaN when no tag has both classes, or no resample kept one.
struct BootstrapInterval {
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  double confidence = 0.0;
  size_t resamples = 0;       // B requested
  size_t resamples_used = 0;  // resamples in which at least one tag had both classes: the quantiles' sample
  // (resample, tag) pairs left out because the tag had only one class in that resample (see bootstrap.cpp).
  size_t skipped_tag_resamples = 0;
};

// Bootstrap of the macro ROC-AUC over the tags with both classes in the full data; inputs as compute_metrics
// (row-major [n_examples, n_tags], labels 0/1, no NaN; DataError otherwise, ConfigError for bad options).
// Each resample draws n_examples examples with replacement. Cost O(B * n_examples * n_tags) after one sort per
// tag: a resample is a vector of multiplicities, and each tag's AUC is a weighted walk over its sorted scores.
BootstrapInterval bootstrap_macro_roc_auc(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags,
                                          const BootstrapOptions& options = {});

// As above, and DataError unless both vectors hold exactly n_examples * n_tags values.
BootstrapInterval bootstrap_macro_roc_auc(const std::vector<float>& scores, const std::vector<uint8_t>& labels,
                                          size_t n_examples, size_t n_tags, const BootstrapOptions& options = {});

}  // namespace musictag::eval
