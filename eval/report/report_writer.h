// Writes the eval harness' report folder (eval.json, per_tag.csv, report.md, per_tag_auc.svg) and the console line.
#pragma once

#include <string>

#include "eval/report/chart_svg.h"
#include "eval/report/eval_results.h"

namespace musictag::eval {

// The report files inside one output folder.
struct ReportFiles {
  std::string folder;

  std::string json_path() const { return folder + "/eval.json"; }
  std::string csv_path() const { return folder + "/per_tag.csv"; }
  std::string markdown_path() const { return folder + "/report.md"; }
  std::string chart_path() const { return folder + "/per_tag_auc.svg"; }
};

// Creates `folder` when missing and writes the four files, each atomically (.partial + rename), the chart first and
// report.md last, so a report.md that exists refers to complete files. Call on one rank only. DataError naming
// the folder or file when it cannot; ConfigError for bad chart options.
ReportFiles write_report(const EvalResults& results, const std::string& folder, const ChartOptions& chart = {});

// One paragraph for the console, e.g. "macro ROC-AUC 0.9123 [0.9012, 0.9234] · micro 0.9340 · macro PR-AUC 0.5123 ·
// micro PR-AUC 0.6012 · test split, 1234 tracks (mean of 4321 examples), 50 tags (1 undefined: piano) ·
// report: out/eval/report.md" (the report part only when `report_path` is not empty).
std::string format_summary(const EvalResults& results, const std::string& report_path = {});

}  // namespace musictag::eval
