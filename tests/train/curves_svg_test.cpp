// curves.svg parsed back: the legend lies outside every plot rectangle, the epoch axis has nice increasing ticks
// with labels, y ticks increase upwards, and every line stays inside its plot. nice_step/ticks_between by value.
#include "train/curves_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

namespace musictag::train {
namespace {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
  bool overlaps(const Box& o) const { return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h; }
  bool contains(double px, double py, double slack = 0.5) const {
    return px >= x - slack && px <= x + w + slack && py >= y - slack && py <= y + h + slack;
  }
};

struct Tick {
  double x, y, value;
};

struct Panel {
  std::string title;
  Box plot, legend;
  std::vector<Tick> x_ticks, y_ticks;
  std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> series;  // name, points
  std::string text;
};

Box box_of(const std::string& svg, const std::string& cls) {
  const std::regex rect("<rect class=\"" + cls + R"re(" x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)")re");
  std::smatch m;
  if (!std::regex_search(svg, m, rect)) ADD_FAILURE() << "no rect of class " << cls;
  return m.empty() ? Box{} : Box{std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4])};
}

std::vector<Tick> ticks_of(const std::string& svg, const std::string& cls) {
  const std::regex text("<text class=\"" + cls + R"re(" x="([^"]+)" y="([^"]+)"[^>]*>([^<]+)</text>)re");
  std::vector<Tick> ticks;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator(); ++it)
    ticks.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3])});
  return ticks;
}

std::vector<Panel> panels_of(const std::string& svg) {
  std::vector<Panel> panels;
  const std::regex group(R"re(<g class="panel" data-title="([^"]+)">([\s\S]*?)</g>)re");
  const std::regex line(R"re(<polyline class="series" data-name="([^"]+)"[^>]*points="([^"]*)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), group); it != std::sregex_iterator(); ++it) {
    Panel p;
    p.title = (*it)[1];
    p.text = (*it)[2];
    p.plot = box_of(p.text, "plot");
    p.legend = box_of(p.text, "legend");
    p.x_ticks = ticks_of(p.text, "x-tick");
    p.y_ticks = ticks_of(p.text, "y-tick");
    for (auto l = std::sregex_iterator(p.text.begin(), p.text.end(), line); l != std::sregex_iterator(); ++l) {
      std::vector<std::pair<double, double>> points;
      const std::string text = (*l)[2];
      const std::regex point(R"(([-0-9.]+),([-0-9.]+))");
      for (auto q = std::sregex_iterator(text.begin(), text.end(), point); q != std::sregex_iterator(); ++q)
        points.emplace_back(std::stod((*q)[1]), std::stod((*q)[2]));
      p.series.emplace_back((*l)[1], points);
    }
    panels.push_back(p);
  }
  return panels;
}

std::vector<EpochRecord> run_of(int epochs, int first = 0) {
  std::vector<EpochRecord> records;
  for (int e = first; e < first + epochs; ++e) {
    EpochRecord r;
    r.epoch = e;
    r.train_loss = 0.7 * std::exp(-0.05 * e) + 0.05;
    r.validation_loss = 0.72 * std::exp(-0.04 * e) + 0.08;
    r.validation_macro_roc_auc = 0.5 + 0.45 * (1.0 - std::exp(-0.1 * e));
    records.push_back(r);
  }
  return records;
}

// A nice step: 1, 2 or 5 times a power of ten.
bool is_nice(double step) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double mantissa = step / magnitude;
  return std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 || std::abs(mantissa - 5) < 1e-6;
}

