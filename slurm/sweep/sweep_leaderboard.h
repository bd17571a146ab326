// A sweep's leaderboard as CSV and Markdown (leaderboard.csv, leaderboard.md in the sweep output folder).
#pragma once

#include <string>

#include "slurm/sweep/sweep_collect.h"

namespace musictag::sweep {

// rank,run,macro_roc_auc,micro_roc_auc,macro_pr_auc,micro_pr_auc,<override keys...>,eval_json: one row per
// complete run, best first (numbers at full precision; empty for null), RFC 4180 quoting.
std::string leaderboard_csv(const Leaderboard& board);

// A title, the ranked table (4 decimals), and a list of the runs that are missing or failed, with the reason.
std::string leaderboard_markdown(const Leaderboard& board);

// Writes <board.dir>/leaderboard.csv and leaderboard.md atomically.
void write_leaderboard(const Leaderboard& board);

}  // namespace musictag::sweep
