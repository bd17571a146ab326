// AudioLoader: any file FFmpeg reads → mono float samples at the target rate; rubberband variants of them.
#pragma once

#include <string>
#include <vector>

#include "preprocess/audio_error.h"
#include "preprocess/augment_config.h"

namespace musictag::preprocess {

struct DecodedAudio {
  std::vector<float> samples;  // mono (the mean of the channels), at sample_rate
  int sample_rate = 0;
  int source_rate = 0;         // of the file's audio stream
  int source_channels = 0;
  int64_t corrupt_packets = 0; // packets the decoder rejected and skipped (truncated or damaged files)
  double seconds() const { return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};

// Decodes the best audio stream, downmixes to mono (mean of channels, as librosa.to_mono) and resamples with soxr
// in one libavfilter graph:  abuffer → pan (mean) → aresample=<rate>:resampler=soxr → aformat=flt,mono.
// Damaged packets are skipped (and counted) rather than ending the track. Throws AudioError with the stage:
// missing, empty, open, decode (nothing decodable), too_short (< min_seconds), silent (peak below 1e-5).
// Holds no state between files; one per thread is still the intended use (cheap to keep, not thread-safe).
class AudioLoader {
 public:
  AudioLoader(int sample_rate, double min_seconds = 0.0, double max_seconds = 0.0);
  DecodedAudio load(const std::string& path) const;

 private:
  int sample_rate_;
  double min_seconds_;  // 0 = no minimum
  double max_seconds_;  // decode at most this much; 0 = whole file
};

// The variant of already-decoded mono audio: rubberband (tempo = time_stretch, pitch = 2^(semitones/12)) through a
// libavfilter graph; the original returns a copy. Resampling first and stretching the 12 kHz mono signal costs
// about a third of stretching the source (DESIGN.md). AudioError (stage augment) on failure; `source` names the file.
std::vector<float> apply_variant(const std::vector<float>& mono, int sample_rate, const AudioVariant& variant,
                                 const std::string& source = "audio");

}  // namespace musictag::preprocess
