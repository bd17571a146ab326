// write_report: the four report files in order (chart, CSV, JSON, Markdown); format_summary for the console.
#include "eval/report/report_writer.h"

#include <fmt/format.h>

#include <cmath>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "eval/report/report_csv.h"
#include "eval/report/report_format.h"
#include "eval/report/report_json.h"
#include "eval/report/report_markdown.h"

namespace musictag::eval {

ReportFiles write_report(const EvalResults& results, const std::string& folder, const ChartOptions& chart) {
  check_eval_results(results, fmt::format("report folder '{}'", folder));
  make_folders(folder);
  const ReportFiles files{folder};
  write_per_tag_auc_svg(results, files.chart_path(), chart);
  write_per_tag_csv(results, files.csv_path());
  write_eval_json(results, files.json_path());
  write_report_markdown(results, files.markdown_path(), "per_tag_auc.svg");
  return files;
}

std::string format_summary(const EvalResults& r, const std::string& report_path) {
  const TagMetrics& m = r.metrics;
  const BootstrapInterval& i = r.interval;
  std::string text = fmt::format("macro ROC-AUC {}", format_fixed(m.macro_roc_auc));
  if (!std::isnan(i.lower) && !std::isnan(i.upper) && i.resamples > 0) {
    text += fmt::format(" [{}, {}]", format_fixed(i.lower), format_fixed(i.upper));
  }
  text += fmt::format(" \u00b7 micro {} \u00b7 macro PR-AUC {} \u00b7 micro PR-AUC {}", format_fixed(m.micro_roc_auc),
                      format_fixed(m.macro_pr_auc), format_fixed(m.micro_pr_auc));
  const EvalMetadata& meta = r.metadata;
  text += fmt::format(" \u00b7 {} split, {} tracks", meta.split.empty() ? "unnamed" : meta.split, meta.n_tracks);
  if (!meta.aggregation.empty() && meta.aggregation != "none") {
    text += fmt::format(" ({} of {} examples)", meta.aggregation, meta.n_examples);
  }
  std::vector<std::string> undefined;
  for (size_t t = 0; t < r.n_tags() && t < m.n_tags(); ++t) {
    if (!m.roc_auc[t].has_value()) undefined.push_back(r.tag_names[t]);
  }
  text += fmt::format(", {} tags", r.n_tags());
  if (!undefined.empty()) {
    constexpr size_t kNamed = 5;
    std::string names;
    for (size_t k = 0; k < undefined.size() && k < kNamed; ++k) names += (k > 0 ? ", " : "") + undefined[k];
    if (undefined.size() > kNamed) names += fmt::format(", … {} more", undefined.size() - kNamed);
    text += fmt::format(" ({} undefined: {})", undefined.size(), names);
  }
  if (!report_path.empty()) text += fmt::format(" \u00b7 report: {}", report_path);
  return text;
}

}  // namespace musictag::eval
