// TrainLog: rank 0's record of a run: a JSON line per logged step and epoch, readable lines, and an SVG of the curves.
#include "train/train_log.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <map>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "cluster/io_error.h"
#include "cluster/log.h"
#include "train/curves_svg.h"

namespace musictag::train {
namespace {

double or_null(double value) { return std::isfinite(value) ? value : 0.0; }

nlohmann::json number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(); }

}  // namespace

TrainLog::TrainLog(const std::string& folder) : folder_(folder) {
  make_folders(folder_);
  const std::string path = folder_ + "/metrics.jsonl";
  out_.open(path, std::ios::app);
  if (!out_) {
    const int error = errno;
    throw_file_error("open for appending", path, error);
  }
}

void TrainLog::append(const nlohmann::json& line) {
  errno = 0;
  out_ << line.dump() << '\n';
  out_.flush();
  if (!out_) throw_stream_write_error("append to", folder_ + "/metrics.jsonl");
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
  write_file_atomically(path, curves_svg(epochs));
  return path;
}

}  // namespace musictag::train
