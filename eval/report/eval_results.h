// EvalResults: everything one evaluation produced (metrics, bootstrap interval, counts, tag names, metadata), which
// the report files are written from.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "eval/metrics/bootstrap.h"
#include "eval/metrics/metrics.h"

namespace musictag::eval {

// Where the numbers come from. Every field is copied verbatim into eval.json; report.md shows all but config_text.
struct EvalMetadata {
  std::string dataset;            // source dataset, e.g. "fma_medium"; may be empty
  std::string split;              // evaluated split, e.g. "test"
  std::string checkpoint_sha256;  // may be empty
  std::string manifest_sha256;    // may be empty
  std::string config_text;        // the resolved config (YAML text) of the run; may be empty
  std::string aggregation;        // how segments became tracks: "mean", "max", or "none" (rows already tracks)
  size_t n_tracks = 0;            // rows the metrics were computed on (= metrics.n_examples)
  size_t n_examples = 0;          // rows before aggregation (segments)
};

struct EvalResults {
  std::vector<std::string> tag_names;  // column order, one per metrics tag
  TagMetrics metrics;
  BootstrapInterval interval;  // of the macro ROC-AUC
  EvalMetadata metadata;

  size_t n_tags() const { return tag_names.size(); }
};

// DataError (prefixed with `context`) unless tag_names has one name per tag and metrics' per-tag vectors agree.
void check_eval_results(const EvalResults& results, const std::string& context);

// Display order of the tags: defined ROC-AUC descending (ties: column order), then undefined tags in column order.
std::vector<size_t> tags_by_roc_auc(const TagMetrics& metrics);

// Why a tag has no ROC-AUC / PR-AUC: "no positive examples" or "no negative examples"; empty when it has them.
std::string undefined_reason(const TagMetrics& metrics, size_t tag);

}  // namespace musictag::eval
