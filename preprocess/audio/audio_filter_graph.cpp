// AudioFilterGraph: one libavfilter chain (abuffer → filters → abuffersink) turning frames into mono float samples.
#include "preprocess/audio/audio_filter_graph.h"

#include <fmt/format.h>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
}

#include "cluster/errors.h"
#include "preprocess/features/av_check.h"

namespace musictag::preprocess {
namespace {

// avfilter_inout_free on scope exit, whatever avfilter_graph_parse_ptr left in the lists.
struct InOutDeleter {
  void operator()(AVFilterInOut* list) const { avfilter_inout_free(&list); }
};
using InOutPtr = std::unique_ptr<AVFilterInOut, InOutDeleter>;

std::string layout_name(const AVChannelLayout& layout) {
  char text[128] = {};
  av_channel_layout_describe(&layout, text, sizeof text);
  return text;
}

}  // namespace

std::string downmix_filter(int channels) {
  if (channels <= 1) return "";
  std::string gains;
  for (int c = 0; c < channels; ++c) gains += fmt::format("{}{:.17g}*c{}", c == 0 ? "" : "+", 1.0 / channels, c);
  return "pan=mono|c0=" + gains;
}

std::string mono_resample_filter(int channels, int sample_rate) {
  const std::string downmix = downmix_filter(channels);
  const std::string resample = fmt::format("aresample={}:resampler=soxr", sample_rate);
  return downmix.empty() ? resample : downmix + "," + resample;
}

AudioFilterGraph::AudioFilterGraph(const AudioFormat& input, const std::string& filters, std::string source)
    : source_(std::move(source)), graph_(make_filter_graph()), output_frame_(make_frame()) {
  const std::string args =
      fmt::format("time_base=1/{}:sample_rate={}:sample_fmt={}:channel_layout={}", input.sample_rate, input.sample_rate,
                  av_get_sample_fmt_name(input.sample_format), layout_name(input.channel_layout));
  AV_CHECK_CTX(avfilter_graph_create_filter(&buffer_source_, avfilter_get_by_name("abuffer"), "in", args.c_str(),
                                            nullptr, graph_.get()),
               source_ + ": audio input " + args);
  AV_CHECK_CTX(avfilter_graph_create_filter(&buffer_sink_, avfilter_get_by_name("abuffersink"), "out", nullptr, nullptr,
                                            graph_.get()),
               source_);
  const std::string chain =
      (filters.empty() ? std::string() : filters + ",") + "aformat=sample_fmts=flt:channel_layouts=mono";
  InOutPtr outputs(avfilter_inout_alloc()), inputs(avfilter_inout_alloc());
  if (!outputs || !inputs) throw musictag::DataError("out of memory building the filter graph for " + source_);
  outputs->name = av_strdup("in");
  outputs->filter_ctx = buffer_source_;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = buffer_sink_;
  AVFilterInOut* in_list = inputs.release();
  AVFilterInOut* out_list = outputs.release();
  const int parsed = avfilter_graph_parse_ptr(graph_.get(), chain.c_str(), &in_list, &out_list, nullptr);
  InOutPtr in_left(in_list), out_left(out_list);
  AV_CHECK_CTX(parsed, source_ + ": filter chain '" + chain + "'");
  AV_CHECK_CTX(avfilter_graph_config(graph_.get(), nullptr), source_ + ": configuring '" + chain + "'");
}

void AudioFilterGraph::push(AVFrame* frame, std::vector<float>& out) {
  AV_CHECK_CTX(av_buffersrc_add_frame_flags(buffer_source_, frame, 0), source_ + ": filtering");
  drain(out);
}

void AudioFilterGraph::drain(std::vector<float>& out) {
  for (;;) {
    const int status = av_buffersink_get_frame(buffer_sink_, output_frame_.get());
    if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
    AV_CHECK_CTX(status, source_ + ": reading filtered audio");
    const auto* samples = reinterpret_cast<const float*>(output_frame_->data[0]);
    out.insert(out.end(), samples, samples + output_frame_->nb_samples);
    av_frame_unref(output_frame_.get());
  }
}

}  // namespace musictag::preprocess
