// EvalResults: consistency check, display order of tags and the reason a tag's metrics are undefined.
#include "eval/report/eval_results.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "cluster/errors.h"

namespace musictag::eval {

void check_eval_results(const EvalResults& results, const std::string& context) {
  const TagMetrics& m = results.metrics;
  const size_t n = m.n_tags();
  if (n == 0) {
    throw DataError(fmt::format("{}: the metrics hold no tags; compute them before writing a report", context));
  }
  if (results.tag_names.size() != n || m.roc_auc.size() != n || m.pr_auc.size() != n) {
    throw DataError(
        fmt::format("{}: {} tag names for {} tags ({} ROC-AUC, {} PR-AUC values); pass the tag names "
                    "the metrics were computed with (a bug in the caller)",
                    context, results.tag_names.size(), n, m.roc_auc.size(), m.pr_auc.size()));
  }
}

std::vector<size_t> tags_by_roc_auc(const TagMetrics& metrics) {
  std::vector<size_t> order(metrics.roc_auc.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto& x = metrics.roc_auc[a];
    const auto& y = metrics.roc_auc[b];
    if (x.has_value() != y.has_value()) return x.has_value();  // defined first
    return x.has_value() && *x > *y;
  });
  return order;
}

std::string undefined_reason(const TagMetrics& metrics, size_t tag) {
  if (tag < metrics.roc_auc.size() && metrics.roc_auc[tag].has_value()) return "";
  const size_t positives = tag < metrics.positives.size() ? metrics.positives[tag] : 0;
  if (positives == 0) return "no positive examples";
  if (positives >= metrics.n_examples) return "no negative examples";
  return "";
}

}  // namespace musictag::eval
