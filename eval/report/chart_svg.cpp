// Per-tag ROC-AUC bar chart written as SVG text by hand: the project has no plotting library, and SVG needs none.
#include "eval/report/chart_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "eval/report/report_format.h"

namespace musictag::eval {
namespace {

constexpr double kCharWidth = 7.0;   // generous average advance of 12 px sans-serif, to size the label column
constexpr double kTopMargin = 80.0;  // title, subtitle, top tick labels
constexpr double kBottomMargin = 46.0;
constexpr double kRightMargin = 70.0;  // value labels of bars that end near the axis maximum
const char* const kBarColor = "#4e79a7";
const char* const kMacroColor = "#e15759";

// Cuts `name` to `max_chars` characters (UTF-8 aware: counts and cuts at code point starts), ending with "…".
std::string shorten(const std::string& name, size_t max_chars) {
  size_t chars = 0, cut = std::string::npos;
  for (size_t i = 0; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars - 1) cut = i;
    if (++chars > max_chars) return name.substr(0, cut) + "\u2026";
  }
  return name;
}

size_t display_chars(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void check_options(const ChartOptions& o) {
  if (!(o.plot_width > 0.0) || !std::isfinite(o.plot_width)) {
    throw ConfigError(fmt::format("chart plot_width: must be in (0,inf), got {}", o.plot_width));
  }
  if (!(o.row_height >= 8.0) || !std::isfinite(o.row_height)) {
    throw ConfigError(fmt::format("chart row_height: must be in [8,inf), got {}", o.row_height));
  }
  if (o.max_label_chars < 4) {
    throw ConfigError(fmt::format("chart max_label_chars: must be in [4,inf), got {}", o.max_label_chars));
  }
}

}  // namespace

ChartAxisRange chart_axis_range(const EvalResults& results, ChartAxis axis) {
  if (axis == ChartAxis::kZeroToOne) return {0.0, 1.0};
  if (axis == ChartAxis::kHalfToOne) return {0.5, 1.0};
  bool all_above_half = true;
  for (const auto& auc : results.metrics.roc_auc) all_above_half &= !auc.has_value() || *auc >= 0.5;
  for (const double v : {results.metrics.macro_roc_auc, results.interval.lower}) {
    all_above_half &= std::isnan(v) || v >= 0.5;
  }
  return all_above_half ? ChartAxisRange{0.5, 1.0} : ChartAxisRange{0.0, 1.0};
}

std::string per_tag_auc_svg(const EvalResults& r, const ChartOptions& options) {
  check_eval_results(r, "per_tag_auc.svg");
  check_options(options);
  const TagMetrics& m = r.metrics;
  const ChartAxisRange range = chart_axis_range(r, options.axis);
  const std::vector<size_t> order = tags_by_roc_auc(m);

  std::vector<std::string> labels;
  size_t longest = 4;
  for (const size_t t : order) {
    labels.push_back(shorten(r.tag_names[t], options.max_label_chars));
    longest = std::max(longest, display_chars(labels.back()));
  }
  const double left = 16.0 + kCharWidth * static_cast<double>(longest);
  const double plot_w = options.plot_width, row_h = options.row_height;
  const double top = kTopMargin, plot_h = row_h * static_cast<double>(order.size());
  const double width = left + plot_w + kRightMargin, height = top + plot_h + kBottomMargin;
  const auto x_of = [&](double auc) {
    return left + std::clamp((auc - range.min) / (range.max - range.min), 0.0, 1.0) * plot_w;
  };

  fmt::memory_buffer out;
  auto put = [&out](auto&&... args) { fmt::format_to(std::back_inserter(out), args...); };
  put(R"(<?xml version="1.0" encoding="UTF-8"?>)"
      "\n");
  put(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{:.0f}" height="{:.0f}" viewBox="0 0 {:.0f} {:.0f}" )"
      R"(font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">)"
      "\n",
      width, height, width, height);
  put(R"(<rect width="100%" height="100%" fill="#ffffff"/>)"
      "\n");
  const std::string what = r.metadata.dataset.empty() ? r.metadata.split : r.metadata.dataset + " " + r.metadata.split;
  put(R"(<text x="{:.2f}" y="22" font-size="16" font-weight="bold">Per-tag ROC-AUC{}</text>)"
      "\n",
      10.0, escape_xml(what.empty() ? "" : " \u2014 " + what));
  put(R"(<text x="{:.2f}" y="40" fill="#555555">{} tracks, {} tags; dashed line: macro ROC-AUC {} )"
      R"((shaded: {:g}% CI{})</text>)"
      "\n",
      10.0, r.metadata.n_tracks, r.n_tags(), format_fixed(m.macro_roc_auc),
      std::isnan(r.interval.confidence) ? 95.0 : r.interval.confidence * 100.0,
      std::isnan(r.interval.lower)
          ? " n/a"
          : fmt::format(" {}\u2013{}", format_fixed(r.interval.lower), format_fixed(r.interval.upper)));

