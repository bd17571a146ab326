// Simple per-clip features used to check that the demo's labels are audible: band log-energies over time.
#pragma once

#include <vector>

namespace musictag::preprocess {

// Mean and standard deviation over 2048-sample frames (Hann window, no overlap) of log10 energy in `bands`
// log-spaced bands from 60 Hz to 6 kHz, the range a 12 kHz mel frontend sees. The means are taken relative to
// their average, so a clip's overall loudness does not matter. Returns 2 * bands values; needs >= 1 frame.
std::vector<double> demo_clip_features(const std::vector<float>& mono, int sample_rate, int bands = 32);

}  // namespace musictag::preprocess
