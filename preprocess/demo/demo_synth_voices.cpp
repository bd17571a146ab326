// Tonal synthesis primitives: table sine, naive oscillators (aliasing is irrelevant for tagging), RBJ biquads,
// incremental envelopes, bells and formant voices. O(samples), no allocation per sample.
#include <algorithm>
#include <cmath>

#include "preprocess/demo/demo_synth_dsp.h"
#include "preprocess/demo/demo_synth_voices.h"

namespace musictag::preprocess::synth {

float fast_sine(double phase) {
  const double x = (phase - std::floor(phase)) * kSineTableSize;
  const int i = static_cast<int>(x);
  const float frac = static_cast<float>(x - i);
  const auto& t = sine_table();
  return t[i] + (t[i + 1] - t[i]) * frac;
}

float oscillator(Waveform wave, double phase) {
  switch (wave) {
    case Waveform::kSine:
      return fast_sine(phase);
    case Waveform::kTriangle:
      return static_cast<float>(1.0 - 4.0 * std::fabs(phase - 0.5));
    case Waveform::kSaw:
      return static_cast<float>(2.0 * phase - 1.0);
    case Waveform::kSquare:
      return phase < 0.5 ? 1.0f : -1.0f;
  }
  return 0.0f;
}

float soft_clip(float x) {
  if (x >= 3.0f) return 1.0f;
  if (x <= -3.0f) return -1.0f;
  const float x2 = x * x;
  return x * (27.0f + x2) / (27.0f + 9.0f * x2);
}

double midi_to_hz(double note) { return 440.0 * std::pow(2.0, (note - 69.0) / 12.0); }

void Biquad::set(double b0, double b1, double b2, double a0, double a1, double a2) {
  b0_ = static_cast<float>(b0 / a0);
  b1_ = static_cast<float>(b1 / a0);
  b2_ = static_cast<float>(b2 / a0);
  a1_ = static_cast<float>(a1 / a0);
  a2_ = static_cast<float>(a2 / a0);
}

void Biquad::set_lowpass(double hz, double q, int sample_rate) {
  const double w = kTwoPi * std::min(hz, 0.45 * sample_rate) / sample_rate, alpha = std::sin(w) / (2 * q);
  const double c = std::cos(w);
  set((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

void Biquad::set_highpass(double hz, double q, int sample_rate) {
  const double w = kTwoPi * std::min(hz, 0.45 * sample_rate) / sample_rate, alpha = std::sin(w) / (2 * q);
  const double c = std::cos(w);
  set((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

void Biquad::set_bandpass(double hz, double q, int sample_rate) {
  const double w = kTwoPi * std::min(hz, 0.45 * sample_rate) / sample_rate, alpha = std::sin(w) / (2 * q);
  const double c = std::cos(w);
  set(alpha, 0, -alpha, 1 + alpha, -2 * c, 1 - alpha);
}

namespace {

template <Waveform W>
inline float wave_at(double phase) {
  if constexpr (W == Waveform::kSine) return unit_sine(phase);
  if constexpr (W == Waveform::kTriangle) return static_cast<float>(1.0 - 4.0 * std::fabs(phase - 0.5));
  if constexpr (W == Waveform::kSaw) return static_cast<float>(2.0 * phase - 1.0);
  if constexpr (W == Waveform::kSquare) return phase < 0.5 ? 1.0f : -1.0f;
}

// The note loop, specialised per waveform; optional stages are skipped with predictable branches.
template <Waveform W>
void render_note(MonoTrack& track, const Note& note) {
  const Envelope& env = note.envelope;
  const Span span = span_of(track, note.start_s, note.duration_s + env.release_s);
  const int sr = track.sample_rate;
  const size_t attack = std::max<size_t>(1, static_cast<size_t>(env.attack_s * sr));
  const size_t off = static_cast<size_t>(note.duration_s * sr);
  const double decay = decay_factor(env.decay_s, sr), release = decay_factor(env.release_s / 4, sr);
  const double vib_depth = std::pow(2.0, note.vibrato_semitones / 12.0) - 1.0;
  const double glide = decay_factor(0.015, sr);
  double glide_ratio = std::pow(2.0, note.glide_semitones / 12.0) - 1.0;
  const bool has_vibrato = note.vibrato_hz > 0 && note.vibrato_semitones != 0;
  const bool has_tremolo = note.tremolo_hz > 0 && note.tremolo_depth != 0;
  const bool has_glide = note.glide_semitones != 0, has_lowpass = note.lowpass_hz > 0, has_drive = note.drive > 0;
  Biquad lp1, lp2;
  if (has_lowpass) {
    lp1.set_lowpass(note.lowpass_hz, 0.707, sr);
    lp2.set_lowpass(note.lowpass_hz, 0.707, sr);
  }
  const float drive = static_cast<float>(note.drive);
  const float drive_norm = has_drive ? 1.0f / soft_clip(drive) : 1.0f;
  const double base_inc = note.hz / sr, vib_inc = note.vibrato_hz / sr, trem_inc = note.tremolo_hz / sr;
  double phase = 0, vib_phase = 0, trem_phase = 0, fall = 1.0, tail = 1.0;
  float* out = track.samples.data();
  for (size_t i = span.begin; i < span.end; ++i) {
    const size_t k = i - span.begin;
    double level;
    if (k < attack) {
      level = static_cast<double>(k) / attack;
    } else if (k < off) {
      level = env.sustain + (1.0 - env.sustain) * fall;
      fall *= decay;
    } else {
      tail *= release;
      level = (env.sustain + (1.0 - env.sustain) * fall) * tail;
    }
    double inc = base_inc;
    if (has_glide) {
      inc *= 1.0 + glide_ratio;
      glide_ratio *= glide;
    }
    if (has_vibrato) {
      inc *= 1.0 + vib_depth * unit_sine(vib_phase);
      vib_phase += vib_inc;
      if (vib_phase >= 1.0) vib_phase -= 1.0;
    }
    phase += inc;
    if (phase >= 1.0) phase -= 1.0;
    float x = wave_at<W>(phase);
    if (has_lowpass) x = lp2.process(lp1.process(x));
    if (has_drive) x = soft_clip(drive * x) * drive_norm;
    double amp = note.gain * level;
    if (has_tremolo) {
      amp *= 1.0 - note.tremolo_depth * (0.5 + 0.5 * unit_sine(trem_phase));
      trem_phase += trem_inc;
      if (trem_phase >= 1.0) trem_phase -= 1.0;
    }
    out[i] += static_cast<float>(amp) * x;
  }
}

}  // namespace

void add_note(MonoTrack& track, const Note& note) {
  switch (note.wave) {
    case Waveform::kSine:
      return render_note<Waveform::kSine>(track, note);
    case Waveform::kTriangle:
      return render_note<Waveform::kTriangle>(track, note);
    case Waveform::kSaw:
      return render_note<Waveform::kSaw>(track, note);
    case Waveform::kSquare:
      return render_note<Waveform::kSquare>(track, note);
  }
}

void add_bell(MonoTrack& track, double start_s, double hz, double gain, double decay_s,
              const std::vector<double>& ratios) {
  for (size_t p = 0; p < ratios.size(); ++p) {
    if (hz * ratios[p] > 0.45 * track.sample_rate) break;
    Note partial;
    partial.start_s = start_s;
    partial.duration_s = decay_s * 3 / (1.0 + p);  // three time constants: down to 5%
    partial.hz = hz * ratios[p];
    partial.gain = gain / (1.0 + 0.7 * p);
    partial.envelope = {0.002, decay_s / (1.0 + p), 0.0, 0.05};
    add_note(track, partial);
  }
}

void add_sung_note(MonoTrack& track, const SungNote& note) {
  static const double kFormants[5][3] = {
      {800, 1150, 2900}, {400, 1700, 2600}, {300, 2100, 2900}, {450, 800, 2830}, {330, 700, 2500}};
  static const double kFormantGain[3] = {1.0, 0.5, 0.25};
  const int sr = track.sample_rate;
  const int vowel = std::clamp(note.vowel, 0, 4);
  Biquad formant[3];
  for (int f = 0; f < 3; ++f) formant[f].set_bandpass(kFormants[vowel][f], kFormants[vowel][f] / 90.0, sr);
  const Span span = span_of(track, note.start_s, note.duration_s + note.release_s);
  const size_t attack = std::max<size_t>(1, static_cast<size_t>(note.attack_s * sr));
  const size_t off = static_cast<size_t>(note.duration_s * sr);
  const double release = decay_factor(note.release_s / 4, sr);
  const double vib_depth = std::pow(2.0, note.vibrato_semitones / 12.0) - 1.0;
  const double base_inc = note.f0 / sr, vib_inc = note.vibrato_hz / sr;
  double phase = 0, vib_phase = 0, tail = 1.0;
  for (size_t i = span.begin; i < span.end; ++i) {
    const size_t k = i - span.begin;
    double level = k < attack ? static_cast<double>(k) / attack : 1.0;
    if (k >= off) level = (tail *= release);
    double inc = base_inc;
    if (note.vibrato_hz > 0) {
      inc *= 1.0 + vib_depth * unit_sine(vib_phase);
      vib_phase += vib_inc;
      if (vib_phase >= 1.0) vib_phase -= 1.0;
    }
    phase += inc;
    if (phase >= 1.0) phase -= 1.0;
    const float source = static_cast<float>(2.0 * phase - 1.0);
    float y = 0;
    for (int f = 0; f < 3; ++f) y += static_cast<float>(kFormantGain[f]) * formant[f].process(source);
    track.samples[i] += static_cast<float>(note.gain * level * 3.0) * y;
  }
}

}  // namespace musictag::preprocess::synth
