// evaluate_predictions: segment predictions -> track rows -> metrics + bootstrap interval -> EvalResults.
#pragma once

#include <optional>
#include <string>

#include "eval/metrics/bootstrap.h"
#include "eval/metrics/metrics.h"
#include "eval/report/aggregate.h"
#include "eval/report/eval_results.h"
#include "eval/report/predictions.h"

namespace musictag::eval {

struct EvaluateOptions {
  // Pool rows of the same track first (default mean); nullopt = the rows already are tracks (ids must be unique).
  std::optional<Aggregation> aggregation = Aggregation::kMean;
  MetricsOptions metrics;      // tag_names is filled from the predictions
  BootstrapOptions bootstrap;  // B = 1000, seed 0, 95%
  std::string dataset;         // copied into EvalMetadata
  std::string config_text;     // copied into EvalMetadata
};

// Aggregates (when asked), computes the metrics and the bootstrap interval of the macro ROC-AUC, and fills the
// metadata from the predictions (split, checksums, row counts). DataError for invalid predictions (check_predictions;
// with aggregation nullopt also a repeated track id), ConfigError for bad bootstrap options.
EvalResults evaluate_predictions(const Predictions& predictions, const EvaluateOptions& options = {});

}  // namespace musictag::eval
