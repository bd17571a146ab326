// Layers that belong to no genre, added at random to blur the genre signatures a little.
#include "preprocess/demo/demo_synth_layers.h"

namespace musictag::preprocess::synth {

// Distractor: a soft sine pad in a random octave.
void distractor_pad(const Song& s, MonoTrack& t, DemoRng& r) {
  const int octave = r.integer(2, 4) * 12;
  for (int bar = 0; bar < s.bars(); bar += 2) {
    for (int v : s.chord_at(bar * s.bar_s())) {
      Note n;
      n.start_s = bar * s.bar_s();
      n.duration_s = 2 * s.bar_s();
      n.hz = s.hz(octave + v);
      n.gain = 0.2;
      n.envelope = {0.5, 1.0, 0.8, 0.5};
      add_note(t, n);
    }
  }
}

// Distractor: a shaker on 16ths (competes with the hats of several genres).
void distractor_shaker(const Song& s, MonoTrack& t, DemoRng& r) {
  const double sixteenth = s.beat_s() / 4;
  for (int i = 0; i < 4 * s.beats(); ++i) add_noise_hit(t, i * sixteenth, i % 4 == 2 ? 0.3 : 0.15, 5500, 1.0, 0.02, r);
}

// Distractor: sparse plucked notes anywhere from 130 to 1000 Hz.
void distractor_plucks(const Song& s, MonoTrack& t, DemoRng& r) {
  for (double at = r.uniform(0, 2); at < s.duration_s; at += r.uniform(0.3, 2.0)) {
    const double hz = s.hz(12 + s.scale_note(r.integer(0, 20)));  // one draw per statement
    const double brightness = r.uniform(0.4, 0.9);
    add_pluck(t, at, hz, 0.4, 1.0, brightness, r);
  }
}

// Distractor: mains hum at 50 or 60 Hz with odd harmonics.
void distractor_hum(const Song& s, MonoTrack& t, DemoRng& r) {
  const double hz = r.chance(0.5) ? 50.0 : 60.0;
  for (int h : {1, 3, 5}) {
    Note n;
    n.duration_s = s.duration_s;
    n.hz = hz * h;
    n.gain = 0.3 / h;
    n.envelope = {0.01, 1.0, 1.0, 0.01};
    add_note(t, n);
  }
}

}  // namespace musictag::preprocess::synth
