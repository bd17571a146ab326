// Expanding a SweepSpec into its numbered runs: grid combinations x random samples.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slurm/sweep/sweep_spec.h"

namespace musictag::sweep {

// One run of a sweep: its array index, its folder name and the overrides that vary between runs (grid values,
// then random values); the sweep's fixed `set` overrides come before them in its config.
struct SweepRun {
  int64_t index = 0;
  std::string name;  // run-000, run-001, ...: the run's folder under the sweep's output folder
  std::vector<Override> overrides;
  int64_t variant = -1;  // index into SweepSpec::variants; -1 when the sweep has none
};

// Every run, in index order: variant v x grid point g (the last grid key varying fastest) x random sample s is run
// (v * grid_points + g) * random_samples + s. Deterministic: the same file gives the same runs on every machine.
std::vector<SweepRun> expand_sweep(const SweepSpec& spec);

// "run-007": zero-padded to at least 3 digits, more when the sweep has 1000 runs or more, so names sort by index.
std::string run_name(int64_t index, int64_t run_count);

// "train.learning_rate=0.001" (the form `--set` takes).
std::string override_text(const Override& o);

}  // namespace musictag::sweep
