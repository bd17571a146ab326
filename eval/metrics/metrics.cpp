// compute_metrics: per-tag ROC-AUC / PR-AUC with macro and micro averages over a [n_examples, n_tags] matrix.
#include "eval/metrics/metrics.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <memory>

#include "cluster/errors.h"
#include "eval/metrics/metrics_binary.h"
#include "eval/metrics/metrics_parallel.h"
#include "eval/metrics/metrics_radix_sort.h"
#include "eval/metrics/metrics_validate.h"

namespace musictag::eval {
namespace {

// Below this many scores the threads cost more than they save (training's validation is often this small).
constexpr size_t kMinScoresPerThread = size_t{1} << 16;

// Every score as a sort key, grouped by tag and label: positives of tag 0, 1, ... in [0, total_positives), then
// negatives of tag 0, 1, ... in [total_positives, n * T). scratch mirrors the layout for the radix sorts, so
// tags sort in parallel without sharing memory.
struct KeyTable {
  std::unique_ptr<uint32_t[]> keys;
  std::unique_ptr<uint32_t[]> scratch;
  std::vector<size_t> positive_begin;  // per tag, into keys
  std::vector<size_t> negative_begin;
  size_t total_positives = 0;
  size_t total = 0;
};

KeyTable build_key_table(const float* scores, const uint8_t* labels, size_t n_examples,
                         const std::vector<size_t>& positives, size_t n_threads) {
  const size_t n_tags = positives.size();
  KeyTable table;
  table.total = n_examples * n_tags;
  table.keys.reset(new uint32_t[table.total]);  // not zero-filled: every slot is written below
  table.scratch.reset(new uint32_t[table.total]);
  table.positive_begin.resize(n_tags);
  table.negative_begin.resize(n_tags);
  for (size_t t = 0; t < n_tags; ++t) {
    table.positive_begin[t] = table.total_positives;
    table.total_positives += positives[t];
  }
  size_t negative_offset = table.total_positives;
  for (size_t t = 0; t < n_tags; ++t) {
    table.negative_begin[t] = negative_offset;
    negative_offset += n_examples - positives[t];
  }
  // Each worker scans every row but only its own block of tags: writes never overlap and rows are read in order.
  const size_t tags_per_worker = (n_tags + n_threads - 1) / n_threads;
  parallel_for(n_threads, n_threads, [&](size_t worker, size_t) {
    const size_t first = worker * tags_per_worker;
    const size_t last = std::min(n_tags, first + tags_per_worker);
    if (first >= last) return;
    std::vector<uint32_t*> next(2 * (last - first));  // next[2 * (t - first) + label]: where the key goes
    for (size_t t = first; t < last; ++t) {
      next[2 * (t - first)] = table.keys.get() + table.negative_begin[t];
      next[2 * (t - first) + 1] = table.keys.get() + table.positive_begin[t];
    }
    uint32_t** cursor = next.data() - 2 * first;
    for (size_t i = 0; i < n_examples; ++i) {
      const float* row_scores = scores + i * n_tags;
      const uint8_t* row_labels = labels + i * n_tags;
      for (size_t t = first; t < last; ++t) *cursor[2 * t + row_labels[t]]++ = score_sort_key(row_scores[t]);
    }
  });
  return table;
}

double mean_of_defined(const std::vector<std::optional<double>>& values) {
  double sum = 0.0;
  size_t count = 0;
  for (const auto& value : values) {
    if (!value) continue;
    sum += *value;
    ++count;
  }
  return count == 0 ? TagMetrics::kUndefined : sum / static_cast<double>(count);
}

std::vector<std::string> describe_tags(const std::vector<size_t>& tags, const MetricsOptions& options) {
  std::vector<std::string> names;
  for (size_t t : tags) names.push_back(options.tag_names.empty() ? std::to_string(t) : options.tag_names[t]);
  return names;
}

void warn_about_undefined_tags(const TagMetrics& metrics, const MetricsOptions& options) {
  const auto no_positives = metrics.tags_without_positives();
  const auto no_negatives = metrics.tags_without_negatives();
  if (no_positives.empty() && no_negatives.empty()) return;
  spdlog::warn(
      "metrics: {} of {} tags have only one class in these {} examples; their ROC-AUC and PR-AUC are undefined "
      "and left out of the macro averages. No positives: [{}]. No negatives: [{}].",
      no_positives.size() + no_negatives.size(), metrics.n_tags(), metrics.n_examples,
      fmt::join(describe_tags(no_positives, options), ", "), fmt::join(describe_tags(no_negatives, options), ", "));
}

}  // namespace

std::vector<size_t> TagMetrics::defined_tags() const {
  std::vector<size_t> tags;
  for (size_t t = 0; t < positives.size(); ++t) {
    if (positives[t] != 0 && positives[t] != n_examples) tags.push_back(t);
  }
  return tags;
}

std::vector<size_t> TagMetrics::tags_without_positives() const {
  std::vector<size_t> tags;
  for (size_t t = 0; t < positives.size(); ++t) {
    if (positives[t] == 0) tags.push_back(t);
  }
  return tags;
}

std::vector<size_t> TagMetrics::tags_without_negatives() const {
  std::vector<size_t> tags;
  for (size_t t = 0; t < positives.size(); ++t) {
    if (positives[t] == n_examples) tags.push_back(t);
  }
  return tags;
}

TagMetrics compute_metrics(const float* scores, const uint8_t* labels, size_t n_examples, size_t n_tags,
                           const MetricsOptions& options) {
  check_metrics_shape(scores, labels, n_examples, n_tags);
  if (!options.tag_names.empty() && options.tag_names.size() != n_tags) {
    throw DataError(fmt::format("metrics: {} tag names given for {} tags", options.tag_names.size(), n_tags));
  }
  const MatrixShape shape{n_examples, n_tags, n_tags};
  check_scores_not_nan(scores, shape);
  TagMetrics metrics;
  metrics.n_examples = n_examples;
  metrics.positives = count_positives_checked(labels, shape);

  const size_t n_threads = resolve_thread_count(
      options.threads, std::min(n_tags, std::max<size_t>(1, n_examples * n_tags / kMinScoresPerThread)));
  KeyTable table = build_key_table(scores, labels, n_examples, metrics.positives, n_threads);

  metrics.roc_auc.resize(n_tags);
  metrics.pr_auc.resize(n_tags);
  parallel_for(n_tags, n_threads, [&](size_t t, size_t) {
    const size_t n_positives = metrics.positives[t];
    const size_t n_negatives = n_examples - n_positives;
    uint32_t* keys = table.keys.get();
    uint32_t* scratch = table.scratch.get();
    const size_t p = table.positive_begin[t];
    const size_t q = table.negative_begin[t];
    const uint32_t* sorted_positives = radix_sort_keys(keys + p, scratch + p, n_positives);
    const uint32_t* sorted_negatives = radix_sort_keys(keys + q, scratch + q, n_negatives);
    const BinaryMetrics tag =
        binary_metrics_from_sorted_keys(sorted_positives, n_positives, sorted_negatives, n_negatives);
    metrics.roc_auc[t] = tag.roc_auc;
    metrics.pr_auc[t] = tag.average_precision;
  });
  metrics.macro_roc_auc = mean_of_defined(metrics.roc_auc);
  metrics.macro_pr_auc = mean_of_defined(metrics.pr_auc);

  if (options.micro) {
    // Every pass of a radix sort writes a full permutation, so keys still holds each tag's keys (in some order).
    const size_t total_negatives = table.total - table.total_positives;
    const uint32_t* sorted[2] = {nullptr, nullptr};
    parallel_for(2, std::min<size_t>(2, n_threads), [&](size_t label, size_t) {
      const size_t begin = label == 1 ? 0 : table.total_positives;
      const size_t count = label == 1 ? table.total_positives : total_negatives;
      sorted[label] = radix_sort_keys(table.keys.get() + begin, table.scratch.get() + begin, count);
    });
    const BinaryMetrics micro =
        binary_metrics_from_sorted_keys(sorted[1], table.total_positives, sorted[0], total_negatives);
    metrics.micro_roc_auc = micro.roc_auc.value_or(TagMetrics::kUndefined);
    metrics.micro_pr_auc = micro.average_precision.value_or(TagMetrics::kUndefined);
  }
  if (options.warn_undefined) warn_about_undefined_tags(metrics, options);
  return metrics;
}

TagMetrics compute_metrics(const std::vector<float>& scores, const std::vector<uint8_t>& labels, size_t n_examples,
                           size_t n_tags, const MetricsOptions& options) {
  check_metrics_sizes(scores.size(), labels.size(), n_examples, n_tags);
  return compute_metrics(scores.data(), labels.data(), n_examples, n_tags, options);
}

}  // namespace musictag::eval
