// TrainLog: rank 0's record of a run: a JSON line per logged step and epoch, readable lines, and an SVG of the curves.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace musictag::train {

struct StepRecord {
  int64_t step = 0;
  int64_t epoch = 0;
  double loss = 0.0;  // mean training loss over the steps since the last record
  double learning_rate = 0.0;
  double samples_per_second = 0.0;  // all ranks together
  double data_wait_fraction = 0.0;  // of the wall time since the last record, waiting for batches (rank 0)
};

struct EpochRecord {
  int64_t epoch = 0;
  int64_t step = 0;
  double train_loss = 0.0;
  double validation_loss = 0.0;
  double validation_macro_roc_auc = 0.0;  // NaN when no tag has both classes in validation
  double seconds = 0.0;
  bool best = false;
};

// Appends to `<folder>/metrics.jsonl` (kept across resumes: a resumed run continues the file) and logs a line per
// record; write_curves() draws loss and validation AUC per epoch into `<folder>/curves.svg` (train/curves_svg.h).
// A write the system refuses throws IoError (disk full, read-only) naming the file; every line is flushed.
class TrainLog {
 public:
  explicit TrainLog(const std::string& folder);
  void step(const StepRecord& record);
  void epoch(const EpochRecord& record);
  // Reads every epoch record of metrics.jsonl (also those of earlier, resumed-from runs) and writes curves.svg.
  std::string write_curves() const;

 private:
  void append(const nlohmann::json& line);
  std::string folder_;
  std::ofstream out_;
};

}  // namespace musictag::train
