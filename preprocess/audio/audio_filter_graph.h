// AudioFilterGraph: one libavfilter chain (abuffer → filters → abuffersink) turning frames into mono float samples.
#pragma once

#include <string>
#include <vector>

#include "preprocess/audio/av_handles.h"

namespace musictag::preprocess {

// What goes into the graph.
struct AudioFormat {
  int sample_rate = 0;
  AVSampleFormat sample_format = AV_SAMPLE_FMT_FLT;
  AVChannelLayout channel_layout = AV_CHANNEL_LAYOUT_MONO;
};

// `filters` is a libavfilter chain such as "aresample=12000:resampler=soxr"; the graph appends
// "aformat=sample_fmts=flt:channel_layouts=mono", so whatever the chain leaves becomes mono float (the chain must
// already have reduced the channels: see downmix_filter). `source` names the file in errors.
class AudioFilterGraph {
 public:
  AudioFilterGraph(const AudioFormat& input, const std::string& filters, std::string source);

  // Pushes one frame (the graph takes its data; the frame is left empty), or nullptr at the end of the input;
  // appends every finished output sample to `out`.
  void push(AVFrame* frame, std::vector<float>& out);

 private:
  void drain(std::vector<float>& out);

  std::string source_;
  FilterGraphPtr graph_;
  AVFilterContext* buffer_source_ = nullptr;  // owned by graph_
  AVFilterContext* buffer_sink_ = nullptr;    // owned by graph_
  FramePtr output_frame_;
};

// "pan=mono|c0=0.5*c0+0.5*c1" for 2 channels: the plain mean of the channels (librosa's to_mono); "" for mono.
std::string downmix_filter(int channels);

// The chain AudioLoader decodes through: downmix_filter(channels), then "aresample=<sample_rate>:resampler=soxr".
std::string mono_resample_filter(int channels, int sample_rate);

}  // namespace musictag::preprocess
