// report.md writer: plain fmt text, GitHub-flavoured tables.
#include "eval/report/report_markdown.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "cluster/files.h"
#include "eval/report/report_format.h"

namespace musictag::eval {
namespace {

std::string or_unknown(const std::string& text) { return text.empty() ? "(not recorded)" : "`" + text + "`"; }

std::string confidence_percent(const BootstrapInterval& i) {
  return std::isnan(i.confidence) || i.confidence <= 0.0 ? "95%" : fmt::format("{:g}%", i.confidence * 100.0);
}

std::string interval_text(const BootstrapInterval& i) {
  if (std::isnan(i.lower) || std::isnan(i.upper) || i.resamples == 0) return "n/a";
  return fmt::format("[{}, {}]", format_fixed(i.lower), format_fixed(i.upper));
}

void write_header(const EvalResults& r, fmt::memory_buffer& out) {
  const EvalMetadata& meta = r.metadata;
  const std::string what = meta.dataset.empty() ? meta.split : meta.dataset + " " + meta.split;
  fmt::format_to(std::back_inserter(out), "# Evaluation: {}\n\n", what.empty() ? "auto-tagger" : what);
  fmt::format_to(std::back_inserter(out), "- Dataset: {}\n", meta.dataset.empty() ? "(not recorded)" : meta.dataset);
  fmt::format_to(std::back_inserter(out), "- Split: {}\n", meta.split.empty() ? "(not recorded)" : meta.split);
  if (meta.aggregation.empty() || meta.aggregation == "none") {
    fmt::format_to(std::back_inserter(out), "- Tracks evaluated: {} (one row per track, no aggregation)\n",
                   meta.n_tracks);
  } else {
    fmt::format_to(std::back_inserter(out),
                   "- Tracks evaluated: {} ({} examples before aggregation, aggregation: {})\n", meta.n_tracks,
                   meta.n_examples, meta.aggregation);
  }
  fmt::format_to(std::back_inserter(out), "- Tags: {} ({} with both classes)\n", r.n_tags(),
                 r.metrics.defined_tags().size());
  fmt::format_to(std::back_inserter(out), "- Checkpoint SHA-256: {}\n", or_unknown(meta.checkpoint_sha256));
  fmt::format_to(std::back_inserter(out), "- Manifest SHA-256: {}\n", or_unknown(meta.manifest_sha256));
  fmt::format_to(std::back_inserter(out),
                 "- The resolved config and every number at full precision are in "
                 "`eval.json`; per-tag values in `per_tag.csv`.\n\n");
}

void write_summary(const EvalResults& r, fmt::memory_buffer& out) {
  const TagMetrics& m = r.metrics;
  const BootstrapInterval& i = r.interval;
  const std::string level = confidence_percent(i);
  fmt::format_to(std::back_inserter(out), "## Summary\n\n");
  fmt::format_to(std::back_inserter(out), "Macro ROC-AUC: **{}** ({} CI {}, {} bootstrap resamples of tracks)\n\n",
                 format_fixed(m.macro_roc_auc), level, interval_text(i), i.resamples);
  fmt::format_to(std::back_inserter(out), "| metric | macro | micro |\n| --- | ---: | ---: |\n");
  fmt::format_to(std::back_inserter(out), "| ROC-AUC | {} ({} CI {}) | {} |\n", format_fixed(m.macro_roc_auc), level,
                 interval_text(i), format_fixed(m.micro_roc_auc));
  fmt::format_to(std::back_inserter(out), "| PR-AUC | {} | {} |\n\n", format_fixed(m.macro_pr_auc),
                 format_fixed(m.micro_pr_auc));
  fmt::format_to(std::back_inserter(out),
                 "Macro averages weigh each tag with both classes equally; micro averages "
                 "pool every (track, tag) pair.\n\n");
}

void write_tag_table(const EvalResults& r, const std::string& chart_file, fmt::memory_buffer& out) {
  const TagMetrics& m = r.metrics;
  fmt::format_to(std::back_inserter(out), "## Per-tag results\n\nSorted by ROC-AUC, best first.\n\n");
  if (!chart_file.empty()) fmt::format_to(std::back_inserter(out), "![Per-tag ROC-AUC]({})\n\n", chart_file);
  fmt::format_to(std::back_inserter(out),
                 "| # | tag | positives | ROC-AUC | PR-AUC |\n| ---: | --- | ---: | ---: | ---: |\n");
  size_t rank = 0;
  for (const size_t t : tags_by_roc_auc(m)) {
    const bool defined = m.roc_auc[t].has_value();
    fmt::format_to(std::back_inserter(out), "| {} | {} | {} | {} | {} |\n", defined ? std::to_string(++rank) : "",
                   escape_markdown_cell(r.tag_names[t]), m.positives[t], format_fixed(m.roc_auc[t]),
                   format_fixed(m.pr_auc[t]));
  }
  fmt::format_to(std::back_inserter(out), "\n");
}

void write_undefined(const EvalResults& r, fmt::memory_buffer& out) {
  std::string lines;
  for (size_t t = 0; t < r.n_tags(); ++t) {
    const std::string reason = undefined_reason(r.metrics, t);
    if (!reason.empty()) lines += fmt::format("- {}: {} in this split\n", escape_markdown_cell(r.tag_names[t]), reason);
  }
  if (lines.empty()) return;
  fmt::format_to(std::back_inserter(out),
                 "## Undefined tags\n\nROC-AUC and PR-AUC need both classes; these tags "
                 "are left out of the macro averages (micro averages include them):\n\n{}\n",
                 lines);
}

}  // namespace

std::string report_markdown(const EvalResults& results, const std::string& chart_file) {
  check_eval_results(results, "report.md");
  fmt::memory_buffer out;
  write_header(results, out);
  write_summary(results, out);
  write_tag_table(results, chart_file, out);
  write_undefined(results, out);
  return fmt::to_string(out);
}

void write_report_markdown(const EvalResults& results, const std::string& path, const std::string& chart_file) {
  write_file_atomically(path, report_markdown(results, chart_file));
}

}  // namespace musictag::eval
