// A small config struct in the style every module uses, for testing the configuration layer.
#pragma once

#include "cluster/config_file.h"

namespace musictag::test {

struct ExampleConfig {
  int64_t sample_rate = 12000;  // Hz
  double learning_rate = 1e-3;
  std::string mel_scale = "slaney";
  bool shuffle = true;
  std::vector<double> pitch_shifts;

  static ExampleConfig from(cluster::ConfigSection& s) {
    ExampleConfig c;
    c.sample_rate = s.integer("sample_rate", c.sample_rate, "[1000,192000]", "Target sample rate in Hz");
    c.learning_rate = s.real("learning_rate", c.learning_rate, "(0,inf)", "Adam step size");
    c.mel_scale = s.choice("mel_scale", c.mel_scale, {"slaney", "htk"}, "Mel scale formula");
    c.shuffle = s.boolean("shuffle", c.shuffle, "Shuffle each epoch");
    c.pitch_shifts = s.reals("pitch_shifts", c.pitch_shifts, "[-12,12]", "Pitch-shift variants in semitones");
    return c;
  }
};

// Reads section "features" as an ExampleConfig, as a stage's main would.
inline ExampleConfig read_example(cluster::ConfigFile& file) { return ExampleConfig::from(file.section("features")); }

}  // namespace musictag::test
