// musictag_sweep collect: ranking hand-made eval.json files (eval/report_json.cpp's shape), missing and failed
// runs, and the CSV / Markdown leaderboards.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "slurm/sweep/sweep_collect.h"
#include "slurm/sweep/sweep_leaderboard.h"
#include "sweep_test_support.h"

namespace musictag::sweep {
namespace {

using test::error_of;
using test::TempFolder;
using test::write_file;

// A sweep.json for runs run-000 .. run-(n-1), varying train.learning_rate (run i: "0.00i") and a label with a comma.
void write_sweep_json(const TempFolder& dir, int n) {
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (int i = 0; i < n; ++i)
    runs.push_back({{"index", i},
                    {"name", "run-00" + std::to_string(i)},
                    {"overrides", {{"train.learning_rate", "0.00" + std::to_string(i)}, {"model.note", "a,\"b\""}}}});
  write_file(dir.path() / "sweep.json",
             nlohmann::ordered_json{{"name", "t"}, {"run_count", n}, {"runs", runs}}.dump(2));
}

// An eval.json with the fields musictag-eval writes (eval/report_json.cpp); `macro` null when NaN.
void write_eval_json(const TempFolder& dir, const std::string& run, double macro, double micro = 0.5) {
  const auto number = [](double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); };
  const nlohmann::json json = {
      {"format_version", 1},
      {"metadata", {{"dataset", "/data"}, {"split", "test"}}},
      {"summary",
       {{"n_examples", 7},
        {"n_tags", 3},
        {"macro_roc_auc", number(macro)},
        {"macro_pr_auc", 0.25},
        {"micro_roc_auc", micro},
        {"micro_pr_auc", 0.125},
        {"macro_roc_auc_ci", {{"estimate", number(macro)}, {"lower", nullptr}, {"upper", nullptr}}}}},
      {"tags", nlohmann::json::array()},
      {"undefined_tags", nlohmann::json::array()}};
  write_file(dir.path() / run / "eval" / "eval.json", json.dump(2));
}

std::vector<std::string> names(const std::vector<RunResult>& runs) {
  std::vector<std::string> out;
  for (const auto& r : runs) out.push_back(r.name);
  return out;
}

TEST(SweepCollect, RanksByMacroRocAucWithTiesByIndexAndNullLast) {
  TempFolder dir("rank");
  write_sweep_json(dir, 5);
  write_eval_json(dir, "run-000", 0.70);
  write_eval_json(dir, "run-001", 0.91);
  write_eval_json(dir, "run-002", NAN);
  write_eval_json(dir, "run-003", 0.70, 0.9);
  write_eval_json(dir, "run-004", 0.85);
  const Leaderboard board = collect_sweep(dir.str());
  EXPECT_EQ(board.name, "t");
  EXPECT_EQ(names(board.ranked), (std::vector<std::string>{"run-001", "run-004", "run-000", "run-003", "run-002"}));
  EXPECT_TRUE(board.incomplete.empty());
  EXPECT_DOUBLE_EQ(board.ranked[0].macro_roc_auc, 0.91);
  EXPECT_DOUBLE_EQ(board.ranked[0].micro_roc_auc, 0.5);
  EXPECT_DOUBLE_EQ(board.ranked[0].macro_pr_auc, 0.25);
  EXPECT_DOUBLE_EQ(board.ranked[0].micro_pr_auc, 0.125);
  EXPECT_TRUE(std::isnan(board.ranked[4].macro_roc_auc));
  EXPECT_EQ(board.override_keys, (std::vector<std::string>{"train.learning_rate", "model.note"}));
}

TEST(SweepCollect, ListsMissingAndFailedRunsWithTheReason) {
  TempFolder dir("missing");
  write_sweep_json(dir, 6);
  write_eval_json(dir, "run-000", 0.6);
  std::filesystem::create_directories(dir.path() / "run-001" / "train");  // started, no result
  // run-002: nothing at all
  write_file(dir.path() / "run-003" / "failed", "train exited with 3 (job 17, 2026-01-01)\n");
  write_eval_json(dir, "run-003", 0.99);  // a stale result beside a failed marker: the marker wins
  write_file(dir.path() / "run-004" / "eval" / "eval.json", "{\"summary\": {\"macro_roc_auc\": 0.5");
  write_file(dir.path() / "run-005" / "eval" / "eval.json", "{\"summary\": {\"micro_roc_auc\": 0.5}}");
  const Leaderboard board = collect_sweep(dir.str());
  EXPECT_EQ(names(board.ranked), std::vector<std::string>{"run-000"});
  ASSERT_EQ(names(board.incomplete), (std::vector<std::string>{"run-001", "run-002", "run-003", "run-004", "run-005"}));
  EXPECT_EQ(board.incomplete[0].status, RunStatus::kMissing);
  EXPECT_NE(board.incomplete[0].reason.find("no eval/eval.json"), std::string::npos);
  EXPECT_EQ(board.incomplete[1].status, RunStatus::kMissing);
  EXPECT_NE(board.incomplete[1].reason.find("not started"), std::string::npos);
  EXPECT_EQ(board.incomplete[2].status, RunStatus::kFailed);
  EXPECT_EQ(board.incomplete[2].reason, "train exited with 3 (job 17, 2026-01-01)");
  EXPECT_EQ(board.incomplete[3].status, RunStatus::kFailed);
  EXPECT_NE(board.incomplete[3].reason.find("run-004/eval/eval.json: not valid JSON"), std::string::npos)
      << board.incomplete[3].reason;
  EXPECT_EQ(board.incomplete[4].status, RunStatus::kFailed);
  EXPECT_NE(board.incomplete[4].reason.find("summary.macro_roc_auc is missing"), std::string::npos)
      << board.incomplete[4].reason;

  const std::string md = leaderboard_markdown(board);
  EXPECT_NE(md.find("1 of 6 runs complete"), std::string::npos) << md;
  EXPECT_NE(md.find("- run-002 (missing): not started"), std::string::npos) << md;
  EXPECT_NE(md.find("- run-003 (failed): train exited with 3"), std::string::npos) << md;
}

TEST(SweepCollect, CsvAndMarkdownLeaderboards) {
  TempFolder dir("files");
  write_sweep_json(dir, 3);
  write_eval_json(dir, "run-000", 0.75);
  write_eval_json(dir, "run-001", 0.8125);
  write_eval_json(dir, "run-002", NAN);
  const Leaderboard board = collect_sweep(dir.str());
  write_leaderboard(board);
  const std::string csv = test::read_file(dir.path() / "leaderboard.csv");
  const std::string expected =
      "rank,run,macro_roc_auc,micro_roc_auc,macro_pr_auc,micro_pr_auc,train.learning_rate,model.note,eval_json\n"
      "1,run-001,0.8125,0.5,0.25,0.125,0.001,\"a,\"\"b\"\"\"," +
      dir.str("run-001/eval/eval.json") +
      "\n"
      "2,run-000,0.75,0.5,0.25,0.125,0.000,\"a,\"\"b\"\"\"," +
      dir.str("run-000/eval/eval.json") +
      "\n"
      "3,run-002,,0.5,0.25,0.125,0.002,\"a,\"\"b\"\"\"," +
      dir.str("run-002/eval/eval.json") + "\n";
  EXPECT_EQ(csv, expected);
  const std::string md = test::read_file(dir.path() / "leaderboard.md");
  EXPECT_NE(md.find("| 1 | run-001 | 0.8125 | 0.5000 | 0.2500 | 0.1250 | 0.001 | a,\"b\" |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 3 | run-002 | n/a |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Missing or failed runs\n\nNone."), std::string::npos) << md;
}

TEST(SweepCollect, AFolderWithoutSweepJsonIsADataErrorNamingIt) {
  TempFolder dir("nosweep");
  const std::string m = error_of([&] { collect_sweep(dir.str()); });
  EXPECT_NE(m.find(dir.str("sweep.json") + " not found"), std::string::npos) << m;
  write_file(dir.path() / "sweep.json", "{\"runs\": 3}");
  const std::string m2 = error_of([&] { collect_sweep(dir.str()); });
  EXPECT_NE(m2.find("not valid JSON with a `runs` list"), std::string::npos) << m2;
  EXPECT_THROW(collect_sweep(dir.str()), DataError);
}

TEST(SweepCollect, ReadsRunNamesForTheArrayTasks) {
  TempFolder dir("names");
  write_sweep_json(dir, 3);
  const SweepJson sweep = read_sweep_json(dir.str());
  ASSERT_EQ(sweep.runs.size(), 3u);
  EXPECT_EQ(sweep.runs[2].name, "run-002");
  EXPECT_EQ(sweep.runs[2].overrides[0], (std::pair<std::string, std::string>{"train.learning_rate", "0.002"}));
}

}  // namespace
}  // namespace musictag::sweep
