// Seeded percentile bootstrap of the macro ROC-AUC, parallel over resamples.
//
// Resampling choice: a resample in which a tag lost one class (all its drawn examples are positive, or all
// negative) leaves that tag out of that resample's macro average, which averages the remaining tags; the number
// of such (resample, tag) pairs is reported. Redrawing the resample instead would condition the bootstrap on
// every tag keeping both classes and bias the interval for rare tags; counting the tag as 0.5 would pull the
// macro towards chance. Skipping is what a fresh test set lacking the tag would give (sklearn-style "undefined,
// left out"), and it only matters for tags with a handful of positives, whose AUC is barely estimable anyway.
#include "eval/metrics/bootstrap.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "cluster/errors.h"
#include "cluster/random.h"
#include "eval/metrics/bootstrap_weighted_auc.h"
#include "eval/metrics/metrics_parallel.h"
#include "eval/metrics/metrics_validate.h"

namespace musictag::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_options(const BootstrapOptions& options) {
  if (options.resamples == 0) {
    throw ConfigError(fmt::format("bootstrap: resamples must be in [1,inf), got {}", options.resamples));
  }
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    throw ConfigError(fmt::format("bootstrap: confidence must be in (0,1), got {}", options.confidence));
  }
}

// Quantile q of ascending values by linear interpolation between closest ranks (numpy's default method).
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

// Macro ROC-AUC under example weights over the given tags; tags left with one class are skipped and counted.
double weighted_macro_roc_auc(const std::vector<WeightedAucTag>& tags, const uint32_t* weights, size_t* skipped) {
  double sum = 0.0;
  size_t count = 0;
  for (const auto& tag : tags) {
    const auto auc = tag.roc_auc(weights);
    if (!auc) {
      ++*skipped;
      continue;
    }
    sum += *auc;
    ++count;
  }
  return count == 0 ? kNaN : sum / static_cast<double>(count);
}

}  // namespace

BootstrapInterval bootstrap_macro_roc_auc(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags,
                                          const BootstrapOptions& options) {
  check_options(options);
  check_metrics_shape(scores, labels, n_examples, n_tags);
  if (n_examples >= WeightedAucTag::kMaxExamples) {
    throw DataError(fmt::format("bootstrap: at most {} examples are supported, got {}",
                                WeightedAucTag::kMaxExamples - 1, n_examples));
  }
  const MatrixShape shape{n_examples, n_tags, n_tags};
  check_scores_not_nan(scores, shape);
  const std::vector<size_t> positives = count_positives_checked(labels, shape);

  BootstrapInterval interval;
  interval.confidence = options.confidence;
  interval.resamples = options.resamples;
  std::vector<size_t> defined;  // tags with both classes in the full data; the others never enter
  for (size_t t = 0; t < n_tags; ++t) {
    if (positives[t] != 0 && positives[t] != n_examples) defined.push_back(t);
  }
  if (defined.empty()) {
    spdlog::warn("bootstrap: no tag has both classes in these {} examples; the interval is undefined", n_examples);
    interval.estimate = interval.lower = interval.upper = kNaN;
    return interval;
  }

  std::vector<WeightedAucTag> tags(defined.size());
  parallel_for(defined.size(), resolve_thread_count(options.threads, defined.size()),
               [&](size_t k, size_t) { tags[k] = WeightedAucTag(scores, labels, n_examples, n_tags, defined[k]); });
  size_t unused = 0;
  const std::vector<uint32_t> ones(n_examples, 1);
  interval.estimate = weighted_macro_roc_auc(tags, ones.data(), &unused);

  const size_t n_threads = resolve_thread_count(options.threads, options.resamples);
  std::vector<std::vector<uint32_t>> weights(n_threads, std::vector<uint32_t>(n_examples));
  std::vector<double> macro(options.resamples);
  std::vector<size_t> skipped(options.resamples, 0);
  parallel_for(options.resamples, n_threads, [&](size_t b, size_t worker) {
    std::vector<uint32_t>& w = weights[worker];
    std::fill(w.begin(), w.end(), 0);
    SplitMix64 random = SplitMix64::for_stream(options.seed, b);
    for (size_t draw = 0; draw < n_examples; ++draw) ++w[random.below(n_examples)];
    macro[b] = weighted_macro_roc_auc(tags, w.data(), &skipped[b]);
  });

  std::vector<double> kept;
  kept.reserve(options.resamples);
  for (size_t b = 0; b < options.resamples; ++b) {
    interval.skipped_tag_resamples += skipped[b];
    if (!std::isnan(macro[b])) kept.push_back(macro[b]);
  }
  interval.resamples_used = kept.size();
  if (kept.empty()) {
    spdlog::warn("bootstrap: every resample lost a class in every tag; the interval is undefined");
    interval.lower = interval.upper = kNaN;
    return interval;
  }
  if (interval.skipped_tag_resamples != 0) {
    spdlog::info("bootstrap: {} of {} (resample, tag) pairs had a tag with one class and were left out",
                 interval.skipped_tag_resamples, options.resamples * defined.size());
  }
  std::sort(kept.begin(), kept.end());
  interval.lower = quantile(kept, (1.0 - options.confidence) / 2.0);
  interval.upper = quantile(kept, (1.0 + options.confidence) / 2.0);
  return interval;
}

BootstrapInterval bootstrap_macro_roc_auc(const std::vector<float>& scores, const std::vector<uint8_t>& labels,
                                          size_t n_examples, size_t n_tags, const BootstrapOptions& options) {
  check_metrics_sizes(scores.size(), labels.size(), n_examples, n_tags);
  return bootstrap_macro_roc_auc(scores.data(), labels.data(), n_examples, n_tags, options);
}

}  // namespace musictag::eval
