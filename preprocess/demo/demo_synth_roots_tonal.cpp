// Layers of the other root genres (Jazz, Classical, Folk, Experimental): swing, strings, strums, textures.
#include <algorithm>
#include <cmath>
#include <vector>

#include "preprocess/demo/demo_synth_layers.h"

namespace musictag::preprocess::synth {

// Jazz: swung ride pattern with its bell ping, and the hi-hat foot on 2 and 4.
void jazz_ride(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    const double at = beat * b;
    add_noise_hit(t, at, 0.35, 5200, 2.0, 0.25, r);
    add_bell(t, at, 3300, 0.06, 0.3, {1.0});
    if (beat % 2 == 1) {
      add_noise_hit(t, at + b * 2.0 / 3.0, 0.25, 5200, 2.0, 0.2, r);
      add_noise_hit(t, at, 0.2, 3500, 1.5, 0.02, r);
    }
    if (r.chance(0.25)) add_noise_hit(t, at + b * 2.0 / 3.0, 0.12, 2000, 0.5, 0.08, r);  // brushed snare
  }
}

// Jazz: plucked walking bass, one note per beat (chord tones and scale steps), 41-110 Hz.
void jazz_walking_bass(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    const auto& chord = s.chord_at(beat * b);
    const int semis = beat % 4 == 0 ? chord[0] : r.chance(0.6) ? r.pick(chord) : s.scale_note(r.integer(0, 6));
    add_pluck(t, beat * b, s.hz(-12 + semis + (semis < 5 ? 12 : 0)), 0.9, 0.8, 0.5, r);
  }
}

// Jazz: four-note seventh chords comped on swung offbeats, ~260-600 Hz.
void jazz_comping(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int bar = 0; bar < s.bars(); ++bar) {
    for (int k = 0; k < 8; ++k) {
      if (!r.chance(k % 2 ? 0.35 : 0.15)) continue;
      const double at = bar * s.bar_s() + (k / 2 + (k % 2 ? 2.0 / 3.0 : 0.0)) * b;
      const auto& chord = s.chord_at(at);
      for (size_t v = 0; v < chord.size(); ++v) {
        Note n;
        n.start_s = at;
        n.duration_s = b * 0.6;
        n.hz = s.hz(24 + chord[v]);
        n.gain = 0.18;
        n.wave = Waveform::kTriangle;
        n.envelope = {0.004, 0.25, 0.1, 0.1};
        add_note(t, n);
      }
    }
  }
}

// Classical: bowed string pad (four voices, slow attack, vibrato), chords every two bars.
void classical_strings(const Song& s, MonoTrack& t, DemoRng& r) {
  const double span = s.bar_s() * s.bars_per_chord;
  for (double at = 0; at < s.duration_s; at += span) {
    const auto& chord = s.chord_at(at);
    const int voicing[4] = {chord[0], 12 + chord[1 % chord.size()], 12 + chord[2 % chord.size()], 24 + chord[0]};
    for (int v : voicing) {
      Note n;
      n.start_s = at;
      n.duration_s = span;
      n.hz = s.hz(12 + v);
      n.gain = 0.2;
      n.wave = Waveform::kSaw;
      n.envelope = {0.4, 1.0, 0.8, 0.5};
      n.vibrato_hz = r.uniform(5.0, 6.0);
      n.vibrato_semitones = 0.12;
      add_note(t, n);
    }
  }
  lowpass_track(t, 1800);
}

// Classical: a slow flute-like melody (triangle, vibrato) at ~520-1050 Hz.
void classical_flute(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  int degree = r.integer(0, 6);
  for (double at = 0; at < s.duration_s;) {
    const double length = b * r.pick(std::vector<double>{1, 1, 2, 2, 3, 4});
    if (r.chance(0.8)) {
      Note n;
      n.start_s = at;
      n.duration_s = length * 0.95;
      n.hz = s.hz(48 + s.scale_note(degree));
      n.gain = 0.35;
      n.wave = Waveform::kTriangle;
      n.envelope = {0.06, 0.5, 0.85, 0.15};
      n.vibrato_hz = 4.5;
      n.vibrato_semitones = 0.15;
      add_note(t, n);
    }
    degree = std::clamp(degree + r.integer(-2, 2), -2, 9);
    at += length;
  }
}

