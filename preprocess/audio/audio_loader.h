// AudioLoader: any file FFmpeg reads → mono float samples at the target rate, whole or streamed; rubberband variants.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "preprocess/audio/audio_error.h"
#include "preprocess/audio/augment_config.h"

namespace musictag::preprocess {

// Audio whose peak is below this (-100 dBFS) is "silent".
inline constexpr float kSilencePeak = 1e-5f;

// Receives decoded samples in order, in pieces of any size (count >= 1).
using SampleSink = std::function<void(const float* samples, size_t count)>;

struct DecodedAudio {
  std::vector<float> samples;  // mono (the mean of the channels), at sample_rate; empty after stream()
  int64_t length = 0;          // samples decoded: samples.size() after load(); what stream() sent to its sink
  int sample_rate = 0;
  int source_rate = 0;  // of the file's audio stream
  int source_channels = 0;
  double source_seconds = 0.0;  // duration the container states (0 = unknown); a truncated file decodes less
  int64_t corrupt_packets = 0;  // packets the decoder rejected and skipped (truncated or damaged files)
  double seconds() const { return sample_rate > 0 ? static_cast<double>(length) / sample_rate : 0.0; }
};

// Decodes the best audio stream, downmixes to mono (mean of channels, as librosa.to_mono) and resamples with soxr
// in one libavfilter graph:  abuffer → pan (mean) → aresample=<rate>:resampler=soxr → aformat=flt,mono.
// The explicit pan is needed: FFmpeg's own downmix (aformat/aresample/-ac 1) of float stereo is 0.7071*(L+R), i.e.
// sqrt(2) times librosa's mean (tested). A new graph per file, because its input format differs from file to file.
// Damaged packets are skipped (and counted) rather than ending the track; a truncated file yields what it holds
// (a warning compares it with source_seconds). Throws AudioError with the stage: missing, empty, open (not audio,
// unsupported, no audio stream), decode (nothing decodable, or a failure mid-stream such as a format change),
// too_short (< min_seconds; checked before silence), silent (peak below 1e-5 = -100 dBFS).
// Holds no state between files; load() is const, one loader per thread is the intended use.
class AudioLoader {
 public:
  AudioLoader(int sample_rate, double min_seconds = 0.0, double max_seconds = 0.0);
  // The whole track in memory.
  DecodedAudio load(const std::string& path) const;
  // The same samples, sent to `sink` as they are decoded (memory stays flat however long the file): what load()
  // returns, piece by piece. The checks that need the whole track (decode, too_short, silent) throw at the end, after
  // the sink has seen every sample; a caller that kept anything must then drop it.
  DecodedAudio stream(const std::string& path, const SampleSink& sink) const;

  int sample_rate() const { return sample_rate_; }
  double min_seconds() const { return min_seconds_; }
  double max_seconds() const { return max_seconds_; }

 private:
  int sample_rate_;
  double min_seconds_;  // 0 = no minimum
  double max_seconds_;  // decode at most this much; 0 = whole file
};

// The variant of already-decoded mono audio: rubberband (tempo = time_stretch, pitch = 2^(semitones/12),
// transients=mixed, otherwise the filter's defaults) through a libavfilter graph; the original returns a copy.
// Output: round(n / time_stretch) samples, time-aligned with the input (onsets at t / time_stretch), equal to the
// ffmpeg command line with the same filter except in the last ~60 ms (flushed with 8192 zeros here). Resampling first
// and stretching the 12 kHz mono signal costs about a third of stretching the source (docs/ARCHITECTURE.md). AudioError
// (stage augment) on failure; `source` names the file.
std::vector<float> apply_variant(const std::vector<float>& mono, int sample_rate, const AudioVariant& variant,
                                 const std::string& source = "audio");

}  // namespace musictag::preprocess
