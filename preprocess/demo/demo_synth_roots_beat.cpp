// Layers of the beat-driven root genres (Rock, Electronic, Hip-Hop, Pop): drums, bass, chords, leads.
#include <algorithm>
#include <cmath>
#include <vector>

#include "preprocess/demo/demo_synth_layers.h"

namespace musictag::preprocess::synth {

// Rock: kick 1/3, snare 2/4, closed hats on 8ths.
void rock_drums(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    const double at = beat * b;
    if (beat % 2 == 0) add_kick(t, at, 1.0, 100, 50, 0.22);
    if (beat % 4 == 2 && r.chance(0.4)) add_kick(t, at + b / 2, 0.8, 100, 50, 0.2);
    if (beat % 2 == 1) add_snare(t, at, 0.9, 190, 0.14, r);
    for (int e = 0; e < 2; ++e) add_noise_hit(t, at + e * b / 2, 0.22, 4500, 1.0, 0.03, r);
  }
}

// Rock: distorted power chords (root, fifth, octave) on 8ths, 130-250 Hz fundamentals.
void rock_guitar(const Song& s, MonoTrack& t, DemoRng&) {
  const double e = s.beat_s() / 2;
  for (int i = 0; i < 2 * s.beats(); ++i) {
    const int root = s.chord_at(i * e)[0];
    for (int interval : {0, 7, 12}) {
      Note n;
      n.start_s = i * e;
      n.duration_s = e * 0.85;
      n.hz = s.hz(12 + root + interval);
      n.gain = 0.3;
      n.wave = Waveform::kSaw;
      n.envelope = {0.003, 0.4, 0.6, 0.02};
      add_note(t, n);
    }
  }
  lowpass_track(t, 3000);
  drive_track(t, 3.0);
}

// Rock: sawtooth bass on 8ths following the chord roots.
void rock_bass(const Song& s, MonoTrack& t, DemoRng&) {
  const double e = s.beat_s() / 2;
  for (int i = 0; i < 2 * s.beats(); ++i) {
    Note n;
    n.start_s = i * e;
    n.duration_s = e * 0.9;
    n.hz = s.hz(s.chord_at(i * e)[0]);
    n.gain = 0.5;
    n.wave = Waveform::kSaw;
    n.envelope = {0.004, 0.3, 0.7, 0.02};
    add_note(t, n);
  }
  lowpass_track(t, 450);
}

// Electronic: four-on-the-floor kick and offbeat closed hats.
void electronic_beat(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    add_kick(t, beat * b, 1.0, 120, 45, 0.3);
    add_noise_hit(t, beat * b + b / 2, 0.35, 4800, 1.2, 0.035, r);
  }
}

// Electronic: square-wave 16th arpeggio over the chord, two octaves from ~260 Hz.
void electronic_arp(const Song& s, MonoTrack& t, DemoRng& r) {
  const double sixteenth = s.beat_s() / 4;
  const int pattern = r.integer(0, 2);  // up, up-down, random
  for (int i = 0; i < 4 * s.beats(); ++i) {
    const auto& chord = s.chord_at(i * sixteenth);
    const int n_tones = static_cast<int>(chord.size()) * 2;
    const int k = pattern == 0   ? i % n_tones
                  : pattern == 1 ? std::abs((i % (2 * n_tones - 2)) - (n_tones - 1))
                                 : r.integer(0, n_tones - 1);
    Note n;
    n.start_s = i * sixteenth;
    n.duration_s = sixteenth * 0.7;
    n.hz = s.hz(36 + chord[static_cast<size_t>(k) % chord.size()] + 12 * (k / static_cast<int>(chord.size())));
    n.gain = 0.25;
    n.wave = Waveform::kSquare;
    n.envelope = {0.002, 0.08, 0.2, 0.03};
    add_note(t, n);
  }
  lowpass_track(t, 4000);
}

// Electronic: sine sub bass on the offbeats, 33-62 Hz.
void electronic_sub(const Song& s, MonoTrack& t, DemoRng&) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    Note n;
    n.start_s = beat * b + b / 2;
    n.duration_s = b * 0.4;
    n.hz = s.hz(-12 + s.chord_at(n.start_s)[0]);
    n.gain = 0.8;
    n.envelope = {0.005, 0.2, 0.5, 0.04};
    add_note(t, n);
  }
}

