// musictag-sweep: expands a sweep file into its runs' configs, and collects the runs' eval.json into a leaderboard.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>

#include "cluster/errors.h"
#include "cluster/fatal.h"
#include "slurm/sweep/sweep_collect.h"
#include "slurm/sweep/sweep_expand.h"
#include "slurm/sweep/sweep_leaderboard.h"
#include "slurm/sweep/sweep_run_config.h"
#include "slurm/sweep/sweep_spec.h"

namespace {

using namespace musictag;

struct ExpandFlags {
  std::string sweep_file, output, output_dir;
  std::optional<int64_t> index;
  bool count_only = false;
};

int expand(const ExpandFlags& flags) {
  const sweep::SweepSpec spec = sweep::SweepSpec::load(flags.sweep_file);
  const auto runs = sweep::expand_sweep(spec);
  for (int64_t v = spec.variants.empty() ? -1 : 0; v < static_cast<int64_t>(spec.variants.size()); ++v) {
    const auto not_in_base = sweep::keys_not_in_base(spec, v, sweep::load_base_config(spec, v));
    if (!not_in_base.empty())
      fmt::print(stderr,
                 "note: not in the base config {} (the stages check these keys; slurm/sweep.sh lets them "
                 "check run 0 before submitting): {}\n",
                 spec.base_of(v), fmt::join(not_in_base, ", "));
  }
  if (flags.count_only) {
    fmt::print("{}\n", runs.size());
    return cluster::kExitOk;
  }
  if (!flags.output_dir.empty()) {
    sweep::write_sweep_folder(spec, runs, flags.output_dir);
    fmt::print("{}\n", runs.size());
    fmt::print(stderr, "wrote {}/{} and {} run configs ({}/<run>/{})\n", flags.output_dir, sweep::kSweepJson,
               runs.size(), flags.output_dir, sweep::kRunConfig);
    return cluster::kExitOk;
  }
  if (flags.index) {
    const int64_t i = *flags.index;
    if (i < 0 || i >= static_cast<int64_t>(runs.size()))
      throw ConfigError(fmt::format("--index {}: sweep {} has runs 0..{}", i, flags.sweep_file, runs.size() - 1));
    const sweep::SweepRun& run = runs[static_cast<size_t>(i)];
    const std::string config = sweep::run_config_yaml(spec, sweep::load_base_config(spec, run.variant), run);
    if (flags.output.empty()) {
      std::cout << config;
    } else {
      sweep::write_text_file(flags.output, config);
      fmt::print("{}\n", runs[static_cast<size_t>(i)].name);
    }
    return cluster::kExitOk;
  }
  std::vector<std::string> fixed;
  for (const auto& o : spec.fixed) fixed.push_back(sweep::override_text(o));
  fmt::print("{} runs in sweep {} ({}; base {}; {} variants x {} grid points x {} random samples)\n", runs.size(),
             spec.name, spec.file, spec.base.empty() ? "per variant" : spec.base, spec.variant_count(),
             spec.grid_points(), spec.random_samples());
  if (!fixed.empty()) fmt::print("every run: {}\n", fmt::join(fixed, " "));
  for (const auto& run : runs) {
    std::vector<std::string> overrides;
    if (run.variant >= 0) overrides.push_back("variant=" + spec.variants[static_cast<size_t>(run.variant)].name);
    for (const auto& o : run.overrides) overrides.push_back(sweep::override_text(o));
    fmt::print("{}  {}\n", run.name, fmt::join(overrides, " "));
  }
  return cluster::kExitOk;
}

int collect(const std::string& dir, bool require_all) {
  const sweep::Leaderboard board = sweep::collect_sweep(dir);
  sweep::write_leaderboard(board);
  std::cout << sweep::leaderboard_markdown(board);
  fmt::print(stderr, "wrote {0}/leaderboard.csv and {0}/leaderboard.md: {1} complete, {2} missing or failed\n", dir,
             board.ranked.size(), board.incomplete.size());
  if (require_all && !board.incomplete.empty())
    throw DataError(fmt::format("{} of {} runs are missing or failed (listed above); --require-all",
                                board.incomplete.size(), board.ranked.size() + board.incomplete.size()));
  return cluster::kExitOk;
}

int run_dir(const std::string& dir, int64_t index) {
  const sweep::SweepJson sweep = sweep::read_sweep_json(dir);
  if (index < 0 || index >= static_cast<int64_t>(sweep.runs.size()))
    throw ConfigError(fmt::format("run index {}: {}/{} lists runs 0..{}", index, dir, sweep::kSweepJson,
                                  static_cast<int64_t>(sweep.runs.size()) - 1));
  fmt::print("{}/{}\n", dir, sweep.runs[static_cast<size_t>(index)].name);
  return cluster::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Hyperparameter sweeps for musictag. A sweep file (configs/sweeps/*.yaml) names a base config and the "
      "section.key values to vary: a grid (every combination) and/or seeded random samples. `expand` lists the "
      "runs or writes their configs; `collect` ranks the finished runs by macro ROC-AUC. slurm/sweep.sh runs a "
      "sweep as a Slurm job array.\nExit codes: 0 done, 2 bad sweep file or flag, 3 missing/unreadable data.",
      "musictag-sweep"};
  app.require_subcommand(1);

  ExpandFlags expand_flags;
  int64_t index = -1;
  CLI::App* expand_cmd = app.add_subcommand(
      "expand", "Prints the number of runs and each run's overrides, or writes run configs (see the flags)");
  expand_cmd->add_option("sweep", expand_flags.sweep_file, "Sweep file, e.g. configs/sweeps/demo_lr.yaml")->required();
  expand_cmd->add_flag("--count", expand_flags.count_only, "Print only the number of runs");
  auto* index_opt = expand_cmd->add_option(
      "--index", index, "Run i (0-based): its full config to stdout, or to --output (then its folder name is printed)");
  expand_cmd->add_option("--output", expand_flags.output, "With --index: write the run's config to this file")
      ->needs(index_opt);
  expand_cmd
      ->add_option("--output-dir", expand_flags.output_dir,
                   "Write DIR/sweep.json and every run's DIR/<run>/config.yaml; print the number of runs")
      ->excludes(index_opt);
  expand_cmd->footer(
      "Examples:\n  musictag-sweep expand configs/sweeps/demo_lr.yaml\n"
      "  musictag-sweep expand configs/sweeps/demo_lr.yaml --index 3 --output /tmp/run3.yaml\n"
      "  musictag-sweep expand configs/sweeps/demo_lr.yaml --output-dir out/sweeps/demo_lr");

  std::string collect_dir;
  bool require_all = false;
  CLI::App* collect_cmd = app.add_subcommand(
      "collect",
      "Reads DIR/sweep.json and every run's DIR/<run>/eval/eval.json; writes DIR/leaderboard.csv and "
      "DIR/leaderboard.md sorted by macro ROC-AUC, listing runs that are missing or failed (DIR/<run>/failed)");
  collect_cmd->add_option("dir", collect_dir, "Sweep output folder")->required();
  collect_cmd->add_flag("--require-all", require_all, "Exit 3 when any run is missing or failed");
  collect_cmd->footer("Example: musictag-sweep collect out/sweeps/demo_lr");

  std::string run_dir_dir;
  int64_t run_dir_index = 0;
  CLI::App* run_dir_cmd = app.add_subcommand(
      "run-dir", "Prints DIR/<run> for run INDEX of a sweep folder (slurm/sweep.sbatch: SLURM_ARRAY_TASK_ID)");
  run_dir_cmd->add_option("dir", run_dir_dir, "Sweep output folder (holding sweep.json)")->required();
  run_dir_cmd->add_option("index", run_dir_index, "Run index, 0-based")->required();

  CLI11_PARSE(app, argc, argv);
  return musictag::cluster::run_guarded([&] {
    if (*expand_cmd) {
      if (index_opt->count() > 0) expand_flags.index = index;
      return expand(expand_flags);
    }
    if (*run_dir_cmd) return run_dir(run_dir_dir, run_dir_index);
    return collect(collect_dir, require_all);
  });
}
