// A sweep's leaderboard as CSV and Markdown.
#include "slurm/sweep/sweep_leaderboard.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "cluster/csv_writer.h"
#include "slurm/sweep/sweep_run_config.h"

namespace musictag::sweep {
namespace {

// RFC 4180 with minimal quoting (cluster/csv_writer.h).
std::string csv_field(const std::string& text) { return CsvWriter::escape(text); }

std::string csv_number(double value) { return std::isnan(value) ? "" : fmt::format("{}", value); }
std::string md_number(double value) { return std::isnan(value) ? "n/a" : fmt::format("{:.4f}", value); }

// A Markdown table cell: pipes escaped, line breaks flattened.
std::string md_cell(std::string text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string override_value(const RunResult& run, const std::string& key) {
  for (const auto& [k, v] : run.overrides)
    if (k == key) return v;
  return "";
}

}  // namespace

std::string leaderboard_csv(const Leaderboard& board) {
  std::ostringstream out;
  out << "rank,run,macro_roc_auc,micro_roc_auc,macro_pr_auc,micro_pr_auc";
  for (const auto& key : board.override_keys) out << ',' << csv_field(key);
  out << ",eval_json\n";
  for (size_t i = 0; i < board.ranked.size(); ++i) {
    const RunResult& run = board.ranked[i];
    out << i + 1 << ',' << csv_field(run.name) << ',' << csv_number(run.macro_roc_auc) << ','
        << csv_number(run.micro_roc_auc) << ',' << csv_number(run.macro_pr_auc) << ',' << csv_number(run.micro_pr_auc);
    for (const auto& key : board.override_keys) out << ',' << csv_field(override_value(run, key));
    out << ',' << csv_field(run.eval_json) << '\n';
  }
  return out.str();
}

std::string leaderboard_markdown(const Leaderboard& board) {
  const size_t total = board.ranked.size() + board.incomplete.size();
  std::ostringstream out;
  out << fmt::format(
      "# Sweep {}: leaderboard\n\n{} of {} runs complete, sorted by macro ROC-AUC on the test split "
      "(folder {}).\n\n",
      board.name.empty() ? "(unnamed)" : board.name, board.ranked.size(), total, board.dir);
  out << "| rank | run | macro ROC-AUC | micro ROC-AUC | macro PR-AUC | micro PR-AUC |";
  for (const auto& key : board.override_keys) out << ' ' << md_cell(key) << " |";
  out << "\n|---:|---|---:|---:|---:|---:|";
  for (size_t k = 0; k < board.override_keys.size(); ++k) out << "---|";
  out << '\n';
  for (size_t i = 0; i < board.ranked.size(); ++i) {
    const RunResult& run = board.ranked[i];
    out << fmt::format("| {} | {} | {} | {} | {} | {} |", i + 1, md_cell(run.name), md_number(run.macro_roc_auc),
                       md_number(run.micro_roc_auc), md_number(run.macro_pr_auc), md_number(run.micro_pr_auc));
    for (const auto& key : board.override_keys) out << ' ' << md_cell(override_value(run, key)) << " |";
    out << '\n';
  }
  if (!board.reference_source.empty()) out << "\n\"paper\" columns: " << board.reference_source << '\n';
  out << "\n## Missing or failed runs\n\n";
  if (board.incomplete.empty()) out << "None.\n";
  for (const RunResult& run : board.incomplete)
    out << fmt::format("- {} ({}): {}\n", run.name, run_status_name(run.status), md_cell(run.reason));
  return out.str();
}

void write_leaderboard(const Leaderboard& board) {
  write_text_file((std::filesystem::path(board.dir) / "leaderboard.csv").string(), leaderboard_csv(board));
  write_text_file((std::filesystem::path(board.dir) / "leaderboard.md").string(), leaderboard_markdown(board));
}

}  // namespace musictag::sweep