// Hip-Hop: slow boom-bap (kick 1, 2-and, 3-three-quarters; heavy snare 2/4) with swung hats.
void hiphop_drums(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int bar = 0; bar < s.bars(); ++bar) {
    const double at = bar * s.bar_s();
    for (double k : {0.0, 1.5, 2.75}) add_kick(t, at + k * b, 1.0, 90, 42, 0.35);
    if (r.chance(0.3)) add_kick(t, at + 3.5 * b, 0.7, 90, 42, 0.3);
    for (double k : {1.0, 3.0}) add_snare(t, at + k * b, 1.0, 160, 0.22, r);
    for (int e = 0; e < 8; ++e) {
      add_noise_hit(t, at + (e / 2 + (e % 2 ? 0.62 : 0.0)) * b, e % 2 ? 0.12 : 0.2, 4200, 1.0, 0.03, r);
    }
  }
}

// Hip-Hop: long 808 sub notes with a pitch drop at the onset, slightly driven.
void hiphop_808(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int bar = 0; bar < s.bars(); ++bar) {
    for (double k : {0.0, 1.5}) {
      Note n;
      n.start_s = bar * s.bar_s() + k * b;
      n.duration_s = b * (k == 0.0 ? 1.4 : 2.2);
      n.hz = s.hz(-12 + s.chord_at(n.start_s)[0] + (r.chance(0.2) ? 7 : 0));
      n.gain = 0.9;
      n.glide_semitones = 5;
      n.envelope = {0.004, 0.8, 0.6, 0.1};
      add_note(t, n);
    }
  }
  drive_track(t, 1.5);
}

// Hip-Hop: vinyl crackle (random clicks) over a faint hiss.
void hiphop_vinyl(const Song& s, MonoTrack& t, DemoRng& r) {
  const double rate = r.uniform(15, 35);
  for (double at = 0; at < s.duration_s; at += -std::log(1.0 - r.uniform()) / rate) {
    const size_t i = t.at(at);
    if (i + 1 >= t.samples.size()) break;
    const double size = r.uniform(0.2, 1.0);  // one draw per statement: operand order is unspecified
    const float amp = static_cast<float>(r.chance(0.5) ? size : -size);
    t.samples[i] += amp;
    t.samples[i + 1] -= 0.6f * amp;
  }
  Biquad hiss;
  hiss.set_bandpass(2500, 0.5, t.sample_rate);
  for (float& x : t.samples) x += 0.03f * hiss.process(static_cast<float>(r.uniform()) - 0.5f);
}

// Pop: kick 1/3, clap 2/4, light 8th hats.
void pop_drums(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) {
    const double at = beat * b;
    if (beat % 2 == 0) add_kick(t, at, 1.0, 110, 48, 0.25);
    if (beat % 4 == 2 && r.chance(0.5)) add_kick(t, at + b / 2, 0.7, 110, 48, 0.2);
    if (beat % 2 == 1) add_clap(t, at, 0.9, r);
    for (int e = 0; e < 2; ++e) add_noise_hit(t, at + e * b / 2, 0.12, 4600, 1.0, 0.025, r);
  }
}

// Pop: bright square-wave lead on a pentatonic scale, 8ths and quarters, ~520-1300 Hz.
void pop_lead(const Song& s, MonoTrack& t, DemoRng& r) {
  static const int kPentatonic[5] = {0, 2, 4, 7, 9};
  const double e = s.beat_s() / 2;
  int step = r.integer(0, 4);
  for (double at = 0; at < s.duration_s;) {
    const double length = e * r.pick(std::vector<double>{1, 1, 2, 2, 3});
    if (r.chance(0.85)) {
      Note n;
      n.start_s = at;
      n.duration_s = length * 0.9;
      n.hz = s.hz(48 + 12 * (step / 5) + kPentatonic[step % 5] + (s.minor ? 3 : 0));
      n.gain = 0.25;
      n.wave = Waveform::kSquare;
      n.envelope = {0.01, 0.3, 0.7, 0.05};
      n.vibrato_hz = 5.5;
      n.vibrato_semitones = 0.1;
      add_note(t, n);
    }
    step = std::clamp(step + r.integer(-2, 2), 0, 9);
    at += length;
  }
  lowpass_track(t, 3500);
}

// Pop: sustained sawtooth triads, one per bar, ~260-500 Hz.
void pop_pad(const Song& s, MonoTrack& t, DemoRng&) {
  for (int bar = 0; bar < s.bars(); ++bar) {
    const double at = bar * s.bar_s();
    for (int v : s.chord_at(at)) {
      Note n;
      n.start_s = at;
      n.duration_s = s.bar_s();
      n.hz = s.hz(24 + v);
      n.gain = 0.15;
      n.wave = Waveform::kSaw;
      n.envelope = {0.1, 0.8, 0.7, 0.2};
      add_note(t, n);
    }
  }
  lowpass_track(t, 1200);
}

}  // namespace musictag::preprocess::synth
