// Gathering a sweep's results: every run's eval/eval.json, or why the run has none.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace musictag::sweep {

// One run as sweep.json lists it.
struct SweepJsonRun {
  int64_t index = 0;
  std::string name;
  std::vector<std::pair<std::string, std::string>> overrides;  // key, value as YAML text; first the labels
                                                               // (variant, paper figures), then the overrides
};

// <dir>/sweep.json (written by `musictag-sweep expand --output-dir`): the sweep's name and its runs. DataError
// naming the file when it is absent or malformed.
struct SweepJson {
  std::string name;
  std::string reference_source;  // where the variants' "paper ..." columns come from; empty when none
  std::vector<SweepJsonRun> runs;
  std::vector<std::string> override_keys;  // every key that varies, in sweep order
};
SweepJson read_sweep_json(const std::string& dir);

enum class RunStatus { kComplete, kMissing, kFailed };
const char* run_status_name(RunStatus status);  // "complete", "missing", "failed"

// One run's row: its overrides (key, value text) and the summary of its eval.json.
struct RunResult {
  int64_t index = 0;
  std::string name;
  std::vector<std::pair<std::string, std::string>> overrides;
  RunStatus status = RunStatus::kMissing;
  std::string reason;                                           // missing / failed: why
  double macro_roc_auc = 0.0 / 0.0, micro_roc_auc = 0.0 / 0.0;  // NaN: null in eval.json (no tag defined)
  double macro_pr_auc = 0.0 / 0.0, micro_pr_auc = 0.0 / 0.0;
  std::string eval_json;  // path
};

// All runs of one sweep folder: complete runs sorted by macro ROC-AUC (best first; NaN last; ties by index),
// then the runs without a result in index order.
struct Leaderboard {
  std::string name;                        // the sweep's name
  std::string dir;                         // the sweep output folder
  std::string reference_source;            // sweep.reference_source
  std::vector<std::string> override_keys;  // the keys that vary, in sweep order
  std::vector<RunResult> ranked;
  std::vector<RunResult> incomplete;
};

// Reads <dir>/sweep.json (DataError naming it when absent or unreadable) and each run's result:
//   <run>/failed present          failed, with its first line as the reason (sweep.sbatch writes the stage)
//   <run>/eval/eval.json absent   missing (not run yet, still running, or killed before writing a marker)
//   eval.json unreadable, or summary.macro_roc_auc absent   failed, naming the file and the problem
std::vector<RunResult> read_run_results(const std::string& dir, const SweepJson& sweep);

// read_sweep_json + read_run_results, ranked.
Leaderboard collect_sweep(const std::string& dir);

}  // namespace musictag::sweep