  // Zebra rows, then grid lines and tick labels every 0.1.
  for (size_t k = 1; k < order.size(); k += 2) {
    put(R"(<rect class="row" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="#f3f3f3"/>)"
        "\n",
        4.0, top + row_h * static_cast<double>(k), width - 8.0, row_h);
  }
  const int first_tick = static_cast<int>(std::lround(range.min * 10.0));
  for (int tick = first_tick; tick <= 10; ++tick) {
    const double x = x_of(tick / 10.0);
    put(R"(<line class="grid" x1="{:.2f}" y1="{:.2f}" x2="{:.2f}" y2="{:.2f}" stroke="#cccccc"/>)"
        "\n",
        x, top, x, top + plot_h);
    for (const double y : {top - 6.0, top + plot_h + 16.0}) {
      put(R"(<text class="tick" x="{:.2f}" y="{:.2f}" text-anchor="middle" fill="#555555">{:.1f}</text>)"
          "\n",
          x, y, tick / 10.0);
    }
  }
  put(R"(<text x="{:.2f}" y="{:.2f}" text-anchor="middle" fill="#333333">ROC-AUC</text>)"
      "\n",
      left + plot_w / 2, top + plot_h + 36.0);

  // Macro CI band and line under the bars' labels but above the grid.
  if (!std::isnan(r.interval.lower) && !std::isnan(r.interval.upper)) {
    const double x0 = x_of(r.interval.lower), x1 = x_of(r.interval.upper);
    put(R"(<rect class="macro-ci" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="{}" )"
        R"(fill-opacity="0.15"/>)"
        "\n",
        x0, top, std::max(x1 - x0, 0.0), plot_h, kMacroColor);
  }

  // One row per tag: label and bar (or the reason it has none); value labels come after the macro line.
  const double bar_h = std::max(row_h - 6.0, 4.0);
  const auto text_y = [&](size_t k) { return top + row_h * static_cast<double>(k) + row_h / 2.0 + 4.0; };
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t t = order[k];
    const double y = top + row_h * static_cast<double>(k);
    const std::string name = escape_xml(r.tag_names[t]);
    put(R"(<text class="label" x="{:.2f}" y="{:.2f}" text-anchor="end">{}</text>)"
        "\n",
        left - 6.0, text_y(k), escape_xml(labels[k]));
    if (!m.roc_auc[t].has_value()) {
      put(R"(<text class="undefined" x="{:.2f}" y="{:.2f}" fill="#888888" font-style="italic">n/a ({})</text>)"
          "\n",
          left + 4.0, text_y(k), escape_xml(undefined_reason(m, t)));
      continue;
    }
    const double auc = *m.roc_auc[t];
    put(R"(<rect class="bar" data-tag="{}" data-auc="{}" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" )"
        R"(fill="{}"><title>{}: ROC-AUC {}, PR-AUC {}, {} positives</title></rect>)"
        "\n",
        name, format_round_trip(auc), left, y + (row_h - bar_h) / 2.0, x_of(auc) - left, bar_h, kBarColor, name,
        format_fixed(auc), format_fixed(m.pr_auc[t]), m.positives[t]);
  }

  if (!std::isnan(m.macro_roc_auc)) {
    const double x = x_of(m.macro_roc_auc);
    put(R"(<line class="macro" x1="{:.2f}" y1="{:.2f}" x2="{:.2f}" y2="{:.2f}" stroke="{}" stroke-width="2" )"
        R"(stroke-dasharray="6 4"><title>macro ROC-AUC {}</title></line>)"
        "\n",
        x, top - 18.0, x, top + plot_h, kMacroColor, format_fixed(m.macro_roc_auc));
    put(R"(<text class="macro-label" x="{:.2f}" y="{:.2f}" text-anchor="middle" fill="{}" font-weight="bold">)"
        R"(macro {}</text>)"
        "\n",
        x, top - 22.0, kMacroColor, format_fixed(m.macro_roc_auc));
  }

  // Value labels last, with a white halo so the macro line never hides a digit.
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& auc = m.roc_auc[order[k]];
    if (!auc.has_value()) continue;
    put(R"(<text class="value" x="{:.2f}" y="{:.2f}" fill="#333333" stroke="#ffffff" stroke-width="3" )"
        R"(paint-order="stroke">{}</text>)"
        "\n",
        x_of(*auc) + 4.0, text_y(k), format_fixed(*auc));
  }
  put("</svg>\n");
  return fmt::to_string(out);
}

void write_per_tag_auc_svg(const EvalResults& results, const std::string& path, const ChartOptions& options) {
  write_file_atomically(path, per_tag_auc_svg(results, options));
}

}  // namespace musictag::eval
