// The demo clip arrangement: song context from the seed, layers per genre, label noise, distractors, mix, master.
#include "preprocess/demo/demo_synth.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "cluster/errors.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_synth_layers.h"

namespace musictag::preprocess {
namespace {

using namespace synth;

void check_recipe(const DemoClipRecipe& r) {
  if (!(r.duration_s > 0 && r.duration_s <= 600)) {
    throw ConfigError("demo synth: duration_s must be in (0,600], got " + std::to_string(r.duration_s));
  }
  if (r.sample_rate < 8000 || r.sample_rate > 96000) {
    throw ConfigError("demo synth: sample_rate must be in [8000,96000], got " + std::to_string(r.sample_rate));
  }
  if (r.channels != 1 && r.channels != 2) {
    throw ConfigError("demo synth: channels must be in {1,2}, got " + std::to_string(r.channels));
  }
}

Song make_song(int primary_root, double duration_s, int sample_rate, DemoRng& rng) {
  static const std::vector<std::vector<int>> kProgressions = {{0, 4, 5, 3}, {0, 5, 3, 4}, {5, 3, 0, 4}, {0, 3, 4, 3},
                                                              {0, 0, 3, 4}, {1, 4, 0, 0}, {0, 6, 5, 4}};
  const RootStyle style = root_style(primary_root);
  Song song;
  song.sample_rate = sample_rate;
  song.duration_s = duration_s;
  song.bpm = rng.uniform(style.bpm_low, style.bpm_high);
  song.key = 36 + rng.integer(0, 11);
  song.minor = rng.chance(0.4);
  song.bars_per_chord = style.slow_harmony || rng.chance(0.25) ? 2 : 1;
  for (int degree : rng.pick(kProgressions)) {
    std::vector<int> chord;
    for (int k = 0; k < (style.sevenths ? 4 : 3); ++k) chord.push_back(song.scale_note(degree + 2 * k));
    song.progression.push_back(chord);
  }
  return song;
}

// Silences a few random bars (20 ms ramps) so that melodic layers come and go as in real arrangements.
void mute_some_bars(MonoTrack& t, const Song& song, DemoRng& rng) {
  const size_t ramp = static_cast<size_t>(0.02 * t.sample_rate);
  for (int bar = 0; bar < song.bars(); ++bar) {
    if (!rng.chance(0.08)) continue;
    const size_t begin = t.at(bar * song.bar_s()), end = std::min(t.samples.size(), t.at((bar + 1) * song.bar_s()));
    for (size_t i = begin; i < end; ++i) {
      const size_t edge = std::min(i - begin, end - 1 - i);
      t.samples[i] *= edge >= ramp ? 0.0f : 1.0f - static_cast<float>(edge) / ramp;
    }
  }
}

double rms(const std::vector<float>& x) {
  double sum = 0;
  for (float v : x) sum += static_cast<double>(v) * v;
  return x.empty() ? 0.0 : std::sqrt(sum / x.size());
}

// Limits peaks above 0.5 smoothly towards 0.8 (continuous slope at the knee). The 2 dB of headroom absorbs the
// overshoot MP3 coding adds to transients, so decoded clips stay near [-1, 1].
float master_limit(float x) {
  const float a = std::fabs(x);
  if (a <= 0.5f) return x;
  return std::copysign(0.5f + 0.3f * soft_clip((a - 0.5f) / 0.3f), x);
}

}  // namespace

std::vector<const float*> DemoAudio::plane_pointers() const {
  std::vector<const float*> pointers;
  for (const auto& plane : planes) pointers.push_back(plane.data());
  return pointers;
}

std::vector<float> DemoAudio::mono() const {
  std::vector<float> out(frames(), 0.0f);
  for (const auto& plane : planes) {
    for (size_t i = 0; i < out.size(); ++i) out[i] += plane[i] / static_cast<float>(planes.size());
  }
  return out;
}

DemoAudio synthesize_demo_clip(const DemoClipRecipe& recipe) {
  check_recipe(recipe);
  const GenreTree& tree = demo_genre_tree();
  const size_t frames = static_cast<size_t>(std::llround(recipe.duration_s * recipe.sample_rate));
  DemoAudio audio;
  audio.sample_rate = recipe.sample_rate;
  audio.planes.assign(static_cast<size_t>(recipe.channels), std::vector<float>(frames, 0.0f));
  if (recipe.silent) return audio;

  std::vector<int> roots, children;
  for (int id : recipe.genres) {
    if (!tree.contains(id)) throw ConfigError("demo synth: genre " + std::to_string(id) + " is not in the demo tree");
    (tree.genre(id).parent == 0 ? roots : children).push_back(id);
  }
  if (roots.empty()) throw ConfigError("demo synth: the recipe's genres hold no root genre");
  std::sort(roots.begin(), roots.end());
  std::sort(children.begin(), children.end());

  DemoRng rng(derive_demo_seed(recipe.seed, 0x5EED));
  const int primary = roots[rng.index(roots.size())];
  Song song = make_song(primary, recipe.duration_s, recipe.sample_rate, rng);

  // Layers: roots (the primary one louder), children, label noise, distractors.
  std::vector<LayerSpec> layers;
  for (int root : roots) {
    for (LayerSpec spec : genre_layers(root)) {
      spec.level_db += root == primary ? 0.0 : -3.0;
      layers.push_back(spec);
    }
  }
  for (int child : children) {
    if (rng.chance(0.05)) continue;  // label without its sound, as mislabelled real tracks
    for (const LayerSpec& spec : genre_layers(child)) layers.push_back(spec);
  }
  if (rng.chance(0.04)) {  // a sound without its label
    std::vector<int> all_children;
    for (const Genre& genre : tree.genres()) {
      if (genre.parent != 0) all_children.push_back(genre.id);
    }
    for (LayerSpec spec : genre_layers(rng.pick(all_children))) {
      spec.level_db -= 3.0;
      layers.push_back(spec);
    }
  }
  if (rng.chance(0.3)) layers.push_back({distractor_pad, -8, false});
  if (rng.chance(0.25)) layers.push_back({distractor_shaker, -10, true});
  if (rng.chance(0.2)) layers.push_back({distractor_plucks, -8, false});
  if (rng.chance(0.15)) layers.push_back({distractor_hum, -16, true});

  MonoTrack track;
  track.sample_rate = recipe.sample_rate;
  for (size_t i = 0; i < layers.size(); ++i) {
    track.samples.assign(frames, 0.0f);
    DemoRng layer_rng(derive_demo_seed(recipe.seed, 0x1A7E, i));
    layers[i].render(song, track, layer_rng);
    if (!layers[i].rhythm) mute_some_bars(track, song, layer_rng);
    const double level = rms(track.samples);
    if (level <= 0) continue;
    const double gain = 0.1 * std::pow(10.0, (layers[i].level_db + 2.5 * layer_rng.normal()) / 20.0) / level;
    const double pan = layers[i].rhythm ? layer_rng.uniform(-0.15, 0.15) : layer_rng.uniform(-0.6, 0.6);
    const double angle = (pan + 1.0) * 0.7853981633974483;
    const float left = static_cast<float>(gain * (recipe.channels == 2 ? std::cos(angle) * 1.41421356 : 1.0));
    const float right = static_cast<float>(gain * std::sin(angle) * 1.41421356);
    for (size_t k = 0; k < frames; ++k) audio.planes[0][k] += left * track.samples[k];
    if (recipe.channels == 2) {
      for (size_t k = 0; k < frames; ++k) audio.planes[1][k] += right * track.samples[k];
    }
  }

  // Background: a random mix of white and darker noise, 22-38 dB below a layer.
  const float noise_level = static_cast<float>(0.1 * std::pow(10.0, rng.uniform(-38, -22) / 20.0));
  const float darkness = static_cast<float>(rng.uniform(0.0, 0.95));
  for (auto& plane : audio.planes) {
    float dark = 0;
    for (float& x : plane) {
      const float white = static_cast<float>(rng.uniform()) * 3.4641f - 1.7320f;  // unit variance
      dark = darkness * dark + (1.0f - darkness) * white;
      x += noise_level * (dark * (1.0f + 3.0f * darkness) + 0.2f * white);
    }
  }

  // Master: random loudness (-22 to -15 dBFS RMS) unless that would push peaks past 1.0 (spiky clips such as
  // plucked strums stay quieter instead), then a soft limiter.
  double sum = 0;
  float peak = 0;
  for (const auto& plane : audio.planes) {
    sum += rms(plane) * rms(plane);
    for (float x : plane) peak = std::max(peak, std::fabs(x));
  }
  const double mix_rms = std::sqrt(sum / audio.planes.size());
  const double loudness = std::pow(10.0, rng.uniform(-22, -15) / 20.0) / std::max(mix_rms, 1e-9);
  const float master = static_cast<float>(std::min(loudness, 1.0 / std::max(peak, 1e-9f)));
  for (auto& plane : audio.planes) {
    for (float& x : plane) x = master_limit(master * x);
  }
  return audio;
}

}  // namespace musictag::preprocess