void expect_readable(const std::string& svg, int first_epoch, int last_epoch) {
  const auto panels = panels_of(svg);
  ASSERT_EQ(panels.size(), 2u) << svg;
  for (const Panel& p : panels) {
    SCOPED_TRACE(p.title);
    EXPECT_GT(p.plot.w, 100.0);
    EXPECT_GT(p.legend.w, 0.0);
    EXPECT_FALSE(p.legend.overlaps(p.plot)) << "legend covers the plot";

    // Epoch axis: at least two labelled ticks, increasing in value and position, equally spaced by a nice integer
    // step, all under the plot and within the run's epochs.
    ASSERT_GE(p.x_ticks.size(), 2u);
    const double step = p.x_ticks[1].value - p.x_ticks[0].value;
    EXPECT_TRUE(is_nice(step) && step >= 1.0) << step;
    for (size_t i = 0; i < p.x_ticks.size(); ++i) {
      const Tick& t = p.x_ticks[i];
      EXPECT_EQ(t.value, std::round(t.value));
      EXPECT_GE(t.value, first_epoch);
      EXPECT_LE(t.value, std::max(last_epoch, first_epoch + 1));
      EXPECT_GT(t.y, p.plot.y + p.plot.h);
      EXPECT_TRUE(p.plot.contains(t.x, p.plot.y)) << "tick at x " << t.x << " outside the plot's width";
      if (i > 0) {
        EXPECT_NEAR(t.value - p.x_ticks[i - 1].value, step, 1e-9);
        EXPECT_GT(t.x, p.x_ticks[i - 1].x);
      }
    }
    EXPECT_NE(p.text.find(">epoch</text>"), std::string::npos);

    // Value axis: labels increase upwards, on nice values.
    ASSERT_GE(p.y_ticks.size(), 2u);
    EXPECT_TRUE(is_nice(p.y_ticks[1].value - p.y_ticks[0].value));
    for (size_t i = 1; i < p.y_ticks.size(); ++i) {
      EXPECT_GT(p.y_ticks[i].value, p.y_ticks[i - 1].value);
      EXPECT_LT(p.y_ticks[i].y, p.y_ticks[i - 1].y);
    }

    // Every series is drawn inside its plot and named inside the legend box.
    ASSERT_FALSE(p.series.empty());
    for (const auto& [name, points] : p.series) {
      EXPECT_FALSE(points.empty()) << name;
      for (const auto& [x, y] : points) EXPECT_TRUE(p.plot.contains(x, y)) << name << " point " << x << "," << y;
      const std::regex label(R"re(<text x="([^"]+)" y="([^"]+)"[^>]*>)re" + name + "</text>");
      std::smatch m;
      ASSERT_TRUE(std::regex_search(p.text, m, label)) << "no legend entry for " << name;
      EXPECT_TRUE(p.legend.contains(std::stod(m[1]), std::stod(m[2]))) << name << " is not in the legend box";
    }
  }
}

TEST(CurvesSvg, LegendOutsideThePlotsAndNiceEpochTicks) {
  const std::string svg = curves_svg(run_of(40));
  expect_readable(svg, 0, 39);
  const auto panels = panels_of(svg);
  EXPECT_EQ(panels[0].title, "loss");
  ASSERT_EQ(panels[0].series.size(), 2u);
  EXPECT_EQ(panels[0].series[0].second.size(), 40u);
  // 0..39 in about 6 intervals: a tick every 10 epochs.
  std::vector<double> labels;
  for (const Tick& t : panels[0].x_ticks) labels.push_back(t.value);
  EXPECT_EQ(labels, (std::vector<double>{0, 10, 20, 30}));
}

TEST(CurvesSvg, FewEpochsResumedRunsAndMissingValues) {
  expect_readable(curves_svg(run_of(1)), 0, 0);
  expect_readable(curves_svg(run_of(3, 5)), 5, 7);
  auto records = run_of(12, 1);
  records[0].validation_macro_roc_auc = NAN;  // no tag with both classes in validation yet
  const std::string svg = curves_svg(records);
  expect_readable(svg, 1, 12);
  EXPECT_EQ(panels_of(svg)[1].series[0].second.size(), 11u);  // the NaN epoch is skipped
  EXPECT_NE(curves_svg({}).find("no epochs yet"), std::string::npos);
}

TEST(CurvesSvg, NiceStepsAndTicks) {
  EXPECT_DOUBLE_EQ(nice_step(10.0, 5), 2.0);
  EXPECT_DOUBLE_EQ(nice_step(39.0, 6, true), 10.0);
  EXPECT_DOUBLE_EQ(nice_step(0.3, 5), 0.1);
  EXPECT_DOUBLE_EQ(nice_step(0.04, 5), 0.01);
  EXPECT_DOUBLE_EQ(nice_step(2.0, 6, true), 1.0);  // never a fraction of an epoch
  EXPECT_DOUBLE_EQ(nice_step(0.0, 5), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(700.0, 5), 200.0);
  EXPECT_EQ(ticks_between(1.0, 40.0, 10.0), (std::vector<double>{10, 20, 30, 40}));
  const auto fifths = ticks_between(0.0, 1.0, 0.2);
  ASSERT_EQ(fifths.size(), 6u);
  EXPECT_NEAR(fifths[3], 0.6, 1e-12);
  EXPECT_NEAR(fifths[5], 1.0, 1e-12);
  EXPECT_TRUE(ticks_between(0.0, 1.0, 0.0).empty());
}

}  // namespace
}  // namespace musictag::train
