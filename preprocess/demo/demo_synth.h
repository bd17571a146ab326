// Synthesizes one demo clip whose sound carries its genres: each root and child genre adds its own layers
// (drums, register, timbre, texture) on a random key, tempo, mix and background, so the labels are learnable
// from a mel spectrogram but not trivially.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace musictag::preprocess {

struct DemoClipRecipe {
  std::vector<int> genres;   // the track's genres_all (demo tree ids: roots and children); must hold a root
  uint64_t seed = 0;         // everything random about the clip derives from this
  double duration_s = 30.0;  // (0, 600]
  int sample_rate = 44100;   // [8000, 96000]
  int channels = 2;          // {1,2}
  bool silent = false;       // all zeros (the demo's "silent clip")
};

struct DemoAudio {
  int sample_rate = 0;
  std::vector<std::vector<float>> planes;  // one array per channel

  size_t frames() const { return planes.empty() ? 0 : planes[0].size(); }
  std::vector<const float*> plane_pointers() const;
  std::vector<float> mono() const;  // average of the channels
};

// Same recipe, same samples (no dependence on thread or call order). Throws ConfigError for a bad recipe
// (unknown genre, no root, out-of-range duration, rate or channels).
DemoAudio synthesize_demo_clip(const DemoClipRecipe& recipe);

}  // namespace musictag::preprocess
