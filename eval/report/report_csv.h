// per_tag.csv: tag, positives, roc_auc, pr_auc; one row per tag sorted by ROC-AUC descending, undefined tags last.
#pragma once

#include <string>

#include "eval/report/eval_results.h"

namespace musictag::eval {

// The CSV text: header "tag,positives,roc_auc,pr_auc", rows in tags_by_roc_auc order, RFC 4180 quoting of tag
// names when needed, AUCs as round-trip decimals (exact doubles), empty fields for undefined values.
// check_eval_results first (DataError).
std::string per_tag_csv(const EvalResults& results);

// Writes per_tag_csv to `path` atomically; DataError naming the file when it cannot.
void write_per_tag_csv(const EvalResults& results, const std::string& path);

}  // namespace musictag::eval
