// Internal to the demo synthesizer: the song context (tempo, key, chords) and one render function per layer;
// each genre's signature is a set of these layers.
#pragma once

#include <cmath>
#include <vector>

#include "preprocess/demo/demo_random.h"
#include "preprocess/demo/demo_synth_voices.h"

namespace musictag::preprocess::synth {

struct Song {
  int sample_rate = 44100;
  double duration_s = 30;
  double bpm = 120;
  int key = 40;  // MIDI note of the tonic in octave 2 (36..47, 65-123 Hz)
  bool minor = false;
  int bars_per_chord = 1;
  std::vector<std::vector<int>> progression;  // chord tones per chord, semitones above the tonic

  double beat_s() const { return 60.0 / bpm; }
  double bar_s() const { return 4.0 * beat_s(); }
  int beats() const { return static_cast<int>(duration_s / beat_s()) + 1; }
  int bars() const { return beats() / 4 + 1; }
  const std::vector<int>& chord_at(double t) const {
    const int bar = static_cast<int>(t / bar_s());
    return progression[static_cast<size_t>(bar / bars_per_chord) % progression.size()];
  }
  // Semitones above the tonic of scale degree `degree` (any integer; wraps into octaves).
  int scale_note(int degree) const {
    static const int kMajor[7] = {0, 2, 4, 5, 7, 9, 11}, kMinor[7] = {0, 2, 3, 5, 7, 8, 10};
    const int octave = degree >= 0 ? degree / 7 : -((6 - degree) / 7);
    const int step = degree - 7 * octave;
    return 12 * octave + (minor ? kMinor[step] : kMajor[step]);
  }
  double hz(double semitones) const { return midi_to_hz(key + semitones); }
};

using LayerFn = void (*)(const Song&, MonoTrack&, DemoRng&);

struct LayerSpec {
  LayerFn render;
  double level_db;  // loudness relative to the other layers (RMS)
  bool rhythm;      // drums stay centred and are never muted for a bar
};

// The layers a genre adds (demo_synth_signatures.cpp); ConfigError for a genre outside the demo tree.
std::vector<LayerSpec> genre_layers(int genre);

// A root genre's tempo range (BPM), whether it changes chords every two bars, and whether it uses sevenths.
struct RootStyle {
  double bpm_low, bpm_high;
  bool slow_harmony, sevenths;
};
RootStyle root_style(int root);

// Roots (demo_synth_roots_beat.cpp, demo_synth_roots_tonal.cpp).
void rock_drums(const Song&, MonoTrack&, DemoRng&);
void rock_guitar(const Song&, MonoTrack&, DemoRng&);
void rock_bass(const Song&, MonoTrack&, DemoRng&);
void electronic_beat(const Song&, MonoTrack&, DemoRng&);
void electronic_arp(const Song&, MonoTrack&, DemoRng&);
void electronic_sub(const Song&, MonoTrack&, DemoRng&);
void hiphop_drums(const Song&, MonoTrack&, DemoRng&);
void hiphop_808(const Song&, MonoTrack&, DemoRng&);
void hiphop_vinyl(const Song&, MonoTrack&, DemoRng&);
void jazz_ride(const Song&, MonoTrack&, DemoRng&);
void jazz_walking_bass(const Song&, MonoTrack&, DemoRng&);
void jazz_comping(const Song&, MonoTrack&, DemoRng&);
void classical_strings(const Song&, MonoTrack&, DemoRng&);
void classical_flute(const Song&, MonoTrack&, DemoRng&);
void folk_strum(const Song&, MonoTrack&, DemoRng&);
void folk_bass(const Song&, MonoTrack&, DemoRng&);
void experimental_drone(const Song&, MonoTrack&, DemoRng&);
void experimental_glissandi(const Song&, MonoTrack&, DemoRng&);
void experimental_grains(const Song&, MonoTrack&, DemoRng&);
void pop_drums(const Song&, MonoTrack&, DemoRng&);
void pop_lead(const Song&, MonoTrack&, DemoRng&);
void pop_pad(const Song&, MonoTrack&, DemoRng&);

// Children (demo_synth_children.cpp).
void punk_guitar(const Song&, MonoTrack&, DemoRng&);
void metal_chugs(const Song&, MonoTrack&, DemoRng&);
void indie_jangle(const Song&, MonoTrack&, DemoRng&);
void techno_acid(const Song&, MonoTrack&, DemoRng&);
void house_stabs(const Song&, MonoTrack&, DemoRng&);
void ambient_shimmer(const Song&, MonoTrack&, DemoRng&);
void rap_voice(const Song&, MonoTrack&, DemoRng&);
void free_jazz_sax(const Song&, MonoTrack&, DemoRng&);
void chamber_violin(const Song&, MonoTrack&, DemoRng&);
void singer_voice(const Song&, MonoTrack&, DemoRng&);
void harsh_noise(const Song&, MonoTrack&, DemoRng&);
void avant_garde_bells(const Song&, MonoTrack&, DemoRng&);
void synthpop_supersaw(const Song&, MonoTrack&, DemoRng&);

// Distractors that belong to no genre (demo_synth_distractors.cpp): they blur the signatures a little.
void distractor_pad(const Song&, MonoTrack&, DemoRng&);
void distractor_shaker(const Song&, MonoTrack&, DemoRng&);
void distractor_plucks(const Song&, MonoTrack&, DemoRng&);
void distractor_hum(const Song&, MonoTrack&, DemoRng&);

}  // namespace musictag::preprocess::synth