// Folk: strummed plucked-string chords (down on beats, some up-strums on the swung offbeat).
void folk_strum(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    const auto& chord = s.chord_at(beat * b);
    for (int strum = 0; strum < 2; ++strum) {
      if (strum == 1 && !r.chance(0.5)) continue;
      const double at = beat * b + strum * b * 0.6;
      const int strings = strum == 0 ? 6 : 4;
      for (int k = 0; k < strings; ++k) {
        const int idx = strum == 0 ? k : strings - 1 - k;
        const int size = static_cast<int>(chord.size());
        const int semis = 12 + chord[static_cast<size_t>(idx % size)] + 12 * (idx / size);
        add_pluck(t, at + 0.015 * k, s.hz(semis), strum == 0 ? 0.3 : 0.2, 1.1, 0.7, r);
      }
    }
  }
}

// Folk: plucked bass on beats 1 and 3 alternating root and fifth.
void folk_bass(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); beat += 2) {
    add_pluck(t, beat * b, s.hz(s.chord_at(beat * b)[0] + (beat % 4 == 2 ? 7 : 0)), 0.7, 1.0, 0.4, r);
  }
}

// Experimental: brown-noise drone under a slowly wandering low-pass (100-1500 Hz).
void experimental_drone(const Song&, MonoTrack& t, DemoRng& r) {
  Biquad filter;
  const double lfo_hz = r.uniform(0.02, 0.08), lfo_phase = r.uniform();
  float brown = 0;
  for (size_t i = 0; i < t.samples.size(); ++i) {
    if (i % 64 == 0) {
      const double lfo = 0.5 + 0.5 * fast_sine(lfo_phase + lfo_hz * static_cast<double>(i) / t.sample_rate);
      filter.set_lowpass(100.0 * std::pow(15.0, lfo), 2.0, t.sample_rate);
    }
    brown = 0.998f * brown + 0.04f * (static_cast<float>(r.uniform()) - 0.5f);
    t.samples[i] += filter.process(brown);
  }
}

// Experimental: overlapping sine glissandi sliding exponentially between 150 and 2500 Hz.
void experimental_glissandi(const Song& s, MonoTrack& t, DemoRng& r) {
  for (double at = 0; at < s.duration_s; at += r.uniform(0.8, 3.0)) {
    const double length = r.uniform(2.0, 6.0);
    const double from = 150 * std::pow(16.0, r.uniform()), to = 150 * std::pow(16.0, r.uniform());
    const size_t begin = t.at(at), end = std::min(t.samples.size(), t.at(at + length));
    if (end <= begin) break;
    const double ratio = std::pow(to / from, 1.0 / static_cast<double>(end - begin));
    double phase = 0, inc = from / t.sample_rate;
    for (size_t i = begin; i < end; ++i) {
      const double x = static_cast<double>(i - begin) / static_cast<double>(end - begin);
      phase += inc;
      inc *= ratio;
      if (phase >= 1.0) phase -= 1.0;
      const double amp = 0.3 * std::min(1.0, std::min(x, 1.0 - x) * 8);
      t.samples[i] += static_cast<float>(amp) * fast_sine(phase);
    }
  }
}

// Experimental: irregular resonant grains and clicks, no beat grid.
void experimental_grains(const Song& s, MonoTrack& t, DemoRng& r) {
  const double rate = r.uniform(2, 5);
  for (double at = 0; at < s.duration_s; at += -std::log(1.0 - r.uniform()) / rate) {
    const double gain = r.uniform(0.3, 0.8);  // one draw per statement: argument order is unspecified
    const double hz = 500 * std::pow(10.0, r.uniform());
    const double decay = r.uniform(0.01, 0.06);
    add_noise_hit(t, at, gain, hz, 3.0, decay, r);
  }
}

}  // namespace musictag::preprocess::synth
