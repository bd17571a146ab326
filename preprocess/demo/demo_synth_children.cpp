// Layers of the child genres: each a distinct, mel-visible addition to its root's sound.
#include <algorithm>

#include "preprocess/demo/demo_synth_layers.h"

namespace musictag::preprocess::synth {

// Punk: heavily distorted power chords an octave up, and a crash cymbal on every bar.
void punk_guitar(const Song& s, MonoTrack& t, DemoRng& r) {
  const double e = s.beat_s() / 2;
  for (int i = 0; i < 2 * s.beats(); ++i) {
    const int root = s.chord_at(i * e)[0];
    for (int interval : {0, 7}) {
      Note n;
      n.start_s = i * e;
      n.duration_s = e * 0.95;
      n.hz = s.hz(24 + root + interval);
      n.gain = 0.3;
      n.wave = Waveform::kSaw;
      add_note(t, n);
    }
  }
  lowpass_track(t, 4500);
  drive_track(t, 12.0);
  for (int bar = 0; bar < s.bars(); ++bar) add_noise_hit(t, bar * s.bar_s(), 0.5, 5000, 0.4, 0.6, r);
}

// Metal: palm-muted low chugs (16ths, heavy drive) over a double-kick 16th roll.
void metal_chugs(const Song& s, MonoTrack& t, DemoRng& r) {
  const double sixteenth = s.beat_s() / 4;
  for (int i = 0; i < 4 * s.beats(); ++i) {
    if (!r.chance(0.8)) continue;
    Note n;
    n.start_s = i * sixteenth;
    n.duration_s = sixteenth * 0.5;
    n.hz = s.hz(-5 + (r.chance(0.85) ? 0 : 1));  // low, fixed "drop" note: 55-98 Hz
    n.gain = 0.5;
    n.wave = Waveform::kSaw;
    n.envelope = {0.002, 0.05, 0.1, 0.02};
    add_note(t, n);
  }
  drive_track(t, 10.0);
  lowpass_track(t, 3000);
  for (int i = 0; i < 4 * s.beats(); ++i) add_kick(t, i * sixteenth, 0.5, 95, 55, 0.08);
}

// Indie-Rock: bright jangly plucked arpeggios on 8ths (~520-1000 Hz) with a detuned double for chorus.
void indie_jangle(const Song& s, MonoTrack& t, DemoRng& r) {
  const double e = s.beat_s() / 2;
  for (int i = 0; i < 2 * s.beats(); ++i) {
    const auto& chord = s.chord_at(i * e);
    const double hz = s.hz(48 + chord[static_cast<size_t>(i) % chord.size()]);
    add_pluck(t, i * e, hz, 0.35, 0.9, 0.95, r);
    add_pluck(t, i * e + 0.004, hz * 1.004, 0.25, 0.9, 0.95, r);
  }
}

// Techno: 16th sawtooth bass through a resonant low-pass sweeping 250-2800 Hz over eight bars.
void techno_acid(const Song& s, MonoTrack& t, DemoRng& r) {
  const double sixteenth = s.beat_s() / 4;
  for (int i = 0; i < 4 * s.beats(); ++i) {
    if (!r.chance(0.75)) continue;
    Note n;
    n.start_s = i * sixteenth;
    n.duration_s = sixteenth * 0.8;
    n.hz = s.hz(s.chord_at(n.start_s)[0] + (r.chance(0.2) ? 12 : 0));
    n.gain = 0.5;
    n.wave = Waveform::kSaw;
    n.envelope = {0.002, 0.1, 0.4, 0.02};
    add_note(t, n);
  }
  Biquad filter;
  const double period = 8 * s.bar_s(), phase = r.uniform();
  for (size_t i = 0; i < t.samples.size(); ++i) {
    if (i % 32 == 0) {
      const double lfo = 0.5 + 0.5 * fast_sine(phase + static_cast<double>(i) / t.sample_rate / period);
      filter.set_lowpass(250.0 * std::pow(11.0, lfo), 6.0, t.sample_rate);
    }
    t.samples[i] = filter.process(t.samples[i]);
  }
  drive_track(t, 2.0);
}

// House: open hi-hats on the offbeats and short piano-like seventh-chord stabs.
void house_stabs(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  for (int beat = 0; beat < s.beats(); ++beat) add_noise_hit(t, beat * b + b / 2, 0.45, 4200, 0.8, 0.15, r);
  for (int bar = 0; bar < s.bars(); ++bar) {
    for (double k : {1.5, 2.75, 3.5}) {
      if (k == 2.75 && !r.chance(0.5)) continue;
      const double at = bar * s.bar_s() + k * b;
      const auto& chord = s.chord_at(at);
      for (size_t v = 0; v < 4; ++v) {
        Note n;
        n.start_s = at;
        n.duration_s = b * 0.3;
        n.hz = s.hz(24 + (v < chord.size() ? chord[v] : chord[0] + 10));
        n.gain = 0.22;
        n.wave = Waveform::kTriangle;
        n.envelope = {0.002, 0.15, 0.0, 0.05};
        add_note(t, n);
      }
    }
  }
}

// Ambient Electronic: a high sine cluster (1-3.7 kHz, below the 6 kHz a 12 kHz frontend keeps) with slow attack
// and deep slow tremolo, held for four bars.
void ambient_shimmer(const Song& s, MonoTrack& t, DemoRng& r) {
  const double span = 4 * s.bar_s();
  const double tremolo = r.uniform(0.3, 0.6);
  for (double at = 0; at < s.duration_s; at += span) {
    const auto& chord = s.chord_at(at);
    for (size_t v = 0; v < chord.size(); ++v) {
      Note n;
      n.start_s = at;
      n.duration_s = span;
      n.hz = s.hz(48 + chord[v]);
      n.gain = 0.2;
      n.envelope = {1.5, 2.0, 0.9, 1.5};
      n.tremolo_hz = tremolo * (1.0 + 0.3 * v);
      n.tremolo_depth = 0.8;
      add_note(t, n);
    }
  }
}

// Rap: fast monotone-ish syllables (formant voice, 100-150 Hz) on the 16th grid with consonant noise.
void rap_voice(const Song& s, MonoTrack& t, DemoRng& r) {
  const double sixteenth = s.beat_s() / 4, f0 = r.uniform(100, 150);
  for (int bar = 0; bar < s.bars(); ++bar) {
    if (bar % 4 == 3 && r.chance(0.5)) continue;  // breathe
    for (int k = 0; k < 16; ++k) {
      if (!r.chance(0.7)) continue;
      SungNote n;
      n.start_s = bar * s.bar_s() + k * sixteenth;
      n.duration_s = sixteenth * 0.7;
      n.f0 = f0 * std::pow(2.0, r.uniform(-2, 2) / 12.0);
      n.gain = 0.35;
      n.vowel = r.integer(0, 4);
      n.attack_s = 0.01;
      n.release_s = 0.03;
      add_sung_note(t, n);
      if (r.chance(0.5)) add_noise_hit(t, n.start_s, 0.3, 5000, 1.5, 0.012, r);
    }
  }
}

// Free-Jazz: sax-like runs (filtered square, wide vibrato, glides) with random timing and squeals.
void free_jazz_sax(const Song& s, MonoTrack& t, DemoRng& r) {
  for (double at = r.uniform(0, 1); at < s.duration_s; at += r.uniform(0.3, 1.5)) {
    const double phrase_end = at + r.uniform(1.0, 3.0);
    int semis = r.integer(36, 54);
    for (; at < phrase_end; at += r.uniform(0.06, 0.2)) {
      Note n;
      n.start_s = at;
      n.duration_s = r.uniform(0.06, 0.22);
      n.hz = s.hz(r.chance(0.12) ? semis + 24 : semis);
      n.gain = 0.3;
      n.wave = Waveform::kSquare;
      n.envelope = {0.01, 0.2, 0.8, 0.03};
      n.vibrato_hz = 6.5;
      n.vibrato_semitones = 0.3;
      n.glide_semitones = r.chance(0.3) ? r.uniform(-3, 3) : 0;
      add_note(t, n);
      semis = std::clamp(semis + r.integer(-5, 5), 30, 60);
    }
  }
  lowpass_track(t, 2800);
}

// Chamber Music: a solo violin line (sawtooth, strong vibrato) at ~520-1600 Hz.
void chamber_violin(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  int degree = r.integer(0, 6);
  for (double at = 0; at < s.duration_s;) {
    const double length = b * r.pick(std::vector<double>{0.5, 0.5, 1, 1, 1.5, 2});
    Note n;
    n.start_s = at;
    n.duration_s = length;
    n.hz = s.hz(48 + s.scale_note(degree));
    n.gain = 0.3;
    n.wave = Waveform::kSaw;
    n.envelope = {0.05, 0.4, 0.8, 0.08};
    n.vibrato_hz = 6.0;
    n.vibrato_semitones = 0.3;
    add_note(t, n);
    degree = std::clamp(degree + r.integer(-3, 3), 0, 12);
    at += length;
  }
  highpass_track(t, 400);
  lowpass_track(t, 5000);
}

// Singer-Songwriter: a sung melody (formant voice, 200-500 Hz, vibrato) in four-bar phrases.
void singer_voice(const Song& s, MonoTrack& t, DemoRng& r) {
  const double b = s.beat_s();
  int degree = r.integer(0, 4);
  for (int phrase = 0; phrase * 5 * s.bar_s() < s.duration_s; ++phrase) {
    const double start = phrase * 5 * s.bar_s(), end = start + 4 * s.bar_s();
    for (double at = start; at < end;) {
      const double length = b * r.pick(std::vector<double>{1, 1, 1.5, 2});
      SungNote n;
      n.start_s = at;
      n.duration_s = length * 0.9;
      n.f0 = s.hz(24 + s.scale_note(degree));
      n.gain = 0.35;
      n.vowel = r.pick(std::vector<int>{0, 0, 1, 3});
      n.vibrato_hz = 5.0;
      n.vibrato_semitones = 0.25;
      add_sung_note(t, n);
      degree = std::clamp(degree + r.integer(-2, 2), 0, 9);
      at += length;
    }
  }
}

// Noise: harsh clipped broadband bursts with stutter, alternating with gaps.
void harsh_noise(const Song& s, MonoTrack& t, DemoRng& r) {
  for (double at = r.uniform(0, 1); at < s.duration_s;) {
    const double length = r.uniform(0.2, 1.5), cutoff = r.uniform(1500, 6000), stutter = r.uniform(8, 30);
    Biquad filter;
    filter.set_lowpass(cutoff, 0.9, t.sample_rate);
    const size_t begin = t.at(at), end = std::min(t.samples.size(), t.at(at + length));
    for (size_t i = begin; i < end; ++i) {
      const double x = static_cast<double>(i - begin) / t.sample_rate;
      const float gate = fast_sine(stutter * x) > -0.3f ? 1.0f : 0.15f;
      const float noise = soft_clip(4.0f * (static_cast<float>(r.uniform()) - 0.5f) * 2.0f);
      t.samples[i] += 0.5f * gate * filter.process(noise);
    }
    at += length + r.uniform(0.2, 2.0);
  }
}

// Avant-Garde: inharmonic bell strikes (partials 1, 2.76, 5.4, 8.93) at random times and pitches.
void avant_garde_bells(const Song& s, MonoTrack& t, DemoRng& r) {
  const double rate = r.uniform(1.0, 2.0);
  for (double at = 0; at < s.duration_s; at += -std::log(1.0 - r.uniform()) / rate) {
    const double hz = 150 * std::pow(6.0, r.uniform());  // one draw per statement: argument order is unspecified
    const double gain = r.uniform(0.2, 0.5);
    const double decay = r.uniform(0.4, 1.5);
    add_bell(t, at, hz, gain, decay, {1.0, 2.76, 5.40, 8.93});
  }
}

// Synth Pop: gated 16th supersaw chords (two detuned saws per tone) at ~260-500 Hz.
void synthpop_supersaw(const Song& s, MonoTrack& t, DemoRng& r) {
  const double sixteenth = s.beat_s() / 4;
  for (int i = 0; i < 4 * s.beats(); ++i) {
    if (!r.chance(0.7)) continue;
    const auto& chord = s.chord_at(i * sixteenth);
    for (size_t v = 0; v < std::min<size_t>(3, chord.size()); ++v) {
      for (double detune : {-0.12, 0.12}) {
        Note n;
        n.start_s = i * sixteenth;
        n.duration_s = sixteenth * 0.6;
        n.hz = s.hz(36 + chord[v] + detune);
        n.gain = 0.12;
        n.wave = Waveform::kSaw;
        n.envelope = {0.003, 0.1, 0.6, 0.02};
        add_note(t, n);
      }
    }
  }
  lowpass_track(t, 3500);
}

}  // namespace musictag::preprocess::synth
