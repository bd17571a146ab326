// VariantStream: a rubberband variant (time stretch, pitch shift) of mono audio that arrives in pieces.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "preprocess/audio/audio_filter_graph.h"
#include "preprocess/audio/audio_loader.h"
#include "preprocess/audio/augment_config.h"

namespace musictag::preprocess {

// Usage: VariantStream v(rate, variant, source); v.push(piece, n, sink)...; v.finish(sink);
// The sink receives exactly apply_variant(all pieces) (bit-identical: the graph sees the same 4096-sample frames
// whatever the pieces), as soon as it is sure to belong to it: round(n / time_stretch) samples in all, so output
// beyond floor(pushed / time_stretch) waits for finish(). The original variant passes the pieces through. Memory is
// a frame and rubberband's latency, however long the input. AudioError (stage augment) naming `source` on failure.
class VariantStream {
 public:
  VariantStream(int sample_rate, const AudioVariant& variant, std::string source);

  void push(const float* samples, size_t count, const SampleSink& sink);
  // The end of the input: rubberband's tail flushed (8192 zeros fed after the signal), the output cut to length.
  void finish(const SampleSink& sink);

  const AudioVariant& variant() const { return variant_; }

 private:
  static constexpr size_t kFrame = 4096;        // samples per frame fed to the graph
  static constexpr size_t kTailPadding = 8192;  // zeros after the signal: rubberband's ~50 ms latency, flushed

  void feed(const float* samples, size_t count);  // into frames of kFrame, each sent when full
  void send_frame();                              // the (possibly partial) frame to the graph
  void forward(const SampleSink& sink, int64_t until);

  int sample_rate_;
  AudioVariant variant_;
  std::string source_;
  std::unique_ptr<AudioFilterGraph> graph_;  // null for the original
  std::vector<float> frame_;                 // input not yet sent, < kFrame samples
  int64_t fed_ = 0;                          // samples sent to the graph (the next frame's pts)
  int64_t pushed_ = 0;                       // signal samples pushed (without the tail padding)
  std::vector<float> output_;                // graph output not yet forwarded
  int64_t forwarded_ = 0;                    // output samples sent to the sink
};

}  // namespace musictag::preprocess
