// Cheap synthesis primitives for the demo clips: oscillators, filters, drums, plucked and sung notes, each adding
// into a mono float buffer.
#pragma once

#include <cstddef>
#include <vector>

#include "preprocess/demo/demo_random.h"

namespace musictag::preprocess::synth {

enum class Waveform { kSine, kTriangle, kSaw, kSquare };

// One oscillator sample at phase in [0, 1). Sine uses a 4096-entry table with linear interpolation.
float oscillator(Waveform wave, double phase);
float fast_sine(double phase);
// Soft clipper: odd rational approximation of tanh, exact 1 at |x| >= 3.
float soft_clip(float x);
// Hz of a MIDI note number (69 = A4 = 440 Hz).
double midi_to_hz(double note);

// A mono signal being built: samples at a rate, with helpers to convert time.
struct MonoTrack {
  std::vector<float> samples;
  int sample_rate = 44100;
  size_t at(double seconds) const { return seconds <= 0 ? 0 : static_cast<size_t>(seconds * sample_rate + 0.5); }
};

// RBJ biquad (direct form I), coefficients set per filter type.
class Biquad {
 public:
  void set_lowpass(double hz, double q, int sample_rate);
  void set_highpass(double hz, double q, int sample_rate);
  void set_bandpass(double hz, double q, int sample_rate);  // constant 0 dB peak gain
  float process(float x) {
    const float y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
    x2_ = x1_;
    x1_ = x;
    y2_ = y1_;
    y1_ = y;
    return y;
  }

 private:
  void set(double b0, double b1, double b2, double a0, double a1, double a2);
  float b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
  float x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

struct Envelope {
  double attack_s = 0.005;
  double decay_s = 0.3;  // time constant of the fall from 1 to `sustain`
  double sustain = 1.0;
  double release_s = 0.05;
};

struct Note {
  double start_s = 0;
  double duration_s = 0.5;  // until note-off; the release follows
  double hz = 440;
  double gain = 0.5;
  Waveform wave = Waveform::kSine;
  Envelope envelope;
  double vibrato_hz = 0, vibrato_semitones = 0;
  double tremolo_hz = 0, tremolo_depth = 0;  // depth in [0, 1]
  double glide_semitones = 0;                // starts this far off and slides to `hz` within 60 ms
  double lowpass_hz = 0;                     // 0: no filter; else a 2-pole lowpass
  double drive = 0;                          // > 0: soft_clip(drive * x) / soft_clip(drive)
};
void add_note(MonoTrack& track, const Note& note);

// Sum of inharmonic partials (ratios, each decaying), e.g. bells: {1, 2.76, 5.4, 8.93}.
void add_bell(MonoTrack& track, double start_s, double hz, double gain, double decay_s,
              const std::vector<double>& ratios);

// Karplus-Strong plucked string; brightness in (0, 1] scales the high partials of the initial burst.
void add_pluck(MonoTrack& track, double start_s, double hz, double gain, double length_s, double brightness,
               DemoRng& rng);

// Band-passed noise with an exponential decay: hats (4-6 kHz), snares' rattle, claps, crashes, ride, breath.
void add_noise_hit(MonoTrack& track, double start_s, double gain, double center_hz, double q, double decay_s,
                   DemoRng& rng);

// Kick: sine sweeping from `hz_start` down to `hz_end`, decaying.
void add_kick(MonoTrack& track, double start_s, double gain, double hz_start = 110, double hz_end = 45,
              double decay_s = 0.3);
// Snare: a decaying tone plus broadband rattle.
void add_snare(MonoTrack& track, double start_s, double gain, double tone_hz, double decay_s, DemoRng& rng);
// Clap: three 10 ms noise taps and a tail around 1.2 kHz.
void add_clap(MonoTrack& track, double start_s, double gain, DemoRng& rng);

// Sung vowel: a sawtooth at f0 through three formant band-passes; vowel 0..4 = a, e, i, o, u.
struct SungNote {
  double start_s = 0, duration_s = 0.3, f0 = 150, gain = 0.3;
  int vowel = 0;
  double vibrato_hz = 0, vibrato_semitones = 0;
  double attack_s = 0.02, release_s = 0.05;
};
void add_sung_note(MonoTrack& track, const SungNote& note);

// Whole-track effects applied after a layer's notes are in: 2-pole filters and soft-clip distortion.
void lowpass_track(MonoTrack& track, double hz, double q = 0.707);
void highpass_track(MonoTrack& track, double hz, double q = 0.707);
// Scales the track to peak 1, then soft-clips with gain `drive` (amount of distortion independent of level).
void drive_track(MonoTrack& track, double drive);

}  // namespace musictag::preprocess::synth
