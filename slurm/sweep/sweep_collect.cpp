// Gathering a sweep's results from its run folders.
#include "slurm/sweep/sweep_collect.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/errors.h"
#include "slurm/sweep/sweep_run_config.h"

namespace musictag::sweep {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A summary metric: a number, or NaN for an explicit null; anything else is a malformed file.
double metric(const nlohmann::json& summary, const std::string& key, const fs::path& file) {
  if (!summary.contains(key)) throw DataError(fmt::format("{}: summary.{} is missing", file.string(), key));
  const auto& value = summary[key];
  if (value.is_null()) return NAN;
  if (!value.is_number()) throw DataError(fmt::format("{}: summary.{} is not a number", file.string(), key));
  return value.get<double>();
}

void read_eval_json(RunResult& run, const fs::path& file) {
  const auto json = nlohmann::json::parse(read_text(file), nullptr, false);
  if (json.is_discarded()) throw DataError(fmt::format("{}: not valid JSON", file.string()));
  if (!json.is_object() || !json.contains("summary") || !json["summary"].is_object())
    throw DataError(fmt::format("{}: no `summary` object", file.string()));
  const auto& summary = json["summary"];
  run.macro_roc_auc = metric(summary, "macro_roc_auc", file);
  run.micro_roc_auc = metric(summary, "micro_roc_auc", file);
  run.macro_pr_auc = metric(summary, "macro_pr_auc", file);
  run.micro_pr_auc = metric(summary, "micro_pr_auc", file);
}

std::string first_line(const std::string& text) {
  const std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "failed marker present (no reason written)" : line;
}

}  // namespace

const char* run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::kComplete:
      return "complete";
    case RunStatus::kMissing:
      return "missing";
    case RunStatus::kFailed:
      return "failed";
  }
  return "?";
}

SweepJson read_sweep_json(const std::string& dir) {
  const fs::path json_path = fs::path(dir) / kSweepJson;
  if (!fs::is_regular_file(json_path))
    throw DataError(
        fmt::format("{} not found: is '{}' a sweep output folder? (`musictag-sweep expand SWEEP.yaml "
                    "--output-dir DIR` writes it; slurm/sweep.sh does that before submitting)",
                    json_path.string(), dir));
  const auto json = nlohmann::ordered_json::parse(read_text(json_path), nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("runs") || !json["runs"].is_array())
    throw DataError(fmt::format("{}: not valid JSON with a `runs` list; rewrite it with musictag-sweep expand",
                                json_path.string()));
  SweepJson sweep;
  try {
    sweep.name = json.value("name", "");
    sweep.reference_source = json.value("reference_source", "");
    for (const auto& entry : json["runs"]) {
      SweepJsonRun run;
      run.index = entry.at("index").get<int64_t>();
      run.name = entry.at("name").get<std::string>();
      nlohmann::ordered_json columns = entry.value("labels", nlohmann::ordered_json::object());  // variant, paper
      columns.update(entry.at("overrides"));
      for (const auto& [key, value] : columns.items()) {
        run.overrides.emplace_back(key, value.get<std::string>());
        if (std::find(sweep.override_keys.begin(), sweep.override_keys.end(), key) == sweep.override_keys.end())
          sweep.override_keys.push_back(key);
      }
      if (run.index != static_cast<int64_t>(sweep.runs.size()) || run.name.empty() ||
          run.name.find('/') != std::string::npos)
        throw DataError(
            fmt::format("{}: run entry {} has index {} and name '{}'; rewrite it with musictag-sweep "
                        "expand",
                        json_path.string(), sweep.runs.size(), run.index, run.name));
      sweep.runs.push_back(std::move(run));
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(fmt::format("{}: malformed run entry ({})", json_path.string(), e.what()));
  }
  return sweep;
}

std::vector<RunResult> read_run_results(const std::string& dir, const SweepJson& sweep) {
  std::vector<RunResult> results;
  for (const auto& entry : sweep.runs) {
    RunResult run;
    run.index = entry.index;
    run.name = entry.name;
    run.overrides = entry.overrides;
    const fs::path folder = fs::path(dir) / run.name;
    const fs::path marker = folder / kRunFailedMarker;
    const fs::path eval = folder / kRunEvalJson;
    run.eval_json = eval.string();
    if (fs::exists(marker)) {
      run.status = RunStatus::kFailed;
      run.reason = first_line(read_text(marker));
    } else if (!fs::exists(eval)) {
      run.status = RunStatus::kMissing;
      run.reason = fs::exists(folder / "train") ? "no eval/eval.json (still running, or killed)"
                                                : "not started (no train/ folder)";
    } else {
      try {
        read_eval_json(run, eval);
        run.status = RunStatus::kComplete;
      } catch (const DataError& e) {
        run.status = RunStatus::kFailed;
        run.reason = fmt::format("unreadable result: {}", e.what());
      }
    }
    results.push_back(std::move(run));
  }
  return results;
}

Leaderboard collect_sweep(const std::string& dir) {
  Leaderboard board;
  board.dir = dir;
  const SweepJson sweep = read_sweep_json(dir);
  board.name = sweep.name;
  board.override_keys = sweep.override_keys;
  board.reference_source = sweep.reference_source;
  for (auto& run : read_run_results(dir, sweep))
    (run.status == RunStatus::kComplete ? board.ranked : board.incomplete).push_back(std::move(run));
  std::stable_sort(board.ranked.begin(), board.ranked.end(), [](const RunResult& a, const RunResult& b) {
    const bool a_nan = std::isnan(a.macro_roc_auc), b_nan = std::isnan(b.macro_roc_auc);
    if (a_nan != b_nan) return b_nan;
    if (!a_nan && a.macro_roc_auc != b.macro_roc_auc) return a.macro_roc_auc > b.macro_roc_auc;
    return a.index < b.index;
  });
  return board;
}

}  // namespace musictag::sweep
