// CentreWindowLoader: only the samples around a track's centre, decoded after a seek, equal to a full decode's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "preprocess/audio/audio_loader.h"

namespace musictag::preprocess {

// Samples [start, start + audio.samples.size()) of the track that AudioLoader::load gives (same rate, channels
// mean, soxr resampling, min/max_seconds): the window around the centre, or the whole track when `seeked` is false.
struct CentreWindow {
  DecodedAudio audio;         // audio.samples holds the window only; the other fields describe the file
  int64_t start = 0;          // index of audio.samples[0] in the whole track
  int64_t track_samples = 0;  // length of the whole track (what load() would return)
  bool seeked = false;        // false: a full decode (short, damaged, silent-looking or unindexable file)
};

// Decodes the centre `span` samples of a long track and a few margins, not the whole file:
//   1. reads every packet without decoding (PacketIndex): the exact length, so the centre, whatever the header says;
//   2. seeks to the byte position of a packet `kPrerollPackets` before the window (mp3's bit reservoir and overlap
//      reach back a few frames; those frames are decoded and dropped);
//   3. feeds the graph of AudioLoader from a source sample p0 before the window by a resampler margin, p0 a multiple
//      of source_rate/gcd(source_rate, sample_rate) so the resampled grid is the full decode's;
//   4. stops a margin after the window.
// Equal to AudioLoader::load's samples to float rounding in soxr (measured max |difference| below 1e-5 on mp3s at
// 44.1 kHz: tests/preprocess/centre_window_test.cpp). Falls back to AudioLoader::load — today's output, errors and
// failure stages included — whenever the window would reach the first or last margin of the track, the file cannot
// be indexed exactly (a truncated or damaged packet, no positions), a packet in the window fails to decode, or the
// window is silent (only a full decode can say whether the track is).
class CentreWindowLoader {
 public:
  explicit CentreWindowLoader(AudioLoader loader) : loader_(std::move(loader)) {}

  // The window covers [(n - span) / 2, (n - span) / 2 + span) of a track of n samples (n > span) and a sample more on
  // each side. Throws AudioError (from the full decode) for unusable files.
  CentreWindow load(const std::string& path, int64_t span) const;

  const AudioLoader& loader() const { return loader_; }

 private:
  std::optional<CentreWindow> load_seeking(const std::string& path, int64_t span) const;

  AudioLoader loader_;
};

// Samples the window must span for the centre `length`-sample segment of each variant: length times the largest
// time stretch, plus rubberband's start-up and tail (kVariantMarginSeconds) on both sides when there are variants.
int64_t centre_span(int64_t length, const std::vector<AudioVariant>& variants, int sample_rate);

// The centre `length` samples of `variant` of the track: centre_crop_or_pad(apply_variant(whole track)). From a full
// decode (seeked false) exactly that; from a window, equal for the original and, for rubberband variants, the same
// music with different phases (rubberband's phase vocoder depends on all it heard before; see the test for the
// bound on the log-mel difference).
std::vector<float> centre_segment(const CentreWindow& window, const AudioVariant& variant, int64_t length,
                                  const std::string& source);

}  // namespace musictag::preprocess
