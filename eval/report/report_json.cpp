// eval.json writer. nlohmann's dtoa prints the shortest text that parses back to the same double, so the numbers
// are exact; NaN / undefined values are written as explicit nulls.
#include "eval/report/report_json.h"

#include <cmath>
#include <optional>

#include "cluster/files.h"
#include "preprocess/format/sha256.h"

namespace musictag::eval {
namespace {

nlohmann::json number_or_null(double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); }

nlohmann::json number_or_null(const std::optional<double>& value) {
  return value.has_value() ? number_or_null(*value) : nlohmann::json();
}

nlohmann::json metadata_json(const EvalMetadata& m) {
  return {{"dataset", m.dataset},
          {"split", m.split},
          {"aggregation", m.aggregation},
          {"n_tracks", m.n_tracks},
          {"n_examples", m.n_examples},
          {"checkpoint_sha256", m.checkpoint_sha256},
          {"manifest_sha256", m.manifest_sha256},
          {"config_sha256", preprocess::sha256_hex(m.config_text)},
          {"config", m.config_text}};
}

nlohmann::json interval_json(const BootstrapInterval& i) {
  return {{"estimate", number_or_null(i.estimate)},
          {"lower", number_or_null(i.lower)},
          {"upper", number_or_null(i.upper)},
          {"confidence", number_or_null(i.confidence)},
          {"resamples", i.resamples},
          {"resamples_used", i.resamples_used},
          {"skipped_tag_resamples", i.skipped_tag_resamples}};
}

}  // namespace

nlohmann::json eval_results_to_json(const EvalResults& results) {
  check_eval_results(results, "eval.json");
  const TagMetrics& m = results.metrics;
  nlohmann::json tags = nlohmann::json::array();
  nlohmann::json undefined = nlohmann::json::array();
  for (size_t t = 0; t < results.n_tags(); ++t) {
    nlohmann::json tag = {{"name", results.tag_names[t]},
                          {"column", t},
                          {"positives", m.positives[t]},
                          {"negatives", m.n_examples - m.positives[t]},
                          {"roc_auc", number_or_null(m.roc_auc[t])},
                          {"pr_auc", number_or_null(m.pr_auc[t])}};
    const std::string reason = undefined_reason(m, t);
    if (!reason.empty()) {
      tag["undefined_reason"] = reason;
      undefined.push_back(results.tag_names[t]);
    }
    tags.push_back(std::move(tag));
  }
  const nlohmann::json summary = {{"n_examples", m.n_examples},
                                  {"n_tags", results.n_tags()},
                                  {"n_defined_tags", results.n_tags() - undefined.size()},
                                  {"macro_roc_auc", number_or_null(m.macro_roc_auc)},
                                  {"macro_pr_auc", number_or_null(m.macro_pr_auc)},
                                  {"micro_roc_auc", number_or_null(m.micro_roc_auc)},
                                  {"micro_pr_auc", number_or_null(m.micro_pr_auc)},
                                  {"macro_roc_auc_ci", interval_json(results.interval)}};
  return {{"format_version", kEvalJsonFormatVersion},
          {"metadata", metadata_json(results.metadata)},
          {"summary", summary},
          {"tags", std::move(tags)},
          {"undefined_tags", std::move(undefined)}};
}

void write_eval_json(const EvalResults& results, const std::string& path) {
  // Invalid UTF-8 in a tag name or the config text becomes U+FFFD rather than failing the whole report.
  const auto replace_invalid = nlohmann::json::error_handler_t::replace;
  write_file_atomically(path, eval_results_to_json(results).dump(2, ' ', false, replace_invalid) + "\n");
}

}  // namespace musictag::eval
