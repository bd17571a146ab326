// per_tag_auc.svg: hand-written SVG bar chart of per-tag ROC-AUC (one horizontal bar per tag, macro as a line).
#pragma once

#include <cstddef>
#include <string>

#include "eval/report/eval_results.h"

namespace musictag::eval {

// Which ROC-AUC range the horizontal axis spans.
enum class ChartAxis {
  kAuto,       // 0.5-1.0 when every defined AUC (and the CI) is >= 0.5, else 0-1
  kHalfToOne,  // 0.5-1.0; a bar below 0.5 gets zero width (its value label still shows the number)
  kZeroToOne,  // 0-1
};

// Geometry of the chart, in SVG user units (pixels). Defaults keep 50 tags readable (~1000 px tall).
struct ChartOptions {
  ChartAxis axis = ChartAxis::kAuto;
  double plot_width = 480.0;    // width of the bar area (axis min to axis max), > 0
  double row_height = 18.0;     // per tag, >= 8
  size_t max_label_chars = 32;  // longer tag names are cut with "…" (the full name is in the bar's <title>), >= 4
};

struct ChartAxisRange {
  double min = 0.5;
  double max = 1.0;
};

// The axis range the chart uses for `results` with `axis`.
ChartAxisRange chart_axis_range(const EvalResults& results, ChartAxis axis);

// The SVG document. Tags in tags_by_roc_auc order, one row each: the tag name right-aligned left of the axis, a bar
// <rect class="bar" data-tag="name" data-auc="0.91..."> from the axis minimum with width
// (auc - min) / (max - min) * plot_width, and the value to 4 decimals after it; undefined tags get a row with
// their reason and no bar. The macro ROC-AUC is a dashed vertical line (class "macro") over a band spanning the
// bootstrap CI (class "macro-ci"); grid lines and tick labels every 0.1 at top and bottom. check_eval_results first
// (DataError); ConfigError for bad options.
std::string per_tag_auc_svg(const EvalResults& results, const ChartOptions& options = {});

// Writes per_tag_auc_svg to `path` atomically; DataError naming the file when it cannot.
void write_per_tag_auc_svg(const EvalResults& results, const std::string& path, const ChartOptions& options = {});

}  // namespace musictag::eval
