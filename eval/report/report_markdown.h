// report.md: title, dataset and checkpoint, macro/micro ROC-AUC and PR-AUC with the CI, per-tag table, undefined tags.
#pragma once

#include <string>

#include "eval/report/eval_results.h"

namespace musictag::eval {

// The Markdown text. Numbers to 4 decimals. Sections: "# Evaluation: <dataset> <split>", a bullet list of the
// run (split, tracks, examples, aggregation, checksums), "## Summary" with a line
// "Macro ROC-AUC: **0.9123** (95% CI [0.9012, 0.9234], 1000 bootstrap resamples)" and a table of the four averages,
// "## Per-tag results" (rank, tag, positives, ROC-AUC, PR-AUC in tags_by_roc_auc order; undefined tags last with
// "n/a"), "## Undefined tags" (each with its reason) when there are any, and the chart `chart_file` when not empty.
// check_eval_results first (DataError).
std::string report_markdown(const EvalResults& results, const std::string& chart_file = "per_tag_auc.svg");

// Writes report_markdown to `path` atomically; DataError naming the file when it cannot.
void write_report_markdown(const EvalResults& results, const std::string& path,
                           const std::string& chart_file = "per_tag_auc.svg");

}  // namespace musictag::eval
