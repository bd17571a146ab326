// curves.svg written as SVG text by hand (the project has no plotting library, and SVG needs none): two panels with
// nice ticks on both axes and the legend above each plot, where it cannot cover a line.
#include "train/curves_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace musictag::train {
namespace {

constexpr double kWidth = 900.0, kHeight = 350.0;
constexpr double kPlotTop = 78.0, kPlotHeight = 220.0, kPlotWidth = 330.0;
constexpr double kTitleY = 26.0, kLegendTop = 38.0, kLegendHeight = 22.0;
constexpr double kCharWidth = 7.5;  // generous average advance of 12 px sans-serif, to size the legend box
constexpr size_t kMaxMarkers = 60;  // point markers only while they do not crowd the line

struct Series {
  std::string name, colour;
  std::vector<double> values;  // one per epoch; NaN = none
};

// Lowest and highest finite value of all series, or [0, 1] when there is none.
std::pair<double, double> value_range(const std::vector<Series>& series) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& s : series)
    for (const double v : s.values)
      if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
  if (!std::isfinite(low)) return {0.0, 1.0};
  return {low, high};
}

// The legend: a box between the title and the plot with a swatch and the name of each series, left to right.
std::string legend(const std::vector<Series>& series, double x0) {
  std::string items;
  double x = x0 + 8.0;
  const double middle = kLegendTop + kLegendHeight / 2.0;
  for (const auto& s : series) {
    items += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2\"/>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\">{}</text>\n",
        x, middle, x + 20.0, middle, s.colour, x + 26.0, middle + 4.0, s.name);
    x += 26.0 + kCharWidth * static_cast<double>(s.name.size()) + 14.0;
  }
  return fmt::format(
             "<rect class=\"legend\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"white\" "
             "stroke=\"#bbb\"/>\n",
             x0, kLegendTop, x - x0 - 6.0, kLegendHeight) +
         items;
}

// One panel: title, legend, plot rectangle with grid, y ticks, epoch ticks, and the series' lines and points.
std::string panel(const std::string& title, const std::vector<int64_t>& epochs, const std::vector<Series>& series,
                  double x0) {
  const double y0 = kPlotTop, w = kPlotWidth, h = kPlotHeight;
  auto [low, high] = value_range(series);
  const double y_step = nice_step(high - low, 5);
  const double y_min = std::floor(low / y_step + 1e-9) * y_step;
  double y_max = std::ceil(high / y_step - 1e-9) * y_step;
  if (y_max <= y_min) y_max = y_min + y_step;
  const double e0 = static_cast<double>(epochs.front());
  const double e1 = std::max(e0 + 1.0, static_cast<double>(epochs.back()));
  const auto px = [&](double e) { return x0 + (e - e0) / (e1 - e0) * w; };
  const auto py = [&](double v) { return y0 + h - (v - y_min) / (y_max - y_min) * h; };

  std::string svg = fmt::format("<g class=\"panel\" data-title=\"{}\">\n", title);
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", x0, kTitleY,
                     title);
  svg += legend(series, x0);
  svg += fmt::format(
      "<rect class=\"plot\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
      "stroke=\"#888\"/>\n",
      x0, y0, w, h);
  for (const double v : ticks_between(y_min, y_max, y_step)) {
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e4e4e4\"/>\n"
        "<text class=\"y-tick\" x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{:g}</text>\n",
        x0, py(v), x0 + w, py(v), x0 - 6.0, py(v) + 4.0, v);
  }
  for (const double e : ticks_between(e0, e1, nice_step(e1 - e0, 6, true))) {
    svg += fmt::format(
        "<line class=\"x-tick-mark\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#888\"/>\n"
        "<text class=\"x-tick\" x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\">{:.0f}</text>\n",
        px(e), y0 + h, px(e), y0 + h + 5.0, px(e), y0 + h + 18.0, e);
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\">epoch</text>\n",
                     x0 + w / 2.0, y0 + h + 36.0);
  for (const auto& s : series) {
    std::string points, markers;
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (!std::isfinite(s.values[i])) continue;
      const double x = px(static_cast<double>(epochs[i])), y = py(s.values[i]);
      points += fmt::format("{:.1f},{:.1f} ", x, y);
      if (s.values.size() <= kMaxMarkers)
        markers += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"/>\n", x, y, s.colour);
    }
    svg += fmt::format(
        "<polyline class=\"series\" data-name=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
        "points=\"{}\"/>\n",
        s.name, s.colour, points);
    svg += markers;
  }
  return svg + "</g>\n";
}

}  // namespace

double nice_step(double span, int target, bool integers) {
  if (!(span > 0.0) || !std::isfinite(span)) return 1.0;
  const double raw = span / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * magnitude;
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw * (1.0 - 1e-9)) {
      step = m * magnitude;
      break;
    }
  }
  return integers ? std::max(step, 1.0) : step;
}

std::vector<double> ticks_between(double min, double max, double step) {
  std::vector<double> ticks;
  if (!(step > 0.0) || !std::isfinite(min) || !std::isfinite(max)) return ticks;
  const auto first = static_cast<int64_t>(std::ceil(min / step - 1e-9));
  const auto last = static_cast<int64_t>(std::floor(max / step + 1e-9));
  for (int64_t k = first; k <= last && ticks.size() < 1000; ++k) ticks.push_back(static_cast<double>(k) * step);
  return ticks;
}

std::string curves_svg(const std::vector<EpochRecord>& records) {
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "font-family=\"sans-serif\">\n<rect width=\"{0:.0f}\" height=\"{1:.0f}\" fill=\"white\"/>\n",
      kWidth, kHeight);
  if (records.empty()) return svg + "<text x=\"20\" y=\"40\">no epochs yet</text>\n</svg>\n";
  std::vector<int64_t> epochs;
  Series train{"training", "#1f77b4", {}}, validation{"validation", "#d62728", {}}, auc{"macro ROC-AUC", "#2ca02c", {}};
  for (const auto& r : records) {
    epochs.push_back(r.epoch);
    train.values.push_back(r.train_loss);
    validation.values.push_back(r.validation_loss);
    auc.values.push_back(r.validation_macro_roc_auc);
  }
  svg += panel("loss", epochs, {train, validation}, 70.0);
  svg += panel("validation macro ROC-AUC", epochs, {auc}, 520.0);
  return svg + "</svg>\n";
}

}  // namespace musictag::train
