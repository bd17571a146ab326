// TrainLog: rank 0's record of a run: a JSON line per logged step and epoch, readable lines, and an SVG of the curves.
#include "train/train_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "cluster/log.h"

namespace musictag::train {
namespace {

double or_null(double value) { return std::isfinite(value) ? value : 0.0; }

nlohmann::json number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(); }

// One panel: polylines of `series` (name, colour, values per epoch) in a box at (x0, y0) of size w × h.
std::string panel(const std::string& title, const std::vector<int64_t>& epochs,
                  const std::vector<std::tuple<std::string, std::string, std::vector<double>>>& series, double x0,
                  double y0, double w, double h) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& [name, colour, values] : series)
    for (double v : values)
      if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
  if (!std::isfinite(low)) low = 0.0, high = 1.0;
  if (high - low < 1e-9) high = low + 1.0;
  const double e0 = static_cast<double>(epochs.front()), e1 = std::max(e0 + 1.0, static_cast<double>(epochs.back()));
  const auto px = [&](double e) { return x0 + (e - e0) / (e1 - e0) * w; };
  const auto py = [&](double v) { return y0 + h - (v - low) / (high - low) * h; };
  std::string svg = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n"
      "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">{}</text>\n"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{:.4g}</text>\n"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{:.4g}</text>\n"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\">epoch {}</text>\n"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">epoch {}</text>\n",
      x0, y0, w, h, x0, y0 - 8, title, x0 - 4, y0 + 10, high, x0 - 4, y0 + h, low, x0, y0 + h + 14, epochs.front(),
      x0 + w, y0 + h + 14, epochs.back());
  double legend_y = y0 + 16;
  for (const auto& [name, colour, values] : series) {
    std::string points;
    for (size_t i = 0; i < values.size(); ++i)
      if (std::isfinite(values[i]))
        points += fmt::format("{:.1f},{:.1f} ", px(static_cast<double>(epochs[i])), py(values[i]));
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", colour, points);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{}\">{}</text>\n", x0 + w - 150, legend_y,
                       colour, name);
    legend_y += 16;
  }
  return svg;
}

}  // namespace

TrainLog::TrainLog(const std::string& folder) : folder_(folder) {
  make_folders(folder_);
  out_.open(folder_ + "/metrics.jsonl", std::ios::app);
  if (!out_) throw DataError(fmt::format("cannot append to {}/metrics.jsonl: check the folder's permissions", folder_));
}

void TrainLog::append(const nlohmann::json& line) {
  out_ << line.dump() << '\n';
  out_.flush();
}

void TrainLog::step(const StepRecord& r) {
  append({{"kind", "step"},
          {"step", r.step},
          {"epoch", r.epoch},
          {"loss", number(r.loss)},
          {"lr", r.learning_rate},
          {"samples_per_s", r.samples_per_second},
          {"data_wait", r.data_wait_fraction}});
  log::info("epoch {} step {}: loss {:.4f}, lr {:.3g}, {:.1f} samples/s, {:.0f}% waiting for data", r.epoch, r.step,
            r.loss, r.learning_rate, r.samples_per_second, 100.0 * r.data_wait_fraction);
}

void TrainLog::epoch(const EpochRecord& r) {
  append({{"kind", "epoch"},
          {"epoch", r.epoch},
          {"step", r.step},
          {"train_loss", number(r.train_loss)},
          {"val_loss", number(r.validation_loss)},
          {"val_macro_roc_auc", number(r.validation_macro_roc_auc)},
          {"seconds", r.seconds},
          {"best", r.best}});
  log::info("epoch {} done in {:.1f} s: train loss {:.4f}, validation loss {:.4f}, validation macro ROC-AUC {:.4f}{}",
            r.epoch, r.seconds, r.train_loss, r.validation_loss, or_null(r.validation_macro_roc_auc),
            r.best ? " (best so far)" : "");
}

std::string TrainLog::write_curves() const {
  std::map<int64_t, EpochRecord> by_epoch;  // a resumed run may repeat an epoch: the last record wins
  std::ifstream in(folder_ + "/metrics.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || json.value("kind", "") != "epoch") continue;
    const auto get = [&json](const char* key) { return json[key].is_number() ? json[key].get<double>() : NAN; };
    EpochRecord r;
    r.epoch = json["epoch"].get<int64_t>();
    r.train_loss = get("train_loss");
    r.validation_loss = get("val_loss");
    r.validation_macro_roc_auc = get("val_macro_roc_auc");
    by_epoch[r.epoch] = r;
  }
  std::vector<EpochRecord> epochs;
  for (const auto& [e, r] : by_epoch) epochs.push_back(r);
  const std::string path = folder_ + "/curves.svg";
  std::ofstream(path) << curves_svg(epochs);
  return path;
}

std::string curves_svg(const std::vector<EpochRecord>& records) {
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"340\" "
      "font-family=\"sans-serif\">\n<rect width=\"900\" height=\"340\" fill=\"white\"/>\n";
  if (records.empty()) return svg + "<text x=\"20\" y=\"40\">no epochs yet</text>\n</svg>\n";
  std::vector<int64_t> epochs;
  std::vector<double> train, validation, auc;
  for (const auto& r : records) {
    epochs.push_back(r.epoch);
    train.push_back(r.train_loss);
    validation.push_back(r.validation_loss);
    auc.push_back(r.validation_macro_roc_auc);
  }
  svg +=
      panel("loss", epochs, {{"training", "#1f77b4", train}, {"validation", "#d62728", validation}}, 70, 40, 340, 250);
  svg += panel("validation macro ROC-AUC", epochs, {{"macro ROC-AUC", "#2ca02c", auc}}, 520, 40, 340, 250);
  return svg + "</svg>\n";
}

}  // namespace musictag::train
