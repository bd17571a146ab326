// Expanding a SweepSpec into its numbered runs.
#include "slurm/sweep/sweep_expand.h"

#include <fmt/format.h>

#include "slurm/sweep/sweep_random.h"

namespace musictag::sweep {

std::vector<SweepRun> expand_sweep(const SweepSpec& spec) {
  const std::vector<std::vector<Override>> samples =
      spec.random ? draw_random_samples(*spec.random) : std::vector<std::vector<Override>>(1);
  const int64_t count = spec.run_count();
  std::vector<SweepRun> runs;
  runs.reserve(static_cast<size_t>(count));
  for (int64_t variant = 0; variant < spec.variant_count(); ++variant)
    for (int64_t point = 0; point < spec.grid_points(); ++point) {
      // Mixed-radix digits of `point`, the last axis least significant.
      std::vector<Override> grid_values(spec.grid.size());
      int64_t rest = point;
      for (size_t a = spec.grid.size(); a-- > 0;) {
        const auto& axis = spec.grid[a];
        const auto n = static_cast<int64_t>(axis.values.size());
        grid_values[a] = {axis.key, YAML::Clone(axis.values[static_cast<size_t>(rest % n)])};
        rest /= n;
      }
      for (const auto& sample : samples) {
        SweepRun run;
        run.index = static_cast<int64_t>(runs.size());
        run.name = run_name(run.index, count);
        run.overrides = grid_values;
        run.variant = spec.variants.empty() ? -1 : variant;
        for (const auto& o : sample) run.overrides.push_back({o.key, YAML::Clone(o.value)});
        runs.push_back(std::move(run));
      }
    }
  return runs;
}

std::string run_name(int64_t index, int64_t run_count) {
  const int width = std::max<int>(3, static_cast<int>(std::to_string(std::max<int64_t>(run_count - 1, 0)).size()));
  return fmt::format("run-{:0{}}", index, width);
}

std::string override_text(const Override& o) { return o.key + "=" + yaml_text(o.value); }

}  // namespace musictag::sweep
