// eval.json: every number of an EvalResults (doubles round-trip exactly), undefined tags as null plus their list.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "eval/report/eval_results.h"

namespace musictag::eval {

// Format version of eval.json ("format_version").
inline constexpr int kEvalJsonFormatVersion = 1;

// The document written to eval.json:
// {"format_version", "metadata": {dataset, split, aggregation, n_tracks, n_examples, checkpoint_sha256,
//   manifest_sha256, config_sha256, config},
//  "summary": {macro_roc_auc, macro_pr_auc, micro_roc_auc, micro_pr_auc (null when NaN), n_tags, n_defined_tags,
//   "macro_roc_auc_ci": {estimate, lower, upper, confidence, resamples, resamples_used, skipped_tag_resamples}},
//  "tags": [{name, column, positives, negatives, roc_auc, pr_auc (null when undefined), undefined_reason?}] in column
//   order, "undefined_tags": [names]}.
// check_eval_results first (DataError).
nlohmann::json eval_results_to_json(const EvalResults& results);

// Writes eval_results_to_json, pretty-printed, to `path` atomically. DataError naming the file when it cannot.
void write_eval_json(const EvalResults& results, const std::string& path);

}  // namespace musictag::eval
