// Seeded random samples of a sweep's `random:` keys, identical on every machine and compiler.
#pragma once

#include <cstdint>
#include <vector>

#include "cluster/random.h"
#include "slurm/sweep/sweep_spec.h"

namespace musictag::sweep {

// `random.n` samples, each one Override per param in file order. Sample i draws its values after samples 0..i-1
// from one generator seeded with random.seed, so raising n keeps the earlier samples. Reals are rounded to 4
// significant digits (readable configs and leaderboards); int_uniform includes both ends.
std::vector<std::vector<Override>> draw_random_samples(const RandomSpec& random);

}  // namespace musictag::sweep
