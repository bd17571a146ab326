// evaluate_predictions: the harness' glue from a Predictions file to the numbers of the report.
#include "eval/report/eval_results_evaluate.h"

#include <fmt/format.h>

#include <set>

#include "cluster/errors.h"

namespace musictag::eval {

EvalResults evaluate_predictions(const Predictions& predictions, const EvaluateOptions& options) {
  check_predictions(predictions, "evaluate_predictions");
  Predictions tracks;
  const Predictions* rows = &predictions;
  if (options.aggregation.has_value()) {
    tracks = aggregate_predictions(predictions, *options.aggregation);
    rows = &tracks;
  } else {
    std::set<int64_t> seen;
    for (const int64_t id : predictions.track_ids) {
      if (!seen.insert(id).second) {
        throw DataError(
            fmt::format("evaluate_predictions: track {} has several rows but aggregation is 'none'; set "
                        "eval.aggregate to mean or max",
                        id));
      }
    }
  }
  MetricsOptions metrics_options = options.metrics;
  metrics_options.tag_names = predictions.tag_names;

  EvalResults results;
  results.tag_names = predictions.tag_names;
  results.metrics = compute_metrics(rows->scores, rows->labels, rows->n_rows(), rows->n_tags(), metrics_options);
  results.interval =
      bootstrap_macro_roc_auc(rows->scores, rows->labels, rows->n_rows(), rows->n_tags(), options.bootstrap);
  EvalMetadata& meta = results.metadata;
  meta.dataset = options.dataset;
  meta.split = predictions.split;
  meta.checkpoint_sha256 = predictions.checkpoint_sha256;
  meta.manifest_sha256 = predictions.manifest_sha256;
  meta.config_text = options.config_text;
  meta.aggregation = options.aggregation.has_value() ? aggregation_name(*options.aggregation) : "none";
  meta.n_tracks = rows->n_rows();
  meta.n_examples = predictions.n_rows();
  return results;
}

}  // namespace musictag::eval
