// SweepSpec: one sweep file (configs/sweeps/*.yaml): a base config, fixed overrides, a grid and seeded random samples.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace musictag::sweep {

// One `section.key: value` a run applies on top of the base config (the value as YAML, so lists keep their type).
struct Override {
  std::string key;  // "train.learning_rate"
  YAML::Node value;
};

// One grid dimension: every value is combined with every value of the other dimensions.
struct GridAxis {
  std::string key;
  std::vector<YAML::Node> values;
};

// One randomly sampled key: `{values: [...]}` (one of them), `{uniform: [lo, hi]}`, `{log_uniform: [lo, hi]}`
// (reals, rounded to 4 significant digits) or `{int_uniform: [lo, hi]}` (integers, both ends included).
struct RandomParam {
  std::string key;
  std::string distribution;  // values | uniform | log_uniform | int_uniform
  std::vector<YAML::Node> values;
  double low = 0, high = 0;
};

// One item of `variants:`: a named starting point (its own base config and/or overrides) and, optionally, published
// figures to print beside the run's (reference: {macro_roc_auc: .9005, macro_pr_auc: .4295}).
struct SweepVariant {
  std::string name;
  std::string base;  // resolved path; the sweep's `base` when the variant names none
  std::vector<std::pair<std::string, YAML::Node>> replace;  // whole sections replacing the base's (e.g. model)
  std::vector<Override> set;
  std::vector<std::pair<std::string, double>> reference;  // metric name in eval.json's summary, value
};

// `random:` n samples drawn from `seed`; sample i is the same for any n > i.
struct RandomSpec {
  int64_t n = 0;
  uint64_t seed = 0;
  std::vector<RandomParam> params;
};

// The file's only section, `sweep` (see configs/sweeps/demo_lr.yaml):
//   name: demo_lr                  names the sweep in logs and the leaderboard (default: the file's stem)
//   base: ../demo.yaml             the config every run starts from; relative to the sweep file's folder
//   set: {train.epochs: 6}         overrides every run applies
//   grid: {train.learning_rate: [0.001, 0.01], model.gru_hidden: [16, 32]}
//                                  every combination, in file order, the last key varying fastest
//   random: {n: 4, seed: 1, params: {train.weight_decay: {log_uniform: [1e-6, 1e-3]}}}
//   variants: [{name: fcn, base: ../won2020/mtat_fcn.yaml, replace: {model: {...}}, set: {...},
//               reference: {macro_roc_auc: 0.9005}}]
//                                  named starting points (configs/sweeps/won2020_mtat.yaml, demo_zoo.yaml); `base`
//                                  is then needed only for variants without their own
//   reference_source: "..."       where the variants' reference figures come from (printed with the leaderboard)
// Runs = variants x grid combinations x random samples (each factor 1 when absent), in that order of significance.
struct SweepSpec {
  std::string file;  // the sweep file as given
  std::string name;
  std::string base;  // the base config's path, resolved against the sweep file's folder
  std::vector<Override> fixed;
  std::vector<GridAxis> grid;
  std::optional<RandomSpec> random;
  std::vector<SweepVariant> variants;
  std::string reference_source;

  // Reads and checks `path`; ConfigError names the file, the key and what is allowed.
  static SweepSpec load(const std::string& path);
  // The same from YAML text; `folder` resolves a relative `base`.
  static SweepSpec parse(const std::string& yaml, const std::string& source, const std::string& folder);

  int64_t grid_points() const;
  int64_t random_samples() const { return random ? random->n : 1; }
  int64_t variant_count() const { return variants.empty() ? 1 : static_cast<int64_t>(variants.size()); }
  int64_t run_count() const { return variant_count() * grid_points() * random_samples(); }
  // The base config of run `variant` (-1 or no variants: the sweep's base).
  const std::string& base_of(int64_t variant) const {
    return variant >= 0 ? variants[static_cast<size_t>(variant)].base : base;
  }

 private:
  static SweepSpec parse_root(const YAML::Node& root, const std::string& source, const std::string& folder);
};

// Checks that `key` has the form section.key with a known section (cluster::kPipelineSections); `where` says
// where the key came from in messages ("demo_lr.yaml: sweep.grid").
void check_override_key(const std::string& key, const std::string& where);

// A value as one line of YAML ("0.001", "[24, 32]") for listings, file names and the leaderboard.
std::string yaml_text(const YAML::Node& value);

}  // namespace musictag::sweep
