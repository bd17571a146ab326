// Test helpers for the audio loader: write float WAV files, run the ffmpeg command line, measure tones, compare.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace musictag::test {

// Writes interleaved float samples as a 32-bit float WAV (format 3).
inline void write_float_wav(const std::string& path, const std::vector<float>& interleaved, int channels, int rate) {
  std::ofstream out(path, std::ios::binary);
  const auto u32 = [&out](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  const auto u16 = [&out](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  const auto bytes = static_cast<uint32_t>(interleaved.size() * sizeof(float));
  out.write("RIFF", 4);
  u32(36 + bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(3);
  u16(static_cast<uint16_t>(channels));
  u32(static_cast<uint32_t>(rate));
  u32(static_cast<uint32_t>(rate * channels * 4));
  u16(static_cast<uint16_t>(channels * 4));
  u16(32);
  out.write("data", 4);
  u32(bytes);
  out.write(reinterpret_cast<const char*>(interleaved.data()), bytes);
}

// A sine of `hz` at `amplitude`, `seconds` long.
inline std::vector<float> sine(double hz, double amplitude, double seconds, int rate) {
  std::vector<float> out(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(amplitude * std::sin(2 * M_PI * hz * i / rate));
  return out;
}

// Power of `x` at frequency `hz` (Goertzel), normalised by length.
inline double tone_power(const std::vector<float>& x, double hz, int rate) {
  const double w = 2 * M_PI * hz / rate, c = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  for (float v : x) {
    const double s0 = v + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return power / (static_cast<double>(x.size()) * x.size());
}

// Runs `command` and returns its standard output as float samples (f32le).
inline std::vector<float> run_for_floats(const std::string& command) {
  std::vector<float> samples;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return samples;
  float buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, sizeof(float), 4096, pipe)) > 0) samples.insert(samples.end(), buffer, buffer + n);
  ::pclose(pipe);
  return samples;
}

// Largest |a[i] - gain * b[i]| over the common length (callers check the lengths).
inline double max_difference(const std::vector<float>& a, const std::vector<float>& b, double gain = 1.0) {
  double worst = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) worst = std::max(worst, std::fabs(a[i] - gain * b[i]));
  return worst;
}

// `path` decoded by the ffmpeg command line through the filter chain `filters`, as f32le samples.
inline std::vector<float> ffmpeg_floats(const std::string& path, const std::string& filters) {
  return run_for_floats("ffmpeg -nostdin -v error -i '" + path + "' -af '" + filters + "' -f f32le - 2>/dev/null");
}

}  // namespace musictag::test
