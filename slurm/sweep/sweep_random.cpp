// Seeded random samples of a sweep's `random:` keys.
#include "slurm/sweep/sweep_random.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace musictag::sweep {
namespace {

// A real rounded to 4 significant digits, as YAML text that parses back to it ("0.0003162", "1e-05").
YAML::Node rounded_real(double value) {
  const double rounded = std::stod(fmt::format("{:.4g}", value));
  return YAML::Node(fmt::format("{}", rounded));
}

YAML::Node draw(const RandomParam& param, SplitMix64& rng) {
  if (param.distribution == "values") return YAML::Clone(param.values[rng.next() % param.values.size()]);
  if (param.distribution == "int_uniform") {
    // Modulo bias is below 2^-40 for any range a config key can have.
    const auto span = static_cast<uint64_t>(param.high - param.low) + 1;
    return YAML::Node(static_cast<int64_t>(param.low) + static_cast<int64_t>(rng.next() % span));
  }
  const double u = rng.uniform();
  if (param.distribution == "log_uniform")
    return rounded_real(std::exp(std::log(param.low) + u * (std::log(param.high) - std::log(param.low))));
  return rounded_real(param.low + u * (param.high - param.low));  // uniform
}

}  // namespace

std::vector<std::vector<Override>> draw_random_samples(const RandomSpec& random) {
  SplitMix64 rng(random.seed);
  std::vector<std::vector<Override>> samples;
  for (int64_t i = 0; i < random.n; ++i) {
    std::vector<Override> sample;
    for (const auto& param : random.params) sample.push_back({param.key, draw(param, rng)});
    samples.push_back(std::move(sample));
  }
  return samples;
}

}  // namespace musictag::sweep
