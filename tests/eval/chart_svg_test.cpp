// per_tag_auc.svg: well-formed XML (own checker, and python's xml.etree when MUSICTAG_VENV is set), one bar per
// defined tag in AUC order with widths proportional to AUC, the macro line, axis choice, 50-tag layout.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cluster/errors.h"
#include "eval/report/chart_svg.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

using ChartSvg = testing::ReportFolderTest;

// Minimal well-formedness check: every element closed in order, attribute values quoted, '&' only in entities.
// Returns an empty string when fine, else what is wrong.
std::string xml_problem(const std::string& xml) {
  std::vector<std::string> open;
  const std::regex entity("^&(amp|lt|gt|quot|apos);");
  for (size_t i = 0; i < xml.size();) {
    if (xml[i] == '&' && !std::regex_search(xml.substr(i, 8), entity)) return "bare & at " + std::to_string(i);
    if (xml[i] != '<') {
      if (xml[i] == '>') return "bare > at " + std::to_string(i);
      ++i;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    for (; end < xml.size(); ++end) {  // the tag's '>' outside attribute quotes
      if (quote != 0) {
        if (xml[end] == quote)
          quote = 0;
        else if (xml[end] == '<')
          return "'<' in an attribute at " + std::to_string(end);
      } else if (xml[end] == '"' || xml[end] == '\'') {
        quote = xml[end];
      } else if (xml[end] == '>') {
        break;
      }
    }
    if (end >= xml.size()) return "unterminated tag at " + std::to_string(i);
    const std::string tag = xml.substr(i + 1, end - i - 1);
    for (size_t a = 0; a < tag.size(); ++a) {  // '&' in attribute values must be entities too
      if (tag[a] == '&' && !std::regex_search(tag.substr(a, 8), entity)) return "bare & in tag " + tag;
    }
    if (tag[0] == '?') {
      // declaration
    } else if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return "unbalanced </" + tag.substr(1) + ">";
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
    }
    i = end + 1;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

struct Bar {
  std::string tag;
  double auc, x, y, width;
};

std::vector<Bar> bars_of(const std::string& svg) {
  const std::regex bar(R"re(<rect class="bar" data-tag="([^"]*)" data-auc="([^"]*)" x="([^"]*)" y="([^"]*)" )re"
                       R"re(width="([^"]*)")re");
  std::vector<Bar> bars;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    bars.push_back({m[1], std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), std::stod(m[5])});
  }
  return bars;
}

double attribute_of(const std::string& svg, const std::string& element_start, const std::string& name) {
  const size_t at = svg.find(element_start);
  if (at == std::string::npos) return -1.0;
  const size_t value = svg.find(name + "=\"", at) + name.size() + 2;
  return std::stod(svg.substr(value));
}

TEST(ChartSvgXml, CheckerCatchesBrokenDocuments) {
  EXPECT_EQ(xml_problem("<a><b x=\"1\"/>t &amp; u</a>"), "");
  EXPECT_NE(xml_problem("<a><b></a>"), "");
  EXPECT_NE(xml_problem("<a>x & y</a>"), "");
  EXPECT_NE(xml_problem("<a x=\"<\"/>"), "");
}

TEST_F(ChartSvg, OneBarPerDefinedTagWidthsProportionalToAuc) {
  const EvalResults r = testing::sample_results();
  const std::string svg = per_tag_auc_svg(r);
  EXPECT_EQ(xml_problem(svg), "");
  const std::vector<Bar> bars = bars_of(svg);
  ASSERT_EQ(bars.size(), 4u) << svg;  // piano and loud are undefined: a row with the reason, no bar
  EXPECT_EQ(bars[0].tag, "a,b &quot;quoted&quot;");
  EXPECT_EQ(bars[1].tag, "pipe|tag");
  EXPECT_EQ(bars[2].tag, "rock");
  EXPECT_EQ(bars[3].tag, "&lt;jazz &amp; blues&gt;");
  // Axis 0.5-1.0 (every AUC >= 0.5), plot width 480: width = (auc - 0.5) / 0.5 * 480, printed to 0.01.
  EXPECT_DOUBLE_EQ(bars[0].width, 432.0);
  EXPECT_DOUBLE_EQ(bars[2].width, 299.85);  // (0.8123456789 - 0.5) * 960 = 299.8518...
  EXPECT_DOUBLE_EQ(bars[3].width, 105.6);
  EXPECT_EQ(bars[2].auc, 0.8123456789012345);  // data-auc is the round-trip value
  for (size_t k = 0; k < bars.size(); ++k) {
    EXPECT_NEAR(bars[k].width, (bars[k].auc - 0.5) / 0.5 * 480.0, 0.005) << bars[k].tag;
    EXPECT_EQ(bars[k].x, bars[0].x);
    if (k > 0) {
      EXPECT_DOUBLE_EQ(bars[k].y - bars[k - 1].y, 18.0);  // one row each, sorted top to bottom
    }
  }
  // Macro line at (0.8305864 - 0.5) * 960 = 317.36 right of the axis start, its label and CI band.
  EXPECT_NEAR(attribute_of(svg, "<line class=\"macro\"", "x1") - bars[0].x, 317.36, 0.006);
  EXPECT_NE(svg.find(">macro 0.8306</text>"), std::string::npos);
  EXPECT_NEAR(attribute_of(svg, "<rect class=\"macro-ci\"", "x") - bars[0].x, (0.7512345678901234 - 0.5) * 960, 0.006);
  // Value labels, tick labels of the 0.5-1.0 axis, undefined rows.
  EXPECT_NE(svg.find("paint-order=\"stroke\">0.8123</text>"), std::string::npos);
  EXPECT_NE(svg.find(">0.5</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">0.4</text>"), std::string::npos);
  EXPECT_NE(svg.find("n/a (no positive examples)"), std::string::npos);
  EXPECT_NE(svg.find("n/a (no negative examples)"), std::string::npos);
}

TEST_F(ChartSvg, AucBelowHalfSwitchesToZeroToOneAxis) {
  EvalResults r = testing::sample_results();
  r.metrics.roc_auc[3] = 0.25;
  EXPECT_EQ(chart_axis_range(r, ChartAxis::kAuto).min, 0.0);
  EXPECT_EQ(chart_axis_range(r, ChartAxis::kHalfToOne).min, 0.5);
  const std::vector<Bar> bars = bars_of(per_tag_auc_svg(r));
  ASSERT_EQ(bars.size(), 4u);
  EXPECT_EQ(bars[3].auc, 0.25);
  EXPECT_DOUBLE_EQ(bars[3].width, 120.0);  // 0.25 * 480
  EXPECT_DOUBLE_EQ(bars[0].width, 456.0);  // 0.95 * 480
  // Forced 0.5-1.0: the bar below 0.5 has zero width.
  ChartOptions half;
  half.axis = ChartAxis::kHalfToOne;
  EXPECT_DOUBLE_EQ(bars_of(per_tag_auc_svg(r, half))[3].width, 0.0);
}

EvalResults fifty_tag_results() {
  const size_t n = 50;
  EvalResults r;
  r.metrics.n_examples = 500;
  for (size_t t = 0; t < n; ++t) {
    r.tag_names.push_back(t == 7 ? "an exceedingly long tag name that goes on and on" : "tag-" + std::to_string(t));
    r.metrics.positives.push_back(10 + t);
    r.metrics.roc_auc.push_back(0.55 + 0.009 * static_cast<double>((t * 17) % n));
    r.metrics.pr_auc.push_back(0.3);
  }
  r.metrics.macro_roc_auc = 0.77;
  r.interval = {0.77, 0.75, 0.79, 0.95, 1000, 1000, 0};
  r.metadata.n_tracks = 500;
  return r;
}

TEST_F(ChartSvg, FiftyTagsStayReadable) {
  const size_t n = 50;
  const EvalResults r = fifty_tag_results();
  const std::string path = file("per_tag_auc.svg");
  write_per_tag_auc_svg(r, path, {});
  std::ifstream in(path);
  const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(xml_problem(svg), "");
  const std::vector<Bar> bars = bars_of(svg);
  ASSERT_EQ(bars.size(), n);
  for (size_t k = 1; k < n; ++k) EXPECT_GE(bars[k - 1].auc, bars[k].auc);
  // Long names are cut to 32 characters with an ellipsis; the bar's <title> keeps the full name.
  EXPECT_NE(svg.find(">an exceedingly long tag name th\u2026</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>an exceedingly long tag name that goes on and on: ROC-AUC"), std::string::npos);
  const double height = attribute_of(svg, "<svg ", "height");
  EXPECT_GE(height, 50 * 18.0);
  EXPECT_LE(height, 50 * 18.0 + 200.0);
}

TEST_F(ChartSvg, PythonXmlEtreeParsesFiftyTags) {
  const std::string python = testing::venv_python();
  if (python.empty()) GTEST_SKIP() << "MUSICTAG_VENV is not set; python xml.etree check skipped";
  const std::string path = file("per_tag_auc.svg"), script = file("parse.py");
  write_per_tag_auc_svg(fifty_tag_results(), path);
  std::ofstream(script) << R"(import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
bars = [e for e in root.iter(ns + "rect") if e.get("class") == "bar"]
texts = [e.get("class") for e in root.iter(ns + "text")]
print("root", root.tag == ns + "svg", "bars", len(bars), "labels", texts.count("label"), "values", texts.count("value"))
print("ratio", max(abs(float(b.get("width")) - (float(b.get("data-auc")) - 0.5) * 960) for b in bars) < 0.006)
)";
  const auto [output, status] = testing::run_command(python + " " + script + " " + path + " 2>&1");
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("root True bars 50 labels 50 values 50"), std::string::npos) << output;
  EXPECT_NE(output.find("ratio True"), std::string::npos) << output;
}

TEST(ChartSvgOptions, BadOptionsAreConfigErrors) {
  ChartOptions options;
  options.plot_width = 0.0;
  EXPECT_THROW(per_tag_auc_svg(testing::sample_results(), options), ConfigError);
  options = {};
  options.row_height = 2.0;
  EXPECT_THROW(per_tag_auc_svg(testing::sample_results(), options), ConfigError);
}

}  // namespace
}  // namespace musictag::eval
