// Noise-based and plucked primitives (Karplus-Strong, noise hits, kick, snare, clap) and whole-track effects.
#include <algorithm>
#include <cmath>
#include <vector>

#include "preprocess/demo/demo_synth_dsp.h"
#include "preprocess/demo/demo_synth_voices.h"

namespace musictag::preprocess::synth {

void add_pluck(MonoTrack& track, double start_s, double hz, double gain, double length_s, double brightness,
               DemoRng& rng) {
  const int sr = track.sample_rate;
  const size_t period = std::max<size_t>(2, static_cast<size_t>(sr / hz));
  std::vector<float> line(period);
  float smooth = 0;
  for (float& v : line) {  // one-pole lowpassed noise burst: darker for lower brightness
    smooth += static_cast<float>(brightness) * (white(rng) - smooth);
    v = smooth;
  }
  const Span span = span_of(track, start_s, length_s);
  const float loss = static_cast<float>(std::pow(0.001, 1.0 / (length_s * hz)));  // -60 dB over length_s
  size_t pos = 0;
  for (size_t i = span.begin; i < span.end; ++i) {
    const size_t next = pos + 1 == period ? 0 : pos + 1;
    const float out = line[pos];
    line[pos] = loss * 0.5f * (line[pos] + line[next]);
    pos = next;
    track.samples[i] += static_cast<float>(gain) * out;
  }
}

void add_noise_hit(MonoTrack& track, double start_s, double gain, double center_hz, double q, double decay_s,
                   DemoRng& rng) {
  Biquad band;
  band.set_bandpass(center_hz, q, track.sample_rate);
  const Span span = span_of(track, start_s, decay_s * 5);  // down to -43 dB
  const double decay = decay_factor(decay_s, track.sample_rate);
  double amp = gain * 2.0;  // the band-pass keeps only part of white noise's power
  for (size_t i = span.begin; i < span.end; ++i) {
    track.samples[i] += static_cast<float>(amp) * band.process(white(rng));
    amp *= decay;
  }
}

void add_kick(MonoTrack& track, double start_s, double gain, double hz_start, double hz_end, double decay_s) {
  const int sr = track.sample_rate;
  const Span span = span_of(track, start_s, decay_s * 4);
  const double sweep = decay_factor(0.035, sr), decay = decay_factor(decay_s, sr);
  double phase = 0, offset = hz_start - hz_end, amp = gain;
  for (size_t i = span.begin; i < span.end; ++i) {
    phase += (hz_end + offset) / sr;
    if (phase >= 1.0) phase -= 1.0;
    offset *= sweep;
    track.samples[i] += static_cast<float>(amp) * unit_sine(phase);
    amp *= decay;
  }
}

void add_snare(MonoTrack& track, double start_s, double gain, double tone_hz, double decay_s, DemoRng& rng) {
  Note tone;
  tone.start_s = start_s;
  tone.duration_s = decay_s * 3;
  tone.hz = tone_hz;
  tone.gain = gain * 0.6;
  tone.envelope = {0.001, decay_s * 0.5, 0.0, 0.01};
  add_note(track, tone);
  add_noise_hit(track, start_s, gain, 2500, 0.6, decay_s, rng);
}

void add_clap(MonoTrack& track, double start_s, double gain, DemoRng& rng) {
  for (int tap = 0; tap < 3; ++tap) add_noise_hit(track, start_s + 0.011 * tap, gain * 0.8, 1200, 1.5, 0.006, rng);
  add_noise_hit(track, start_s + 0.033, gain, 1200, 1.2, 0.09, rng);
}

void lowpass_track(MonoTrack& track, double hz, double q) {
  Biquad filter;
  filter.set_lowpass(hz, q, track.sample_rate);
  for (float& x : track.samples) x = filter.process(x);
}

void highpass_track(MonoTrack& track, double hz, double q) {
  Biquad filter;
  filter.set_highpass(hz, q, track.sample_rate);
  for (float& x : track.samples) x = filter.process(x);
}

void drive_track(MonoTrack& track, double drive) {
  float peak = 0;
  for (float x : track.samples) peak = std::max(peak, std::fabs(x));
  if (peak <= 0) return;
  const float d = static_cast<float>(drive) / peak, norm = 1.0f / soft_clip(static_cast<float>(drive));
  for (float& x : track.samples) x = soft_clip(d * x) * norm;
}

}  // namespace musictag::preprocess::synth
