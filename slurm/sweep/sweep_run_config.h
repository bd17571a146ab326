// The config of each run of a sweep (base + fixed overrides + the run's overrides) and the sweep's output folder.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "slurm/sweep/sweep_expand.h"
#include "slurm/sweep/sweep_spec.h"

namespace musictag::sweep {

// Output folder layout, shared with slurm/sweep.sbatch and `collect`:
//   <dir>/sweep.json               the expanded sweep: name, files, run count, each run's name and overrides
//   <dir>/<run>/config.yaml        the run's full config
//   <dir>/<run>/train/, eval/      what the stages write (eval/eval.json is the run's result)
//   <dir>/<run>/failed             written by sweep.sbatch when a stage of the run failed: stage and exit code
inline constexpr const char* kSweepJson = "sweep.json";
inline constexpr const char* kRunConfig = "config.yaml";
inline constexpr const char* kRunEvalJson = "eval/eval.json";
inline constexpr const char* kRunFailedMarker = "failed";

// The base config's YAML of variant `variant` (-1: the sweep's base), includes merged; ConfigError (naming the sweep
// file) when it is missing, not YAML, or has a top-level section outside cluster::kPipelineSections.
YAML::Node load_base_config(const SweepSpec& spec, int64_t variant = -1);

// Keys the sweep sets that the base config does not contain. Not an error (a stage may take the key with its
// default), but a typo shows up here; slurm/sweep.sh also lets the stages check run 0's config before submitting.
std::vector<std::string> keys_not_in_base(const SweepSpec& spec, int64_t variant, const YAML::Node& base);

// Run `run`'s full config as YAML: a comment naming the sweep and the overrides, then `base` (the run's variant's,
// load_base_config(spec, run.variant)) with the fixed, the variant's and the run's overrides applied.
std::string run_config_yaml(const SweepSpec& spec, const YAML::Node& base, const SweepRun& run);

// sweep.json's content for `runs`.
std::string sweep_json_text(const SweepSpec& spec, const std::vector<SweepRun>& runs);

// Writes <dir>/sweep.json and every <dir>/<run>/config.yaml (atomically). Rewriting the same sweep into its
// folder is allowed (resubmitting failed runs); a folder holding another sweep's sweep.json is refused.
void write_sweep_folder(const SweepSpec& spec, const std::vector<SweepRun>& runs, const std::string& dir);

// Writes `text` to `path` through `path`.partial and a rename, creating the parent folder.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace musictag::sweep
